# The in-process syscall trace (cargo feature `trace`, LINUX_GATE_TRACE=1) against
# independent tracers on the same run: `strace -f` natively (every line must match strace's
# exactly, modulo column padding), qemu-i386's own `-strace` under qemu (names, results
# and open paths/flags; qemu prints pointers where strace prints strings).
. "$(dirname "$0")/lib.sh"

TDIR=$ROOT/target/trace
T=$TDIR/$TRIPLE/debug/examples
if ! (cd "$ROOT" && cargo build -q --features trace --target-dir "$TDIR" --examples); then
    fail trace_build "cargo build --features trace"
    exit 0
fi
# Programs whose syscalls are all returning ones (a successful execve or exit_group is not
# printed by the trace; strace prints it as "= ?"). trace-fault: bad pointers.
progs="syscalls hello auxv stack c-hello c-auxv maps trace-fault"

# The trace's lines from a stderr that may also hold the program's own messages; writes to
# fd 2 are left out on both sides (the trace's own are never traced, strace sees them).
trace_lines() {
    grep -E '^[a-z0-9_]+\(.*\) = .* \[[a-z0-9]+\]$' "$TMP/tr" | grep -v '^write(2, ' > "$TMP/lines"
}

# vs_tracer NAME OUT PROG [ARGS...]: one run of PROG (stdout to OUT, status in $status)
# with the trace on, under strace -f natively (every line must match), under qemu-i386
# -strace in the qemu run (names and results). Leaves the trace's lines in $TMP/lines.
# Both tracers also show the trace's page probes (`sigprocmask(0x7fffffff, …)`) and the
# mapping a line over 512 bytes moves to (`mmap2`/`munmap` of 69,632 bytes, LONG_LINE_MAP;
# see src/trace/), which are left out like its writes to fd 2.
vs_tracer() {
    name=$1 out=$2; shift 2
    if native; then
        LINUX_GATE_TRACE=1 strace -f -o "$TMP/st" "$@" > "$out" 2> "$TMP/tr"
        status=$?
        # strace: drop the pid, the execve, the trace's own writes to fd 2 and probes,
        # exit_group and the exit line; squeeze the padding before " = ".
        sed 's/^[0-9]* *//' "$TMP/st" | grep -v -e '^execve(' -e '^write(2, ' -e '^exit_group(' \
            -e '^+++ ' -e '^sigprocmask(0x7fffffff ' -e '^mmap2(NULL, 69632, ' \
            -e '^munmap(0x[0-9a-f]*, 69632)' | sed 's/) *= /) = /' > "$TMP/want"
        # every trace line names the mechanism: natively the vDSO's __kernel_vsyscall.
        trace_lines
        bad=$(grep -vc ' \[vsyscall\]$' "$TMP/lines")
        sed 's/ \[vsyscall\]$//' "$TMP/lines" > "$TMP/got"
        n=$(wc -l < "$TMP/got")
        if [ "$bad" = 0 ] && [ "$n" -gt 0 ] && diff -u "$TMP/want" "$TMP/got"; then
            ok "trace_vs_strace_$name"
        else
            fail "trace_vs_strace_$name" "$n lines, $bad without [vsyscall]"
        fi
    else
        LINUX_GATE_TRACE=1 qemu-i386 -strace -D "$TMP/qs" "$@" > "$out" 2> "$TMP/tr"
        status=$?
        # qemu: "PID name(args) = result", errors as "-1 errno=N (message)", hex with zeros.
        norm() { sed -E 's/-1 (errno=[0-9]+|E[A-Z0-9]+) /-1 /; s/= 0x0*([0-9a-f])/= 0x\1/'; }
        sed 's/^[0-9]* //' "$TMP/qs" | grep -v -e '^write(2,' -e '^exit_group(' -e '^sigprocmask(2147483647,' \
            -e '^mmap2(NULL,69632,' -e '^munmap(0x[0-9a-f]*,69632)' \
            | sed -E 's/^([a-z0-9_]+)\(.*\) = (.*)$/\1 = \2/' | norm > "$TMP/want"
        trace_lines
        bad=$(grep -vc ' \[int80\]$' "$TMP/lines")
        sed -E 's/ \[int80\]$//; s/^([a-z0-9_]+)\(.*\) = (.*)$/\1 = \2/' "$TMP/lines" | norm > "$TMP/got"
        n=$(wc -l < "$TMP/got")
        if [ "$bad" = 0 ] && [ "$n" -gt 0 ] && diff -u "$TMP/want" "$TMP/got"; then
            ok "trace_vs_qemu_strace_$name"
        else
            fail "trace_vs_qemu_strace_$name" "$n lines, $bad without [int80]"
        fi
    fi
}

for p in $progs; do
    vs_tracer "$p" /dev/null "$T/$p" a
done

# statx decoded as strace abbreviates a struct statx (mask, attributes, type, mode bits,
# stx_size): cat fstats its output (a regular file here), then each input — a regular file,
# and a sticky world-writable directory (read fails: EISDIR).
printf 'hi\n' > "$TMP/in1"; mkdir "$TMP/dir"; chmod 1777 "$TMP/dir"
vs_tracer cat-fstat "$TMP/catout" "$T/cat" "$TMP/in1" "$TMP/dir"

# Buffers with non-printable bytes: strace's shortest octal escape, three digits only
# before an octal digit ("\18" but "\0017"), and the C escapes; cat reads and writes them.
printf '\0018\0017\001a\0009\t"\\\013\014\r\377' > "$TMP/oct"
vs_tracer cat-octal "$TMP/octout" "$T/cat" "$TMP/oct"
if cmp -s "$TMP/oct" "$TMP/octout"; then ok trace_cat_octal_output; else
    fail trace_cat_octal_output "cat's output differs from its input"; fi

if native; then mech=vsyscall; else mech=int80; fi

# Bad pointers (examples/trace-fault.rs): the kernel answers EFAULT, or never reads them
# (write to /dev/null, EBADF/EINVAL first). The trace must not fault on them: same status
# with the trace on as off (0: every call returned what the kernel returns), and the
# pointers shown as strace shows them, the bare address. Stdout a regular file here, so
# that write(1, 0x8, 10) fails with EFAULT (on /dev/null above it "succeeds").
run "$T/trace-fault" > "$TMP/out" 2> /dev/null
off=$?
vs_tracer trace-fault-file "$TMP/out" "$T/trace-fault"
LINUX_GATE_TRACE=1 run "$T/trace-fault" > "$TMP/out" 2> "$TMP/tr"
on=$?
trace_lines
missing=0
for want in 'openat(AT_FDCWD, 0x8, O_RDONLY) = -1 EFAULT (Bad address)' \
    'open(0x8, O_RDONLY) = -1 EFAULT (Bad address)' 'unlink(NULL) = -1 EFAULT (Bad address)' \
    'chdir(0x8) = -1 EFAULT (Bad address)' 'write(1, 0x8, 10) = -1 EFAULT (Bad address)' \
    'write(-1, 0x8, 10) = -1 E' 'write(3, 0x8, 10) = ' 'readlink(0x8, 0x' \
    'readlink("/nonexistent/link", 0x' 'write(3, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"..., 64) = ' \
    'readlink("/aaaaaaaaaaaa", 0x'; do
    if ! awk -v w="$want" 'index($0, w) == 1 { f = 1 } END { exit !f }' "$TMP/lines"; then
        echo "trace-fault: no line starting: $want"
        missing=$((missing + 1))
    fi
done
# The strings that run into the unmapped page (two paths, 32 bytes of a buffer): the
# address, never a quoted string.
edge=$(grep -cE '^(openat\(AT_FDCWD, |readlink\(|write\(3, )0x[0-9a-f]{5,}, .* \['$mech'\]$' "$TMP/lines")
if [ "$off:$on:$status" = 0:0:0 ] && [ "$missing" = 0 ] && [ "$edge" = 3 ]; then
    ok trace_bad_pointers
else
    fail trace_bad_pointers \
        "status $off off, $on on, $status traced; $missing lines missing; $edge of 3 addresses"
fi

# Long lines are never cut: a 700-byte path (ENAMETOOLONG: one component > NAME_MAX) and a
# 5000-byte one (> PATH_MAX) are printed as strace prints paths (whole up to 4095 bytes,
# then "..."), and the result and [mechanism] still end the line.
a700=$(head -c 700 /dev/zero | tr '\0' a) a5000=$(head -c 5000 /dev/zero | tr '\0' a)
vs_tracer cat-long-paths /dev/null "$T/cat" "/$a700" "/$a5000"
end=", O_RDONLY|O_LARGEFILE|O_CLOEXEC) = -1 ENAMETOOLONG (File name too long) [$mech]"
l700=$(grep -cxF "openat(AT_FDCWD, \"/$a700\"$end" "$TMP/lines")
cut=$(head -c 4094 /dev/zero | tr '\0' a)  # "/" and 4094 bytes: strace's 4095, then "..."
l5000=$(grep -cxF "openat(AT_FDCWD, \"/$cut\"...$end" "$TMP/lines")
if [ "$status:$l700:$l5000" = 1:1:1 ]; then
    ok trace_long_path_line_whole
else
    fail trace_long_path_line_whole "cat status $status; lines: 700-byte path $l700, 5000-byte $l5000"
    grep -o '^.\{60\}' "$TMP/lines"
fi
# ... and each goes out in one write(2) of the whole line, newline included (it moved to
# a mapping of its own: one mmap2 and one munmap of 69,632 bytes per long line), so no
# other thread's line can split it — per strace natively, per qemu-i386's -strace there.
sizes=$(grep '^openat(AT_FDCWD, "/aaaa' "$TMP/lines" | awk '{ print length($0) + 1 }' | sort)
if native; then
    writes=$(sed -n 's/^[0-9]* *write(2, .*, \([0-9]*\)) *= [0-9]*$/\1/p' "$TMP/st")
    maps=$(grep -c '^[0-9]* *mmap2(NULL, 69632, ' "$TMP/st")
    unmaps=$(grep -c '^[0-9]* *munmap(0x[0-9a-f]*, 69632)' "$TMP/st")
else
    writes=$(sed -n 's/^[0-9]* write(2,0x[0-9a-f]*,\([0-9]*\)) = [0-9]*$/\1/p' "$TMP/qs")
    maps=$(grep -c '^[0-9]* mmap2(NULL,69632,' "$TMP/qs")
    unmaps=$(grep -c '^[0-9]* munmap(0x[0-9a-f]*,69632)' "$TMP/qs")
fi
whole=0
for n in $sizes; do
    [ "$n" -gt 512 ] && printf '%s\n' "$writes" | grep -qx "$n" && whole=$((whole + 1))
done
if [ "$(echo $sizes | wc -w):$whole:$maps:$unmaps" = 2:2:2:2 ]; then
    ok trace_long_line_one_write
else
    fail trace_long_line_one_write "line sizes: $sizes; whole writes $whole, mmap2 $maps, munmap $unmaps"
fi

# Paths and flags of open() agree with qemu's decoding too (qemu run) / strace (native run:
# already covered above, line for line). qemu names flags in its own order, spells O_TMPFILE
# as O_DIRECTORY|__O_TMPFILE and leaves its mode out: compare the directory, the path and
# the set of flags.
open_calls() {
    sed 's/, */,/g; s/\([|,]\)O_TMPFILE\([|,)]\)/\1O_DIRECTORY|__O_TMPFILE\2/' |
    while IFS=, read -r call path flags rest; do
        echo "$call,$path,$(echo "${flags%)}" | tr '|' '\n' | sort | paste -sd'|')"
    done
}
if ! native; then
    LINUX_GATE_TRACE=1 qemu-i386 -strace -D "$TMP/qs" "$T/syscalls" > /dev/null 2> "$TMP/tr"
    a=$(grep -o '^[0-9]* openat\?([^)]*)' "$TMP/qs" | sed 's/^[0-9]* //' | open_calls)
    b=$(grep -o '^openat\?([^)]*)' "$TMP/tr" | open_calls)
    check trace_open_args_vs_qemu [ "$(echo "$a" | wc -l)" -ge 5 -a "$a" = "$b" ]
fi

# Switch off: no output at all; feature off (the normal build): the switch does nothing.
out=$(run "$T/hello" 2>&1 >/dev/null)
check trace_off_without_switch [ -z "$out" ]
out=$(LINUX_GATE_TRACE=1 run "$DEBUG/hello" 2>&1 >/dev/null)
check trace_absent_without_feature [ -z "$out" ]

# AT_SECURE: a setuid copy (run as another user) ignores LINUX_GATE_TRACE. Needs root and a
# user to switch to; natively only (qemu-user does not honour setuid bits).
if native && [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
    cp "$T/hello" "$TMP/suid-hello" && chmod 4755 "$TMP/suid-hello" && chmod 755 "$TMP"
    out=$(LINUX_GATE_TRACE=1 setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/suid-hello" 2>&1 >/dev/null)
    ctl=$(LINUX_GATE_TRACE=1 setpriv --reuid=65534 --regid=65534 --clear-groups "$T/hello" 2>&1 >/dev/null)
    check trace_ignored_when_secure [ -z "$out" -a -n "$ctl" ]
fi

# Off by default and then free: a build without the feature has no trace code and does not
# even contain the switch's name; the traced build has both. Same release profile, same
# example, so the difference is the feature alone.
if (cd "$ROOT" && cargo build -q --release --example hello && \
    cargo build -q --release --features trace --target-dir "$TDIR" --example hello); then
    plain=$ROOT/target/$TRIPLE/release/examples/hello traced=$TDIR/$TRIPLE/release/examples/hello
    np=$(nm "$plain" | grep -ci trace) nt=$(nm "$traced" | grep -ci trace)
    sp=$(grep -c LINUX_GATE_TRACE "$plain") st=$(grep -c LINUX_GATE_TRACE "$traced")
    if [ "$np:$sp" = 0:0 ] && [ "$nt" -gt 0 ] && [ "$st" -gt 0 ]; then
        ok trace_off_links_nothing
    else
        fail trace_off_links_nothing "symbols $np/$nt, switch name $sp/$st (plain/traced)"
    fi
else
    fail trace_off_links_nothing "release build failed"
fi
