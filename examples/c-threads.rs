//! `c/c-threads.c` on the runtime: C `__thread` variables in the main thread and in four
//! threads started with `lg_thread_spawn`. build.rs compiles the C into `libc_threads.a`.
#![no_std]
#![no_main]

#[link(name = "c_threads", kind = "static")]
unsafe extern "C" {}

linux_gate::c_main!();
linux_gate::c_threads!();
