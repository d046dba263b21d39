# I/O safety, checked by the compiler: safe code cannot close a descriptor twice, cannot
# use one after closing it, cannot make an owner from a number, and cannot close a raw
# number. Each case is a small program in a scratch crate that depends on linux-gate; each
# must fail `cargo check` with the named error, and a control program using the same calls
# correctly must pass (so a failure is the rule at work, not a broken crate). Run once, in
# the native pass; cached in target/compile-fail.
. "$(dirname "$0")/lib.sh"
native || exit 0
TC=$(cd "$ROOT" && rustup show active-toolchain 2>/dev/null | cut -d' ' -f1)
C=$TMP/iosafety
mkdir -p "$C/src/bin" "$C/.cargo"
cat > "$C/Cargo.toml" <<TOML
[package]
name = "iosafety"
version = "0.1.0"
edition = "2024"

[dependencies]
linux-gate = { path = "$ROOT" }

[profile.dev]
panic = "abort"
TOML
cp "$ROOT/.cargo/config.toml" "$C/.cargo/config.toml"
sed -i '/^runner/d' "$C/.cargo/config.toml"
head='#![no_std]
#![no_main]
use linux_gate::fd::{self, FromRawFd, OwnedFd};
use linux_gate::process;
linux_gate::entry!(main);
fn main() {'
mk() { printf '%s\n%s\n}\n' "$head" "$2" > "$C/src/bin/$1.rs"; }
mk control '    let (r, w) = process::pipe().unwrap();
    drop(r);
    let _ = w.close();
    // SAFETY: a number nothing owns; closing it is this program'"'"'s business.
    let _ = unsafe { fd::close(99) };
    // SAFETY: fd 98 is not open, and nothing else will use or close it.
    let _ = unsafe { OwnedFd::from_raw_fd(98) };'
mk double_drop '    let (r, _w) = process::pipe().unwrap();
    drop(r);
    drop(r);'
mk use_after_close '    let (r, _w) = process::pipe().unwrap();
    let _ = r.close();
    let _ = linux_gate::io::read(&r, &mut [0u8; 1]);'
mk owner_from_number '    let _ = OwnedFd::from_raw_fd(3);'
mk close_number '    let _ = fd::close(3);'
mk borrow_outlives_owner '    let b = {
        let (r, _w) = process::pipe().unwrap();
        use linux_gate::fd::AsFd;
        r.as_fd()
    };
    let _ = b.read(&mut [0u8; 1]);'
export CARGO_TARGET_DIR="$ROOT/target/compile-fail"
chk() { (cd "$C" && RUSTUP_TOOLCHAIN=$TC cargo check -q --bin "$1" 2> "$TMP/err.$1"); }
if chk control; then ok iosafety_control_compiles; else cat "$TMP/err.control"; fail iosafety_control_compiles "the correct program does not compile"; exit 0; fi
expect() { # CASE ERROR-CODE
    if chk "$1"; then
        fail "iosafety_rejects_$1" "compiled"
    elif grep -q "error\[$2\]" "$TMP/err.$1"; then
        ok "iosafety_rejects_$1"
    else
        cat "$TMP/err.$1"; fail "iosafety_rejects_$1" "no $2"
    fi
}
expect double_drop E0382          # use of moved value: the first drop moved it
expect use_after_close E0382      # close(self) consumed it
expect owner_from_number E0133    # from_raw_fd is unsafe
expect close_number E0133         # close of a raw number is unsafe
expect borrow_outlives_owner E0597 # the borrow cannot outlive its owner
