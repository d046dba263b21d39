//! Arguments and environment, as byte strings exactly as the kernel passed them (non-UTF-8
//! bytes preserved), with UTF-8 conveniences.

use crate::stack;
use core::ffi::CStr;

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

/// The arguments (`argv`), `argv[0]` first, as the kernel passed them, bytes untouched.
/// Empty when `argc` is 0.
pub fn args() -> CStrArray {
    let l = stack::layout();
    // SAFETY: found on the kernel's stack, which lives for the whole process (an empty
    // array before start-up).
    unsafe {
        CStrArray::new(
            l.map_or(core::ptr::null(), |l| l.argv),
            l.map_or(0, |l| l.argc),
        )
    }
}

/// The environment strings (`NAME=value`) as the kernel passed them.
pub fn vars() -> CStrArray {
    let l = stack::layout();
    // SAFETY: as for `args`.
    unsafe {
        CStrArray::new(
            l.map_or(core::ptr::null(), |l| l.envp),
            l.map_or(0, |l| l.envc),
        )
    }
}

/// `getenv` on bytes: the value of `name`, if set. The first match wins and an empty name
/// matches nothing (not an `=value` entry), as in glibc's `getenv`.
pub fn var_bytes(name: &[u8]) -> Option<&'static [u8]> {
    if name.is_empty() {
        return None;
    }
    vars().find_map(|kv| {
        let kv = kv.to_bytes();
        match kv.strip_prefix(name) {
            Some([b'=', value @ ..]) => Some(value),
            _ => None,
        }
    })
}

/// The arguments as byte slices.
pub fn args_bytes() -> impl ExactSizeIterator<Item = &'static [u8]> {
    args().map(CStr::to_bytes)
}

/// The arguments as `&str`, `Err(bytes)` for one that is not UTF-8.
pub fn args_str() -> impl ExactSizeIterator<Item = Result<&'static str, &'static [u8]>> {
    args().map(|a| a.to_str().map_err(|_| a.to_bytes()))
}

/// The environment as `(name, value)` byte-slice pairs; an entry without `=` has an empty
/// value.
pub fn vars_split() -> impl Iterator<Item = (&'static [u8], &'static [u8])> {
    vars().map(|kv| {
        let kv = kv.to_bytes();
        match kv.iter().position(|&b| b == b'=') {
            Some(i) => (&kv[..i], &kv[i + 1..]),
            None => (kv, &kv[kv.len()..]),
        }
    })
}

/// `getenv`: the value of `name` as bytes.
pub fn getenv(name: &str) -> Option<&'static [u8]> {
    var_bytes(name.as_bytes())
}

/// The value of `name` if it is set and valid UTF-8.
pub fn var(name: &str) -> Option<&'static str> {
    getenv(name).and_then(|v| core::str::from_utf8(v).ok())
}
