//! An in-process syscall trace in `strace`'s style (cargo feature `trace`).
//!
//! With the feature on and `LINUX_GATE_TRACE=1` in the environment, every syscall made
//! through [`crate::syscall`] is printed to stderr after it returns:
//!
//! ```text
//! write(1, "Hello, world!\n", 14) = 14 [vsyscall]
//! open("/nonexistent", O_RDONLY|O_LARGEFILE) = -1 ENOENT (No such file or directory) [int80]
//! openat(AT_FDCWD, 0x8, O_RDONLY) = -1 EFAULT (Bad address) [vsyscall]
//! ```
//!
//! The name comes from the syscall number (the table below is built from
//! `linux_raw_sys::general::__NR_*`); the common calls have their arguments decoded as strace
//! does (buffers escaped and cut at 32 bytes, paths whole up to `PATH_MAX`, open flags,
//! `mmap2` protections…), the others are shown in hex. The bracket says which way the call
//! went into the kernel.
//!
//! A pointer argument whose memory cannot be read is shown as the bare address (`0x8`), as
//! strace shows it; the trace never faults on the traced program's bad pointers: it reads
//! only what the kernel has just read itself, or pages the kernel says are readable (see
//! `page_readable` in the source). Every line is printed whole, however long: the result and
//! the bracket always end it.
//!
//! Without the feature the hook slot in `syscall.rs` is not compiled at all: zero cost. The switch
//! is ignored when `AT_SECURE` is set. Calls that never return (`exit_group`, a successful
//! `execve`) are not printed; strace shows them as `= ?`.
//!
//! The trace's own output and probes go through [`syscall::raw_syscall3`], which does not
//! call the trace hook, so tracing never traces itself. (They do show up under a real
//! `strace`: `write(2, …)` for the lines, `sigprocmask(0x7fffffff, …)` for the probes, and
//! for a line over 512 bytes the `mmap2`/`munmap` of its [`format::LONG_LINE_MAP`] bytes.)
//!
//! The parts, each using only those after it: [`format`](mod@format) (the line: name,
//! arguments, the result, the bracket, and the stack buffer it is written into), `decode`
//! (each call's arguments as strace shows them, and the probes that keep the trace from
//! faulting), `quoting` (strace's string and path quoting, [`quote`]), [`names`] (syscall
//! numbers to names). This file turns it on, and is the hook [`crate::syscall`] calls
//! through its slot.

use crate::errno::Errno;
use crate::syscall;
use core::fmt::Write;
use core::sync::atomic::{AtomicBool, Ordering};

mod decode;
pub mod format;
pub mod names;
mod quoting;

pub use format::format;
pub use names::name;
pub use quoting::{PATH_LIMIT, STRING_LIMIT, quote};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Called once by `_start`: turns the trace on if the start-up switches say so
/// (`LINUX_GATE_TRACE=1`, not in a secure exec; see [`crate::switches`]), and plugs
/// [`after`] into the syscall layer's hook slot.
pub fn init(secure: bool) {
    let on =
        crate::switches::trace_on(secure, crate::env::var_bytes(crate::switches::TRACE_SWITCH));
    ENABLED.store(on, Ordering::Relaxed);
    syscall::set_trace_hook(after);
}

/// Whether syscalls are being traced.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Turns the trace on or off from the program itself (e.g. around one region).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// The hook the syscall layer calls after every syscall (installed by [`init`]).
///
/// It takes no lock and shares no state, so every thread's calls are printed, and a signal
/// handler's calls in the middle of a line too: the line is built in a buffer on this
/// thread's stack (nothing here makes a traced call, so it cannot recurse) and goes out in
/// one `write`, which the kernel does not interleave with other writes to the same file.
/// A line longer than the buffer (512 B: a long path) moves to a mapping made for it (an
/// untraced `mmap2` of [`format::LONG_LINE_MAP`] bytes) and is still one `write`.
pub fn after(nr: u32, a: &[usize], result: Result<usize, Errno>) {
    if !enabled() {
        return;
    }
    let mut line = format::Line::new();
    // `Line` never fails: it writes out what it holds when full.
    // The clone trampoline enters the kernel with `int $0x80` whatever the entry is (its
    // child must not return through the vDSO onto an empty stack).
    let mech = if nr == syscall::nr::__NR_clone {
        syscall::Mechanism::Int80
    } else {
        syscall::mechanism()
    };
    let _ = format(&mut line, nr, a, result, mech);
    let _ = line.write_char('\n');
    line.flush();
}
