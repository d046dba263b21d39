//! Each call's arguments as strace shows them: strings and buffers quoted (read only where
//! the kernel says the memory is readable), flags by name, `struct stat64` summarised.

use super::quoting::{PATH_LIMIT, STRING_LIMIT, quote};
use crate::errno::Errno;
use crate::syscall::{self, nr};
use core::fmt::{self, Write};
use linux_raw_sys::general as g;

/// The page size: readability is per page.
const PAGE: usize = 4096;

/// The `how` of the probe: no such operation (only 0, 1 and 2 exist).
const PROBE_HOW: usize = 0x7fff_ffff;

/// Whether the page holding `addr` can be read, asked of the kernel so that a bad address
/// gives `EFAULT` instead of a SIGSEGV in the traced program.
///
/// The trace prints after the call, from the traced process itself, so it cannot read the
/// program's pointers as strace does (from outside, `process_vm_readv`). It must not simply
/// dereference them either: the kernel may have rejected a pointer (`EFAULT`), or never looked
/// at it (`write` to `/dev/null` "succeeds" without reading its buffer; `openat` checks its
/// flags and `readlink` its size before the path; `write(-1, …)` fails with `EBADF` first).
///
/// The probe is the old `sigprocmask(PROBE_HOW, p, NULL)`: the kernel copies the set at `p`
/// first (`EFAULT` if it cannot) and only then rejects the unknown `how` with `EINVAL`, so the
/// call changes nothing and `EINVAL` means "readable". Three arguments (the untraced
/// [`syscall::raw_syscall3`] suffices), no descriptor needed (a pipe probe would take fd
/// numbers the program expects), and it works under qemu-i386 too, which does not implement
/// `process_vm_readv` (`ENOSYS`) but checks the guest page the same way. The kernel reads 4
/// bytes, qemu 8: the probed 8 bytes are kept inside `addr`'s page. Any other answer (a
/// kernel without the call, a seccomp filter) counts as unreadable: the address is printed.
///
/// A page is readable or not as a whole, so one probe per page covers every byte in it.
/// (Another thread could unmap the page between probe and read; the trace does not guard
/// against that race.)
fn page_readable(addr: usize) -> bool {
    let page = addr & !(PAGE - 1);
    // (`probe` is 0 only for `addr` 0: a null set, not read, answers 0: "unreadable", right.)
    let probe = addr.min(page + (PAGE - 8));
    // SAFETY: with an unknown `how` the call only reads 4 (qemu: 8) bytes at `probe`, through
    // the kernel, which reports a bad address as EFAULT; it changes no state.
    let r = unsafe { syscall::raw_syscall3(nr::__NR_sigprocmask, PROBE_HOW, probe, 0) };
    r == Err(Errno::EINVAL)
}

/// Whether the `len` bytes at `p` can all be read, probing each page they touch.
fn readable(p: usize, len: usize) -> bool {
    if len == 0 {
        return true;
    }
    let Some(last) = p.checked_add(len - 1) else {
        return false;
    };
    let mut page = p & !(PAGE - 1);
    loop {
        if !page_readable(page.max(p)) {
            return false;
        }
        if page >= last & !(PAGE - 1) {
            return true;
        }
        page += PAGE;
    }
}

/// What the traced call's result tells about a path argument.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Path {
    /// The call succeeded: the kernel copied the whole string, up to its NUL (within
    /// `PATH_MAX`), before doing anything else. Readable without asking.
    Read,
    /// `EFAULT` from a call whose only pointer is this path: the kernel could not read it up
    /// to a NUL within `PATH_MAX` bytes, exactly when strace prints the address. Not touched.
    Fault,
    /// Any other error: the kernel may have failed before reading it (`EINVAL` for bad open
    /// flags or a `readlink` size of 0). Each page is probed before it is read.
    Unknown,
}

impl Path {
    /// The state for the only pointer argument of a call that returned `result`.
    fn of(result: Result<usize, Errno>) -> Path {
        match result {
            Ok(_) => Path::Read,
            Err(Errno::EFAULT) => Path::Fault,
            Err(_) => Path::Unknown,
        }
    }
}

/// A NUL-terminated string argument (a path), quoted as strace quotes paths: whole, up to
/// [`PATH_LIMIT`] bytes; `NULL` for a null pointer, the address if it cannot be read up to its
/// NUL or `PATH_MAX` bytes (strace reads as many).
fn cstr_arg(w: &mut impl Write, p: usize, state: Path) -> fmt::Result {
    if p == 0 {
        return w.write_str("NULL");
    }
    let len = match state {
        Path::Fault => None,
        Path::Read | Path::Unknown => cstr_len(p, PATH_LIMIT + 1, state == Path::Read),
    };
    let Some(n) = len else {
        return ptr(w, p);
    };
    // SAFETY: `cstr_len` has checked (or the kernel has shown) these `n` bytes readable.
    let bytes = unsafe { core::slice::from_raw_parts(p as *const u8, n) };
    quote(w, bytes, PATH_LIMIT)
}

/// The length of the string at `p` (up to its NUL, at most `max`), or `None` if a byte of it
/// cannot be read. `known` says the kernel has just read it all; otherwise each page is probed
/// before its first byte is read.
fn cstr_len(p: usize, max: usize, known: bool) -> Option<usize> {
    let mut n = 0;
    while n < max {
        let a = p.checked_add(n)?;
        if !known && (n == 0 || a % PAGE == 0) && !page_readable(a) {
            return None;
        }
        // SAFETY: `a` lies in the string the kernel has just copied (`known`), or in a page the
        // probe above (for this page's first byte read) has found readable.
        if unsafe { core::ptr::read_volatile(a as *const u8) } == 0 {
            break;
        }
        n += 1;
    }
    Some(n)
}

/// A buffer argument of `len` bytes, quoted as strace does (`-s 32`): the first
/// [`STRING_LIMIT`] bytes, then `...` if there are more. `NULL` for a null pointer, the address
/// if those bytes cannot all be read. Always probed: a successful call does not prove the
/// kernel read the buffer (`write` to `/dev/null` does not).
fn buf_arg(w: &mut impl Write, p: usize, len: usize) -> fmt::Result {
    if p == 0 {
        return w.write_str("NULL");
    }
    let shown = len.min(STRING_LIMIT);
    if !readable(p, shown) {
        return ptr(w, p);
    }
    // SAFETY: `readable` has just found every page of these `shown` bytes readable.
    let bytes = unsafe { core::slice::from_raw_parts(p as *const u8, shown) };
    quote(w, bytes, STRING_LIMIT)?;
    if len > shown {
        w.write_str("...")?;
    }
    Ok(())
}

/// Bit flags as `A|B|0x40`, or `zero` when none is set.
fn flags(w: &mut impl Write, mut v: u32, table: &[(u32, &str)], zero: &str) -> fmt::Result {
    if v == 0 {
        return w.write_str(zero);
    }
    let mut first = true;
    for &(bit, name) in table {
        if bit != 0 && v & bit == bit {
            if !first {
                w.write_char('|')?;
            }
            w.write_str(name)?;
            first = false;
            v &= !bit;
        }
    }
    if v != 0 {
        if !first {
            w.write_char('|')?;
        }
        write!(w, "{:#x}", v)?;
    }
    Ok(())
}

/// In strace's order (its `open_mode_flags` table): a combined flag (`O_SYNC`, `O_TMPFILE`)
/// before the bits it contains, so that it is named whole.
const OPEN_FLAGS: &[(u32, &str)] = &[
    (g::O_CREAT, "O_CREAT"),
    (g::O_EXCL, "O_EXCL"),
    (g::O_NOCTTY, "O_NOCTTY"),
    (g::O_TRUNC, "O_TRUNC"),
    (g::O_APPEND, "O_APPEND"),
    (g::O_NONBLOCK, "O_NONBLOCK"),
    (g::O_SYNC, "O_SYNC"),
    (g::__O_SYNC, "__O_SYNC"),
    (g::O_DSYNC, "O_DSYNC"),
    (g::O_DIRECT, "O_DIRECT"),
    (g::O_LARGEFILE, "O_LARGEFILE"),
    (g::O_NOFOLLOW, "O_NOFOLLOW"),
    (g::O_NOATIME, "O_NOATIME"),
    (g::O_CLOEXEC, "O_CLOEXEC"),
    (g::O_PATH, "O_PATH"),
    (g::O_TMPFILE, "O_TMPFILE"),
    (g::__O_TMPFILE, "__O_TMPFILE"),
    (g::O_DIRECTORY, "O_DIRECTORY"),
    (g::FASYNC, "FASYNC"),
];

/// Whether open flags take the mode argument: `O_CREAT`, or all of `O_TMPFILE` (which
/// includes `O_DIRECTORY`'s bit, so testing any one bit of it would catch directories).
fn open_has_mode(flags: u32) -> bool {
    flags & g::O_CREAT != 0 || flags & g::O_TMPFILE == g::O_TMPFILE
}

/// A file mode as strace prints it, C's `%#03o`: `0644`, `0600`, `000`.
fn mode(w: &mut impl Write, m: usize) -> fmt::Result {
    if m == 0 {
        w.write_str("000")
    } else {
        write!(w, "0{:02o}", m)
    }
}

/// `O_RDONLY|O_LARGEFILE`-style open flags.
fn open_flags(w: &mut impl Write, v: u32) -> fmt::Result {
    w.write_str(match v & g::O_ACCMODE {
        g::O_RDONLY => "O_RDONLY",
        g::O_WRONLY => "O_WRONLY",
        g::O_RDWR => "O_RDWR",
        _ => "O_ACCMODE",
    })?;
    if v & !g::O_ACCMODE != 0 {
        w.write_char('|')?;
        flags(w, v & !g::O_ACCMODE, OPEN_FLAGS, "")?;
    }
    Ok(())
}

const PROT: &[(u32, &str)] = &[
    (g::PROT_READ, "PROT_READ"),
    (g::PROT_WRITE, "PROT_WRITE"),
    (g::PROT_EXEC, "PROT_EXEC"),
    (g::PROT_GROWSDOWN, "PROT_GROWSDOWN"),
];

const MAP: &[(u32, &str)] = &[
    (g::MAP_SHARED, "MAP_SHARED"),
    (g::MAP_PRIVATE, "MAP_PRIVATE"),
    (g::MAP_FIXED, "MAP_FIXED"),
    (g::MAP_ANONYMOUS, "MAP_ANONYMOUS"),
    (g::MAP_GROWSDOWN, "MAP_GROWSDOWN"),
    (g::MAP_NORESERVE, "MAP_NORESERVE"),
    (g::MAP_POPULATE, "MAP_POPULATE"),
    (g::MAP_STACK, "MAP_STACK"),
    (g::MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"),
];

/// A pointer: `NULL` or hex.
fn ptr(w: &mut impl Write, p: usize) -> fmt::Result {
    if p == 0 {
        w.write_str("NULL")
    } else {
        write!(w, "{:#x}", p)
    }
}

/// C's `%#03o`, as strace prints modes: a leading 0, at least three digits (`0666`, `000`).
fn c_octal(w: &mut impl Write, v: u32) -> fmt::Result {
    if v == 0 {
        w.write_str("000")
    } else {
        write!(w, "0{:02o}", v)
    }
}

/// A `struct stat64` the way strace abbreviates it: the file type and permission bits,
/// then `st_rdev` for device files or `st_size` for the rest, then `...`:
/// `{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}`.
/// `clone`'s flag bits as strace names them, lowest first (the low byte is the exit signal).
const CLONE_FLAGS: &[(u32, &str)] = &[
    (g::CLONE_VM, "CLONE_VM"),
    (g::CLONE_FS, "CLONE_FS"),
    (g::CLONE_FILES, "CLONE_FILES"),
    (g::CLONE_SIGHAND, "CLONE_SIGHAND"),
    (g::CLONE_PIDFD, "CLONE_PIDFD"),
    (g::CLONE_PTRACE, "CLONE_PTRACE"),
    (g::CLONE_VFORK, "CLONE_VFORK"),
    (g::CLONE_PARENT, "CLONE_PARENT"),
    (g::CLONE_THREAD, "CLONE_THREAD"),
    (g::CLONE_NEWNS, "CLONE_NEWNS"),
    (g::CLONE_SYSVSEM, "CLONE_SYSVSEM"),
    (g::CLONE_SETTLS, "CLONE_SETTLS"),
    (g::CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID"),
    (g::CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID"),
    (g::CLONE_DETACHED, "CLONE_DETACHED"),
    (g::CLONE_UNTRACED, "CLONE_UNTRACED"),
    (g::CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"),
    (g::CLONE_NEWCGROUP, "CLONE_NEWCGROUP"),
    (g::CLONE_NEWUTS, "CLONE_NEWUTS"),
    (g::CLONE_NEWIPC, "CLONE_NEWIPC"),
    (g::CLONE_NEWUSER, "CLONE_NEWUSER"),
    (g::CLONE_NEWPID, "CLONE_NEWPID"),
    (g::CLONE_NEWNET, "CLONE_NEWNET"),
    (g::CLONE_IO, "CLONE_IO"),
];

/// A `struct user_desc` (the TLS segment descriptor of `set_thread_area` and `CLONE_SETTLS`)
/// as strace prints it.
fn user_desc(w: &mut impl Write, d: &g::user_desc) -> fmt::Result {
    write!(
        w,
        "{{entry_number={}, base_addr={:#x}, limit={:#08x}, seg_32bit={}, contents={}, \
         read_exec_only={}, limit_in_pages={}, seg_not_present={}, useable={}}}",
        d.entry_number as i32,
        d.base_addr,
        d.limit,
        d.seg_32bit(),
        d.contents(),
        d.read_exec_only(),
        d.limit_in_pages(),
        d.seg_not_present(),
        d.useable()
    )
}

/// What strace adds after some results: `set_thread_area` asked for slot -1 shows the slot
/// the kernel chose, ` (entry_number=N)`.
pub(super) fn result_note(
    w: &mut impl Write,
    nr: u32,
    a: &[usize],
    result: Result<usize, Errno>,
) -> fmt::Result {
    let asked_for_a_slot = a.len() == 2 && a[0] != 0 && a[1] as i32 == -1;
    if nr == nr::__NR_set_thread_area && asked_for_a_slot && result.is_ok() {
        // SAFETY: as in `args`: the kernel has just written this `user_desc`.
        let d = unsafe { (a[0] as *const g::user_desc).read_unaligned() };
        write!(w, " (entry_number={})", d.entry_number as i32)?;
    }
    Ok(())
}

/// A directory-descriptor argument and its comma: `AT_FDCWD, ` or the number.
fn dirfd(w: &mut impl Write, v: usize) -> fmt::Result {
    if v as i32 == g::AT_FDCWD {
        w.write_str("AT_FDCWD, ")
    } else {
        write!(w, "{}, ", v as i32)
    }
}

/// statx's flags as strace shows them: the sync type by name first (0 is
/// `AT_STATX_SYNC_AS_STAT`), then the `AT_*` bits.
fn statx_flags(w: &mut impl Write, v: u32) -> fmt::Result {
    w.write_str(match v & g::AT_STATX_SYNC_TYPE {
        g::AT_STATX_FORCE_SYNC => "AT_STATX_FORCE_SYNC",
        g::AT_STATX_DONT_SYNC => "AT_STATX_DONT_SYNC",
        _ => "AT_STATX_SYNC_AS_STAT",
    })?;
    let rest = v & !g::AT_STATX_SYNC_TYPE;
    if rest != 0 {
        w.write_str("|")?;
        flags(w, rest, AT_FLAGS, "0")?;
    }
    Ok(())
}

const AT_FLAGS: &[(u32, &str)] = &[
    (g::AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"),
    (g::AT_REMOVEDIR, "AT_REMOVEDIR"),
    (g::AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW"),
    (g::AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT"),
    (g::AT_EMPTY_PATH, "AT_EMPTY_PATH"),
    (g::AT_RECURSIVE, "AT_RECURSIVE"),
];

/// strace's names for a statx mask: `STATX_ALL` when all of its bits are there, else
/// `STATX_BASIC_STATS` when those are, else the single bits; then the newer ones.
fn statx_mask_table(v: u32) -> [(u32, &'static str); 18] {
    let group = if v & g::STATX_ALL == g::STATX_ALL {
        (g::STATX_ALL, "STATX_ALL")
    } else {
        (g::STATX_BASIC_STATS, "STATX_BASIC_STATS")
    };
    [
        group,
        (g::STATX_TYPE, "STATX_TYPE"),
        (g::STATX_MODE, "STATX_MODE"),
        (g::STATX_NLINK, "STATX_NLINK"),
        (g::STATX_UID, "STATX_UID"),
        (g::STATX_GID, "STATX_GID"),
        (g::STATX_ATIME, "STATX_ATIME"),
        (g::STATX_MTIME, "STATX_MTIME"),
        (g::STATX_CTIME, "STATX_CTIME"),
        (g::STATX_INO, "STATX_INO"),
        (g::STATX_SIZE, "STATX_SIZE"),
        (g::STATX_BLOCKS, "STATX_BLOCKS"),
        (g::STATX_BTIME, "STATX_BTIME"),
        (g::STATX_MNT_ID, "STATX_MNT_ID"),
        (g::STATX_DIOALIGN, "STATX_DIOALIGN"),
        (g::STATX_MNT_ID_UNIQUE, "STATX_MNT_ID_UNIQUE"),
        (g::STATX_SUBVOL, "STATX_SUBVOL"),
        (g::STATX_WRITE_ATOMIC, "STATX_WRITE_ATOMIC"),
    ]
}

const STATX_ATTRS: &[(u32, &str)] = &[
    (g::STATX_ATTR_COMPRESSED, "STATX_ATTR_COMPRESSED"),
    (g::STATX_ATTR_IMMUTABLE, "STATX_ATTR_IMMUTABLE"),
    (g::STATX_ATTR_APPEND, "STATX_ATTR_APPEND"),
    (g::STATX_ATTR_NODUMP, "STATX_ATTR_NODUMP"),
    (g::STATX_ATTR_ENCRYPTED, "STATX_ATTR_ENCRYPTED"),
    (g::STATX_ATTR_AUTOMOUNT, "STATX_ATTR_AUTOMOUNT"),
    (g::STATX_ATTR_MOUNT_ROOT, "STATX_ATTR_MOUNT_ROOT"),
    (g::STATX_ATTR_VERITY, "STATX_ATTR_VERITY"),
    (g::STATX_ATTR_DAX, "STATX_ATTR_DAX"),
];

/// A `struct statx` as strace abbreviates it: the mask, the attributes, the mode and the
/// size (for devices too, unlike `stat64`'s `st_rdev`).
fn statx_summary(w: &mut impl Write, st: &g::statx) -> fmt::Result {
    w.write_str("{stx_mask=")?;
    flags(w, st.stx_mask, &statx_mask_table(st.stx_mask), "0")?;
    w.write_str(", stx_attributes=")?;
    flags(w, st.stx_attributes as u32, STATX_ATTRS, "0")?;
    w.write_str(", stx_mode=")?;
    file_mode(w, st.stx_mode as u32)?;
    write!(w, ", stx_size={}, ...}}", st.stx_size)
}

/// A mode as strace shows it: the type by name, the set-id and sticky bits by name, then
/// the permission bits in octal (`S_IFDIR|S_ISVTX|0777`).
fn file_mode(w: &mut impl Write, mode: u32) -> fmt::Result {
    const TYPES: [(u32, &str); 7] = [
        (g::S_IFREG, "S_IFREG"),
        (g::S_IFDIR, "S_IFDIR"),
        (g::S_IFCHR, "S_IFCHR"),
        (g::S_IFBLK, "S_IFBLK"),
        (g::S_IFIFO, "S_IFIFO"),
        (g::S_IFLNK, "S_IFLNK"),
        (g::S_IFSOCK, "S_IFSOCK"),
    ];
    let kind = mode & g::S_IFMT;
    match TYPES.iter().find(|(t, _)| *t == kind) {
        Some((_, name)) => write!(w, "{}|", name)?,
        None => {
            c_octal(w, kind)?;
            w.write_str("|")?
        }
    }
    for (bit, name) in [
        (g::S_ISUID, "S_ISUID"),
        (g::S_ISGID, "S_ISGID"),
        (g::S_ISVTX, "S_ISVTX"),
    ] {
        if mode & bit != 0 {
            write!(w, "{}|", name)?;
        }
    }
    c_octal(w, mode & 0o7777 & !(g::S_ISUID | g::S_ISGID | g::S_ISVTX))
}

fn stat_summary(w: &mut impl Write, st: &g::stat64) -> fmt::Result {
    let kind = st.st_mode & g::S_IFMT;
    w.write_str("{st_mode=")?;
    file_mode(w, st.st_mode)?;
    if kind == g::S_IFCHR || kind == g::S_IFBLK {
        // The kernel's `new_encode_dev`: minor in bits 0-7 and 20-31, major in 8-19.
        let (major, minor) = (crate::fs::major(st.st_rdev), crate::fs::minor(st.st_rdev));
        write!(w, ", st_rdev=makedev({:#x}, {:#x})", major, minor)?;
    } else {
        write!(w, ", st_size={}", st.st_size)?;
    }
    w.write_str(", ...}")
}

/// Decodes the arguments of the calls strace users see most; everything else in hex.
///
/// Only paths and buffers are read from memory (structs such as `stat`, `timespec` or
/// `sigaction`, and `execve`'s argv, are shown as addresses), and only as `cstr_arg` and
/// `buf_arg` allow: never a pointer the kernel reported bad, nothing unprobed that the kernel
/// did not just read itself. All of it happens after the call (a successful `execve` is never
/// printed), so the memory is seen as the kernel left it.
pub(super) fn args(
    w: &mut impl Write,
    nr: u32,
    a: &[usize],
    result: Result<usize, Errno>,
) -> fmt::Result {
    let fd = |i: usize| a[i] as i32;
    // The calls below with one path and no other pointer.
    let path = Path::of(result);
    match (nr, a.len()) {
        (nr::__NR_write, 3) => {
            write!(w, "{}, ", fd(0))?;
            buf_arg(w, a[1], a[2])?;
            write!(w, ", {}", a[2])
        }
        (nr::__NR_read, 3) => {
            write!(w, "{}, ", fd(0))?;
            match result {
                Ok(n) => buf_arg(w, a[1], n)?,
                Err(_) => ptr(w, a[1])?,
            }
            write!(w, ", {}", a[2])
        }
        (nr::__NR_open, 2 | 3) => {
            cstr_arg(w, a[0], path)?;
            w.write_str(", ")?;
            open_flags(w, a[1] as u32)?;
            if a.len() == 3 && open_has_mode(a[1] as u32) {
                w.write_str(", ")?;
                mode(w, a[2])?;
            }
            Ok(())
        }
        (nr::__NR_openat, 3 | 4) => {
            if a[0] as i32 == g::AT_FDCWD {
                w.write_str("AT_FDCWD, ")?;
            } else {
                write!(w, "{}, ", fd(0))?;
            }
            cstr_arg(w, a[1], path)?;
            w.write_str(", ")?;
            open_flags(w, a[2] as u32)?;
            if a.len() == 4 && open_has_mode(a[2] as u32) {
                w.write_str(", ")?;
                mode(w, a[3])?;
            }
            Ok(())
        }
        (nr::__NR_unlink | nr::__NR_chdir | nr::__NR_rmdir, 1) => cstr_arg(w, a[0], path),
        (nr::__NR_readlink, 3) => {
            // Two pointers: an EFAULT may be the buffer's, so the path is probed then.
            let state = if result.is_ok() {
                Path::Read
            } else {
                Path::Unknown
            };
            cstr_arg(w, a[0], state)?;
            w.write_str(", ")?;
            match result {
                Ok(n) => buf_arg(w, a[1], n)?,
                Err(_) => ptr(w, a[1])?,
            }
            write!(w, ", {}", a[2])
        }
        (nr::__NR_fstat64, 2) => {
            write!(w, "{}, ", fd(0))?;
            match result {
                Ok(_) if a[1] != 0 => {
                    // SAFETY: the call succeeded, so the kernel has just written a whole
                    // `struct stat64` at `a[1]`: it is mapped and writable. Read unaligned,
                    // as the caller chose the address.
                    let st = unsafe { (a[1] as *const g::stat64).read_unaligned() };
                    stat_summary(w, &st)
                }
                _ => ptr(w, a[1]),
            }
        }
        (nr::__NR_statx, 5) => {
            dirfd(w, a[0])?;
            cstr_arg(w, a[1], path)?;
            w.write_str(", ")?;
            statx_flags(w, a[2] as u32)?;
            w.write_str(", ")?;
            flags(w, a[3] as u32, &statx_mask_table(a[3] as u32), "0")?;
            w.write_str(", ")?;
            match result {
                Ok(_) if a[4] != 0 => {
                    // SAFETY: the call succeeded, so the kernel has just written a whole
                    // `struct statx` at `a[4]`: it is mapped and writable. Read unaligned,
                    // as the caller chose the address.
                    let st = unsafe { (a[4] as *const g::statx).read_unaligned() };
                    statx_summary(w, &st)
                }
                _ => ptr(w, a[4]),
            }
        }
        (nr::__NR_clone, 5) => {
            // i386's order (CLONE_BACKWARDS): flags, stack, parent_tid, tls, child_tid.
            let f = a[0] as u32;
            write!(w, "child_stack={:#x}, flags=", a[1])?;
            flags(w, f & !0xff, CLONE_FLAGS, "0")?;
            if let Some(s) = crate::signal::Signal::from_raw((f & 0xff) as i32) {
                write!(w, "|{}", s.name().unwrap_or("SIG?"))?;
            }
            if f & g::CLONE_PARENT_SETTID != 0 {
                match result {
                    // The kernel wrote the new tid there (read from the result: the word
                    // is also the child's clear-tid word, which it may have zeroed by now).
                    Ok(tid) => write!(w, ", parent_tid=[{}]", tid)?,
                    Err(_) => {
                        w.write_str(", parent_tid=")?;
                        ptr(w, a[2])?
                    }
                }
            }
            if f & g::CLONE_SETTLS != 0 && a[3] != 0 {
                w.write_str(", tls=")?;
                // SAFETY: the runtime's own clone call passes its live `user_desc` (the
                // kernel has just read it): mapped and readable.
                user_desc(w, &unsafe {
                    (a[3] as *const g::user_desc).read_unaligned()
                })?;
            }
            if f & (g::CLONE_CHILD_SETTID | g::CLONE_CHILD_CLEARTID) != 0 {
                write!(w, ", child_tidptr={:#x}", a[4])?;
            }
            Ok(())
        }
        // The raw layer passes the entry number asked for as a second word (the kernel
        // overwrites a -1 with its choice, which `result_note` shows after the result).
        (nr::__NR_set_thread_area, 2) => match result {
            Ok(_) if a[0] != 0 => {
                // SAFETY: the call succeeded, so the kernel has just read and written one
                // `struct user_desc` at `a[0]`: mapped and writable.
                let mut d = unsafe { (a[0] as *const g::user_desc).read_unaligned() };
                d.entry_number = a[1] as u32;
                user_desc(w, &d)
            }
            _ => ptr(w, a[0]),
        },
        (nr::__NR_close | nr::__NR_exit | nr::__NR_exit_group, 1) => write!(w, "{}", fd(0)),
        (nr::__NR_dup2, 2) => write!(w, "{}, {}", fd(0), fd(1)),
        (nr::__NR_brk, 1) => ptr(w, a[0]),
        (nr::__NR_munmap, 2) => {
            ptr(w, a[0])?;
            write!(w, ", {}", a[1])
        }
        (nr::__NR_mmap2, 6) => {
            ptr(w, a[0])?;
            write!(w, ", {}, ", a[1])?;
            flags(w, a[2] as u32, PROT, "PROT_NONE")?;
            w.write_str(", ")?;
            flags(w, a[3] as u32, MAP, "0")?;
            write!(w, ", {}, {}", fd(4), a[5])
        }
        (nr::__NR_kill, 2) => write!(w, "{}, {}", fd(0), fd(1)),
        (nr::__NR_wait4, 4) => {
            write!(w, "{}, ", fd(0))?;
            ptr(w, a[1])?;
            write!(w, ", {}, ", a[2])?;
            ptr(w, a[3])
        }
        (nr::__NR_ioctl, 3) => {
            write!(w, "{}, ", fd(0))?;
            if a[1] as u32 == linux_raw_sys::ioctl::TCGETS {
                w.write_str("TCGETS")?;
            } else {
                write!(w, "{:#x}", a[1])?;
            }
            w.write_str(", ")?;
            ptr(w, a[2])
        }
        // Calls without arguments, however many words the caller passed (C's lg_syscall
        // always passes six).
        (
            nr::__NR_getpid
            | nr::__NR_getppid
            | nr::__NR_gettid
            | nr::__NR_getuid32
            | nr::__NR_geteuid32
            | nr::__NR_getgid32
            | nr::__NR_getegid32
            | nr::__NR_fork
            | nr::__NR_vfork
            | nr::__NR_sched_yield
            | nr::__NR_pause
            | nr::__NR_setsid
            | nr::__NR_getpgrp,
            _,
        ) => Ok(()),
        _ => {
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    w.write_str(", ")?;
                }
                write!(w, "{:#x}", v)?;
            }
            Ok(())
        }
    }
}
