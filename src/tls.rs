//! Thread-local storage, the i386 way: a TLS block per thread, a thread control block
//! (TCB) after it, and the `%gs` segment register pointing at the TCB.
//!
//! # The layout (TLS "variant II")
//!
//! ```text
//!        lower addresses                                  higher addresses
//!   ... | .tdata copy | .tbss zeros | pad |  TCB (64 bytes)  |
//!       ^ tp - round_up(size, align)       ^ tp = %gs base: %gs:0 holds tp itself
//! ```
//!
//! The compiler reaches a thread-local `x` as `%gs:OFFSET` with a *negative* offset that
//! the linker fixes (`x@ntpoff` = x's place in the template − `round_up(size, align)`): a
//! `#[thread_local]` read is one instruction, `mov eax, dword ptr gs:[-8]`. Code that needs
//! the block's address reads the TCB's first word, which points to itself (`mov eax,
//! gs:[0]`; this is what `__thread` code built with `-mno-tls-direct-seg-refs` does).
//!
//! The TCB's first words are glibc's `tcbhead_t`: `tcb` (0x00, itself), `dtv` (0x04, unused:
//! no dynamic TLS), `self` (0x08, itself again), `multiple_threads` (0x0c), `sysinfo` (0x10,
//! `AT_SYSINFO`: glibc's `call *%gs:0x10`), `stack_guard` (0x14), `pointer_guard` (0x18).
//! The rest is this runtime's: the kernel's tid word for `clone`'s `CLONE_PARENT_SETTID` /
//! `CLONE_CHILD_CLEARTID`, the thread's handle, and its mapping.
//!
//! # The template
//!
//! The linker puts every `.tdata` (initialised thread-locals) and `.tbss` (zeroed ones)
//! input section into the data segment, the initial image for new blocks. `linker.ld`
//! publishes it as absolute symbols — `__lg_tdata_start`, `__lg_tdata_size`,
//! `__lg_tls_size`, `__lg_tls_align` — instead of a `PT_TLS` program header (which its
//! `PHDRS` would emit even when empty, 32 bytes in every program). A program without
//! thread-locals has size 0: its start-up makes no `set_thread_area` at all.
//!
//! # `%gs` and the GDT
//!
//! `set_thread_area(&user_desc)` writes a segment descriptor (base = tp, limit 4 GiB,
//! 32-bit data, present) into one of the three GDT slots Linux keeps per thread for TLS
//! (entries 12–14 on an x86-64 kernel, which is what a 32-bit program sees here; 6–8 on a
//! 32-bit kernel). With
//! `entry_number = -1` the kernel picks a free slot and writes its index back; the selector
//! for `%gs` is then `index << 3 | 3` (table GDT, privilege 3). The slot is per thread —
//! the kernel reloads it on every context switch — so every thread uses the *same*
//! selector with its own base: `clone(CLONE_SETTLS, …, &user_desc)` gives the new thread
//! that slot with its TCB as base, and it inherits `%gs` itself from its parent.
//!
//! The main thread's block and TCB are reserved in `.bss` by `linker.ld` (sized from the
//! template, so 0 bytes without thread-locals); a spawned thread's sit at the top of its
//! stack mapping (`crate::thread`).

use crate::raw::thread as raw;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use linux_raw_sys::general::user_desc;

unsafe extern "C" {
    static __lg_tdata_start: u8;
    static __lg_tdata_size: u8;
    static __lg_tls_size: u8;
    static __lg_tls_align: u8;
    static mut __lg_main_tls: u8;
}

/// Bytes reserved for the [`Tcb`] (linker.ld reserves as many for the main thread).
pub const TCB_SIZE: usize = 64;

/// The thread control block: what `%gs:0` points at. See the module docs for the layout.
#[repr(C)]
pub struct Tcb {
    /// 0x00: this TCB's own address (the thread pointer).
    pub tcb: usize,
    /// 0x04: dynamic thread vector (none: 0).
    pub dtv: usize,
    /// 0x08: this TCB's address again (glibc's `header.self`).
    pub self_ptr: usize,
    /// 0x0c: nonzero once the process has more than one thread (glibc's flag).
    pub multiple_threads: u32,
    /// 0x10: the syscall entry: the vDSO's `__kernel_vsyscall` (`AT_SYSINFO`), or the
    /// `int $0x80; ret` stub without one (as glibc's `_dl_sysinfo_int80`).
    pub sysinfo: usize,
    /// 0x14, 0x18: glibc's stack and pointer guards (unused here: 0).
    pub guards: [usize; 2],
    /// 0x1c: the kernel's tid word: set by `CLONE_PARENT_SETTID`, cleared to 0 and
    /// futex-woken by the kernel when the thread exits (`CLONE_CHILD_CLEARTID`).
    pub tid: AtomicU32,
    /// 0x20: the thread's `crate::thread` handle (an `Arc` pointer), or 0.
    pub thread: AtomicUsize,
    /// 0x24, 0x28: the mapping that holds stack, block and TCB (0 for the main thread).
    pub map_base: usize,
    /// Its length.
    pub map_len: usize,
    /// 0x2c: next entry on the list of finished detached threads.
    pub next_dead: usize,
}

const _: () = assert!(core::mem::size_of::<Tcb>() <= TCB_SIZE);
const _: () = assert!(core::mem::offset_of!(Tcb, sysinfo) == 0x10);

/// The TLS template: where `.tdata` starts, its length, the template's whole size
/// (`.tdata` + `.tbss`) and alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template {
    /// Address of the initial image (`.tdata`).
    pub tdata: usize,
    /// Bytes of initial image.
    pub tdata_len: usize,
    /// Bytes of the whole template, `.tbss` included; 0 without thread-locals.
    pub size: usize,
    /// Alignment of the block (and of the thread pointer).
    pub align: usize,
}

/// The value of an absolute linker symbol. Through `asm!`, because to Rust the symbol is a
/// static whose address cannot be 0, and LLVM would fold `size != 0` to `true`.
macro_rules! symbol_value {
    ($sym:ident) => {{
        let v: usize;
        // SAFETY: loads a link-time constant into a register; touches no memory.
        unsafe {
            core::arch::asm!("mov {0}, offset {1}", out(reg) v, sym $sym,
                options(pure, nomem, nostack, preserves_flags))
        };
        v
    }};
}

/// The template this program was linked with (from linker.ld's symbols).
#[inline(always)]
pub fn template() -> Template {
    Template {
        tdata: symbol_value!(__lg_tdata_start),
        tdata_len: symbol_value!(__lg_tdata_size),
        size: symbol_value!(__lg_tls_size),
        align: symbol_value!(__lg_tls_align).max(1),
    }
}

impl Template {
    /// Bytes from the block's start to the thread pointer: `round_up(size, align)`, the
    /// distance the linker's negative offsets assume.
    pub fn block_len(&self) -> usize {
        (self.size + self.align - 1) & !(self.align - 1)
    }

    /// Alignment for the thread pointer: the block's, at least 16.
    pub fn tp_align(&self) -> usize {
        self.align.max(16)
    }

    /// Writes a fresh block for thread pointer `tp`: `.tdata` copied below it, `.tbss`
    /// zeroed, and the TCB's fixed words.
    ///
    /// # Safety
    /// `[tp - block_len(), tp + TCB_SIZE)` is writable memory owned by the caller, `tp`
    /// aligned to `tp_align()`.
    pub unsafe fn write_block(&self, tp: usize) {
        let start = tp - self.block_len();
        // SAFETY: the caller's range covers [start, tp + TCB_SIZE); the image is the
        // linker's `.tdata`, `tdata_len` bytes.
        unsafe {
            core::ptr::copy_nonoverlapping(
                self.tdata as *const u8,
                start as *mut u8,
                self.tdata_len,
            );
            core::ptr::write_bytes(
                (start + self.tdata_len) as *mut u8,
                0,
                tp + TCB_SIZE - start - self.tdata_len,
            );
            let tcb = &mut *(tp as *mut Tcb);
            tcb.tcb = tp;
            tcb.self_ptr = tp;
            tcb.sysinfo = crate::syscall::entry();
        }
    }
}

/// The GDT index `set_thread_area` gave the main thread (0: not yet).
static GDT_ENTRY: AtomicU32 = AtomicU32::new(0);

/// A `user_desc` for a 4 GiB 32-bit data segment based at `base`, in GDT slot `entry`
/// (`u32::MAX`: let the kernel choose).
pub fn descriptor(entry: u32, base: usize) -> user_desc {
    // SAFETY: user_desc is plain integers; all-zero is a valid value.
    let mut d: user_desc = unsafe { core::mem::zeroed() };
    d.entry_number = entry;
    d.base_addr = base as u32;
    d.limit = 0xfffff;
    d.set_seg_32bit(1);
    d.set_limit_in_pages(1);
    d.set_useable(1);
    d
}

/// The GDT index of the TLS slot (valid once the main thread's TLS is set up).
pub fn gdt_entry() -> u32 {
    GDT_ENTRY.load(Ordering::Relaxed)
}

/// The `%gs` selector for GDT index `entry`: index, table indicator 0 (GDT), RPL 3.
pub const fn selector(entry: u32) -> u16 {
    ((entry << 3) | 3) as u16
}

/// The current `%gs` selector (0 before any TLS set-up).
pub fn gs() -> u16 {
    let gs: u16;
    // SAFETY: reading a segment register has no effect.
    unsafe {
        core::arch::asm!("mov {0:x}, gs", out(reg) gs, options(nomem, nostack, preserves_flags))
    };
    gs
}

/// Points `%gs` at `tp` for the calling thread: `set_thread_area` with entry -1, then loads
/// the selector. Returns the GDT index.
///
/// # Safety
/// `tp` holds a TCB that outlives the thread.
unsafe fn install(tp: usize) -> Result<u32, crate::Errno> {
    let mut d = descriptor(u32::MAX, tp);
    // SAFETY: the kernel reads and writes back `d`.
    unsafe { raw::set_thread_area(&mut d)? };
    let sel = selector(d.entry_number);
    // SAFETY: the kernel just installed this descriptor for this thread.
    unsafe { core::arch::asm!("mov gs, {0:x}", in(reg) sel, options(nostack, preserves_flags)) };
    GDT_ENTRY.store(d.entry_number, Ordering::Relaxed);
    Ok(d.entry_number)
}

/// The main thread's TCB when the program has no thread-locals (linker.ld reserves none
/// then) but spawns threads, which need `%gs` for [`crate::thread::current`].
static mut MAIN_TCB: [usize; TCB_SIZE / 4] = [0; TCB_SIZE / 4];

// The start-up hook: start-up's call to `__linux_gate_run_init` (src/init.rs) runs straight
// through this snippet — placed by linker.ld just before the constructor loop, or the lone
// `ret` that stands for it — *if it is linked*. Nothing refers to it unless the program uses
// threads ([`enable`], called by `crate::thread`) or says it has thread-locals
// ([`crate::use_tls!`]); `--gc-sections` drops it otherwise, and start-up is then exactly
// what it was (hello: not one byte more). It runs after start-up has set the syscall entry
// and the trace (so the trace shows `set_thread_area`), before the constructors and `main`,
// which may use thread-locals. Entered by a `call` made with `esp` 16-byte aligned (so
// `esp` ≡ 12 mod 16 here); falls through with the same `esp` and the cdecl callee-saved
// registers intact, as the loop after it expects.
core::arch::global_asm!(
    ".pushsection .linux_gate_tls,\"ax\",@progbits",
    ".globl linux_gate_tls_start",
    ".type linux_gate_tls_start,@function",
    "linux_gate_tls_start:",
    "    sub esp, 12", // esp ≡ 0 (mod 16) at the call, as the i386 ABI wants
    "    call {init}",
    "    add esp, 12",
    ".size linux_gate_tls_start, . - linux_gate_tls_start",
    ".popsection",
    init = sym init_main,
);

/// Keeps the start-up TLS snippet in the program: one `mov` whose operand is the snippet's
/// address. Called by `crate::thread`; what matters is that it is *linked*, not when it
/// runs: the set-up happened before `main`.
#[inline(always)]
pub fn enable() {
    // SAFETY: loads an address into a scratch register; no memory, no effects.
    unsafe {
        core::arch::asm!("mov {0}, offset linux_gate_tls_start", out(reg) _,
            options(nomem, nostack, preserves_flags))
    };
}

/// Declares that the program has thread-locals (`#[thread_local]` statics), so that
/// start-up gives the main thread its TLS block and `%gs` before `main`. Write it once, at
/// the top level of the program. (A program that spawns threads gets this anyway; one
/// with neither pays nothing.) It puts the address of the start-up snippet in the
/// section `.lg_keep`, which linker.ld keeps.
#[macro_export]
macro_rules! use_tls {
    () => {
        core::arch::global_asm!(
            ".pushsection .lg_keep,\"aw\",@progbits",
            ".long linux_gate_tls_start",
            ".popsection"
        );
    };
}

/// Start-up, from the snippet above: the main thread's TLS block — in `.bss`, reserved by
/// linker.ld — gets `.tdata`, its TCB, and `%gs`. With no thread-locals, the TCB is
/// `MAIN_TCB`.
extern "C" fn init_main() {
    let t = template();
    let tp = if t.size == 0 {
        &raw mut MAIN_TCB as usize
    } else {
        let base = &raw mut __lg_main_tls as usize;
        base + ((t.size + t.tp_align() - 1) & !(t.tp_align() - 1))
    };
    // SAFETY: linker.ld reserved [base, tp + TCB_SIZE) in .bss for this (or MAIN_TCB, with
    // no block below it), tp aligned.
    unsafe { t.write_block(tp) };
    // SAFETY: the block is static. Without set_thread_area (no kernel lacks it today)
    // thread-locals could not work: stop at once.
    if unsafe { install(tp) }.is_err() {
        crate::exit::exit_group(127);
    }
}

/// The main thread's TCB is set up (by start-up, since this links the snippet); fills in
/// its `sysinfo` word again (a test may have changed the entry since). Returns the GDT
/// index.
pub(crate) fn ensure_main() -> Result<u32, crate::Errno> {
    enable();
    if gs() == 0 {
        return Err(crate::Errno::ENOSYS);
    }
    let tcb = tcb() as *const Tcb as *mut Tcb;
    // SAFETY: the calling thread's own TCB; only the owning thread writes `sysinfo`.
    unsafe { (*tcb).sysinfo = crate::syscall::entry() };
    Ok(gdt_entry())
}

/// The calling thread's TCB (`%gs:0`). [`ensure_main`] must have run in the process.
#[inline]
pub(crate) fn tcb() -> &'static Tcb {
    let tp: usize;
    // SAFETY: %gs is set up (the caller's precondition); its first word is the TCB address.
    unsafe {
        core::arch::asm!("mov {0}, dword ptr gs:[0]", out(reg) tp, options(nostack, readonly, preserves_flags))
    };
    // SAFETY: the TCB lives as long as its thread.
    unsafe { &*(tp as *const Tcb) }
}

/// The calling thread's thread pointer, the address `%gs:0` holds (its TCB), or `None`
/// when no TLS is set up yet (a program without thread-locals before its first spawn).
pub fn thread_pointer() -> Option<usize> {
    if gs() == 0 {
        return None;
    }
    Some(tcb() as *const Tcb as usize)
}

/// The calling thread's TLS block: `(start, len)` with `start + len` the thread pointer.
pub fn block() -> Option<(usize, usize)> {
    let len = template().block_len();
    thread_pointer().map(|tp| (tp - len, len))
}
