//! Descriptor numbers, the shell's way.
//!
//! A shell deals in numbers it does not own in Rust's sense: a script names `3>&1`,
//! `exec 5<file`, `<&-`, and the shell keeps its own bookkeeping of what it opened and
//! saved (the copies above 9 that [`Shell::restore`](crate::exec::Shell) puts back, the
//! pipe ends of a pipeline). So the shell holds plain [`RawFd`]s, and this module is the
//! only place that turns them back into descriptors for the runtime's I/O-safe calls. Its
//! `unsafe` blocks are sound for one reason, given once here: every number passed in is one
//! the shell tracks itself — a descriptor it opened or saved and has not closed yet, or one
//! a script named, which belongs to the script's process (this one) as a whole, like fd
//! 0–2 belong to every program — and no `OwnedFd` or `File` elsewhere in the shell owns
//! any of them (a descriptor the shell creates is turned into a number with [`keep`] at
//! once). Using a number that is not open is then not undefined behaviour but `EBADF`
//! from the kernel, which the callers report as dash does.

use linux_gate::Errno;
pub use linux_gate::fd::RawFd;
use linux_gate::fd::{self, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};
use linux_gate::{fs, io};

/// Standard input and output, as numbers for [`dup2`] and [`close`].
pub const STDIN: RawFd = 0;
pub const STDOUT: RawFd = 1;

/// Borrows a number the shell tracks: for one call, or (the script file it reads) for as
/// long as it reads it.
pub fn borrow(n: RawFd) -> BorrowedFd<'static> {
    // SAFETY: see the module comment: `n` is a number the shell manages; the shell itself
    // does not close it while the borrow is in use (a script that closes the number the
    // shell reads it from, `exec 10<&-`, only makes the next read fail with EBADF, which
    // ends the input, as in dash), and a number that is not open only makes a call fail.
    unsafe { BorrowedFd::borrow_raw(n) }
}

/// Hands the number of a descriptor the shell just created over to its bookkeeping.
pub fn keep(fd: impl IntoRawFd) -> RawFd {
    fd.into_raw_fd()
}

/// `close(n)`; errors are ignored (`<&-` of a closed descriptor is not an error in dash).
pub fn close(n: RawFd) {
    // SAFETY: see the module comment: nothing else in the shell owns `n`, and the shell's
    // bookkeeping drops the number with this call.
    let _ = unsafe { fd::close(n) };
}

/// `dup2(old, new)`: makes `new` (a number the shell or the script chose) a copy of `old`.
pub fn dup2(old: RawFd, new: RawFd) -> Result<(), Errno> {
    // SAFETY: `new` is a number the shell manages (see the module comment). The `OwnedFd`
    // is only dup2's way of naming the target: it is given back as a number right after
    // and never dropped, so it closes nothing; dup2 itself opens `new` if it was closed.
    let mut target = unsafe { OwnedFd::from_raw_fd(new) };
    let r = fd::dup2(borrow(old), &mut target);
    let _ = target.into_raw_fd();
    r
}

/// `fcntl(F_DUPFD_CLOEXEC)`: a close-on-exec copy of `n` numbered `min` or above.
pub fn dup_at_least(n: RawFd, min: RawFd) -> Result<RawFd, Errno> {
    fd::fcntl_dupfd_cloexec(borrow(n), min).map(keep)
}

/// Opens `path`; the number of the new descriptor.
pub fn open(path: &core::ffi::CStr, flags: fs::OFlags, mode: fs::Mode) -> Result<RawFd, Errno> {
    fs::open(path, flags, mode).map(keep)
}

/// A close-on-exec pipe: (read end, write end).
pub fn pipe() -> Result<(RawFd, RawFd), Errno> {
    linux_gate::process::pipe2(linux_gate::process::PipeFlags::CLOEXEC)
        .map(|(r, w)| (keep(r), keep(w)))
}

/// All of `buf` onto `n`.
pub fn write_all(n: RawFd, buf: &[u8]) -> Result<(), Errno> {
    io::write_all(borrow(n), buf)
}
