//! Processes: `fork`, `execve`, `wait4`, signals to processes, pipes, the working
//! directory, resource limits and usage, `prctl`, scheduling.
//!
//! Process and user ids and the calls that read them are in [`crate::id`] (re-exported
//! here); descriptors in [`crate::fd`].

use crate::errno::Errno;
use crate::fd::{AsFd, AsRawFd, OwnedFd, owned_result};
use crate::raw;
use crate::signal::Signal;
use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::{CStr, c_char};
use linux_raw_sys::general as g;

pub use crate::id::{
    Gid, Pid, Uid, getegid, geteuid, getgid, getgroups, getpgid, getpgrp, getpid, getppid, getsid,
    gettid, getuid, setgid, setpgid, setsid, setuid,
};

/// How a child changed state, decoded from `wait4`'s status word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStatus {
    /// It called `exit(code)`.
    Exited(i32),
    /// A signal killed it (`core` = a core dump was written).
    Signaled {
        /// The signal.
        signal: Signal,
        /// Whether a core dump was produced.
        core: bool,
    },
    /// A signal stopped it (only with [`WaitOptions::UNTRACED`]).
    Stopped(Signal),
    /// `SIGCONT` resumed it (only with [`WaitOptions::CONTINUED`]).
    Continued,
}

impl WaitStatus {
    /// Decodes the raw status word.
    pub fn from_raw(status: i32) -> WaitStatus {
        let low = status & 0x7f;
        // The kernel puts only real signal numbers (1..=64) here; the fallback never runs.
        let sig = |n: i32| Signal::from_raw(n).unwrap_or(crate::signal::SIGKILL);
        if status == 0xffff {
            WaitStatus::Continued
        } else if low == 0 {
            WaitStatus::Exited((status >> 8) & 0xff)
        } else if status & 0xff == 0x7f {
            WaitStatus::Stopped(sig((status >> 8) & 0xff))
        } else {
            WaitStatus::Signaled {
                signal: sig(low),
                core: status & 0x80 != 0,
            }
        }
    }

    /// The status a shell would report: the exit code, or 128 + signal.
    pub fn code(self) -> i32 {
        match self {
            WaitStatus::Exited(c) => c,
            WaitStatus::Signaled { signal, .. } | WaitStatus::Stopped(signal) => {
                128 + signal.as_raw()
            }
            WaitStatus::Continued => 0,
        }
    }
}

/// Which side of a [`fork`] this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fork {
    /// The new process.
    Child,
    /// The calling process; the new one has this pid.
    Parent(Pid),
}

/// `fork()`: a copy of this process. Returns [`Fork::Child`] in the child and
/// [`Fork::Parent`] with the child's pid in the parent.
///
/// stdout's buffer is flushed first, or both processes would later write the same bytes.
/// The allocator's and stdout's locks are held across the call, so a child forked while
/// other threads allocate or print can allocate and print (it has only the calling thread).
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
/// (origin and rustix do the same). Exit hooks ([`crate::exit::at_exit`]) are inherited as
/// data but run only in a process that calls [`crate::exit::exit`]; a child that `execve`s
/// or [`crate::exit::_exit`]s runs none.
pub fn fork() -> Result<Fork, Errno> {
    crate::io::flush_stdout_or_defer();
    // With threads, only the forking thread exists in the child: a lock another thread held
    // at the fork would stay held there for ever. So fork with stdout's and the allocator's
    // locks taken (in the order `print!` takes them), as glibc's atfork handlers do; both
    // processes release them after.
    let pid = crate::io::while_stdout_locked(|| {
        crate::heap::while_locked(|| {
            // SAFETY: fork takes no arguments; the child continues here on a copy of our memory.
            unsafe { raw::process::fork() }
        })
    })?;
    if pid == 0 {
        crate::io::forget_deferred_error();
        let hook = AFTER_FORK.load(core::sync::atomic::Ordering::Relaxed);
        if hook != 0 {
            // SAFETY: only `set_after_fork` stores here, always a valid `fn()`.
            let hook: fn() = unsafe { core::mem::transmute(hook) };
            hook();
        }
        Ok(Fork::Child)
    } else {
        Ok(Fork::Parent(Pid::from_kernel(pid)))
    }
}

/// Run in a `fork` child once threads exist (`crate::thread`: the one thread left learns
/// its new tid). 0 before, and in a program without threads, which links none of it.
static AFTER_FORK: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

pub(crate) fn set_after_fork(f: fn()) {
    AFTER_FORK.store(f as usize, core::sync::atomic::Ordering::Relaxed);
}

bitflags::bitflags! {
    /// What [`unshare`] gives this process a new copy of (the `CLONE_*` bits `unshare(2)`
    /// takes).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct UnshareFlags: u32 {
        /// Its own descriptor table (`CLONE_FILES`).
        const FILES = g::CLONE_FILES;
        /// Its own root, current directory and umask (`CLONE_FS`).
        const FS = g::CLONE_FS;
        /// Its own System V semaphore undo list (`CLONE_SYSVSEM`).
        const SYSVSEM = g::CLONE_SYSVSEM;
        /// A new mount namespace (`CLONE_NEWNS`).
        const NEWNS = g::CLONE_NEWNS;
        /// A new UTS namespace: host and domain name (`CLONE_NEWUTS`).
        const NEWUTS = g::CLONE_NEWUTS;
        /// A new IPC namespace (`CLONE_NEWIPC`).
        const NEWIPC = g::CLONE_NEWIPC;
        /// A new network namespace (`CLONE_NEWNET`).
        const NEWNET = g::CLONE_NEWNET;
        /// A new user namespace (`CLONE_NEWUSER`; the process must have one thread).
        const NEWUSER = g::CLONE_NEWUSER;
        /// A new pid namespace for the children forked after this call; the first becomes
        /// its process 1 (`CLONE_NEWPID`).
        const NEWPID = g::CLONE_NEWPID;
        /// A new cgroup namespace (`CLONE_NEWCGROUP`).
        const NEWCGROUP = g::CLONE_NEWCGROUP;
        /// A new time namespace for the children forked after this call (`CLONE_NEWTIME`).
        const NEWTIME = g::CLONE_NEWTIME;
    }
}

/// `unshare(2)`: stop sharing what `flags` names with other processes. The namespace flags
/// need `CAP_SYS_ADMIN`, or `NEWUSER` with them (then `EINVAL` if threads exist).
pub fn unshare(flags: UnshareFlags) -> Result<(), Errno> {
    // SAFETY: takes a number; changes only what this process shares.
    unsafe { raw::process::unshare(flags.bits()) }.map(|_| ())
}

bitflags::bitflags! {
    /// [`wait4`]'s options.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct WaitOptions: u32 {
        /// Return at once if no child has changed state (`WNOHANG`).
        const NOHANG = g::WNOHANG;
        /// Also report stopped children (`WUNTRACED`).
        const UNTRACED = g::WUNTRACED;
        /// Also report children resumed by `SIGCONT` (`WCONTINUED`).
        const CONTINUED = g::WCONTINUED;
        /// Wait for every kind of child, threads' too (`__WALL`).
        const ALL = g::__WALL;
    }
}

/// What a child used, from `wait4`'s or `getrusage`'s `struct rusage` (i386: 32-bit
/// seconds in the times, which count CPU time and cannot reach 2038).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// User CPU time, microseconds.
    pub user_us: u64,
    /// System CPU time, microseconds.
    pub system_us: u64,
    /// Peak resident set, KiB.
    pub max_rss_kib: u64,
    /// Page faults that needed no I/O.
    pub minor_faults: u64,
    /// Page faults that needed I/O.
    pub major_faults: u64,
    /// Voluntary context switches.
    pub voluntary_switches: u64,
    /// Involuntary context switches.
    pub involuntary_switches: u64,
}

impl Usage {
    fn from_kernel(r: &g::rusage) -> Usage {
        let us = |t: &g::__kernel_old_timeval| {
            t.tv_sec as u32 as u64 * 1_000_000 + t.tv_usec as u32 as u64
        };
        Usage {
            user_us: us(&r.ru_utime),
            system_us: us(&r.ru_stime),
            max_rss_kib: r.ru_maxrss as u32 as u64,
            minor_faults: r.ru_minflt as u32 as u64,
            major_faults: r.ru_majflt as u32 as u64,
            voluntary_switches: r.ru_nvcsw as u32 as u64,
            involuntary_switches: r.ru_nivcsw as u32 as u64,
        }
    }
}

/// `wait4` for `pid` (`None`: any child), retrying `EINTR`; returns the pid, the status and
/// what the child used. With [`WaitOptions::NOHANG`] and no child ready, `Ok(None)`.
pub fn wait4(
    pid: Option<Pid>,
    options: WaitOptions,
) -> Result<Option<(Pid, WaitStatus, Usage)>, Errno> {
    let target = pid.map_or(-1, Pid::as_raw);
    let mut status: i32 = 0;
    let mut ru = core::mem::MaybeUninit::<g::rusage>::zeroed();
    loop {
        // SAFETY: the kernel writes one int to `status` and one rusage to `ru`.
        let r =
            unsafe { raw::process::wait4(target, &mut status, options.bits(), ru.as_mut_ptr()) };
        match r {
            Ok(0) => return Ok(None),
            // SAFETY: zero-initialised and, on success, written by the kernel.
            Ok(p) => {
                let usage = Usage::from_kernel(unsafe { ru.assume_init_ref() });
                return Ok(Some((
                    Pid::from_kernel(p),
                    WaitStatus::from_raw(status),
                    usage,
                )));
            }
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Waits for `pid` to end (`wait4(pid, 0)`, `EINTR` retried).
pub fn wait(pid: Pid) -> Result<WaitStatus, Errno> {
    match wait4(Some(pid), WaitOptions::empty())? {
        Some((_, status, _)) => Ok(status),
        None => Err(Errno::ECHILD),
    }
}

/// Waits for any child to end: its pid and status (`ECHILD` when there is none).
pub fn wait_any() -> Result<(Pid, WaitStatus), Errno> {
    match wait4(None, WaitOptions::empty())? {
        Some((pid, status, _)) => Ok((pid, status)),
        None => Err(Errno::ECHILD),
    }
}

/// Which children [`waitid`] waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitId {
    /// Any child (`P_ALL`).
    All,
    /// This one (`P_PID`).
    Pid(Pid),
    /// Any in this process group (`P_PGID`).
    Pgid(Pid),
}

bitflags::bitflags! {
    /// [`waitid`]'s options: at least one of `EXITED`, `STOPPED`, `CONTINUED`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct WaitidOptions: u32 {
        /// Children that ended.
        const EXITED = g::WEXITED;
        /// Children stopped by a signal.
        const STOPPED = g::WSTOPPED;
        /// Children resumed by `SIGCONT`.
        const CONTINUED = g::WCONTINUED;
        /// Return at once if none is ready.
        const NOHANG = g::WNOHANG;
        /// Leave the child waitable (report without reaping).
        const NOWAIT = g::WNOWAIT;
    }
}

/// `waitid(idtype, id, &info, options, NULL)`, retrying `EINTR`: the child's pid and how it
/// changed state (`None` with `NOHANG` when none is ready). Unlike `wait4` it can leave the
/// child waitable ([`WaitidOptions::NOWAIT`]).
pub fn waitid(which: WaitId, options: WaitidOptions) -> Result<Option<(Pid, WaitStatus)>, Errno> {
    let (idtype, id) = match which {
        WaitId::All => (g::P_ALL, 0),
        WaitId::Pid(p) => (g::P_PID, p.as_raw()),
        WaitId::Pgid(p) => (g::P_PGID, p.as_raw()),
    };
    loop {
        let mut info = core::mem::MaybeUninit::<g::siginfo_t>::zeroed();
        let opts = options.bits();
        // SAFETY: the kernel writes one siginfo_t to `info`; no rusage.
        let r = unsafe {
            raw::process::waitid(idtype, id, info.as_mut_ptr(), opts, core::ptr::null_mut())
        };
        match r {
            Ok(_) => {
                // SAFETY: zero-initialised, then written by the kernel; the fields read
                // are the SIGCHLD ones (si_pid, si_status, si_code).
                let (pid, code, status) = unsafe {
                    let i = &*info.as_ptr();
                    let c = &i.__bindgen_anon_1.__bindgen_anon_1;
                    let f = &c._sifields._sigchld;
                    (f._pid, c.si_code, f._status)
                };
                if pid == 0 {
                    return Ok(None);
                }
                let sig = |n: i32| Signal::from_raw(n).unwrap_or(crate::signal::SIGKILL);
                let st = match code as u32 {
                    g::CLD_EXITED => WaitStatus::Exited(status),
                    g::CLD_KILLED => WaitStatus::Signaled {
                        signal: sig(status),
                        core: false,
                    },
                    g::CLD_DUMPED => WaitStatus::Signaled {
                        signal: sig(status),
                        core: true,
                    },
                    g::CLD_STOPPED | g::CLD_TRAPPED => WaitStatus::Stopped(sig(status)),
                    _ => WaitStatus::Continued,
                };
                return Ok(Some((Pid::from_kernel(pid as usize), st)));
            }
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// `execve(path, argv, envp)` with NULL-terminated pointer arrays built from the slices.
/// Returns only on failure.
///
/// stdout's buffer is flushed first: what `print!` buffered would otherwise vanish with
/// this program's memory (when stdout is not a terminal, a `println!` just before `exec`
/// is still in the buffer). A failed flush does not stop the exec.
pub fn execve(path: &CStr, argv: &[&CStr], envp: &[&CStr]) -> Errno {
    exec_arrays(argv, envp, |a, e| {
        // SAFETY: path and every string are NUL-terminated; both arrays end with NULL and
        // outlive the call (which only returns on failure).
        unsafe { raw::process::execve(path.as_ptr(), a, e) }
    })
}

/// `execveat(dir, path, argv, envp, flags)`: [`execve`] of `path` relative to the directory
/// open as `dir`; with [`crate::fs::AtFlags::EMPTY_PATH`] and `c""`, of the file open as
/// `dir` itself (`fexecve`). Returns only on failure.
///
/// Where the kernel (or qemu-i386 7.2) has no `execveat` (`ENOSYS`), the same file is
/// reached as glibc's `fexecve` reaches it: `execve` of `/proc/self/fd/DIR/PATH` (or of
/// `PATH` itself when it is absolute). `AT_SYMLINK_NOFOLLOW` cannot be honoured that way and
/// stays `ENOSYS`.
pub fn execveat(
    dir: impl AsFd,
    path: &CStr,
    argv: &[&CStr],
    envp: &[&CStr],
    flags: crate::fs::AtFlags,
) -> Errno {
    let d = dir.as_fd().as_raw_fd();
    let e = exec_arrays(argv, envp, |a, e| {
        // SAFETY: as in `execve`.
        unsafe { raw::process::execveat(d, path.as_ptr(), a, e, flags.bits()) }
    });
    if e != Errno::ENOSYS || flags.contains(crate::fs::AtFlags::SYMLINK_NOFOLLOW) {
        return e;
    }
    let p = path.to_bytes();
    let full = if p.first() == Some(&b'/') {
        CString::new(p)
    } else if p.is_empty() {
        CString::new(alloc::format!("/proc/self/fd/{}", d))
    } else {
        let mut v = alloc::format!("/proc/self/fd/{}/", d).into_bytes();
        v.extend_from_slice(p);
        CString::new(v)
    };
    match full {
        Ok(full) => execve(&full, argv, envp),
        Err(_) => Errno::EINVAL,
    }
}

/// Builds the NULL-terminated `argv`/`envp` pointer arrays, flushes stdout's buffer, and
/// makes the exec call `call`; returns its error.
fn exec_arrays(
    argv: &[&CStr],
    envp: &[&CStr],
    call: impl FnOnce(*const *const c_char, *const *const c_char) -> Result<usize, Errno>,
) -> Errno {
    let mut a: Vec<*const c_char> = Vec::new();
    let mut e: Vec<*const c_char> = Vec::new();
    if a.try_reserve_exact(argv.len() + 1).is_err() || e.try_reserve_exact(envp.len() + 1).is_err()
    {
        return Errno::ENOMEM;
    }
    a.extend(argv.iter().map(|s| s.as_ptr()));
    a.push(core::ptr::null());
    e.extend(envp.iter().map(|s| s.as_ptr()));
    e.push(core::ptr::null());
    crate::io::flush_stdout_or_defer();
    match call(a.as_ptr(), e.as_ptr()) {
        Ok(_) => Errno::EINVAL,
        Err(e) => e,
    }
}

/// What a spawned child's standard descriptor is.
#[derive(Clone, Copy, Debug)]
pub enum Stdio<'a> {
    /// The parent's own (inherited).
    Inherit,
    /// A copy of this descriptor (`dup2` in the child).
    Fd(crate::fd::BorrowedFd<'a>),
}

/// Runs `path` with `argv` and `envp` in a new process — `posix_spawn`, or std's
/// `Command::spawn` — with its stdin, stdout and stderr as given, and returns its pid.
///
/// A failed `execve` is reported here, as the `Errno` the child got (not as a child that
/// exits 127): the child sends it back through a close-on-exec pipe, which a successful
/// exec closes empty. Made with `fork` (the runtime has one thread, so the child's copy of
/// the allocator and of stdout's lock are usable; stdout's buffer is flushed first).
pub fn spawn(
    path: &CStr,
    argv: &[&CStr],
    envp: &[&CStr],
    stdio: [Stdio<'_>; 3],
) -> Result<Pid, Errno> {
    let (r, w) = pipe2(PipeFlags::CLOEXEC)?;
    match fork()? {
        Fork::Child => {
            drop(r);
            let mut err = Errno::EINVAL;
            let mut ok = true;
            for (n, s) in stdio.iter().enumerate() {
                if let Stdio::Fd(fd) = s {
                    let r = match n {
                        0 => crate::fd::dup2_stdin(fd),
                        1 => crate::fd::dup2_stdout(fd),
                        _ => crate::fd::dup2_stderr(fd),
                    };
                    if let Err(e) = r {
                        (err, ok) = (e, false);
                    }
                }
            }
            if ok {
                err = execve(path, argv, envp);
            }
            let _ = crate::io::write_all(&w, &err.raw().to_ne_bytes());
            crate::exit::_exit(127)
        }
        Fork::Parent(pid) => {
            drop(w);
            let mut buf = [0u8; 2];
            let mut got = 0;
            while got < buf.len() {
                match crate::io::read(&r, buf.get_mut(got..).unwrap_or_default()) {
                    Ok(0) => break,
                    Ok(n) => got += n,
                    Err(Errno::EINTR) => {}
                    Err(_) => break,
                }
            }
            if got == buf.len() {
                // The exec failed: reap the child (it exits at once) and report why.
                let _ = wait(pid);
                return Err(Errno::from_raw(u16::from_ne_bytes(buf)));
            }
            Ok(pid)
        }
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
    crate::fs::access(path, crate::fs::Access::EXEC).is_ok()
}

bitflags::bitflags! {
    /// [`pipe2`]'s flags.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct PipeFlags: u32 {
        /// Both ends close on `execve`.
        const CLOEXEC = g::O_CLOEXEC;
        /// Both ends non-blocking.
        const NONBLOCK = g::O_NONBLOCK;
        /// Packet mode: each write is one read.
        const DIRECT = g::O_DIRECT;
    }
}

/// `pipe2(flags)`: `(read end, write end)`, each owned.
pub fn pipe2(flags: PipeFlags) -> Result<(OwnedFd, OwnedFd), Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: the kernel writes two ints.
    unsafe { raw::process::pipe2(&mut fds, flags.bits()) }?;
    // Both numbers are new descriptors the kernel made for us.
    let r = owned_result(Ok(fds[0] as usize))?;
    let w = owned_result(Ok(fds[1] as usize))?;
    Ok((r, w))
}

/// `pipe()`: [`pipe2`] with no flags.
pub fn pipe() -> Result<(OwnedFd, OwnedFd), Errno> {
    pipe2(PipeFlags::empty())
}

/// `chdir(path)`.
pub fn chdir(path: &CStr) -> Result<(), Errno> {
    // SAFETY: path is NUL-terminated; the kernel only reads it.
    unsafe { raw::fs::chdir(path.as_ptr()) }.map(|_| ())
}

/// `fchdir(fd)`: into the directory open as `fd`.
pub fn fchdir(fd: impl AsFd) -> Result<(), Errno> {
    // SAFETY: takes a number.
    unsafe { raw::fs::fchdir(fd.as_fd().as_raw_fd()) }.map(|_| ())
}

/// `chroot(path)`: `path` becomes this process's `/` (needs `CAP_SYS_CHROOT`; the working
/// directory does not move).
pub fn chroot(path: &CStr) -> Result<(), Errno> {
    // SAFETY: path is NUL-terminated.
    unsafe { raw::fs::chroot(path.as_ptr()) }.map(|_| ())
}

/// `getcwd()`: the current directory, growing the buffer while the kernel says `ERANGE`.
pub fn getcwd() -> Result<Vec<u8>, Errno> {
    let mut cap = 256;
    loop {
        let mut buf: Vec<u8> = Vec::new();
        buf.try_reserve_exact(cap).map_err(|_| Errno::ENOMEM)?;
        buf.resize(cap, 0);
        // SAFETY: the kernel writes at most `cap` bytes, including the NUL.
        let r = unsafe { raw::fs::getcwd(buf.as_mut_ptr(), cap) };
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

/// `kill(pid, sig)`: sends `sig` to one process.
pub fn kill(pid: Pid, sig: Signal) -> Result<(), Errno> {
    // SAFETY: takes numbers.
    unsafe { raw::process::kill(pid.as_raw(), sig.as_raw()) }.map(|_| ())
}

/// `kill(-pgid, sig)`: sends `sig` to every process of group `pgid`.
pub fn kill_process_group(pgid: Pid, sig: Signal) -> Result<(), Errno> {
    // SAFETY: takes numbers.
    unsafe { raw::process::kill(-pgid.as_raw(), sig.as_raw()) }.map(|_| ())
}

/// `kill(0, sig)`: sends `sig` to this process's group (this process included).
pub fn kill_current_process_group(sig: Signal) -> Result<(), Errno> {
    // SAFETY: takes numbers.
    unsafe { raw::process::kill(0, sig.as_raw()) }.map(|_| ())
}

/// `kill(-pgid, 0)`: whether group `pgid` has a process this one may signal.
pub fn test_kill_process_group(pgid: Pid) -> Result<(), Errno> {
    // SAFETY: signal 0 sends nothing.
    unsafe { raw::process::kill(-pgid.as_raw(), 0) }.map(|_| ())
}

/// `kill(0, 0)`: whether this process's group has a process this one may signal (it does:
/// this one), as a shell's `kill -0 0` asks.
pub fn test_kill_current_process_group() -> Result<(), Errno> {
    // SAFETY: signal 0 sends nothing.
    unsafe { raw::process::kill(0, 0) }.map(|_| ())
}

/// `kill(-1, sig)`: sends `sig` to every process this one may signal, except process 1 and
/// itself (Linux's rule for -1).
pub fn kill_every_process(sig: Signal) -> Result<(), Errno> {
    // SAFETY: takes numbers.
    unsafe { raw::process::kill(-1, sig.as_raw()) }.map(|_| ())
}

/// `kill(-1, 0)`: whether any process other than 1 and this one may be signalled.
pub fn test_kill_every_process() -> Result<(), Errno> {
    // SAFETY: signal 0 sends nothing.
    unsafe { raw::process::kill(-1, 0) }.map(|_| ())
}

/// `kill(pid, 0)`: whether `pid` exists and may be signalled (`ESRCH`, `EPERM` otherwise).
pub fn test_kill(pid: Pid) -> Result<(), Errno> {
    // SAFETY: signal 0 sends nothing.
    unsafe { raw::process::kill(pid.as_raw(), 0) }.map(|_| ())
}

/// `tgkill(tgid, tid, sig)`: sends `sig` to one thread `tid` of process `tgid`.
pub fn tgkill(tgid: Pid, tid: Pid, sig: Signal) -> Result<(), Errno> {
    // SAFETY: takes numbers.
    unsafe { raw::process::tgkill(tgid.as_raw(), tid.as_raw(), sig.as_raw()) }.map(|_| ())
}

/// A resource [`getrlimit`]/[`setrlimit`] limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Resource {
    /// CPU seconds.
    Cpu = g::RLIMIT_CPU,
    /// Largest file, bytes.
    Fsize = g::RLIMIT_FSIZE,
    /// Data segment, bytes.
    Data = g::RLIMIT_DATA,
    /// Stack, bytes.
    Stack = g::RLIMIT_STACK,
    /// Core file, bytes.
    Core = g::RLIMIT_CORE,
    /// Resident set (not enforced).
    Rss = g::RLIMIT_RSS,
    /// Processes (threads) of this user.
    Nproc = g::RLIMIT_NPROC,
    /// Open descriptors (one more than the highest number).
    Nofile = g::RLIMIT_NOFILE,
    /// Locked memory, bytes.
    Memlock = g::RLIMIT_MEMLOCK,
    /// Address space, bytes.
    As = g::RLIMIT_AS,
    /// File locks.
    Locks = g::RLIMIT_LOCKS,
    /// Queued signals.
    Sigpending = g::RLIMIT_SIGPENDING,
    /// POSIX message queue bytes.
    Msgqueue = g::RLIMIT_MSGQUEUE,
    /// Nice ceiling (20 - limit).
    Nice = g::RLIMIT_NICE,
    /// Real-time priority ceiling.
    Rtprio = g::RLIMIT_RTPRIO,
    /// Real-time CPU microseconds without blocking.
    Rttime = g::RLIMIT_RTTIME,
}

/// A soft and a hard limit; `None` is unlimited (`RLIM_INFINITY`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rlimit {
    /// What the kernel enforces.
    pub current: Option<u64>,
    /// The ceiling an unprivileged process may raise `current` to.
    pub maximum: Option<u64>,
}

const RLIM_INFINITY: u64 = u64::MAX;

/// `prlimit64(pid, resource, new, old)`: reads, and if `new` is given sets, a limit of
/// `pid` (`None`: this process). 64-bit limits, so unlimited round-trips (the older
/// `getrlimit` has 32-bit ones).
pub fn prlimit(pid: Option<Pid>, resource: Resource, new: Option<Rlimit>) -> Result<Rlimit, Errno> {
    let to = |v: Option<u64>| v.unwrap_or(RLIM_INFINITY);
    let from = |v: u64| if v == RLIM_INFINITY { None } else { Some(v) };
    let new = new.map(|l| g::rlimit64 {
        rlim_cur: to(l.current),
        rlim_max: to(l.maximum),
    });
    let mut old = g::rlimit64 {
        rlim_cur: 0,
        rlim_max: 0,
    };
    let newp = new.as_ref().map_or(core::ptr::null(), |n| n as *const _);
    let pid = pid.map_or(0, Pid::as_raw);
    // SAFETY: `newp` is null or one rlimit64; the kernel writes one to `old`.
    unsafe { raw::process::prlimit64(pid, resource as u32, newp, &mut old) }?;
    Ok(Rlimit {
        current: from(old.rlim_cur),
        maximum: from(old.rlim_max),
    })
}

/// `getrlimit(resource)` (through `prlimit64`).
pub fn getrlimit(resource: Resource) -> Rlimit {
    // prlimit64 on this process with a valid resource cannot fail.
    prlimit(None, resource, None).unwrap_or(Rlimit {
        current: None,
        maximum: None,
    })
}

/// `setrlimit(resource, limit)` (through `prlimit64`): raising the maximum needs
/// `CAP_SYS_RESOURCE`, a current above the maximum is `EINVAL`.
pub fn setrlimit(resource: Resource, limit: Rlimit) -> Result<(), Errno> {
    prlimit(None, resource, Some(limit)).map(|_| ())
}

/// Whose usage [`getrusage`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsageWho {
    /// This process (`RUSAGE_SELF`).
    Myself,
    /// Its waited-for children (`RUSAGE_CHILDREN`).
    Children,
    /// The calling thread (`RUSAGE_THREAD`).
    Thread,
}

/// `getrusage(who)`.
pub fn getrusage(who: UsageWho) -> Result<Usage, Errno> {
    let w = match who {
        UsageWho::Myself => g::RUSAGE_SELF as i32,
        UsageWho::Children => g::RUSAGE_CHILDREN,
        UsageWho::Thread => g::RUSAGE_THREAD as i32,
    };
    let mut ru = core::mem::MaybeUninit::<g::rusage>::zeroed();
    // SAFETY: the kernel writes one rusage.
    unsafe { raw::process::getrusage(w, ru.as_mut_ptr()) }?;
    // SAFETY: zeroed, then written by the kernel.
    Ok(Usage::from_kernel(unsafe { ru.assume_init_ref() }))
}

/// CPU times in clock ticks (`sysconf(_SC_CLK_TCK)`, 100 on Linux), from `times(2)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Times {
    /// This process, user mode.
    pub user: u32,
    /// This process, kernel mode.
    pub system: u32,
    /// Waited-for children, user mode.
    pub children_user: u32,
    /// Waited-for children, kernel mode.
    pub children_system: u32,
    /// Ticks since an arbitrary point in the past (wraps after 497 days at 100 Hz).
    pub elapsed: u32,
}

/// `times(2)`. glibc returns `(clock_t)-1` as an error only for `EFAULT`, which a valid
/// buffer cannot cause, so this cannot fail; a tick count that happens to be -1 is a result.
pub fn times() -> Times {
    let mut t = raw::process::Tms::default();
    // The tick count is a plain number: one in the last 4095 before it wraps looks like an
    // error to the raw layer's decoding, and is turned back into the count here.
    // SAFETY: the kernel writes one struct tms.
    let elapsed = match unsafe { raw::process::times(&mut t) } {
        Ok(v) => v as u32,
        Err(e) => (e.raw() as u32).wrapping_neg(),
    };
    Times {
        user: t.utime as u32,
        system: t.stime as u32,
        children_user: t.cutime as u32,
        children_system: t.cstime as u32,
        elapsed,
    }
}

/// `sched_yield()`: lets another runnable thread run.
pub fn sched_yield() {
    // SAFETY: no arguments; cannot fail.
    let _ = unsafe { raw::process::sched_yield() };
}

/// The nice value of this process, -20 (most favoured) to 19, as glibc's
/// `getpriority(PRIO_PROCESS, 0)` returns it. (The system call returns `20 - nice`, 1..=40,
/// so that no valid answer looks like an error; glibc converts it back, and so do we.)
pub fn getpriority() -> Result<i32, Errno> {
    // SAFETY: takes numbers.
    let k = unsafe { raw::process::getpriority(g::PRIO_PROCESS, 0) }?;
    Ok(20 - k as i32)
}

/// `setpriority(PRIO_PROCESS, 0, nice)`: the kernel clamps to -20..=19; lowering the value
/// needs `CAP_SYS_NICE` (or `RLIMIT_NICE`).
pub fn setpriority(nice: i32) -> Result<(), Errno> {
    // SAFETY: takes numbers.
    unsafe { raw::process::setpriority(g::PRIO_PROCESS, 0, nice) }.map(|_| ())
}

/// `prctl(PR_SET_NAME)`: the calling thread's name (`/proc/self/comm`); the kernel keeps
/// the first 15 bytes.
pub fn set_name(name: &CStr) -> Result<(), Errno> {
    // SAFETY: `name` is NUL-terminated; the kernel reads at most 16 bytes of it.
    unsafe {
        raw::process::prctl(
            linux_raw_sys::prctl::PR_SET_NAME,
            name.as_ptr() as usize,
            0,
            0,
            0,
        )
    }
    .map(|_| ())
}

/// `prctl(PR_GET_NAME)`: the calling thread's name, without its NUL.
pub fn name() -> Result<Vec<u8>, Errno> {
    let mut buf = [0u8; 16];
    // SAFETY: PR_GET_NAME writes 16 bytes.
    unsafe {
        raw::process::prctl(
            linux_raw_sys::prctl::PR_GET_NAME,
            buf.as_mut_ptr() as usize,
            0,
            0,
            0,
        )
    }?;
    let n = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Ok(buf.get(..n).unwrap_or_default().to_vec())
}

/// `prctl(PR_SET_NO_NEW_PRIVS, 1)`: from now on `execve` never grants privileges
/// (setuid bits, file capabilities); cannot be undone, inherited by children.
pub fn set_no_new_privs() -> Result<(), Errno> {
    // SAFETY: takes numbers.
    unsafe { raw::process::prctl(linux_raw_sys::prctl::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) }
        .map(|_| ())
}

/// `prctl(PR_GET_NO_NEW_PRIVS)`.
pub fn no_new_privs() -> Result<bool, Errno> {
    // SAFETY: takes numbers.
    unsafe { raw::process::prctl(linux_raw_sys::prctl::PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) }
        .map(|r| r != 0)
}

/// `prctl(PR_SET_PDEATHSIG, sig)`: `sig` arrives when the parent (thread) dies; `None`
/// clears it.
pub fn set_parent_death_signal(sig: Option<Signal>) -> Result<(), Errno> {
    let s = sig.map_or(0, |s| s.as_raw() as usize);
    // SAFETY: takes numbers.
    unsafe { raw::process::prctl(linux_raw_sys::prctl::PR_SET_PDEATHSIG, s, 0, 0, 0) }.map(|_| ())
}

/// `prctl(PR_GET_PDEATHSIG)`.
pub fn parent_death_signal() -> Result<Option<Signal>, Errno> {
    let mut s: i32 = 0;
    // SAFETY: PR_GET_PDEATHSIG writes one int.
    unsafe {
        raw::process::prctl(
            linux_raw_sys::prctl::PR_GET_PDEATHSIG,
            &mut s as *mut i32 as usize,
            0,
            0,
            0,
        )
    }?;
    Ok(Signal::from_raw(s))
}
