# Threads seen from outside: strace -f shows set_thread_area with entry -1 and the kernel's
# GDT choice, then clone with glibc's thread flags and CLONE_SETTLS's user_desc; hello makes
# neither call (no threads, no thread-locals). Under qemu-i386, qemu's own -strace shows
# the same two calls. The C example's __thread copies stay apart; glibc's pthreads do the
# same set_thread_area and clone flags (compared when gcc -m32 -static works).
. "$(dirname "$0")/lib.sh"

FLAGS='CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID'
if native; then
    # -ff: one file per thread, so no call is split into <unfinished ...> and <... resumed>.
    strace -ff -o "$TMP/st" "$RELEASE/threads" 2 10 > "$TMP/out" 2>&1
    cat "$TMP"/st.* > "$TMP/st"
    sta=$(grep -c 'set_thread_area({entry_number=-1, base_addr=0x[0-9a-f]*, limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) = 0 (entry_number=1[234])' "$TMP/st")
    [ "$sta" = 1 ] && ok strace_set_thread_area_once_entry_minus_1 ||
        { fail strace_set_thread_area_once_entry_minus_1 "count $sta"; grep set_thread_area "$TMP/st"; }
    clones=$(grep -c "clone(child_stack=0x[0-9a-f]*, flags=$FLAGS, parent_tid=\[[0-9]*\], tls={entry_number=1[234], base_addr=0x[0-9a-f]*, limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}, child_tidptr=0x[0-9a-f]*) = [0-9]*" "$TMP/st")
    [ "$clones" = 2 ] && ok strace_clone_flags_and_user_desc ||
        { fail strace_clone_flags_and_user_desc "count $clones"; grep clone "$TMP/st"; }
    # Each thread ends with exit (not exit_group), the process with one exit_group.
    ex=$(grep -c '^exit(0)' "$TMP/st"); eg=$(grep -c '^exit_group(0)' "$TMP/st")
    [ "$ex" = 2 ] && [ "$eg" = 1 ] && ok strace_threads_exit_process_exit_group ||
        fail strace_threads_exit_process_exit_group "exit $ex, exit_group $eg"
    strace -f -o "$TMP/hello" "$RELEASE/hello" > /dev/null 2>&1
    if grep -q 'set_thread_area\|clone' "$TMP/hello"; then fail hello_makes_no_tls_calls "$(cat "$TMP/hello")"
    else ok hello_makes_no_tls_calls; fi
    # glibc's pthread_create uses the same flags (its clone3 falls back to clone on i386 ...
    # when it does not, compare clone3's flags).
    if printf '#include <pthread.h>\nstatic void *f(void *a){return a;}\nint main(void){pthread_t t;pthread_create(&t,0,f,0);return pthread_join(t,0);}\n' > "$TMP/p.c" &&
        gcc -m32 -static -O2 -o "$TMP/p" "$TMP/p.c" -pthread 2>/dev/null; then
        strace -f -o "$TMP/pst" "$TMP/p"
        g=$(grep -o 'flags=CLONE_VM[A-Z_|]*' "$TMP/pst" | head -1 | tr '|' '\n' | sort | tr '\n' ' ')
        o=$(echo "flags=$FLAGS" | tr '|' '\n' | sort | tr '\n' ' ')
        [ "$g" = "$o" ] && ok clone_flags_equal_glibc_pthread_create || fail clone_flags_equal_glibc_pthread_create "glibc: $g ours: $o"
    fi
else
    qemu-i386 -strace "$RELEASE/threads" 2 10 > "$TMP/out" 2> "$TMP/st"
    grep -q 'set_thread_area(' "$TMP/st" && ok qemu_strace_set_thread_area || fail qemu_strace_set_thread_area "$(head -5 "$TMP/st")"
    grep -q 'clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID' "$TMP/st" &&
        ok qemu_strace_clone_flags || fail qemu_strace_clone_flags "$(grep clone "$TMP/st" | head -2)"
fi
tail -1 "$TMP/out" | grep -qx 'total: 20' && ok threads_example_under_strace || fail threads_example_under_strace "$(cat "$TMP/out")"

out=$(run "$RELEASE/c-threads"); rc=$?
want='thread 0: counter 1100, slots zero at start
thread 1: counter 2100, slots zero at start
thread 2: counter 3100, slots zero at start
thread 3: counter 4100, slots zero at start
main: counter 101, slot 0 42'
[ $rc = 0 ] && [ "$out" = "$want" ] && ok c_thread_locals_per_thread || fail c_thread_locals_per_thread "rc=$rc out=$out"

# The trace feature decodes clone as strace does (same run, under strace -f natively): the
# child stack, glibc's flags, the new tid, the TLS user_desc and the clear-tid word. The
# bracket says int80: the clone trampoline never goes through the vDSO. And the start-up
# set_thread_area, through the vDSO like every other call.
if native; then
    TDIR=$ROOT/target/trace
    if (cd "$ROOT" && cargo build -q --features trace --target-dir "$TDIR" --example threads); then
        # -ff: one file per thread, so a clone line is never split by another thread's.
        LINUX_GATE_TRACE=1 strace -ff -o "$TMP/stc" -e trace=clone,set_thread_area \
            "$TDIR/$TRIPLE/debug/examples/threads" 2 10 > /dev/null 2> "$TMP/tr"
        want=$(cat "$TMP"/stc.* | grep '^clone(' | sort)
        got=$(grep '^clone(' "$TMP/tr" | sed 's/ \[int80\]$//' | sort)
        n=$(grep -c '^clone(.* \[int80\]$' "$TMP/tr")
        if [ -n "$want" ] && [ "$want" = "$got" ] && [ "$n" = 2 ]; then
            ok trace_decodes_clone_as_strace
        else
            fail trace_decodes_clone_as_strace "want: $want got: $got ($n int80 lines)"
        fi
        # set_thread_area: the main thread's one call, made after the trace is on: the -1
        # asked for in the user_desc, then the slot the kernel chose, as strace prints them.
        want=$(cat "$TMP"/stc.* | grep '^set_thread_area(')
        got=$(grep '^set_thread_area(' "$TMP/tr" | sed 's/ \[vsyscall\]$//')
        if [ -n "$want" ] && [ "$want" = "$got" ] && [ "$(echo "$got" | wc -l)" = 1 ] &&
            grep -q '^set_thread_area({entry_number=-1,.*) = 0 (entry_number=[0-9]*) \[vsyscall\]$' "$TMP/tr"; then
            ok trace_decodes_set_thread_area_as_strace
        else
            fail trace_decodes_set_thread_area_as_strace "want: $want got: $(grep set_thread_area "$TMP/tr")"
        fi
    else
        fail trace_decodes_clone_as_strace "cargo build --features trace"
    fi
    # Every thread's calls are traced, none dropped: 8 threads printing 200 lines each
    # (their writes and the futex waits and wakes of the stdout lock), counted by strace -f
    # in the same run. (Under strace each call stops the thread, so lines overlap often.)
    if (cd "$ROOT" && cargo build -q --features trace --target-dir "$TDIR" --example thread-cases); then
        LINUX_GATE_TRACE=1 strace -f -qq -o "$TMP/stp" "$TDIR/$TRIPLE/debug/examples/thread-cases" print 8 \
            > "$TMP/pout" 2> "$TMP/ptr"
        bad=
        for call in 'write(1, ' 'futex(' 'clone(' 'mmap2('; do
            s_n=$(grep -c "^[0-9]*  *$call" "$TMP/stp")
            t_n=$(grep -c "^$call.*) = .* \[[a-z0-9]*\]$" "$TMP/ptr")
            [ "$s_n" = "$t_n" ] || bad="$bad $call strace $s_n trace $t_n;"
        done
        lines=$(wc -l < "$TMP/pout")
        n_write=$(grep -c "^[0-9]*  *write(1, " "$TMP/stp")
        if [ -z "$bad" ] && [ "$lines" = 1600 ] && [ "$n_write" -gt 1 ]; then
            ok trace_every_thread_every_call
        else
            fail trace_every_thread_every_call "$bad stdout $lines lines, $n_write writes"
        fi
    else
        fail trace_every_thread_every_call "cargo build --features trace"
    fi
fi
