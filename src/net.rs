//! Sockets: Unix-domain, IPv4 and IPv6, with typed addresses.
//!
//! Addresses are [`SocketAddr`]: core's `SocketAddrV4`/`SocketAddrV6` for the internet
//! families, [`UnixAddr`] for paths (and Linux's abstract names). They are encoded into the
//! kernel's `sockaddr_*` structs here, decoded back from what `accept4`, `recvfrom`,
//! `getsockname` and `getpeername` write. Port and address bytes are in network order in
//! those structs, as the kernel wants; the types hold them in host order.
//!
//! On i386 these are the direct system calls of Linux 4.3 and later, with `socketcall` as
//! the fallback for older kernels (decided in `src/raw/`).

use crate::errno::Errno;
use crate::fd::{AsFd, AsRawFd, OwnedFd, owned_result};
use crate::raw;
use core::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
use linux_raw_sys::general as g;
use linux_raw_sys::net as n;

/// A socket's address family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressFamily {
    /// `AF_UNIX`: paths on this machine.
    Unix,
    /// `AF_INET`: IPv4.
    Inet,
    /// `AF_INET6`: IPv6.
    Inet6,
}

impl AddressFamily {
    fn raw(self) -> u32 {
        match self {
            AddressFamily::Unix => n::AF_UNIX,
            AddressFamily::Inet => n::AF_INET,
            AddressFamily::Inet6 => n::AF_INET6,
        }
    }
}

/// A socket's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocketType {
    /// A byte stream (TCP for the internet families).
    Stream,
    /// Datagrams (UDP).
    Datagram,
    /// Datagrams with connections and order (Unix domain).
    SeqPacket,
}

impl SocketType {
    fn raw(self) -> u32 {
        match self {
            SocketType::Stream => n::SOCK_STREAM,
            SocketType::Datagram => n::SOCK_DGRAM,
            SocketType::SeqPacket => n::SOCK_SEQPACKET,
        }
    }
}

bitflags::bitflags! {
    /// Flags for [`socket`], [`socketpair`] and [`accept4`].
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct SocketFlags: u32 {
        /// Close on `execve` (`SOCK_CLOEXEC`, which is `O_CLOEXEC`).
        const CLOEXEC = g::O_CLOEXEC;
        /// Non-blocking (`SOCK_NONBLOCK`, which is `O_NONBLOCK`).
        const NONBLOCK = g::O_NONBLOCK;
    }
}

bitflags::bitflags! {
    /// Flags for [`send`] and [`sendto`].
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct SendFlags: u32 {
        /// Do not block.
        const DONTWAIT = n::MSG_DONTWAIT;
        /// No `SIGPIPE` when the peer is gone (just `EPIPE`).
        const NOSIGNAL = n::MSG_NOSIGNAL;
        /// More data follows (cork).
        const MORE = n::MSG_MORE;
        /// Out-of-band data.
        const OOB = n::MSG_OOB;
    }
}

bitflags::bitflags! {
    /// Flags for [`recv`] and [`recvfrom`].
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct RecvFlags: u32 {
        /// Do not block.
        const DONTWAIT = n::MSG_DONTWAIT;
        /// Look without taking.
        const PEEK = n::MSG_PEEK;
        /// Wait for the whole buffer.
        const WAITALL = n::MSG_WAITALL;
        /// Return a datagram's real length even if it was cut.
        const TRUNC = n::MSG_TRUNC;
        /// Out-of-band data.
        const OOB = n::MSG_OOB;
    }
}

/// A Unix-domain address: a path, an abstract name (Linux: a name in no file system), or
/// none (an unbound socket, or a `socketpair` end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnixAddr {
    /// A path in the file system (at most 107 bytes, no NUL).
    Path(alloc::vec::Vec<u8>),
    /// An abstract name (at most 107 bytes; may hold any byte).
    Abstract(alloc::vec::Vec<u8>),
    /// No name.
    Unnamed,
}

/// The room in `sun_path`.
const SUN_PATH: usize = 108;

/// A socket address of any family this module speaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SocketAddr {
    /// IPv4.
    V4(SocketAddrV4),
    /// IPv6.
    V6(SocketAddrV6),
    /// Unix domain.
    Unix(UnixAddr),
}

impl From<SocketAddrV4> for SocketAddr {
    fn from(a: SocketAddrV4) -> SocketAddr {
        SocketAddr::V4(a)
    }
}
impl From<SocketAddrV6> for SocketAddr {
    fn from(a: SocketAddrV6) -> SocketAddr {
        SocketAddr::V6(a)
    }
}
impl From<UnixAddr> for SocketAddr {
    fn from(a: UnixAddr) -> SocketAddr {
        SocketAddr::Unix(a)
    }
}

impl UnixAddr {
    /// A path address; `EINVAL` if it holds a NUL or does not fit `sun_path` (107 bytes and
    /// the NUL) — never a silently shortened path.
    pub fn path(path: &[u8]) -> Result<UnixAddr, Errno> {
        if path.is_empty() || path.len() >= SUN_PATH || path.contains(&0) {
            return Err(Errno::EINVAL);
        }
        Ok(UnixAddr::Path(path.to_vec()))
    }

    /// An abstract name; `EINVAL` if longer than 107 bytes.
    pub fn abstract_name(name: &[u8]) -> Result<UnixAddr, Errno> {
        if name.len() >= SUN_PATH {
            return Err(Errno::EINVAL);
        }
        Ok(UnixAddr::Abstract(name.to_vec()))
    }
}

/// Room for any `sockaddr` (the kernel's `sockaddr_storage`: 128 bytes, aligned).
#[repr(C, align(8))]
struct Storage([u8; 128]);

impl Storage {
    const fn new() -> Storage {
        Storage([0; 128])
    }

    fn put(&mut self, at: usize, bytes: &[u8]) {
        if let Some(dst) = self.0.get_mut(at..at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }

    fn get<const N: usize>(&self, at: usize) -> [u8; N] {
        let mut out = [0; N];
        if let Some(src) = self.0.get(at..at + N) {
            out.copy_from_slice(src);
        }
        out
    }

    /// Encodes `addr`; returns the length the kernel is told.
    fn encode(&mut self, addr: &SocketAddr) -> u32 {
        match addr {
            SocketAddr::V4(a) => {
                // sockaddr_in: family, port (big-endian), address, 8 bytes of zeros.
                self.put(0, &(n::AF_INET as u16).to_ne_bytes());
                self.put(2, &a.port().to_be_bytes());
                self.put(4, &a.ip().octets());
                size_of::<n::sockaddr_in>() as u32
            }
            SocketAddr::V6(a) => {
                // sockaddr_in6: family, port, flow info, address, scope id.
                self.put(0, &(n::AF_INET6 as u16).to_ne_bytes());
                self.put(2, &a.port().to_be_bytes());
                self.put(4, &a.flowinfo().to_be_bytes());
                self.put(8, &a.ip().octets());
                self.put(24, &a.scope_id().to_ne_bytes());
                size_of::<n::sockaddr_in6>() as u32
            }
            SocketAddr::Unix(u) => {
                self.put(0, &(n::AF_UNIX as u16).to_ne_bytes());
                match u {
                    // The path and its NUL.
                    UnixAddr::Path(p) => {
                        self.put(2, p);
                        (2 + p.len() + 1) as u32
                    }
                    // A NUL first, then the name; the length says where it ends.
                    UnixAddr::Abstract(a) => {
                        self.put(3, a);
                        (2 + 1 + a.len()) as u32
                    }
                    UnixAddr::Unnamed => 2,
                }
            }
        }
    }

    /// Decodes what the kernel wrote (`len` bytes of it); `None` for a family this module
    /// does not speak.
    fn decode(&self, len: u32) -> Option<SocketAddr> {
        let len = (len as usize).min(self.0.len());
        let family = u16::from_ne_bytes(self.get::<2>(0)) as u32;
        match family {
            n::AF_INET => Some(SocketAddr::V4(SocketAddrV4::new(
                Ipv4Addr::from(self.get::<4>(4)),
                u16::from_be_bytes(self.get::<2>(2)),
            ))),
            n::AF_INET6 => Some(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(self.get::<16>(8)),
                u16::from_be_bytes(self.get::<2>(2)),
                u32::from_be_bytes(self.get::<4>(4)),
                u32::from_ne_bytes(self.get::<4>(24)),
            ))),
            n::AF_UNIX => {
                let path = self.0.get(2..len).unwrap_or_default();
                Some(SocketAddr::Unix(match path {
                    [] => UnixAddr::Unnamed,
                    [0, name @ ..] => UnixAddr::Abstract(name.to_vec()),
                    p => {
                        let end = p.iter().position(|&b| b == 0).unwrap_or(p.len());
                        UnixAddr::Path(p.get(..end).unwrap_or_default().to_vec())
                    }
                }))
            }
            _ => None,
        }
    }
}

fn raw_of(fd: &impl AsFd) -> i32 {
    fd.as_fd().as_raw_fd()
}

/// `socket(family, type | flags, 0)`.
pub fn socket(family: AddressFamily, ty: SocketType, flags: SocketFlags) -> Result<OwnedFd, Errno> {
    socket_with(family, ty, flags, 0)
}

/// `socket(family, type | flags, protocol)` with an explicit protocol number.
pub fn socket_with(
    family: AddressFamily,
    ty: SocketType,
    flags: SocketFlags,
    protocol: u32,
) -> Result<OwnedFd, Errno> {
    let t = ty.raw() | flags.bits();
    // SAFETY: takes numbers, creates a descriptor.
    owned_result(unsafe { raw::net::socket(family.raw(), t, protocol) })
}

/// `socketpair(family, type | flags, 0)`: two connected sockets.
pub fn socketpair(
    family: AddressFamily,
    ty: SocketType,
    flags: SocketFlags,
) -> Result<(OwnedFd, OwnedFd), Errno> {
    let mut fds = [0i32; 2];
    let t = ty.raw() | flags.bits();
    // SAFETY: the kernel writes two ints.
    unsafe { raw::net::socketpair(family.raw(), t, 0, &mut fds) }?;
    let a = owned_result(Ok(fds[0] as usize))?;
    let b = owned_result(Ok(fds[1] as usize))?;
    Ok((a, b))
}

/// `bind(fd, addr)`.
pub fn bind(fd: impl AsFd, addr: &SocketAddr) -> Result<(), Errno> {
    let mut s = Storage::new();
    let len = s.encode(addr);
    // SAFETY: the kernel reads `len` bytes of the encoded address.
    unsafe { raw::net::bind(raw_of(&fd), s.0.as_ptr(), len) }.map(|_| ())
}

/// `connect(fd, addr)`. `EINTR` is reported (the connection goes on in the background).
pub fn connect(fd: impl AsFd, addr: &SocketAddr) -> Result<(), Errno> {
    let mut s = Storage::new();
    let len = s.encode(addr);
    // SAFETY: the kernel reads `len` bytes of the encoded address.
    unsafe { raw::net::connect(raw_of(&fd), s.0.as_ptr(), len) }.map(|_| ())
}

/// `listen(fd, backlog)`.
pub fn listen(fd: impl AsFd, backlog: i32) -> Result<(), Errno> {
    // SAFETY: takes numbers.
    unsafe { raw::net::listen(raw_of(&fd), backlog) }.map(|_| ())
}

/// `accept4(fd, &addr, flags)`: the next connection and its peer's address (`None` for a
/// family this module does not decode).
pub fn accept4(fd: impl AsFd, flags: SocketFlags) -> Result<(OwnedFd, Option<SocketAddr>), Errno> {
    let mut s = Storage::new();
    let mut len = s.0.len() as u32;
    // SAFETY: the kernel writes at most `len` bytes into `s` and the length into `len`.
    let r = unsafe { raw::net::accept4(raw_of(&fd), s.0.as_mut_ptr(), &mut len, flags.bits()) };
    let new = owned_result(r)?;
    Ok((new, s.decode(len)))
}

/// `accept4(fd, NULL, flags)`: the next connection only.
pub fn accept(fd: impl AsFd, flags: SocketFlags) -> Result<OwnedFd, Errno> {
    let null = core::ptr::null_mut();
    // SAFETY: no address is asked for.
    owned_result(unsafe { raw::net::accept4(raw_of(&fd), null, null.cast(), flags.bits()) })
}

fn name_of(
    fd: i32,
    call: unsafe fn(i32, *mut u8, *mut u32) -> Result<usize, Errno>,
) -> Result<Option<SocketAddr>, Errno> {
    let mut s = Storage::new();
    let mut len = s.0.len() as u32;
    // SAFETY: the kernel writes at most `len` bytes into `s` and the length into `len`.
    unsafe { call(fd, s.0.as_mut_ptr(), &mut len) }?;
    Ok(s.decode(len))
}

/// `getsockname(fd)`: the address the socket is bound to.
pub fn getsockname(fd: impl AsFd) -> Result<Option<SocketAddr>, Errno> {
    name_of(raw_of(&fd), raw::net::getsockname)
}

/// `getpeername(fd)`: the address of the connected peer (`ENOTCONN` if none).
pub fn getpeername(fd: impl AsFd) -> Result<Option<SocketAddr>, Errno> {
    name_of(raw_of(&fd), raw::net::getpeername)
}

/// `send(fd, buf, flags)` (`sendto` with no address).
pub fn send(fd: impl AsFd, buf: &[u8], flags: SendFlags) -> Result<usize, Errno> {
    let (p, l) = (buf.as_ptr(), buf.len());
    // SAFETY: the kernel reads at most buf.len() bytes; no address.
    unsafe { raw::net::sendto(raw_of(&fd), p, l, flags.bits(), core::ptr::null(), 0) }
}

/// `sendto(fd, buf, flags, addr)`.
pub fn sendto(
    fd: impl AsFd,
    buf: &[u8],
    flags: SendFlags,
    addr: &SocketAddr,
) -> Result<usize, Errno> {
    let mut s = Storage::new();
    let len = s.encode(addr);
    let (p, l, f) = (buf.as_ptr(), buf.len(), flags.bits());
    // SAFETY: the kernel reads at most buf.len() bytes and `len` bytes of the address.
    unsafe { raw::net::sendto(raw_of(&fd), p, l, f, s.0.as_ptr(), len) }
}

/// `recv(fd, buf, flags)` (`recvfrom` with no address).
pub fn recv(fd: impl AsFd, buf: &mut [u8], flags: RecvFlags) -> Result<usize, Errno> {
    let (p, l, null) = (buf.as_mut_ptr(), buf.len(), core::ptr::null_mut());
    // SAFETY: the kernel writes at most buf.len() bytes; no address asked for.
    unsafe { raw::net::recvfrom(raw_of(&fd), p, l, flags.bits(), null, null.cast()) }
}

/// `recvfrom(fd, buf, flags)`: the bytes and the sender's address ([`UnixAddr::Unnamed`]
/// for an unbound Unix-domain sender; `None` when the kernel gives none, as on a TCP
/// socket, or for a family this module does not decode).
pub fn recvfrom(
    fd: impl AsFd,
    buf: &mut [u8],
    flags: RecvFlags,
) -> Result<(usize, Option<SocketAddr>), Errno> {
    let mut s = Storage::new();
    let mut len = s.0.len() as u32;
    let (p, l, f) = (buf.as_mut_ptr(), buf.len(), flags.bits());
    // SAFETY: the kernel writes at most buf.len() bytes, at most `len` address bytes.
    let got = unsafe { raw::net::recvfrom(raw_of(&fd), p, l, f, s.0.as_mut_ptr(), &mut len) }?;
    // A Unix-domain sender that is not bound comes with no address at all (length 0, not
    // even the family): that is the unnamed address, as `accept4` and `getpeername` report
    // the same peer (and as std's `UnixDatagram::recv_from` does). Other families with no
    // address (a stream socket's `recvfrom`) stay `None`.
    if len == 0 {
        let unix = getsockopt_int(&fd, n::SOL_SOCKET, n::SO_DOMAIN) == Ok(n::AF_UNIX as i32);
        return Ok((got, unix.then_some(SocketAddr::Unix(UnixAddr::Unnamed))));
    }
    Ok((got, s.decode(len)))
}

/// Which direction [`shutdown`] closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shutdown {
    /// No more receiving.
    Read,
    /// No more sending (the peer reads end of file).
    Write,
    /// Both.
    Both,
}

/// `shutdown(fd, how)`.
pub fn shutdown(fd: impl AsFd, how: Shutdown) -> Result<(), Errno> {
    let h = match how {
        Shutdown::Read => n::SHUT_RD,
        Shutdown::Write => n::SHUT_WR,
        Shutdown::Both => n::SHUT_RDWR,
    };
    // SAFETY: takes numbers.
    unsafe { raw::net::shutdown(raw_of(&fd), h) }.map(|_| ())
}

/// `getsockopt(fd, level, name)` for an `int` option (`SOL_SOCKET`/`SO_TYPE`, …).
pub fn getsockopt_int(fd: impl AsFd, level: u32, name: u32) -> Result<i32, Errno> {
    let mut v: i32 = 0;
    let mut len = size_of::<i32>() as u32;
    let p = &mut v as *mut i32 as *mut u8;
    // SAFETY: the kernel writes at most `len` (4) bytes into `v`.
    unsafe { raw::net::getsockopt(raw_of(&fd), level, name, p, &mut len) }?;
    Ok(v)
}

/// `setsockopt(fd, level, name, &value, 4)` for an `int` option.
pub fn setsockopt_int(fd: impl AsFd, level: u32, name: u32, value: i32) -> Result<(), Errno> {
    let p = &value as *const i32 as *const u8;
    // SAFETY: the kernel reads 4 bytes.
    unsafe { raw::net::setsockopt(raw_of(&fd), level, name, p, 4) }.map(|_| ())
}

/// `SO_REUSEADDR`: allow binding a port still in `TIME_WAIT`.
pub fn set_reuseaddr(fd: impl AsFd, on: bool) -> Result<(), Errno> {
    setsockopt_int(fd, n::SOL_SOCKET, n::SO_REUSEADDR, on as i32)
}

/// `SO_ERROR`: the pending error of the socket (and clears it); `None` if there is none.
pub fn socket_error(fd: impl AsFd) -> Result<Option<Errno>, Errno> {
    let e = getsockopt_int(fd, n::SOL_SOCKET, n::SO_ERROR)?;
    Ok(if e == 0 {
        None
    } else {
        Some(Errno::from_raw(e as u16))
    })
}

/// `SO_TYPE`: the socket's type.
pub fn socket_type(fd: impl AsFd) -> Result<SocketType, Errno> {
    match getsockopt_int(fd, n::SOL_SOCKET, n::SO_TYPE)? as u32 {
        n::SOCK_STREAM => Ok(SocketType::Stream),
        n::SOCK_DGRAM => Ok(SocketType::Datagram),
        n::SOCK_SEQPACKET => Ok(SocketType::SeqPacket),
        _ => Err(Errno::EINVAL),
    }
}
