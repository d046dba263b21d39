//! Waiting on several descriptors: `poll`, `ppoll_time64`, `_newselect`, and `eventfd2`.

use crate::errno::Errno;
use crate::syscall::{nr, syscall2, syscall3, syscall5};
use linux_raw_sys::general::{__kernel_fd_set, __kernel_old_timeval, __kernel_timespec, pollfd};

pub(crate) unsafe fn poll(fds: *mut pollfd, n: usize, timeout_ms: i32) -> Result<usize, Errno> {
    syscall3(nr::__NR_poll, fds as usize, n, timeout_ms as usize)
}
/// `ppoll_time64(fds, n, timeout, sigmask, sigsetsize)`: 64-bit seconds in the timeout.
pub(crate) unsafe fn ppoll(
    fds: *mut pollfd,
    n: usize,
    timeout: *const __kernel_timespec,
    mask: *const u64,
) -> Result<usize, Errno> {
    let size = if mask.is_null() { 0 } else { 8 };
    syscall5(
        nr::__NR_ppoll_time64,
        fds as usize,
        n,
        timeout as usize,
        mask as usize,
        size,
    )
}
/// `_newselect` (142): `select` with its five arguments in registers. The old `select` (82)
/// takes one pointer to a struct holding them.
pub(crate) unsafe fn select(
    n: i32,
    r: *mut __kernel_fd_set,
    w: *mut __kernel_fd_set,
    e: *mut __kernel_fd_set,
    tv: *mut __kernel_old_timeval,
) -> Result<usize, Errno> {
    syscall5(
        nr::__NR__newselect,
        n as usize,
        r as usize,
        w as usize,
        e as usize,
        tv as usize,
    )
}
pub(crate) unsafe fn eventfd2(initval: u32, flags: u32) -> Result<usize, Errno> {
    syscall2(nr::__NR_eventfd2, initval as usize, flags as usize)
}
