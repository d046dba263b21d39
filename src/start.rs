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
//! `AT_SECURE`), sets the syscall entry by the rule in [`crate::switches`], and calls the
//! user's `main`.

use crate::{exit, stack, switches, syscall};
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

/// The syscall entry start-up sets from what [`stack::scan`] found on the initial stack,
/// by the rule in [`switches`]: `AT_SYSINFO`, unless there is none or
/// `LINUX_GATE_SYSCALL=int80` is allowed to force `int $0x80` (0 there): then the
/// `int $0x80; ret` stub.
#[inline(always)]
fn entry_from(seen: &stack::Seen) -> usize {
    match switches::syscall_entry(seen.sysinfo, seen.secure, seen.switch_int80) {
        0 => syscall::int80_entry(),
        vsyscall => vsyscall,
    }
}

/// The Rust side of `_start` (`fastcall`: `sp` arrives in `ecx`).
///
/// # Safety
/// Only `_start` calls this, with the kernel's initial stack pointer.
unsafe extern "fastcall" fn start_rust(sp: *const usize) -> ! {
    // SAFETY: `sp` is the initial stack pointer the kernel gave `_start`.
    let seen = unsafe { stack::init(sp) };

    // SAFETY: AT_SYSINFO is the kernel's own `__kernel_vsyscall`; the stub keeps its contract.
    unsafe { syscall::set_entry(entry_from(&seen)) };
    #[cfg(feature = "trace")]
    crate::trace::init(seen.secure);

    // SAFETY: start-up, once, after `stack::init` recorded the initial stack and the
    // syscall entry is set: the main thread's TLS (when linked), then the constructors.
    unsafe { crate::init::run() };

    // SAFETY: the user's binary defines `linux_gate_main` (via `entry!`) with this signature.
    let code = unsafe { linux_gate_main() };
    exit::exit(code)
}
