//! Clocks: `clock_gettime`, `clock_getres`, `gettimeofday` and `time`, through the vDSO
//! when there is one, with 64-bit seconds throughout (no year-2038 overflow); and
//! [`sleep`], which lasts its whole duration even when signal handlers interrupt it.
//!
//! # Why the vDSO has clocks
//!
//! Reading the time is the most frequent system call many programs make, and it needs no
//! privilege: the kernel keeps the clock's parameters in a page (`[vvar]`) that it maps
//! read-only next to the vDSO, and the vDSO's `__vdso_clock_gettime` computes the time from
//! them and the CPU's time-stamp counter in user space. No trap into the kernel at all —
//! tens of nanoseconds instead of the ~150 ns a `syscall` round trip costs here (or ~5 µs
//! for `int $0x80`). Clocks the vDSO cannot serve (CPU-time clocks, invalid ids) fall back
//! to the real system call *inside* the vDSO, which returns `-errno` as the kernel does.
//!
//! # The order we try (resolved once, then cached)
//!
//! 1. `__vdso_clock_gettime64(clockid_t, struct __kernel_timespec *)` — 64-bit seconds,
//!    Linux ≥ 5.3.
//! 2. `__vdso_clock_gettime(clockid_t, struct timespec *)` — the old 32-bit `time_t`
//!    (wraps in January 2038); its seconds are sign-extended.
//! 3. the `clock_gettime64` system call (403), and if that is `ENOSYS` (kernel < 5.1),
//! 4. the `clock_gettime` system call (265), 32-bit seconds again.
//!
//! Under qemu-i386 7.2 (no vDSO) this is path 3: qemu implements `clock_gettime64` itself.
//!
//! vDSO functions are ordinary i386 cdecl functions — arguments on the stack, result in
//! `eax` — so they are called through `unsafe extern "C" fn` pointers.
//!
//! [`gettimeofday`] and [`time`] are derived from `clock_gettime(CLOCK_REALTIME)`, as glibc
//! does for 64-bit `time_t` on i386: `__vdso_gettimeofday` and `__vdso_time` only have 32-bit
//! seconds. Their raw pointers are still available in [`VdsoFns`] for comparison.

use crate::errno::Errno;
use crate::raw;
use crate::vdso::{self, LINUX_2_6};
use core::fmt;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use linux_raw_sys::general::{__kernel_timespec, timespec, timeval, timezone};

/// A clock id (`clockid_t`), e.g. [`Clock::MONOTONIC`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock(i32);

impl Clock {
    /// Wall-clock time: seconds since 1970-01-01 00:00 UTC; can jump.
    pub const REALTIME: Clock = Clock(linux_raw_sys::general::CLOCK_REALTIME as i32);
    /// Time since boot, not counting suspend; never jumps backwards.
    pub const MONOTONIC: Clock = Clock(linux_raw_sys::general::CLOCK_MONOTONIC as i32);
    /// CPU time used by this process (always a real syscall, even through the vDSO).
    pub const PROCESS_CPUTIME_ID: Clock =
        Clock(linux_raw_sys::general::CLOCK_PROCESS_CPUTIME_ID as i32);
    /// CPU time used by this thread.
    pub const THREAD_CPUTIME_ID: Clock =
        Clock(linux_raw_sys::general::CLOCK_THREAD_CPUTIME_ID as i32);
    /// Monotonic, not slewed by NTP.
    pub const MONOTONIC_RAW: Clock = Clock(linux_raw_sys::general::CLOCK_MONOTONIC_RAW as i32);
    /// REALTIME at tick resolution (cheaper).
    pub const REALTIME_COARSE: Clock = Clock(linux_raw_sys::general::CLOCK_REALTIME_COARSE as i32);
    /// MONOTONIC at tick resolution.
    pub const MONOTONIC_COARSE: Clock =
        Clock(linux_raw_sys::general::CLOCK_MONOTONIC_COARSE as i32);
    /// Monotonic, including time spent suspended.
    pub const BOOTTIME: Clock = Clock(linux_raw_sys::general::CLOCK_BOOTTIME as i32);
    /// International Atomic Time.
    pub const TAI: Clock = Clock(linux_raw_sys::general::CLOCK_TAI as i32);

    /// A clock id by number (the kernel rejects unknown ones with `EINVAL`).
    pub const fn from_raw(id: i32) -> Clock {
        Clock(id)
    }

    /// The number.
    pub const fn raw(self) -> i32 {
        self.0
    }
}

/// A point in time or a duration: 64-bit seconds and nanoseconds `0..1_000_000_000`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timespec {
    /// Seconds (since the clock's epoch).
    pub sec: i64,
    /// Nanoseconds, `0..1_000_000_000`.
    pub nsec: u32,
}

impl Timespec {
    /// The whole value in nanoseconds.
    pub fn as_nanos(&self) -> i128 {
        self.sec as i128 * 1_000_000_000 + self.nsec as i128
    }

    /// From the kernel's 64-bit `struct __kernel_timespec`; `None` if `tv_nsec` is out of range.
    pub fn from_kernel(ts: &__kernel_timespec) -> Option<Timespec> {
        let nsec = u32::try_from(ts.tv_nsec)
            .ok()
            .filter(|&n| n < 1_000_000_000)?;
        Some(Timespec {
            sec: ts.tv_sec,
            nsec,
        })
    }

    /// From the old 32-bit `struct timespec` (seconds sign-extended).
    pub fn from_old(ts: &timespec) -> Option<Timespec> {
        let nsec = u32::try_from(ts.tv_nsec)
            .ok()
            .filter(|&n| n < 1_000_000_000)?;
        Some(Timespec {
            sec: ts.tv_sec as i64,
            nsec,
        })
    }
}

impl fmt::Display for Timespec {
    /// `SECONDS.NNNNNNNNN`: the two fields as they are, as GNU `date +%s.%N` prints them.
    /// So a time before the epoch reads as its whole second, then the nanoseconds after it:
    /// `{sec: -1, nsec: 500_000_000}`, half a second before the epoch, is `-1.500000000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:09}", self.sec, self.nsec)
    }
}

/// A wall-clock time with microseconds, as `gettimeofday` gives it (64-bit seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timeval {
    /// Seconds since the epoch.
    pub sec: i64,
    /// Microseconds, `0..1_000_000`.
    pub usec: u32,
}

/// `__vdso_clock_gettime64`: `int (clockid_t, struct __kernel_timespec *)`.
pub type ClockGettime64Fn = unsafe extern "C" fn(i32, *mut __kernel_timespec) -> i32;
/// `__vdso_clock_gettime` and `__vdso_clock_getres`: `int (clockid_t, struct timespec *)`.
pub type ClockGettimeFn = unsafe extern "C" fn(i32, *mut timespec) -> i32;
/// `__vdso_gettimeofday`: `int (struct timeval *, struct timezone *)`.
pub type GettimeofdayFn = unsafe extern "C" fn(*mut timeval, *mut timezone) -> i32;
/// `__vdso_time`: `time_t (time_t *)`, 32-bit.
pub type TimeFn = unsafe extern "C" fn(*mut i32) -> i32;

/// The vDSO's time functions, each `None` when absent (always, without a vDSO).
#[derive(Clone, Copy, Debug, Default)]
pub struct VdsoFns {
    /// `__vdso_clock_gettime64@LINUX_2.6`.
    pub clock_gettime64: Option<ClockGettime64Fn>,
    /// `__vdso_clock_gettime@LINUX_2.6`.
    pub clock_gettime: Option<ClockGettimeFn>,
    /// `__vdso_clock_getres@LINUX_2.6`.
    pub clock_getres: Option<ClockGettimeFn>,
    /// `__vdso_gettimeofday@LINUX_2.6`.
    pub gettimeofday: Option<GettimeofdayFn>,
    /// `__vdso_time@LINUX_2.6`.
    pub time: Option<TimeFn>,
}

fn resolve() -> VdsoFns {
    let Some(v) = vdso::running() else {
        return VdsoFns::default();
    };
    // SAFETY (all five): `Vdso::lookup` only returns addresses of functions that lie in the
    // image's executable segment, found under the kernel's documented name and version;
    // the kernel defines them with exactly these C prototypes (see the type aliases).
    unsafe {
        VdsoFns {
            clock_gettime64: v
                .lookup("__vdso_clock_gettime64", LINUX_2_6)
                .map(|a| core::mem::transmute::<usize, ClockGettime64Fn>(a)),
            clock_gettime: v
                .lookup("__vdso_clock_gettime", LINUX_2_6)
                .map(|a| core::mem::transmute::<usize, ClockGettimeFn>(a)),
            clock_getres: v
                .lookup("__vdso_clock_getres", LINUX_2_6)
                .map(|a| core::mem::transmute::<usize, ClockGettimeFn>(a)),
            gettimeofday: v
                .lookup("__vdso_gettimeofday", LINUX_2_6)
                .map(|a| core::mem::transmute::<usize, GettimeofdayFn>(a)),
            time: v
                .lookup("__vdso_time", LINUX_2_6)
                .map(|a| core::mem::transmute::<usize, TimeFn>(a)),
        }
    }
}

static FNS: spin::Once<VdsoFns> = spin::Once::new();

/// The vDSO's time functions (looked up once).
pub fn vdso_fns() -> &'static VdsoFns {
    FNS.call_once(resolve)
}

/// The raw `__vdso_clock_gettime64`, for benchmarks and comparisons.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub fn vdso_clock_gettime64() -> Option<ClockGettime64Fn> {
    vdso_fns().clock_gettime64
}

/// Which way [`clock_gettime`] reads the clock in this process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// `__vdso_clock_gettime64`.
    Vdso64,
    /// `__vdso_clock_gettime` (32-bit seconds).
    Vdso32,
    /// The `clock_gettime64` system call.
    Syscall64,
    /// The `clock_gettime` system call (32-bit seconds).
    Syscall32,
}

impl Path {
    /// All four, fastest first (the order [`clock_gettime`] tries them in).
    pub const ALL: [Path; 4] = [Path::Vdso64, Path::Vdso32, Path::Syscall64, Path::Syscall32];

    /// A short name: `vdso64`, `vdso32`, `syscall64`, `syscall32`.
    pub fn name(self) -> &'static str {
        match self {
            Path::Vdso64 => "vdso64",
            Path::Vdso32 => "vdso32",
            Path::Syscall64 => "syscall64",
            Path::Syscall32 => "syscall32",
        }
    }
}

/// Set once `clock_gettime64` has returned `ENOSYS` (a kernel before 5.1).
static NO_TIME64_SYSCALLS: AtomicBool = AtomicBool::new(false);

/// The path [`clock_gettime`] takes.
pub fn path() -> Path {
    path_for(vdso_fns())
}

/// The path [`clock_gettime`] takes given the vDSO functions `f`.
fn path_for(f: &VdsoFns) -> Path {
    if f.clock_gettime64.is_some() {
        Path::Vdso64
    } else if f.clock_gettime.is_some() {
        Path::Vdso32
    } else if NO_TIME64_SYSCALLS.load(Ordering::Relaxed) {
        Path::Syscall32
    } else {
        Path::Syscall64
    }
}

/// A vDSO function's result: 0, or `-errno` (from the syscall it fell back to).
fn vdso_result(ret: i32) -> Result<(), Errno> {
    if ret == 0 {
        Ok(())
    } else {
        Err(ret_errno(ret))
    }
}

/// The error of a non-zero `-errno` result (anything else is reported as `EINVAL`).
#[cold]
fn ret_errno(ret: i32) -> Errno {
    if (-4095..0).contains(&ret) {
        Errno::from_raw(ret.unsigned_abs() as u16)
    } else {
        Errno::EINVAL
    }
}

const ZERO64: __kernel_timespec = __kernel_timespec {
    tv_sec: 0,
    tv_nsec: 0,
};
const ZERO32: timespec = timespec {
    tv_sec: 0,
    tv_nsec: 0,
};

// ---------------------------------------------------------------------------------------
// The hot path: one indirect call through a pointer resolved on first use.
//
// `CLOCK_GETTIME` always holds a function with `__vdso_clock_gettime64`'s C prototype
// (`0` or `-errno`, one 64-bit timespec written): first `resolve_clock_gettime`, which
// picks the best path, stores it and calls it; from then on the vDSO's own function (or an
// adapter for the older paths). So `clock_gettime` inlines to: load, call, test `eax`.
// The vDSO and the kernel only produce `tv_nsec` in `0..1e9`, so it is not checked again.

/// The clock function in use (a [`ClockGettime64Fn`] stored as an address).
static CLOCK_GETTIME: AtomicPtr<()> = AtomicPtr::new(resolve_clock_gettime as *mut ());

/// The first call: find the best path (the order in the module docs), keep it, use it.
///
/// # Safety
/// `ts` must be valid for writing one `__kernel_timespec` (the prototype every
/// [`ClockGettime64Fn`] shares).
unsafe extern "C" fn resolve_clock_gettime(clock: i32, ts: *mut __kernel_timespec) -> i32 {
    let chosen = choose(vdso_fns());
    CLOCK_GETTIME.store(chosen as *mut (), Ordering::Relaxed);
    // SAFETY: the caller's contract (a valid `ts`) is passed on unchanged.
    unsafe { chosen(clock, ts) }
}

/// The function for [`path_for`]`(f)`: the vDSO's own, or an adapter.
fn choose(f: &VdsoFns) -> ClockGettime64Fn {
    if let Some(g) = f.clock_gettime64 {
        g
    } else if f.clock_gettime.is_some() {
        vdso32_adapter
    } else if NO_TIME64_SYSCALLS.load(Ordering::Relaxed) {
        syscall32_adapter
    } else {
        syscall64_adapter
    }
}

/// The first [`clock_gettime`] of a process without a vDSO (qemu-i386 7.2), in any
/// process: the function chosen with no vDSO functions — the `clock_gettime64` system
/// call, falling back to `clock_gettime` for good on `ENOSYS` — called once. Returns the
/// time and the path a vDSO-less process would be on afterwards.
///
/// For tests: today's kernels all have `clock_gettime64`, so only a seccomp filter that
/// fails it with `ENOSYS` (as a kernel before 5.1 does) reaches that fallback. Like the
/// real first call, an `ENOSYS` leaves this process's [`clock_gettime`] on the 32-bit call.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub fn clock_gettime_without_vdso(clock: Clock) -> (Result<Timespec, Errno>, Path) {
    let none = VdsoFns::default();
    let mut ts = ZERO64;
    // SAFETY: `ts` is a valid, writable `__kernel_timespec`, as every `ClockGettime64Fn`
    // requires.
    let r = unsafe { choose(&none)(clock.0, &mut ts) };
    let time = vdso_result(r).and_then(|()| Timespec::from_kernel(&ts).ok_or(Errno::EINVAL));
    (time, path_for(&none))
}

/// `__vdso_clock_gettime` (32-bit seconds) behind the 64-bit prototype.
///
/// # Safety
/// `ts` must be valid for writing one `__kernel_timespec` (the prototype every
/// [`ClockGettime64Fn`] shares).
unsafe extern "C" fn vdso32_adapter(clock: i32, ts: *mut __kernel_timespec) -> i32 {
    let Some(g) = vdso_fns().clock_gettime else {
        return -(Errno::ENOSYS.raw() as i32);
    };
    let mut old = ZERO32;
    // SAFETY: a vDSO function with this prototype; it writes one struct timespec.
    let r = unsafe { g(clock, &mut old) };
    if r == 0 {
        // SAFETY: the caller passes a valid, writable `ts`.
        unsafe {
            *ts = __kernel_timespec {
                tv_sec: old.tv_sec as i64,
                tv_nsec: old.tv_nsec as i64,
            }
        };
    }
    r
}

/// The `clock_gettime64` system call; on `ENOSYS` (kernel < 5.1) switches the process
/// to `clock_gettime` for good.
///
/// # Safety
/// `ts` must be valid for writing one `__kernel_timespec` (the prototype every
/// [`ClockGettime64Fn`] shares).
unsafe extern "C" fn syscall64_adapter(clock: i32, ts: *mut __kernel_timespec) -> i32 {
    // SAFETY: the caller's contract, passed on.
    let r = unsafe { syscall64(clock, ts) };
    if r == -(Errno::ENOSYS.raw() as i32) {
        NO_TIME64_SYSCALLS.store(true, Ordering::Relaxed);
        CLOCK_GETTIME.store(syscall32_adapter as *mut (), Ordering::Relaxed);
        // SAFETY: as above.
        return unsafe { syscall32_adapter(clock, ts) };
    }
    r
}

/// The `clock_gettime64` system call, no fallback.
///
/// # Safety
/// `ts` must be valid for writing one `__kernel_timespec` (the prototype every
/// [`ClockGettime64Fn`] shares).
unsafe extern "C" fn syscall64(clock: i32, ts: *mut __kernel_timespec) -> i32 {
    // SAFETY: the kernel writes one struct __kernel_timespec to `ts` (valid, per the caller).
    match unsafe { raw::time::clock_gettime64(clock, ts) } {
        Ok(_) => 0,
        Err(e) => -(e.raw() as i32),
    }
}

/// The `clock_gettime` system call (32-bit seconds) behind the 64-bit prototype.
///
/// # Safety
/// `ts` must be valid for writing one `__kernel_timespec` (the prototype every
/// [`ClockGettime64Fn`] shares).
unsafe extern "C" fn syscall32_adapter(clock: i32, ts: *mut __kernel_timespec) -> i32 {
    let mut old = ZERO32;
    // SAFETY: the kernel writes one struct timespec to &old.
    match unsafe { raw::time::clock_gettime32(clock, &mut old) } {
        Ok(_) => {
            // SAFETY: the caller passes a valid, writable `ts`.
            unsafe {
                *ts = __kernel_timespec {
                    tv_sec: old.tv_sec as i64,
                    tv_nsec: old.tv_nsec as i64,
                }
            };
            0
        }
        Err(e) => -(e.raw() as i32),
    }
}

/// The time on `clock`, through the fastest path available (see the module docs).
///
/// After the first call this is one indirect call — straight into
/// `__vdso_clock_gettime64` where the vDSO has it — and a test of its result.
#[inline]
pub fn clock_gettime(clock: Clock) -> Result<Timespec, Errno> {
    let f = CLOCK_GETTIME.load(Ordering::Relaxed);
    // SAFETY: `CLOCK_GETTIME` only ever holds `ClockGettime64Fn`s (see above).
    let f = unsafe { core::mem::transmute::<*mut (), ClockGettime64Fn>(f) };
    let mut ts = ZERO64;
    // SAFETY: `ts` is a valid, writable `__kernel_timespec`.
    let r = unsafe { f(clock.0, &mut ts) };
    if r != 0 {
        return Err(ret_errno(r));
    }
    Ok(Timespec {
        sec: ts.tv_sec,
        nsec: ts.tv_nsec as u32,
    })
}

/// The time on `clock` through one specific `path`, with no fallback: for tests and
/// benchmarks that compare the paths. A path this process does not have (the vDSO ones
/// without a vDSO, e.g. under qemu-i386 7.2) is `Err(ENOSYS)`, as is a system call the
/// kernel lacks.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub fn clock_gettime_by(path: Path, clock: Clock) -> Result<Timespec, Errno> {
    // The same functions the hot path resolves to, minus the ENOSYS fallback of
    // `syscall64_adapter`.
    let f = vdso_fns();
    let g: ClockGettime64Fn = match path {
        Path::Vdso64 => f.clock_gettime64.ok_or(Errno::ENOSYS)?,
        Path::Vdso32 => f
            .clock_gettime
            .map(|_| vdso32_adapter as _)
            .ok_or(Errno::ENOSYS)?,
        Path::Syscall64 => syscall64,
        Path::Syscall32 => syscall32_adapter,
    };
    let mut ts = ZERO64;
    // SAFETY: every `ClockGettime64Fn` writes at most one __kernel_timespec to `ts`.
    vdso_result(unsafe { g(clock.0, &mut ts) })?;
    Timespec::from_kernel(&ts).ok_or(Errno::EINVAL)
}

/// The time on `clock` by system call only (`clock_gettime64`, then `clock_gettime` on
/// `ENOSYS`): the reference the vDSO path is checked and benchmarked against.
pub fn clock_gettime_syscall(clock: Clock) -> Result<Timespec, Errno> {
    time64_syscall(
        raw::time::clock_gettime64,
        raw::time::clock_gettime32,
        clock,
    )
}

/// `clock_getres`: the clock's resolution (1 ns for the high-resolution clocks, a tick for
/// the coarse ones). Through `__vdso_clock_getres` when present (a resolution fits the
/// 32-bit struct), else the `clock_getres_time64`/`clock_getres` system calls.
pub fn clock_getres(clock: Clock) -> Result<Timespec, Errno> {
    if let Some(getres) = vdso_fns().clock_getres {
        let mut ts = ZERO32;
        // SAFETY: a vDSO function with this prototype; it writes one struct timespec.
        vdso_result(unsafe { getres(clock.0, &mut ts) })?;
        return Timespec::from_old(&ts).ok_or(Errno::EINVAL);
    }
    clock_getres_syscall(clock)
}

/// `clock_getres` by system call only (`clock_getres_time64`, then `clock_getres`).
pub fn clock_getres_syscall(clock: Clock) -> Result<Timespec, Errno> {
    time64_syscall(raw::time::clock_getres64, raw::time::clock_getres32, clock)
}

/// `nr64(clock, &__kernel_timespec)`, or `nr32(clock, &timespec)` where `nr64` is ENOSYS.
fn time64_syscall(
    call64: unsafe fn(i32, *mut __kernel_timespec) -> Result<usize, Errno>,
    call32: unsafe fn(i32, *mut timespec) -> Result<usize, Errno>,
    clock: Clock,
) -> Result<Timespec, Errno> {
    if !NO_TIME64_SYSCALLS.load(Ordering::Relaxed) {
        let mut ts = ZERO64;
        // SAFETY: the kernel writes one struct __kernel_timespec to &ts.
        let r = unsafe { call64(clock.0, &mut ts) };
        match r {
            Ok(_) => return Timespec::from_kernel(&ts).ok_or(Errno::EINVAL),
            Err(Errno::ENOSYS) => NO_TIME64_SYSCALLS.store(true, Ordering::Relaxed),
            Err(e) => return Err(e),
        }
    }
    let mut ts = ZERO32;
    // SAFETY: the kernel writes one struct timespec to &ts.
    unsafe { call32(clock.0, &mut ts) }?;
    Timespec::from_old(&ts).ok_or(Errno::EINVAL)
}

/// Wall-clock time with microseconds: `clock_gettime(CLOCK_REALTIME)` truncated, as glibc's
/// 64-bit-`time_t` `gettimeofday` does (the vDSO's own has 32-bit seconds).
pub fn gettimeofday() -> Result<Timeval, Errno> {
    let t = clock_gettime(Clock::REALTIME)?;
    Ok(Timeval {
        sec: t.sec,
        usec: t.nsec / 1000,
    })
}

/// Seconds since the epoch (64-bit): `clock_gettime(CLOCK_REALTIME)`'s seconds.
pub fn time() -> Result<i64, Errno> {
    Ok(clock_gettime(Clock::REALTIME)?.sec)
}

// ---------------------------------------------------------------------------------------
// Sleeping.

/// Set once `clock_nanosleep_time64` has returned `ENOSYS` (a kernel before 5.1): sleeps
/// then go through `nanosleep`, whose `struct timespec` has 32-bit seconds.
static NO_NANOSLEEP64: AtomicBool = AtomicBool::new(false);

/// Sleeps for at least `d`, like std's `thread::sleep`. A signal handler that interrupts
/// the sleep runs, and the sleep then goes on for the time that was left (the kernel
/// reports it), so the whole sleep is never cut short.
///
/// `clock_nanosleep_time64(CLOCK_MONOTONIC, 0, …)` (64-bit seconds, the clock a wall-clock
/// change does not move); on a kernel without it, `nanosleep`, in steps of at most
/// `i32::MAX` seconds.
pub fn sleep(d: core::time::Duration) {
    // Seconds beyond i64 are ~292 billion years: the same as forever here.
    let mut secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    let mut nsec = d.subsec_nanos();
    while secs > 0 || nsec > 0 {
        let (left_secs, left_nsec) = if NO_NANOSLEEP64.load(Ordering::Relaxed) {
            sleep32(secs, nsec)
        } else {
            match sleep64(secs, nsec) {
                Err(Errno::ENOSYS) => {
                    NO_NANOSLEEP64.store(true, Ordering::Relaxed);
                    continue;
                }
                r => r.unwrap_or((0, 0)),
            }
        };
        secs = left_secs;
        nsec = left_nsec;
    }
}

/// One `clock_nanosleep_time64`: `Ok` with what is left to sleep (0 when it completed,
/// the kernel's remainder after `EINTR`), or the error (`ENOSYS` on kernels before 5.1).
fn sleep64(secs: i64, nsec: u32) -> Result<(i64, u32), Errno> {
    let req = __kernel_timespec {
        tv_sec: secs,
        tv_nsec: nsec as i64,
    };
    let mut rem = ZERO64;
    // SAFETY: the kernel reads one __kernel_timespec from &req and, for a relative sleep
    // that is interrupted, writes one to &rem; both live across the call.
    let r = unsafe { raw::time::clock_nanosleep64(Clock::MONOTONIC.0, 0, &req, &mut rem) };
    match r {
        Ok(_) => Ok((0, 0)),
        Err(Errno::EINTR) => Ok(left(rem.tv_sec, rem.tv_nsec)),
        Err(e) => Err(e),
    }
}

/// One `nanosleep` of at most `i32::MAX` seconds: what is left of `secs`/`nsec` after it.
fn sleep32(secs: i64, nsec: u32) -> (i64, u32) {
    let step = secs.min(i32::MAX as i64);
    let req = timespec {
        tv_sec: step as _,
        tv_nsec: nsec as _,
    };
    let mut rem = ZERO32;
    // SAFETY: the kernel reads one struct timespec from &req and, when interrupted, writes
    // one to &rem; both live across the call.
    let r = unsafe { raw::time::nanosleep32(&req, &mut rem) };
    let (rem_secs, rem_nsec) = match r {
        Err(Errno::EINTR) => left(rem.tv_sec as i64, rem.tv_nsec as i64),
        // Done (or refused, which a valid request never is: nothing left to retry).
        _ => (0, 0),
    };
    // The seconds beyond this step are still to sleep.
    (secs - step + rem_secs, rem_nsec)
}

/// A remainder the kernel wrote, checked: negative or out-of-range values read as none.
fn left(secs: i64, nsec: i64) -> (i64, u32) {
    match u32::try_from(nsec) {
        Ok(n) if secs >= 0 && n < 1_000_000_000 => (secs, n),
        _ => (0, 0),
    }
}

/// How a relative [`clock_nanosleep`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slept {
    /// The whole time passed.
    Done,
    /// A signal handler ran first (`EINTR`); this much was left.
    Interrupted(Timespec),
}

/// `clock_nanosleep_time64(clock, 0, request)`: one relative sleep, which a signal handler
/// may cut short ([`Slept::Interrupted`] with the remainder; [`sleep`] is the one that goes
/// on). On a kernel without the 64-bit call (before 5.1), `clock_nanosleep` with 32-bit
/// seconds: a request past `i32::MAX` seconds is then `EOVERFLOW`, never cut to 32 bits.
pub fn clock_nanosleep(clock: Clock, request: Timespec) -> Result<Slept, Errno> {
    nanosleep_on(clock, 0, request)
}

/// `clock_nanosleep_time64(clock, TIMER_ABSTIME, deadline)`: sleeps until `clock` reads
/// `deadline` (at once if it has passed). An interrupting handler makes it `Err(EINTR)`;
/// calling it again with the same deadline resumes.
pub fn clock_nanosleep_until(clock: Clock, deadline: Timespec) -> Result<(), Errno> {
    match nanosleep_on(clock, linux_raw_sys::general::TIMER_ABSTIME, deadline)? {
        Slept::Done => Ok(()),
        Slept::Interrupted(_) => Err(Errno::EINTR),
    }
}

/// `nanosleep(request)`: [`clock_nanosleep`] on `CLOCK_REALTIME`, as glibc's `nanosleep`.
pub fn nanosleep(request: Timespec) -> Result<Slept, Errno> {
    clock_nanosleep(Clock::REALTIME, request)
}

fn nanosleep_on(clock: Clock, flags: u32, t: Timespec) -> Result<Slept, Errno> {
    if t.sec < 0 || t.nsec >= 1_000_000_000 {
        return Err(Errno::EINVAL);
    }
    let req = __kernel_timespec {
        tv_sec: t.sec,
        tv_nsec: t.nsec as i64,
    };
    let mut rem = ZERO64;
    // SAFETY: the kernel reads one __kernel_timespec and may write one to `rem`.
    match unsafe { raw::time::clock_nanosleep64(clock.0, flags, &req, &mut rem) } {
        Ok(_) => return Ok(Slept::Done),
        Err(Errno::EINTR) => {
            let (sec, nsec) = left(rem.tv_sec, rem.tv_nsec);
            return Ok(Slept::Interrupted(Timespec { sec, nsec }));
        }
        Err(Errno::ENOSYS) => {}
        Err(e) => return Err(e),
    }
    let req = timespec {
        tv_sec: i32::try_from(t.sec).map_err(|_| Errno::EOVERFLOW)? as _,
        tv_nsec: t.nsec as _,
    };
    let mut rem = ZERO32;
    // SAFETY: as above, with the 32-bit struct.
    match unsafe { raw::time::clock_nanosleep32(clock.0, flags, &req, &mut rem) } {
        Ok(_) => Ok(Slept::Done),
        Err(Errno::EINTR) => {
            let (sec, nsec) = left(rem.tv_sec as i64, rem.tv_nsec as i64);
            Ok(Slept::Interrupted(Timespec { sec, nsec }))
        }
        Err(e) => Err(e),
    }
}

/// The kernel's timezone, as `gettimeofday` reports it (`struct timezone`). Obsolete: the
/// kernel keeps only what `settimeofday` last set (usually zeros); glibc no longer fills
/// it at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timezone {
    /// Minutes west of Greenwich.
    pub minutes_west: i32,
    /// A daylight-saving-time type (no longer meaningful).
    pub dst_time: i32,
}

/// `gettimeofday(&tv, &tz)` with the timezone: the time from [`gettimeofday`] (64-bit
/// seconds) and the kernel's `struct timezone` from the system call (whose own time has
/// 32-bit seconds, and is not used).
pub fn gettimeofday_tz() -> Result<(Timeval, Timezone), Errno> {
    let mut tv = linux_raw_sys::general::__kernel_old_timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    let mut tz = linux_raw_sys::general::timezone {
        tz_minuteswest: 0,
        tz_dsttime: 0,
    };
    // SAFETY: the kernel writes one timeval and one timezone.
    unsafe { raw::time::gettimeofday32(&mut tv, &mut tz) }?;
    let zone = Timezone {
        minutes_west: tz.tz_minuteswest,
        dst_time: tz.tz_dsttime,
    };
    Ok((gettimeofday()?, zone))
}
