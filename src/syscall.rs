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
//!   this project's VMs.
//! * `call *AT_SYSINFO` — the kernel maps a tiny shared object, the vDSO (`linux-gate.so.1`),
//!   into every process and passes the address of its `__kernel_vsyscall` in the auxiliary
//!   vector as `AT_SYSINFO`. That function uses whatever the CPU does fastest (`sysenter` on
//!   Intel, `syscall` on AMD, `int $0x80` as a last resort) and returns with every register
//!   but `eax` intact: ~0.17 µs here.
//!
//! Like glibc and musl, we keep the entry point in a variable and *always* `call` through it.
//! Until `_start` has read the auxv — and for ever, when there is no vDSO (qemu-i386 7.2,
//! valgrind, `vdso32=0`) — it points at [`int80_entry`], a two-instruction `int $0x80; ret`
//! stub with the same contract. So there is no branch on the hot path and no window in which
//! a syscall could jump through an unset pointer.
//!
//! # Registers Rust's `asm!` cannot name
//!
//! LLVM reserves `esi` (its base pointer) and `ebp` (the frame pointer), so they cannot be
//! operands. Argument 4 belongs in `esi`: we `xchg` it in and back out. Argument 6 belongs
//! in `ebp`: `syscall6` passes args 4 and 6 (and the number) through a small array in
//! memory whose address is in `eax`, saves `esi`/`ebp` on the stack, loads them, and restores
//! them after the call.
//!
//! A `call` through `__kernel_vsyscall` pushes on our stack and may change flags, so these
//! blocks use neither `nostack` nor `preserves_flags`.

use crate::errno::Errno;
use core::arch::{asm, global_asm};
use core::sync::atomic::{AtomicUsize, Ordering};

pub use linux_raw_sys::general as nr;

global_asm!(
    ".pushsection .text.linux_gate_int80_entry,\"ax\",@progbits",
    ".globl linux_gate_int80_entry",
    ".type linux_gate_int80_entry,@function",
    "linux_gate_int80_entry:",
    "    int 0x80",
    "    ret",
    ".size linux_gate_int80_entry, . - linux_gate_int80_entry",
    ".popsection",
    // The entry pointer starts out at the stub, so even a syscall made before `_start` has
    // read the auxv (or in a program that never does) is valid.
    ".pushsection .data.linux_gate_syscall_entry,\"aw\",@progbits",
    ".balign 4",
    ".globl linux_gate_syscall_entry",
    "linux_gate_syscall_entry:",
    "    .long linux_gate_int80_entry",
    ".popsection",
);

unsafe extern "C" {
    /// `int $0x80; ret`: the fallback entry, with `__kernel_vsyscall`'s calling convention.
    #[link_name = "linux_gate_int80_entry"]
    fn int80_entry_stub();

    /// Where every syscall goes: `__kernel_vsyscall`, or the `int $0x80` stub.
    ///
    /// Read by the `call dword ptr [..]` in the asm blocks below — exactly what glibc's
    /// `call *%gs:0x10` and musl's `call *__sysinfo` do.
    #[link_name = "linux_gate_syscall_entry"]
    static LINUX_GATE_SYSCALL_ENTRY: AtomicUsize;
}

/// Address of the `int $0x80; ret` fallback entry.
pub fn int80_entry() -> usize {
    int80_entry_stub as *const () as usize
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

/// The address every syscall is `call`ed through right now.
pub fn entry() -> usize {
    // SAFETY: the static is defined (initialised, aligned) in the global_asm! above.
    unsafe { LINUX_GATE_SYSCALL_ENTRY.load(Ordering::Relaxed) }
}

/// Points every later syscall at `entry`: `__kernel_vsyscall`'s address, or
/// [`int80_entry()`].
///
/// # Safety
/// `entry` must be the address of code with `__kernel_vsyscall`'s contract (number and
/// arguments in registers, result in `eax`, everything else preserved, returns with `ret`).
pub unsafe fn set_entry(entry: usize) {
    // SAFETY: the static is defined in the global_asm! above; the caller vouches for `entry`.
    unsafe { LINUX_GATE_SYSCALL_ENTRY.store(entry, Ordering::Relaxed) }
}

/// The kernel's return convention: `-4095..=-1` is `-errno`.
#[inline(always)]
fn check(ret: usize) -> Result<usize, Errno> {
    if ret > -4096isize as usize {
        Err(Errno::from_raw(ret.wrapping_neg() as u16))
    } else {
        Ok(ret)
    }
}

#[cfg(feature = "trace")]
macro_rules! traced {
    ($nr:expr, [$($a:expr),*], $body:expr) => {{
        let r = $body;
        $crate::trace::after($nr, &[$($a),*], r);
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
            "call dword ptr [{entry}]",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") nr as usize => ret,
        );
    }
    traced!(nr, [], check(ret))
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
            "call dword ptr [{entry}]",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1,
        );
    }
    traced!(nr, [a1], check(ret))
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
            "call dword ptr [{entry}]",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1, in("ecx") a2,
        );
    }
    traced!(nr, [a1, a2], check(ret))
}

/// A system call with three arguments (`ebx`, `ecx`, `edx`).
///
/// # Safety
/// As for [`syscall0`].
#[inline]
pub unsafe fn syscall3(nr: u32, a1: usize, a2: usize, a3: usize) -> Result<usize, Errno> {
    let ret: usize;
    // SAFETY: as in syscall0.
    unsafe {
        asm!(
            "call dword ptr [{entry}]",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3,
        );
    }
    traced!(nr, [a1, a2, a3], check(ret))
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
            "call dword ptr [{entry}]",
            "xchg esi, {a4}",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            a4 = in(reg) a4,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3,
        );
    }
    traced!(nr, [a1, a2, a3, a4], check(ret))
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
            "call dword ptr [{entry}]",
            "xchg esi, {a4}",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            a4 = in(reg) a4,
            inlateout("eax") nr as usize => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3, in("edi") a5,
        );
    }
    traced!(nr, [a1, a2, a3, a4, a5], check(ret))
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
            "call dword ptr [{entry}]",
            "pop esi",
            "pop ebp",
            entry = sym LINUX_GATE_SYSCALL_ENTRY,
            inlateout("eax") spill.as_ptr() => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3, in("edi") a5,
        );
    }
    traced!(nr, [a1, a2, a3, a4, a5, a6], check(ret))
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
    check(ret)
}
