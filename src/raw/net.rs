//! Sockets. i386 had only the `socketcall(call, args)` multiplexer until Linux 4.3 added one
//! system call per operation; we make the direct call and, if the kernel answers `ENOSYS`,
//! remember that and use `socketcall` from then on (its arguments are the same words, in an
//! array in memory).

use crate::errno::Errno;
use crate::syscall::{nr, syscall2, syscall6};
use core::sync::atomic::{AtomicBool, Ordering};
use linux_raw_sys::net as n;

/// Set once a direct socket call said `ENOSYS` (a kernel before 4.3).
static ONLY_SOCKETCALL: AtomicBool = AtomicBool::new(false);

/// The direct call `direct` with `args`, or `socketcall(call, args)` on kernels without it.
unsafe fn sock(direct: u32, call: u32, a: [usize; 6]) -> Result<usize, Errno> {
    if !ONLY_SOCKETCALL.load(Ordering::Relaxed) {
        // Unused trailing words are passed as 0; the kernel reads only the ones it needs.
        match syscall6(direct, a[0], a[1], a[2], a[3], a[4], a[5]) {
            Err(Errno::ENOSYS) => ONLY_SOCKETCALL.store(true, Ordering::Relaxed),
            r => return r,
        }
    }
    syscall2(nr::__NR_socketcall, call as usize, a.as_ptr() as usize)
}

pub(crate) unsafe fn socket(domain: u32, ty: u32, proto: u32) -> Result<usize, Errno> {
    sock(
        nr::__NR_socket,
        n::SYS_SOCKET,
        [domain as usize, ty as usize, proto as usize, 0, 0, 0],
    )
}
pub(crate) unsafe fn socketpair(
    domain: u32,
    ty: u32,
    proto: u32,
    fds: *mut [i32; 2],
) -> Result<usize, Errno> {
    sock(
        nr::__NR_socketpair,
        n::SYS_SOCKETPAIR,
        [
            domain as usize,
            ty as usize,
            proto as usize,
            fds as usize,
            0,
            0,
        ],
    )
}
pub(crate) unsafe fn bind(fd: i32, addr: *const u8, len: u32) -> Result<usize, Errno> {
    sock(
        nr::__NR_bind,
        n::SYS_BIND,
        [fd as usize, addr as usize, len as usize, 0, 0, 0],
    )
}
pub(crate) unsafe fn connect(fd: i32, addr: *const u8, len: u32) -> Result<usize, Errno> {
    sock(
        nr::__NR_connect,
        n::SYS_CONNECT,
        [fd as usize, addr as usize, len as usize, 0, 0, 0],
    )
}
pub(crate) unsafe fn listen(fd: i32, backlog: i32) -> Result<usize, Errno> {
    sock(
        nr::__NR_listen,
        n::SYS_LISTEN,
        [fd as usize, backlog as usize, 0, 0, 0, 0],
    )
}
pub(crate) unsafe fn accept4(
    fd: i32,
    addr: *mut u8,
    len: *mut u32,
    flags: u32,
) -> Result<usize, Errno> {
    sock(
        nr::__NR_accept4,
        n::SYS_ACCEPT4,
        [
            fd as usize,
            addr as usize,
            len as usize,
            flags as usize,
            0,
            0,
        ],
    )
}
pub(crate) unsafe fn getsockname(fd: i32, addr: *mut u8, len: *mut u32) -> Result<usize, Errno> {
    sock(
        nr::__NR_getsockname,
        n::SYS_GETSOCKNAME,
        [fd as usize, addr as usize, len as usize, 0, 0, 0],
    )
}
pub(crate) unsafe fn getpeername(fd: i32, addr: *mut u8, len: *mut u32) -> Result<usize, Errno> {
    sock(
        nr::__NR_getpeername,
        n::SYS_GETPEERNAME,
        [fd as usize, addr as usize, len as usize, 0, 0, 0],
    )
}
pub(crate) unsafe fn sendto(
    fd: i32,
    buf: *const u8,
    len: usize,
    flags: u32,
    addr: *const u8,
    alen: u32,
) -> Result<usize, Errno> {
    sock(
        nr::__NR_sendto,
        n::SYS_SENDTO,
        [
            fd as usize,
            buf as usize,
            len,
            flags as usize,
            addr as usize,
            alen as usize,
        ],
    )
}
pub(crate) unsafe fn recvfrom(
    fd: i32,
    buf: *mut u8,
    len: usize,
    flags: u32,
    addr: *mut u8,
    alen: *mut u32,
) -> Result<usize, Errno> {
    sock(
        nr::__NR_recvfrom,
        n::SYS_RECVFROM,
        [
            fd as usize,
            buf as usize,
            len,
            flags as usize,
            addr as usize,
            alen as usize,
        ],
    )
}
pub(crate) unsafe fn shutdown(fd: i32, how: u32) -> Result<usize, Errno> {
    sock(
        nr::__NR_shutdown,
        n::SYS_SHUTDOWN,
        [fd as usize, how as usize, 0, 0, 0, 0],
    )
}
pub(crate) unsafe fn getsockopt(
    fd: i32,
    level: u32,
    name: u32,
    val: *mut u8,
    len: *mut u32,
) -> Result<usize, Errno> {
    sock(
        nr::__NR_getsockopt,
        n::SYS_GETSOCKOPT,
        [
            fd as usize,
            level as usize,
            name as usize,
            val as usize,
            len as usize,
            0,
        ],
    )
}
pub(crate) unsafe fn setsockopt(
    fd: i32,
    level: u32,
    name: u32,
    val: *const u8,
    len: u32,
) -> Result<usize, Errno> {
    sock(
        nr::__NR_setsockopt,
        n::SYS_SETSOCKOPT,
        [
            fd as usize,
            level as usize,
            name as usize,
            val as usize,
            len as usize,
            0,
        ],
    )
}
