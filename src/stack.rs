//! The initial process stack, as the kernel lays it out for a new i386 program:
//!
//! ```text
//!   esp at _start ──▶ argc
//!                     argv[0] … argv[argc-1]   pointers to NUL-terminated strings
//!                     NULL
//!                     envp[0] … envp[n-1]      pointers to "NAME=value" strings
//!                     NULL
//!                     auxv: (key, value) pairs, ending with (AT_NULL, 0)
//!                     … padding, AT_RANDOM's 16 bytes, AT_PLATFORM, the strings …
//!                     AT_EXECFN's string, a NULL pointer (8 bytes from a 64-bit
//!                     kernel), then the end of the stack
//! ```
//!
//! `argc` may be 0 (`execve(path, {NULL}, envp)`): then `argv` is just the NULL.
//! This module records where the stack starts and finds the parts from there with one
//! function, [`scan`] — the same code at start-up, in the accessors and in the tests;
//! [`crate::auxv`] and [`crate::env`] read the parts it finds. This module only walks the
//! stack; the arguments and environment as an API are [`crate::env`]'s.

use core::sync::atomic::{AtomicPtr, Ordering};

// Only the initial `esp` is kept at start-up: everything else is found from it by `scan`
// (argv = sp + 1, envp = argv + argc + 1, auxv = envp + envc + 1, counting envp up to its
// NULL), so start-up stores one word and a program that never asks pays for nothing more.
// (The constructor loop in src/init.rs reads it too.)
pub(crate) static SP: AtomicPtr<usize> = AtomicPtr::new(core::ptr::null_mut());
// Where the auxv starts, remembered by the first `layout()` that walked envp to find it
// (null until then): the only part of the layout that costs a walk.
static AUXV: AtomicPtr<usize> = AtomicPtr::new(core::ptr::null_mut());

/// Where the parts of an initial stack start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// `argc`.
    pub argc: usize,
    /// The `argv` array.
    pub argv: *const *const u8,
    /// The `envp` array.
    pub envp: *const *const u8,
    /// Number of `envp` entries before its NULL.
    pub envc: usize,
    /// The first auxv word.
    pub auxv: *const usize,
}

/// Everything start-up reads from an initial stack, found by [`scan`] in one pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    /// Where argv, envp and the auxv are.
    pub layout: Layout,
    /// `AT_SYSINFO`: the address of `__kernel_vsyscall`, or 0 if the kernel passed none.
    pub sysinfo: usize,
    /// `AT_SECURE != 0`: a setuid-like exec, environment switches are ignored.
    pub secure: bool,
    /// The first `LINUX_GATE_SYSCALL=` in the environment says exactly `int80`.
    pub switch_int80: bool,
}

/// The environment string that forces `int $0x80` (see [`crate::switches`]), and how much
/// of it is the `NAME=` prefix.
const SWITCH_INT80: &[u8] = crate::switches::SYSCALL_INT80;
const SWITCH_PREFIX: usize = crate::switches::SYSCALL_SWITCH.len() + 1;

/// Walks an initial stack laid out as above once, reading only: argv is skipped (`argc`
/// says how far), envp is scanned to its NULL (checking each string against
/// `LINUX_GATE_SYSCALL=int80`), then the auxv pairs that follow, up to `AT_NULL` (keeping
/// `AT_SYSINFO` and `AT_SECURE`).
///
/// This is the one place that finds the parts of the stack: `init` runs it on the kernel's
/// stack at start-up, the accessors below ([`argv_ptr`], [`envp_ptr`], [`auxv_ptr`], …) run
/// its first half on the recorded one, and tests run it on hand-built stacks —
/// with `argc = 0`, which a Linux ≥ 5.18 kernel no longer passes (it turns an empty `argv`
/// into `{""}`), but older kernels, other emulators and hand-built stacks still can. Then
/// `argv` is just its NULL. Inlined, so that start-up compiles only the parts it uses.
///
/// # Safety
/// `sp` must point at `argc`, followed by `argc` pointers and a NULL, then pointers to
/// NUL-terminated strings up to a NULL, then auxv pairs ending with an `AT_NULL` key.
#[inline(always)]
pub unsafe fn scan(sp: *const usize) -> Seen {
    // SAFETY: the caller guarantees the layout, auxv included.
    let (layout, switch_int80) = unsafe { walk_args_env::<true>(sp) };
    // SAFETY: `walk_args_env` found the auxv just past envp's NULL.
    let (sysinfo, secure) = unsafe { walk_auxv(layout.auxv) };
    Seen {
        layout,
        sysinfo,
        secure,
        switch_int80,
    }
}

/// [`scan`]'s first half: the positions of argv, envp and the auxv, and (if `SWITCH`)
/// whether the first `LINUX_GATE_SYSCALL=` says exactly `int80`. The accessors need only
/// the positions: they run it with `SWITCH = false`, which leaves out the byte compare.
///
/// # Safety
/// As for [`scan`] (the auxv is not read).
#[inline(always)]
unsafe fn walk_args_env<const SWITCH: bool>(sp: *const usize) -> (Layout, bool) {
    // How many bytes of SWITCH_INT80 the first `LINUX_GATE_SYSCALL=…` string matched (0:
    // none seen yet). The first one wins, as with getenv.
    let mut matched = 0;
    // SAFETY: the caller guarantees the layout; every read below stays inside the argv and
    // envp arrays (each ends with its NULL), and the byte compare stops at the first
    // difference, at the latest at the string's NUL (the pattern's only NUL is its last
    // byte).
    unsafe {
        let (argc, argv, envp) = arrays(sp);
        let mut var_ptr = envp;
        loop {
            let var = *var_ptr;
            var_ptr = var_ptr.add(1);
            if var.is_null() {
                break;
            }
            if SWITCH && matched == 0 {
                let mut i = 0;
                while i < SWITCH_INT80.len() && *var.add(i) == SWITCH_INT80[i] {
                    i += 1;
                }
                if i >= SWITCH_PREFIX {
                    matched = i;
                }
            }
        }
        // var_ptr now points just past envp's NULL: the auxv.
        let layout = Layout {
            argc,
            argv,
            envp,
            // The words from envp to the auxv: the strings and the NULL.
            envc: var_ptr.offset_from(envp) as usize - 1,
            auxv: var_ptr as *const usize,
        };
        // `LINUX_GATE_SYSCALL=int80` and its NUL: the value is exactly `int80`.
        (layout, matched == SWITCH_INT80.len())
    }
}

/// `argc`, and where `argv` and `envp` start: `sp` → argc, then argc argv pointers and
/// their NULL, so envp starts argc + 2 words up.
///
/// # Safety
/// `sp` must point at an initial stack's `argc`.
#[inline(always)]
unsafe fn arrays(sp: *const usize) -> (usize, *const *const u8, *const *const u8) {
    // SAFETY: the caller guarantees `argc` at `sp` and the argv array after it.
    unsafe {
        let argc = *sp;
        let argv = sp.add(1) as *const *const u8;
        (argc, argv, argv.add(argc + 1))
    }
}

/// [`scan`]'s second half: `AT_SYSINFO` (0 if absent) and `AT_SECURE != 0` from the auxv
/// pairs, up to `AT_NULL`.
///
/// # Safety
/// `aux` must point at auxv pairs ending with an `AT_NULL` key.
#[inline(always)]
unsafe fn walk_auxv(mut aux: *const usize) -> (usize, bool) {
    let (mut sysinfo, mut secure) = (0, false);
    // SAFETY: the caller guarantees pairs up to and including AT_NULL; we stop there.
    unsafe {
        loop {
            let (key, value) = (*aux, *aux.add(1));
            match key as u32 {
                linux_raw_sys::auxvec::AT_NULL => break,
                linux_raw_sys::auxvec::AT_SYSINFO => sysinfo = value,
                linux_raw_sys::auxvec::AT_SECURE => secure = value != 0,
                _ => {}
            }
            aux = aux.add(2);
        }
    }
    (sysinfo, secure)
}

/// Records where the initial stack is and [`scan`]s it. Only `sp` is stored (everything
/// else is found from it again when asked, so a program that never asks pays for nothing
/// more); what the scan found is returned to `_start`.
///
/// # Safety
/// `sp` must be the stack pointer the kernel passed to `_start`, laid out as above.
#[inline(always)]
pub(crate) unsafe fn init(sp: *const usize) -> Seen {
    SP.store(sp as *mut usize, Ordering::Relaxed);
    // SAFETY: the caller passes the kernel's initial stack.
    unsafe { scan(sp) }
}

/// Where `esp` pointed when the kernel entered `_start` (the address of `argc`).
pub fn initial_sp() -> usize {
    SP.load(Ordering::Relaxed) as usize
}

/// The layout of this process's initial stack, found by the same code as start-up's
/// [`scan`] (its first half, without the switch check: the auxv pairs are not read) —
/// `None` before start-up. The walk over envp happens once; later calls take the auxv
/// position it found and derive the rest in O(1). Out of line: one copy serves every
/// accessor.
#[inline(never)]
pub fn layout() -> Option<Layout> {
    let sp = SP.load(Ordering::Relaxed);
    if sp.is_null() {
        return None;
    }
    let auxv = AUXV.load(Ordering::Relaxed);
    if auxv.is_null() {
        // SAFETY: `init` recorded the kernel's initial stack, which lives as long as the
        // process.
        let layout = unsafe { walk_args_env::<false>(sp) }.0;
        AUXV.store(layout.auxv as *mut usize, Ordering::Relaxed);
        return Some(layout);
    }
    // SAFETY: as above; `auxv` was found on this same stack.
    let (argc, argv, envp) = unsafe { arrays(sp) };
    Some(Layout {
        argc,
        argv,
        envp,
        // The words from envp to the auxv: the strings and the NULL.
        envc: (auxv as usize - envp as usize) / size_of::<usize>() - 1,
        auxv,
    })
}

/// `argc` as the kernel passed it (0 is possible; 0 before start-up).
pub fn argc() -> usize {
    layout().map_or(0, |l| l.argc)
}

/// The `argv` array (pointer to `argc` string pointers followed by NULL; null before
/// start-up).
pub fn argv_ptr() -> *const *const u8 {
    layout().map_or(core::ptr::null(), |l| l.argv)
}

/// The `envp` array (NULL-terminated; null before start-up).
pub fn envp_ptr() -> *const *const u8 {
    layout().map_or(core::ptr::null(), |l| l.envp)
}

/// Number of environment strings.
pub fn envc() -> usize {
    layout().map_or(0, |l| l.envc)
}

/// The first word of the auxiliary vector (null before start-up).
pub fn auxv_ptr() -> *const usize {
    layout().map_or(core::ptr::null(), |l| l.auxv)
}
