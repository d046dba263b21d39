//! The machine: `uname`, `getrandom`.

use crate::errno::Errno;
use crate::syscall::{nr, syscall1, syscall3};
use linux_raw_sys::system::new_utsname;

/// `uname` (122) fills the 65-byte-field `new_utsname`; `olduname` (109) and `oldolduname`
/// (59) are the older, shorter layouts.
pub(crate) unsafe fn uname(buf: *mut new_utsname) -> Result<usize, Errno> {
    syscall1(nr::__NR_uname, buf as usize)
}
pub(crate) unsafe fn getrandom(buf: *mut u8, len: usize, flags: u32) -> Result<usize, Errno> {
    syscall3(nr::__NR_getrandom, buf as usize, len, flags as usize)
}
