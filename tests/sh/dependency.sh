# A user's crate outside this repository, made by hand the way docs/OWN-CRATE.md says:
# `cargo new`, then its ```sh steps block run verbatim (its `../linux-gate` pointed at this
# checkout), then the toolchain override, then `cargo build --release`. The README's first
# program is built in the same crate. (The build is cached in target/dependent-crate.)
. "$(dirname "$0")/lib.sh"
native || exit 0
TC=$(cd "$ROOT" && rustup show active-toolchain 2>/dev/null | cut -d' ' -f1)
cd "$TMP" || exit 1
if ! cargo new -q my-tiny-tool 2>"$TMP/err"; then
    cat "$TMP/err"; fail dependent_crate_builds "cargo new failed"; exit 0
fi
sed -n '/^```sh steps$/,/^```$/p' "$ROOT/docs/OWN-CRATE.md" | sed '1d;$d' |
    sed "s|\.\./linux-gate|$ROOT|g" > "$TMP/steps.sh"
if [ ! -s "$TMP/steps.sh" ]; then
    fail dependent_crate_builds "docs/OWN-CRATE.md lacks the steps block"; exit 0
fi
if ! (cd my-tiny-tool && bash -e "$TMP/steps.sh") > "$TMP/err" 2>&1; then
    cat "$TMP/err"; fail dependent_crate_builds "docs/OWN-CRATE.md's steps failed"; exit 0
fi
# The README's "A first program", as a second binary of the same crate.
mkdir -p my-tiny-tool/src/bin
sed -n '/^```rust first$/,/^```$/p' "$ROOT/README.md" | sed '1d;$d' > my-tiny-tool/src/bin/first.rs
export CARGO_TARGET_DIR="$ROOT/target/dependent-crate"
if (cd my-tiny-tool && RUSTUP_TOOLCHAIN=$TC cargo build --release -q 2>"$TMP/err"); then
    ok dependent_crate_builds
else
    cat "$TMP/err"; fail dependent_crate_builds "cargo build failed"; exit 0
fi
bin=$CARGO_TARGET_DIR/i686-unknown-linux-gnu/release/my-tiny-tool
out=$(run "$bin" one 'two three' 2>&1); rc=$?
want=$(printf 'my-tiny-tool says hello\nargs: 3\n')
if [ "$out" = "$want" ] && [ $rc = 0 ]; then ok dependent_crate_runs; else fail dependent_crate_runs "rc=$rc out=$out"; fi
case $(file -b "$bin") in
    *"ELF 32-bit"*"statically linked"*) ok dependent_crate_static ;;
    *) fail dependent_crate_static "$(file -b "$bin")" ;;
esac
# The first program: its arguments, then the host name as /etc/hostname has it.
out=$(run "$CARGO_TARGET_DIR/i686-unknown-linux-gnu/release/first" 'a b' 2>&1); rc=$?
want=$(printf '%s\na b\nhost: %s' "$CARGO_TARGET_DIR/i686-unknown-linux-gnu/release/first" "$(tr -d '\n' < /etc/hostname)")
if [ "$out" = "$want" ] && [ $rc = 0 ]; then ok readme_first_program_runs; else fail readme_first_program_runs "rc=$rc out=$out want=$want"; fi
