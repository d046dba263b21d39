//! Who a process is: process ids, user and group ids, and the calls that read and set them.
//!
//! On i386 the original id calls (`getuid`, `setuid`, `chown`, …) take and return 16-bit ids
//! and silently truncate anything above 65535; Linux 2.4 added the `*32` forms, which are
//! the only ones used here (see `src/raw/`).

use crate::errno::Errno;
use crate::raw;
use core::num::NonZeroI32;

/// A process id (or thread id, or process-group id): always positive. (Non-zero in its
/// representation, so an `Option<Pid>` is one word, as C's `pid_t` with 0 for "none".)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pid(NonZeroI32);

impl Pid {
    /// Process 1.
    pub const INIT: Pid = match NonZeroI32::new(1) {
        Some(one) => Pid(one),
        None => panic!("1 is not zero"),
    };

    /// A pid from its number; `None` unless it is positive (0 and negative numbers mean
    /// "this process", "this group" or "every process" to the calls that take them, so they
    /// are never a `Pid`).
    pub const fn from_raw(n: i32) -> Option<Pid> {
        match NonZeroI32::new(n) {
            Some(p) if n > 0 => Some(Pid(p)),
            _ => None,
        }
    }

    /// The number.
    pub const fn as_raw(self) -> i32 {
        self.0.get()
    }

    /// A number the kernel returned as a pid: positive by the kernel's contract, or 0 for
    /// "none" (a parent in another pid namespace). Only the 0 is checked, which is free in
    /// `Option<Pid>`'s representation.
    pub(crate) const fn from_kernel_opt(n: usize) -> Option<Pid> {
        match NonZeroI32::new(n as i32) {
            Some(p) => Some(Pid(p)),
            None => None,
        }
    }

    /// A number the kernel returned as a pid that cannot be 0 (1 stands in if it ever were).
    pub(crate) const fn from_kernel(n: usize) -> Pid {
        match Pid::from_kernel_opt(n) {
            Some(p) => p,
            None => Pid::INIT,
        }
    }
}

impl core::fmt::Display for Pid {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(&self.0.get(), f)
    }
}

/// A user id (32 bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uid(u32);

/// A group id (32 bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gid(u32);

impl Uid {
    /// The superuser, 0.
    pub const ROOT: Uid = Uid(0);

    /// A uid from its number. `u32::MAX` is refused: to the kernel it means "no change"
    /// (`(uid_t)-1`), never a user.
    pub const fn from_raw(n: u32) -> Option<Uid> {
        if n == u32::MAX { None } else { Some(Uid(n)) }
    }

    /// The number.
    pub const fn as_raw(self) -> u32 {
        self.0
    }
}

impl Gid {
    /// The superuser's group, 0.
    pub const ROOT: Gid = Gid(0);

    /// A gid from its number; `u32::MAX` ("no change" to the kernel) is refused.
    pub const fn from_raw(n: u32) -> Option<Gid> {
        if n == u32::MAX { None } else { Some(Gid(n)) }
    }

    /// The number.
    pub const fn as_raw(self) -> u32 {
        self.0
    }
}

/// `getpid(2)`: this process's id. Cannot fail.
pub fn getpid() -> Pid {
    // SAFETY: no arguments, no effects.
    Pid::from_kernel(unsafe { raw::process::getpid() }.unwrap_or(1))
}

/// `getppid(2)`: the parent's id (0 — `None` — when the parent is in another pid namespace).
pub fn getppid() -> Option<Pid> {
    // SAFETY: no arguments, no effects.
    Pid::from_kernel_opt(unsafe { raw::process::getppid() }.unwrap_or(0))
}

/// `gettid(2)`: the calling thread's id (the pid, in a single-threaded process).
pub fn gettid() -> Pid {
    // SAFETY: no arguments, no effects.
    Pid::from_kernel(unsafe { raw::process::gettid() }.unwrap_or(1))
}

/// `getpgid(2)`: the process group of `pid` (`None`: this process).
///
/// `Ok(None)` when the group's leader is in an ancestor pid namespace, so the group has no
/// number in this one (the kernel answers 0; a process started by `unshare --pid --fork` or
/// by a container runtime sees this).
pub fn getpgid(pid: Option<Pid>) -> Result<Option<Pid>, Errno> {
    // SAFETY: takes a number.
    unsafe { raw::process::getpgid(pid.map_or(0, Pid::as_raw)) }.map(Pid::from_kernel_opt)
}

/// `getpgrp()`: this process's group; `None` when it has no number in this pid namespace
/// (see [`getpgid`]).
pub fn getpgrp() -> Option<Pid> {
    getpgid(None).unwrap_or(None)
}

/// `setpgid(2)`: puts `pid` (`None`: this process) into group `pgid` (`None`: a new group
/// whose id is `pid`'s).
pub fn setpgid(pid: Option<Pid>, pgid: Option<Pid>) -> Result<(), Errno> {
    let (p, g) = (pid.map_or(0, Pid::as_raw), pgid.map_or(0, Pid::as_raw));
    // SAFETY: takes numbers.
    unsafe { raw::process::setpgid(p, g) }.map(|_| ())
}

/// `getsid(2)`: the session of `pid` (`None`: this process).
///
/// `Ok(None)` when the session's leader is in an ancestor pid namespace (the kernel answers
/// 0), as for a program run by `docker exec` or `unshare --pid --fork`.
pub fn getsid(pid: Option<Pid>) -> Result<Option<Pid>, Errno> {
    // SAFETY: takes a number.
    unsafe { raw::process::getsid(pid.map_or(0, Pid::as_raw)) }.map(Pid::from_kernel_opt)
}

/// `setsid(2)`: a new session and group led by this process; `EPERM` for a group leader.
pub fn setsid() -> Result<Pid, Errno> {
    // SAFETY: no arguments.
    unsafe { raw::process::setsid() }.map(Pid::from_kernel)
}

/// `getuid32`: the real user id.
pub fn getuid() -> Uid {
    // SAFETY: no arguments; cannot fail.
    Uid(unsafe { raw::process::getuid() }.unwrap_or(0) as u32)
}

/// `geteuid32`: the effective user id.
pub fn geteuid() -> Uid {
    // SAFETY: as above.
    Uid(unsafe { raw::process::geteuid() }.unwrap_or(0) as u32)
}

/// `getgid32`: the real group id.
pub fn getgid() -> Gid {
    // SAFETY: as above.
    Gid(unsafe { raw::process::getgid() }.unwrap_or(0) as u32)
}

/// `getegid32`: the effective group id.
pub fn getegid() -> Gid {
    // SAFETY: as above.
    Gid(unsafe { raw::process::getegid() }.unwrap_or(0) as u32)
}

/// `setuid32`. (The kernel changes only the calling thread's ids; this runtime's programs
/// have one thread.)
pub fn setuid(uid: Uid) -> Result<(), Errno> {
    // SAFETY: takes a number.
    unsafe { raw::process::setuid(uid.0) }.map(|_| ())
}

/// `setgid32`.
pub fn setgid(gid: Gid) -> Result<(), Errno> {
    // SAFETY: takes a number.
    unsafe { raw::process::setgid(gid.0) }.map(|_| ())
}

/// `getgroups32`: the supplementary groups (at most `NGROUPS_MAX`, 65536).
pub fn getgroups() -> Result<alloc::vec::Vec<Gid>, Errno> {
    loop {
        // SAFETY: a size of 0 only asks for the count.
        let n = unsafe { raw::process::getgroups(0, core::ptr::null_mut()) }?;
        let mut v = alloc::vec![0u32; n];
        // SAFETY: the kernel writes at most `n` ids into `v`.
        match unsafe { raw::process::getgroups(n, v.as_mut_ptr()) } {
            Ok(got) => {
                v.truncate(got);
                return Ok(v.into_iter().map(Gid).collect());
            }
            // The list grew between the two calls: ask again.
            Err(Errno::EINVAL) => continue,
            Err(e) => return Err(e),
        }
    }
}
