//! Startup cost: fork + exec + run to exit of each program given, N times, in one run.
//!
//! ```text
//! bench-startup N PROGRAM...
//! ```
//!
//! Each round fork/execs every PROGRAM once (stdout and stderr to /dev/null, empty
//! environment), in turn, so that drift on a shared machine hits all alike; the figure is
//! the median of the N wall-clock times from `fork` to the end of `wait4`. The ratio column
//! is the first PROGRAM's median divided by each one's (`hello ÷ this`).
//!
//! Peak RSS: `wait4`'s `struct rusage` gives `ru_maxrss` (KiB), the high-water mark of the
//! child — which, on Linux, includes the launcher's pages the child had between `fork` and
//! `execve` (exec folds the old image's peak into it). So every program also gets one
//! traced run: stopped by `PTRACE_EVENT_EXIT` just before it exits, its own image's
//! `VmHWM` is read from `/proc/PID/status`.
#![no_std]
#![no_main]

extern crate alloc;

use linux_gate_testkit::bench as util;

use alloc::ffi::CString;
use alloc::vec::Vec;
use linux_gate::errno::Errno;
use linux_gate::fs::{self, Mode, OFlags};
use linux_gate::process::{self, Fork, Pid, WaitOptions};
use linux_gate::syscall::{self, nr};
use linux_gate::{env, eprintln, exit, fd, println, signal};
use linux_raw_sys::general::rusage;
use util::{Milli, median, now_ns, ratio_milli};

linux_gate::entry!(main);

const PTRACE_TRACEME: usize = 0;
const PTRACE_CONT: usize = 7;
const PTRACE_SETOPTIONS: usize = 0x4200;
const PTRACE_O_TRACEEXIT: usize = 0x40;
const PTRACE_EVENT_EXIT: i32 = 6;

/// `wait4(pid, &status, 0, &rusage)`, retrying `EINTR`: the raw status and the usage. Raw,
/// because a ptrace stop's event number (`status >> 16`) is in no [`process::WaitStatus`].
fn wait4_rusage(pid: Pid) -> Result<(i32, rusage), Errno> {
    let mut status = 0i32;
    // SAFETY: `rusage` is plain integers; all-zero is a valid value.
    let mut ru: rusage = unsafe { core::mem::zeroed() };
    loop {
        // SAFETY: the kernel writes one int and one struct rusage.
        let r = unsafe {
            syscall::syscall4(
                nr::__NR_wait4,
                pid.as_raw() as usize,
                &mut status as *mut i32 as usize,
                0,
                &mut ru as *mut rusage as usize,
            )
        };
        match r {
            Ok(_) => return Ok((status, ru)),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The child side: stdout/stderr to /dev/null, optionally traced, then exec.
fn child(prog: &CString, traced: bool) -> ! {
    if let Ok(null) = fs::File::open(c"/dev/null", OFlags::WRONLY, Mode::empty()) {
        let _ = fd::dup2_stdout(&null);
        let _ = fd::dup2_stderr(&null);
    }
    if traced {
        // SAFETY: PTRACE_TRACEME takes no pointers; the parent becomes our tracer.
        let _ = unsafe { syscall::syscall4(nr::__NR_ptrace, PTRACE_TRACEME, 0, 0, 0) };
    }
    let e = process::execve(prog, &[prog.as_c_str()], &[]);
    eprintln!("bench-startup: execve {:?}: {}", prog, e);
    exit::exit_group(127)
}

/// Why a run gave no figure.
enum RunError {
    /// fork or wait4 failed.
    Os(Errno),
    /// The program did not exit with status 0.
    Status(process::WaitStatus),
}

impl core::fmt::Display for RunError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            RunError::Os(e) => write!(f, "{}", e),
            RunError::Status(process::WaitStatus::Exited(n)) => {
                write!(f, "exited with status {}", n)
            }
            RunError::Status(s) => write!(f, "ended by {:?}", s),
        }
    }
}

/// One untraced run: nanoseconds from fork to reaped, and ru_maxrss in KiB.
fn run_once(prog: &CString) -> Result<(u64, i64), RunError> {
    let t0 = now_ns();
    let pid = match process::fork().map_err(RunError::Os)? {
        Fork::Child => child(prog, false),
        Fork::Parent(pid) => pid,
    };
    let (_, status, usage) = process::wait4(Some(pid), WaitOptions::empty())
        .map_err(RunError::Os)?
        .ok_or(RunError::Os(Errno::ECHILD))?;
    let t = now_ns() - t0;
    if status != process::WaitStatus::Exited(0) {
        return Err(RunError::Status(status));
    }
    Ok((t, usage.max_rss_kib as i64))
}

/// `VmHWM` in KiB of `pid` from /proc/PID/status.
fn vm_hwm(pid: Pid) -> Option<u64> {
    let path = CString::new(alloc::format!("/proc/{}/status", pid)).ok()?;
    let text = fs::read(&path).ok()?;
    let text = core::str::from_utf8(&text).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line["VmHWM:".len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// One traced run: the program's own peak RSS (KiB), read as it is about to exit.
fn traced_hwm(prog: &CString) -> Option<u64> {
    let pid = match process::fork().ok()? {
        Fork::Child => child(prog, true),
        Fork::Parent(pid) => pid,
    };
    let ptrace = |req: usize, data: usize| {
        // SAFETY: requests on our own traced, stopped child; no pointers passed.
        unsafe { syscall::syscall4(nr::__NR_ptrace, req, pid.as_raw() as usize, 0, data) }
    };
    let mut hwm = None;
    // The first stop is the SIGTRAP after a successful execve.
    let (status, _) = wait4_rusage(pid).ok()?;
    if status & 0xff == 0x7f {
        let _ = ptrace(PTRACE_SETOPTIONS, PTRACE_O_TRACEEXIT);
        let _ = ptrace(PTRACE_CONT, 0);
        while let Ok((status, _)) = wait4_rusage(pid) {
            if status & 0xff != 0x7f {
                break; // exited or killed
            }
            if status >> 16 == PTRACE_EVENT_EXIT {
                hwm = vm_hwm(pid);
                let _ = ptrace(PTRACE_CONT, 0);
            } else {
                // A signal stop: deliver the signal.
                let _ = ptrace(PTRACE_CONT, ((status >> 8) & 0xff) as usize);
            }
        }
    } else {
        // ptrace unavailable (e.g. under qemu-i386): nothing to read.
        let _ = process::kill(pid, signal::SIGKILL);
        let _ = wait4_rusage(pid);
    }
    hwm
}

fn main() -> i32 {
    let n = util::arg_u64(1, 200).max(1) as usize;
    let progs: Vec<CString> = env::args_bytes()
        .skip(2)
        .filter_map(|p| CString::new(p).ok())
        .collect();
    if progs.is_empty() {
        eprintln!("usage: bench-startup N PROGRAM...");
        return 2;
    }
    let mut times: Vec<Vec<u64>> = progs.iter().map(|_| Vec::with_capacity(n)).collect();
    let mut maxrss: Vec<i64> = progs.iter().map(|_| 0).collect();
    for _ in 0..n {
        for (i, p) in progs.iter().enumerate() {
            match run_once(p) {
                Ok((t, rss)) => {
                    times[i].push(t);
                    maxrss[i] = maxrss[i].max(rss);
                }
                Err(e) => {
                    eprintln!("bench-startup: {:?}: {}", p, e);
                    return 1;
                }
            }
        }
    }
    println!(
        "startup: fork+exec+exit, median of {} runs each (round-robin); peak RSS in KiB",
        n
    );
    println!(
        "{:<40} {:>9} {:>7} {:>12} {:>10}",
        "program", "µs", "1st÷this", "ru_maxrss", "own VmHWM"
    );
    let base = median(&mut times[0].clone());
    for (i, p) in progs.iter().enumerate() {
        let m = median(&mut times[i]);
        let hwm = traced_hwm(p);
        let name = p.to_bytes().rsplit(|&b| b == b'/').next().unwrap_or(b"?");
        let hwm = match hwm {
            Some(h) => alloc::format!("{}", h),
            None => alloc::string::String::from("n/a"),
        };
        println!(
            "{:<40} {:>9} {:>7} {:>12} {:>10}",
            alloc::format!("{}", name.escape_ascii()),
            util::Tenths(m / 100),
            Milli(ratio_milli(base, m)),
            maxrss[i],
            hwm
        );
    }
    0
}
