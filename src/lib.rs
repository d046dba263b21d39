//! # linux-gate
//!
//! A minimal, freestanding i386 Linux runtime: no libc. Its `_start` reads argc, argv, envp
//! and the auxiliary vector off the initial stack, finds `AT_SYSINFO`, and sends every system
//! call through the vDSO's `__kernel_vsyscall` (the object `ldd` shows as
//! `linux-gate.so.1`), falling back to `int $0x80` where there is no vDSO.
//!
//! Read it in the order a program runs — six short files, each importing only those before
//! it:
//! [`start`] (`_start`, the asm) → [`stack`] (the initial stack: argc, argv, envp, auxv) →
//! [`auxv`] → [`switches`] (the start-up switches, decided from the environment and
//! `AT_SECURE`) → [`syscall`] (vsyscall or `int $0x80`) → your `main` (via [`entry!`]) →
//! [`exit`](mod@exit) (`exit_group`).
//!
//! Above that, the typed API: descriptors with Rust's I/O-safety rules ([`fd`]), [`io`],
//! files ([`fs`], [`dir`]), processes and identity ([`process`], [`id`]), [`signal`]s,
//! memory ([`mm`], [`heap`]), [`time`], sockets ([`net`]), waiting on descriptors
//! ([`event`]), the machine ([`system`]) and [`env`](mod@env). Below it, a private raw layer holds
//! each system call as one short function; the i386 choices (`_llseek`, `mmap2`, the
//! `*32` ids, `_newselect`, `socketcall`) are made there, once.
//!
//! ```ignore
//! #![no_std]
//! #![no_main]
//! use linux_gate::println;
//!
//! linux_gate::entry!(main);
//!
//! fn main() {
//!     println!("Hello, world!");
//! }
//! ```
#![no_std]
#![warn(missing_docs)]
// `#[alloc_error_handler]` (src/heap.rs): std's "memory allocation of N bytes failed" + abort.
#![cfg_attr(i386_linux, feature(alloc_error_handler))]

// Built for any other target, the crate is this one error and nothing else: every module and
// item below is compiled for 32-bit x86 Linux only (`cfg(i386_linux)`, set by build.rs, given
// to each item below), so the message is not buried under the two dozen errors the
// i386 code gives elsewhere (`__NR_mmap2`, `fastcall`, `ebx` in `asm!`, `#![feature]` on
// stable, ...). tests/sh/wrong-target.sh checks it.
#[cfg(not(i386_linux))]
compile_error!(
    "linux-gate runs on 32-bit x86 Linux only: build with `--target i686-unknown-linux-gnu`, `-Zbuild-std=core,compiler_builtins,alloc` and linux-gate's linker flags, i.e. with a `.cargo/config.toml` like linux-gate's (README.md, \"Your own crate\")"
);

extern crate alloc;

#[cfg(i386_linux)]
pub mod auxv;
#[cfg(i386_linux)]
pub mod capi;
#[cfg(i386_linux)]
pub mod dir;
#[cfg(i386_linux)]
pub mod elf;
#[cfg(i386_linux)]
pub mod env;
#[cfg(i386_linux)]
pub mod errno;
#[cfg(i386_linux)]
pub mod event;
#[cfg(i386_linux)]
pub mod exit;
#[cfg(i386_linux)]
pub mod fd;
#[cfg(i386_linux)]
pub mod fs;
#[cfg(i386_linux)]
pub mod heap;
#[cfg(i386_linux)]
pub mod id;
#[cfg(i386_linux)]
pub mod init;
#[cfg(i386_linux)]
pub mod io;
#[cfg(i386_linux)]
pub mod mm;
#[cfg(i386_linux)]
pub mod net;
#[cfg(i386_linux)]
mod panic;
#[cfg(i386_linux)]
pub mod process;
#[cfg(i386_linux)]
mod raw;
#[cfg(i386_linux)]
pub mod signal;
#[cfg(i386_linux)]
pub mod stack;
#[cfg(i386_linux)]
pub mod start;
#[cfg(i386_linux)]
pub mod switches;
#[cfg(i386_linux)]
pub mod sync;
#[cfg(i386_linux)]
pub mod syscall;
#[cfg(i386_linux)]
pub mod system;
#[cfg(i386_linux)]
pub mod thread;
#[cfg(i386_linux)]
pub mod time;
#[cfg(i386_linux)]
pub mod tls;
#[cfg(feature = "trace")]
#[cfg(i386_linux)]
pub mod trace;
#[cfg(i386_linux)]
pub mod vdso;

#[cfg(i386_linux)]
pub use errno::Errno;
#[cfg(i386_linux)]
pub use exit::exit;
#[cfg(i386_linux)]
pub use fd::{AsFd, BorrowedFd, OwnedFd};
#[cfg(i386_linux)]
pub use syscall::{Mechanism, mechanism};
#[cfg(i386_linux)]
/// What a `main` may return: `()`, an `i32` exit status, or a `Result` whose error is
/// reported on stderr (`Error: …`) with status 1, as std does.
pub trait Termination {
    /// The exit status for this value.
    fn report(self) -> i32;
}

#[cfg(i386_linux)]
impl Termination for () {
    fn report(self) -> i32 {
        0
    }
}

#[cfg(i386_linux)]
impl Termination for i32 {
    fn report(self) -> i32 {
        self
    }
}

#[cfg(i386_linux)]
impl<E: core::fmt::Debug> Termination for Result<(), E> {
    fn report(self) -> i32 {
        match self {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("Error: {:?}", e);
                1
            }
        }
    }
}

/// Names the function that is the program's `main`.
///
/// It takes no arguments (use [`env::args`], [`env::vars`], [`auxv::getauxval`]) and returns
/// a [`Termination`] value. When it returns, the runtime runs exit hooks, flushes stdout and
/// calls `exit_group` with the status.
///
/// The macro defines the symbol `linux_gate_main`, which `_start` calls.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub extern "C" fn linux_gate_main() -> i32 {
            $crate::Termination::report($main())
        }
    };
}
