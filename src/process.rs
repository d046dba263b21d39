//! Processes: fork, execve, wait4, pipes and descriptors.

use crate::errno::Errno;
use crate::io::Fd;
use crate::syscall::{self, nr};
use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::CStr;

/// A process id.
pub type Pid = i32;

/// How a child changed state, decoded from `wait4`'s status word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStatus {
    /// It called `exit(code)`.
    Exited(i32),
    /// A signal killed it (`core` = a core dump was written).
    Signaled {
        /// The signal number.
        signal: i32,
        /// Whether a core dump was produced.
        core: bool,
    },
    /// A signal stopped it (only with `WUNTRACED`).
    Stopped(i32),
    /// `SIGCONT` resumed it (only with `WCONTINUED`).
    Continued,
}

impl WaitStatus {
    /// Decodes the raw status word.
    pub fn from_raw(status: i32) -> WaitStatus {
        let low = status & 0x7f;
        if status == 0xffff {
            WaitStatus::Continued
        } else if low == 0 {
            WaitStatus::Exited((status >> 8) & 0xff)
        } else if status & 0xff == 0x7f {
            WaitStatus::Stopped((status >> 8) & 0xff)
        } else {
            WaitStatus::Signaled {
                signal: low,
                core: status & 0x80 != 0,
            }
        }
    }

    /// The status a shell would report: the exit code, or 128 + signal.
    pub fn code(self) -> i32 {
        match self {
            WaitStatus::Exited(c) => c,
            WaitStatus::Signaled { signal, .. } | WaitStatus::Stopped(signal) => 128 + signal,
            WaitStatus::Continued => 0,
        }
    }
}

/// `fork()`: `Ok(0)` in the child, `Ok(child pid)` in the parent.
///
/// stdout's buffer is flushed first, or both processes would later write the same bytes.
/// If that flush fails (stdout is a full disk, a closed pipe), the fork still happens; the
/// parent reports the error when it exits, with status 1, as for any failed `print!` flush.
///
/// # Why the child may return through the vDSO
///
/// On i386 `fork` is its own syscall (2), equivalent to `clone(SIGCHLD, 0)`: no `CLONE_VM`,
/// no new stack. A call through `__kernel_vsyscall` has pushed `ecx`, `edx`, `ebp` and a
/// return address on the stack before entering the kernel; the child resumes at the same
/// instruction in the vDSO with the same `esp`, in a *copy* of the parent's memory, so its
/// copy of the stack holds those same four words and its `pop`s and `ret` land correctly
/// (the vDSO is mapped at the same address in the child). What would *not* be safe is
/// `clone` with a new stack (a thread): the child's `esp` would point at an empty stack and
/// the vDSO's `pop`/`ret` would read garbage — such a child must use `int 0x80` directly
/// (origin and rustix do the same). Exit hooks ([`crate::exit::at_exit`]) are inherited as data but run only
/// in a process that calls [`crate::exit::exit`]; a child that `execve`s or
/// [`crate::exit::_exit`]s runs none.
pub fn fork() -> Result<Pid, Errno> {
    crate::io::flush_stdout_or_defer();
    // SAFETY: fork takes no arguments; the child continues here on a copy of our memory.
    let pid = unsafe { syscall::syscall0(nr::__NR_fork) }.map(|p| p as Pid)?;
    if pid == 0 {
        crate::io::forget_deferred_error();
    }
    Ok(pid)
}

pub use linux_raw_sys::general::{WCONTINUED, WNOHANG, WUNTRACED};

/// `wait4(pid, &status, options, NULL)`, retrying `EINTR`. Returns the pid and status.
/// With [`WNOHANG`] and no child ready, the pid is 0 (and the status meaningless).
pub fn wait4(pid: Pid, options: u32) -> Result<(Pid, WaitStatus), Errno> {
    let mut status: i32 = 0;
    loop {
        // SAFETY: the kernel writes one int to `status`; no rusage.
        let r = unsafe {
            syscall::syscall4(
                nr::__NR_wait4,
                pid as usize,
                &mut status as *mut i32 as usize,
                options as usize,
                0,
            )
        };
        match r {
            Ok(p) => return Ok((p as Pid, WaitStatus::from_raw(status))),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Waits for `pid` to end.
pub fn wait(pid: Pid) -> Result<WaitStatus, Errno> {
    wait4(pid, 0).map(|(_, s)| s)
}

/// `execve(path, argv, envp)` with NULL-terminated pointer arrays built from the slices.
/// Returns only on failure.
///
/// stdout's buffer is flushed first: what `print!` buffered would otherwise vanish with
/// this program's memory (when stdout is not a terminal, a `println!` just before `exec`
/// is still in the buffer). A failed flush does not stop the exec.
pub fn execve(path: &CStr, argv: &[&CStr], envp: &[&CStr]) -> Errno {
    let mut a: Vec<*const u8> = Vec::new();
    let mut e: Vec<*const u8> = Vec::new();
    if a.try_reserve_exact(argv.len() + 1).is_err() || e.try_reserve_exact(envp.len() + 1).is_err()
    {
        return Errno::ENOMEM;
    }
    a.extend(argv.iter().map(|s| s.as_ptr().cast::<u8>()));
    a.push(core::ptr::null());
    e.extend(envp.iter().map(|s| s.as_ptr().cast::<u8>()));
    e.push(core::ptr::null());
    crate::io::flush_stdout_or_defer();
    // SAFETY: path and every string are NUL-terminated; both arrays end with NULL and
    // outlive the call (which only returns on failure).
    let r = unsafe {
        syscall::syscall3(
            nr::__NR_execve,
            path.as_ptr() as usize,
            a.as_ptr() as usize,
            e.as_ptr() as usize,
        )
    };
    match r {
        Ok(_) => Errno::EINVAL,
        Err(e) => e,
    }
}

/// Why [`exec`] did not run the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecError {
    /// The path (`None`) or the argument/environment string at this index contains a NUL
    /// byte, so it cannot be passed as a C string. Nothing was executed.
    Nul(Option<usize>),
    /// The kernel refused: `ENOENT`, `EACCES`, `ENOEXEC`, `E2BIG` (the strings exceed the
    /// kernel's limits: 128 KiB per string, a quarter of the stack limit in all), ….
    Os(Errno),
}

impl core::fmt::Display for ExecError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ExecError::Nul(None) => f.write_str("path contains a NUL byte"),
            ExecError::Nul(Some(i)) => write!(f, "string {} contains a NUL byte", i),
            ExecError::Os(e) => write!(f, "{}", e),
        }
    }
}

fn to_cstring(bytes: &[u8], index: Option<usize>) -> Result<CString, ExecError> {
    CString::new(bytes).map_err(|_| ExecError::Nul(index))
}

/// `execve` from Rust byte strings: each is checked for interior NUL bytes and copied with a
/// terminating NUL. `argv` indices count from 0; `envp` indices continue after them.
/// Returns only on failure.
pub fn exec<A: AsRef<[u8]>, E: AsRef<[u8]>>(path: &[u8], argv: &[A], envp: &[E]) -> ExecError {
    let build = || -> Result<(CString, Vec<CString>, Vec<CString>), ExecError> {
        let p = to_cstring(path, None)?;
        let a = argv
            .iter()
            .enumerate()
            .map(|(i, s)| to_cstring(s.as_ref(), Some(i)))
            .collect::<Result<Vec<_>, _>>()?;
        let e = envp
            .iter()
            .enumerate()
            .map(|(i, s)| to_cstring(s.as_ref(), Some(argv.len() + i)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((p, a, e))
    };
    match build() {
        Err(e) => e,
        Ok((p, a, e)) => {
            let a: Vec<&CStr> = a.iter().map(|s| s.as_c_str()).collect();
            let e: Vec<&CStr> = e.iter().map(|s| s.as_c_str()).collect();
            ExecError::Os(execve(&p, &a, &e))
        }
    }
}

/// Finds `name` the way a shell does: a name containing `/` is used as it is; otherwise each
/// directory of `path` (colon-separated, an empty entry meaning the current directory) is
/// tried in order and the first `dir/name` that is an executable regular file
/// (`access(X_OK)` and not a directory) wins.
pub fn find_in_path(name: &[u8], path: &[u8]) -> Option<CString> {
    if name.is_empty() || name.contains(&0) {
        return None;
    }
    if name.contains(&b'/') {
        return CString::new(name).ok();
    }
    for dir in path.split(|&b| b == b':') {
        let mut full: Vec<u8> = Vec::with_capacity(dir.len() + 1 + name.len());
        if dir.is_empty() {
            full.extend_from_slice(b".");
        } else {
            full.extend_from_slice(dir);
        }
        full.push(b'/');
        full.extend_from_slice(name);
        let Ok(c) = CString::new(full) else { continue };
        if is_executable_file(&c) {
            return Some(c);
        }
    }
    None
}

/// `path` is a regular file (by `stat`: not a directory, which is "executable" in the sense
/// of searchable, nor a FIFO or device with execute bits) and `access(path, X_OK)` succeeds.
fn is_executable_file(path: &CStr) -> bool {
    if !crate::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    // SAFETY: path is NUL-terminated; access only reads it.
    unsafe {
        syscall::syscall2(
            nr::__NR_access,
            path.as_ptr() as usize,
            linux_raw_sys::general::X_OK as usize,
        )
    }
    .is_ok()
}

/// `pipe2(flags)`: `(read end, write end)`.
pub fn pipe2(flags: u32) -> Result<(Fd, Fd), Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: the kernel writes two ints.
    unsafe { syscall::syscall2(nr::__NR_pipe2, fds.as_mut_ptr() as usize, flags as usize) }?;
    Ok((Fd::from_raw(fds[0]), Fd::from_raw(fds[1])))
}

/// `dup2(old, new)`.
pub fn dup2(old: Fd, new: Fd) -> Result<Fd, Errno> {
    // SAFETY: plain descriptor numbers.
    unsafe { syscall::syscall2(nr::__NR_dup2, old.raw() as usize, new.raw() as usize) }
        .map(|f| Fd::from_raw(f as i32))
}

/// `dup3(old, new, flags)`: like `dup2`, with `O_CLOEXEC` allowed in `flags`; `old == new`
/// is `EINVAL`.
pub fn dup3(old: Fd, new: Fd, flags: u32) -> Result<Fd, Errno> {
    // SAFETY: plain descriptor numbers and flags.
    unsafe {
        syscall::syscall3(
            nr::__NR_dup3,
            old.raw() as usize,
            new.raw() as usize,
            flags as usize,
        )
    }
    .map(|f| Fd::from_raw(f as i32))
}

/// `chdir(path)`.
pub fn chdir(path: &CStr) -> Result<(), Errno> {
    // SAFETY: path is NUL-terminated; the kernel only reads it.
    unsafe { syscall::syscall1(nr::__NR_chdir, path.as_ptr() as usize) }.map(|_| ())
}

/// `getcwd()`: the current directory, growing the buffer while the kernel says `ERANGE`.
pub fn getcwd() -> Result<Vec<u8>, Errno> {
    let mut cap = 256;
    loop {
        let mut buf: Vec<u8> = Vec::new();
        buf.try_reserve_exact(cap).map_err(|_| Errno::ENOMEM)?;
        buf.resize(cap, 0);
        // SAFETY: the kernel writes at most `cap` bytes, including the NUL.
        let r = unsafe { syscall::syscall2(nr::__NR_getcwd, buf.as_mut_ptr() as usize, cap) };
        match r {
            // The kernel returns the length including the terminating NUL.
            Ok(n) => {
                buf.truncate(n.saturating_sub(1));
                // A directory outside the process's root (after a chroot) comes back as
                // "(unreachable)/…": not a path at all. glibc (since 2.27, CVE-2018-1000001)
                // calls that ENOENT, so that nobody uses it as a relative path.
                if buf.first() != Some(&b'/') {
                    return Err(Errno::ENOENT);
                }
                return Ok(buf);
            }
            Err(Errno::ERANGE) if cap < 1 << 20 => cap *= 4,
            Err(e) => return Err(e),
        }
    }
}

/// `setpgid(pid, pgid)`: 0 for either means "the calling process".
pub fn setpgid(pid: Pid, pgid: Pid) -> Result<(), Errno> {
    // SAFETY: plain integers.
    unsafe { syscall::syscall2(nr::__NR_setpgid, pid as usize, pgid as usize) }.map(|_| ())
}

/// `getpgid(0)`: this process's process group.
pub fn getpgrp() -> Pid {
    // SAFETY: plain integer; getpgid(0) cannot fail.
    unsafe { syscall::syscall1(nr::__NR_getpgid, 0) }.unwrap_or(0) as Pid
}

/// `getpid()`.
pub fn getpid() -> Pid {
    // SAFETY: no arguments; cannot fail.
    unsafe { syscall::syscall0(nr::__NR_getpid) }.unwrap_or(0) as Pid
}

/// `getppid()`.
pub fn getppid() -> Pid {
    // SAFETY: no arguments; cannot fail.
    unsafe { syscall::syscall0(nr::__NR_getppid) }.unwrap_or(0) as Pid
}

/// `geteuid32()`: the effective user id (a shell's prompt is `# ` for 0).
pub fn geteuid() -> u32 {
    // SAFETY: no arguments; cannot fail.
    unsafe { syscall::syscall0(nr::__NR_geteuid32) }.unwrap_or(0) as u32
}

/// `kill(pid, sig)`: `pid > 0` one process, `0` this process group, `-pgid` a group,
/// `sig = 0` only checks that it exists.
pub fn kill(pid: Pid, sig: i32) -> Result<(), Errno> {
    // SAFETY: plain integers.
    unsafe { syscall::syscall2(nr::__NR_kill, pid as usize, sig as usize) }.map(|_| ())
}
