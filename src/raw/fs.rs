//! Paths and file metadata. Every path call is the `*at` form (a directory descriptor, or
//! `AT_FDCWD`, plus a path): the plain ones (`open`, `mkdir`, …) are the same calls with
//! `AT_FDCWD`.

use super::split64;
use crate::errno::Errno;
use crate::syscall::{nr, syscall1, syscall2, syscall3, syscall4, syscall5};
use core::ffi::c_char;
use linux_raw_sys::general::{__kernel_timespec, stat64, statx};

type Path = *const c_char;

pub(crate) unsafe fn openat(dir: i32, path: Path, flags: u32, mode: u32) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_openat,
        dir as usize,
        path as usize,
        flags as usize,
        mode as usize,
    )
}
pub(crate) unsafe fn mkdirat(dir: i32, path: Path, mode: u32) -> Result<usize, Errno> {
    syscall3(nr::__NR_mkdirat, dir as usize, path as usize, mode as usize)
}
pub(crate) unsafe fn mknodat(dir: i32, path: Path, mode: u32, dev: u32) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_mknodat,
        dir as usize,
        path as usize,
        mode as usize,
        dev as usize,
    )
}
pub(crate) unsafe fn unlinkat(dir: i32, path: Path, flags: u32) -> Result<usize, Errno> {
    syscall3(
        nr::__NR_unlinkat,
        dir as usize,
        path as usize,
        flags as usize,
    )
}
pub(crate) unsafe fn renameat2(
    d1: i32,
    p1: Path,
    d2: i32,
    p2: Path,
    flags: u32,
) -> Result<usize, Errno> {
    syscall5(
        nr::__NR_renameat2,
        d1 as usize,
        p1 as usize,
        d2 as usize,
        p2 as usize,
        flags as usize,
    )
}
pub(crate) unsafe fn linkat(
    d1: i32,
    p1: Path,
    d2: i32,
    p2: Path,
    flags: u32,
) -> Result<usize, Errno> {
    syscall5(
        nr::__NR_linkat,
        d1 as usize,
        p1 as usize,
        d2 as usize,
        p2 as usize,
        flags as usize,
    )
}
pub(crate) unsafe fn symlinkat(target: Path, dir: i32, path: Path) -> Result<usize, Errno> {
    syscall3(
        nr::__NR_symlinkat,
        target as usize,
        dir as usize,
        path as usize,
    )
}
pub(crate) unsafe fn readlinkat(
    dir: i32,
    path: Path,
    buf: *mut u8,
    len: usize,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_readlinkat,
        dir as usize,
        path as usize,
        buf as usize,
        len,
    )
}
pub(crate) unsafe fn fchmod(fd: i32, mode: u32) -> Result<usize, Errno> {
    syscall2(nr::__NR_fchmod, fd as usize, mode as usize)
}
pub(crate) unsafe fn fchmodat(dir: i32, path: Path, mode: u32) -> Result<usize, Errno> {
    syscall3(
        nr::__NR_fchmodat,
        dir as usize,
        path as usize,
        mode as usize,
    )
}
/// `fchown32`: 32-bit ids (`fchown`, 95, takes 16-bit ones).
pub(crate) unsafe fn fchown(fd: i32, uid: u32, gid: u32) -> Result<usize, Errno> {
    syscall3(nr::__NR_fchown32, fd as usize, uid as usize, gid as usize)
}
/// `fchownat` has had 32-bit ids from the start (Linux 2.6.16).
pub(crate) unsafe fn fchownat(
    dir: i32,
    path: Path,
    uid: u32,
    gid: u32,
    flags: u32,
) -> Result<usize, Errno> {
    syscall5(
        nr::__NR_fchownat,
        dir as usize,
        path as usize,
        uid as usize,
        gid as usize,
        flags as usize,
    )
}
pub(crate) unsafe fn fstatat(
    dir: i32,
    path: Path,
    st: *mut stat64,
    flags: u32,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_fstatat64,
        dir as usize,
        path as usize,
        st as usize,
        flags as usize,
    )
}
pub(crate) unsafe fn statx(
    dir: i32,
    path: Path,
    flags: u32,
    mask: u32,
    st: *mut statx,
) -> Result<usize, Errno> {
    syscall5(
        nr::__NR_statx,
        dir as usize,
        path as usize,
        flags as usize,
        mask as usize,
        st as usize,
    )
}
pub(crate) unsafe fn faccessat(dir: i32, path: Path, mode: u32) -> Result<usize, Errno> {
    syscall3(
        nr::__NR_faccessat,
        dir as usize,
        path as usize,
        mode as usize,
    )
}
/// `faccessat2` (Linux 5.8): the one that takes flags (`AT_EACCESS`, `AT_SYMLINK_NOFOLLOW`).
pub(crate) unsafe fn faccessat2(
    dir: i32,
    path: Path,
    mode: u32,
    flags: u32,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_faccessat2,
        dir as usize,
        path as usize,
        mode as usize,
        flags as usize,
    )
}
/// `ftruncate64(fd, length_low, length_high)`.
pub(crate) unsafe fn ftruncate(fd: i32, len: u64) -> Result<usize, Errno> {
    let (lo, hi) = split64(len);
    syscall3(nr::__NR_ftruncate64, fd as usize, lo, hi)
}
/// `truncate64(path, length_low, length_high)`.
pub(crate) unsafe fn truncate(path: Path, len: u64) -> Result<usize, Errno> {
    let (lo, hi) = split64(len);
    syscall3(nr::__NR_truncate64, path as usize, lo, hi)
}
pub(crate) unsafe fn chdir(path: Path) -> Result<usize, Errno> {
    syscall1(nr::__NR_chdir, path as usize)
}
pub(crate) unsafe fn fchdir(fd: i32) -> Result<usize, Errno> {
    syscall1(nr::__NR_fchdir, fd as usize)
}
pub(crate) unsafe fn chroot(path: Path) -> Result<usize, Errno> {
    syscall1(nr::__NR_chroot, path as usize)
}
pub(crate) unsafe fn getcwd(buf: *mut u8, len: usize) -> Result<usize, Errno> {
    syscall2(nr::__NR_getcwd, buf as usize, len)
}
/// `utimensat_time64`: 64-bit seconds (the plain `utimensat` ends in 2038).
pub(crate) unsafe fn utimensat(
    dir: i32,
    path: Path,
    times: *const [__kernel_timespec; 2],
    flags: u32,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_utimensat_time64,
        dir as usize,
        path as usize,
        times as usize,
        flags as usize,
    )
}
pub(crate) unsafe fn getdents64(fd: i32, buf: *mut u8, len: usize) -> Result<usize, Errno> {
    syscall3(nr::__NR_getdents64, fd as usize, buf as usize, len)
}
pub(crate) unsafe fn umask(mask: u32) -> Result<usize, Errno> {
    syscall1(nr::__NR_umask, mask as usize)
}
pub(crate) unsafe fn memfd_create(name: Path, flags: u32) -> Result<usize, Errno> {
    syscall2(nr::__NR_memfd_create, name as usize, flags as usize)
}
