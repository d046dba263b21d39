//! The `clone` trampoline: the one place a new thread is born.
//!
//! ```text
//! int linux_gate_clone(u32 flags, void *stack, u32 *parent_tid, struct user_desc *tls,
//!                      u32 *child_tid, void (*entry)(void *), void *arg);
//! ```
//!
//! i386's `clone` takes its arguments in the "CLONE_BACKWARDS" order —
//! `clone(flags, newsp, parent_tid, tls, child_tid)` in `ebx, ecx, edx, esi, edi` — where
//! x86-64 swaps the last two; and `tls` is a *pointer to a `struct user_desc`* (the GDT
//! descriptor to install in the child), not a base address.
//!
//! The child starts right after the `int $0x80` with every register as the parent had it,
//! except `eax` = 0 and `esp` = `newsp`. So:
//! * the call is `int $0x80`, never `__kernel_vsyscall`: returning from the vDSO would
//!   `pop` `ebp`/`edx`/`ecx` and `ret` from the child's new, empty stack;
//! * what the child needs after the call travels in registers the kernel keeps (`ebp` =
//!   the entry function) and on the new stack (`[newsp]` = its argument);
//! * the entry never returns: it ends the thread with `exit` (not `exit_group`).
//!
//! cdecl: arguments on the stack, `ebx esi edi ebp` callee-saved — all four are needed for
//! the system call, so they are pushed first and popped on the parent's way back.

use core::arch::global_asm;
use linux_raw_sys::general::__NR_clone;

global_asm!(
    ".pushsection .text.linux_gate_clone,\"ax\",@progbits",
    ".globl linux_gate_clone",
    ".type linux_gate_clone,@function",
    "linux_gate_clone:",
    // Save the callee-saved registers the call needs. The arguments now start at esp + 20
    // (16 bytes pushed + the return address).
    "    push ebp",
    "    push ebx",
    "    push esi",
    "    push edi",
    "    mov ecx, [esp + 24]", // ecx = arg 2, newsp (16-byte aligned by the caller): clone's 2nd
    "    mov eax, [esp + 44]", // eax = arg 7, the entry's argument ...
    "    mov [ecx], eax",      // ... stored as the first word of the child's stack
    "    mov ebp, [esp + 40]", // ebp = arg 6, the entry: the kernel keeps it for the child
    "    mov ebx, [esp + 20]", // ebx = arg 1, flags: clone's 1st
    "    mov edx, [esp + 28]", // edx = arg 3, parent_tid: clone's 3rd
    "    mov esi, [esp + 32]", // esi = arg 4, &user_desc: clone's 4th (CLONE_SETTLS)
    "    mov edi, [esp + 36]", // edi = arg 5, child_tid: clone's 5th (CLONE_CHILD_CLEARTID)
    "    mov eax, {nr}",       // eax = __NR_clone (120)
    "    int 0x80",            // not the vDSO: the child returns here on its new stack
    "    test eax, eax",
    "    jz 2f",
    // Parent: eax = the child's tid, or -errno. Restore and return it.
    "    pop edi",
    "    pop esi",
    "    pop ebx",
    "    pop ebp",
    "    ret",
    // Child: esp = newsp, [esp] = arg — exactly a cdecl call site with esp 16-aligned.
    "2:  mov eax, ebp",        // eax = entry
    "    xor ebp, ebp",        // ebp = 0: the outermost frame, for debuggers and unwinders
    "    call eax",            // entry(arg): ends the thread itself, never returns
    "    ud2",
    ".size linux_gate_clone, . - linux_gate_clone",
    ".popsection",
    nr = const __NR_clone,
);

unsafe extern "C" {
    /// The trampoline above. Returns the child's tid (in the parent) or `-errno`.
    pub(crate) fn linux_gate_clone(
        flags: u32,
        stack: usize,
        parent_tid: *mut u32,
        tls: *mut linux_raw_sys::general::user_desc,
        child_tid: *mut u32,
        entry: unsafe extern "C" fn(*mut u8) -> !,
        arg: *mut u8,
    ) -> isize;
}
