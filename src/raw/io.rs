//! Reading, writing and seeking: `read`, `write`, the vectored and positioned forms,
//! `_llseek`, `ioctl`, `fsync`.

use super::split64;
use crate::errno::Errno;
use crate::syscall::{nr, syscall1, syscall3, syscall5};
use linux_raw_sys::general::iovec;

pub(crate) unsafe fn read(fd: i32, buf: *mut u8, len: usize) -> Result<usize, Errno> {
    syscall3(nr::__NR_read, fd as usize, buf as usize, len)
}
pub(crate) unsafe fn write(fd: i32, buf: *const u8, len: usize) -> Result<usize, Errno> {
    syscall3(nr::__NR_write, fd as usize, buf as usize, len)
}
pub(crate) unsafe fn readv(fd: i32, iov: *const iovec, n: usize) -> Result<usize, Errno> {
    syscall3(nr::__NR_readv, fd as usize, iov as usize, n)
}
pub(crate) unsafe fn writev(fd: i32, iov: *const iovec, n: usize) -> Result<usize, Errno> {
    syscall3(nr::__NR_writev, fd as usize, iov as usize, n)
}
/// `pread64(fd, buf, len, offset_low, offset_high)`.
pub(crate) unsafe fn pread(fd: i32, buf: *mut u8, len: usize, off: u64) -> Result<usize, Errno> {
    let (lo, hi) = split64(off);
    syscall5(nr::__NR_pread64, fd as usize, buf as usize, len, lo, hi)
}
/// `pwrite64(fd, buf, len, offset_low, offset_high)`.
pub(crate) unsafe fn pwrite(fd: i32, buf: *const u8, len: usize, off: u64) -> Result<usize, Errno> {
    let (lo, hi) = split64(off);
    syscall5(nr::__NR_pwrite64, fd as usize, buf as usize, len, lo, hi)
}
/// `_llseek(fd, offset_high, offset_low, &result, whence)`: high word first here, and the
/// 64-bit result is written to memory because it does not fit `eax`.
pub(crate) unsafe fn llseek(
    fd: i32,
    off: i64,
    result: *mut u64,
    whence: u32,
) -> Result<usize, Errno> {
    let (lo, hi) = split64(off as u64);
    syscall5(
        nr::__NR__llseek,
        fd as usize,
        hi,
        lo,
        result as usize,
        whence as usize,
    )
}
pub(crate) unsafe fn ioctl(fd: i32, request: u32, arg: usize) -> Result<usize, Errno> {
    syscall3(nr::__NR_ioctl, fd as usize, request as usize, arg)
}
pub(crate) unsafe fn fsync(fd: i32) -> Result<usize, Errno> {
    syscall1(nr::__NR_fsync, fd as usize)
}
pub(crate) unsafe fn fdatasync(fd: i32) -> Result<usize, Errno> {
    syscall1(nr::__NR_fdatasync, fd as usize)
}
