//! Descriptors themselves: `close`, `dup*`, `fcntl64`.

use crate::errno::Errno;
use crate::syscall::{nr, syscall1, syscall2, syscall3};

pub(crate) unsafe fn close(fd: i32) -> Result<usize, Errno> {
    syscall1(nr::__NR_close, fd as usize)
}
pub(crate) unsafe fn dup(fd: i32) -> Result<usize, Errno> {
    syscall1(nr::__NR_dup, fd as usize)
}
pub(crate) unsafe fn dup2(old: i32, new: i32) -> Result<usize, Errno> {
    syscall2(nr::__NR_dup2, old as usize, new as usize)
}
pub(crate) unsafe fn dup3(old: i32, new: i32, flags: u32) -> Result<usize, Errno> {
    syscall3(nr::__NR_dup3, old as usize, new as usize, flags as usize)
}
/// `fcntl64`: the same as `fcntl` for every command but the locks, where it takes the
/// 64-bit `struct flock64`.
pub(crate) unsafe fn fcntl(fd: i32, cmd: u32, arg: usize) -> Result<usize, Errno> {
    syscall3(nr::__NR_fcntl64, fd as usize, cmd as usize, arg)
}
