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
//!                     AT_EXECFN's string, then the end of the stack
//! ```
//!
//! `argc` may be 0 (`execve(path, {NULL}, envp)`): then `argv` is just the NULL.
//! This module records where the stack starts (and how many environment strings it holds);
//! [`crate::auxv`] and [`crate::env`] read the parts from there.

use core::ffi::CStr;
use core::sync::atomic::{AtomicPtr, Ordering};

// Only the initial `esp` is kept: everything else is found from it (argv = sp + 1, envp =
// argv + argc + 1, auxv = envp + envc + 1, counting envp up to its NULL), so start-up stores
// one word and a program that never asks pays for nothing more.
static SP: AtomicPtr<usize> = AtomicPtr::new(core::ptr::null_mut());

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

impl Layout {
    /// Finds argv, envp and auxv on a stack laid out as above (the kernel's, or a test's).
    ///
    /// `argc = 0` is fine: `argv` is then just its NULL. (Since Linux 5.18 the kernel
    /// turns an empty `argv` into `{""}`, so a real process sees argc = 1; older kernels,
    /// other emulators and hand-built stacks can still give 0.)
    ///
    /// # Safety
    /// `sp` must point at `argc`, followed by `argc` pointers and a NULL, then pointers up
    /// to a NULL, then auxv pairs.
    pub unsafe fn parse(sp: *const usize) -> Layout {
        // SAFETY: the caller guarantees the layout; we only step within those arrays.
        unsafe {
            let argc = *sp;
            let argv = sp.add(1) as *const *const u8;
            let envp = argv.add(argc + 1);
            let mut envc = 0;
            while !(*envp.add(envc)).is_null() {
                envc += 1;
            }
            let auxv = envp.add(envc + 1) as *const usize;
            Layout {
                argc,
                argv,
                envp,
                envc,
                auxv,
            }
        }
    }
}

/// What start-up needs from the initial stack, gathered by [`init`] in one pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Seen {
    /// `AT_SYSINFO`: the address of `__kernel_vsyscall`, or 0 if the kernel passed none.
    pub sysinfo: usize,
    /// `AT_SECURE != 0`: a setuid-like exec, environment switches are ignored.
    pub secure: bool,
    /// The first `LINUX_GATE_SYSCALL=` in the environment says exactly `int80`.
    pub switch_int80: bool,
}

/// `LINUX_GATE_SYSCALL=int80` and its NUL, compared byte by byte against each environment
/// string (no `getenv`, no `memcmp`: this runs in every program, `hello` included).
const SWITCH_INT80: &[u8] = b"LINUX_GATE_SYSCALL=int80\0";
const SWITCH_PREFIX: usize = crate::start::SYSCALL_SWITCH.len() + 1; // "NAME="
const _: () = {
    // The pattern is the switch's name, `=`, then the value.
    let name = crate::start::SYSCALL_SWITCH;
    let mut i = 0;
    while i < name.len() {
        assert!(SWITCH_INT80[i] == name[i]);
        i += 1;
    }
    assert!(SWITCH_INT80[name.len()] == b'=');
};

/// Records where the initial stack is and walks it once: argv is skipped (`argc` says how
/// far), envp is scanned to its NULL (checking each string against
/// `LINUX_GATE_SYSCALL=int80`), then the auxv pairs that follow, up to `AT_NULL` (keeping
/// `AT_SYSINFO` and `AT_SECURE`). Only `sp` is stored; the rest is returned to `_start`.
///
/// # Safety
/// `sp` must be the stack pointer the kernel passed to `_start`, laid out as above.
#[inline(always)]
pub(crate) unsafe fn init(sp: *const usize) -> Seen {
    let mut seen = Seen {
        sysinfo: 0,
        secure: false,
        switch_int80: false,
    };
    // How many bytes of SWITCH_INT80 the first `LINUX_GATE_SYSCALL=…` string matched (0:
    // none seen yet). The first one wins, as with getenv.
    let mut matched = 0;
    // SAFETY: the caller passes the kernel's initial stack; every read below stays inside
    // its argv/envp/auxv arrays (each ends with its terminator), and the byte compare stops
    // at the first difference, at the latest at the string's NUL (the pattern's only NUL
    // is its last byte).
    unsafe {
        // sp → argc, then argc argv pointers and their NULL: envp starts argc + 2 words up.
        let argc = *sp;
        let mut envp = sp.add(argc + 2) as *const *const u8;
        loop {
            let var = *envp;
            envp = envp.add(1);
            if var.is_null() {
                break;
            }
            if matched == 0 {
                let mut i = 0;
                while i < SWITCH_INT80.len() && *var.add(i) == SWITCH_INT80[i] {
                    i += 1;
                }
                if i >= SWITCH_PREFIX {
                    matched = i;
                }
            }
        }
        // envp now points just past its NULL: the auxv.
        let mut aux = envp as *const usize;
        loop {
            let (key, value) = (*aux, *aux.add(1));
            match key as u32 {
                linux_raw_sys::auxvec::AT_NULL => break,
                linux_raw_sys::auxvec::AT_SYSINFO => seen.sysinfo = value,
                linux_raw_sys::auxvec::AT_SECURE => seen.secure = value != 0,
                _ => {}
            }
            aux = aux.add(2);
        }
        SP.store(sp as *mut usize, Ordering::Relaxed);
    }
    // `LINUX_GATE_SYSCALL=int80` and its NUL: the value is exactly `int80`.
    seen.switch_int80 = matched == SWITCH_INT80.len();
    seen
}

/// Where `esp` pointed when the kernel entered `_start` (the address of `argc`).
pub fn initial_sp() -> usize {
    SP.load(Ordering::Relaxed) as usize
}

/// `argc` as the kernel passed it (0 is possible; 0 before start-up).
pub fn argc() -> usize {
    let sp = SP.load(Ordering::Relaxed);
    if sp.is_null() {
        return 0;
    }
    // SAFETY: `init` recorded the kernel's initial stack, whose first word is argc.
    unsafe { *sp }
}

/// The `argv` array (pointer to `argc` string pointers followed by NULL; null before
/// start-up).
pub fn argv_ptr() -> *const *const u8 {
    let sp = SP.load(Ordering::Relaxed);
    if sp.is_null() {
        return core::ptr::null();
    }
    sp.wrapping_add(1) as *const *const u8
}

/// The `envp` array (NULL-terminated; null before start-up).
pub fn envp_ptr() -> *const *const u8 {
    let argv = argv_ptr();
    if argv.is_null() {
        return argv;
    }
    argv.wrapping_add(argc() + 1)
}

/// Number of environment strings.
pub fn envc() -> usize {
    let envp = envp_ptr();
    let mut n = 0;
    if !envp.is_null() {
        // SAFETY: `init` recorded the kernel's initial stack: envp ends with a NULL.
        while !unsafe { *envp.add(n) }.is_null() {
            n += 1;
        }
    }
    n
}

/// The first word of the auxiliary vector (null before start-up).
pub fn auxv_ptr() -> *const usize {
    let envp = envp_ptr();
    if envp.is_null() {
        return core::ptr::null();
    }
    envp.wrapping_add(envc() + 1) as *const usize
}

/// Iterator over a NULL-terminated array of C strings: `argv` or `envp`.
#[derive(Clone)]
pub struct CStrArray {
    ptr: *const *const u8,
    left: usize,
}

impl CStrArray {
    /// Walks `len` entries of `ptr`.
    ///
    /// # Safety
    /// `ptr` must point at `len` valid NUL-terminated strings that live for `'static`.
    pub unsafe fn new(ptr: *const *const u8, len: usize) -> CStrArray {
        CStrArray {
            ptr,
            left: if ptr.is_null() { 0 } else { len },
        }
    }
}

impl Iterator for CStrArray {
    type Item = &'static CStr;
    fn next(&mut self) -> Option<&'static CStr> {
        if self.left == 0 {
            return None;
        }
        // SAFETY: `new`'s contract: `left` more valid, NUL-terminated, 'static strings.
        let s = unsafe { CStr::from_ptr((*self.ptr).cast()) };
        // SAFETY: still within the array (left > 0).
        self.ptr = unsafe { self.ptr.add(1) };
        self.left -= 1;
        Some(s)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}
impl ExactSizeIterator for CStrArray {}

/// The program's arguments as the kernel passed them, bytes untouched.
pub fn args() -> CStrArray {
    // SAFETY: set by `init` from the kernel's stack, which lives for the whole process.
    unsafe { CStrArray::new(argv_ptr(), argc()) }
}

/// The environment strings (`NAME=value`) as the kernel passed them.
pub fn vars() -> CStrArray {
    // SAFETY: as for `args`.
    unsafe { CStrArray::new(envp_ptr(), envc()) }
}

/// Value of the environment variable `name` (bytes), if set. The first match wins, as in
/// glibc's `getenv`.
pub fn getenv(name: &[u8]) -> Option<&'static [u8]> {
    vars().find_map(|kv| {
        let kv = kv.to_bytes();
        match kv.strip_prefix(name) {
            Some([b'=', value @ ..]) => Some(value),
            _ => None,
        }
    })
}
