//! Memory: `mmap2`, `munmap`, `mprotect`, `mremap`, `madvise`, `mincore`, `brk`.

use crate::errno::Errno;
use crate::syscall::{nr, syscall1, syscall2, syscall3, syscall5, syscall6};

/// `mmap2`: like `mmap`, but the file offset is counted in 4096-byte pages.
pub(crate) unsafe fn mmap2(
    addr: usize,
    len: usize,
    prot: u32,
    flags: u32,
    fd: i32,
    pgoff: usize,
) -> Result<usize, Errno> {
    syscall6(
        nr::__NR_mmap2,
        addr,
        len,
        prot as usize,
        flags as usize,
        fd as usize,
        pgoff,
    )
}
pub(crate) unsafe fn munmap(addr: usize, len: usize) -> Result<usize, Errno> {
    syscall2(nr::__NR_munmap, addr, len)
}
pub(crate) unsafe fn mprotect(addr: usize, len: usize, prot: u32) -> Result<usize, Errno> {
    syscall3(nr::__NR_mprotect, addr, len, prot as usize)
}
pub(crate) unsafe fn mremap(
    old: usize,
    old_len: usize,
    new_len: usize,
    flags: u32,
    new: usize,
) -> Result<usize, Errno> {
    syscall5(nr::__NR_mremap, old, old_len, new_len, flags as usize, new)
}
pub(crate) unsafe fn madvise(addr: usize, len: usize, advice: u32) -> Result<usize, Errno> {
    syscall3(nr::__NR_madvise, addr, len, advice as usize)
}
pub(crate) unsafe fn mincore(addr: usize, len: usize, vec: *mut u8) -> Result<usize, Errno> {
    syscall3(nr::__NR_mincore, addr, len, vec as usize)
}
/// The kernel's `brk`: returns the (new) break, the old one when it refuses — never an
/// error code. glibc's `brk`/`sbrk` semantics are built on top of this in [`crate::mm`].
pub(crate) unsafe fn brk(addr: usize) -> Result<usize, Errno> {
    syscall1(nr::__NR_brk, addr)
}
