//! `c/c-auxv.c` on the runtime: argv, `HOME`, a few auxv entries and a raw `getpid` from C
//! (compiled by build.rs into `libc_auxv.a`; this shim links it and makes it the entry).
#![no_std]
#![no_main]

#[link(name = "c_auxv", kind = "static")]
unsafe extern "C" {}

linux_gate::c_main!();
