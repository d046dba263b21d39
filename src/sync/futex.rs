//! The futex: a 32-bit word in user memory that the kernel can sleep and wake on.
//!
//! `FUTEX_WAIT(word, expected)` puts the caller to sleep *only if* `*word == expected`,
//! checked atomically inside the kernel against a concurrent `FUTEX_WAKE` — so a lock can
//! test its word, decide to sleep, and never miss the wake of a holder that unlocked in
//! between (the wait then fails at once with `EAGAIN`). `FUTEX_WAKE(word, n)` wakes up to
//! `n` sleepers. Nothing else is shared: no kernel object exists while nobody waits.
//!
//! Every call here sets `FUTEX_PRIVATE_FLAG`: the word is private to this process (threads
//! share one address space), which lets the kernel key it by address alone, skipping the
//! page-table walk of shared futexes.
//!
//! Timeouts: the original `futex` (240) takes a 32-bit `timespec`, which ends in 2038;
//! `futex_time64` (422, Linux 5.1) takes a `__kernel_timespec` with 64-bit seconds. A wait
//! with a timeout tries `futex_time64` first and, on `ENOSYS`, falls back to `futex` for
//! good. Waits without a timeout and wakes use `futex`, which every kernel has.

use crate::errno::Errno;
use crate::raw::thread as raw;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use core::time::Duration;
use linux_raw_sys::general::{__kernel_timespec, FUTEX_PRIVATE_FLAG, FUTEX_WAIT, FUTEX_WAKE};

/// Set once `futex_time64` answered `ENOSYS` (a kernel older than 5.1).
static NO_TIME64: AtomicBool = AtomicBool::new(false);

/// Sleeps while `*word == expected`, until woken, a signal, or `timeout` (relative).
/// Returns `false` only when the timeout expired; spurious returns are possible, so callers
/// re-check their condition in a loop.
pub fn wait(word: &AtomicU32, expected: u32, timeout: Option<Duration>) -> bool {
    let addr = word.as_ptr() as usize;
    let op = FUTEX_WAIT | FUTEX_PRIVATE_FLAG;
    let r = match timeout {
        // SAFETY: `addr` is a live, aligned u32 for the whole call; no timeout pointer.
        None => unsafe { raw::futex(addr, op, expected, 0) },
        Some(d) => wait_timeout(addr, op, expected, d),
    };
    r != Err(Errno::ETIMEDOUT)
}

fn wait_timeout(addr: usize, op: u32, expected: u32, d: Duration) -> Result<usize, Errno> {
    let secs = d.as_secs().min(i64::MAX as u64) as i64;
    if !NO_TIME64.load(Ordering::Relaxed) {
        let ts = __kernel_timespec {
            tv_sec: secs,
            tv_nsec: d.subsec_nanos() as _,
        };
        // SAFETY: `addr` is a live u32; `ts` outlives the call.
        let r = unsafe { raw::futex_time64(addr, op, expected, &ts as *const _ as usize) };
        if r != Err(Errno::ENOSYS) {
            return r;
        }
        NO_TIME64.store(true, Ordering::Relaxed);
    }
    // A relative timeout: 2^31 s (68 years) is as good as forever.
    let ts: [i32; 2] = [secs.min(i32::MAX as i64) as i32, d.subsec_nanos() as i32];
    // SAFETY: as above; `ts` is an `old_timespec32`.
    unsafe { raw::futex(addr, op, expected, ts.as_ptr() as usize) }
}

/// Wakes up to `n` threads sleeping on `word`; returns how many were woken.
pub fn wake(word: &AtomicU32, n: u32) -> usize {
    // SAFETY: FUTEX_WAKE only reads the address as a key.
    unsafe {
        raw::futex(
            word.as_ptr() as usize,
            FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
            n,
            0,
        )
    }
    .unwrap_or(0)
}

/// Wakes every thread sleeping on `word`.
pub fn wake_all(word: &AtomicU32) -> usize {
    wake(word, i32::MAX as u32)
}

/// [`wait`] without `FUTEX_PRIVATE_FLAG` and without a timeout: for the tid word of
/// `CLONE_CHILD_CLEARTID`, which the kernel wakes with a *shared* futex wake (a private
/// waiter would be keyed differently and never woken).
pub fn wait_shared(word: &AtomicU32, expected: u32) {
    // SAFETY: `word` is a live, aligned u32 for the whole call; no timeout.
    let _ = unsafe { raw::futex(word.as_ptr() as usize, FUTEX_WAIT, expected, 0) };
}
