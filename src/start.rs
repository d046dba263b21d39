//! `_start`: where the kernel hands over, and the path from there to the user's `main`.
//!
//! At `_start` the kernel has left nothing in registers we may rely on except `esp`, which
//! points at the *initial stack* (see [`crate::stack`]): `argc`, then the `argv` pointers, a
//! NULL, the `envp` pointers, a NULL, and the auxiliary vector.
//!
//! The asm below
//! 1. zeroes `ebp`, marking the outermost frame for debuggers and unwinders;
//! 2. copies the original `esp` into `ecx` — the first argument register of the
//!    `fastcall` convention, so nothing needs pushing;
//! 3. aligns `esp` down to 16 bytes — the i686 target emits SSE and assumes the i386 SysV
//!    rule that `esp` is 16-byte aligned at every `call`, and the kernel only promises 4;
//! 4. calls `start_rust`, which never returns (`ud2` traps if it ever did).
//!
//! That is 14 bytes. `start_rust` then walks the initial stack once (`stack::init`, which
//! records `esp` and runs `stack::scan`, the code the tests run on hand-built stacks):
//! argv, envp (watching for the `LINUX_GATE_SYSCALL` switch) and the auxv (`AT_SYSINFO`,
//! `AT_SECURE`), sets the syscall entry, and calls the user's `main`.

use crate::{auxv, exit, stack, syscall};
use core::arch::global_asm;

global_asm!(
    ".pushsection .text._start,\"ax\",@progbits",
    ".globl _start",
    ".type _start,@function",
    "_start:",
    "    xor ebp, ebp",
    "    mov ecx, esp",
    "    and esp, -16",
    "    call {start_rust}",
    "    ud2",
    ".size _start, . - _start",
    ".popsection",
    start_rust = sym start_rust,
);

unsafe extern "C" {
    /// The program's entry, defined by [`crate::entry!`] in the user's binary (or by C code
    /// as `int linux_gate_main(void)`).
    fn linux_gate_main() -> i32;
}

/// The name of the environment switch that selects the syscall mechanism:
/// `LINUX_GATE_SYSCALL=int80` forces `int $0x80` even when a vDSO is present
/// (for teaching and benchmarks). Ignored when `AT_SECURE` is set.
pub const SYSCALL_SWITCH: &[u8] = b"LINUX_GATE_SYSCALL";

/// Decides the syscall entry from what the kernel passed, as a pure function so that it can
/// be tested with a faked auxv: `sysinfo` is `AT_SYSINFO`, `secure` is `AT_SECURE != 0`,
/// `switch` is the value of [`SYSCALL_SWITCH`] in the environment.
///
/// Returns `Some(address of __kernel_vsyscall)` or `None` for `int $0x80`.
pub fn choose_entry(sysinfo: Option<usize>, secure: bool, switch: Option<&[u8]>) -> Option<usize> {
    let entry = decide(
        sysinfo.unwrap_or(0),
        secure,
        switch == Some(b"int80".as_slice()),
    );
    if entry == 0 { None } else { Some(entry) }
}

/// [`choose_entry`] on what start-up has at hand: `AT_SYSINFO` (0 if absent) and whether
/// the switch says `int80`. Returns the syscall entry (0: `int $0x80`).
#[inline(always)]
fn decide(sysinfo: usize, secure: bool, switch_int80: bool) -> usize {
    let forced_int80 = !secure && switch_int80;
    if forced_int80 { 0 } else { sysinfo }
}

/// The syscall entry start-up sets from what [`stack::scan`] found on the initial stack:
/// `AT_SYSINFO` (0 if absent), unless the switch says `int80` and `AT_SECURE` is not set.
/// 0 means `int $0x80`. [`choose_entry`] in the form start-up has at hand.
#[inline(always)]
pub fn entry_from(seen: &stack::Seen) -> usize {
    decide(seen.sysinfo, seen.secure, seen.switch_int80)
}

/// Whether environment switches (`LINUX_GATE_SYSCALL`, `LINUX_GATE_TRACE`) may be honoured:
/// not in a setuid/setgid or otherwise privileged exec (`AT_SECURE != 0`), where the
/// environment belongs to a less privileged caller.
pub fn env_switches_allowed() -> bool {
    auxv::getauxval(auxv::AT_SECURE).unwrap_or(0) == 0
}

/// The Rust side of `_start` (`fastcall`: `sp` arrives in `ecx`).
///
/// # Safety
/// Only `_start` calls this, with the kernel's initial stack pointer.
unsafe extern "fastcall" fn start_rust(sp: *const usize) -> ! {
    // SAFETY: `sp` is the initial stack pointer the kernel gave `_start`.
    let seen = unsafe { stack::init(sp) };

    // SAFETY: AT_SYSINFO (or 0) is the kernel's own `__kernel_vsyscall`.
    unsafe { syscall::set_entry(entry_from(&seen)) };
    #[cfg(feature = "trace")]
    crate::trace::init(seen.secure);

    // SAFETY: start-up, once, after `stack::init` recorded the initial stack.
    unsafe { crate::init::run() };

    // SAFETY: the user's binary defines `linux_gate_main` (via `entry!`) with this signature.
    let code = unsafe { linux_gate_main() };
    exit::exit(code)
}
