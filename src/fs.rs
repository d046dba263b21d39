//! Files: owned descriptors that close on drop, `open`/`openat`, reading and writing,
//! 64-bit seeking (`_llseek`), metadata (`fstat64`, `statx`), and the directory calls
//! (`mkdir`, `unlink`, `rmdir`, `rename`). Directory listing is in [`crate::dir`].
//!
//! # i386 and 64-bit files
//!
//! On i386 a plain `off_t` is 32 bits. Three things make files over 2 GiB work:
//! `O_LARGEFILE` on every open, `_llseek` (the offset split into high and low words, the
//! result written to a 64-bit variable), and `fstat64`/`statx` (64-bit sizes and inodes).

use crate::errno::Errno;
use crate::io::Fd;
use crate::syscall::{self, nr};
use alloc::vec::Vec;
use core::ffi::CStr;
use core::mem::MaybeUninit;

pub use linux_raw_sys::general::{
    AT_FDCWD, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY,
    O_RDWR, O_TRUNC, O_WRONLY,
};

/// A descriptor this value owns: closed exactly once, when it is dropped.
#[derive(Debug)]
pub struct OwnedFd(Fd);

impl OwnedFd {
    /// Takes ownership of `fd`; it will be closed on drop.
    pub fn from_fd(fd: Fd) -> OwnedFd {
        OwnedFd(fd)
    }

    /// The descriptor (still owned by `self`).
    pub fn fd(&self) -> Fd {
        self.0
    }

    /// Gives up ownership without closing.
    pub fn into_fd(self) -> Fd {
        let fd = self.0;
        core::mem::forget(self);
        fd
    }
}

impl Drop for OwnedFd {
    fn drop(&mut self) {
        let _ = close(self.0);
    }
}

/// Where [`File::seek`] counts from (`SEEK_SET`, `SEEK_CUR`, `SEEK_END`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekFrom {
    /// From the start of the file.
    Start(u64),
    /// From the current position.
    Current(i64),
    /// From the end of the file.
    End(i64),
}

/// What `fstat64` tells about a file (the fields programs use; see `stat(2)`).
///
/// [`fstat`] ([`File::metadata`]) and [`metadata`] (by path, through `statx`) fill it the
/// same way, so the two can be compared (same `dev` and `ino`: the same file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metadata {
    /// Device holding the file, encoded as glibc's `st_dev` is: [`makedev`]`(major, minor)`.
    pub dev: u64,
    /// Inode number (the 64-bit one).
    pub ino: u64,
    /// Type and permission bits (`S_IFMT` | `0o7777`).
    pub mode: u32,
    /// Number of hard links.
    pub nlink: u32,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
    /// Preferred I/O block size.
    pub blksize: u32,
    /// The device a character or block device file stands for ([`makedev`] encoding, as
    /// glibc's `st_rdev`); 0 for other files.
    pub rdev: u64,
}

/// glibc's `makedev`: a device number from its major and minor numbers, the encoding of
/// glibc's `st_dev` and `st_rdev`. Minor bits 0–7 go to bits 0–7 and the rest from bit 20,
/// major bits 0–11 to bits 8–19 and the rest from bit 44. For major < 4096 (all the kernel
/// has) this is the kernel's own `new_encode_dev`, which `fstat64` returns.
pub const fn makedev(major: u32, minor: u32) -> u64 {
    let (major, minor) = (major as u64, minor as u64);
    (major & 0xfff) << 8 | (major & !0xfff) << 32 | (minor & 0xff) | (minor & !0xff) << 12
}

/// glibc's `major`: the major number in a [`makedev`] device number.
pub const fn major(dev: u64) -> u32 {
    (((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff)) as u32
}

/// glibc's `minor`: the minor number in a [`makedev`] device number.
pub const fn minor(dev: u64) -> u32 {
    ((dev & 0xff) | ((dev >> 12) & !0xff)) as u32
}

impl Metadata {
    fn file_type(&self) -> u32 {
        self.mode & linux_raw_sys::general::S_IFMT
    }

    /// A directory.
    pub fn is_dir(&self) -> bool {
        self.file_type() == linux_raw_sys::general::S_IFDIR
    }

    /// A regular file.
    pub fn is_file(&self) -> bool {
        self.file_type() == linux_raw_sys::general::S_IFREG
    }
}

/// An open file, closed when dropped.
#[derive(Debug)]
pub struct File {
    fd: OwnedFd,
}

impl File {
    /// `open(path, flags, mode)`; `O_LARGEFILE` is always added (64-bit offsets on i386).
    pub fn open(path: &CStr, flags: u32, mode: u32) -> Result<File, Errno> {
        File::openat(Fd::from_raw(AT_FDCWD), path, flags, mode)
    }

    /// `openat(dir, path, flags, mode)`: `path` relative to the directory open as `dir`
    /// (or to the working directory for `AT_FDCWD`). `O_LARGEFILE` is always added.
    pub fn openat(dir: Fd, path: &CStr, flags: u32, mode: u32) -> Result<File, Errno> {
        let flags = flags | linux_raw_sys::general::O_LARGEFILE;
        // SAFETY: `path` is NUL-terminated; the kernel only reads it.
        let fd = unsafe {
            syscall::syscall4(
                nr::__NR_openat,
                dir.raw() as usize,
                path.as_ptr() as usize,
                flags as usize,
                mode as usize,
            )
        }?;
        Ok(File::from_fd(Fd::from_raw(fd as i32)))
    }

    /// Opens `path` read-only.
    pub fn open_read(path: &CStr) -> Result<File, Errno> {
        File::open(path, O_RDONLY | O_CLOEXEC, 0)
    }

    /// Creates (or truncates) `path` for writing, with permissions `mode` (before umask).
    pub fn create(path: &CStr, mode: u32) -> Result<File, Errno> {
        File::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    }

    /// Takes ownership of a raw descriptor.
    pub fn from_fd(fd: Fd) -> File {
        File {
            fd: OwnedFd::from_fd(fd),
        }
    }

    /// The descriptor (still owned by `self`).
    pub fn fd(&self) -> Fd {
        self.fd.fd()
    }

    /// Gives up ownership without closing.
    pub fn into_fd(self) -> Fd {
        self.fd.into_fd()
    }

    /// `read(2)`.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        self.fd().read(buf)
    }

    /// `write(2)`: may write fewer bytes than given.
    pub fn write(&self, buf: &[u8]) -> Result<usize, Errno> {
        self.fd().write(buf)
    }

    /// Writes all of `buf` (retrying partial writes and `EINTR`).
    pub fn write_all(&self, buf: &[u8]) -> Result<(), Errno> {
        self.fd().write_all(buf)
    }

    /// Reads until end of file, appending to `out` (retrying `EINTR`).
    pub fn read_to_end(&self, out: &mut Vec<u8>) -> Result<usize, Errno> {
        read_to_end(self.fd(), out)
    }

    /// Moves the file position; returns the new one.
    pub fn seek(&self, pos: SeekFrom) -> Result<u64, Errno> {
        seek(self.fd(), pos)
    }

    /// `fstat64` on this file.
    pub fn metadata(&self) -> Result<Metadata, Errno> {
        fstat(self.fd())
    }
}

/// `_llseek(fd, offset_high, offset_low, &result, whence)`: the i386 way to seek with a
/// 64-bit offset. Returns the new position.
pub fn seek(fd: Fd, pos: SeekFrom) -> Result<u64, Errno> {
    use linux_raw_sys::general::{SEEK_CUR, SEEK_END, SEEK_SET};
    let (off, whence) = match pos {
        SeekFrom::Start(n) => (n as i64, SEEK_SET),
        SeekFrom::Current(n) => (n, SEEK_CUR),
        SeekFrom::End(n) => (n, SEEK_END),
    };
    let mut result: u64 = 0;
    // SAFETY: the kernel writes one 64-bit value to `result`.
    unsafe {
        syscall::syscall5(
            nr::__NR__llseek,
            fd.raw() as usize,
            ((off as u64) >> 32) as usize,
            off as u64 as u32 as usize,
            &mut result as *mut u64 as usize,
            whence as usize,
        )
    }?;
    Ok(result)
}

/// `fstat64(fd)`.
pub fn fstat(fd: Fd) -> Result<Metadata, Errno> {
    let mut st = MaybeUninit::<linux_raw_sys::general::stat64>::uninit();
    // SAFETY: fstat64 fills a `struct stat64`, which `st` has room for.
    unsafe {
        syscall::syscall2(
            nr::__NR_fstat64,
            fd.raw() as usize,
            st.as_mut_ptr() as usize,
        )
    }?;
    // SAFETY: the call succeeded, so the kernel wrote the whole struct.
    let st = unsafe { st.assume_init() };
    Ok(Metadata {
        dev: st.st_dev,
        ino: st.st_ino,
        mode: st.st_mode,
        nlink: st.st_nlink,
        uid: st.st_uid,
        gid: st.st_gid,
        size: st.st_size as u64,
        blksize: st.st_blksize,
        rdev: st.st_rdev,
    })
}

/// `statx(dirfd, path, flags, STATX_BASIC_STATS)`: the modern stat, with 64-bit fields on
/// every architecture. Pass `AT_EMPTY_PATH` and `c""` to stat `dir` itself.
pub fn statx(dir: Fd, path: &CStr, flags: u32) -> Result<linux_raw_sys::general::statx, Errno> {
    let mut st = MaybeUninit::<linux_raw_sys::general::statx>::uninit();
    // SAFETY: `path` is NUL-terminated; statx fills a `struct statx`, which `st` has room for.
    unsafe {
        syscall::syscall5(
            nr::__NR_statx,
            dir.raw() as usize,
            path.as_ptr() as usize,
            flags as usize,
            linux_raw_sys::general::STATX_BASIC_STATS as usize,
            st.as_mut_ptr() as usize,
        )
    }?;
    // SAFETY: the call succeeded, so the kernel wrote the struct.
    Ok(unsafe { st.assume_init() })
}

/// `stat` of a path, following symbolic links (via `statx`, converted to [`Metadata`]).
pub fn metadata(path: &CStr) -> Result<Metadata, Errno> {
    let st = statx(Fd::from_raw(AT_FDCWD), path, 0)?;
    Ok(Metadata {
        // As glibc's stat does from statx (the same numbers fstat64 gives).
        dev: makedev(st.stx_dev_major, st.stx_dev_minor),
        ino: st.stx_ino,
        mode: st.stx_mode as u32,
        nlink: st.stx_nlink,
        uid: st.stx_uid,
        gid: st.stx_gid,
        size: st.stx_size,
        blksize: st.stx_blksize,
        rdev: makedev(st.stx_rdev_major, st.stx_rdev_minor),
    })
}

/// Reads `fd` until end of file, appending to `out` (retrying `EINTR`).
pub fn read_to_end(fd: Fd, out: &mut Vec<u8>) -> Result<usize, Errno> {
    let start = out.len();
    let mut chunk = [0u8; 4096];
    loop {
        match fd.read(&mut chunk) {
            Ok(0) => return Ok(out.len() - start),
            Ok(n) => out.extend_from_slice(&chunk[..n.min(chunk.len())]),
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Closes a raw descriptor.
pub fn close(fd: Fd) -> Result<(), Errno> {
    // SAFETY: close takes a number; closing a descriptor we do not own is the caller's
    // business, not a memory-safety issue.
    unsafe { syscall::syscall1(nr::__NR_close, fd.raw() as usize) }.map(|_| ())
}

/// `fcntl(fd, F_DUPFD_CLOEXEC, min)`: a close-on-exec duplicate of `fd` numbered `min` or
/// above (a shell keeps its own descriptors out of the way of the 0–9 scripts use).
pub fn dup_at_least(fd: Fd, min: i32) -> Result<Fd, Errno> {
    // SAFETY: plain descriptor numbers; F_DUPFD_CLOEXEC takes an int argument.
    unsafe {
        syscall::syscall3(
            nr::__NR_fcntl64,
            fd.raw() as usize,
            linux_raw_sys::general::F_DUPFD_CLOEXEC as usize,
            min as usize,
        )
    }
    .map(|f| Fd::from_raw(f as i32))
}

/// `fcntl(fd, F_GETFL)`: the file status flags (`O_APPEND`, `O_NONBLOCK`, the access mode…).
pub fn status_flags(fd: Fd) -> Result<u32, Errno> {
    // SAFETY: F_GETFL takes no argument.
    unsafe {
        syscall::syscall2(
            nr::__NR_fcntl64,
            fd.raw() as usize,
            linux_raw_sys::general::F_GETFL as usize,
        )
    }
    .map(|f| f as u32)
}

/// `fcntl(fd, F_SETFL, flags)`: sets the changeable status flags (`O_APPEND`, `O_NONBLOCK`…).
pub fn set_status_flags(fd: Fd, flags: u32) -> Result<(), Errno> {
    // SAFETY: F_SETFL takes an int argument.
    unsafe {
        syscall::syscall3(
            nr::__NR_fcntl64,
            fd.raw() as usize,
            linux_raw_sys::general::F_SETFL as usize,
            flags as usize,
        )
    }
    .map(|_| ())
}

/// Reads a whole file into a `Vec` (works for `/proc` files, whose size `stat` reports as 0).
pub fn read(path: &CStr) -> Result<Vec<u8>, Errno> {
    let f = File::open_read(path)?;
    let mut v = Vec::new();
    f.read_to_end(&mut v)?;
    Ok(v)
}

/// Creates `path` (truncating it) and writes `data` to it.
pub fn write(path: &CStr, data: &[u8]) -> Result<(), Errno> {
    File::create(path, 0o666)?.write_all(data)
}

fn path_call(n: u32, path: &CStr, arg: usize) -> Result<(), Errno> {
    // SAFETY: `path` is NUL-terminated; the kernel only reads it; `arg` is a plain integer.
    unsafe { syscall::syscall2(n, path.as_ptr() as usize, arg) }.map(|_| ())
}

/// `mkdir(path, mode)`.
pub fn mkdir(path: &CStr, mode: u32) -> Result<(), Errno> {
    path_call(nr::__NR_mkdir, path, mode as usize)
}

/// `rmdir(path)`: removes an empty directory.
pub fn rmdir(path: &CStr) -> Result<(), Errno> {
    path_call(nr::__NR_rmdir, path, 0)
}

/// `unlink(path)`: removes a name (not a directory).
pub fn unlink(path: &CStr) -> Result<(), Errno> {
    path_call(nr::__NR_unlink, path, 0)
}

/// `rename(from, to)`.
pub fn rename(from: &CStr, to: &CStr) -> Result<(), Errno> {
    path_call(nr::__NR_rename, from, to.as_ptr() as usize)
}
