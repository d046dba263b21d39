# The vDSO tools against binutils on the same bytes: vdso-dump's file is what objdump -T,
# objdump -d and file(1) read; vdso-syms must equal objdump -T's output line for line, and
# vsyscall-info's listing objdump -d's. Under qemu-i386 (no vDSO) every tool must say so
# and exit 1.
. "$(dirname "$0")/lib.sh"

# vsyscall-info --decode: the byte patterns __kernel_vsyscall has had — the 2005 article's
# (sysenter, 7 nops, the restart jmp), today's Intel and AMD ones, and a CPU with neither
# fast path (multi-byte nop padding, then int $0x80) — listed like objdump -D of the same
# bytes, with the entry instruction named. Needs no vDSO, so it runs under qemu too.
decode_case() { # NAME ADDR ENTRY HEX...
    name=$1 addr=$2 want=$3; shift 3
    for b; do printf "\\$(printf '%03o' "0x$b")"; done > "$TMP/$name.bin"
    objdump -D -b binary -m i386 --adjust-vma=0x$addr "$TMP/$name.bin" |
        grep -E '^ *[0-9a-f]+:' | sed 's/^ *//; s/jmp    0x/jmp    /' > "$TMP/$name.objdump"
    out=$(run "$RELEASE/vsyscall-info" --decode "$addr" "$@"); rc=$?
    printf '%s\n' "$out" | grep -E '^ *[0-9a-f]+:' | sed 's/^ *//' > "$TMP/$name.ours"
    named=$(printf '%s\n' "$out" | sed -n 's/^entry instruction: *//p')
    if [ $rc = 0 ] && [ -s "$TMP/$name.objdump" ] && diff -u "$TMP/$name.objdump" "$TMP/$name.ours" &&
        case $named in "$want"*) true ;; *) false ;; esac; then ok "vsyscall_info_decode_$name"; else
        fail "vsyscall_info_decode_$name" "rc=$rc entry='$named', want '$want'"; fi
}
decode_case article_2005 ffffe400 sysenter 51 52 55 89 e5 0f 34 90 90 90 90 90 90 90 eb f3 5d 5a 59 c3
decode_case intel 5e0 sysenter 51 52 55 89 e5 0f 34 cd 80 5d 5a 59 c3
decode_case amd 5e0 syscall 51 52 55 89 cd 0f 05 cd 80 5d 5a 59 c3
decode_case int80_only 5e0 'int $0x80' 51 52 55 0f 1f 40 00 cd 80 5d 5a 59 c3
decode_case nop_forms 5e0 'int $0x80' 0f 1f 00 0f 1f 44 00 00 66 0f 1f 44 00 00 66 90 90 cd 80 c3
out=$(run "$RELEASE/vsyscall-info" --decode 0 zz 2>&1); rc=$?
if [ $rc = 2 ] && [ "$out" = "vsyscall-info: not a hex byte: zz" ]; then ok vsyscall_info_decode_bad_input; else
    fail vsyscall_info_decode_bad_input "rc=$rc out=$out"; fi

if ! native; then
    for t in vdso-dump vdso-syms vsyscall-info maps; do
        out=$(cd "$TMP" && run "$RELEASE/$t" 2>&1 >/dev/null); rc=$?
        case $out in
            *"no vDSO"*|*"no [vdso]"*) [ $rc = 1 ] && ok "qemu_no_vdso_$t" || fail "qemu_no_vdso_$t" "rc=$rc" ;;
            *) fail "qemu_no_vdso_$t" "rc=$rc stderr=$out" ;;
        esac
    done
    if [ -e "$TMP/linux-gate.dso.1" ]; then fail qemu_dump_writes_nothing "file created"; else ok qemu_dump_writes_nothing; fi
    exit 0
fi

cd "$TMP" || exit 1
"$RELEASE/vdso-dump" > dump.out 2>&1; rc=$?
size=$(stat -c %s linux-gate.dso.1 2>/dev/null)
if [ $rc = 0 ] && grep -q "wrote $size bytes to linux-gate.dso.1" dump.out; then ok vdso_dump_writes_file; else
    cat dump.out; fail vdso_dump_writes_file "rc=$rc size=$size"; fi

# file(1), as in the 2005 article: a 32-bit i386 shared object.
f=$(file -b linux-gate.dso.1)
case $f in
    "ELF 32-bit LSB shared object, Intel 80386, version 1 (SYSV)"*) ok vdso_dump_file_type ;;
    *) fail vdso_dump_file_type "$f" ;;
esac

# objdump -T and vdso-syms: identical, header and all.
objdump -T linux-gate.dso.1 > objdump.out 2>&1
"$RELEASE/vdso-syms" > syms.out 2>&1
if [ -s objdump.out ] && diff -u objdump.out syms.out; then ok vdso_syms_equals_objdump_T; else
    fail vdso_syms_equals_objdump_T "differs from objdump -T"; fi
n=$(grep -c ' g    DF .text' syms.out)
if [ "$n" -ge 8 ]; then ok vdso_syms_functions; else fail vdso_syms_functions "only $n functions"; fi

# readelf's view of the versions: the two version names vdso-syms printed.
vers=$(readelf -V linux-gate.dso.1 | sed -n 's/.*Name: \(LINUX_[0-9.]*\).*/\1/p' | sort -u | tr '\n' ' ')
if [ "$vers" = "LINUX_2.5 LINUX_2.6 " ]; then ok vdso_versions_readelf; else fail vdso_versions_readelf "$vers"; fi

# vsyscall-info: its listing equals objdump -d over __kernel_vsyscall's bytes.
"$RELEASE/vsyscall-info" > info.out 2>&1; rc=$?
start=$(awk '$NF == "__kernel_vsyscall" { print $1 }' objdump.out)
len=$(awk '$NF == "__kernel_vsyscall" { print $5 }' objdump.out)
if [ -z "$start" ] || [ -z "$len" ]; then
    fail vsyscall_info_equals_objdump_d "no __kernel_vsyscall in objdump -T"; exit 0
fi
stop=$(printf '0x%x' $((0x$start + 0x$len)))
objdump -d --start-address=0x$start --stop-address=$stop linux-gate.dso.1 | grep -E '^ +[0-9a-f]+:' > dis.objdump
grep -E '^ +[0-9a-f]+:' info.out > dis.ours
if [ $rc = 0 ] && [ -s dis.objdump ] && diff -u dis.objdump dis.ours; then ok vsyscall_info_equals_objdump_d; else
    cat info.out; fail vsyscall_info_equals_objdump_d "rc=$rc"; fi
# The entry instruction it names is the one objdump finds first.
first=$(grep -oE 'sysenter|syscall|int +\$0x80' dis.objdump | head -1 | tr -s ' ')
named=$(sed -n 's/^entry instruction: *\([a-z]*\( \$0x80\)\{0,1\}\).*/\1/p' info.out)
if [ -n "$first" ] && [ "$first" = "$named" ]; then ok vsyscall_info_entry_instruction; else
    fail vsyscall_info_entry_instruction "objdump: '$first', vsyscall-info: '$named'"; fi
# AT_SYSINFO (as glibc's LD_SHOW_AUXV prints it for a 32-bit program) minus the vDSO base is
# __kernel_vsyscall's objdump address.
# (A dynamic glibc program: the static one ignores LD_SHOW_AUXV.)
if printf 'int main(void){return 0;}\n' > t.c && gcc -m32 -o t t.c 2>/dev/null; then
    aux=$(LD_SHOW_AUXV=1 ./t)
    sysinfo=$(echo "$aux" | awk '$1 == "AT_SYSINFO:" { print $2 }')
    ehdr=$(echo "$aux" | awk '$1 == "AT_SYSINFO_EHDR:" { print $2 }')
    if [ $((sysinfo - ehdr)) = $((0x$start)) ]; then ok at_sysinfo_is_kernel_vsyscall_glibc; else
        fail at_sysinfo_is_kernel_vsyscall_glibc "AT_SYSINFO $sysinfo - EHDR $ehdr != 0x$start"; fi
fi
