//! Signals: handlers written in Rust, the signal mask, and an alternate signal stack.
//!
//! # How a signal handler runs on i386
//!
//! When a signal arrives the kernel pushes a *signal frame* on the user stack (or on the
//! alternate stack, see [`set_alt_stack`]): the saved registers, the signal mask, a
//! `siginfo_t` and, on top, a return address. It then starts the handler at
//! `handler(sig, &info, &ucontext)` (cdecl: the arguments are on the stack). When the handler
//! returns, it "returns" to that address, which is `sa_restorer`: a trampoline that makes the
//! `rt_sigreturn` system call (number 173), which restores the saved registers and mask and
//! resumes the interrupted code.
//!
//! * **The restorer.** The kernel's own vDSO exports one, `__kernel_rt_sigreturn`
//!   (`mov eax, 173; int 0x80`), which debuggers and unwinders recognise. Where there is no
//!   vDSO (qemu-i386 7.2) we use [`own_restorer`], the same two instructions in this crate.
//!   Both make the call with `int 0x80` directly, never through `__kernel_vsyscall`: that
//!   would push a return address into the frame `rt_sigreturn` is about to read.
//!   `SA_RESTORER` is always set. Without it the kernel sends the handler's return to the
//!   vDSO's `__kernel_rt_sigreturn` (what glibc relies on), which does not exist where there
//!   is no vDSO: the handler's `ret` would jump to a bogus address. qemu needs one too.
//! * **Alignment.** Rust's i686 target keeps `esp` 16-byte aligned at calls and uses SSE
//!   (`movaps`) on stack slots. The kernel aligns the frame so that `esp + 4` is a multiple
//!   of 16 at the handler's entry, but we do not rely on it: the kernel-visible handler is
//!   [`signal_entry`], a few lines of asm that realign `esp` to 16 bytes before calling the
//!   Rust function, whatever the stack was.
//! * **Handlers in Rust.** [`set_handler`] stores a plain `fn(Signal)` (or a
//!   [`SigInfoHandler`]) in a table indexed by signal number; `signal_entry` calls
//!   `dispatch`, which looks it up. `SA_SIGINFO` is always set, so the kernel passes all three
//!   arguments.
//!
//! A handler runs between two arbitrary instructions of the program: it must only do
//! async-signal-safe things — system calls, atomics. Not `println!` (it takes stdout's lock;
//! if the signal interrupted a `println!` that is a deadlock) and not the allocator.
//!
//! # Interrupted system calls (`EINTR`)
//!
//! A signal that arrives while a system call is blocked (a `read` of an empty pipe, `wait4`,
//! `nanosleep`) runs its handler, and the call then fails with [`Errno::EINTR`] — unless the
//! handler was installed with [`Flags::RESTART`] (`SA_RESTART`), in which case the kernel
//! restarts most calls transparently. This module never hides `EINTR`: [`crate::io::read`]
//! and `write` report it; [`crate::io::write_all`], [`crate::io::read_to_end`] and
//! [`crate::process::wait4`] retry it, as their documentation says.

use crate::errno::Errno;
use crate::raw;
use crate::syscall::nr;
use core::arch::global_asm;
use core::sync::atomic::{AtomicU64, Ordering};
use linux_raw_sys::general as abi;

/// `sa_handler` value meaning "the default action".
const SIG_DFL: usize = 0;
/// `sa_handler` value meaning "ignore".
const SIG_IGN: usize = 1;

/// A signal: a number from 1 to 64 ([`NSIG`]). 1–31 are the classic signals (the
/// constants below), 32–64 the real-time ones. No other number is a `Signal`, so every
/// call that takes one is spared the check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Signal(i32);

impl Signal {
    /// The signal numbered `n`, or `None` outside 1–64.
    pub const fn from_raw(n: i32) -> Option<Signal> {
        if n >= 1 && n <= NSIG {
            Some(Signal(n))
        } else {
            None
        }
    }

    /// The real-time signal `SIGRTMIN + n` as the kernel numbers them (32 + n), `None`
    /// past 64. (glibc's own `SIGRTMIN` is 34: it keeps 32 and 33 for its threads.)
    pub const fn rt(n: i32) -> Option<Signal> {
        Signal::from_raw(32 + n)
    }

    /// The number.
    pub const fn as_raw(self) -> i32 {
        self.0
    }

    /// The name (`SIGINT`), or `None` for a real-time signal.
    pub fn name(self) -> Option<&'static str> {
        name(self)
    }
}

// The signal numbers, as `Signal` (linux-raw-sys has them as u32).
/// `SIGHUP`.
pub const SIGHUP: Signal = Signal(abi::SIGHUP as i32);
/// `SIGINT`.
pub const SIGINT: Signal = Signal(abi::SIGINT as i32);
/// `SIGQUIT`.
pub const SIGQUIT: Signal = Signal(abi::SIGQUIT as i32);
/// `SIGILL`.
pub const SIGILL: Signal = Signal(abi::SIGILL as i32);
/// `SIGTRAP`.
pub const SIGTRAP: Signal = Signal(abi::SIGTRAP as i32);
/// `SIGABRT`.
pub const SIGABRT: Signal = Signal(abi::SIGABRT as i32);
/// `SIGBUS`.
pub const SIGBUS: Signal = Signal(abi::SIGBUS as i32);
/// `SIGFPE`.
pub const SIGFPE: Signal = Signal(abi::SIGFPE as i32);
/// `SIGKILL`.
pub const SIGKILL: Signal = Signal(abi::SIGKILL as i32);
/// `SIGUSR1`.
pub const SIGUSR1: Signal = Signal(abi::SIGUSR1 as i32);
/// `SIGSEGV`.
pub const SIGSEGV: Signal = Signal(abi::SIGSEGV as i32);
/// `SIGUSR2`.
pub const SIGUSR2: Signal = Signal(abi::SIGUSR2 as i32);
/// `SIGPIPE`.
pub const SIGPIPE: Signal = Signal(abi::SIGPIPE as i32);
/// `SIGALRM`.
pub const SIGALRM: Signal = Signal(abi::SIGALRM as i32);
/// `SIGTERM`.
pub const SIGTERM: Signal = Signal(abi::SIGTERM as i32);
/// `SIGSTKFLT`.
pub const SIGSTKFLT: Signal = Signal(abi::SIGSTKFLT as i32);
/// `SIGCHLD`.
pub const SIGCHLD: Signal = Signal(abi::SIGCHLD as i32);
/// `SIGCONT`.
pub const SIGCONT: Signal = Signal(abi::SIGCONT as i32);
/// `SIGSTOP`.
pub const SIGSTOP: Signal = Signal(abi::SIGSTOP as i32);
/// `SIGTSTP`.
pub const SIGTSTP: Signal = Signal(abi::SIGTSTP as i32);
/// `SIGTTIN`.
pub const SIGTTIN: Signal = Signal(abi::SIGTTIN as i32);
/// `SIGTTOU`.
pub const SIGTTOU: Signal = Signal(abi::SIGTTOU as i32);
/// `SIGURG`.
pub const SIGURG: Signal = Signal(abi::SIGURG as i32);
/// `SIGXCPU`.
pub const SIGXCPU: Signal = Signal(abi::SIGXCPU as i32);
/// `SIGXFSZ`.
pub const SIGXFSZ: Signal = Signal(abi::SIGXFSZ as i32);
/// `SIGVTALRM`.
pub const SIGVTALRM: Signal = Signal(abi::SIGVTALRM as i32);
/// `SIGPROF`.
pub const SIGPROF: Signal = Signal(abi::SIGPROF as i32);
/// `SIGWINCH`.
pub const SIGWINCH: Signal = Signal(abi::SIGWINCH as i32);
/// `SIGIO`.
pub const SIGIO: Signal = Signal(abi::SIGIO as i32);
/// `SIGPWR`.
pub const SIGPWR: Signal = Signal(abi::SIGPWR as i32);
/// `SIGSYS`.
pub const SIGSYS: Signal = Signal(abi::SIGSYS as i32);

/// The highest signal number on Linux (`_NSIG` − 1; 32–64 are the real-time signals).
pub const NSIG: i32 = 64;

/// The name of a signal (`SIGINT`), or `None` for a number with no classic name.
pub fn name(sig: Signal) -> Option<&'static str> {
    const NAMES: [&str; 32] = [
        "",
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS",
    ];
    NAMES.get(sig.0 as usize).copied().filter(|n| !n.is_empty())
}

/// A set of signals, as the kernel's 64-bit `sigset_t` (bit `n - 1` is signal `n`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SigSet(u64);

impl SigSet {
    /// No signals.
    pub const EMPTY: SigSet = SigSet(0);
    /// All 64 signals (the kernel never blocks `SIGKILL` and `SIGSTOP`, whatever the set).
    pub const ALL: SigSet = SigSet(u64::MAX);

    const fn bit(sig: Signal) -> u64 {
        // 1..=64 by construction of `Signal`.
        1 << (sig.0 - 1)
    }

    /// The set holding only `sig`.
    pub const fn of(sig: Signal) -> SigSet {
        SigSet(Self::bit(sig))
    }

    /// This set plus `sig`.
    pub const fn with(self, sig: Signal) -> SigSet {
        SigSet(self.0 | Self::bit(sig))
    }

    /// This set without `sig`.
    pub const fn without(self, sig: Signal) -> SigSet {
        SigSet(self.0 & !Self::bit(sig))
    }

    /// Whether `sig` is in the set.
    pub const fn contains(self, sig: Signal) -> bool {
        self.0 & Self::bit(sig) != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The signals in the set, lowest first.
    pub fn iter(self) -> impl Iterator<Item = Signal> {
        (1..=NSIG)
            .filter_map(Signal::from_raw)
            .filter(move |&s| self.contains(s))
    }

    /// The kernel's 64 bits (bit `n - 1` is signal `n`).
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// From the kernel's 64 bits (every bit is a signal, so any value is a set).
    pub const fn from_bits(bits: u64) -> SigSet {
        SigSet(bits)
    }

    fn to_kernel(self) -> abi::kernel_sigset_t {
        abi::kernel_sigset_t {
            sig: [self.0 as u32 as _, (self.0 >> 32) as u32 as _],
        }
    }

    fn from_kernel(k: abi::kernel_sigset_t) -> SigSet {
        SigSet(u64::from(k.sig[0]) | u64::from(k.sig[1]) << 32)
    }
}

bitflags::bitflags! {
    /// `sa_flags` bits a caller may choose (`SA_SIGINFO` and `SA_RESTORER` are always set).
    /// The empty set: interrupted system calls fail with `EINTR`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Flags: u32 {
        /// `SA_RESTART`: restart interrupted system calls instead of failing with `EINTR`.
        const RESTART = abi::SA_RESTART;
        /// `SA_ONSTACK`: run the handler on the alternate stack ([`set_alt_stack`]).
        const ONSTACK = abi::SA_ONSTACK;
        /// `SA_NODEFER`: don't block the signal while its handler runs.
        const NODEFER = abi::SA_NODEFER;
        /// `SA_RESETHAND`: restore the default action once the handler has run.
        const RESETHAND = abi::SA_RESETHAND;
    }
}

/// A handler that also receives the kernel's `siginfo_t` (sender, fault address, …).
pub type SigInfoHandler = fn(Signal, &abi::siginfo);

/// What to do with a signal.
#[derive(Clone, Copy)]
pub enum Action {
    /// `SIG_DFL`: the default (terminate, core, ignore, stop or continue, by signal).
    Default,
    /// `SIG_IGN`: discard it.
    Ignore,
    /// Run a Rust function.
    Handler(fn(Signal)),
    /// Run a Rust function with the `siginfo_t`.
    InfoHandler(SigInfoHandler),
}

/// The kernel's view of a signal's disposition, as `rt_sigaction` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disposition {
    /// `sa_handler`: 0 = `SIG_DFL`, 1 = `SIG_IGN`, else the handler's address. For a Rust
    /// handler installed with [`set_action`] that is [`signal_entry`], the one entry the
    /// kernel calls for all of them, not the Rust function: the kernel's view cannot give
    /// back an [`Action`] to reinstall.
    pub handler: usize,
    /// `sa_flags`.
    pub flags: u32,
    /// `sa_restorer`.
    pub restorer: usize,
    /// `sa_mask`.
    pub mask: SigSet,
}

// The handler the kernel sees. Entered with esp pointing at the restorer address, then
// sig, &siginfo, &ucontext. Realigns esp to 16 bytes (see the module docs), calls
// `dispatch(sig, info, ctx)` (cdecl), and returns to the restorer with esp as it found it.
global_asm!(
    ".pushsection .text.linux_gate_signal_entry,\"ax\",@progbits",
    ".globl linux_gate_signal_entry",
    ".type linux_gate_signal_entry,@function",
    "linux_gate_signal_entry:",
    "    push ebp",
    "    mov ebp, esp",
    "    and esp, -16",
    "    sub esp, 4",
    "    push dword ptr [ebp + 16]",
    "    push dword ptr [ebp + 12]",
    "    push dword ptr [ebp + 8]",
    "    call {dispatch}",
    "    leave",
    "    ret",
    ".size linux_gate_signal_entry, . - linux_gate_signal_entry",
    ".popsection",
    // The runtime's own restorer, for when there is no vDSO: rt_sigreturn with int 0x80.
    ".pushsection .text.linux_gate_rt_sigreturn,\"ax\",@progbits",
    ".globl linux_gate_rt_sigreturn",
    ".type linux_gate_rt_sigreturn,@function",
    "linux_gate_rt_sigreturn:",
    "    mov eax, {rt_sigreturn}",
    "    int 0x80",
    "    ud2",
    ".size linux_gate_rt_sigreturn, . - linux_gate_rt_sigreturn",
    ".popsection",
    dispatch = sym dispatch,
    rt_sigreturn = const nr::__NR_rt_sigreturn,
);

unsafe extern "C" {
    #[link_name = "linux_gate_signal_entry"]
    fn signal_entry_asm(sig: i32);
    #[link_name = "linux_gate_rt_sigreturn"]
    fn own_restorer_asm();
}

/// Address of the asm entry every Rust handler is installed behind.
pub fn signal_entry() -> usize {
    signal_entry_asm as *const () as usize
}

/// Address of the runtime's own restorer (`mov eax, 173; int 0x80`).
pub fn own_restorer() -> usize {
    own_restorer_asm as *const () as usize
}

/// The restorer installed with every handler: the vDSO's `__kernel_rt_sigreturn@LINUX_2.5`
/// if there is a vDSO, else [`own_restorer`].
pub fn restorer() -> usize {
    static RESTORER: spin::Once<usize> = spin::Once::new();
    *RESTORER.call_once(|| {
        crate::vdso::lookup("__kernel_rt_sigreturn", crate::vdso::LINUX_2_5)
            .unwrap_or_else(own_restorer)
    })
}

/// Table of Rust handlers: per signal, the fn pointer (low 32 bits) and whether it takes a
/// siginfo (bit 32), in one 64-bit atomic (`cmpxchg8b` on i686). One word, not two: a
/// signal arriving while a handler is replaced must never see the new pointer with the
/// old kind, which would call an `fn(Signal)` as an `fn(Signal, &SigInfo)` or back.
static HANDLERS: [AtomicU64; NSIG as usize + 1] = [const { AtomicU64::new(0) }; 65];

/// The [`HANDLERS`] entry for a handler at `f`, `info` saying which kind it is.
fn handler_word(f: usize, info: bool) -> u64 {
    (info as u64) << 32 | f as u64
}

extern "C" fn dispatch(sig: i32, info: *const abi::siginfo, _ctx: *const u8) {
    let Some(sig) = Signal::from_raw(sig) else {
        return;
    };
    let Some(slot) = HANDLERS.get(sig.0 as usize) else {
        return;
    };
    let word = slot.load(Ordering::Acquire);
    let f = word as u32 as usize;
    if f == 0 {
        return;
    }
    if word >> 32 != 0 && !info.is_null() {
        // SAFETY: only `set_action` stores here, a valid `SigInfoHandler`; the kernel passes
        // a valid siginfo pointer because SA_SIGINFO is set.
        let h: SigInfoHandler = unsafe { core::mem::transmute(f) };
        h(sig, unsafe { &*info });
    } else {
        // SAFETY: only `set_action` stores here, a valid `fn(Signal)`.
        let h: fn(Signal) = unsafe { core::mem::transmute(f) };
        h(sig);
    }
}

/// Raw `rt_sigaction(sig, new, old, 8)`.
fn rt_sigaction(
    sig: Signal,
    new: Option<&abi::kernel_sigaction>,
    old: Option<&mut abi::kernel_sigaction>,
) -> Result<(), Errno> {
    let new = new.map_or(core::ptr::null(), |n| n as *const _);
    let old = old.map_or(core::ptr::null_mut(), |o| o as *mut _);
    // SAFETY: both pointers are null or point at a `struct sigaction` of the kernel's layout.
    unsafe { raw::signal::rt_sigaction(sig.0, new, old) }.map(|_| ())
}

/// Sets what `sig` does, blocking `mask` (plus `sig` itself, unless [`Flags::NODEFER`]) while
/// a handler runs. Returns the previous disposition.
///
/// `SIGKILL` and `SIGSTOP` cannot be caught: the kernel answers `EINVAL`.
pub fn set_action(
    sig: Signal,
    action: Action,
    flags: Flags,
    mask: SigSet,
) -> Result<Disposition, Errno> {
    let i = sig.0 as usize;
    let (handler, info) = match action {
        Action::Default => (SIG_DFL, false),
        Action::Ignore => (SIG_IGN, false),
        Action::Handler(f) => (f as usize, false),
        Action::InfoHandler(f) => (f as usize, true),
    };
    let rust = matches!(action, Action::Handler(_) | Action::InfoHandler(_));
    if rust {
        // Publish the Rust function before the kernel can call dispatch for it.
        if let Some(slot) = HANDLERS.get(i) {
            slot.store(handler_word(handler, info), Ordering::Release);
        }
    }
    let kernel_handler = if rust { signal_entry() } else { handler };
    let new = abi::kernel_sigaction {
        // SAFETY: SIG_DFL (0) becomes None; SIG_IGN (1) and a code address are non-null
        // values the kernel stores and compares, never called by us.
        sa_handler_kernel: unsafe {
            core::mem::transmute::<usize, abi::__kernel_sighandler_t>(kernel_handler)
        },
        sa_flags: (flags.bits() | abi::SA_SIGINFO | abi::SA_RESTORER) as _,
        // SAFETY: the restorer is a code address (vDSO or ours), non-null.
        sa_restorer: unsafe { core::mem::transmute::<usize, abi::__sigrestore_t>(restorer()) },
        sa_mask: mask.to_kernel(),
    };
    let mut old = empty_action();
    rt_sigaction(sig, Some(&new), Some(&mut old))?;
    Ok(disposition(&old))
}

/// Installs a Rust handler for `sig` with no extra flags (so blocked calls see `EINTR`).
pub fn set_handler(sig: Signal, handler: fn(Signal)) -> Result<Disposition, Errno> {
    set_action(sig, Action::Handler(handler), Flags::empty(), SigSet::EMPTY)
}

/// Ignores `sig` (`SIG_IGN`).
pub fn ignore(sig: Signal) -> Result<Disposition, Errno> {
    set_action(sig, Action::Ignore, Flags::empty(), SigSet::EMPTY)
}

/// Restores the default action for `sig` (`SIG_DFL`).
pub fn set_default(sig: Signal) -> Result<Disposition, Errno> {
    set_action(sig, Action::Default, Flags::empty(), SigSet::EMPTY)
}

/// The current disposition of `sig`, as the kernel holds it.
pub fn disposition_of(sig: Signal) -> Result<Disposition, Errno> {
    let mut old = empty_action();
    rt_sigaction(sig, None, Some(&mut old))?;
    Ok(disposition(&old))
}

fn empty_action() -> abi::kernel_sigaction {
    abi::kernel_sigaction {
        sa_handler_kernel: None,
        sa_flags: 0,
        sa_restorer: None,
        sa_mask: SigSet::EMPTY.to_kernel(),
    }
}

fn disposition(k: &abi::kernel_sigaction) -> Disposition {
    Disposition {
        handler: k.sa_handler_kernel.map_or(0, |f| f as usize),
        flags: k.sa_flags,
        restorer: k.sa_restorer.map_or(0, |f| f as usize),
        mask: SigSet::from_kernel(k.sa_mask),
    }
}

/// How [`set_mask`] changes the mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// `SIG_BLOCK`: add the set.
    Block,
    /// `SIG_UNBLOCK`: remove the set.
    Unblock,
    /// `SIG_SETMASK`: replace the mask.
    SetMask,
}

/// `rt_sigprocmask(how, set, &old, 8)`: changes the blocked set; returns the previous one.
pub fn set_mask(how: How, set: SigSet) -> Result<SigSet, Errno> {
    let how = match how {
        How::Block => abi::SIG_BLOCK,
        How::Unblock => abi::SIG_UNBLOCK,
        How::SetMask => abi::SIG_SETMASK,
    };
    let new = set.to_kernel();
    let mut old = SigSet::EMPTY.to_kernel();
    // SAFETY: both point at 8-byte sigsets.
    unsafe { raw::signal::rt_sigprocmask(how, &new, &mut old) }?;
    Ok(SigSet::from_kernel(old))
}

/// The current mask (`rt_sigprocmask` with no new set).
pub fn mask() -> Result<SigSet, Errno> {
    let mut old = SigSet::EMPTY.to_kernel();
    // SAFETY: a null new set only reads the mask into `old` (8 bytes).
    unsafe { raw::signal::rt_sigprocmask(abi::SIG_BLOCK, core::ptr::null(), &mut old) }?;
    Ok(SigSet::from_kernel(old))
}

/// `rt_sigpending`: blocked signals that have arrived and wait for delivery.
pub fn pending() -> Result<SigSet, Errno> {
    let mut set = SigSet::EMPTY.to_kernel();
    // SAFETY: the kernel writes an 8-byte sigset.
    unsafe { raw::signal::rt_sigpending(&mut set) }?;
    Ok(SigSet::from_kernel(set))
}

/// `sigaltstack`: handlers installed with [`Flags::ONSTACK`] run on `stack` (which must stay
/// valid — typically a `static` buffer or a leaked allocation — and hold at least
/// `MINSIGSTKSZ`, 2048 bytes). `None` disables it. Returns the previous `(base, size)`, if any.
///
/// The alternate stack is how a program can still handle `SIGSEGV` from a stack overflow:
/// the normal stack has no room left for a signal frame.
pub fn set_alt_stack(stack: Option<&'static mut [u8]>) -> Result<Option<(usize, usize)>, Errno> {
    let new = match stack {
        Some(s) if s.len() < abi::MINSIGSTKSZ as usize => return Err(Errno::ENOMEM),
        Some(s) => abi::sigaltstack {
            ss_sp: s.as_mut_ptr().cast(),
            ss_flags: 0,
            ss_size: s.len() as _,
        },
        None => abi::sigaltstack {
            ss_sp: core::ptr::null_mut(),
            ss_flags: abi::SS_DISABLE as _,
            ss_size: 0,
        },
    };
    let mut old = abi::sigaltstack {
        ss_sp: core::ptr::null_mut(),
        ss_flags: 0,
        ss_size: 0,
    };
    // SAFETY: both point at `stack_t`s; the caller's buffer is 'static.
    unsafe { raw::signal::sigaltstack(&new, &mut old) }?;
    Ok(if old.ss_flags as u32 & abi::SS_DISABLE != 0 {
        None
    } else {
        Some((old.ss_sp as usize, old.ss_size as usize))
    })
}

/// Sends `sig` to this process (`kill(getpid(), sig)`); a handler runs before this returns
/// if the signal is not blocked.
pub fn raise(sig: Signal) -> Result<(), Errno> {
    let pid = crate::id::getpid().as_raw();
    // SAFETY: takes numbers; the signal is for this process.
    unsafe { raw::process::kill(pid, sig.0) }.map(|_| ())
}

/// `alarm(seconds)`: `SIGALRM` after that many seconds (0 cancels). Returns the seconds that
/// were left on a previous alarm.
pub fn alarm(seconds: u32) -> u32 {
    // SAFETY: alarm takes an integer and cannot fail.
    unsafe { raw::signal::alarm(seconds) }.unwrap_or(0) as u32
}

/// `setitimer(ITIMER_REAL)`: `SIGALRM` after `micros` microseconds, then every `interval`
/// microseconds (0 = once). 0 cancels. i386's `struct timeval` has 32-bit seconds: a time
/// past `i32::MAX` seconds (68 years) is `EOVERFLOW`, as glibc's 64-bit-time `setitimer`
/// says, and arms nothing (it was cut to its low 32 bits before).
pub fn set_timer(micros: u64, interval: u64) -> Result<(), Errno> {
    let tv = |us: u64| -> Result<abi::timeval, Errno> {
        let secs = i32::try_from(us / 1_000_000).map_err(|_| Errno::EOVERFLOW)?;
        Ok(abi::timeval {
            tv_sec: secs as _,
            tv_usec: (us % 1_000_000) as _,
        })
    };
    let it = abi::itimerval {
        it_interval: tv(interval)?,
        it_value: tv(micros)?,
    };
    // SAFETY: the kernel reads one i386 `struct itimerval` (two 32-bit `timeval`s); no old
    // value is requested.
    unsafe { raw::signal::setitimer(abi::ITIMER_REAL, &it, core::ptr::null_mut()) }.map(|_| ())
}

/// `getitimer(ITIMER_REAL)`: what [`set_timer`] armed, as the kernel holds it now —
/// `(microseconds until the next SIGALRM, interval in microseconds)`, `(0, 0)` when unarmed.
pub fn timer() -> Result<(u64, u64), Errno> {
    let zero = abi::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    let mut it = abi::itimerval {
        it_interval: zero,
        it_value: zero,
    };
    // SAFETY: the kernel writes one i386 `struct itimerval`.
    unsafe { raw::signal::getitimer(abi::ITIMER_REAL, &mut it) }?;
    let us = |t: &abi::timeval| t.tv_sec as u32 as u64 * 1_000_000 + t.tv_usec as u32 as u64;
    Ok((us(&it.it_value), us(&it.it_interval)))
}
