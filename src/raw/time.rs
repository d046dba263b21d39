//! Clocks and sleeping by system call: the `*_time64` calls (Linux 5.1+) first, the 32-bit
//! ones where they are `ENOSYS`. (The vDSO's clock functions are in [`crate::time`].)

use crate::errno::Errno;
use crate::syscall::{nr, syscall2, syscall4};
use linux_raw_sys::general::{__kernel_old_timeval, __kernel_timespec, timespec, timezone};

pub(crate) unsafe fn clock_gettime64(
    clock: i32,
    ts: *mut __kernel_timespec,
) -> Result<usize, Errno> {
    syscall2(nr::__NR_clock_gettime64, clock as usize, ts as usize)
}
pub(crate) unsafe fn clock_gettime32(clock: i32, ts: *mut timespec) -> Result<usize, Errno> {
    syscall2(nr::__NR_clock_gettime, clock as usize, ts as usize)
}
pub(crate) unsafe fn clock_getres64(
    clock: i32,
    ts: *mut __kernel_timespec,
) -> Result<usize, Errno> {
    syscall2(nr::__NR_clock_getres_time64, clock as usize, ts as usize)
}
pub(crate) unsafe fn clock_getres32(clock: i32, ts: *mut timespec) -> Result<usize, Errno> {
    syscall2(nr::__NR_clock_getres, clock as usize, ts as usize)
}
pub(crate) unsafe fn clock_nanosleep64(
    clock: i32,
    flags: u32,
    req: *const __kernel_timespec,
    rem: *mut __kernel_timespec,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_clock_nanosleep_time64,
        clock as usize,
        flags as usize,
        req as usize,
        rem as usize,
    )
}
pub(crate) unsafe fn clock_nanosleep32(
    clock: i32,
    flags: u32,
    req: *const timespec,
    rem: *mut timespec,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_clock_nanosleep,
        clock as usize,
        flags as usize,
        req as usize,
        rem as usize,
    )
}
pub(crate) unsafe fn nanosleep32(req: *const timespec, rem: *mut timespec) -> Result<usize, Errno> {
    syscall2(nr::__NR_nanosleep, req as usize, rem as usize)
}
/// `gettimeofday` with 32-bit seconds: only for the timezone, which glibc no longer fills.
pub(crate) unsafe fn gettimeofday32(
    tv: *mut __kernel_old_timeval,
    tz: *mut timezone,
) -> Result<usize, Errno> {
    syscall2(nr::__NR_gettimeofday, tv as usize, tz as usize)
}
