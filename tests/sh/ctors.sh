# Constructors and destructors (src/init.rs, src/exit.rs), against glibc: c/c-ctors.c is
# built a second time with gcc -m32 -static against glibc, and both must print the same
# lines in the same order and exit the same way, for each way of ending (return from main,
# exit, _exit, a signal). The Rust shim's own lines (`rust …`) are checked for their place.
# Then readelf: the arrays sit in the R+W segment, and hello has none and no runner.
. "$(dirname "$0")/lib.sh"
wx_count() { readelf -lW "$1" | awk '$1 ~ /^(LOAD|GNU_STACK)$/ && / RWE /' | wc -l; }

# The same file name for both, run from their own folders: argv[0] is printed.
mkdir -p "$TMP/lg" "$TMP/glibc"
if ! gcc -m32 -static -O2 -DGLIBC_REFERENCE -o "$TMP/glibc/c-ctors" "$ROOT/c/c-ctors.c"; then
    fail ctors_glibc_reference "gcc -m32 -static failed"
    exit 0
fi

for b in "$DEBUG" "$RELEASE"; do
    build=$(basename "$(dirname "$b")")
    cp "$b/c-ctors" "$TMP/lg/c-ctors"
    for how in return exit _exit signal; do
        name=ctors_${how}_$build
        # (In an inner shell whose stderr is a file: it says "Terminated" for the signal case.)
        inner='cd "$1" && shift && env -i A=1 B=2 "$@"; exit $?'
        sh -c "$inner" sh "$TMP/lg" $RUNNER ./c-ctors one "$how" > "$TMP/lg.out" 2> "$TMP/err"
        lg_rc=$?
        sh -c "$inner" sh "$TMP/glibc" $RUNNER ./c-ctors one "$how" > "$TMP/glibc.out" 2> "$TMP/err"
        glibc_rc=$?
        grep -v '^rust' "$TMP/lg.out" > "$TMP/lg.c"
        if [ "$lg_rc" != "$glibc_rc" ]; then
            fail "$name" "status $lg_rc, glibc's $glibc_rc"
        elif ! diff -u "$TMP/glibc.out" "$TMP/lg.c"; then
            fail "$name" "C lines differ from glibc's (diff above)"
        elif [ "$(wc -l < "$TMP/glibc.out")" -lt 2 ]; then
            fail "$name" "glibc reference printed nothing"
        else
            ok "$name"
        fi
        # The Rust entries: the constructor is an unnumbered .init_array entry of the shim,
        # which links before the C library: after the prioritised constructors, before the
        # unnumbered C ones. Its at_exit hook runs first at exit, then the destructors,
        # backwards: the C library's unnumbered ones, the shim's, the prioritised ones.
        # _exit and the signal run neither.
        case $how in
            return|exit) want='constructor(300) rust-constructor constructor main rust-at_exit destructor rust-destructor destructor(300)' ;;
            *) want='constructor(300) rust-constructor constructor main' ;;
        esac
        got=$(awk '/^rust constructor/ { print "rust-constructor" }
            /^rust at_exit/ { print "rust-at_exit" }
            /^rust destructor/ { print "rust-destructor" }
            /^constructor\(300\)/ { print "constructor(300)" }
            /^constructor:/ { print "constructor" }
            $0 == "main" || $0 == "destructor" || $0 == "destructor(300)" { print }' "$TMP/lg.out" | tr '\n' ' ')
        got=${got% }
        check "ctors_rust_order_${how}_$build" [ "$got" = "$want" ]
        [ "$got" = "$want" ] || echo "want: $want" "got: $got"
        grep -q 'rust constructor: (argc, argv, envp) as on the initial stack' "$TMP/lg.out" ||
            fail "ctors_rust_arguments_${how}_$build" "$(grep '^rust constructor' "$TMP/lg.out")"
    done

    # readelf: the arrays are in the RW PT_LOAD, not the R E one; two PT_LOADs, no W+X.
    f=$b/c-ctors
    segs=$(readelf -lW "$f" | awk '$1 == "LOAD" { f=""; for (i=7;i<NF;i++) f=f $i; print f }' | tr '\n' ' ')
    rw_sections=$(readelf -lW "$f" | awk '/Section to Segment mapping/ {m=1} m && $1 == "01" { $1=""; print }')
    case " $rw_sections " in
        *" .init_array "*) in_rw=yes ;;
        *) in_rw=no ;;
    esac
    types=$(readelf -SW "$f" | sed -n 's/^ *\[ *[0-9]*\] *//p' | awk '$1 == ".init_array" { print $2, $7 }')
    check "ctors_arrays_in_rw_segment_$build" [ "$segs" = "RE RW " -a "$in_rw" = yes -a "$types" = "INIT_ARRAY WA" -a "$(wx_count "$f")" = 0 ]
    [ "$in_rw" = yes ] || echo "segments: $segs; RW holds: $rw_sections; .init_array: $types"

    # hello: no arrays, so no such section, and both runners are the lone `ret` (linker.ld
    # discarded the loops).
    secs=$(readelf -SW "$b/hello" | grep -c 'init_array\|fini_array')
    addrs=$(nm "$b/hello" | awk '$3 ~ /^__linux_gate_(run_init|run_fini|ret)$/ { print $1 }' | tr '\n' ' ')
    set -- $addrs
    check "ctors_none_in_hello_$build" [ "$secs" = 0 -a $# = 3 -a "${1:-}" = "${2:-}" -a "${2:-}" = "${3:-}" ]
done
