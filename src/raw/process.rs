//! Processes and their identity: `fork`, `execve`, `wait4`, ids (the `*32` forms), limits,
//! `prctl`, `kill`, `exit_group`.

use crate::errno::Errno;
use crate::syscall::{nr, syscall0, syscall1, syscall2, syscall3, syscall4, syscall5};
use core::ffi::c_char;
use linux_raw_sys::general::{rlimit64, rusage, siginfo_t};

pub(crate) unsafe fn fork() -> Result<usize, Errno> {
    syscall0(nr::__NR_fork)
}
pub(crate) unsafe fn execve(
    path: *const c_char,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> Result<usize, Errno> {
    syscall3(nr::__NR_execve, path as usize, argv as usize, envp as usize)
}
pub(crate) unsafe fn execveat(
    dir: i32,
    path: *const c_char,
    argv: *const *const c_char,
    envp: *const *const c_char,
    flags: u32,
) -> Result<usize, Errno> {
    syscall5(
        nr::__NR_execveat,
        dir as usize,
        path as usize,
        argv as usize,
        envp as usize,
        flags as usize,
    )
}
pub(crate) unsafe fn wait4(
    pid: i32,
    status: *mut i32,
    options: u32,
    ru: *mut rusage,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_wait4,
        pid as usize,
        status as usize,
        options as usize,
        ru as usize,
    )
}
pub(crate) unsafe fn waitid(
    idtype: u32,
    id: i32,
    info: *mut siginfo_t,
    options: u32,
    ru: *mut rusage,
) -> Result<usize, Errno> {
    syscall5(
        nr::__NR_waitid,
        idtype as usize,
        id as usize,
        info as usize,
        options as usize,
        ru as usize,
    )
}
pub(crate) unsafe fn kill(pid: i32, sig: i32) -> Result<usize, Errno> {
    syscall2(nr::__NR_kill, pid as usize, sig as usize)
}
pub(crate) unsafe fn tgkill(tgid: i32, tid: i32, sig: i32) -> Result<usize, Errno> {
    syscall3(nr::__NR_tgkill, tgid as usize, tid as usize, sig as usize)
}
/// Ends the calling thread only (the process, when it is the last one).
pub(crate) unsafe fn exit(code: i32) -> Result<usize, Errno> {
    syscall1(nr::__NR_exit, code as usize)
}
/// Ends every thread of the process.
pub(crate) unsafe fn exit_group(code: i32) -> Result<usize, Errno> {
    syscall1(nr::__NR_exit_group, code as usize)
}
pub(crate) unsafe fn getpid() -> Result<usize, Errno> {
    syscall0(nr::__NR_getpid)
}
pub(crate) unsafe fn getppid() -> Result<usize, Errno> {
    syscall0(nr::__NR_getppid)
}
pub(crate) unsafe fn gettid() -> Result<usize, Errno> {
    syscall0(nr::__NR_gettid)
}
pub(crate) unsafe fn getpgid(pid: i32) -> Result<usize, Errno> {
    syscall1(nr::__NR_getpgid, pid as usize)
}
pub(crate) unsafe fn setpgid(pid: i32, pgid: i32) -> Result<usize, Errno> {
    syscall2(nr::__NR_setpgid, pid as usize, pgid as usize)
}
pub(crate) unsafe fn getsid(pid: i32) -> Result<usize, Errno> {
    syscall1(nr::__NR_getsid, pid as usize)
}
pub(crate) unsafe fn setsid() -> Result<usize, Errno> {
    syscall0(nr::__NR_setsid)
}
pub(crate) unsafe fn unshare(flags: u32) -> Result<usize, Errno> {
    syscall1(nr::__NR_unshare, flags as usize)
}
pub(crate) unsafe fn getuid() -> Result<usize, Errno> {
    syscall0(nr::__NR_getuid32)
}
pub(crate) unsafe fn geteuid() -> Result<usize, Errno> {
    syscall0(nr::__NR_geteuid32)
}
pub(crate) unsafe fn getgid() -> Result<usize, Errno> {
    syscall0(nr::__NR_getgid32)
}
pub(crate) unsafe fn getegid() -> Result<usize, Errno> {
    syscall0(nr::__NR_getegid32)
}
pub(crate) unsafe fn setuid(uid: u32) -> Result<usize, Errno> {
    syscall1(nr::__NR_setuid32, uid as usize)
}
pub(crate) unsafe fn setgid(gid: u32) -> Result<usize, Errno> {
    syscall1(nr::__NR_setgid32, gid as usize)
}
pub(crate) unsafe fn getgroups(n: usize, list: *mut u32) -> Result<usize, Errno> {
    syscall2(nr::__NR_getgroups32, n, list as usize)
}
pub(crate) unsafe fn prctl(
    option: u32,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
) -> Result<usize, Errno> {
    syscall5(nr::__NR_prctl, option as usize, a2, a3, a4, a5)
}
pub(crate) unsafe fn prlimit64(
    pid: i32,
    resource: u32,
    new: *const rlimit64,
    old: *mut rlimit64,
) -> Result<usize, Errno> {
    syscall4(
        nr::__NR_prlimit64,
        pid as usize,
        resource as usize,
        new as usize,
        old as usize,
    )
}
pub(crate) unsafe fn getrusage(who: i32, ru: *mut rusage) -> Result<usize, Errno> {
    syscall2(nr::__NR_getrusage, who as usize, ru as usize)
}
pub(crate) unsafe fn sched_yield() -> Result<usize, Errno> {
    syscall0(nr::__NR_sched_yield)
}
/// The kernel's `getpriority` returns `20 - nice` (1..=40) so that no result looks like an
/// error; glibc turns it back into the nice value.
pub(crate) unsafe fn getpriority(which: u32, who: u32) -> Result<usize, Errno> {
    syscall2(nr::__NR_getpriority, which as usize, who as usize)
}
pub(crate) unsafe fn setpriority(which: u32, who: u32, nice: i32) -> Result<usize, Errno> {
    syscall3(
        nr::__NR_setpriority,
        which as usize,
        who as usize,
        nice as usize,
    )
}
/// `struct tms`: four `clock_t`s (i386 `long`, 32 bits) in clock ticks — user, system,
/// children's user, children's system. (`linux-raw-sys` does not generate it.)
#[repr(C)]
#[derive(Default)]
pub(crate) struct Tms {
    pub(crate) utime: i32,
    pub(crate) stime: i32,
    pub(crate) cutime: i32,
    pub(crate) cstime: i32,
}

pub(crate) unsafe fn times(buf: *mut Tms) -> Result<usize, Errno> {
    syscall1(nr::__NR_times, buf as usize)
}
pub(crate) unsafe fn pipe2(fds: *mut [i32; 2], flags: u32) -> Result<usize, Errno> {
    syscall2(nr::__NR_pipe2, fds as usize, flags as usize)
}
