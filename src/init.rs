//! Constructors: `.preinit_array` and `.init_array`, run before `main`.
//!
//! A C `__attribute__((constructor))` (with or without a priority) and a Rust
//! `#[used] #[unsafe(link_section = ".init_array")] static` (what the `ctor` crate emits)
//! each put a function pointer into one of these arrays. The calling convention is glibc's:
//! every entry is called as `void f(int argc, char **argv, char **envp)` (cdecl: the three
//! pushed right to left, `esp` 16-byte aligned at the `call`), `.preinit_array` first, then
//! `.init_array` in the order the linker laid it out — `.init_array.NNNNN` sections by
//! priority (lowest number first), then the unnumbered ones in link order. Destructors
//! (`.fini_array`) run backwards from [`exit`](crate::exit::exit), after the `at_exit`
//! hooks, as glibc's `exit` runs them after the `atexit` handlers (see `src/exit.rs`).
//!
//! Start-up calls `init::run` once, after the initial stack has been read and the syscall entry
//! set (a constructor may make system calls and read [`env::args`](crate::env::args)), and
//! before `main`.
//!
//! # What it costs when there is nothing to run: one byte and a call
//!
//! `linker.ld` puts the three arrays back to back in the writable segment and defines
//! `__preinit_array_start`, `__init_array_end`, `__fini_array_start`, `__fini_array_end`.
//! The loop below lives in its own section, `.linux_gate_init`, which the linker script
//! discards unless some input file has one of the arrays (`/DISCARD/ : ONLY_IF_RO`: the
//! arrays are writable, so their presence voids the discard). Start-up calls the
//! script's symbol `__linux_gate_run_init`, which is this loop when it is linked and a lone
//! `ret` (`.linux_gate_ret`, below) when not. A program without constructors, such as
//! `hello`, pays 5 bytes for the call and 1 for the `ret` (and 5 for the call in `exit`);
//! one with constructors or destructors pays for the two loops (52 + 29 bytes).
//!
//! Only `.preinit_array`/`.init_array`/`.fini_array` are run; the old `.ctors`/`.dtors`
//! sections, which GCC has not emitted for Linux since 4.7, are not.

use core::arch::global_asm;

global_asm!(
    // __linux_gate_run_init (linker.ld's symbol for the start of this section): calls the
    // entries of [__preinit_array_start, __init_array_end) in order.
    // Reads the kernel's initial stack pointer from stack::SP (argc there, then argv, NULL,
    // envp), which start-up has stored.
    // Preserves ebx, esi, edi, ebp (cdecl callee-saved); the entries may clobber the rest.
    ".pushsection .linux_gate_init,\"ax\",@progbits",
    "    push ebx",
    "    push esi",
    // Entered with esp ≡ 12 (mod 16); after the two pushes and this, esp ≡ 12 again, so
    // each call below (three pushed arguments) happens with esp ≡ 0.
    "    sub esp, 8",
    "    mov ebx, [{sp}]",
    "    mov esi, offset __preinit_array_start",
    "2:",
    "    cmp esi, offset __init_array_end",
    "    je 3f",
    "    mov eax, [ebx]",
    "    lea ecx, [ebx + 4]",
    "    lea edx, [ecx + 4*eax + 4]",
    "    push edx", // envp = argv + argc + 1
    "    push ecx", // argv
    "    push eax", // argc
    "    call [esi]",
    "    add esp, 12",
    "    add esi, 4",
    "    jmp 2b",
    "3:",
    "    add esp, 8",
    "    pop esi",
    "    pop ebx",
    "    ret",
    ".popsection",
    // Where __linux_gate_run_init and __linux_gate_run_fini point when their loops are
    // discarded: there is nothing to run.
    // (linker.ld names __linux_gate_ret in EXTERN so that this object is always linked.)
    ".pushsection .linux_gate_ret,\"ax\",@progbits",
    ".globl __linux_gate_ret",
    "__linux_gate_ret:",
    "    ret",
    ".popsection",
    sp = sym crate::stack::SP,
);

unsafe extern "C" {
    /// The loop above, or the lone `ret` (linker.ld).
    fn __linux_gate_run_init();
}

/// Calls every `.preinit_array` then `.init_array` entry with `(argc, argv, envp)`, taken
/// from the initial stack that start-up recorded.
///
/// # Safety
/// Once, from start-up, after `stack::init` recorded the kernel's initial stack pointer:
/// the entries are the program's own constructors, which expect to run once, before `main`.
#[inline(always)]
pub(crate) unsafe fn run() {
    // SAFETY: stack::SP holds the kernel's initial stack (the caller's contract); the
    // entries are function pointers the linker collected from the arrays, each expecting
    // glibc's `(argc, argv, envp)`.
    unsafe { __linux_gate_run_init() }
}
