//! System calls behind threads, TLS and futexes (`crate::thread`, `crate::tls`,
//! `crate::sync`). One line each; the callers' `// SAFETY:` comments say why a call is sound.
//!
//! `clone` is not here: its child must not return through `__kernel_vsyscall` onto a fresh
//! stack, so it lives in the asm trampoline of `crate::thread::clone`.

use crate::errno::Errno;
use crate::syscall::syscall4;
use linux_raw_sys::general::{self as g, user_desc};

/// `set_thread_area(u_info)`: installs (or, with `entry_number == -1`, allocates and writes
/// back) a TLS descriptor in this thread's GDT slots.
#[cfg(not(feature = "trace"))]
pub(crate) unsafe fn set_thread_area(u_info: *mut user_desc) -> Result<usize, Errno> {
    unsafe { crate::syscall::syscall1(g::__NR_set_thread_area, u_info as usize) }
}

/// `set_thread_area` with the trace (feature `trace`) on: the kernel overwrites
/// `entry_number` -1 with the slot it chose, and strace shows both — the -1 asked for in the
/// arguments, the choice after the result — so the trace is given the number from before
/// the call as a second word.
#[cfg(feature = "trace")]
pub(crate) unsafe fn set_thread_area(u_info: *mut user_desc) -> Result<usize, Errno> {
    let nr = g::__NR_set_thread_area;
    // SAFETY: the caller passes a valid `user_desc`, which the kernel is about to read.
    let asked = unsafe { (*u_info).entry_number };
    // SAFETY: as for the untraced form; ecx and edx are not read by this call.
    let r = unsafe { crate::syscall::raw_syscall3(nr, u_info as usize, 0, 0) };
    crate::syscall::report(nr, &[u_info as usize, asked as usize], r);
    r
}

/// `futex_time64(uaddr, op, val, timeout, 0, 0)`: `timeout` is a `__kernel_timespec` (64-bit
/// seconds) or null. Linux ≥ 5.1 on 32-bit; ENOSYS before.
pub(crate) unsafe fn futex_time64(
    uaddr: usize,
    op: u32,
    val: u32,
    timeout: usize,
) -> Result<usize, Errno> {
    unsafe {
        syscall4(
            g::__NR_futex_time64,
            uaddr,
            op as usize,
            val as usize,
            timeout,
        )
    }
}

/// `futex(uaddr, op, val, timeout)`: the old call, `timeout` an `old_timespec32` or null.
pub(crate) unsafe fn futex(
    uaddr: usize,
    op: u32,
    val: u32,
    timeout: usize,
) -> Result<usize, Errno> {
    unsafe { syscall4(g::__NR_futex, uaddr, op as usize, val as usize, timeout) }
}
