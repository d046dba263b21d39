//! 1. Publishes `linker.ld` as `linux-gate.ld` in OUT_DIR and puts OUT_DIR on the link search
//!    path. `cargo:rustc-link-search` propagates to every crate that depends on linux-gate,
//!    and GNU ld looks for `-T` scripts along `-L` paths, so a user's crate only needs
//!    `-C link-arg=-Wl,-T,linux-gate.ld` in its `.cargo/config.toml` (see README).
//! 2. Compiles every C example `c/NAME.c` into `libNAME.a` (dashes become underscores) in
//!    OUT_DIR, freestanding: `-m32 -ffreestanding -nostdlib`, no PIC, no stack protector (there
//!    is no libc to provide `__stack_chk_fail`). `examples/NAME.rs` links it. Without a C
//!    compiler for i386 this only warns: the library itself needs no C.
//! 3. Sets `cfg(i386_linux)` when the target is 32-bit x86 Linux (see src/lib.rs: for any other
//!    target the crate compiles to a single `compile_error!`).

use std::{env, fs, path::PathBuf};

fn main() {
    // `cfg(i386_linux)`: the target is 32-bit x86 Linux. Everything in src/lib.rs is compiled
    // only then; for any other target the crate is one `compile_error!` saying what to do.
    println!("cargo:rustc-check-cfg=cfg(i386_linux)");
    let target_is = |key: &str, value: &str| env::var(key).is_ok_and(|v| v == value);
    if target_is("CARGO_CFG_TARGET_ARCH", "x86") && target_is("CARGO_CFG_TARGET_OS", "linux") {
        println!("cargo:rustc-cfg=i386_linux");
    }

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let script = fs::read("linker.ld").expect("linker.ld is part of the package");
    fs::write(out.join("linux-gate.ld"), script).expect("OUT_DIR is writable");
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rerun-if-changed=linker.ld");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=include/linux_gate.h");

    // Every `c/*.c`, in name order (none in a packaged copy without the examples).
    println!("cargo:rerun-if-changed=c");
    let mut sources: Vec<String> = fs::read_dir("c")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|f| f.strip_suffix(".c").map(String::from))
        .collect();
    sources.sort();
    for name in &sources {
        let src = format!("c/{name}.c");
        println!("cargo:rerun-if-changed={src}");
        let result = cc::Build::new()
            .file(&src)
            .include("include")
            .pic(false)
            .cargo_metadata(false)
            .flag("-m32")
            .flag("-ffreestanding")
            .flag("-nostdlib")
            .flag("-fno-stack-protector")
            .flag("-fno-asynchronous-unwind-tables")
            .flag("-Wall")
            .flag("-Wextra")
            .warnings_into_errors(true)
            .try_compile(&name.replace('-', "_"));
        if let Err(e) = result {
            println!("cargo:warning=C example {name} not built: {e}");
        }
    }
}
