//! Memory mappings: `mmap` (through i386's `mmap2`), `munmap`, `mprotect`, `mremap`,
//! `madvise`, and the program break (`brk`/`sbrk` with glibc's semantics).
//!
//! # `mmap2`, not `mmap`
//!
//! i386's original `mmap` (90) takes one pointer to a struct of its six arguments, and a
//! 32-bit byte offset (files up to 4 GiB). `mmap2` (192) takes the six in registers — the one
//! six-argument call of the everyday set, which is why [`crate::syscall::syscall6`] exists —
//! and its offset counts 4096-byte pages, so 32 bits reach 16 TiB. [`mmap`] takes a byte
//! offset and does the division: an offset that is not a multiple of 4096 is `EINVAL` (as
//! the kernel's `mmap` says), one past 16 TiB is `EOVERFLOW`.
//!
//! Mapping new memory is safe (the kernel picks the place, nothing existing changes);
//! unmapping, changing protection or placing a mapping at a fixed address can pull memory
//! from under live references, so those are `unsafe`.

use crate::errno::Errno;
use crate::fd::{AsFd, AsRawFd};
use crate::raw;
use core::ptr::NonNull;
use linux_raw_sys::general as g;

bitflags::bitflags! {
    /// Page protection.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct ProtFlags: u32 {
        /// Readable.
        const READ = g::PROT_READ;
        /// Writable.
        const WRITE = g::PROT_WRITE;
        /// Executable.
        const EXEC = g::PROT_EXEC;
    }
}

bitflags::bitflags! {
    /// Mapping flags. Exactly one of `SHARED` and `PRIVATE` is needed.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct MapFlags: u32 {
        /// Writes reach the file and other mappings of it.
        const SHARED = g::MAP_SHARED;
        /// Copy-on-write.
        const PRIVATE = g::MAP_PRIVATE;
        /// Not backed by a file (zero-filled; the descriptor is ignored).
        const ANONYMOUS = g::MAP_ANONYMOUS;
        /// A stack: grows down.
        const GROWSDOWN = g::MAP_GROWSDOWN;
        /// Lock the pages in memory.
        const LOCKED = g::MAP_LOCKED;
        /// Do not reserve swap.
        const NORESERVE = g::MAP_NORESERVE;
        /// Fault the pages in now.
        const POPULATE = g::MAP_POPULATE;
        /// Use the address given, or fail with `EEXIST` (never replaces a mapping).
        const FIXED_NOREPLACE = g::MAP_FIXED_NOREPLACE;
        /// A mapping suitable for a thread's stack.
        const STACK = g::MAP_STACK;
    }
}

bitflags::bitflags! {
    /// [`mremap`]'s flags.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct MremapFlags: u32 {
        /// The kernel may move the mapping to grow it.
        const MAYMOVE = g::MREMAP_MAYMOVE;
    }
}

/// Advice for [`madvise`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Advice {
    /// No special treatment.
    Normal = g::MADV_NORMAL,
    /// Expect random access.
    Random = g::MADV_RANDOM,
    /// Expect sequential access.
    Sequential = g::MADV_SEQUENTIAL,
    /// Will be needed soon.
    WillNeed = g::MADV_WILLNEED,
    /// Not needed: a private anonymous page reads as zeros afterwards (hence `unsafe`).
    DontNeed = g::MADV_DONTNEED,
    /// May be freed lazily.
    Free = g::MADV_FREE,
    /// Do not copy into a `fork` child.
    DontFork = g::MADV_DONTFORK,
    /// Undo `DontFork`.
    DoFork = g::MADV_DOFORK,
}

/// The page size `mmap2` counts offsets in: 4096 on i386, whatever `AT_PAGESZ` says.
const MMAP2_UNIT: u64 = 4096;

/// `mmap2(NULL, len, prot, flags, fd, offset / 4096)`: maps `len` bytes of `fd` from byte
/// `offset` at an address the kernel chooses.
pub fn mmap(
    len: usize,
    prot: ProtFlags,
    flags: MapFlags,
    fd: impl AsFd,
    offset: u64,
) -> Result<NonNull<u8>, Errno> {
    if !offset.is_multiple_of(MMAP2_UNIT) {
        return Err(Errno::EINVAL);
    }
    let pages = usize::try_from(offset / MMAP2_UNIT).map_err(|_| Errno::EOVERFLOW)?;
    let fd = fd.as_fd().as_raw_fd();
    // SAFETY: with no MAP_FIXED the kernel picks free address space: no existing memory
    // changes.
    let a = unsafe { raw::mm::mmap2(0, len, prot.bits(), flags.bits(), fd, pages) }?;
    NonNull::new(a as *mut u8).ok_or(Errno::ENOMEM)
}

/// `mmap2(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0)`: fresh zeroed memory.
pub fn mmap_anonymous(len: usize, prot: ProtFlags, flags: MapFlags) -> Result<NonNull<u8>, Errno> {
    let flags = (flags | MapFlags::ANONYMOUS).bits();
    // SAFETY: as in `mmap`: no MAP_FIXED, no existing memory changes.
    let a = unsafe { raw::mm::mmap2(0, len, prot.bits(), flags, -1, 0) }?;
    NonNull::new(a as *mut u8).ok_or(Errno::ENOMEM)
}

/// `mmap2` at exactly `addr` (`MAP_FIXED`), replacing whatever was mapped there.
///
/// # Safety
/// Nothing may use memory in `addr..addr + len` that this replaces.
pub unsafe fn mmap_fixed(
    addr: NonNull<u8>,
    len: usize,
    prot: ProtFlags,
    flags: MapFlags,
    fd: Option<crate::fd::BorrowedFd<'_>>,
    offset: u64,
) -> Result<NonNull<u8>, Errno> {
    if !offset.is_multiple_of(MMAP2_UNIT) {
        return Err(Errno::EINVAL);
    }
    let pages = usize::try_from(offset / MMAP2_UNIT).map_err(|_| Errno::EOVERFLOW)?;
    let (fd, anon) = match fd {
        Some(fd) => (fd.as_raw_fd(), MapFlags::empty()),
        None => (-1, MapFlags::ANONYMOUS),
    };
    let flags = (flags | anon).bits() | g::MAP_FIXED;
    let a = addr.as_ptr() as usize;
    // SAFETY: the caller's contract.
    let r = unsafe { raw::mm::mmap2(a, len, prot.bits(), flags, fd, pages) }?;
    NonNull::new(r as *mut u8).ok_or(Errno::ENOMEM)
}

/// `munmap(addr, len)`.
///
/// # Safety
/// Nothing may use memory in the range afterwards.
pub unsafe fn munmap(addr: NonNull<u8>, len: usize) -> Result<(), Errno> {
    // SAFETY: the caller's contract.
    unsafe { raw::mm::munmap(addr.as_ptr() as usize, len) }.map(|_| ())
}

/// `mprotect(addr, len, prot)`.
///
/// # Safety
/// Taking away access from memory that live references point into makes their next use
/// fault; adding `EXEC` to writable memory is the caller's security decision.
pub unsafe fn mprotect(addr: NonNull<u8>, len: usize, prot: ProtFlags) -> Result<(), Errno> {
    // SAFETY: the caller's contract.
    unsafe { raw::mm::mprotect(addr.as_ptr() as usize, len, prot.bits()) }.map(|_| ())
}

/// `mremap(addr, old_len, new_len, flags)`: grows or shrinks a mapping, moving it if
/// [`MremapFlags::MAYMOVE`] allows.
///
/// # Safety
/// Shrinking (or moving) invalidates references into what is no longer there.
pub unsafe fn mremap(
    addr: NonNull<u8>,
    old_len: usize,
    new_len: usize,
    flags: MremapFlags,
) -> Result<NonNull<u8>, Errno> {
    let a = addr.as_ptr() as usize;
    // SAFETY: the caller's contract.
    let r = unsafe { raw::mm::mremap(a, old_len, new_len, flags.bits(), 0) }?;
    NonNull::new(r as *mut u8).ok_or(Errno::ENOMEM)
}

/// `madvise(addr, len, advice)`.
///
/// # Safety
/// [`Advice::DontNeed`] and [`Advice::Free`] may replace the contents with zeros.
pub unsafe fn madvise(addr: NonNull<u8>, len: usize, advice: Advice) -> Result<(), Errno> {
    // SAFETY: the caller's contract.
    unsafe { raw::mm::madvise(addr.as_ptr() as usize, len, advice as u32) }.map(|_| ())
}

/// `mincore(addr, len)`: succeeds iff every page of the range is mapped (`ENOMEM`
/// otherwise), writing one residency byte per page into `vec`. It never touches the memory
/// itself, so it is a safe probe. `vec` too short for the range is `EINVAL`.
pub fn mincore(addr: usize, len: usize, vec: &mut [u8]) -> Result<(), Errno> {
    let page = crate::auxv::page_size();
    if len.div_ceil(page) > vec.len() {
        return Err(Errno::EINVAL);
    }
    // SAFETY: the kernel writes one byte per page of the range into `vec`, which has room;
    // it does not access the range.
    unsafe { raw::mm::mincore(addr, len, vec.as_mut_ptr()) }.map(|_| ())
}

/// The current program break (the end of the brk heap).
pub fn current_break() -> usize {
    // SAFETY: brk(0) moves nothing: it only reports the break.
    unsafe { raw::mm::brk(0) }.unwrap_or(0)
}

/// glibc's `brk(addr)`: moves the program break to `addr`; `ENOMEM` if the kernel would
/// not (the kernel's own `brk` returns the unchanged break instead of an error, which is
/// how the refusal is seen).
///
/// # Safety
/// The runtime's allocator ([`crate::heap`]) grows its arena with `brk`: moving the break
/// under it (lowering it, or raising it while the allocator also does) corrupts the heap.
/// Only a program that does not allocate may do this.
pub unsafe fn brk(addr: usize) -> Result<(), Errno> {
    // SAFETY: the caller's contract.
    let now = unsafe { raw::mm::brk(addr) }.unwrap_or(0);
    if now == addr {
        Ok(())
    } else {
        Err(Errno::ENOMEM)
    }
}

/// glibc's `sbrk(increment)`: moves the break by `increment` bytes and returns the old
/// break; `ENOMEM` on overflow or refusal (nothing moves then).
///
/// # Safety
/// As for [`brk`].
pub unsafe fn sbrk(increment: isize) -> Result<usize, Errno> {
    let old = current_break();
    if increment == 0 {
        return Ok(old);
    }
    let new = old.checked_add_signed(increment).ok_or(Errno::ENOMEM)?;
    // SAFETY: the caller's contract.
    unsafe { brk(new) }?;
    Ok(old)
}
