//! `c/c-ctors.c` on the runtime: C constructors and destructors (with priorities) and a
//! `.preinit_array` entry, run by linux-gate around the C `main` (see `src/init.rs`). This
//! shim adds a Rust constructor and destructor the way the `ctor` crate does, a `#[used]`
//! static in `.init_array`/`.fini_array`; its constructor registers an `at_exit` hook, which
//! runs before every destructor (glibc runs `atexit` handlers before `.fini_array`).
//! Rust's lines start with `rust`; tests/sh/ctors.sh compares the rest with glibc's output.
#![no_std]
#![no_main]

use core::ffi::{c_char, c_int};
use linux_gate::fd;

#[link(name = "c_ctors", kind = "static")]
unsafe extern "C" {}

linux_gate::c_main!();

fn say(line: &[u8]) {
    let _ = fd::stdout().write_all(line);
}

extern "C" fn rust_constructor(
    argc: c_int,
    argv: *const *const c_char,
    envp: *const *const c_char,
) {
    // glibc's arguments, the same the runtime found on the initial stack.
    let same = argc as usize == linux_gate::stack::argc()
        && argv.cast() == linux_gate::stack::argv_ptr()
        && envp.cast() == linux_gate::stack::envp_ptr();
    say(if same {
        b"rust constructor: (argc, argv, envp) as on the initial stack\n"
    } else {
        b"rust constructor: WRONG (argc, argv, envp)\n"
    });
    linux_gate::exit::at_exit(|| say(b"rust at_exit hook\n"));
}

extern "C" fn rust_destructor() {
    say(b"rust destructor\n");
}

#[used]
#[unsafe(link_section = ".init_array")]
static RUST_CONSTRUCTOR: extern "C" fn(c_int, *const *const c_char, *const *const c_char) =
    rust_constructor;

#[used]
#[unsafe(link_section = ".fini_array")]
static RUST_DESTRUCTOR: extern "C" fn() = rust_destructor;
