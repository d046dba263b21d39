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
//! This module records where each part starts; [`crate::auxv`] and [`crate::env`] read them.

use core::ffi::CStr;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

static SP: AtomicPtr<usize> = AtomicPtr::new(core::ptr::null_mut());
static ARGC: AtomicUsize = AtomicUsize::new(0);
static ARGV: AtomicPtr<*const u8> = AtomicPtr::new(core::ptr::null_mut());
static ENVC: AtomicUsize = AtomicUsize::new(0);
static ENVP: AtomicPtr<*const u8> = AtomicPtr::new(core::ptr::null_mut());
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

/// Records the layout of the initial stack.
///
/// # Safety
/// `sp` must be the stack pointer the kernel passed to `_start`, laid out as above.
pub(crate) unsafe fn init(sp: *const usize) {
    // SAFETY: the caller passes the kernel's initial stack.
    let l = unsafe { Layout::parse(sp) };
    SP.store(sp as *mut usize, Ordering::Relaxed);
    ARGC.store(l.argc, Ordering::Relaxed);
    ARGV.store(l.argv as *mut *const u8, Ordering::Relaxed);
    ENVC.store(l.envc, Ordering::Relaxed);
    ENVP.store(l.envp as *mut *const u8, Ordering::Relaxed);
    AUXV.store(l.auxv as *mut usize, Ordering::Relaxed);
}

/// Where `esp` pointed when the kernel entered `_start` (the address of `argc`).
pub fn initial_sp() -> usize {
    SP.load(Ordering::Relaxed) as usize
}

/// `argc` as the kernel passed it (0 is possible).
pub fn argc() -> usize {
    ARGC.load(Ordering::Relaxed)
}

/// The `argv` array (pointer to `argc` string pointers followed by NULL).
pub fn argv_ptr() -> *const *const u8 {
    ARGV.load(Ordering::Relaxed)
}

/// The `envp` array (NULL-terminated).
pub fn envp_ptr() -> *const *const u8 {
    ENVP.load(Ordering::Relaxed)
}

/// Number of environment strings.
pub fn envc() -> usize {
    ENVC.load(Ordering::Relaxed)
}

/// The first word of the auxiliary vector (null before start-up).
pub fn auxv_ptr() -> *const usize {
    AUXV.load(Ordering::Relaxed)
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
