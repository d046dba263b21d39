//! `RwLock`: many readers or one writer, on one futex word.
//!
//! The word holds the number of readers, or `WRITER` (`u32::MAX`) while a writer holds the lock. A
//! thread that cannot get in counts itself in `waiters` and sleeps on the word's current
//! value; every release that may let someone in wakes all sleepers, who then retry. Simple
//! rather than fair: a stream of readers can keep a writer waiting.

use super::futex;
use core::cell::UnsafeCell;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicU32, Ordering};

const WRITER: u32 = u32::MAX;

/// A reader-writer lock around a `T` (`std::sync::RwLock`, no poisoning).
pub struct RwLock<T: ?Sized> {
    state: AtomicU32,
    waiters: AtomicU32,
    data: UnsafeCell<T>,
}

// SAFETY: writers get `&mut T` alone; readers share `&T` (hence `T: Sync`).
unsafe impl<T: ?Sized + Send> Send for RwLock<T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}

impl<T> RwLock<T> {
    /// An unlocked lock around `value`.
    pub const fn new(value: T) -> RwLock<T> {
        RwLock {
            state: AtomicU32::new(0),
            waiters: AtomicU32::new(0),
            data: UnsafeCell::new(value),
        }
    }
}

impl<T: ?Sized> RwLock<T> {
    fn sleep(&self, seen: u32) {
        self.waiters.fetch_add(1, Ordering::SeqCst);
        futex::wait(&self.state, seen, None);
        self.waiters.fetch_sub(1, Ordering::SeqCst);
    }

    fn release(&self) {
        if self.waiters.load(Ordering::SeqCst) != 0 {
            futex::wake_all(&self.state);
        }
    }

    /// Shared access, sleeping while a writer holds the lock.
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        loop {
            let s = self.state.load(Ordering::Relaxed);
            if s < WRITER - 1 {
                if self
                    .state
                    .compare_exchange_weak(s, s + 1, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
                {
                    return RwLockReadGuard { lock: self };
                }
            } else {
                self.sleep(s);
            }
        }
    }

    /// Exclusive access, sleeping while anyone holds the lock.
    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        loop {
            match self
                .state
                .compare_exchange(0, WRITER, Ordering::Acquire, Ordering::Relaxed)
            {
                Ok(_) => return RwLockWriteGuard { lock: self },
                Err(s) => self.sleep(s),
            }
        }
    }
}

/// Shared access to an [`RwLock`]'s value.
pub struct RwLockReadGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
}

/// Exclusive access to an [`RwLock`]'s value.
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a read guard means no writer.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        if self.lock.state.fetch_sub(1, Ordering::Release) == 1 {
            self.lock.release();
        }
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a write guard means nobody else.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as above.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.state.store(0, Ordering::Release);
        self.lock.release();
    }
}
