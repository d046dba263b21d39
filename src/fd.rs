//! File descriptors with Rust's I/O-safety rules: who owns a descriptor is in its type.
//!
//! | here | std | what it is |
//! | --- | --- | --- |
//! | [`RawFd`] | `std::os::fd::RawFd` | the number the kernel uses: `i32`, no ownership |
//! | [`OwnedFd`] | `std::os::fd::OwnedFd` | owns one open descriptor and closes it on drop; not `Copy` |
//! | [`BorrowedFd<'fd>`](BorrowedFd) | `std::os::fd::BorrowedFd` | a `Copy` loan of a descriptor, valid for `'fd` |
//! | [`AsFd`] | `std::os::fd::AsFd` | "can lend a `BorrowedFd`": every call that uses a descriptor takes `impl AsFd` |
//! | [`AsRawFd`], [`FromRawFd`], [`IntoRawFd`] | the same names | the number in and out; only `from_raw_fd` (unsafe) makes an owner |
//!
//! The rule that makes this sound: **safe code can only get an `OwnedFd` from a call that
//! created the descriptor** (`open`, `pipe2`, `dup`, `socket`, `accept4`, `eventfd`,
//! `memfd_create`, …). Turning a number into an owner ([`FromRawFd::from_raw_fd`]) or a
//! borrow ([`BorrowedFd::borrow_raw`]) is `unsafe`, and so is [`close`] of a number. So safe
//! code cannot close a descriptor that something else owns, nor close one twice: the second
//! `drop` of an `OwnedFd` does not compile (it was moved by the first).
//!
//! Standard input, output and error are not owned by anything in the program: [`stdin`],
//! [`stdout`] and [`stderr`] lend them as `BorrowedFd<'static>`. To put another descriptor
//! in their place (a shell's `> file`), use [`dup2_stdin`], [`dup2_stdout`], [`dup2_stderr`].

use crate::errno::Errno;
use crate::raw;
use core::marker::PhantomData;

/// A descriptor number as the kernel knows it.
pub type RawFd = i32;

/// An open descriptor that this value owns: closed exactly once, when it is dropped.
///
/// Errors from that `close` are ignored, as std's `OwnedFd` ignores them (the descriptor is
/// gone either way on Linux); call [`OwnedFd::close`] to see them.
#[derive(Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct OwnedFd {
    fd: RawFd,
}

/// A descriptor borrowed for `'fd`: `Copy`, never closes anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct BorrowedFd<'fd> {
    fd: RawFd,
    _owner: PhantomData<&'fd OwnedFd>,
}

/// Lends a descriptor: what every call that uses one takes.
pub trait AsFd {
    /// A borrow of the descriptor, as long as `self` is borrowed.
    fn as_fd(&self) -> BorrowedFd<'_>;
}

/// The raw number of a descriptor (owned or borrowed), e.g. to print it or to pass to C.
pub trait AsRawFd {
    /// The number; ownership does not change.
    fn as_raw_fd(&self) -> RawFd;
}

/// Makes an owner from a raw number: the only door from numbers to owners, hence `unsafe`.
pub trait FromRawFd {
    /// Takes ownership of `fd`.
    ///
    /// # Safety
    /// `fd` must be open, and nothing else may own it (nor close it) from now on.
    unsafe fn from_raw_fd(fd: RawFd) -> Self;
}

/// Gives up ownership and returns the number, which is then not closed by anyone.
pub trait IntoRawFd {
    /// The number; the caller now answers for closing it.
    fn into_raw_fd(self) -> RawFd;
}

impl OwnedFd {
    /// Closes the descriptor now and reports what `close` said.
    pub fn close(self) -> Result<(), Errno> {
        let fd = self.into_raw_fd();
        // SAFETY: `self` owned `fd`, and it was consumed: nobody uses the number again.
        unsafe { close(fd) }
    }

    /// `fcntl(F_DUPFD_CLOEXEC, 0)`: a second owner of the same open file description, with
    /// close-on-exec set (as std's `try_clone`).
    pub fn try_clone(&self) -> Result<OwnedFd, Errno> {
        self.as_fd().try_clone_to_owned()
    }
}

impl Drop for OwnedFd {
    fn drop(&mut self) {
        // SAFETY: `self` owns the descriptor and is going away.
        let _ = unsafe { raw::fd::close(self.fd) };
    }
}

impl BorrowedFd<'_> {
    /// Borrows a raw number.
    ///
    /// # Safety
    /// `fd` must stay open for the whole lifetime the result is used with.
    pub const unsafe fn borrow_raw(fd: RawFd) -> Self {
        BorrowedFd {
            fd,
            _owner: PhantomData,
        }
    }

    /// A new owned descriptor for the same open file (`F_DUPFD_CLOEXEC`).
    pub fn try_clone_to_owned(&self) -> Result<OwnedFd, Errno> {
        fcntl_dupfd_cloexec(*self, 0)
    }
}

impl AsFd for OwnedFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: `self` keeps the descriptor open while the borrow lives.
        unsafe { BorrowedFd::borrow_raw(self.fd) }
    }
}
impl AsFd for BorrowedFd<'_> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        *self
    }
}
impl<T: AsFd + ?Sized> AsFd for &T {
    fn as_fd(&self) -> BorrowedFd<'_> {
        (**self).as_fd()
    }
}
impl<T: AsFd + ?Sized> AsFd for &mut T {
    fn as_fd(&self) -> BorrowedFd<'_> {
        (**self).as_fd()
    }
}
impl<T: AsFd + ?Sized> AsFd for alloc::boxed::Box<T> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        (**self).as_fd()
    }
}
impl AsRawFd for OwnedFd {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}
impl AsRawFd for BorrowedFd<'_> {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}
impl FromRawFd for OwnedFd {
    unsafe fn from_raw_fd(fd: RawFd) -> OwnedFd {
        OwnedFd { fd }
    }
}
impl IntoRawFd for OwnedFd {
    fn into_raw_fd(self) -> RawFd {
        let fd = self.fd;
        core::mem::forget(self);
        fd
    }
}

/// Standard input, fd 0, lent for the whole program.
pub const fn stdin() -> BorrowedFd<'static> {
    // SAFETY: the runtime never closes fd 0, and safe code cannot (no owner of it exists
    // unless `unsafe` code made one).
    unsafe { BorrowedFd::borrow_raw(0) }
}

/// Standard output, fd 1 (unbuffered: `print!` has its own buffer, see [`crate::io`]).
pub const fn stdout() -> BorrowedFd<'static> {
    // SAFETY: as for `stdin`.
    unsafe { BorrowedFd::borrow_raw(1) }
}

/// Standard error, fd 2.
pub const fn stderr() -> BorrowedFd<'static> {
    // SAFETY: as for `stdin`.
    unsafe { BorrowedFd::borrow_raw(2) }
}

/// `close(2)` of a raw number.
///
/// # Safety
/// `fd` must not be owned by anything that will use or close it later (an [`OwnedFd`], a
/// [`crate::fs::File`], a borrow in use): closing it under them would let them reach
/// whatever file reuses the number next.
pub unsafe fn close(fd: RawFd) -> Result<(), Errno> {
    // SAFETY: the caller's contract.
    unsafe { raw::fd::close(fd) }.map(|_| ())
}

/// Makes an owner of a descriptor number a creating call just returned.
fn owned(fd: usize) -> OwnedFd {
    // SAFETY: used only on the result of a call that created `fd` for us.
    unsafe { OwnedFd::from_raw_fd(fd as RawFd) }
}

/// Turns the result of a creating call into an owner (for the other modules).
pub(crate) fn owned_result(r: Result<usize, Errno>) -> Result<OwnedFd, Errno> {
    r.map(owned)
}

/// `dup(2)`: the lowest free number for the same open file (close-on-exec clear).
pub fn dup(fd: impl AsFd) -> Result<OwnedFd, Errno> {
    // SAFETY: dup takes a number and creates a descriptor.
    owned_result(unsafe { raw::fd::dup(fd.as_fd().fd) })
}

/// `dup2(2)`: makes `new` refer to `old`'s open file (closing what `new` had). When the two
/// are already the same number, nothing happens.
pub fn dup2(old: impl AsFd, new: &mut OwnedFd) -> Result<(), Errno> {
    // SAFETY: `new` is owned by the caller, so replacing its open file harms no one else.
    unsafe { raw::fd::dup2(old.as_fd().fd, new.fd) }.map(|_| ())
}

bitflags::bitflags! {
    /// Flags for [`dup3`] and [`fcntl_setfd`]/[`fcntl_getfd`]: close-on-exec.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct FdFlags: u32 {
        /// `FD_CLOEXEC`: closed by `execve`.
        const CLOEXEC = linux_raw_sys::general::FD_CLOEXEC;
    }
}

/// `dup3(2)`: [`dup2`] with close-on-exec chosen; the same number twice is `EINVAL`.
pub fn dup3(old: impl AsFd, new: &mut OwnedFd, flags: FdFlags) -> Result<(), Errno> {
    let f = if flags.contains(FdFlags::CLOEXEC) {
        linux_raw_sys::general::O_CLOEXEC
    } else {
        0
    };
    // SAFETY: as for `dup2`.
    unsafe { raw::fd::dup3(old.as_fd().fd, new.fd, f) }.map(|_| ())
}

/// `dup2(fd, n)` for one of the standard descriptors, which the program does not own.
fn dup2_std(fd: BorrowedFd<'_>, n: RawFd) -> Result<(), Errno> {
    // SAFETY: fd 0–2 belong to the process as a whole; replacing their open file is what a
    // redirection means and leaves every borrow of them valid (the number stays open).
    unsafe { raw::fd::dup2(fd.fd, n) }.map(|_| ())
}

/// Makes fd 0 a copy of `fd` (`dup2(fd, 0)`; a no-op when `fd` is 0).
pub fn dup2_stdin(fd: impl AsFd) -> Result<(), Errno> {
    dup2_std(fd.as_fd(), 0)
}

/// Makes fd 1 a copy of `fd` (`dup2(fd, 1)`). Flush `print!`'s buffer first if it matters
/// where its contents go.
pub fn dup2_stdout(fd: impl AsFd) -> Result<(), Errno> {
    dup2_std(fd.as_fd(), 1)
}

/// Makes fd 2 a copy of `fd` (`dup2(fd, 2)`).
pub fn dup2_stderr(fd: impl AsFd) -> Result<(), Errno> {
    dup2_std(fd.as_fd(), 2)
}

/// `fcntl(F_DUPFD_CLOEXEC, min)`: a copy numbered `min` or above, close-on-exec set.
pub fn fcntl_dupfd_cloexec(fd: impl AsFd, min: RawFd) -> Result<OwnedFd, Errno> {
    use linux_raw_sys::general::F_DUPFD_CLOEXEC;
    // SAFETY: F_DUPFD_CLOEXEC takes an integer and creates a descriptor.
    owned_result(unsafe { raw::fd::fcntl(fd.as_fd().fd, F_DUPFD_CLOEXEC, min as usize) })
}

/// `fcntl(F_GETFD)`: the descriptor's own flags.
pub fn fcntl_getfd(fd: impl AsFd) -> Result<FdFlags, Errno> {
    // SAFETY: F_GETFD takes no argument.
    let r = unsafe { raw::fd::fcntl(fd.as_fd().fd, linux_raw_sys::general::F_GETFD, 0) }?;
    Ok(FdFlags::from_bits_retain(r as u32))
}

/// `fcntl(F_SETFD)`.
pub fn fcntl_setfd(fd: impl AsFd, flags: FdFlags) -> Result<(), Errno> {
    let f = flags.bits() as usize;
    // SAFETY: F_SETFD takes an integer.
    unsafe { raw::fd::fcntl(fd.as_fd().fd, linux_raw_sys::general::F_SETFD, f) }.map(|_| ())
}

/// The kind of a POSIX record lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockType {
    /// `F_RDLCK`: shared.
    Read,
    /// `F_WRLCK`: exclusive.
    Write,
    /// `F_UNLCK`: none (to release, or as [`fcntl_getlk`]'s "nothing in the way").
    Unlock,
}

/// A POSIX record lock over a byte range (`struct flock64`: 64-bit offsets on i386).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lock {
    /// Shared, exclusive, or none.
    pub kind: LockType,
    /// First byte (from the start of the file).
    pub start: u64,
    /// Number of bytes; 0 means "to the end of the file, however far it grows".
    pub len: u64,
    /// The process holding it (in [`fcntl_getlk`]'s answer; ignored when setting).
    pub pid: i32,
}

fn to_flock(l: &Lock) -> Result<linux_raw_sys::general::flock64, Errno> {
    use linux_raw_sys::general::{F_RDLCK, F_UNLCK, F_WRLCK, SEEK_SET};
    Ok(linux_raw_sys::general::flock64 {
        l_type: match l.kind {
            LockType::Read => F_RDLCK,
            LockType::Write => F_WRLCK,
            LockType::Unlock => F_UNLCK,
        } as i16,
        l_whence: SEEK_SET as i16,
        l_start: i64::try_from(l.start).map_err(|_| Errno::EINVAL)?,
        l_len: i64::try_from(l.len).map_err(|_| Errno::EINVAL)?,
        l_pid: 0,
    })
}

/// `fcntl64(F_SETLK)` (or `F_SETLKW` when `wait`): takes or releases `lock`. Without `wait`,
/// a conflicting lock is `EAGAIN`/`EACCES`; with it, the call blocks (and `EINTR` is
/// reported, not retried).
pub fn fcntl_lock(fd: impl AsFd, lock: &Lock, wait: bool) -> Result<(), Errno> {
    use linux_raw_sys::general::{F_SETLK64, F_SETLKW64};
    let fl = to_flock(lock)?;
    let cmd = if wait { F_SETLKW64 } else { F_SETLK64 };
    // SAFETY: F_SETLK64 reads one struct flock64, which `fl` is.
    unsafe { raw::fd::fcntl(fd.as_fd().fd, cmd, &fl as *const _ as usize) }.map(|_| ())
}

/// `fcntl64(F_GETLK)`: the first lock held by another process that would block `lock`, or
/// `None` if it could be taken.
pub fn fcntl_getlk(fd: impl AsFd, lock: &Lock) -> Result<Option<Lock>, Errno> {
    use linux_raw_sys::general::{F_GETLK64, F_RDLCK, F_UNLCK};
    let mut fl = to_flock(lock)?;
    // SAFETY: F_GETLK64 reads and rewrites one struct flock64, which `fl` is.
    unsafe { raw::fd::fcntl(fd.as_fd().fd, F_GETLK64, &mut fl as *mut _ as usize) }?;
    if fl.l_type as u32 == F_UNLCK {
        return Ok(None);
    }
    Ok(Some(Lock {
        kind: if fl.l_type as u32 == F_RDLCK {
            LockType::Read
        } else {
            LockType::Write
        },
        start: fl.l_start as u64,
        len: fl.l_len as u64,
        pid: fl.l_pid,
    }))
}
