//! `RawMutex` (a futex word with three states) and `Mutex<T>` on top of it.
//!
//! The word is 0 (unlocked), 1 (locked, nobody waiting) or 2 (locked, maybe waiters) —
//! Ulrich Drepper's "Futexes Are Tricky", mutex 2. An uncontended lock is one `cmpxchg`
//! 0 → 1 and its unlock one `xchg` → 0 that sees 1: no system call. A thread that finds
//! the lock taken spins a bounded number of times (the holder may be about to release it),
//! then marks the word 2 and sleeps in `FUTEX_WAIT(word, 2)`; an unlock that sees 2 wakes one.

use super::futex;
use core::cell::UnsafeCell;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

/// How many times a contended lock re-reads the word before sleeping.
const SPIN: u32 = 100;

/// The contended paths of [`RawMutex`], installed by `crate::thread` before it starts the
/// first thread (0 until then). Through pointers so that a program that never starts a
/// thread links none of the futex code: its locks cannot be contended, and LTO, seeing
/// these never stored, folds the slow paths down to a plain retry loop. The allocator's and
/// stdout's locks are `RawMutex`es: hello with `println!` stays as small as it was.
static LOCK_CONTENDED: AtomicUsize = AtomicUsize::new(0);
static UNLOCK_CONTENDED: AtomicUsize = AtomicUsize::new(0);

/// Switches every [`RawMutex`] to sleeping in the kernel when contended. Called by
/// `crate::thread` before the first `clone`.
pub(crate) fn enable_futex() {
    LOCK_CONTENDED.store(
        RawMutex::lock_futex as fn(&RawMutex) as usize,
        Ordering::Relaxed,
    );
    UNLOCK_CONTENDED.store(
        RawMutex::wake_futex as fn(&RawMutex) as usize,
        Ordering::Relaxed,
    );
}

/// A lock without data: [`RawMutex::lock`] / [`RawMutex::unlock`].
pub struct RawMutex {
    state: AtomicU32,
}

impl Default for RawMutex {
    fn default() -> Self {
        Self::new()
    }
}

impl RawMutex {
    /// An unlocked mutex.
    pub const fn new() -> RawMutex {
        RawMutex {
            state: AtomicU32::new(0),
        }
    }

    /// Takes the lock, sleeping while another thread holds it.
    #[inline]
    pub fn lock(&self) {
        if self
            .state
            .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
    }

    /// Takes the lock if it is free.
    #[inline]
    pub fn try_lock(&self) -> bool {
        self.state
            .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    #[cold]
    #[inline(never)]
    fn lock_contended(&self) {
        let sleep = LOCK_CONTENDED.load(Ordering::Relaxed);
        if sleep != 0 {
            // SAFETY: only `enable_futex` stores here: `lock_futex`'s address.
            let sleep: fn(&RawMutex) = unsafe { core::mem::transmute(sleep) };
            return sleep(self);
        }
        // No thread has ever been started, so nobody else can hold the lock: only a signal
        // handler that interrupted its holder could get here, and waiting is all it can do.
        while !self.try_lock() {
            core::hint::spin_loop();
        }
    }

    /// The contended lock once threads exist: a bounded spin, then `FUTEX_WAIT`.
    fn lock_futex(&self) {
        let mut spins = SPIN;
        while spins > 0 && self.state.load(Ordering::Relaxed) == 1 {
            core::hint::spin_loop();
            spins -= 1;
        }
        // Try 0 → 1 once more if the spin saw it free; from here on, take it as 2 (a
        // waiter may exist: ours), so the unlock knows to wake.
        if self.try_lock() {
            return;
        }
        self.lock_as_contended();
    }

    /// Takes the lock marking it contended (2): for a thread that just woke from a
    /// condition variable, which cannot know whether others sleep on the mutex.
    pub(crate) fn lock_as_contended(&self) {
        while self.state.swap(2, Ordering::Acquire) != 0 {
            futex::wait(&self.state, 2, None);
        }
    }

    /// Releases the lock.
    ///
    /// # Safety
    /// The caller holds it.
    #[inline]
    pub unsafe fn unlock(&self) {
        if self.state.swap(0, Ordering::Release) == 2 {
            self.wake();
        }
    }

    #[cold]
    #[inline(never)]
    fn wake(&self) {
        // The word is 2 only if `lock_futex` ran, which `enable_futex` installed along with
        // this; the test lets a program without threads drop the call altogether.
        let wake = UNLOCK_CONTENDED.load(Ordering::Relaxed);
        if wake != 0 {
            // SAFETY: only `enable_futex` stores here: `wake_futex`'s address.
            let wake: fn(&RawMutex) = unsafe { core::mem::transmute(wake) };
            wake(self);
        }
    }

    fn wake_futex(&self) {
        futex::wake(&self.state, 1);
    }

    /// Whether some thread holds the lock now (a snapshot, for tests and `fork`).
    pub fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) != 0
    }
}

/// Mutual exclusion around a `T`, like `std::sync::Mutex` (without poisoning: a panic
/// aborts the process, so a lock is never left held by a dead thread).
pub struct Mutex<T: ?Sized> {
    raw: RawMutex,
    data: UnsafeCell<T>,
}

// SAFETY: the lock hands out `&mut T` to one thread at a time.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
// SAFETY: as above; sharing the mutex shares `T` only through the guard.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

impl<T> Mutex<T> {
    /// A mutex holding `value`, unlocked.
    pub const fn new(value: T) -> Mutex<T> {
        Mutex {
            raw: RawMutex::new(),
            data: UnsafeCell::new(value),
        }
    }

    /// The value, once nobody can lock any more.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Locks, sleeping while another thread holds the lock.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.raw.lock();
        MutexGuard { mutex: self }
    }

    /// Locks if free.
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        self.raw.try_lock().then_some(MutexGuard { mutex: self })
    }

    /// The value through `&mut self`: no locking needed.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    pub(crate) fn raw(&self) -> &RawMutex {
        &self.raw
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

/// Holds a [`Mutex`] locked; unlocks when dropped.
pub struct MutexGuard<'a, T: ?Sized> {
    pub(crate) mutex: &'a Mutex<T>,
}

// SAFETY: a guard gives `&T` to whoever it is shared with.
unsafe impl<T: ?Sized + Sync> Sync for MutexGuard<'_, T> {}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves the lock is held.
        unsafe { &*self.mutex.data.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard proves the lock is held, and `&mut self` that it is unique.
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the guard holds the lock.
        unsafe { self.mutex.raw.unlock() }
    }
}
