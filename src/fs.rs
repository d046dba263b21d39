//! Files: an owned descriptor that closes on drop, and `open`.

use crate::errno::Errno;
use crate::io::Fd;
use crate::syscall::{self, nr};
use core::ffi::CStr;

pub use linux_raw_sys::general::{
    O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_TRUNC,
    O_WRONLY,
};

/// An open file descriptor that is closed when dropped.
#[derive(Debug)]
pub struct File {
    fd: Fd,
}

impl File {
    /// `open(path, flags, mode)`; `O_LARGEFILE` is always added (64-bit offsets on i386).
    pub fn open(path: &CStr, flags: u32, mode: u32) -> Result<File, Errno> {
        let flags = flags | linux_raw_sys::general::O_LARGEFILE;
        // SAFETY: `path` is NUL-terminated; the kernel only reads it.
        let fd = unsafe {
            syscall::syscall3(
                nr::__NR_open,
                path.as_ptr() as usize,
                flags as usize,
                mode as usize,
            )
        }?;
        Ok(File {
            fd: Fd::from_raw(fd as i32),
        })
    }

    /// Opens `path` read-only.
    pub fn open_read(path: &CStr) -> Result<File, Errno> {
        File::open(path, O_RDONLY | O_CLOEXEC, 0)
    }

    /// Takes ownership of a raw descriptor.
    pub fn from_fd(fd: Fd) -> File {
        File { fd }
    }

    /// The descriptor (still owned by `self`).
    pub fn fd(&self) -> Fd {
        self.fd
    }

    /// Gives up ownership without closing.
    pub fn into_fd(self) -> Fd {
        let fd = self.fd;
        core::mem::forget(self);
        fd
    }

    /// `read(2)`.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        self.fd.read(buf)
    }

    /// Writes all of `buf` (retrying partial writes and `EINTR`).
    pub fn write_all(&self, buf: &[u8]) -> Result<(), Errno> {
        self.fd.write_all(buf)
    }

    /// Reads until end of file, appending to `out` (retrying `EINTR`).
    pub fn read_to_end(&self, out: &mut alloc::vec::Vec<u8>) -> Result<usize, Errno> {
        read_to_end(self.fd, out)
    }
}

/// Reads `fd` until end of file, appending to `out` (retrying `EINTR`).
pub fn read_to_end(fd: Fd, out: &mut alloc::vec::Vec<u8>) -> Result<usize, Errno> {
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

impl Drop for File {
    fn drop(&mut self) {
        let _ = close(self.fd);
    }
}

/// Reads a whole file into a `Vec` (works for `/proc` files, whose size `stat` reports as 0).
pub fn read(path: &CStr) -> Result<alloc::vec::Vec<u8>, Errno> {
    let f = File::open_read(path)?;
    let mut v = alloc::vec::Vec::new();
    f.read_to_end(&mut v)?;
    Ok(v)
}
