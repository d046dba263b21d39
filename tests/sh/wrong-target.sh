# A build for the wrong target is one clear error (src/lib.rs, build.rs: cfg(i386_linux)).
# Reproduces the usual mistake: cargo run from a directory where linux-gate's
# .cargo/config.toml is not read (so the host target, x86_64, and whatever toolchain rustup
# picks there). Then cargo must print linux-gate's compile_error! and nothing else: one
# "error:" line from the crate (plus cargo's "could not compile ... due to 1 previous
# error"), naming the target to use and the README section. Run once, in the native run.
. "$(dirname "$0")/lib.sh"
native || exit 0

# Outside the checkout, as a user would; a target folder that survives between runs (the
# dependencies' build takes ~20 s the first time).
out=$(cd "$TMP" && env -u RUSTUP_TOOLCHAIN -u CARGO_BUILD_TARGET \
    cargo build --manifest-path "$ROOT/Cargo.toml" --lib \
    --target-dir "$ROOT/target/wrong-target" 2>&1)
rc=$?
errors=$(printf '%s\n' "$out" | grep -c '^error')
ours=$(printf '%s\n' "$out" | grep -c '^error: linux-gate runs on 32-bit x86 Linux only: build with `--target i686-unknown-linux-gnu`.*README')
summary=$(printf '%s\n' "$out" | grep -c '^error: could not compile `linux-gate` (lib) due to 1 previous error')
if [ "$rc" != 0 ] && [ "$errors" = 2 ] && [ "$ours" = 1 ] && [ "$summary" = 1 ]; then
    ok wrong_target_one_error
else
    printf '%s\n' "$out" | grep -v '^ *Compiling' | head -40
    fail wrong_target_one_error "status $rc, $errors error lines, ours $ours, summary $summary"
fi
