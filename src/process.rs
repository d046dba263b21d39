//! Processes: fork, execve, wait4, pipes and descriptors.

use crate::errno::Errno;
use crate::io::Fd;
use crate::syscall::{self, nr};
use alloc::vec::Vec;
use core::ffi::CStr;

/// A process id.
pub type Pid = i32;

/// How a child changed state, decoded from `wait4`'s status word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStatus {
    /// It called `exit(code)`.
    Exited(i32),
    /// A signal killed it (`core` = a core dump was written).
    Signaled {
        /// The signal number.
        signal: i32,
        /// Whether a core dump was produced.
        core: bool,
    },
    /// A signal stopped it (only with `WUNTRACED`).
    Stopped(i32),
    /// `SIGCONT` resumed it (only with `WCONTINUED`).
    Continued,
}

impl WaitStatus {
    /// Decodes the raw status word.
    pub fn from_raw(status: i32) -> WaitStatus {
        let low = status & 0x7f;
        if status == 0xffff {
            WaitStatus::Continued
        } else if low == 0 {
            WaitStatus::Exited((status >> 8) & 0xff)
        } else if status & 0xff == 0x7f {
            WaitStatus::Stopped((status >> 8) & 0xff)
        } else {
            WaitStatus::Signaled {
                signal: low,
                core: status & 0x80 != 0,
            }
        }
    }

    /// The status a shell would report: the exit code, or 128 + signal.
    pub fn code(self) -> i32 {
        match self {
            WaitStatus::Exited(c) => c,
            WaitStatus::Signaled { signal, .. } | WaitStatus::Stopped(signal) => 128 + signal,
            WaitStatus::Continued => 0,
        }
    }
}

/// `fork()`: `Ok(0)` in the child, `Ok(child pid)` in the parent.
///
/// On i386 `fork` is its own syscall (no new stack, no `CLONE_VM`), so the child returns
/// through `__kernel_vsyscall` on its own copy of the stack — safe.
pub fn fork() -> Result<Pid, Errno> {
    crate::io::flush_stdout()?;
    // SAFETY: fork takes no arguments; the child continues here on a copy of our memory.
    unsafe { syscall::syscall0(nr::__NR_fork) }.map(|p| p as Pid)
}

/// `wait4(pid, &status, options, NULL)`, retrying `EINTR`. Returns the pid and status.
pub fn wait4(pid: Pid, options: u32) -> Result<(Pid, WaitStatus), Errno> {
    let mut status: i32 = 0;
    loop {
        // SAFETY: the kernel writes one int to `status`; no rusage.
        let r = unsafe {
            syscall::syscall4(
                nr::__NR_wait4,
                pid as usize,
                &mut status as *mut i32 as usize,
                options as usize,
                0,
            )
        };
        match r {
            Ok(p) => return Ok((p as Pid, WaitStatus::from_raw(status))),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Waits for `pid` to end.
pub fn wait(pid: Pid) -> Result<WaitStatus, Errno> {
    wait4(pid, 0).map(|(_, s)| s)
}

/// `execve(path, argv, envp)` with NULL-terminated pointer arrays built from the slices.
/// Returns only on failure.
pub fn execve(path: &CStr, argv: &[&CStr], envp: &[&CStr]) -> Errno {
    let mut a: Vec<*const u8> = argv.iter().map(|s| s.as_ptr().cast()).collect();
    a.push(core::ptr::null());
    let mut e: Vec<*const u8> = envp.iter().map(|s| s.as_ptr().cast()).collect();
    e.push(core::ptr::null());
    // SAFETY: path and every string are NUL-terminated; both arrays end with NULL and
    // outlive the call (which only returns on failure).
    let r = unsafe {
        syscall::syscall3(
            nr::__NR_execve,
            path.as_ptr() as usize,
            a.as_ptr() as usize,
            e.as_ptr() as usize,
        )
    };
    match r {
        Ok(_) => Errno::EINVAL,
        Err(e) => e,
    }
}

/// `pipe2(flags)`: `(read end, write end)`.
pub fn pipe2(flags: u32) -> Result<(Fd, Fd), Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: the kernel writes two ints.
    unsafe { syscall::syscall2(nr::__NR_pipe2, fds.as_mut_ptr() as usize, flags as usize) }?;
    Ok((Fd::from_raw(fds[0]), Fd::from_raw(fds[1])))
}

/// `dup2(old, new)`.
pub fn dup2(old: Fd, new: Fd) -> Result<Fd, Errno> {
    // SAFETY: plain descriptor numbers.
    unsafe { syscall::syscall2(nr::__NR_dup2, old.raw() as usize, new.raw() as usize) }
        .map(|f| Fd::from_raw(f as i32))
}

/// `getpid()`.
pub fn getpid() -> Pid {
    // SAFETY: no arguments; cannot fail.
    unsafe { syscall::syscall0(nr::__NR_getpid) }.unwrap_or(0) as Pid
}

/// `getppid()`.
pub fn getppid() -> Pid {
    // SAFETY: no arguments; cannot fail.
    unsafe { syscall::syscall0(nr::__NR_getppid) }.unwrap_or(0) as Pid
}

/// `kill(pid, sig)`.
pub fn kill(pid: Pid, sig: i32) -> Result<(), Errno> {
    // SAFETY: plain integers.
    unsafe { syscall::syscall2(nr::__NR_kill, pid as usize, sig as usize) }.map(|_| ())
}
