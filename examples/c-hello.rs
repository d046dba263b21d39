//! `c/c-hello.c` on the runtime: its `main` is compiled by build.rs (`-m32 -ffreestanding
//! -nostdlib`) into `libc_hello.a`; this shim links it and makes it the entry.
#![no_std]
#![no_main]

#[link(name = "c_hello", kind = "static")]
unsafe extern "C" {}

linux_gate::c_main!();
