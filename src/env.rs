//! Arguments and environment, as byte strings exactly as the kernel passed them (non-UTF-8
//! bytes preserved), with UTF-8 conveniences.

use crate::stack::{self, CStrArray};
use core::ffi::CStr;

pub use crate::stack::getenv as var_bytes;

/// The arguments (`argv`), `argv[0]` first. Empty when `argc` is 0.
pub fn args() -> CStrArray {
    stack::args()
}

/// The arguments as byte slices.
pub fn args_bytes() -> impl ExactSizeIterator<Item = &'static [u8]> {
    stack::args().map(CStr::to_bytes)
}

/// The arguments as `&str`, `Err(bytes)` for one that is not UTF-8.
pub fn args_str() -> impl ExactSizeIterator<Item = Result<&'static str, &'static [u8]>> {
    stack::args().map(|a| a.to_str().map_err(|_| a.to_bytes()))
}

/// The environment strings (`NAME=value`).
pub fn vars() -> CStrArray {
    stack::vars()
}

/// The environment as `(name, value)` byte-slice pairs; an entry without `=` has an empty
/// value.
pub fn vars_split() -> impl Iterator<Item = (&'static [u8], &'static [u8])> {
    stack::vars().map(|kv| {
        let kv = kv.to_bytes();
        match kv.iter().position(|&b| b == b'=') {
            Some(i) => (&kv[..i], &kv[i + 1..]),
            None => (kv, &kv[kv.len()..]),
        }
    })
}

/// `getenv`: the value of `name` as bytes.
pub fn getenv(name: &str) -> Option<&'static [u8]> {
    stack::getenv(name.as_bytes())
}

/// The value of `name` if it is set and valid UTF-8.
pub fn var(name: &str) -> Option<&'static str> {
    getenv(name).and_then(|v| core::str::from_utf8(v).ok())
}
