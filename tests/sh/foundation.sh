# Foundation checks with independent tools: strace, file, readelf, glibc's LD_SHOW_AUXV.
. "$(dirname "$0")/lib.sh"

# hello prints exactly "Hello, world!\n" and exits 0, both builds.
for b in "$DEBUG" "$RELEASE"; do
    out=$(run "$b/hello"); rc=$?
    check "hello_output_$(basename "$(dirname "$b")")" [ "$out" = "Hello, world!" -a $rc = 0 ]
done

if native; then
    # strace: exactly the write and the exit_group, nothing failing.
    strace -f -o "$TMP/st" "$RELEASE/hello" > /dev/null
    # strace pads the " = result" column; squeeze the padding.
    grep -v '^[0-9]* *execve(' "$TMP/st" | sed 's/^[0-9]* *//; s/) *= /) = /' > "$TMP/calls"
    printf '%s\n' 'write(1, "Hello, world!\n", 14) = 14' 'exit_group(0) = ?' '+++ exited with 0 +++' > "$TMP/want"
    if diff -u "$TMP/want" "$TMP/calls"; then ok strace_hello; else fail strace_hello "unexpected syscalls"; fi
    # every syscall of the auxv example succeeds (no "= -1"), except the TCGETS probe by
    # which stdout learns it is not a terminal (and so buffers fully: one write).
    strace -f -o "$TMP/st2" "$RELEASE/auxv" > /dev/null
    errs=$(grep '= -1 ' "$TMP/st2" | grep -v 'ioctl(1, TCGETS, .* = -1 ENOTTY')
    writes=$(grep -c '^[0-9]* *write(1,' "$TMP/st2")
    if [ -z "$errs" ] && [ "$writes" = 1 ]; then ok strace_auxv; else fail strace_auxv "errors: $errs; writes: $writes"; fi
fi

# file(1): 32-bit static executables.
for e in hello auxv args mechanism; do
    f=$(file -b "$RELEASE/$e")
    case $f in
        "ELF 32-bit LSB executable, Intel 80386"*"statically linked"*) ok "file_$e" ;;
        *) fail "file_$e" "$f" ;;
    esac
done

# readelf: no segment both writable and executable; GNU_STACK present and not executable;
# exactly two PT_LOADs (R E and RW).
for b in "$DEBUG" "$RELEASE"; do
    for e in hello auxv; do
        segs=$(readelf -lW "$b/$e" | awk '$1 ~ /^(LOAD|GNU_STACK)$/ { f=""; for (i=7;i<NF;i++) f=f $i; print $1, f }')
        wx=$(printf '%s\n' "$segs" | awk '$2 ~ /W/ && $2 ~ /E/')
        stack=$(printf '%s\n' "$segs" | awk '$1=="GNU_STACK" {print $2}')
        loads=$(printf '%s\n' "$segs" | awk '$1=="LOAD" {print $2}' | tr '\n' ' ')
        name=segments_${e}_$(basename "$(dirname "$b")")
        if [ -z "$wx" ] && [ "$stack" = RW ] && [ "$loads" = "RE RW " ]; then ok "$name"; else fail "$name" "$segs"; fi
    done
done

# Size (issue 6): after `strip`, hello keeps four section headers (NULL, .text, .bss,
# .shstrtab): read-only data is merged into .text, the syscall entry is in .bss, no .data,
# .comment, .eh_frame or notes. Its loaded bytes (headers + .text: the file without the
# section header table) fit in 512; println!+heap hello, stripped, in 8 KiB.
strip -o "$TMP/hello.strip" "$RELEASE/hello"
strip -o "$TMP/println.strip" "$RELEASE/bench-println"
secs=$(readelf -SW "$TMP/hello.strip" | sed -n 's/^ *\[ *[1-9][0-9]*\] *\([^ ]*\).*/\1/p' | tr '\n' ' ')
check sections_hello_stripped [ "$secs" = ".text .bss .shstrtab " ]
loaded=$(readelf -lW "$TMP/hello.strip" | while read -r t off _v _p fs _r; do
    [ "$t" = LOAD ] && echo $((off + fs)); done | sort -n | tail -1)
check size_hello_loaded_le_512 [ "$loaded" -le 512 ]
check size_println_stripped_le_8192 [ "$(stat -c %s "$TMP/println.strip")" -le 8192 ]

# auxv prints the same lines as glibc's LD_SHOW_AUXV=1 for keys whose values do not depend
# on the binary or ASLR, and the same label/format for the others.
if native && gcc -m32 -o "$TMP/glibc-true" -x c - <<'C' 2>/dev/null
int main(void) { return 0; }
C
then
    LD_SHOW_AUXV=1 "$TMP/glibc-true" > "$TMP/glibc"
    "$RELEASE/auxv" > "$TMP/ours"
    stable='^AT_(HWCAP|HWCAP2|PAGESZ|CLKTCK|UID|EUID|GID|EGID|SECURE|PLATFORM|MINSIGSTKSZ|FLAGS|PHENT|\?\?\?)'
    grep -E "$stable" "$TMP/glibc" > "$TMP/g1"; grep -E "$stable" "$TMP/ours" > "$TMP/o1"
    if diff -u "$TMP/g1" "$TMP/o1"; then ok auxv_matches_glibc_values; else fail auxv_matches_glibc_values "differs"; fi
    shape() { sed -E 's/0x[0-9a-f]+$/0xHEX/; s/: ( *)[0-9]+$/: \1DEC/; s/^(AT_EXECFN: *).*/\1PATH/' "$1"; }
    # AT_BASE is 0 for a static binary (no interpreter) and an address for glibc's dynamic one.
    shape "$TMP/glibc" | grep -v '^AT_BASE:' > "$TMP/g2"; shape "$TMP/ours" | grep -v '^AT_BASE:' > "$TMP/o2"
    if diff -u "$TMP/g2" "$TMP/o2"; then ok auxv_matches_glibc_format; else fail auxv_matches_glibc_format "differs"; fi
    # Keys this kernel never passes: tests/sh/auxv-rewrite.c gives AT_FLAGS's entry another
    # key (string keys get AT_PLATFORM's pointer) in both programs' initial stacks, and the
    # line after AT_BASE must be the same — or absent in both (AT_IGNORE, AT_IGNOREPPC).
    # Keys the loader acts on (PHDR, ENTRY, RANDOM, SECURE, SYSINFO…) are left out.
    if gcc -O2 -static -o "$TMP/auxv-rewrite" "$ROOT/tests/sh/auxv-rewrite.c" 2>/dev/null; then
        # The line after AT_BASE; AT_ENTRY's address differs between the two programs.
        after_base() { sed -n '/^AT_BASE:/{n;p}' | sed 's/^\(AT_ENTRY: *\)0x[0-9a-f]*$/\1ADDR/'; }
        bad=""
        for k in 1 2 8 10 11 12 13 14 15 17 18 19 20 21 22 24 26 27 28 29 30 31 34 35 36 37 \
            38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 60 64; do
            case $k in 15|24|31) v=@15 ;; *) v=0x123 ;; esac
            g=$(LD_SHOW_AUXV=1 "$TMP/auxv-rewrite" "8=$k:$v" -- "$TMP/glibc-true" | after_base)
            o=$("$TMP/auxv-rewrite" "8=$k:$v" -- "$RELEASE/auxv" | after_base)
            [ -n "$o" ] && [ "$g" = "$o" ] || bad="$bad key $k: glibc '$g' ours '$o';"
        done
        if [ -z "$bad" ]; then ok auxv_every_key_as_glibc; else fail auxv_every_key_as_glibc "$bad"; fi
    else
        fail auxv_every_key_as_glibc "gcc -static auxv-rewrite.c failed"
    fi
    # AT_EXECFN is the path we were executed by
    p=$(sed -n 's/^AT_EXECFN: *//p' "$TMP/ours")
    check auxv_execfn [ "$p" = "$RELEASE/auxv" ]
else
    # qemu: the auxv is qemu's own; check it agrees with the values qemu reports to itself.
    out=$(run "$RELEASE/auxv")
    echo "$out" | grep -q '^AT_PAGESZ:            4096$' && ! echo "$out" | grep -q '^AT_SYSINFO' 
    check auxv_qemu_no_sysinfo [ $? = 0 ]
fi

# A real AT_SECURE exec: root runs a copy of `mechanism` that is setuid to nobody (euid !=
# uid, so the kernel sets AT_SECURE=1). LINUX_GATE_SYSCALL=int80 must then be ignored.
if native && [ "$(id -u)" = 0 ]; then
    d=$(mktemp -d /var/tmp/lg-suid.XXXXXX)   # /tmp may be mounted nosuid
    cp "$RELEASE/mechanism" "$RELEASE/auxv" "$d/" && chmod 755 "$d" && chown nobody "$d/mechanism" "$d/auxv" && chmod u+s "$d/mechanism" "$d/auxv"
    secure=$("$d/auxv" | sed -n 's/^AT_SECURE: *//p')
    forced=$(LINUX_GATE_SYSCALL=int80 "$d/mechanism" | cut -d' ' -f1)
    plain_forced=$(LINUX_GATE_SYSCALL=int80 "$RELEASE/mechanism" | cut -d' ' -f1)
    rm -rf "$d"
    if [ "$secure" = 1 ] && [ "$forced" = vsyscall ] && [ "$plain_forced" = int80 ]; then
        ok at_secure_ignores_switch
    else
        fail at_secure_ignores_switch "AT_SECURE=$secure setuid:$forced plain:$plain_forced"
    fi
fi

# Six arguments over a real kernel's int 0x80: qemu-i386 has no vDSO, but its int 0x80 is
# emulated, so natively run the foundation tests for mmap2 (six arguments, arg 6 in ebp; a
# result above 0x80000000) with LINUX_GATE_SYSCALL=int80. mechanism_matches_environment
# (and the mmap2 test itself) assert that the mechanism then is int80 despite AT_SYSINFO.
# The binary's own "test … ok" lines stay in a file (scripts/test counts such lines).
if native; then
    exe=$(cd "$ROOT" && cargo test -q --test foundation --no-run --message-format=json 2>/dev/null |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
    if [ -n "$exe" ] && [ -x "$exe" ]; then
        LINUX_GATE_QEMU=0 LINUX_GATE_SYSCALL=int80 "$exe" mmap2_ mechanism_matches_environment \
            > "$TMP/int80.out" 2>&1
        rc=$?
        passed=$(grep -c -e '^test mmap2_six_args_round_trip \.\.\. ok$' \
            -e '^test mmap2_high_address_is_not_an_error \.\.\. ok$' \
            -e '^test mechanism_matches_environment \.\.\. ok$' "$TMP/int80.out")
        if [ $rc = 0 ] && [ "$passed" = 3 ] && grep -q '^test result: ok\. 3 passed, 0 failed$' "$TMP/int80.out"; then
            ok native_int80_six_args
        else
            sed 's/^/  | /' "$TMP/int80.out"
            fail native_int80_six_args "exit $rc, $passed of 3 tests ok"
        fi
    else
        fail native_int80_six_args "foundation test binary not found"
    fi
fi
