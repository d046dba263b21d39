# A user's crate outside this repository depends on linux-gate by path and builds a static
# i686 binary with the configuration the README shows. (The build is cached in
# target/dependent-crate so that later runs are quick.)
. "$(dirname "$0")/lib.sh"
TC=$(cd "$ROOT" && rustup show active-toolchain 2>/dev/null | cut -d' ' -f1)
CRATE=$TMP/my-tiny-tool
mkdir -p "$CRATE/src" "$CRATE/.cargo"
# --- what the README tells a user to write: its three blocks, the dependency pointed here ---
cat > "$CRATE/Cargo.toml" <<TOML
[package]
name = "my-tiny-tool"
version = "0.1.0"
edition = "2024"

TOML
sed -n '/^```toml cargo/,/^```$/p' "$ROOT/README.md" | sed '1d;$d' |
    sed "s|^linux-gate = .*|linux-gate = { path = \"$ROOT\" }|" >> "$CRATE/Cargo.toml"
if ! grep -q "^linux-gate = { path = \"$ROOT\" }" "$CRATE/Cargo.toml"; then
    fail dependent_crate_builds "README lacks the Cargo.toml block"; exit 0
fi
sed -n '/^```toml config/,/^```$/p' "$ROOT/README.md" | sed '1d;$d' > "$CRATE/.cargo/config.toml"
sed -n '/^```rust main/,/^```$/p' "$ROOT/README.md" | sed '1d;$d' > "$CRATE/src/main.rs"
if [ ! -s "$CRATE/.cargo/config.toml" ] || [ ! -s "$CRATE/src/main.rs" ]; then
    fail dependent_crate_builds "README lacks the config.toml/main.rs blocks"; exit 0
fi
export CARGO_TARGET_DIR="$ROOT/target/dependent-crate"
if (cd "$CRATE" && RUSTUP_TOOLCHAIN=$TC cargo build --release -q 2>"$TMP/err"); then
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
