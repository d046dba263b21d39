//! Directory listing with `getdents64`.
//!
//! `getdents64(fd, buf, len)` fills `buf` with packed `struct linux_dirent64` records:
//!
//! ```text
//! u64 d_ino | i64 d_off | u16 d_reclen | u8 d_type | d_name… NUL, padded to d_reclen
//! ```
//!
//! and returns the number of bytes used (0 at the end). [`Dir`] reads a buffer at a time and
//! yields one [`DirEntry`] per record, `.` and `..` included, in the kernel's order.

use crate::errno::Errno;
use crate::fd::{AsFd, AsRawFd, BorrowedFd};
use crate::fs::{File, Mode, OFlags};
use crate::raw;
use alloc::vec;
use alloc::vec::Vec;
use core::ffi::CStr;

/// Offsets into a `linux_dirent64` record.
const RECLEN_AT: usize = 16;
const TYPE_AT: usize = 18;
const NAME_AT: usize = 19;

/// One directory entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// Inode number.
    pub ino: u64,
    /// `DT_*` type (`DT_DIR`, `DT_REG`, …; `DT_UNKNOWN` if the file system does not say).
    pub kind: u8,
    /// The name, without the NUL; any bytes but `/` and NUL.
    pub name: Vec<u8>,
}

/// An open directory, read with `getdents64`. Iterating yields `Result<DirEntry, Errno>`.
pub struct Dir {
    file: File,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    done: bool,
}

impl Dir {
    /// Opens `path` as a directory (`O_DIRECTORY`: `ENOTDIR` if it is not one).
    pub fn open(path: &CStr) -> Result<Dir, Errno> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(Dir::from_file(File::open(path, flags, Mode::empty())?))
    }

    /// Lists an already open directory.
    pub fn from_file(file: File) -> Dir {
        Dir {
            file,
            buf: vec![0; 32 * 1024],
            pos: 0,
            len: 0,
            done: false,
        }
    }

    /// The directory's descriptor (for `openat` relative to it).
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.file.as_fd()
    }

    fn fill(&mut self) -> Result<usize, Errno> {
        loop {
            // SAFETY: the kernel writes at most buf.len() bytes into buf.
            let fd = self.file.as_raw_fd();
            let r = unsafe { raw::fs::getdents64(fd, self.buf.as_mut_ptr(), self.buf.len()) };
            match r {
                Err(Errno::EINTR) => continue,
                r => return r,
            }
        }
    }
}

impl AsFd for Dir {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.file.as_fd()
    }
}

impl Iterator for Dir {
    type Item = Result<DirEntry, Errno>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.len {
            if self.done {
                return None;
            }
            match self.fill() {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(n) => {
                    self.len = n.min(self.buf.len());
                    self.pos = 0;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        // Parse one record, bounds-checked: a malformed buffer ends the listing with EIO.
        let rec = &self.buf[self.pos..self.len];
        let parsed = (|| {
            let ino = u64::from_ne_bytes(rec.get(..8)?.try_into().ok()?);
            let reclen = u16::from_ne_bytes(rec.get(RECLEN_AT..TYPE_AT)?.try_into().ok()?) as usize;
            let kind = *rec.get(TYPE_AT)?;
            let name = rec.get(NAME_AT..reclen)?;
            let end = name.iter().position(|&b| b == 0)?;
            Some((reclen, ino, kind, &name[..end]))
        })();
        match parsed {
            Some((reclen, ino, kind, name)) => {
                let entry = DirEntry {
                    ino,
                    kind,
                    name: name.to_vec(),
                };
                self.pos += reclen;
                Some(Ok(entry))
            }
            None => {
                self.done = true;
                self.pos = self.len;
                Some(Err(Errno::EIO))
            }
        }
    }
}

/// The names in directory `path` (with `.` and `..`), sorted bytewise — the order of
/// `LC_ALL=C ls -1a`.
pub fn read_dir_sorted(path: &CStr) -> Result<Vec<Vec<u8>>, Errno> {
    let mut names = Vec::new();
    for e in Dir::open(path)? {
        names.push(e?.name);
    }
    names.sort_unstable();
    Ok(names)
}
