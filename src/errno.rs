//! `Errno`: the kernel's error numbers with their names and the usual (glibc) messages.
//!
//! The numbers come from `linux-raw-sys` (generated from the kernel's headers); only the
//! human-readable messages, which no header carries, are written out here.

use core::fmt;
use linux_raw_sys::errno as raw;

/// An error number returned by the kernel (the `N` of a `-N` syscall result).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Errno(u16);

/// `errnos! { write: { … } other: { … } }`: the `write` group are the errors writing to an
/// already open descriptor can give; [`Errno::write_message`] knows only those, so the
/// `print!` error path links a few messages instead of all of them (see `src/io.rs`).
macro_rules! errnos {
    (write: { $($wname:ident => $wmsg:literal,)* } other: { $($name:ident => $msg:literal,)* }) => {
        errnos!(@all $($wname => $wmsg,)* $($name => $msg,)*);

        impl Errno {
            /// The message for an error a `write` can return (`EPIPE`, `ENOSPC`, `EIO`, …);
            /// `None` for others. Same text as [`Errno::message`], a much smaller table.
            pub fn write_message(self) -> Option<&'static str> {
                match self.0 as u32 {
                    $(raw::$wname => Some($wmsg),)*
                    _ => None,
                }
            }
        }
    };
    (@all $($name:ident => $msg:literal,)*) => {
        impl Errno {
            $(
                #[doc = $msg]
                pub const $name: Errno = Errno(raw::$name as u16);
            )*

            /// The symbolic name, e.g. `"ENOENT"`, or `None` for a number the kernel does not define.
            pub fn name(self) -> Option<&'static str> {
                match self.0 as u32 {
                    $(raw::$name => Some(stringify!($name)),)*
                    _ => None,
                }
            }

            /// The message glibc's `strerror` gives, e.g. `"No such file or directory"`.
            pub fn message(self) -> Option<&'static str> {
                match self.0 as u32 {
                    $(raw::$name => Some($msg),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    write: {
        EPERM => "Operation not permitted",
        EINTR => "Interrupted system call",
        EIO => "Input/output error",
        ENXIO => "No such device or address",
        EBADF => "Bad file descriptor",
        EAGAIN => "Resource temporarily unavailable",
        EFAULT => "Bad address",
        EINVAL => "Invalid argument",
        EFBIG => "File too large",
        ENOSPC => "No space left on device",
        EPIPE => "Broken pipe",
        EDQUOT => "Disk quota exceeded",
    }
    other: {
        ENOENT => "No such file or directory",
        ESRCH => "No such process",
        E2BIG => "Argument list too long",
        ENOEXEC => "Exec format error",
        ECHILD => "No child processes",
        ENOMEM => "Cannot allocate memory",
        EACCES => "Permission denied",
        ENOTBLK => "Block device required",
        EBUSY => "Device or resource busy",
        EEXIST => "File exists",
        EXDEV => "Invalid cross-device link",
        ENODEV => "No such device",
        ENOTDIR => "Not a directory",
        EISDIR => "Is a directory",
        ENFILE => "Too many open files in system",
        EMFILE => "Too many open files",
        ENOTTY => "Inappropriate ioctl for device",
        ETXTBSY => "Text file busy",
        ESPIPE => "Illegal seek",
        EROFS => "Read-only file system",
        EMLINK => "Too many links",
        EDOM => "Numerical argument out of domain",
        ERANGE => "Numerical result out of range",
        EDEADLK => "Resource deadlock avoided",
        ENAMETOOLONG => "File name too long",
        ENOLCK => "No locks available",
        ENOSYS => "Function not implemented",
        ENOTEMPTY => "Directory not empty",
        ELOOP => "Too many levels of symbolic links",
        ENOMSG => "No message of desired type",
        EIDRM => "Identifier removed",
        ECHRNG => "Channel number out of range",
        EL2NSYNC => "Level 2 not synchronized",
        EL3HLT => "Level 3 halted",
        EL3RST => "Level 3 reset",
        ELNRNG => "Link number out of range",
        EUNATCH => "Protocol driver not attached",
        ENOCSI => "No CSI structure available",
        EL2HLT => "Level 2 halted",
        EBADE => "Invalid exchange",
        EBADR => "Invalid request descriptor",
        EXFULL => "Exchange full",
        ENOANO => "No anode",
        EBADRQC => "Invalid request code",
        EBADSLT => "Invalid slot",
        EBFONT => "Bad font file format",
        ENOSTR => "Device not a stream",
        ENODATA => "No data available",
        ETIME => "Timer expired",
        ENOSR => "Out of streams resources",
        ENONET => "Machine is not on the network",
        ENOPKG => "Package not installed",
        EREMOTE => "Object is remote",
        ENOLINK => "Link has been severed",
        EADV => "Advertise error",
        ESRMNT => "Srmount error",
        ECOMM => "Communication error on send",
        EPROTO => "Protocol error",
        EMULTIHOP => "Multihop attempted",
        EDOTDOT => "RFS specific error",
        EBADMSG => "Bad message",
        EOVERFLOW => "Value too large for defined data type",
        ENOTUNIQ => "Name not unique on network",
        EBADFD => "File descriptor in bad state",
        EREMCHG => "Remote address changed",
        ELIBACC => "Can not access a needed shared library",
        ELIBBAD => "Accessing a corrupted shared library",
        ELIBSCN => ".lib section in a.out corrupted",
        ELIBMAX => "Attempting to link in too many shared libraries",
        ELIBEXEC => "Cannot exec a shared library directly",
        EILSEQ => "Invalid or incomplete multibyte or wide character",
        ERESTART => "Interrupted system call should be restarted",
        ESTRPIPE => "Streams pipe error",
        EUSERS => "Too many users",
        ENOTSOCK => "Socket operation on non-socket",
        EDESTADDRREQ => "Destination address required",
        EMSGSIZE => "Message too long",
        EPROTOTYPE => "Protocol wrong type for socket",
        ENOPROTOOPT => "Protocol not available",
        EPROTONOSUPPORT => "Protocol not supported",
        ESOCKTNOSUPPORT => "Socket type not supported",
        EOPNOTSUPP => "Operation not supported",
        EPFNOSUPPORT => "Protocol family not supported",
        EAFNOSUPPORT => "Address family not supported by protocol",
        EADDRINUSE => "Address already in use",
        EADDRNOTAVAIL => "Cannot assign requested address",
        ENETDOWN => "Network is down",
        ENETUNREACH => "Network is unreachable",
        ENETRESET => "Network dropped connection on reset",
        ECONNABORTED => "Software caused connection abort",
        ECONNRESET => "Connection reset by peer",
        ENOBUFS => "No buffer space available",
        EISCONN => "Transport endpoint is already connected",
        ENOTCONN => "Transport endpoint is not connected",
        ESHUTDOWN => "Cannot send after transport endpoint shutdown",
        ETOOMANYREFS => "Too many references: cannot splice",
        ETIMEDOUT => "Connection timed out",
        ECONNREFUSED => "Connection refused",
        EHOSTDOWN => "Host is down",
        EHOSTUNREACH => "No route to host",
        EALREADY => "Operation already in progress",
        EINPROGRESS => "Operation now in progress",
        ESTALE => "Stale file handle",
        EUCLEAN => "Structure needs cleaning",
        ENOTNAM => "Not a XENIX named type file",
        ENAVAIL => "No XENIX semaphores available",
        EISNAM => "Is a named type file",
        EREMOTEIO => "Remote I/O error",
        ENOMEDIUM => "No medium found",
        EMEDIUMTYPE => "Wrong medium type",
        ECANCELED => "Operation canceled",
        ENOKEY => "Required key not available",
        EKEYEXPIRED => "Key has expired",
        EKEYREVOKED => "Key has been revoked",
        EKEYREJECTED => "Key was rejected by service",
        EOWNERDEAD => "Owner died",
        ENOTRECOVERABLE => "State not recoverable",
        ERFKILL => "Operation not possible due to RF-kill",
        EHWPOISON => "Memory page has hardware error",
    }
}

impl Errno {
    /// Aliases the kernel defines with the same numbers.
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;
    /// Alias of [`Errno::EDEADLK`].
    pub const EDEADLOCK: Errno = Errno::EDEADLK;
    /// Alias of [`Errno::EOPNOTSUPP`].
    pub const ENOTSUP: Errno = Errno::EOPNOTSUPP;

    /// Wraps a raw error number (positive, as in `errno`).
    pub const fn from_raw(n: u16) -> Errno {
        Errno(n)
    }

    /// The raw error number (positive).
    pub const fn raw(self) -> u16 {
        self.0
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

/// The message alone, like `strerror`: `No such file or directory`.
impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            Some(m) => f.write_str(m),
            None => write!(f, "Unknown error {}", self.0),
        }
    }
}
