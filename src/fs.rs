//! Files and paths: [`File`] and the `open` family, metadata with 64-bit sizes and times,
//! permissions and owners, links, renames, directories, FIFOs. Directory listing is in
//! [`crate::dir`]; the working directory in [`crate::process`].
//!
//! Paths are `&CStr` (`c"/etc/passwd"`): exactly the bytes the kernel gets, no hidden
//! allocation, and no way to pass a path with a NUL inside it.
//!
//! # i386 and 64-bit files
//!
//! On i386 a plain `off_t` is 32 bits and `struct stat`'s times are 32-bit seconds. So:
//! `O_LARGEFILE` on every open; `_llseek`, `pread64`, `ftruncate64` and `truncate64` (the
//! offset in two registers, see `src/raw/`); metadata from `statx` (64-bit sizes,
//! inodes and seconds), with `fstatat64` where the kernel predates `statx` (Linux 4.11) —
//! whose 32-bit seconds are then sign-extended, as glibc does.

use crate::errno::Errno;
use crate::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd, owned_result};
use crate::id::{Gid, Uid};
use crate::io::SeekFrom;
use crate::raw;
use crate::time::Timespec;
use alloc::vec::Vec;
use core::ffi::CStr;
use core::mem::MaybeUninit;
use linux_raw_sys::general as g;

/// The working directory as a directory descriptor (`AT_FDCWD`), for the `*at` calls.
pub const CWD: BorrowedFd<'static> = {
    // SAFETY: AT_FDCWD is not a descriptor but a number every `*at` call understands as
    // "the working directory"; it can never be closed or reused.
    unsafe { BorrowedFd::borrow_raw(g::AT_FDCWD) }
};

bitflags::bitflags! {
    /// `open` flags. The access mode is one of [`RDONLY`](Self::RDONLY) (0),
    /// [`WRONLY`](Self::WRONLY) or [`RDWR`](Self::RDWR).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct OFlags: u32 {
        /// Read only (0: the absence of the two below).
        const RDONLY = g::O_RDONLY;
        /// Write only.
        const WRONLY = g::O_WRONLY;
        /// Read and write.
        const RDWR = g::O_RDWR;
        /// Create the file if it does not exist (needs a mode).
        const CREATE = g::O_CREAT;
        /// With `CREATE`: fail with `EEXIST` if it exists.
        const EXCL = g::O_EXCL;
        /// Do not become the controlling terminal.
        const NOCTTY = g::O_NOCTTY;
        /// Truncate to 0 bytes.
        const TRUNC = g::O_TRUNC;
        /// Every write goes to the end.
        const APPEND = g::O_APPEND;
        /// Non-blocking I/O.
        const NONBLOCK = g::O_NONBLOCK;
        /// Writes wait for the data to reach the device.
        const DSYNC = g::O_DSYNC;
        /// Writes wait for data and metadata.
        const SYNC = g::O_SYNC;
        /// Bypass the page cache.
        const DIRECT = g::O_DIRECT;
        /// 64-bit offsets (always added by this module).
        const LARGEFILE = g::O_LARGEFILE;
        /// Fail unless it is a directory.
        const DIRECTORY = g::O_DIRECTORY;
        /// Fail if the last component is a symbolic link.
        const NOFOLLOW = g::O_NOFOLLOW;
        /// Do not update the access time.
        const NOATIME = g::O_NOATIME;
        /// Close on `execve`.
        const CLOEXEC = g::O_CLOEXEC;
        /// A descriptor for the path only (no reading or writing).
        const PATH = g::O_PATH;
        /// An unnamed file in the directory given (with `WRONLY` or `RDWR`).
        const TMPFILE = g::O_TMPFILE;
    }
}

bitflags::bitflags! {
    /// Permission bits, and the set-id and sticky bits (`0o7777`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Mode: u32 {
        /// Set-user-id on execution.
        const SUID = g::S_ISUID;
        /// Set-group-id on execution.
        const SGID = g::S_ISGID;
        /// Sticky (a directory: only owners may delete).
        const SVTX = g::S_ISVTX;
        /// Owner: read, write, execute.
        const RWXU = g::S_IRWXU;
        /// Owner read.
        const RUSR = g::S_IRUSR;
        /// Owner write.
        const WUSR = g::S_IWUSR;
        /// Owner execute.
        const XUSR = g::S_IXUSR;
        /// Group: read, write, execute.
        const RWXG = g::S_IRWXG;
        /// Group read.
        const RGRP = g::S_IRGRP;
        /// Group write.
        const WGRP = g::S_IWGRP;
        /// Group execute.
        const XGRP = g::S_IXGRP;
        /// Others: read, write, execute.
        const RWXO = g::S_IRWXO;
        /// Others read.
        const ROTH = g::S_IROTH;
        /// Others write.
        const WOTH = g::S_IWOTH;
        /// Others execute.
        const XOTH = g::S_IXOTH;
    }
}

impl Mode {
    /// From the octal number a shell would use (`Mode::from_octal(0o644)`); bits outside
    /// `0o7777` (the file type) are dropped.
    pub const fn from_octal(mode: u32) -> Mode {
        Mode::from_bits_truncate(mode)
    }
}

bitflags::bitflags! {
    /// Flags of the `*at` calls.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct AtFlags: u32 {
        /// Do not follow a symbolic link in the last component.
        const SYMLINK_NOFOLLOW = g::AT_SYMLINK_NOFOLLOW;
        /// `linkat`: follow a symbolic link in the old path.
        const SYMLINK_FOLLOW = g::AT_SYMLINK_FOLLOW;
        /// An empty path means the directory descriptor itself.
        const EMPTY_PATH = g::AT_EMPTY_PATH;
        /// Do not trigger an automount.
        const NO_AUTOMOUNT = g::AT_NO_AUTOMOUNT;
        /// `unlinkat`: remove a directory, as `rmdir`.
        const REMOVEDIR = g::AT_REMOVEDIR;
        /// `faccessat`: check with the effective ids, not the real ones.
        const EACCESS = g::AT_EACCESS;
    }
}

bitflags::bitflags! {
    /// What [`access`] checks for. The empty set checks that the file exists.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Access: u32 {
        /// `R_OK`.
        const READ = 4;
        /// `W_OK`.
        const WRITE = 2;
        /// `X_OK`.
        const EXEC = 1;
    }
}

bitflags::bitflags! {
    /// [`renameat2`]'s flags.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct RenameFlags: u32 {
        /// Fail with `EEXIST` instead of replacing the target.
        const NOREPLACE = g::RENAME_NOREPLACE;
        /// Swap the two names atomically.
        const EXCHANGE = g::RENAME_EXCHANGE;
        /// Leave an overlayfs whiteout at the source.
        const WHITEOUT = g::RENAME_WHITEOUT;
    }
}

bitflags::bitflags! {
    /// [`memfd_create`]'s flags.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct MemfdFlags: u32 {
        /// Close on `execve`.
        const CLOEXEC = g::MFD_CLOEXEC;
        /// Allow `F_ADD_SEALS`.
        const ALLOW_SEALING = g::MFD_ALLOW_SEALING;
    }
}

/// The kind of a file, from the `S_IFMT` bits of its mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileType {
    /// A regular file.
    RegularFile,
    /// A directory.
    Directory,
    /// A symbolic link.
    Symlink,
    /// A named pipe.
    Fifo,
    /// A Unix-domain socket.
    Socket,
    /// A character device.
    CharacterDevice,
    /// A block device.
    BlockDevice,
    /// Anything else (not produced by Linux).
    Unknown,
}

impl FileType {
    /// From a mode's `S_IFMT` bits.
    pub const fn from_mode(mode: u32) -> FileType {
        match mode & g::S_IFMT {
            g::S_IFREG => FileType::RegularFile,
            g::S_IFDIR => FileType::Directory,
            g::S_IFLNK => FileType::Symlink,
            g::S_IFIFO => FileType::Fifo,
            g::S_IFSOCK => FileType::Socket,
            g::S_IFCHR => FileType::CharacterDevice,
            g::S_IFBLK => FileType::BlockDevice,
            _ => FileType::Unknown,
        }
    }
}

/// What `stat` tells about a file.
///
/// Every stat call here fills it the same way (from `statx`, or `fstatat64` on old
/// kernels), so results compare: the same `dev` and `ino` are the same file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metadata {
    /// Device holding the file, encoded as glibc's `st_dev` is: [`makedev`]`(major, minor)`.
    pub dev: u64,
    /// Inode number (the 64-bit one).
    pub ino: u64,
    /// Type and permission bits (`S_IFMT` | `0o7777`); see [`file_type`](Self::file_type)
    /// and [`permissions`](Self::permissions).
    pub mode: u32,
    /// Number of hard links.
    pub nlink: u32,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
    /// Preferred I/O block size.
    pub blksize: u32,
    /// 512-byte blocks allocated.
    pub blocks: u64,
    /// The device a character or block device file stands for ([`makedev`] encoding, as
    /// glibc's `st_rdev`); 0 for other files.
    pub rdev: u64,
    /// Last access (64-bit seconds).
    pub atime: Timespec,
    /// Last modification of the contents.
    pub mtime: Timespec,
    /// Last change of the inode (contents, owner, mode, links).
    pub ctime: Timespec,
}

/// glibc's `makedev`: a device number from its major and minor numbers, the encoding of
/// glibc's `st_dev` and `st_rdev`. Minor bits 0–7 go to bits 0–7 and the rest from bit 20,
/// major bits 0–11 to bits 8–19 and the rest from bit 44. For major < 4096 (all the kernel
/// has) this is the kernel's own `new_encode_dev`, which `fstat64` returns.
pub const fn makedev(major: u32, minor: u32) -> u64 {
    let (major, minor) = (major as u64, minor as u64);
    (major & 0xfff) << 8 | (major & !0xfff) << 32 | (minor & 0xff) | (minor & !0xff) << 12
}

/// glibc's `major`: the major number in a [`makedev`] device number.
pub const fn major(dev: u64) -> u32 {
    (((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff)) as u32
}

/// glibc's `minor`: the minor number in a [`makedev`] device number.
pub const fn minor(dev: u64) -> u32 {
    ((dev & 0xff) | ((dev >> 12) & !0xff)) as u32
}

impl Metadata {
    /// The kind of file.
    pub fn file_type(&self) -> FileType {
        FileType::from_mode(self.mode)
    }

    /// A directory.
    pub fn is_dir(&self) -> bool {
        self.file_type() == FileType::Directory
    }

    /// A regular file.
    pub fn is_file(&self) -> bool {
        self.file_type() == FileType::RegularFile
    }

    /// A symbolic link (only [`lstat`] and `SYMLINK_NOFOLLOW` see one).
    pub fn is_symlink(&self) -> bool {
        self.file_type() == FileType::Symlink
    }

    /// The permission, set-id and sticky bits.
    pub fn permissions(&self) -> Mode {
        Mode::from_bits_truncate(self.mode)
    }

    fn from_statx(st: &g::statx) -> Metadata {
        let t = |ts: &g::statx_timestamp| Timespec {
            sec: ts.tv_sec,
            nsec: ts.tv_nsec,
        };
        Metadata {
            // As glibc's stat does from statx (the same numbers fstat64 gives).
            dev: makedev(st.stx_dev_major, st.stx_dev_minor),
            ino: st.stx_ino,
            mode: st.stx_mode as u32,
            nlink: st.stx_nlink,
            uid: st.stx_uid,
            gid: st.stx_gid,
            size: st.stx_size,
            blksize: st.stx_blksize,
            blocks: st.stx_blocks,
            rdev: makedev(st.stx_rdev_major, st.stx_rdev_minor),
            atime: t(&st.stx_atime),
            mtime: t(&st.stx_mtime),
            ctime: t(&st.stx_ctime),
        }
    }

    fn from_stat64(st: &g::stat64) -> Metadata {
        // The seconds are 32 bits here; glibc sign-extends them (1901..2038).
        let t = |sec: u32, nsec: u32| Timespec {
            sec: sec as i32 as i64,
            nsec,
        };
        Metadata {
            dev: st.st_dev,
            ino: st.st_ino,
            mode: st.st_mode,
            nlink: st.st_nlink,
            uid: st.st_uid,
            gid: st.st_gid,
            size: st.st_size as u64,
            blksize: st.st_blksize,
            blocks: st.st_blocks,
            rdev: st.st_rdev,
            atime: t(st.st_atime, st.st_atime_nsec),
            mtime: t(st.st_mtime, st.st_mtime_nsec),
            ctime: t(st.st_ctime, st.st_ctime_nsec),
        }
    }
}

/// An open file, closed when dropped.
#[derive(Debug)]
pub struct File {
    fd: OwnedFd,
}

impl File {
    /// `open(path, flags, mode)`; `O_LARGEFILE` is always added (64-bit offsets on i386).
    /// `mode` matters only with [`OFlags::CREATE`] or [`OFlags::TMPFILE`].
    pub fn open(path: &CStr, flags: OFlags, mode: Mode) -> Result<File, Errno> {
        openat(CWD, path, flags, mode).map(File::from)
    }

    /// `openat(dir, path, flags, mode)`: `path` relative to the directory open as `dir`
    /// (or to the working directory for [`CWD`]).
    pub fn openat(dir: impl AsFd, path: &CStr, flags: OFlags, mode: Mode) -> Result<File, Errno> {
        openat(dir, path, flags, mode).map(File::from)
    }

    /// Opens `path` read-only (close-on-exec).
    pub fn open_read(path: &CStr) -> Result<File, Errno> {
        File::open(path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
    }

    /// Creates (or truncates) `path` for writing, with permissions `mode` (before umask).
    pub fn create(path: &CStr, mode: Mode) -> Result<File, Errno> {
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        File::open(path, flags, mode)
    }

    /// `read(2)`.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        crate::io::read(self, buf)
    }

    /// `write(2)`: may write fewer bytes than given.
    pub fn write(&self, buf: &[u8]) -> Result<usize, Errno> {
        crate::io::write(self, buf)
    }

    /// Writes all of `buf` (retrying partial writes and `EINTR`).
    pub fn write_all(&self, buf: &[u8]) -> Result<(), Errno> {
        crate::io::write_all(self, buf)
    }

    /// Reads until end of file, appending to `out` (retrying `EINTR`).
    pub fn read_to_end(&self, out: &mut Vec<u8>) -> Result<usize, Errno> {
        crate::io::read_to_end(self, out)
    }

    /// Moves the file position; returns the new one.
    pub fn seek(&self, pos: SeekFrom) -> Result<u64, Errno> {
        crate::io::seek(self, pos)
    }

    /// `fstat` of this file.
    pub fn metadata(&self) -> Result<Metadata, Errno> {
        fstat(self)
    }

    /// `ftruncate64`: makes the file `len` bytes long.
    pub fn set_len(&self, len: u64) -> Result<(), Errno> {
        ftruncate(self, len)
    }

    /// `fsync`: data and metadata reach the device.
    pub fn sync_all(&self) -> Result<(), Errno> {
        fsync(self)
    }

    /// `fchmod`.
    pub fn set_permissions(&self, mode: Mode) -> Result<(), Errno> {
        fchmod(self, mode)
    }
}

impl From<OwnedFd> for File {
    fn from(fd: OwnedFd) -> File {
        File { fd }
    }
}
impl From<File> for OwnedFd {
    fn from(f: File) -> OwnedFd {
        f.fd
    }
}
impl AsFd for File {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}
impl AsRawFd for File {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}
impl IntoRawFd for File {
    fn into_raw_fd(self) -> RawFd {
        self.fd.into_raw_fd()
    }
}
impl FromRawFd for File {
    unsafe fn from_raw_fd(fd: RawFd) -> File {
        // SAFETY: the caller's contract (open, and ownership handed over).
        File::from(unsafe { OwnedFd::from_raw_fd(fd) })
    }
}

fn unit(r: Result<usize, Errno>) -> Result<(), Errno> {
    r.map(|_| ())
}

fn raw_of(fd: &impl AsFd) -> RawFd {
    fd.as_fd().as_raw_fd()
}

/// `openat(2)`, returning the new descriptor. `O_LARGEFILE` is always added.
pub fn openat(dir: impl AsFd, path: &CStr, flags: OFlags, mode: Mode) -> Result<OwnedFd, Errno> {
    let flags = (flags | OFlags::LARGEFILE).bits();
    // SAFETY: `path` is NUL-terminated; the kernel only reads it.
    owned_result(unsafe { raw::fs::openat(raw_of(&dir), path.as_ptr(), flags, mode.bits()) })
}

/// `open(2)`: [`openat`] relative to the working directory.
pub fn open(path: &CStr, flags: OFlags, mode: Mode) -> Result<OwnedFd, Errno> {
    openat(CWD, path, flags, mode)
}

/// `creat(2)`: `open(path, WRONLY | CREATE | TRUNC, mode)`.
pub fn creat(path: &CStr, mode: Mode) -> Result<OwnedFd, Errno> {
    open(path, OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC, mode)
}

/// `statx` of `dir`/`path` with `flags`, into [`Metadata`]; `fstatat64` on kernels without
/// `statx` (`ENOSYS`).
pub fn statat(dir: impl AsFd, path: &CStr, flags: AtFlags) -> Result<Metadata, Errno> {
    let (dir, flags) = (raw_of(&dir), flags.bits());
    let mut st = MaybeUninit::<g::statx>::uninit();
    let mask = g::STATX_BASIC_STATS;
    // SAFETY: `path` is NUL-terminated; statx fills a `struct statx`, which `st` has room for.
    match unsafe { raw::fs::statx(dir, path.as_ptr(), flags, mask, st.as_mut_ptr()) } {
        // SAFETY: the call succeeded, so the kernel wrote the struct.
        Ok(_) => return Ok(Metadata::from_statx(unsafe { st.assume_init_ref() })),
        Err(Errno::ENOSYS) => {}
        Err(e) => return Err(e),
    }
    let mut st = MaybeUninit::<g::stat64>::uninit();
    // SAFETY: fstatat64 fills a `struct stat64`, which `st` has room for.
    unsafe { raw::fs::fstatat(dir, path.as_ptr(), st.as_mut_ptr(), flags) }?;
    // SAFETY: the call succeeded, so the kernel wrote the struct.
    Ok(Metadata::from_stat64(unsafe { st.assume_init_ref() }))
}

/// `fstatat(dir, path, flags)` (an alias of [`statat`], under the C name).
pub fn fstatat(dir: impl AsFd, path: &CStr, flags: AtFlags) -> Result<Metadata, Errno> {
    statat(dir, path, flags)
}

/// `fstat` of an open descriptor.
pub fn fstat(fd: impl AsFd) -> Result<Metadata, Errno> {
    statat(fd, c"", AtFlags::EMPTY_PATH)
}

/// `stat` of a path, following symbolic links.
pub fn stat(path: &CStr) -> Result<Metadata, Errno> {
    statat(CWD, path, AtFlags::empty())
}

/// `stat` of a path, following symbolic links (std's name for [`stat`]).
pub fn metadata(path: &CStr) -> Result<Metadata, Errno> {
    stat(path)
}

/// `lstat`: a symbolic link itself, not what it points to.
pub fn lstat(path: &CStr) -> Result<Metadata, Errno> {
    statat(CWD, path, AtFlags::SYMLINK_NOFOLLOW)
}

/// The raw `statx(dirfd, path, flags, STATX_BASIC_STATS)`, every field of the kernel's
/// struct. Pass [`AtFlags::EMPTY_PATH`] and `c""` to stat `dir` itself.
pub fn statx(dir: impl AsFd, path: &CStr, flags: AtFlags) -> Result<g::statx, Errno> {
    let mut st = MaybeUninit::<g::statx>::uninit();
    let (dir, mask) = (raw_of(&dir), g::STATX_BASIC_STATS);
    // SAFETY: `path` is NUL-terminated; statx fills a `struct statx`, which `st` has room for.
    unsafe { raw::fs::statx(dir, path.as_ptr(), flags.bits(), mask, st.as_mut_ptr()) }?;
    // SAFETY: the call succeeded, so the kernel wrote the struct.
    Ok(unsafe { st.assume_init() })
}

/// `faccessat2(dir, path, access, flags)`; with no flags, the plain `faccessat` (which
/// every kernel has; `faccessat2` is Linux 5.8). With flags on a kernel without
/// `faccessat2`, `ENOSYS`.
pub fn accessat(dir: impl AsFd, path: &CStr, access: Access, flags: AtFlags) -> Result<(), Errno> {
    let (dir, p, a) = (raw_of(&dir), path.as_ptr(), access.bits());
    if flags.is_empty() {
        // SAFETY: `path` is NUL-terminated.
        unit(unsafe { raw::fs::faccessat(dir, p, a) })
    } else {
        // SAFETY: as above.
        unit(unsafe { raw::fs::faccessat2(dir, p, a, flags.bits()) })
    }
}

/// `access(path, mode)`: checks with the real user and group ids, as the kernel's `access`.
pub fn access(path: &CStr, access: Access) -> Result<(), Errno> {
    accessat(CWD, path, access, AtFlags::empty())
}

/// `fchmodat(dir, path, mode)`.
pub fn chmodat(dir: impl AsFd, path: &CStr, mode: Mode) -> Result<(), Errno> {
    // SAFETY: `path` is NUL-terminated.
    unit(unsafe { raw::fs::fchmodat(raw_of(&dir), path.as_ptr(), mode.bits()) })
}

/// `chmod(path, mode)`.
pub fn chmod(path: &CStr, mode: Mode) -> Result<(), Errno> {
    chmodat(CWD, path, mode)
}

/// `fchmod(fd, mode)`.
pub fn fchmod(fd: impl AsFd, mode: Mode) -> Result<(), Errno> {
    // SAFETY: takes numbers.
    unit(unsafe { raw::fs::fchmod(raw_of(&fd), mode.bits()) })
}

/// The kernel's "leave unchanged" for an id argument.
const NO_CHANGE: u32 = u32::MAX;

/// `fchownat(dir, path, owner, group, flags)`; `None` leaves that id as it is.
pub fn chownat(
    dir: impl AsFd,
    path: &CStr,
    owner: Option<Uid>,
    group: Option<Gid>,
    flags: AtFlags,
) -> Result<(), Errno> {
    let (u, g) = (
        owner.map_or(NO_CHANGE, Uid::as_raw),
        group.map_or(NO_CHANGE, Gid::as_raw),
    );
    // SAFETY: `path` is NUL-terminated.
    unit(unsafe { raw::fs::fchownat(raw_of(&dir), path.as_ptr(), u, g, flags.bits()) })
}

/// `chown(path, owner, group)`, following symbolic links.
pub fn chown(path: &CStr, owner: Option<Uid>, group: Option<Gid>) -> Result<(), Errno> {
    chownat(CWD, path, owner, group, AtFlags::empty())
}

/// `lchown(path, owner, group)`: a symbolic link itself.
pub fn lchown(path: &CStr, owner: Option<Uid>, group: Option<Gid>) -> Result<(), Errno> {
    chownat(CWD, path, owner, group, AtFlags::SYMLINK_NOFOLLOW)
}

/// `fchown32(fd, owner, group)`.
pub fn fchown(fd: impl AsFd, owner: Option<Uid>, group: Option<Gid>) -> Result<(), Errno> {
    let (u, g) = (
        owner.map_or(NO_CHANGE, Uid::as_raw),
        group.map_or(NO_CHANGE, Gid::as_raw),
    );
    // SAFETY: takes numbers.
    unit(unsafe { raw::fs::fchown(raw_of(&fd), u, g) })
}

/// `linkat(old_dir, old, new_dir, new, flags)`: a second name for a file.
pub fn linkat(
    old_dir: impl AsFd,
    old: &CStr,
    new_dir: impl AsFd,
    new: &CStr,
    flags: AtFlags,
) -> Result<(), Errno> {
    let (od, nd) = (raw_of(&old_dir), raw_of(&new_dir));
    // SAFETY: both paths are NUL-terminated.
    unit(unsafe { raw::fs::linkat(od, old.as_ptr(), nd, new.as_ptr(), flags.bits()) })
}

/// `link(old, new)`.
pub fn link(old: &CStr, new: &CStr) -> Result<(), Errno> {
    linkat(CWD, old, CWD, new, AtFlags::empty())
}

/// `symlinkat(target, dir, path)`: `path` becomes a symbolic link holding `target`.
pub fn symlinkat(target: &CStr, dir: impl AsFd, path: &CStr) -> Result<(), Errno> {
    // SAFETY: both strings are NUL-terminated.
    unit(unsafe { raw::fs::symlinkat(target.as_ptr(), raw_of(&dir), path.as_ptr()) })
}

/// `symlink(target, path)`.
pub fn symlink(target: &CStr, path: &CStr) -> Result<(), Errno> {
    symlinkat(target, CWD, path)
}

/// `readlinkat(dir, path)`: what a symbolic link holds, whole (the buffer grows until the
/// answer fits, so a long target is never cut short as a fixed buffer would cut it).
pub fn readlinkat(dir: impl AsFd, path: &CStr) -> Result<Vec<u8>, Errno> {
    let dir = raw_of(&dir);
    let mut buf = alloc::vec![0u8; 256];
    loop {
        // SAFETY: the kernel writes at most buf.len() bytes into buf.
        let n = unsafe { raw::fs::readlinkat(dir, path.as_ptr(), buf.as_mut_ptr(), buf.len()) }?;
        if n < buf.len() {
            buf.truncate(n);
            return Ok(buf);
        }
        let more = buf.len() * 2;
        buf.resize(more, 0);
    }
}

/// `readlink(path)`.
pub fn readlink(path: &CStr) -> Result<Vec<u8>, Errno> {
    readlinkat(CWD, path)
}

/// `renameat2(old_dir, old, new_dir, new, flags)`.
pub fn renameat2(
    old_dir: impl AsFd,
    old: &CStr,
    new_dir: impl AsFd,
    new: &CStr,
    flags: RenameFlags,
) -> Result<(), Errno> {
    let (od, nd) = (raw_of(&old_dir), raw_of(&new_dir));
    // SAFETY: both paths are NUL-terminated.
    unit(unsafe { raw::fs::renameat2(od, old.as_ptr(), nd, new.as_ptr(), flags.bits()) })
}

/// `renameat(old_dir, old, new_dir, new)`.
pub fn renameat(
    old_dir: impl AsFd,
    old: &CStr,
    new_dir: impl AsFd,
    new: &CStr,
) -> Result<(), Errno> {
    renameat2(old_dir, old, new_dir, new, RenameFlags::empty())
}

/// `rename(from, to)`.
pub fn rename(from: &CStr, to: &CStr) -> Result<(), Errno> {
    renameat(CWD, from, CWD, to)
}

/// `unlinkat(dir, path, flags)`: with [`AtFlags::REMOVEDIR`], as `rmdir`.
pub fn unlinkat(dir: impl AsFd, path: &CStr, flags: AtFlags) -> Result<(), Errno> {
    // SAFETY: `path` is NUL-terminated.
    unit(unsafe { raw::fs::unlinkat(raw_of(&dir), path.as_ptr(), flags.bits()) })
}

/// `unlink(path)`: removes a name (not a directory).
pub fn unlink(path: &CStr) -> Result<(), Errno> {
    unlinkat(CWD, path, AtFlags::empty())
}

/// `rmdir(path)`: removes an empty directory.
pub fn rmdir(path: &CStr) -> Result<(), Errno> {
    unlinkat(CWD, path, AtFlags::REMOVEDIR)
}

/// `mkdirat(dir, path, mode)`.
pub fn mkdirat(dir: impl AsFd, path: &CStr, mode: Mode) -> Result<(), Errno> {
    // SAFETY: `path` is NUL-terminated.
    unit(unsafe { raw::fs::mkdirat(raw_of(&dir), path.as_ptr(), mode.bits()) })
}

/// `mkdir(path, mode)`.
pub fn mkdir(path: &CStr, mode: Mode) -> Result<(), Errno> {
    mkdirat(CWD, path, mode)
}

/// `mknodat(dir, path, S_IFIFO | mode, 0)`: a named pipe, as `mkfifoat`.
pub fn mkfifoat(dir: impl AsFd, path: &CStr, mode: Mode) -> Result<(), Errno> {
    let m = g::S_IFIFO | mode.bits();
    // SAFETY: `path` is NUL-terminated.
    unit(unsafe { raw::fs::mknodat(raw_of(&dir), path.as_ptr(), m, 0) })
}

/// `mkfifo(path, mode)`.
pub fn mkfifo(path: &CStr, mode: Mode) -> Result<(), Errno> {
    mkfifoat(CWD, path, mode)
}

/// `mknodat(dir, path, kind | mode, dev)`: a device, FIFO, socket or regular file node.
/// `dev` is in [`makedev`] encoding; the kernel's `mknodat` takes the 32-bit
/// `new_encode_dev` form, which is the same number for majors and minors it can hold
/// (below 4096 and 2^20); larger ones are `EOVERFLOW`.
pub fn mknodat(
    dir: impl AsFd,
    path: &CStr,
    kind: FileType,
    mode: Mode,
    dev: u64,
) -> Result<(), Errno> {
    let fmt = match kind {
        FileType::RegularFile => g::S_IFREG,
        FileType::Fifo => g::S_IFIFO,
        FileType::Socket => g::S_IFSOCK,
        FileType::CharacterDevice => g::S_IFCHR,
        FileType::BlockDevice => g::S_IFBLK,
        _ => return Err(Errno::EINVAL),
    };
    let dev32 = u32::try_from(dev).map_err(|_| Errno::EOVERFLOW)?;
    // SAFETY: `path` is NUL-terminated.
    unit(unsafe { raw::fs::mknodat(raw_of(&dir), path.as_ptr(), fmt | mode.bits(), dev32) })
}

/// `fcntl(F_GETFL)`: the open file's status flags and access mode.
pub fn fcntl_getfl(fd: impl AsFd) -> Result<OFlags, Errno> {
    // SAFETY: F_GETFL takes no argument.
    let r = unsafe { raw::fd::fcntl(raw_of(&fd), linux_raw_sys::general::F_GETFL, 0) }?;
    Ok(OFlags::from_bits_retain(r as u32))
}

/// `fcntl(F_SETFL)`: only `O_APPEND`, `O_NONBLOCK`, `O_ASYNC`, `O_DIRECT` and `O_NOATIME`
/// can change; the kernel ignores the rest.
pub fn fcntl_setfl(fd: impl AsFd, flags: OFlags) -> Result<(), Errno> {
    let f = flags.bits() as usize;
    // SAFETY: F_SETFL takes an integer.
    unsafe { raw::fd::fcntl(raw_of(&fd), linux_raw_sys::general::F_SETFL, f) }.map(|_| ())
}

/// `ftruncate64(fd, len)`. A length past `i64::MAX` is `EINVAL`.
pub fn ftruncate(fd: impl AsFd, len: u64) -> Result<(), Errno> {
    if len > i64::MAX as u64 {
        return Err(Errno::EINVAL);
    }
    // SAFETY: takes numbers.
    unit(unsafe { raw::fs::ftruncate(raw_of(&fd), len) })
}

/// `truncate64(path, len)`. A length past `i64::MAX` is `EINVAL`.
pub fn truncate(path: &CStr, len: u64) -> Result<(), Errno> {
    if len > i64::MAX as u64 {
        return Err(Errno::EINVAL);
    }
    // SAFETY: `path` is NUL-terminated.
    unit(unsafe { raw::fs::truncate(path.as_ptr(), len) })
}

/// `fsync(fd)`.
pub fn fsync(fd: impl AsFd) -> Result<(), Errno> {
    // SAFETY: takes a number.
    unit(unsafe { raw::io::fsync(raw_of(&fd)) })
}

/// `fdatasync(fd)`.
pub fn fdatasync(fd: impl AsFd) -> Result<(), Errno> {
    // SAFETY: takes a number.
    unit(unsafe { raw::io::fdatasync(raw_of(&fd)) })
}

/// A time for [`utimensat`]: a point in time, now, or no change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timestamp {
    /// This time.
    At(Timespec),
    /// The current time (`UTIME_NOW`).
    Now,
    /// Leave it as it is (`UTIME_OMIT`).
    Omit,
}

/// `utimensat_time64(dir, path, [atime, mtime], flags)`: 64-bit seconds, so times past
/// 2038 are set exactly. Nanoseconds of 1e9 or more are `EINVAL` (as the kernel says).
pub fn utimensat(
    dir: impl AsFd,
    path: &CStr,
    atime: Timestamp,
    mtime: Timestamp,
    flags: AtFlags,
) -> Result<(), Errno> {
    const UTIME_NOW: i64 = (1 << 30) - 1;
    const UTIME_OMIT: i64 = (1 << 30) - 2;
    let k = |t: Timestamp| match t {
        Timestamp::At(ts) => g::__kernel_timespec {
            tv_sec: ts.sec,
            tv_nsec: ts.nsec as i64,
        },
        Timestamp::Now => g::__kernel_timespec {
            tv_sec: 0,
            tv_nsec: UTIME_NOW,
        },
        Timestamp::Omit => g::__kernel_timespec {
            tv_sec: 0,
            tv_nsec: UTIME_OMIT,
        },
    };
    let times = [k(atime), k(mtime)];
    // SAFETY: `path` is NUL-terminated; the kernel reads two __kernel_timespecs.
    unit(unsafe { raw::fs::utimensat(raw_of(&dir), path.as_ptr(), &times, flags.bits()) })
}

/// `futimens(fd, [atime, mtime])`: [`utimensat`] on an open file.
pub fn futimens(fd: impl AsFd, atime: Timestamp, mtime: Timestamp) -> Result<(), Errno> {
    utimensat(fd, c"", atime, mtime, AtFlags::EMPTY_PATH)
}

/// `umask(mask)`: sets the mask of permission bits that creating calls clear, and returns
/// the previous one.
pub fn umask(mask: Mode) -> Mode {
    // SAFETY: takes a number; cannot fail.
    let old = unsafe { raw::fs::umask(mask.bits() & 0o777) }.unwrap_or(0);
    Mode::from_bits_truncate(old as u32)
}

/// `memfd_create(name, flags)`: an anonymous file in memory. `name` (at most 249 bytes)
/// shows in `/proc/self/fd` as `/memfd:NAME`.
pub fn memfd_create(name: &CStr, flags: MemfdFlags) -> Result<OwnedFd, Errno> {
    // SAFETY: `name` is NUL-terminated.
    owned_result(unsafe { raw::fs::memfd_create(name.as_ptr(), flags.bits()) })
}

/// Reads a whole file into a `Vec` (works for `/proc` files, whose size `stat` reports as 0).
pub fn read(path: &CStr) -> Result<Vec<u8>, Errno> {
    let f = File::open_read(path)?;
    let mut v = Vec::new();
    f.read_to_end(&mut v)?;
    Ok(v)
}

/// Creates `path` (truncating it, mode `0o666` before umask) and writes `data` to it.
pub fn write(path: &CStr, data: &[u8]) -> Result<(), Errno> {
    File::create(path, Mode::from_octal(0o666))?.write_all(data)
}
