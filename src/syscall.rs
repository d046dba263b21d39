//! The two ways into the i386 kernel, and `syscall0` … `syscall6` on top of them.
//!
//! # The ABI
//!
//! The syscall number goes in `eax`, arguments 1–6 in `ebx`, `ecx`, `edx`, `esi`, `edi`,
//! `ebp`. The result comes back in `eax`; a value in `-4095..=-1` is `-errno`, anything else
//! is success. Every other register is preserved.
//!
//! # The two mechanisms
//!
//! * `int $0x80` — the original software interrupt. Always available, slow: ~5 µs per call on
//!   this project's VMs (a cost of the virtualisation; on bare metal it is a few hundred ns).
//! * `call *AT_SYSINFO` — the kernel maps a tiny shared object, the vDSO (`linux-gate.so.1`),
//!   into every process and passes the address of its `__kernel_vsyscall` in the auxiliary
//!   vector as `AT_SYSINFO`. That function uses whatever the CPU does fastest (`sysenter` on
//!   Intel; `syscall` on AMD under a 64-bit kernel, which is what patches it in; `int $0x80`
//!   as a last resort) and returns with every register but `eax` intact: ~0.2 µs here
//!   (`make bench`, BENCHMARKS.md §1).
//!
//! Like glibc and musl, we keep the entry point in a variable and `call` through it, so
//! every syscall site is one 6-byte instruction:
//!
//! ```text
//!     call dword ptr [linux_gate_syscall_entry]   ; __kernel_vsyscall, or the stub below
//! ```
//!
//! `_start` stores `AT_SYSINFO` there once it has read the auxv. When there is no vDSO
//! (qemu-i386 7.2, valgrind, `vdso32=0`) or `LINUX_GATE_SYSCALL=int80` asks for it, it stores
//! the address of a 3-byte stub with `__kernel_vsyscall`'s contract instead,
//!
//! ```text
//! linux_gate_int80:
//!     int  0x80
//!     ret
//! ```
//!
//! which is what glibc's i386 `_dl_sysinfo` pointed at until the vDSO was found
//! (`_dl_sysinfo_int80`). The variable lives in `.bss` (zero, writable), so it costs no file
//! bytes; no system call is made before `_start` sets it (reading the initial stack makes
//! none). The `int $0x80` path pays a `call` and a `ret` more than an inline `int $0x80`
//! would; in exchange every call site is 6 bytes instead of the 19 that a test of the
//! variable with both paths inline took (BENCHMARKS.md §4).
//!
//! # Registers Rust's `asm!` cannot name
//!
//! LLVM reserves `esi` (its base pointer) and `ebp` (the frame pointer), so they cannot be
//! operands. Argument 4 belongs in `esi`: we `xchg` it in and back out. Argument 6 belongs
//! in `ebp`: `syscall6` passes args 4 and 6 (and the number) through a small array in
//! memory whose address is in `eax`, saves `esi`/`ebp` on the stack, loads them, and restores
//! them after the call.
//!
//! A `call` through the entry pushes on our stack and may change flags, so these blocks use
//! neither `nostack` nor `preserves_flags`.

use crate::errno::Errno;
use core::arch::asm;
use core::sync::atomic::{AtomicUsize, Ordering};

pub use linux_raw_sys::general as nr;

/// Where every syscall goes: the address of `__kernel_vsyscall`, or of [`linux_gate_int80`].
///
/// Read by the `call dword ptr [..]` in the asm blocks below — what glibc's
/// `call *%gs:0x10` and musl's `call *__sysinfo` do. Exported under a fixed name so that a
/// debugger (`x/wx &linux_gate_syscall_entry`) and the benchmarks' disassembly can find it.
/// 0 until `_start` sets it.
#[unsafe(export_name = "linux_gate_syscall_entry")]
static LINUX_GATE_SYSCALL_ENTRY: AtomicUsize = AtomicUsize::new(0);

core::arch::global_asm!(
    // linux_gate_int80: `int $0x80` with `__kernel_vsyscall`'s contract (number and
    // arguments in registers, result in eax, returns with `ret`), for the entry to point at
    // when there is no vDSO.
    ".pushsection .text.linux_gate_int80,\"ax\",@progbits",
    ".globl linux_gate_int80",
    ".type linux_gate_int80,@function",
    "linux_gate_int80:",
    "    int 0x80",
    "    ret",
    ".size linux_gate_int80, . - linux_gate_int80",
    ".popsection",
);

unsafe extern "C" {
    /// The stub above: `int $0x80; ret`.
    fn linux_gate_int80();
}

/// The entry that means "`int $0x80`": the address of the `int $0x80; ret` stub.
pub fn int80_entry() -> usize {
    linux_gate_int80 as unsafe extern "C" fn() as usize
}

/// Which path a syscall takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mechanism {
    /// `call` to the vDSO's `__kernel_vsyscall` (address from `AT_SYSINFO`).
    Vsyscall,
    /// The `int $0x80` software interrupt.
    Int80,
}

impl Mechanism {
    /// Short name, as printed by the examples and the trace: `vsyscall` or `int80`.
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Vsyscall => "vsyscall",
            Mechanism::Int80 => "int80",
        }
    }
}

/// The mechanism in use by this process.
pub fn mechanism() -> Mechanism {
    if entry() == int80_entry() {
        Mechanism::Int80
    } else {
        Mechanism::Vsyscall
    }
}

/// The address every syscall is `call`ed through right now ([`int80_entry()`]: `int $0x80`).
pub fn entry() -> usize {
    LINUX_GATE_SYSCALL_ENTRY.load(Ordering::Relaxed)
}

/// Points every later syscall at `entry`: `__kernel_vsyscall`'s address, or
/// [`int80_entry()`] for `int $0x80`.
///
/// # Safety
/// `entry` must be the address of code with `__kernel_vsyscall`'s contract (number
/// and arguments in registers, result in `eax`, everything else preserved, returns with
/// `ret`).
pub unsafe fn set_entry(entry: usize) {
    LINUX_GATE_SYSCALL_ENTRY.store(entry, Ordering::Relaxed)
}

/// Decodes a raw `eax` after a system call by the kernel's return convention:
/// `-4095..=-1` (`0xfffff001..=0xffffffff`) is `Err(-ret)`, anything else is `Ok(ret)` — so
/// `-4096` and below, e.g. an `mmap2` address at or above `0x80000000`, are results, not
/// errors, even though they are negative as `i32`. Every `syscallN` below returns this.
#[inline(always)]
pub fn decode(ret: usize) -> Result<usize, Errno> {
    if ret > -4096isize as usize {
        Err(Errno::from_raw(ret.wrapping_neg() as u16))
    } else {
        Ok(ret)
    }
}

/// The kernel entry of every asm block below (`{entry}` is [`LINUX_GATE_SYSCALL_ENTRY`]):
/// one indirect `call`, 6 bytes, to `__kernel_vsyscall` or to [`linux_gate_int80`].
macro_rules! ENTER {
    () => {
        "call dword ptr [{entry}]"
    };
}

/// What the trace (feature `trace`) plugs into the syscall layer: called after every
/// traced call with the number, the arguments and the result.
#[cfg(feature = "trace")]
pub type TraceHook = fn(nr: u32, args: &[usize], result: Result<usize, Errno>);

/// The hook slot: 0, or a [`TraceHook`]. The syscall layer calls whatever is here and knows
/// nothing of the trace itself — the way [`crate::exit`] takes its flush function.
#[cfg(feature = "trace")]
static TRACE_HOOK: AtomicUsize = AtomicUsize::new(0);

/// Installs the function every later syscall reports to (feature `trace`).
#[cfg(feature = "trace")]
pub fn set_trace_hook(hook: TraceHook) {
    TRACE_HOOK.store(hook as usize, Ordering::Release);
}

/// Reports one call to the hook slot. `syscallN` do it for every call they make; the few
/// calls made by their own asm (the `clone` trampoline, which must use `int $0x80`) report
/// here themselves, so that the trace shows them too.
#[cfg(feature = "trace")]
#[inline(always)]
pub(crate) fn report(nr: u32, args: &[usize], result: Result<usize, Errno>) {
    let h = TRACE_HOOK.load(Ordering::Acquire);
    if h != 0 {
        // SAFETY: only `set_trace_hook` stores here, a `TraceHook`.
        let hook: TraceHook = unsafe { core::mem::transmute::<usize, TraceHook>(h) };
        hook(nr, args, result);
    }
}

#[cfg(feature = "trace")]
macro_rules! traced {
    ($nr:expr, [$($a:expr),*], $body:expr) => {{
        let r = $body;
        report($nr, &[$($a),*], r);
        r
    }};
}
#[cfg(not(feature = "trace"))]
macro_rules! traced {
    ($nr:expr, [$($a:expr),*], $body:expr) => {
        $body
    };
}

/// A system call with no arguments, e.g. `getpid`.
///
/// # Safety
/// The kernel does whatever `nr` means; the caller vouches for the call's effects.
#[inline]
pub unsafe fn syscall0(nr: u32) -> Result<usize, Errno> {
    let ret: usize;
    // SAFETY: the entry has __kernel_vsyscall's contract: only eax changes.
    unsafe {
        asm!(
            ENTER!(),
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") nr as usize => ret,
        );
    }
    traced!(nr, [], decode(ret))
}

/// A system call with one argument (`ebx`).
///
/// # Safety
/// As for [`syscall0`].
#[inline]
pub unsafe fn syscall1(nr: u32, a1: usize) -> Result<usize, Errno> {
    let ret: usize;
    // SAFETY: as in syscall0.
    unsafe {
        asm!(
            ENTER!(),
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1,
        );
    }
    traced!(nr, [a1], decode(ret))
}

/// A system call with two arguments (`ebx`, `ecx`).
///
/// # Safety
/// As for [`syscall0`].
#[inline]
pub unsafe fn syscall2(nr: u32, a1: usize, a2: usize) -> Result<usize, Errno> {
    let ret: usize;
    // SAFETY: as in syscall0.
    unsafe {
        asm!(
            ENTER!(),
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1, in("ecx") a2,
        );
    }
    traced!(nr, [a1, a2], decode(ret))
}

/// A system call with three arguments (`ebx`, `ecx`, `edx`).
///
/// # Safety
/// As for [`syscall0`].
#[inline]
pub unsafe fn syscall3(nr: u32, a1: usize, a2: usize, a3: usize) -> Result<usize, Errno> {
    // SAFETY: the caller's contract, passed on; `raw_syscall3` is this call minus the trace.
    traced!(nr, [a1, a2, a3], unsafe { raw_syscall3(nr, a1, a2, a3) })
}

/// A system call with four arguments; the fourth belongs in `esi`, which `asm!` cannot
/// name, so it is swapped in and out with `xchg`.
///
/// # Safety
/// As for [`syscall0`].
#[inline]
pub unsafe fn syscall4(
    nr: u32,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
) -> Result<usize, Errno> {
    let ret: usize;
    // SAFETY: as in syscall0; esi is restored by the second xchg (the entry preserves it).
    // If the register allocator happened to pick esi for {a4}, both xchgs are no-ops.
    unsafe {
        asm!(
            "xchg esi, {a4}",
            ENTER!(),
            "xchg esi, {a4}",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            a4 = in(reg) a4,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3,
        );
    }
    traced!(nr, [a1, a2, a3, a4], decode(ret))
}

/// A system call with five arguments (`esi` swapped in as in [`syscall4`], `edi`).
///
/// # Safety
/// As for [`syscall0`].
#[inline]
pub unsafe fn syscall5(
    nr: u32,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> Result<usize, Errno> {
    let ret: usize;
    // SAFETY: as in syscall4.
    unsafe {
        asm!(
            "xchg esi, {a4}",
            ENTER!(),
            "xchg esi, {a4}",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            a4 = in(reg) a4,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3, in("edi") a5,
        );
    }
    traced!(nr, [a1, a2, a3, a4, a5], decode(ret))
}

/// A system call with six arguments, e.g. `mmap2`.
///
/// All seven general registers other than `esp` carry something, and two of them (`esi`,
/// `ebp`) cannot be operands. So `eax` points at `[a4, a6, nr]` in memory; the asm saves
/// `ebp` and `esi` on the stack, loads `esi = a4`, `ebp = a6`, and finally `eax = nr`
/// (overwriting the pointer), makes the call, and pops `esi` and `ebp` back.
///
/// # Safety
/// As for [`syscall0`].
#[inline]
pub unsafe fn syscall6(
    nr: u32,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
    a6: usize,
) -> Result<usize, Errno> {
    // SAFETY: the caller's contract.
    let ret = unsafe { enter6(nr, [a1, a2, a3, a4, a5, a6]) };
    traced!(nr, [a1, a2, a3, a4, a5, a6], decode(ret))
}

/// The six-argument call itself, shared by [`syscall6`] and, without the trace hook, by
/// `raw_syscall6`; the kernel's raw return value.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
unsafe fn enter6(nr: u32, [a1, a2, a3, a4, a5, a6]: [usize; 6]) -> usize {
    let ret: usize;
    let spill: [usize; 3] = [a4, a6, nr as usize];
    // SAFETY: as in syscall0; esi and ebp are saved and restored around the call, and
    // `spill` lives until the asm block ends.
    unsafe {
        asm!(
            "push ebp",
            "push esi",
            "mov esi, dword ptr [eax]",
            "mov ebp, dword ptr [eax + 4]",
            "mov eax, dword ptr [eax + 8]",
            ENTER!(),
            "pop esi",
            "pop ebp",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") spill.as_ptr() => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3, in("edi") a5,
        );
    }
    ret
}

/// `syscall6` without the trace hook: the trace maps the buffer for a line that outgrows its
/// stack buffer with it (`mmap2`), so that the mapping is not traced.
///
/// # Safety
/// As for [`syscall0`].
#[cfg(feature = "trace")]
pub(crate) unsafe fn raw_syscall6(nr: u32, a: [usize; 6]) -> Result<usize, Errno> {
    // SAFETY: the caller's contract.
    decode(unsafe { enter6(nr, a) })
}

/// `syscall3` without the trace hook (feature `trace`): for the trace's own output, which
/// must not trace itself. Same path (vsyscall or `int $0x80`) as every other call.
///
/// # Safety
/// As for [`syscall0`].
#[inline]
pub unsafe fn raw_syscall3(nr: u32, a1: usize, a2: usize, a3: usize) -> Result<usize, Errno> {
    let ret: usize;
    // SAFETY: as in syscall0.
    unsafe {
        asm!(
            ENTER!(),
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3,
        );
    }
    decode(ret)
}

/// `int $0x80` directly, never through the vDSO — for the places where the vDSO must not be
/// used: the child side of a `clone` onto a new stack, and a signal restorer.
///
/// # Safety
/// As for [`syscall0`].
#[inline]
pub unsafe fn int80_syscall3(nr: u32, a1: usize, a2: usize, a3: usize) -> Result<usize, Errno> {
    let ret: usize;
    // SAFETY: int 0x80 changes only eax and touches no user memory of its own.
    unsafe {
        asm!(
            "int 0x80",
            inlateout("eax") nr as usize => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3,
            options(nostack, preserves_flags),
        );
    }
    decode(ret)
}
