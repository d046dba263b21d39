//! Ending the process: `exit` (hooks, destructors, flush, then `exit_group`) and the raw
//! calls, which skip all three.

use crate::raw;
use core::arch::global_asm;
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

// __linux_gate_run_fini (linker.ld's symbol for the start of this section): calls the
// `.fini_array` entries backwards, from __fini_array_end down to __fini_array_start, with no
// arguments (as glibc's `call_fini`). Linked only when the program has constructor or
// destructor arrays; otherwise linker.ld points the symbol at a lone `ret` (see src/init.rs).
// Preserves the cdecl callee-saved registers.
global_asm!(
    ".pushsection .linux_gate_fini,\"ax\",@progbits",
    "    push esi",
    // Entered with esp ≡ 12 (mod 16): after the push and this, each call has esp ≡ 0.
    "    sub esp, 8",
    "    mov esi, offset __fini_array_end",
    "2:",
    "    cmp esi, offset __fini_array_start",
    "    je 3f",
    "    sub esi, 4",
    "    call [esi]",
    "    jmp 2b",
    "3:",
    "    add esp, 8",
    "    pop esi",
    "    ret",
    ".popsection",
);

unsafe extern "C" {
    /// The loop above, or the lone `ret` (linker.ld).
    fn __linux_gate_run_fini();
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

/// Ends the process the orderly way: runs the [`at_exit`] hooks, then the destructors
/// (`.fini_array`, last first; see [`crate::init`]), flushes stdout, then
/// `exit_group(code)` — glibc's order: `atexit` handlers, `.fini_array`, stdio. If the
/// final flush fails (say stdout is `/dev/full`) and `code` is 0, it reports that on stderr
/// and exits 1 instead, so output is never lost silently.
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
    // SAFETY: the destructors are the program's own, run once, by the exiting process; the
    // loop (or `ret`) follows the C calling convention, which the clobbers declare.
    unsafe {
        core::arch::asm!("call {}", sym __linux_gate_run_fini, clobber_abi("C"));
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
        let _ = unsafe { raw::process::exit_group(code) };
    }
}

/// Same as [`exit_group`]: the immediate exit, as C's `_exit`.
pub fn _exit(code: i32) -> ! {
    exit_group(code)
}

/// Ends the process with `SIGABRT`, like `abort(3)`: unblocks the signal and resets it to
/// its default action (so neither a mask nor a handler can keep the process alive), sends it
/// to this process with `kill(getpid(), SIGABRT)`, and falls back to `exit_group(134)` if
/// somehow still alive. (The runtime has one thread, so the process is the thread: no
/// `gettid`/`tgkill` needed.)
pub fn abort() -> ! {
    use linux_raw_sys::general::{SIG_UNBLOCK, SIGABRT, kernel_sigaction, kernel_sigset_t};
    let sig = SIGABRT as i32;
    let set = kernel_sigset_t {
        sig: [1 << (sig - 1), 0],
    };
    // A zeroed action: handler 0 is SIG_DFL.
    let act = kernel_sigaction {
        sa_handler_kernel: None,
        sa_flags: 0,
        sa_restorer: None,
        sa_mask: kernel_sigset_t { sig: [0, 0] },
    };
    // SAFETY: plain syscalls on this process: unblock SIGABRT, reset it to SIG_DFL, and
    // send it to ourselves. Both structs live across their calls.
    unsafe {
        let _ = raw::signal::rt_sigprocmask(SIG_UNBLOCK, &set, core::ptr::null_mut());
        let _ = raw::signal::rt_sigaction(sig, &act, core::ptr::null_mut());
        if let Ok(pid) = raw::process::getpid() {
            let _ = raw::process::kill(pid as i32, sig);
        }
    }
    exit_group(134)
}
