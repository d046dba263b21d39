//! The machine: `uname` and `getrandom`.

use crate::errno::Errno;
use crate::raw;
use alloc::vec::Vec;

/// What `uname(2)` says, each field without its NUL padding (`struct new_utsname`: six
/// 65-byte fields).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uname {
    /// `Linux`.
    pub sysname: Vec<u8>,
    /// The host name.
    pub nodename: Vec<u8>,
    /// The kernel release (`6.1.0-…`).
    pub release: Vec<u8>,
    /// The kernel build (`#1 SMP PREEMPT_DYNAMIC …`).
    pub version: Vec<u8>,
    /// The machine: `i686` for a 32-bit process under a 64-bit kernel (the kernel reports
    /// what the process's personality sees, as `uname -m` under `linux32` does).
    pub machine: Vec<u8>,
    /// The NIS domain name (`(none)` when unset).
    pub domainname: Vec<u8>,
}

/// `uname(2)` (122, the `new_utsname` one; 59 and 109 are the older, shorter layouts).
pub fn uname() -> Uname {
    let mut u = core::mem::MaybeUninit::<linux_raw_sys::system::new_utsname>::zeroed();
    // SAFETY: the kernel writes one new_utsname; it cannot fail with a valid buffer.
    let _ = unsafe { raw::system::uname(u.as_mut_ptr()) };
    // SAFETY: zero-initialised, then written by the kernel.
    let u = unsafe { u.assume_init_ref() };
    let field = |f: &[core::ffi::c_char; 65]| -> Vec<u8> {
        f.iter().map(|&c| c as u8).take_while(|&b| b != 0).collect()
    };
    Uname {
        sysname: field(&u.sysname),
        nodename: field(&u.nodename),
        release: field(&u.release),
        version: field(&u.version),
        machine: field(&u.machine),
        domainname: field(&u.domainname),
    }
}

bitflags::bitflags! {
    /// [`getrandom`]'s flags.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct GetRandomFlags: u32 {
        /// `EAGAIN` instead of blocking before the pool is initialised.
        const NONBLOCK = linux_raw_sys::general::GRND_NONBLOCK;
        /// The (legacy) blocking pool.
        const RANDOM = linux_raw_sys::general::GRND_RANDOM;
        /// Never block, even before initialisation (Linux 5.6).
        const INSECURE = linux_raw_sys::general::GRND_INSECURE;
    }
}

/// `getrandom(buf, flags)`: fills `buf` with random bytes, retrying `EINTR` and short
/// reads (requests over 32 MiB come back short), so the whole buffer is filled or an
/// error is returned.
pub fn getrandom(buf: &mut [u8], flags: GetRandomFlags) -> Result<(), Errno> {
    let mut done = 0;
    while done < buf.len() {
        let rest = buf.get_mut(done..).unwrap_or_default();
        // SAFETY: the kernel writes at most rest.len() bytes into rest.
        match unsafe { raw::system::getrandom(rest.as_mut_ptr(), rest.len(), flags.bits()) } {
            Ok(0) => return Err(Errno::EIO),
            Ok(n) => done += n,
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
