//! `Once` and `Lazy`: run an initialiser exactly once, whichever thread gets there first;
//! the others sleep on the futex word until it is done.

use super::futex;
use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::ops::Deref;
use core::sync::atomic::{AtomicU32, Ordering};

const INCOMPLETE: u32 = 0;
const RUNNING: u32 = 1;
/// Running, and at least one thread sleeps waiting for it.
const WAITING: u32 = 2;
const COMPLETE: u32 = 3;

/// Runs a closure once (`std::sync::Once`). A panic in it aborts the process, so there is
/// no poisoned state.
pub struct Once {
    state: AtomicU32,
}

impl Default for Once {
    fn default() -> Self {
        Self::new()
    }
}

impl Once {
    /// A `Once` that has not run.
    pub const fn new() -> Once {
        Once {
            state: AtomicU32::new(INCOMPLETE),
        }
    }

    /// Whether the closure has finished.
    pub fn is_completed(&self) -> bool {
        self.state.load(Ordering::Acquire) == COMPLETE
    }

    /// Runs `f` if no call has yet; otherwise waits until the call that does has finished.
    pub fn call_once(&self, f: impl FnOnce()) {
        if self.is_completed() {
            return;
        }
        self.call_slow(f)
    }

    #[cold]
    fn call_slow(&self, f: impl FnOnce()) {
        let mut f = Some(f);
        loop {
            match self.state.compare_exchange(
                INCOMPLETE,
                RUNNING,
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    if let Some(f) = f.take() {
                        f();
                    }
                    if self.state.swap(COMPLETE, Ordering::Release) == WAITING {
                        futex::wake_all(&self.state);
                    }
                    return;
                }
                Err(COMPLETE) => return,
                Err(s) => {
                    // RUNNING or WAITING: say we wait, then sleep while it is WAITING.
                    if s == WAITING
                        || self
                            .state
                            .compare_exchange(
                                RUNNING,
                                WAITING,
                                Ordering::Relaxed,
                                Ordering::Relaxed,
                            )
                            .is_ok()
                    {
                        futex::wait(&self.state, WAITING, None);
                    }
                }
            }
        }
    }
}

/// A value computed on first access (`std::sync::LazyLock`), usable in a `static`.
pub struct Lazy<T, F = fn() -> T> {
    once: Once,
    init: UnsafeCell<Option<F>>,
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: `init` is taken and `value` written only inside `call_once`, by one thread;
// afterwards `value` is only read.
unsafe impl<T: Send + Sync, F: Send> Sync for Lazy<T, F> {}

impl<T, F: FnOnce() -> T> Lazy<T, F> {
    /// A lazy value computed by `init` on first use.
    pub const fn new(init: F) -> Lazy<T, F> {
        Lazy {
            once: Once::new(),
            init: UnsafeCell::new(Some(init)),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// The value, computing it if this is the first access.
    pub fn force(this: &Lazy<T, F>) -> &T {
        this.once.call_once(|| {
            // SAFETY: only the one thread running call_once touches the cells here.
            let f = unsafe { (*this.init.get()).take() };
            if let Some(f) = f {
                // SAFETY: as above.
                unsafe { (*this.value.get()).write(f()) };
            }
        });
        // SAFETY: call_once returned, so `value` was written and is no longer written to.
        unsafe { (*this.value.get()).assume_init_ref() }
    }
}

impl<T, F: FnOnce() -> T> Deref for Lazy<T, F> {
    type Target = T;
    fn deref(&self) -> &T {
        Lazy::force(self)
    }
}
