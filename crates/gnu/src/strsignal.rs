//! glibc's `strsignal` texts: what shells print when a program dies of a signal.

use alloc::borrow::Cow;
use linux_gate::signal::NSIG;

/// glibc's `SIGRTMIN`: 32 and 33 are kept by glibc for its threads, so `Real-time signal 0`
/// is 34.
const GLIBC_SIGRTMIN: i32 = 34;

/// What glibc's `strsignal` says for `sig` (`Segmentation fault`, `Terminated`, …): the text
/// shells print when a program dies of it. `sig` is a raw number, as `strsignal`'s `int`, so
/// that numbers no [`linux_gate::signal::Signal`] holds (0, 65, …) have their text too; pass
/// a `Signal`'s `as_raw()`. Real-time signals are numbered from glibc's
/// `SIGRTMIN`, 34 (`Real-time signal 0`) to 64 (`Real-time signal 30`); 32 and 33, which
/// glibc keeps for itself, and numbers outside 1–64 are `Unknown signal N`.
pub fn description(sig: i32) -> Cow<'static, str> {
    const TEXT: [&str; 32] = [
        "Unknown signal 0",
        "Hangup",
        "Interrupt",
        "Quit",
        "Illegal instruction",
        "Trace/breakpoint trap",
        "Aborted",
        "Bus error",
        "Floating point exception",
        "Killed",
        "User defined signal 1",
        "Segmentation fault",
        "User defined signal 2",
        "Broken pipe",
        "Alarm clock",
        "Terminated",
        "Stack fault",
        "Child exited",
        "Continued",
        "Stopped (signal)",
        "Stopped",
        "Stopped (tty input)",
        "Stopped (tty output)",
        "Urgent I/O condition",
        "CPU time limit exceeded",
        "File size limit exceeded",
        "Virtual timer expired",
        "Profiling timer expired",
        "Window changed",
        "I/O possible",
        "Power failure",
        "Bad system call",
    ];
    match sig {
        0..=31 => Cow::Borrowed(TEXT[sig as usize]),
        GLIBC_SIGRTMIN..=NSIG => {
            Cow::Owned(alloc::format!("Real-time signal {}", sig - GLIBC_SIGRTMIN))
        }
        _ => Cow::Owned(alloc::format!("Unknown signal {}", sig)),
    }
}
