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
# printed by the trace; strace prints it as "= ?").
progs="syscalls hello auxv stack c-hello c-auxv maps"

# The trace's lines from a stderr that may also hold the program's own messages; writes to
# fd 2 are left out on both sides (the trace's own are never traced, strace sees them).
trace_lines() {
    grep -E '^[a-z0-9_]+\(.*\) = .* \[[a-z0-9]+\]$' "$TMP/tr" | grep -v '^write(2, ' > "$TMP/lines"
}

for p in $progs; do
    if native; then
        LINUX_GATE_TRACE=1 strace -f -o "$TMP/st" "$T/$p" a > /dev/null 2> "$TMP/tr"
        # strace: drop the pid, the execve, the trace's own writes to fd 2, exit_group and
        # the exit line; squeeze the padding before " = ".
        sed 's/^[0-9]* *//' "$TMP/st" | grep -v -e '^execve(' -e '^write(2, ' -e '^exit_group(' -e '^+++ ' \
            | sed 's/) *= /) = /' > "$TMP/want"
        # every trace line names the mechanism: natively the vDSO's __kernel_vsyscall.
        trace_lines
        bad=$(grep -vc ' \[vsyscall\]$' "$TMP/lines")
        sed 's/ \[vsyscall\]$//' "$TMP/lines" > "$TMP/got"
        n=$(wc -l < "$TMP/got")
        if [ "$bad" = 0 ] && [ "$n" -gt 0 ] && diff -u "$TMP/want" "$TMP/got"; then
            ok "trace_vs_strace_$p"
        else
            fail "trace_vs_strace_$p" "$n lines, $bad without [vsyscall]"
        fi
    else
        LINUX_GATE_TRACE=1 qemu-i386 -strace -D "$TMP/qs" "$T/$p" a > /dev/null 2> "$TMP/tr"
        # qemu: "PID name(args) = result", errors as "-1 errno=N (message)", hex with zeros.
        norm() { sed -E 's/-1 (errno=[0-9]+|E[A-Z0-9]+) /-1 /; s/= 0x0*([0-9a-f])/= 0x\1/'; }
        sed 's/^[0-9]* //' "$TMP/qs" | grep -v -e '^write(2,' -e '^exit_group(' \
            | sed -E 's/^([a-z0-9_]+)\(.*\) = (.*)$/\1 = \2/' | norm > "$TMP/want"
        trace_lines
        bad=$(grep -vc ' \[int80\]$' "$TMP/lines")
        sed -E 's/ \[int80\]$//; s/^([a-z0-9_]+)\(.*\) = (.*)$/\1 = \2/' "$TMP/lines" | norm > "$TMP/got"
        n=$(wc -l < "$TMP/got")
        if [ "$bad" = 0 ] && [ "$n" -gt 0 ] && diff -u "$TMP/want" "$TMP/got"; then
            ok "trace_vs_qemu_strace_$p"
        else
            fail "trace_vs_qemu_strace_$p" "$n lines, $bad without [int80]"
        fi
    fi
done

# Paths and flags of open() agree with qemu's decoding too (qemu run) / strace (native run:
# already covered above, line for line).
if ! native; then
    LINUX_GATE_TRACE=1 qemu-i386 -strace -D "$TMP/qs" "$T/syscalls" > /dev/null 2> "$TMP/tr"
    a=$(grep -o '^[0-9]* openat\?([^)]*)' "$TMP/qs" | sed 's/^[0-9]* //; s/, */,/g')
    b=$(grep -o '^openat\?([^)]*)' "$TMP/tr" | sed 's/, */,/g')
    check trace_open_args_vs_qemu [ -n "$a" -a "$a" = "$b" ]
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
