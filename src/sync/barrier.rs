//! `Barrier`: `n` threads wait until all `n` have arrived (`std::sync::Barrier`).

use super::{Condvar, Mutex};

/// A rendezvous point for a fixed number of threads; reusable.
pub struct Barrier {
    state: Mutex<(usize, usize)>, // (arrived in this generation, generation)
    cvar: Condvar,
    n: usize,
}

/// What [`Barrier::wait`] returns: one thread per generation is the leader.
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// Whether this thread was the last to arrive.
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    /// A barrier for `n` threads.
    pub const fn new(n: usize) -> Barrier {
        Barrier {
            state: Mutex::new((0, 0)),
            cvar: Condvar::new(),
            n,
        }
    }

    /// Blocks until `n` threads have called `wait` in this generation.
    pub fn wait(&self) -> BarrierWaitResult {
        let mut s = self.state.lock();
        let generation = s.1;
        s.0 += 1;
        if s.0 < self.n {
            let _s = self.cvar.wait_while(s, |s| s.1 == generation);
            BarrierWaitResult(false)
        } else {
            s.0 = 0;
            s.1 = s.1.wrapping_add(1);
            self.cvar.notify_all();
            BarrierWaitResult(true)
        }
    }
}
