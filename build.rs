//! Publishes `linker.ld` as `linux-gate.ld` in OUT_DIR and puts OUT_DIR on the link search
//! path. `cargo:rustc-link-search` propagates to every crate that depends on linux-gate, and
//! GNU ld looks for `-T` scripts along `-L` paths, so a user's crate only needs
//! `-C link-arg=-Wl,-T,linux-gate.ld` in its `.cargo/config.toml` (see README).

use std::{env, fs, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let script = fs::read("linker.ld").expect("linker.ld is part of the package");
    fs::write(out.join("linux-gate.ld"), script).expect("OUT_DIR is writable");
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rerun-if-changed=linker.ld");
    println!("cargo:rerun-if-changed=build.rs");
}
