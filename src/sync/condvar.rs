//! `Condvar`: a futex word that counts notifications.
//!
//! A waiter reads the counter, unlocks the mutex, and sleeps in `FUTEX_WAIT(counter, seen)`.
//! A notification increments the counter before waking: if it happened after the read but
//! before the sleep, the kernel sees a different value and the wait returns at once — no
//! lost wake-up. Spurious wake-ups are allowed, as in std; [`Condvar::wait_while`] loops.

use super::futex;
use super::mutex::MutexGuard;
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;

/// A condition variable, used with a [`super::Mutex`].
#[derive(Default)]
pub struct Condvar {
    seq: AtomicU32,
}

impl Condvar {
    /// A condition variable nobody waits on.
    pub const fn new() -> Condvar {
        Condvar {
            seq: AtomicU32::new(0),
        }
    }

    /// Unlocks `guard`'s mutex, sleeps until notified (or spuriously), locks it again.
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        self.wait_inner(guard, None).0
    }

    /// As [`Condvar::wait`], for at most `timeout`; the flag is `true` if it timed out.
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> (MutexGuard<'a, T>, bool) {
        self.wait_inner(guard, Some(timeout))
    }

    /// Waits until `condition` is false, re-checking after every wake-up.
    pub fn wait_while<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> MutexGuard<'a, T> {
        while condition(&mut guard) {
            guard = self.wait(guard);
        }
        guard
    }

    fn wait_inner<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Option<Duration>,
    ) -> (MutexGuard<'a, T>, bool) {
        let seen = self.seq.load(Ordering::Relaxed);
        let mutex = guard.mutex;
        core::mem::forget(guard);
        // SAFETY: the guard we consumed held the lock.
        unsafe { mutex.raw().unlock() };
        let woke = futex::wait(&self.seq, seen, timeout);
        mutex.raw().lock_as_contended();
        (MutexGuard { mutex }, !woke)
    }

    /// Wakes one waiter.
    pub fn notify_one(&self) {
        self.seq.fetch_add(1, Ordering::Relaxed);
        futex::wake(&self.seq, 1);
    }

    /// Wakes every waiter.
    pub fn notify_all(&self) {
        self.seq.fetch_add(1, Ordering::Relaxed);
        futex::wake_all(&self.seq);
    }
}
