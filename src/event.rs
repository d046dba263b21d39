//! Waiting for several descriptors at once — `poll`, `ppoll` (time64), `select` (i386's
//! `_newselect`) — and event counters (`eventfd`).

use crate::errno::Errno;
use crate::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, owned_result};
use crate::raw;
use crate::signal::SigSet;
use crate::time::Timespec;
use core::marker::PhantomData;
use linux_raw_sys::general as g;

bitflags::bitflags! {
    /// What [`poll`] waits for (`events`) and what it found (`revents`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct PollFlags: u16 {
        /// Data to read.
        const IN = g::POLLIN as u16;
        /// Urgent data.
        const PRI = g::POLLPRI as u16;
        /// Writing will not block.
        const OUT = g::POLLOUT as u16;
        /// Normal data to read.
        const RDNORM = g::POLLRDNORM as u16;
        /// Normal data may be written.
        const WRNORM = g::POLLWRNORM as u16;
        /// The peer closed its writing side (stream sockets).
        const RDHUP = g::POLLRDHUP as u16;
        /// Only in `revents`: an error.
        const ERR = g::POLLERR as u16;
        /// Only in `revents`: hung up (the other end closed).
        const HUP = g::POLLHUP as u16;
        /// Only in `revents`: not an open descriptor.
        const NVAL = g::POLLNVAL as u16;
    }
}

/// One entry of [`poll`]'s array: the kernel's `struct pollfd`, borrowing its descriptor.
#[repr(transparent)]
pub struct PollFd<'fd> {
    raw: g::pollfd,
    _fd: PhantomData<BorrowedFd<'fd>>,
}

impl<'fd> PollFd<'fd> {
    /// Watches `fd` for `events`.
    pub fn new(fd: &'fd impl AsFd, events: PollFlags) -> PollFd<'fd> {
        PollFd::from_borrowed(fd.as_fd(), events)
    }

    /// Watches a borrowed descriptor for `events`.
    pub fn from_borrowed(fd: BorrowedFd<'fd>, events: PollFlags) -> PollFd<'fd> {
        PollFd {
            raw: g::pollfd {
                fd: fd.as_raw_fd(),
                events: events.bits() as i16,
                revents: 0,
            },
            _fd: PhantomData,
        }
    }

    /// What the last [`poll`] found.
    pub fn revents(&self) -> PollFlags {
        PollFlags::from_bits_retain(self.raw.revents as u16)
    }

    /// Stops watching this entry without moving the others (the kernel skips entries whose
    /// descriptor is negative, and reports nothing for them). One way: build a new entry to
    /// watch the descriptor again.
    pub fn ignore(&mut self) {
        self.raw.fd = -1;
        self.raw.revents = 0;
    }
}

/// `poll(fds, timeout_ms)`: waits until an entry is ready or `timeout_ms` passes (`None`:
/// forever; `Some(0)`: do not wait). Returns how many entries have `revents`. `EINTR` is
/// reported, not retried (the caller knows whether the remaining time still matters).
pub fn poll(fds: &mut [PollFd<'_>], timeout_ms: Option<u32>) -> Result<usize, Errno> {
    let t = match timeout_ms {
        None => -1,
        Some(ms) => i32::try_from(ms).unwrap_or(i32::MAX),
    };
    // SAFETY: `PollFd` is a `struct pollfd`; the kernel reads and writes `fds.len()` of them.
    unsafe { raw::event::poll(fds.as_mut_ptr().cast(), fds.len(), t) }
}

/// `ppoll_time64(fds, timeout, mask)`: [`poll`] with a nanosecond timeout (64-bit seconds)
/// and, if given, the signal mask to hold during the wait (atomically).
pub fn ppoll(
    fds: &mut [PollFd<'_>],
    timeout: Option<Timespec>,
    mask: Option<SigSet>,
) -> Result<usize, Errno> {
    let ts = timeout.map(|t| g::__kernel_timespec {
        tv_sec: t.sec,
        tv_nsec: t.nsec as i64,
    });
    let tsp = ts.as_ref().map_or(core::ptr::null(), |t| t as *const _);
    let m = mask.map(SigSet::bits);
    let mp = m.as_ref().map_or(core::ptr::null(), |m| m as *const u64);
    // SAFETY: as in `poll`; the timeout and mask, when given, live across the call.
    unsafe { raw::event::ppoll(fds.as_mut_ptr().cast(), fds.len(), tsp, mp) }
}

/// A set of descriptors for [`select`]: the kernel's `fd_set`, 1024 bits (`FD_SETSIZE`).
#[derive(Clone, Copy)]
pub struct FdSet {
    bits: g::__kernel_fd_set,
}

/// `FD_SETSIZE`: `select` can only watch descriptors below this.
pub const FD_SETSIZE: usize = 1024;

impl Default for FdSet {
    fn default() -> FdSet {
        FdSet::new()
    }
}

impl FdSet {
    /// The empty set.
    pub const fn new() -> FdSet {
        FdSet {
            bits: g::__kernel_fd_set {
                fds_bits: [0; FD_SETSIZE / 32],
            },
        }
    }

    fn slot(fd: BorrowedFd<'_>) -> Result<(usize, u32), Errno> {
        let n = usize::try_from(fd.as_raw_fd()).map_err(|_| Errno::EBADF)?;
        if n >= FD_SETSIZE {
            return Err(Errno::EINVAL);
        }
        Ok((n / 32, 1 << (n % 32)))
    }

    /// Adds `fd`; one at or above [`FD_SETSIZE`] is `EINVAL` (glibc's `FD_SET` would write
    /// past the set).
    pub fn insert(&mut self, fd: impl AsFd) -> Result<(), Errno> {
        let (w, b) = FdSet::slot(fd.as_fd())?;
        if let Some(word) = self.bits.fds_bits.get_mut(w) {
            *word |= b as core::ffi::c_ulong;
        }
        Ok(())
    }

    /// Whether `fd` is in the set (as `select` left it).
    pub fn contains(&self, fd: impl AsFd) -> bool {
        match FdSet::slot(fd.as_fd()) {
            Ok((w, b)) => self.bits.fds_bits.get(w).is_some_and(|&x| x & b != 0),
            Err(_) => false,
        }
    }

    /// One more than the highest descriptor in the set (0 for none): `select`'s `nfds`.
    fn nfds(&self) -> i32 {
        for (i, &w) in self.bits.fds_bits.iter().enumerate().rev() {
            if w != 0 {
                return (i * 32 + 32 - w.leading_zeros() as usize) as i32;
            }
        }
        0
    }
}

/// `_newselect(nfds, read, write, except, timeout)`: waits until a descriptor in one of the
/// sets is ready; the sets are rewritten to the ready ones. Returns how many are ready.
/// `timeout_us` of `None` waits forever. (The old `select`, 82 on i386, takes its five
/// arguments in a struct: not used.)
pub fn select(
    read: Option<&mut FdSet>,
    write: Option<&mut FdSet>,
    except: Option<&mut FdSet>,
    timeout_us: Option<u64>,
) -> Result<usize, Errno> {
    let n = [&read, &write, &except]
        .iter()
        .filter_map(|s| s.as_ref().map(|s| s.nfds()))
        .max()
        .unwrap_or(0);
    let mut tv = match timeout_us {
        Some(us) => Some(g::__kernel_old_timeval {
            tv_sec: i32::try_from(us / 1_000_000).map_err(|_| Errno::EINVAL)? as _,
            tv_usec: (us % 1_000_000) as _,
        }),
        None => None,
    };
    let p = |s: Option<&mut FdSet>| s.map_or(core::ptr::null_mut(), |s| &mut s.bits as *mut _);
    let tvp = tv.as_mut().map_or(core::ptr::null_mut(), |t| t as *mut _);
    // SAFETY: each pointer is null or a live 1024-bit fd_set; `nfds` keeps the kernel
    // within them; the timeval lives across the call.
    unsafe { raw::event::select(n, p(read), p(write), p(except), tvp) }
}

bitflags::bitflags! {
    /// [`eventfd`]'s flags.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct EventfdFlags: u32 {
        /// Close on `execve`.
        const CLOEXEC = g::EFD_CLOEXEC;
        /// Non-blocking reads and writes.
        const NONBLOCK = g::EFD_NONBLOCK;
        /// Each read takes 1, not the whole count.
        const SEMAPHORE = g::EFD_SEMAPHORE;
    }
}

/// `eventfd2(initval, flags)`: a counter to wait on. Writing 8 bytes (a `u64`) adds to it,
/// reading 8 bytes takes it (and blocks while it is 0).
pub fn eventfd(initval: u32, flags: EventfdFlags) -> Result<OwnedFd, Errno> {
    // SAFETY: takes numbers, creates a descriptor.
    owned_result(unsafe { raw::event::eventfd2(initval, flags.bits()) })
}
