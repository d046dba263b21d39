//! # linux-gate
//!
//! A minimal, freestanding i386 Linux runtime: no libc. Its `_start` reads argc, argv, envp
//! and the auxiliary vector off the initial stack, finds `AT_SYSINFO`, and sends every system
//! call through the vDSO's `__kernel_vsyscall` (the object `ldd` shows as
//! `linux-gate.so.1`), falling back to `int $0x80` where there is no vDSO.
//!
//! Read it in the order a program runs:
//! [`start`] (`_start`) → [`stack`] (argc/argv/envp/auxv) → [`auxv`] → [`syscall`] (vsyscall
//! or int 0x80) → your `main` (via [`entry!`]) → [`exit`](mod@exit) (`exit_group`).
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
#![feature(alloc_error_handler)]

extern crate alloc;

pub mod auxv;
pub mod capi;
pub mod dir;
pub mod elf;
pub mod env;
pub mod errno;
pub mod exit;
pub mod fs;
pub mod getopt;
pub mod heap;
pub mod init;
pub mod io;
mod panic;
pub mod process;
pub mod quote;
pub mod signal;
pub mod stack;
pub mod start;
pub mod syscall;
pub mod testing;
pub mod time;
#[cfg(feature = "trace")]
pub mod trace;
pub mod vdso;

pub use errno::Errno;
pub use exit::exit;
pub use io::Fd;
pub use syscall::{Mechanism, mechanism};

/// What a `main` may return: `()`, an `i32` exit status, or a `Result` whose error is
/// reported on stderr (`Error: …`) with status 1, as std does.
pub trait Termination {
    /// The exit status for this value.
    fn report(self) -> i32;
}

impl Termination for () {
    fn report(self) -> i32 {
        0
    }
}

impl Termination for i32 {
    fn report(self) -> i32 {
        self
    }
}

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
