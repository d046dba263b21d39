//! The C side of the runtime: the functions `include/linux_gate.h` declares, and
//! [`c_main!`](crate::c_main), which hands `_start`'s argc/argv/envp to a C `main`.
//!
//! These follow C's conventions rather than Rust's: results are the kernel's raw
//! (`-errno` on failure), absent values are 0/NULL.

use crate::{auxv, stack, syscall};
use core::ffi::{CStr, c_char, c_int, c_long, c_ulong};

/// A descriptor number from C, lent for one call. A C caller deals in numbers: like the libc
/// calls, these functions pass whatever number they get to the kernel, which answers `EBADF`
/// for one that is not open.
fn c_fd(fd: c_int) -> crate::fd::BorrowedFd<'static> {
    // SAFETY: the borrow lives for one call, and a stale number costs only `EBADF`: the C
    // API has C's (not Rust's) rules about who owns a descriptor.
    unsafe { crate::fd::BorrowedFd::borrow_raw(fd) }
}

/// `long lg_syscall(long nr, long a1, …, long a6)`: any syscall through the runtime's
/// entry; the raw result (`-4095..=-1` is `-errno`).
///
/// # Safety
/// The kernel does whatever `nr` means with the arguments; the C caller vouches for them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lg_syscall(
    nr: c_long,
    a1: c_long,
    a2: c_long,
    a3: c_long,
    a4: c_long,
    a5: c_long,
    a6: c_long,
) -> c_long {
    let [a1, a2, a3, a4, a5, a6] = [a1, a2, a3, a4, a5, a6].map(|a| a as usize);
    // SAFETY: the caller's contract.
    let r = unsafe { syscall::syscall6(nr as u32, a1, a2, a3, a4, a5, a6) };
    match r {
        Ok(v) => v as c_long,
        Err(e) => -c_long::from(e.raw()),
    }
}

/// `long lg_read(int fd, void *buf, size_t len)`: bytes read (0 at end of file) or `-errno`.
///
/// # Safety
/// `buf` must be valid for writing `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lg_read(fd: c_int, buf: *mut u8, len: usize) -> c_long {
    if len == 0 {
        return 0;
    }
    if buf.is_null() {
        return -c_long::from(crate::Errno::EFAULT.raw());
    }
    // SAFETY: the caller's contract; `buf` is not null here.
    let bytes = unsafe { core::slice::from_raw_parts_mut(buf, len) };
    match c_fd(fd).read(bytes) {
        Ok(n) => n as c_long,
        Err(e) => -c_long::from(e.raw()),
    }
}

/// `long lg_write(int fd, const void *buf, size_t len)`: bytes written or `-errno`.
///
/// # Safety
/// `buf` must be valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lg_write(fd: c_int, buf: *const u8, len: usize) -> c_long {
    if buf.is_null() && len != 0 {
        return -c_long::from(crate::Errno::EFAULT.raw());
    }
    let bytes: &[u8] = if len == 0 {
        &[]
    } else {
        // SAFETY: the caller's contract; `buf` is not null here.
        unsafe { core::slice::from_raw_parts(buf, len) }
    };
    match c_fd(fd).write(bytes) {
        Ok(n) => n as c_long,
        Err(e) => -c_long::from(e.raw()),
    }
}

/// `long lg_write_all(int fd, const void *buf, size_t len)`: writes all `len` bytes,
/// retrying partial writes and `EINTR` ([`io::write_all`](crate::io::write_all)); 0, or
/// `-errno` for the error that stopped it.
///
/// # Safety
/// `buf` must be valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lg_write_all(fd: c_int, buf: *const u8, len: usize) -> c_long {
    if len == 0 {
        return 0;
    }
    if buf.is_null() {
        return -c_long::from(crate::Errno::EFAULT.raw());
    }
    // SAFETY: the caller's contract; `buf` is not null here.
    let bytes = unsafe { core::slice::from_raw_parts(buf, len) };
    match c_fd(fd).write_all(bytes) {
        Ok(()) => 0,
        Err(e) => -c_long::from(e.raw()),
    }
}

/// `void lg_perror(const char *s, long err)`: like `perror`, one line on stderr,
/// `s: message` (just `message` when `s` is NULL or empty), for an error number given
/// either way round: `28` or a raw result `-28` both print `No space left on device`.
///
/// The line is built in a 256-byte stack buffer and written with one `write`, without
/// `core::fmt` or the heap; a longer one (a long prefix) takes three writes, nothing cut.
///
/// # Safety
/// `s` must be NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lg_perror(s: *const c_char, err: c_long) {
    let number = err.unsigned_abs();
    let errno = u16::try_from(number).map_or(crate::Errno::from_raw(0), crate::Errno::from_raw);
    let prefix = if s.is_null() {
        &[][..]
    } else {
        // SAFETY: the caller's contract.
        unsafe { CStr::from_ptr(s) }.to_bytes()
    };
    // One line in a stack buffer, one write. Nothing here can panic (no indexing that
    // might fail), so a C program that reports errors does not link the panic machinery.
    let mut line = [0u8; 256];
    let mut len = 0;
    let mut push = |bytes: &[u8]| {
        for &b in bytes {
            if let Some(slot) = line.get_mut(len) {
                *slot = b;
            }
            len += 1;
        }
    };
    if !prefix.is_empty() {
        push(prefix);
        push(b": ");
    }
    match errno.message() {
        Some(m) => push(m.as_bytes()),
        None if number == 0 => push(b"Success"),
        None => {
            // As glibc: "Unknown error N".
            push(b"Unknown error ");
            let mut digits = [b'0'; 10];
            let mut v = number;
            for d in digits.iter_mut().rev() {
                *d += (v % 10) as u8;
                v /= 10;
            }
            let first = digits.iter().position(|&d| d != b'0').unwrap_or(9);
            push(digits.get(first..).unwrap_or_default());
        }
    }
    push(b"\n");
    // Nowhere is left to report a failing stderr.
    match line.get(..len) {
        Some(whole) => {
            let _ = crate::fd::stderr().write_all(whole);
        }
        // Longer than the buffer (a long prefix): the prefix and ": ", then the line again
        // without them, so nothing is cut; three writes instead of one.
        None => {
            let _ = crate::fd::stderr().write_all(prefix);
            let _ = crate::fd::stderr().write_all(b": ");
            // SAFETY: a NULL prefix.
            unsafe { lg_perror(core::ptr::null(), err) };
        }
    }
}

/// `void lg_exit(int status)`: exit hooks, flush, `exit_group`.
#[unsafe(no_mangle)]
pub extern "C" fn lg_exit(status: c_int) -> ! {
    crate::exit::exit(status)
}

/// `int lg_argc(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn lg_argc() -> c_int {
    stack::argc() as c_int
}

/// `char **lg_argv(void)`: the kernel's NULL-terminated argv.
#[unsafe(no_mangle)]
pub extern "C" fn lg_argv() -> *const *const c_char {
    stack::argv_ptr().cast()
}

/// `char **lg_envp(void)`: the kernel's NULL-terminated envp.
#[unsafe(no_mangle)]
pub extern "C" fn lg_envp() -> *const *const c_char {
    stack::envp_ptr().cast()
}

/// `const char *lg_getenv(const char *name)`: the value (NUL-terminated, on the initial
/// stack) or NULL.
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lg_getenv(name: *const c_char) -> *const c_char {
    if name.is_null() {
        return core::ptr::null();
    }
    // SAFETY: the caller's contract.
    let name = unsafe { CStr::from_ptr(name) };
    // The value is the tail of a "NAME=value\0" string, so it is NUL-terminated too.
    crate::env::var_bytes(name.to_bytes()).map_or(core::ptr::null(), |v| v.as_ptr().cast())
}

/// `unsigned long lg_getauxval(unsigned long key)`: the value, or 0 if absent (as glibc).
#[unsafe(no_mangle)]
pub extern "C" fn lg_getauxval(key: c_ulong) -> c_ulong {
    auxv::getauxval(key).unwrap_or(0) as c_ulong
}

/// `const char *lg_mechanism(void)`: `"vsyscall"` or `"int80"`.
#[unsafe(no_mangle)]
pub extern "C" fn lg_mechanism() -> *const c_char {
    // Statics, not `c"…"` literals: literals land in the merged string section, which the
    // linker keeps whole even in programs that never call this (hello paid 9 bytes for it).
    static VSYSCALL: [u8; 9] = *b"vsyscall\0";
    static INT80: [u8; 6] = *b"int80\0";
    match syscall::mechanism() {
        syscall::Mechanism::Vsyscall => VSYSCALL.as_ptr().cast(),
        syscall::Mechanism::Int80 => INT80.as_ptr().cast(),
    }
}

/// Makes a C `int main(int argc, char **argv, char **envp)` the program's entry: defines
/// `linux_gate_main`, which calls it with the kernel's arguments. The C object must be linked
/// in, e.g. with `#[link(name = "c_hello", kind = "static")] unsafe extern "C" {}`.
#[macro_export]
macro_rules! c_main {
    () => {
        unsafe extern "C" {
            fn main(
                argc: core::ffi::c_int,
                argv: *const *const core::ffi::c_char,
                envp: *const *const core::ffi::c_char,
            ) -> core::ffi::c_int;
        }
        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub extern "C" fn linux_gate_main() -> i32 {
            // SAFETY: `main` is the C program's, with C's signature; the pointers are the
            // kernel's NULL-terminated arrays.
            unsafe {
                main(
                    $crate::capi::lg_argc(),
                    $crate::capi::lg_argv(),
                    $crate::capi::lg_envp(),
                )
            }
        }
    };
}
