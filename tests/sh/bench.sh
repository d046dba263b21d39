# The benchmark programs, run with tiny counts (a benchmark never fails on speed; these
# check that each measures what it says): strace counts the getppid calls bench-syscall
# makes, the size script's figures equal strip(1)/stat(1) on the same files, the
# section-header-less hello still runs and readelf and gdb still read it, and every
# table has its rows. Under qemu-i386: the no-vDSO variants.
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/bench-lib.sh"
# passed NAME: ok if the command just before it succeeded (`check` needs the command itself).
passed() { if [ $? = 0 ]; then ok "$1"; else fail "$1" "see above"; fi; }
build_refs >/dev/null 2>&1 || { fail bench_refs_build "as/ld/gcc -m32 failed"; exit 0; }

# bench-exit: a program that only exits. Natively strace must see execve, exit_group(0).
out=$(run "$RELEASE/bench-exit" 2>&1); rc=$?
if [ $rc = 0 ] && [ -z "$out" ]; then ok bench_exit_runs; else fail bench_exit_runs "rc=$rc out=$out"; fi
if native; then
    strace -o "$TMP/st" "$RELEASE/bench-exit"
    calls=$(grep -v '^+++' "$TMP/st" | sed 's/(.*//' | tr '\n' ' ')
    if [ "$calls" = "execve exit_group " ]; then ok bench_exit_strace; else
        fail bench_exit_strace "syscalls: $calls"; fi
fi

# bench-println: the println!+heap hello prints what it says, one write.
out=$(run "$RELEASE/bench-println"); rc=$?
if [ $rc = 0 ] && [ "$out" = "Hello, world!" ]; then ok bench_println_output; else
    fail bench_println_output "rc=$rc out=$out"; fi

# bench-syscall: 100 vsyscall-path calls x 2 loops x 1 run, 10 int80 calls x 2 x 1.
out=$(run "$RELEASE/bench-syscall" 100 1 10); rc=$?
echo "$out" | grep -q '^int80     runtime: process::getppid() *[0-9.]\+ *[0-9]\.[0-9]\{3\}$' &&
    echo "$out" | grep -q '^int80     reference: int \$0x80 (asm) *[0-9.]\+' && [ $rc = 0 ]
passed bench_syscall_int80_rows
if native; then
    echo "$out" | grep -q '^vsyscall  runtime: process::getppid() *[0-9.]\+ *[0-9]\.[0-9]\{3\}$' &&
        echo "$out" | grep -q '^vsyscall/int80 (runtime paths) *0\.[0-9]\{3\}$'
    passed bench_syscall_vsyscall_rows
    # strace counts every getppid the kernel saw: 2 x 100 + 2 x 10, nothing more or less.
    strace -f -c -e trace=getppid -o "$TMP/c" "$RELEASE/bench-syscall" 100 1 10 >/dev/null
    n=$(awk '$NF == "getppid" { print $(NF-1) }' "$TMP/c")
    if [ "$n" = 220 ]; then ok bench_syscall_strace_count; else fail bench_syscall_strace_count "getppid x $n"; fi
    # With LINUX_GATE_SYSCALL=int80 there is no vsyscall path to measure.
    LINUX_GATE_SYSCALL=int80 "$RELEASE/bench-syscall" 10 1 10 | grep -q '^vsyscall  (LINUX_GATE_SYSCALL=int80 set) *n/a$'
    passed bench_syscall_forced_int80
else
    echo "$out" | grep -q '^vsyscall  (no AT_SYSINFO: no vDSO) *n/a$'
    passed bench_syscall_qemu_no_vdso
fi

# bench-time: the runtime path, the glibc child's row, and the syscall row.
out=$(run "$RELEASE/bench-time" 1000 1 "$REFS/clock-glibc"); rc=$?
if native; then path=vdso64; else path=syscall64; fi
echo "$out" | grep -q "runtime path: $path\$" &&
    echo "$out" | grep -q '^glibc 2.36 static: clock_gettime *[0-9.]\+$' &&
    echo "$out" | grep -q '^syscall: clock_gettime64 via runtime entry *[0-9.]\+' && [ $rc = 0 ]
passed bench_time_rows
if native; then
    # The glibc reference reads the clock in user space too: no clock_gettime syscalls.
    strace -f -c -o "$TMP/c" "$REFS/clock-glibc" 1000 1 >/dev/null
    if grep -q clock_gettime "$TMP/c"; then fail bench_glibc_clock_uses_vdso "syscalls seen"; else
        ok bench_glibc_clock_uses_vdso; fi
fi

# bench-startup (native: children are exec'd directly): rows, and VmHWM read by ptrace.
if native; then
    out=$("$RELEASE/bench-startup" 2 "$RELEASE/hello" "$REFS/hello-asm"); rc=$?
    echo "$out" | grep -q '^hello  *[0-9.]\+ *1\.000 *[0-9]\+ *[0-9]\+$' &&
        echo "$out" | grep -q '^hello-asm  *[0-9.]\+ *[0-9.]\+ *[0-9]\+ *[0-9]\+$' && [ $rc = 0 ]
    passed bench_startup_rows
    "$RELEASE/bench-startup" 1 /nonexistent 2>"$TMP/e" >/dev/null; rc=$?
    if [ $rc = 1 ] && grep -q 'execve\|status' "$TMP/e"; then ok bench_startup_bad_program; else
        fail bench_startup_bad_program "rc=$rc"; fi
fi

# bench-alloc: arena >= bytes requested; 3 rows for N = 1e3, 1e4 and 1e3 shuffled.
out=$(run "$RELEASE/bench-alloc" 32 10000 1000); rc=$?
rows=$(echo "$out" | awk '$1 ~ /^[0-9]+$/ && ($2 == "fifo" || $2 == "shuffled") && $6 >= $5 { n++ } END { print n + 0 }')
if [ $rc = 0 ] && [ "$rows" = 3 ]; then ok bench_alloc_rows; else fail bench_alloc_rows "rc=$rc rows=$rows"; fi

# bench/hello-floor.S, the size floor: it must do what hello does, or its size proves
# nothing. Output, status 1 on a write error; natively, the syscalls go through the vDSO
# (stepcount charges vDSO steps to `syscall`) unless the first LINUX_GATE_SYSCALL= says int80.
floor=$REFS/hello-floor
out=$(run "$floor"); rc=$?
if [ $rc = 0 ] && [ "$out" = "Hello, world!" ]; then ok floor_hello_output; else
    fail floor_hello_output "rc=$rc out=$out"; fi
run "$floor" > /dev/full 2>/dev/null
rc=$?; if [ $rc = 1 ]; then ok floor_hello_write_error; else fail floor_hello_write_error "rc=$rc"; fi
if native; then
    nm -n --defined-only "$floor" > "$TMP/floor.syms"
    vdso_steps() { "$REFS/stepcount" "$TMP/floor.syms" "$@" 2>&1 >/dev/null |
        awk '$3 == "syscall" { print $2 }'; }
    a=$(vdso_steps "$floor")
    b=$(LINUX_GATE_SYSCALL=int80 vdso_steps "$floor")
    c=$(LINUX_GATE_SYSCALL=int800 vdso_steps "$floor")
    if [ "${a:-0}" -gt 0 ] && [ "$b" = 0 ] && [ "${c:-0}" -gt 0 ]; then ok floor_hello_switch; else
        fail floor_hello_switch "vDSO steps: default=$a int80=$b int800=$c"; fi
fi

# scripts/size's figures are strip(1) and stat(1) of the same files; no W+X segment.
if native; then
    "$ROOT/scripts/size" > "$TMP/size" 2>&1
    # Every row's "stripped" column: the number after the first number (unstripped).
    bad=""
    for pair in "exit only|$RELEASE/bench-exit" "hello: write+exit|$RELEASE/hello" \
        "hello: println!|$RELEASE/bench-println" "cat |$RELEASE/cat" "sh |$RELEASE/sh" \
        "hand asm hello|$REFS/hello-asm" "hand asm, hello's|$REFS/hello-floor" \
        "glibc 2.36 static|$REFS/hello-glibc"; do
        label=${pair%%|*} file=${pair#*|}
        strip -o "$TMP/s" "$file"
        want=$(stat -c %s "$TMP/s")
        got=$(awk -v l="$label" 'index($0, l) == 1 {
            for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { print $(i + 1); exit } }' "$TMP/size")
        [ "$got" = "$want" ] || bad="$bad $label: $got != $want;"
    done
    if [ -z "$bad" ]; then ok size_table_matches_strip; else fail size_table_matches_strip "$bad"; fi
    if grep -q 'W+X' "$TMP/size"; then fail size_no_wx "see scripts/size"; else ok size_no_wx; fi
    # The section-header-less hello: runs, readelf -l reads it, gdb steps through it.
    ss=$REFS/size/hello.sstrip
    [ "$("$ss")" = "Hello, world!" ] && readelf -lW "$ss" | grep -q 'LOAD.* R E ' &&
        [ "$(readelf -hW "$ss" | awk '/Number of section headers/ { print $NF }')" = 0 ]
    passed size_sstrip_runs_and_reads
    entry=$(readelf -hW "$ss" | awk '/Entry point/ { print $NF }')
    gdb -q -batch -ex starti -ex 'p/x $pc' -ex 'x/i $pc' -ex stepi -ex 'p/x $pc' "$ss" > "$TMP/g" 2>&1
    # x/i at the entry disassembles _start's first instruction, `xor %ebp,%ebp`.
    if grep -q "= $entry\$" "$TMP/g" && grep -c '^\$[0-9] = 0x' "$TMP/g" | grep -q 2 &&
        grep -q "^=> $entry:.*xor  *%ebp,%ebp" "$TMP/g"; then
        ok size_sstrip_gdb; else fail size_sstrip_gdb "$(tail -3 "$TMP/g")"; fi
fi

# scripts/bench-cat: one run of 1 MB; catbench checks the pipe got every byte and the
# status; the table has a null and a pipe row with positive figures.
if native; then
    BENCH_CAT_RUNS=1 "$ROOT/scripts/bench-cat" 1 > "$TMP/cat" 2>&1; rc=$?
    rows=$(awk '$1 == 1 && $2 == "MB" && ($3 == "null" || $3 == "pipe") && $5 > 0 && $6 > 0 && $7 > 0 { n++ } END { print n + 0 }' "$TMP/cat")
    if [ $rc = 0 ] && [ "$rows" = 2 ]; then ok bench_cat_sweep_rows; else
        fail bench_cat_sweep_rows "rc=$rc rows=$rows: $(cat "$TMP/cat")"; fi
    # catbench itself: a program that writes too little through the pipe is caught.
    head -c 1000 /dev/zero > "$TMP/k"
    if "$REFS/catbench" "$TMP/k" 1 /bin/true > /dev/null 2>&1; then
        fail catbench_detects_short_output "accepted /bin/true"; else ok catbench_detects_short_output; fi
fi

# The instruction counter: positive, and the same twice for a deterministic loop; the
# difference of two loop lengths is a whole number per call. bench-count runs everywhere.
out=$(run "$RELEASE/bench-count" asm-int80 10); rc=$?
if [ $rc = 0 ] && [ -z "$out" ]; then ok bench_count_runs; else fail bench_count_runs "rc=$rc"; fi
if native; then
    a=$("$REFS/stepcount" - "$RELEASE/bench-count" getppid 100)
    b=$("$REFS/stepcount" - "$RELEASE/bench-count" getppid 100)
    c=$("$REFS/stepcount" - "$RELEASE/bench-count" getppid 200)
    if [ "$a" -gt 0 ] && [ "$a" = "$b" ] && [ "$c" -gt "$a" ] && [ $(((c - a) % 100)) = 0 ]; then
        ok stepcount_consistent; else fail stepcount_consistent "$a $b $c"; fi
    # marker mode: 20 clock reads give 19 intervals of a positive length.
    off=$("$RELEASE/vdso-syms" | awk '$NF == "__vdso_clock_gettime64" { print $1 }')
    set -- $("$REFS/stepcount" "@$off" "$RELEASE/bench-count" clock 20)
    if [ "${1:-0}" -gt 0 ] && [ "${2:-0}" = 19 ]; then ok stepcount_vdso_marker; else
        fail stepcount_vdso_marker "$*"; fi
    "$REFS/stepcount" - "$RELEASE/bench-count" no-such-loop 1 2>/dev/null >/dev/null
    if [ $? = 1 ]; then ok stepcount_reports_failure; else fail stepcount_reports_failure "status $?"; fi
    scripts_out=$("$ROOT/scripts/bench-count" 2>&1); rc=$?
    n=$(echo "$scripts_out" | awk 'NF >= 3 && $(NF-1) ~ /^[0-9.]+$/ && $(NF-1) > 0 { n++ } END { print n + 0 }')
    if [ $rc = 0 ] && [ "$n" -ge 9 ]; then ok bench_count_table; else
        fail bench_count_table "rc=$rc rows=$n: $scripts_out"; fi
fi

# bench-sh: both shells read a 1 MB line and print "done" (it exits 1 otherwise); two rows.
if native; then
    out=$(BENCH_SH_RUNS=1 "$ROOT/scripts/bench-sh" 1); rc=$?
    rows=$(echo "$out" | grep -c '^1 MB  *\(word\|comment\)  *1  *[0-9]\+  *[0-9]\+  *[0-9.]\+$')
    if [ $rc = 0 ] && [ "$rows" = 2 ]; then ok bench_sh_rows; else fail bench_sh_rows "rc=$rc rows=$rows: $out"; fi
fi
