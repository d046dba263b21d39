//! System calls behind threads, TLS and futexes (`crate::thread`, `crate::tls`,
//! `crate::sync`). One line each; the callers' `// SAFETY:` comments say why a call is sound.
//!
//! `clone` is not here: its child must not return through `__kernel_vsyscall` onto a fresh
//! stack, so it lives in the asm trampoline of `crate::thread::clone`.

use crate::errno::Errno;
use crate::syscall::{syscall0, syscall1, syscall2, syscall3, syscall4, syscall6};
use linux_raw_sys::general::{self as g, user_desc};

/// `set_thread_area(u_info)`: installs (or, with `entry_number == -1`, allocates and writes
/// back) a TLS descriptor in this thread's GDT slots.
pub(crate) unsafe fn set_thread_area(u_info: *mut user_desc) -> Result<usize, Errno> { unsafe { syscall1(g::__NR_set_thread_area, u_info as usize) } }

/// `gettid()`: this thread's id.
pub(crate) unsafe fn gettid() -> Result<usize, Errno> { unsafe { syscall0(g::__NR_gettid) } }

/// `tgkill(tgid, tid, sig)`: a signal to one thread of a thread group.
pub(crate) unsafe fn tgkill(tgid: usize, tid: usize, sig: usize) -> Result<usize, Errno> { unsafe { syscall3(g::__NR_tgkill, tgid, tid, sig) } }

/// `exit(code)`: ends the calling thread only (`exit_group` ends them all).
pub(crate) unsafe fn exit_thread(code: usize) -> Result<usize, Errno> { unsafe { syscall1(g::__NR_exit, code) } }

/// `sched_yield()`.
pub(crate) unsafe fn sched_yield() -> Result<usize, Errno> { unsafe { syscall0(g::__NR_sched_yield) } }

/// `prctl(option, arg2, 0, 0, 0)`.
pub(crate) unsafe fn prctl2(option: usize, arg2: usize) -> Result<usize, Errno> { unsafe { syscall2(g::__NR_prctl, option, arg2) } }

/// `futex_time64(uaddr, op, val, timeout, 0, 0)`: `timeout` is a `__kernel_timespec` (64-bit
/// seconds) or null. Linux ≥ 5.1 on 32-bit; ENOSYS before.
pub(crate) unsafe fn futex_time64(uaddr: usize, op: u32, val: u32, timeout: usize) -> Result<usize, Errno> { unsafe { syscall4(g::__NR_futex_time64, uaddr, op as usize, val as usize, timeout) } }

/// `futex(uaddr, op, val, timeout)`: the old call, `timeout` an `old_timespec32` or null.
pub(crate) unsafe fn futex(uaddr: usize, op: u32, val: u32, timeout: usize) -> Result<usize, Errno> { unsafe { syscall4(g::__NR_futex, uaddr, op as usize, val as usize, timeout) } }

/// `mmap2(0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS [| extra], -1, 0)`.
pub(crate) unsafe fn mmap_anon(len: usize, prot: u32, extra: u32) -> Result<usize, Errno> { unsafe { syscall6(g::__NR_mmap2, 0, len, prot as usize, (g::MAP_PRIVATE | g::MAP_ANONYMOUS | extra) as usize, usize::MAX, 0) } }

/// `mprotect(addr, len, prot)`.
pub(crate) unsafe fn mprotect(addr: usize, len: usize, prot: u32) -> Result<usize, Errno> { unsafe { syscall3(g::__NR_mprotect, addr, len, prot as usize) } }

/// `munmap(addr, len)`.
pub(crate) unsafe fn munmap(addr: usize, len: usize) -> Result<usize, Errno> { unsafe { syscall2(g::__NR_munmap, addr, len) } }

