# Hostile conditions that need the shell: `ulimit -v`, a 100,000-variable environment built
# by the shell and checked against GNU env, and stdout errors compared with a glibc program.
. "$(dirname "$0")/lib.sh"

# Allocation failure under `ulimit -v` (qemu reserves its own address space and ignores
# RLIMIT_AS for the guest: native only; tests/hostile.rs covers the qemu run).
if native; then
    out=$( (ulimit -v 32768; timeout 20 "$DEBUG/hog" 1000) 2>&1 ); rc=$?
    case "$rc:$out" in
        134:*"memory allocation of 1048576 bytes failed"*) ok hog_ulimit_v ;;
        *) fail hog_ulimit_v "rc=$rc: $out" ;;
    esac
    out=$( (ulimit -v 65536; timeout 20 "$DEBUG/hog" 16) 2>&1 ); rc=$?
    check hog_fits_under_limit [ "$rc:$out" = "0:allocated 16 MiB" ]
fi

# 100,000 variables set by the shell: args sees exactly what GNU env sees (qemu-i386 7.2
# hands them over in reverse order, glibc programs included).
i=0; : > "$TMP/vars"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "V%05d=%d\n", i, i % 7 }' > "$TMP/vars"
env -i $(cat "$TMP/vars") env > "$TMP/env.gnu"
env -i $(cat "$TMP/vars") $RUNNER "$DEBUG/args" | sed -n 's/^envp\[[0-9]*\]: //p' > "$TMP/env.ours"
if native; then cp "$TMP/env.gnu" "$TMP/env.want"; else tac "$TMP/env.gnu" > "$TMP/env.want"; fi
if [ "$(wc -l < "$TMP/env.ours")" = 100000 ] && cmp -s "$TMP/env.want" "$TMP/env.ours"; then
    ok env_100000_vs_gnu_env
else
    fail env_100000_vs_gnu_env "$(wc -l < "$TMP/env.ours") lines"
fi

# stdout is /dev/full, or a closed pipe with SIGPIPE ignored: the runtime says so and exits
# 1 (a glibc program exits 0, its output silently lost — shown for comparison).
out=$($RUNNER "$DEBUG/args" x 2>&1 > /dev/full); rc=$?
check args_dev_full [ "$rc:$out" = "1:error: failed writing to stdout: No space left on device (os error 28)" ]
if native && gcc -m32 -static -o "$TMP/ghello" -x c - 2>/dev/null <<'C'
#include <stdio.h>
int main(void) { printf("Hello\n"); return 0; }
C
then
    "$TMP/ghello" > /dev/full; echo "glibc hello > /dev/full: exit $?"
fi

# One eprintln!, one write(2), even with {:?} (a piece per character before): the child's
# "execve \"/nonexistent\": …" (to its stderr, /dev/null while timed) and the parent's
# "exited with status 127", each whole in one write, per strace.
if native; then
    strace -f -e trace=write -o "$TMP/st" "$RELEASE/bench-startup" 1 /nonexistent 2> "$TMP/err"; rc=$?
    writes=$(grep -c 'write(2, ' "$TMP/st")
    if [ "$rc:$writes" = "1:2" ] && grep -q 'write(2, "bench-startup: execve \\"/nonexist"..., 64) = 64' "$TMP/st" &&
        [ "$(cat "$TMP/err")" = 'bench-startup: "/nonexistent": exited with status 127' ]; then
        ok eprintln_is_one_write
    else
        fail eprintln_is_one_write "status $rc, $writes writes: $(cat "$TMP/err")"
    fi
fi
