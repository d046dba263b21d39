# A user's own crate in one command (scripts/new-crate), then its `make run` and
# `make test`, each of which works natively and under qemu-i386. Run once, in the native
# pass (the crate's own targets cover both worlds). The build is cached in
# target/new-crate so that later runs are quick.
. "$(dirname "$0")/lib.sh"
native || exit 0
CRATE=$TMP/my-new-tool
if "$ROOT/scripts/new-crate" "$CRATE" > "$TMP/out" 2>&1 && [ -f "$CRATE/Cargo.toml" ] &&
    [ -x "$CRATE/scripts/runner" ] && [ -f "$CRATE/tests/my_new_tool.rs" ]; then
    ok new_crate_created
else
    cat "$TMP/out"; fail new_crate_created "scripts/new-crate failed"; exit 0
fi
# A second run onto the same, now non-empty, directory refuses.
if "$ROOT/scripts/new-crate" "$CRATE" >/dev/null 2>&1; then
    fail new_crate_refuses_existing "overwrote a non-empty directory"
else
    ok new_crate_refuses_existing
fi
if "$ROOT/scripts/new-crate" "$TMP/Bad Name" >/dev/null 2>&1; then
    fail new_crate_refuses_bad_name "accepted 'Bad Name'"
else
    ok new_crate_refuses_bad_name
fi
export CARGO_TARGET_DIR="$ROOT/target/new-crate"
out=$(cd "$CRATE" && make -s run 2>&1); rc=$?
want=$(printf '== native ==\nmy-new-tool says hello\n== qemu-i386 ==\nmy-new-tool says hello')
if [ $rc = 0 ] && [ "$out" = "$want" ]; then ok new_crate_make_run; else fail new_crate_make_run "rc=$rc out=$out"; fi
bin=$CARGO_TARGET_DIR/i686-unknown-linux-gnu/release/my-new-tool
case $(file -b "$bin") in
    *"ELF 32-bit"*"statically linked"*) ok new_crate_static_i386 ;;
    *) fail new_crate_static_i386 "$(file -b "$bin")" ;;
esac
out=$(cd "$CRATE" && make -s test 2>&1); rc=$?
# Both passes of the crate's own test binary: 2 tests each, all passed.
n=$(printf '%s\n' "$out" | grep -c '^test result: ok. 2 passed, 0 failed$')
if [ $rc = 0 ] && [ "$n" = 2 ] && printf '%s\n' "$out" | grep -q '^== qemu-i386 ==$'; then
    ok new_crate_make_test_native_and_qemu
else
    printf '%s\n' "$out"; fail new_crate_make_test_native_and_qemu "rc=$rc, $n of 2 passes ok"
fi
