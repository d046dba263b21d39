//! An in-process syscall trace in `strace`'s style (cargo feature `trace`).
//!
//! With the feature on and `LINUX_GATE_TRACE=1` in the environment, every syscall made
//! through [`crate::syscall`] is printed to stderr after it returns:
//!
//! ```text
//! write(1, "Hello, world!\n", 14) = 14 [vsyscall]
//! open("/nonexistent", O_RDONLY|O_LARGEFILE) = -1 ENOENT (No such file or directory) [int80]
//! openat(AT_FDCWD, 0x8, O_RDONLY) = -1 EFAULT (Bad address) [vsyscall]
//! ```
//!
//! The name comes from the syscall number (the table below is built from
//! `linux_raw_sys::general::__NR_*`); the common calls have their arguments decoded as strace
//! does (buffers escaped and cut at 32 bytes, paths whole up to `PATH_MAX`, open flags,
//! `mmap2` protections…), the others are shown in hex. The bracket says which way the call
//! went into the kernel.
//!
//! A pointer argument whose memory cannot be read is shown as the bare address (`0x8`), as
//! strace shows it; the trace never faults on the traced program's bad pointers: it reads
//! only what the kernel has just read itself, or pages the kernel says are readable (see
//! `page_readable` in the source). Every line is printed whole, however long: the result and
//! the bracket always end it.
//!
//! Without the feature the hook in `syscall.rs` is not compiled at all: zero cost. The switch
//! is ignored when `AT_SECURE` is set. Calls that never return (`exit_group`, a successful
//! `execve`) are not printed; strace shows them as `= ?`.
//!
//! The trace's own output and probes go through [`syscall::raw_syscall3`], which does not
//! call the trace hook, so tracing never traces itself. (They do show up under a real
//! `strace`: `write(2, …)` for the lines, `sigprocmask(0x7fffffff, …)` for the probes.)

use crate::errno::Errno;
use crate::syscall::{self, nr};
use core::fmt::{self, Write};
use core::sync::atomic::{AtomicBool, Ordering};
use linux_raw_sys::general as g;

/// The environment switch: `LINUX_GATE_TRACE=1` turns the trace on.
pub const TRACE_SWITCH: &[u8] = b"LINUX_GATE_TRACE";

static ENABLED: AtomicBool = AtomicBool::new(false);
static BUSY: AtomicBool = AtomicBool::new(false);

/// Called once by `_start`: turns the trace on if `LINUX_GATE_TRACE=1` and the exec is not
/// secure (`secure` is `AT_SECURE != 0`).
pub fn init(secure: bool) {
    let on = !secure && crate::stack::getenv(TRACE_SWITCH) == Some(b"1".as_slice());
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether syscalls are being traced.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Turns the trace on or off from the program itself (e.g. around one region).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// `write(2)` through the current entry, bypassing the traced `syscallN` (so the trace does
/// not trace its own output). Partial writes are retried; errors end the line silently.
fn raw_write(fd: usize, mut buf: &[u8]) {
    while !buf.is_empty() {
        // SAFETY: a plain write(2) of a live buffer.
        match unsafe { syscall::raw_syscall3(nr::__NR_write, fd, buf.as_ptr() as usize, buf.len()) }
        {
            Ok(0) | Err(_) => return,
            Ok(n) => buf = &buf[n.min(buf.len())..],
        }
    }
}

/// A line buffer on the stack: the trace allocates nothing (it may trace the allocator).
/// A line that fits (almost all do) goes out in one `write`; a longer one (a long path) is
/// written in pieces as the buffer fills, so nothing is ever cut off.
struct Line {
    buf: [u8; 512],
    len: usize,
}

impl Line {
    const fn new() -> Line {
        Line {
            buf: [0; 512],
            len: 0,
        }
    }

    /// Writes out what is buffered, to stderr.
    fn flush(&mut self) {
        raw_write(2, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut s = s.as_bytes();
        while !s.is_empty() {
            if self.len == self.buf.len() {
                self.flush();
            }
            let n = s.len().min(self.buf.len() - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&s[..n]);
            self.len += n;
            s = &s[n..];
        }
        Ok(())
    }
}

macro_rules! syscall_names {
    ($($c:ident,)*) => {
        /// The name of syscall `nr` on i386 (`"write"` for 4), as strace prints it.
        pub fn name(nr: u32) -> Option<&'static str> {
            let full = match nr {
                $(g::$c => stringify!($c),)*
                _ => return None,
            };
            full.strip_prefix("__NR_")
        }
    };
}

// Every name linux-raw-sys knows for i386; the numbers are its, none typed here.
syscall_names! {
    __NR_restart_syscall, __NR_exit, __NR_fork, __NR_read, __NR_write, __NR_open, __NR_close,
    __NR_waitpid, __NR_creat, __NR_link, __NR_unlink, __NR_execve, __NR_chdir, __NR_time, __NR_mknod,
    __NR_chmod, __NR_lchown, __NR_break, __NR_oldstat, __NR_lseek, __NR_getpid, __NR_mount,
    __NR_umount, __NR_setuid, __NR_getuid, __NR_stime, __NR_ptrace, __NR_alarm, __NR_oldfstat,
    __NR_pause, __NR_utime, __NR_stty, __NR_gtty, __NR_access, __NR_nice, __NR_ftime, __NR_sync,
    __NR_kill, __NR_rename, __NR_mkdir, __NR_rmdir, __NR_dup, __NR_pipe, __NR_times, __NR_prof,
    __NR_brk, __NR_setgid, __NR_getgid, __NR_signal, __NR_geteuid, __NR_getegid, __NR_acct,
    __NR_umount2, __NR_lock, __NR_ioctl, __NR_fcntl, __NR_mpx, __NR_setpgid, __NR_ulimit,
    __NR_oldolduname, __NR_umask, __NR_chroot, __NR_ustat, __NR_dup2, __NR_getppid, __NR_getpgrp,
    __NR_setsid, __NR_sigaction, __NR_sgetmask, __NR_ssetmask, __NR_setreuid, __NR_setregid,
    __NR_sigsuspend, __NR_sigpending, __NR_sethostname, __NR_setrlimit, __NR_getrlimit,
    __NR_getrusage, __NR_gettimeofday, __NR_settimeofday, __NR_getgroups, __NR_setgroups,
    __NR_select, __NR_symlink, __NR_oldlstat, __NR_readlink, __NR_uselib, __NR_swapon, __NR_reboot,
    __NR_readdir, __NR_mmap, __NR_munmap, __NR_truncate, __NR_ftruncate, __NR_fchmod, __NR_fchown,
    __NR_getpriority, __NR_setpriority, __NR_profil, __NR_statfs, __NR_fstatfs, __NR_ioperm,
    __NR_socketcall, __NR_syslog, __NR_setitimer, __NR_getitimer, __NR_stat, __NR_lstat, __NR_fstat,
    __NR_olduname, __NR_iopl, __NR_vhangup, __NR_idle, __NR_vm86old, __NR_wait4, __NR_swapoff,
    __NR_sysinfo, __NR_ipc, __NR_fsync, __NR_sigreturn, __NR_clone, __NR_setdomainname, __NR_uname,
    __NR_modify_ldt, __NR_adjtimex, __NR_mprotect, __NR_sigprocmask, __NR_create_module,
    __NR_init_module, __NR_delete_module, __NR_get_kernel_syms, __NR_quotactl, __NR_getpgid,
    __NR_fchdir, __NR_bdflush, __NR_sysfs, __NR_personality, __NR_afs_syscall, __NR_setfsuid,
    __NR_setfsgid, __NR__llseek, __NR_getdents, __NR__newselect, __NR_flock, __NR_msync, __NR_readv,
    __NR_writev, __NR_getsid, __NR_fdatasync, __NR__sysctl, __NR_mlock, __NR_munlock, __NR_mlockall,
    __NR_munlockall, __NR_sched_setparam, __NR_sched_getparam, __NR_sched_setscheduler,
    __NR_sched_getscheduler, __NR_sched_yield, __NR_sched_get_priority_max,
    __NR_sched_get_priority_min, __NR_sched_rr_get_interval, __NR_nanosleep, __NR_mremap,
    __NR_setresuid, __NR_getresuid, __NR_vm86, __NR_query_module, __NR_poll, __NR_nfsservctl,
    __NR_setresgid, __NR_getresgid, __NR_prctl, __NR_rt_sigreturn, __NR_rt_sigaction,
    __NR_rt_sigprocmask, __NR_rt_sigpending, __NR_rt_sigtimedwait, __NR_rt_sigqueueinfo,
    __NR_rt_sigsuspend, __NR_pread64, __NR_pwrite64, __NR_chown, __NR_getcwd, __NR_capget,
    __NR_capset, __NR_sigaltstack, __NR_sendfile, __NR_getpmsg, __NR_putpmsg, __NR_vfork,
    __NR_ugetrlimit, __NR_mmap2, __NR_truncate64, __NR_ftruncate64, __NR_stat64, __NR_lstat64,
    __NR_fstat64, __NR_lchown32, __NR_getuid32, __NR_getgid32, __NR_geteuid32, __NR_getegid32,
    __NR_setreuid32, __NR_setregid32, __NR_getgroups32, __NR_setgroups32, __NR_fchown32,
    __NR_setresuid32, __NR_getresuid32, __NR_setresgid32, __NR_getresgid32, __NR_chown32,
    __NR_setuid32, __NR_setgid32, __NR_setfsuid32, __NR_setfsgid32, __NR_pivot_root, __NR_mincore,
    __NR_madvise, __NR_getdents64, __NR_fcntl64, __NR_gettid, __NR_readahead, __NR_setxattr,
    __NR_lsetxattr, __NR_fsetxattr, __NR_getxattr, __NR_lgetxattr, __NR_fgetxattr, __NR_listxattr,
    __NR_llistxattr, __NR_flistxattr, __NR_removexattr, __NR_lremovexattr, __NR_fremovexattr,
    __NR_tkill, __NR_sendfile64, __NR_futex, __NR_sched_setaffinity, __NR_sched_getaffinity,
    __NR_set_thread_area, __NR_get_thread_area, __NR_io_setup, __NR_io_destroy, __NR_io_getevents,
    __NR_io_submit, __NR_io_cancel, __NR_fadvise64, __NR_exit_group, __NR_lookup_dcookie,
    __NR_epoll_create, __NR_epoll_ctl, __NR_epoll_wait, __NR_remap_file_pages, __NR_set_tid_address,
    __NR_timer_create, __NR_timer_settime, __NR_timer_gettime, __NR_timer_getoverrun,
    __NR_timer_delete, __NR_clock_settime, __NR_clock_gettime, __NR_clock_getres,
    __NR_clock_nanosleep, __NR_statfs64, __NR_fstatfs64, __NR_tgkill, __NR_utimes, __NR_fadvise64_64,
    __NR_vserver, __NR_mbind, __NR_get_mempolicy, __NR_set_mempolicy, __NR_mq_open, __NR_mq_unlink,
    __NR_mq_timedsend, __NR_mq_timedreceive, __NR_mq_notify, __NR_mq_getsetattr, __NR_kexec_load,
    __NR_waitid, __NR_add_key, __NR_request_key, __NR_keyctl, __NR_ioprio_set, __NR_ioprio_get,
    __NR_inotify_init, __NR_inotify_add_watch, __NR_inotify_rm_watch, __NR_migrate_pages,
    __NR_openat, __NR_mkdirat, __NR_mknodat, __NR_fchownat, __NR_futimesat, __NR_fstatat64,
    __NR_unlinkat, __NR_renameat, __NR_linkat, __NR_symlinkat, __NR_readlinkat, __NR_fchmodat,
    __NR_faccessat, __NR_pselect6, __NR_ppoll, __NR_unshare, __NR_set_robust_list,
    __NR_get_robust_list, __NR_splice, __NR_sync_file_range, __NR_tee, __NR_vmsplice,
    __NR_move_pages, __NR_getcpu, __NR_epoll_pwait, __NR_utimensat, __NR_signalfd,
    __NR_timerfd_create, __NR_eventfd, __NR_fallocate, __NR_timerfd_settime, __NR_timerfd_gettime,
    __NR_signalfd4, __NR_eventfd2, __NR_epoll_create1, __NR_dup3, __NR_pipe2, __NR_inotify_init1,
    __NR_preadv, __NR_pwritev, __NR_rt_tgsigqueueinfo, __NR_perf_event_open, __NR_recvmmsg,
    __NR_fanotify_init, __NR_fanotify_mark, __NR_prlimit64, __NR_name_to_handle_at,
    __NR_open_by_handle_at, __NR_clock_adjtime, __NR_syncfs, __NR_sendmmsg, __NR_setns,
    __NR_process_vm_readv, __NR_process_vm_writev, __NR_kcmp, __NR_finit_module, __NR_sched_setattr,
    __NR_sched_getattr, __NR_renameat2, __NR_seccomp, __NR_getrandom, __NR_memfd_create, __NR_bpf,
    __NR_execveat, __NR_socket, __NR_socketpair, __NR_bind, __NR_connect, __NR_listen, __NR_accept4,
    __NR_getsockopt, __NR_setsockopt, __NR_getsockname, __NR_getpeername, __NR_sendto, __NR_sendmsg,
    __NR_recvfrom, __NR_recvmsg, __NR_shutdown, __NR_userfaultfd, __NR_membarrier, __NR_mlock2,
    __NR_copy_file_range, __NR_preadv2, __NR_pwritev2, __NR_pkey_mprotect, __NR_pkey_alloc,
    __NR_pkey_free, __NR_statx, __NR_arch_prctl, __NR_io_pgetevents, __NR_rseq, __NR_semget,
    __NR_semctl, __NR_shmget, __NR_shmctl, __NR_shmat, __NR_shmdt, __NR_msgget, __NR_msgsnd,
    __NR_msgrcv, __NR_msgctl, __NR_clock_gettime64, __NR_clock_settime64, __NR_clock_adjtime64,
    __NR_clock_getres_time64, __NR_clock_nanosleep_time64, __NR_timer_gettime64,
    __NR_timer_settime64, __NR_timerfd_gettime64, __NR_timerfd_settime64, __NR_utimensat_time64,
    __NR_pselect6_time64, __NR_ppoll_time64, __NR_io_pgetevents_time64, __NR_recvmmsg_time64,
    __NR_mq_timedsend_time64, __NR_mq_timedreceive_time64, __NR_semtimedop_time64,
    __NR_rt_sigtimedwait_time64, __NR_futex_time64, __NR_sched_rr_get_interval_time64,
    __NR_pidfd_send_signal, __NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register,
    __NR_open_tree, __NR_move_mount, __NR_fsopen, __NR_fsconfig, __NR_fsmount, __NR_fspick,
    __NR_pidfd_open, __NR_clone3, __NR_close_range, __NR_openat2, __NR_pidfd_getfd, __NR_faccessat2,
    __NR_process_madvise, __NR_epoll_pwait2, __NR_mount_setattr, __NR_quotactl_fd,
    __NR_landlock_create_ruleset, __NR_landlock_add_rule, __NR_landlock_restrict_self,
    __NR_memfd_secret, __NR_process_mrelease, __NR_futex_waitv, __NR_set_mempolicy_home_node,
    __NR_cachestat, __NR_fchmodat2, __NR_map_shadow_stack, __NR_futex_wake, __NR_futex_wait,
    __NR_futex_requeue, __NR_statmount, __NR_listmount, __NR_lsm_get_self_attr,
    __NR_lsm_set_self_attr, __NR_lsm_list_modules, __NR_mseal, __NR_setxattrat, __NR_getxattrat,
    __NR_listxattrat, __NR_removexattrat, __NR_open_tree_attr, __NR_file_getattr, __NR_file_setattr,
}

/// The most bytes of a string argument shown, as `strace -s 32` (the default).
pub const STRING_LIMIT: usize = 32;

/// Writes `bytes` as a C string literal the way strace does: `"Hello\n"`, non-printables in
/// octal, at most `limit` bytes, then `...` if cut.
pub fn quote(w: &mut impl Write, bytes: &[u8], limit: usize) -> fmt::Result {
    w.write_char('"')?;
    let shown = &bytes[..bytes.len().min(limit)];
    for (i, &b) in shown.iter().enumerate() {
        match b {
            b'"' => w.write_str("\\\"")?,
            b'\\' => w.write_str("\\\\")?,
            b'\t' => w.write_str("\\t")?,
            b'\n' => w.write_str("\\n")?,
            0x0b => w.write_str("\\v")?,
            0x0c => w.write_str("\\f")?,
            b'\r' => w.write_str("\\r")?,
            0x20..=0x7e => w.write_char(b as char)?,
            _ => {
                // Shortest octal, unless the next byte is an octal digit.
                let next_digit = matches!(shown.get(i + 1), Some(b'0'..=b'7'));
                if next_digit {
                    write!(w, "\\{:03o}", b)?
                } else {
                    write!(w, "\\{:o}", b)?
                }
            }
        }
    }
    w.write_char('"')?;
    if bytes.len() > limit {
        w.write_str("...")?;
    }
    Ok(())
}

/// The longest path strace shows (`PATH_MAX - 1` bytes; a longer one gets `...`). Paths are
/// not cut at [`STRING_LIMIT`]: strace prints them whole.
pub const PATH_LIMIT: usize = 4095;

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
fn stat_summary(w: &mut impl Write, st: &g::stat64) -> fmt::Result {
    const TYPES: [(u32, &str); 7] = [
        (g::S_IFREG, "S_IFREG"),
        (g::S_IFDIR, "S_IFDIR"),
        (g::S_IFCHR, "S_IFCHR"),
        (g::S_IFBLK, "S_IFBLK"),
        (g::S_IFIFO, "S_IFIFO"),
        (g::S_IFLNK, "S_IFLNK"),
        (g::S_IFSOCK, "S_IFSOCK"),
    ];
    let mode = st.st_mode;
    let kind = mode & g::S_IFMT;
    w.write_str("{st_mode=")?;
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
    c_octal(w, mode & 0o7777 & !(g::S_ISUID | g::S_ISGID | g::S_ISVTX))?;
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
fn args(w: &mut impl Write, nr: u32, a: &[usize], result: Result<usize, Errno>) -> fmt::Result {
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

/// Formats one trace line (without the newline): `name(args) = result [mechanism]`. Never
/// cut: a long path is written whole, and the result and bracket always follow.
pub fn format(
    w: &mut impl Write,
    nr: u32,
    a: &[usize],
    result: Result<usize, Errno>,
    mech: syscall::Mechanism,
) -> fmt::Result {
    match name(nr) {
        Some(n) => w.write_str(n)?,
        None => write!(w, "syscall_{:#x}", nr)?,
    }
    w.write_char('(')?;
    args(w, nr, a, result)?;
    w.write_str(") = ")?;
    match result {
        Ok(v) if matches!(nr, nr::__NR_brk | nr::__NR_mmap2) => write!(w, "{:#x}", v)?,
        Ok(v) => write!(w, "{}", v as isize)?,
        Err(e) => {
            w.write_str("-1 ")?;
            match e.name() {
                Some(n) => w.write_str(n)?,
                None => write!(w, "E{}", e.raw())?,
            }
            if let Some(m) = e.message() {
                write!(w, " ({})", m)?;
            }
        }
    }
    write!(w, " [{}]", mech.name())
}

/// The hook `syscall.rs` calls after every syscall when the feature is on.
pub fn after(nr: u32, a: &[usize], result: Result<usize, Errno>) {
    if !enabled() || BUSY.swap(true, Ordering::Acquire) {
        return;
    }
    let mut line = Line::new();
    // `Line` never fails: it writes out what it holds when full.
    let _ = format(&mut line, nr, a, result, syscall::mechanism());
    let _ = line.write_char('\n');
    line.flush();
    BUSY.store(false, Ordering::Release);
}
