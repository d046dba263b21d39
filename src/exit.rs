//! Ending the process: `exit` (hooks, flush, then `exit_group`) and the raw calls.

use crate::syscall::{self, nr};
use core::sync::atomic::{AtomicUsize, Ordering};

const MAX_HOOKS: usize = 32;
type HookTable = [Option<fn()>; MAX_HOOKS];
static HOOKS: spin::Mutex<HookTable> = spin::Mutex::new([None; MAX_HOOKS]);
static NHOOKS: AtomicUsize = AtomicUsize::new(0);

/// Registers `hook` to run when this process calls [`exit`] (or returns from `main`), last
/// registered first, like `atexit`. Returns `false` if the table (32 hooks) is full.
///
/// Hooks run only in the process that calls `exit`; [`exit_group`]/[`_exit`] skip them
/// (a forked child that execs or `_exit`s does not run its parent's hooks).
pub fn at_exit(hook: fn()) -> bool {
    let mut hooks = HOOKS.lock();
    let n = NHOOKS.load(Ordering::Relaxed);
    if n == MAX_HOOKS {
        return false;
    }
    hooks[n] = Some(hook);
    NHOOKS.store(n + 1, Ordering::Relaxed);
    true
}

fn run_hooks() {
    loop {
        // Take one hook at a time without holding the lock, so a hook may register more.
        let hook = {
            let mut hooks = HOOKS.lock();
            let n = NHOOKS.load(Ordering::Relaxed);
            if n == 0 {
                break;
            }
            NHOOKS.store(n - 1, Ordering::Relaxed);
            hooks[n - 1].take()
        };
        if let Some(h) = hook {
            h();
        }
    }
}

/// The final flush of stdout's buffer: `fn(code) -> code`, installed by [`crate::io`] the
/// first time something is buffered. Kept as a pointer so that a program that never buffers
/// output does not link the buffering (or formatting) code at all.
static FINAL_FLUSH: AtomicUsize = AtomicUsize::new(0);

/// Installs the function [`exit`] calls last, before `exit_group`.
pub(crate) fn set_final_flush(f: fn(i32) -> i32) {
    FINAL_FLUSH.store(f as usize, Ordering::Relaxed);
}

/// Installed by `crate::thread` once threads exist: lets the first thread that calls
/// [`exit`] run the hooks; any other sleeps until its `exit_group`. 0 before (and in a
/// program without threads, which then links none of it).
static EXIT_GUARD: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn set_exit_guard(f: fn()) {
    EXIT_GUARD.store(f as usize, Ordering::Relaxed);
}

/// Ends the process the orderly way: runs the [`at_exit`] hooks, flushes stdout, then
/// `exit_group(code)`. If the final flush fails (say stdout is `/dev/full`) and `code` is 0,
/// it reports that on stderr and exits 1 instead, so output is never lost silently.
pub fn exit(code: i32) -> ! {
    let guard = EXIT_GUARD.load(Ordering::Relaxed);
    if guard != 0 {
        // SAFETY: only `set_exit_guard` stores here, always a valid `fn()`.
        let guard: fn() = unsafe { core::mem::transmute(guard) };
        guard();
    }
    if NHOOKS.load(Ordering::Relaxed) != 0 {
        run_hooks();
    }
    let mut code = code;
    let flush = FINAL_FLUSH.load(Ordering::Relaxed);
    if flush != 0 {
        // SAFETY: only `set_final_flush` stores here, always a valid `fn(i32) -> i32`.
        let flush: fn(i32) -> i32 = unsafe { core::mem::transmute(flush) };
        code = flush(code);
    }
    exit_group(code)
}

/// `exit_group(2)`: ends every thread of the process at once, with no hooks or flushing.
pub fn exit_group(code: i32) -> ! {
    // The one exit site of the runtime: `exit`, `_exit`, `abort`'s fallback and the panic
    // handler all end here. exit_group cannot fail; the loop only convinces the compiler.
    loop {
        // SAFETY: exit_group takes one integer and does not return.
        unsafe {
            let _ = syscall::syscall1(nr::__NR_exit_group, code as usize);
        }
    }
}

/// Same as [`exit_group`]: the immediate exit, as C's `_exit`.
pub fn _exit(code: i32) -> ! {
    exit_group(code)
}

/// Installed by `crate::thread` once threads exist: `abort` that sends SIGABRT to the
/// calling thread (`tgkill`), so no other thread can receive it while this one reaches
/// `exit_group`. 0 before (and in a program without threads, which links none of it).
static ABORT_HOOK: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn set_abort_hook(f: fn() -> !) {
    ABORT_HOOK.store(f as usize, Ordering::Relaxed);
}

/// Ends the process with `SIGABRT`, like `abort(3)`: unblocks the signal and resets it to
/// its default action (so neither a mask nor a handler can keep the process alive), sends it
/// to this process with `kill(getpid(), SIGABRT)`, and falls back to `exit_group(134)` if
/// somehow still alive. Once threads exist, `crate::thread` sends it with `tgkill` to the
/// calling thread instead.
pub fn abort() -> ! {
    let in_thread = ABORT_HOOK.load(Ordering::Relaxed);
    if in_thread != 0 {
        // SAFETY: only `set_abort_hook` stores here, always a valid `fn() -> !`.
        let in_thread: fn() -> ! = unsafe { core::mem::transmute(in_thread) };
        in_thread();
    }
    let sig = linux_raw_sys::general::SIGABRT as usize;
    // SAFETY: plain syscalls on this process: unblock SIGABRT, reset it to SIG_DFL
    // (rt_sigaction with a zeroed action: handler 0 = SIG_DFL), and send it to ourselves.
    unsafe {
        let set: [u32; 2] = [1 << (sig - 1), 0];
        let _ = syscall::syscall4(
            nr::__NR_rt_sigprocmask,
            linux_raw_sys::general::SIG_UNBLOCK as usize,
            set.as_ptr() as usize,
            0,
            8,
        );
        let act = [0usize; 5];
        let _ = syscall::syscall4(nr::__NR_rt_sigaction, sig, act.as_ptr() as usize, 0, 8);
        if let Ok(pid) = syscall::syscall0(nr::__NR_getpid) {
            let _ = syscall::syscall2(nr::__NR_kill, pid, sig);
        }
    }
    exit_group(134)
}
