//! Synchronisation for threads ([`crate::thread`]), on futexes ([`futex`]): [`Mutex`],
//! [`Condvar`], [`RwLock`], [`Once`]/[`Lazy`], [`Barrier`].
//!
//! Uncontended operations are one atomic instruction and no system call; a thread that
//! must wait spins briefly (a bounded number of reads) and then sleeps in the kernel with
//! `FUTEX_WAIT`, woken by `FUTEX_WAKE`. There is no poisoning: a panic aborts the process
//! (`panic = "abort"`), so no lock is ever left held by a thread that unwound.

pub mod barrier;
pub mod condvar;
pub mod futex;
pub mod mutex;
pub mod once;
pub mod rwlock;

pub use barrier::{Barrier, BarrierWaitResult};
pub use condvar::Condvar;
pub use mutex::{Mutex, MutexGuard, RawMutex};
pub use once::{Lazy, Once};
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
