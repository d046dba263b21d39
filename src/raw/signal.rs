//! Signals: `rt_sigaction`, `rt_sigprocmask`, `rt_sigpending`, `sigaltstack`, `alarm`,
//! `setitimer`. The kernel's sigset is 64 bits (8 bytes), the size every `rt_*` call takes.

use crate::errno::Errno;
use crate::syscall::{nr, syscall1, syscall2, syscall3, syscall4};
use linux_raw_sys::general::{itimerval, kernel_sigaction, kernel_sigset_t, stack_t};

/// The size of the kernel's signal set, which every `rt_sig*` call is told.
const SIGSET_SIZE: usize = 8;

pub(crate) unsafe fn rt_sigaction(
    sig: i32,
    new: *const kernel_sigaction,
    old: *mut kernel_sigaction,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_rt_sigaction,
        sig as usize,
        new as usize,
        old as usize,
        SIGSET_SIZE,
    )
}
pub(crate) unsafe fn rt_sigprocmask(
    how: u32,
    new: *const kernel_sigset_t,
    old: *mut kernel_sigset_t,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_rt_sigprocmask,
        how as usize,
        new as usize,
        old as usize,
        SIGSET_SIZE,
    )
}
pub(crate) unsafe fn rt_sigpending(set: *mut kernel_sigset_t) -> Result<usize, Errno> {
    syscall2(nr::__NR_rt_sigpending, set as usize, SIGSET_SIZE)
}
pub(crate) unsafe fn sigaltstack(new: *const stack_t, old: *mut stack_t) -> Result<usize, Errno> {
    syscall2(nr::__NR_sigaltstack, new as usize, old as usize)
}
pub(crate) unsafe fn alarm(seconds: u32) -> Result<usize, Errno> {
    syscall1(nr::__NR_alarm, seconds as usize)
}
/// `setitimer` takes i386's `struct itimerval` of 32-bit `timeval`s.
pub(crate) unsafe fn setitimer(
    which: u32,
    new: *const itimerval,
    old: *mut itimerval,
) -> Result<usize, Errno> {
    syscall3(
        nr::__NR_setitimer,
        which as usize,
        new as usize,
        old as usize,
    )
}
pub(crate) unsafe fn getitimer(which: u32, cur: *mut itimerval) -> Result<usize, Errno> {
    syscall2(nr::__NR_getitimer, which as usize, cur as usize)
}
