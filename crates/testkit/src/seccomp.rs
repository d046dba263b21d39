//! Playing an older kernel: a seccomp filter that fails chosen system calls with `ENOSYS`, as
//! a kernel that predates them does (e.g. the `*_time64` calls before Linux 5.1), so a test
//! can reach the fallback a program takes there.
//!
//! Natively only: qemu-i386 7.2 answers `seccomp(2)` with `ENOSYS`, and valgrind would apply
//! the filter to itself. The filter lasts for the rest of the process and its children, so a
//! test installs it in a forked child ([`crate::run_in_child`] runs every test in one).

use alloc::vec::Vec;
use linux_gate::Errno;
use linux_gate::process;
use linux_gate::syscall::{nr, syscall3};
use linux_raw_sys::ptrace::{
    AUDIT_ARCH_I386, BPF_ABS, BPF_JEQ, BPF_JMP, BPF_K, BPF_LD, BPF_RET, BPF_W, SECCOMP_RET_ALLOW,
    SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_PROCESS, SECCOMP_SET_MODE_FILTER, seccomp_data,
    sock_filter, sock_fprog,
};

/// One classic-BPF instruction with no jump.
fn stmt(code: u32, k: u32) -> sock_filter {
    sock_filter {
        code: code as u16,
        jt: 0,
        jf: 0,
        k,
    }
}

/// `if (A == k)`: skip `jt` instructions when true, `jf` when false.
fn jeq(k: u32, jt: u8, jf: u8) -> sock_filter {
    sock_filter {
        code: (BPF_JMP | BPF_JEQ | BPF_K) as u16,
        jt,
        jf,
        k,
    }
}

/// `A = seccomp_data[offset]` (a 32-bit word).
fn load(offset: usize) -> sock_filter {
    stmt(BPF_LD | BPF_W | BPF_ABS, offset as u32)
}

/// The filter: i386 calls in `calls` return `ENOSYS`, other i386 calls run, and a call made
/// with another architecture's numbers kills the process (its numbers would be misread).
fn program(calls: &[u32]) -> Vec<sock_filter> {
    let n = calls.len();
    assert!(n < 255, "one jump must reach the ENOSYS return");
    let mut p = Vec::with_capacity(n + 6);
    p.push(load(core::mem::offset_of!(seccomp_data, arch)));
    p.push(jeq(AUDIT_ARCH_I386, 1, 0));
    p.push(stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    p.push(load(core::mem::offset_of!(seccomp_data, nr)));
    for (i, &call) in calls.iter().enumerate() {
        // From the i-th compare, the ENOSYS return is n - i instructions further on (past
        // the remaining compares and the ALLOW).
        p.push(jeq(call, (n - i) as u8, 0));
    }
    p.push(stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    p.push(stmt(
        BPF_RET | BPF_K,
        SECCOMP_RET_ERRNO | Errno::ENOSYS.raw() as u32,
    ));
    p
}

/// Installs the filter on this process for good: every call in `calls` (i386 numbers, e.g.
/// `nr::__NR_futex_time64`) fails with `ENOSYS` from now on, here and in children forked
/// later. Sets `no_new_privs` first, which an unprivileged process needs.
pub fn fail_with_enosys(calls: &[u32]) -> Result<(), Errno> {
    let mut filter = program(calls);
    let prog = sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_mut_ptr(),
    };
    process::set_no_new_privs()?;
    // SAFETY: seccomp reads the sock_fprog and the `len` instructions it points to; both
    // live until the call returns (the kernel keeps its own copy). There is no typed
    // seccomp call: the runtime has no use for one.
    let r = unsafe {
        syscall3(
            nr::__NR_seccomp,
            SECCOMP_SET_MODE_FILTER as usize,
            0,
            &prog as *const sock_fprog as usize,
        )
    };
    r.map(|_| ())
}
