//! Hostile input: huge environments, the kernel's string limits, non-UTF-8 and escape bytes
//! in argv, death by every signal, SIGPIPE/EPIPE, interrupted I/O, allocation failure and
//! stack overflow. Each ends in a clear error or an orderly, correctly reported exit — never a
//! hang or a silent loss. Natively and under qemu-i386. (argc = 0 is in tests/foundation.rs.)
#![no_std]
#![no_main]

extern crate alloc;

use alloc::ffi::CString;
use alloc::format;
use alloc::vec::Vec;
use core::ffi::CStr;
use core::sync::atomic::{AtomicUsize, Ordering};
use linux_gate::fd::{self, AsFd, BorrowedFd};
use linux_gate::fs::{Mode, OFlags};
use linux_gate::io;
use linux_gate::process::{self, ExecError, WaitStatus};
use linux_gate::process::{Fork, PipeFlags, WaitOptions};
use linux_gate::signal::Signal;
use linux_gate::signal::{self, Action, Flags, SigSet};
use linux_gate::{Errno, exit, fs};
use linux_gate_testkit::{VALGRIND_ENV, is_valgrind_env, under_valgrind, valgrind_log};
use linux_gate_testkit::{example_path, run_capture, under_qemu};

linux_gate_testkit::tests!(
    env_100000_variables,
    env_largest_single_string,
    env_too_long_string_is_e2big,
    env_one_megabyte_variable_is_e2big,
    env_100000_longer_variables_are_e2big,
    argv_invalid_utf8_and_escapes,
    child_killed_by_every_signal,
    sigpipe_kills_by_default,
    epipe_when_sigpipe_ignored,
    print_to_closed_pipe_reports_error,
    println_before_exec_is_not_lost,
    fork_with_unwritable_stdout_forks_and_reports_at_exit,
    failed_print_panics_at_the_callers_line,
    write_interrupted_by_signal,
    write_all_survives_signals,
    read_interrupted_by_signal,
    allocation_failure_reports_and_aborts,
    stack_overflow_is_sigsegv,
);

/// The kernel's per-string limit for argv/envp (`MAX_ARG_STRLEN` = 32 pages), NUL included.
const MAX_ARG_STRLEN: usize = 32 * 4096;

/// Lines of the args example's output starting with `prefix`.
fn lines_with<'a>(out: &'a [u8], prefix: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    out.split(|&b| b == b'\n')
        .filter(move |l| l.starts_with(prefix))
}

fn env_100000_variables() {
    // 8 bytes each with the NUL: 800 KB of strings plus 800 KB of pointers (the kernel counts
    // 8 bytes per pointer, even for a 32-bit program) stays under the 2 MiB total limit.
    let vars: Vec<CString> = (0..100_000)
        .map(|i| CString::new(format!("V{:05}=", i)).unwrap())
        .collect();
    let envp: Vec<&CStr> = vars.iter().map(|v| v.as_c_str()).collect();
    let out = run_capture(&example_path("args"), &[c"args"], &envp, b"");
    assert_eq!(
        out.status,
        WaitStatus::Exited(0),
        "{}",
        out.stderr.escape_ascii()
    );
    // Valgrind appends its own variables after ours.
    let added = if under_valgrind() {
        VALGRIND_ENV.len()
    } else {
        0
    };
    assert_eq!(
        lines_with(&out.stdout, b"envc: ").next(),
        Some(format!("envc: {}", 100_000 + added).as_bytes())
    );
    let got: Vec<&[u8]> = lines_with(&out.stdout, b"envp[").collect();
    assert_eq!(got.len(), 100_000 + added);
    for (i, line) in [0usize, 1, 54_321, 99_999].map(|i| (i, got[i])) {
        // qemu-i386 7.2 hands the guest its environment in reverse order.
        let j = if under_qemu() { 99_999 - i } else { i };
        assert_eq!(line, format!("envp[{}]: V{:05}=", i, j).as_bytes());
    }
}

/// Runs `path argv` with `envp` in a forked child (under qemu when in the qemu run) and
/// returns how exec went: `Err(errno)` if the kernel refused it, else the child's status.
fn try_exec(path: &CStr, argv: &[&[u8]], envp: &[&[u8]]) -> Result<WaitStatus, Errno> {
    let (r, w) = process::pipe2(PipeFlags::CLOEXEC).expect("pipe2");
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        drop(r);
        let devnull = fs::File::open(c"/dev/null", OFlags::WRONLY, Mode::empty()).expect("null");
        let _ = fd::dup2_stdout(&devnull);
        let e = if under_qemu() {
            let mut a: Vec<&[u8]> = alloc::vec![b"qemu-i386", path.to_bytes()];
            a.extend_from_slice(argv);
            process::exec(b"/usr/bin/qemu-i386", &a, envp)
        } else {
            process::exec(path.to_bytes(), argv, envp)
        };
        // exec failed: tell the parent which errno (the pipe closes on a successful exec).
        let code = match e {
            ExecError::Os(e) => e.raw() as i32,
            ExecError::Nul(_) => -1,
        };
        let _ = io::write_all(&w, &code.to_le_bytes());
        exit::_exit(127);
    };
    drop(w);
    let mut buf = Vec::new();
    io::read_to_end(&r, &mut buf).expect("read");
    let st = process::wait(pid).expect("wait");
    if buf.len() == 4 {
        let e = i32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]);
        return Err(Errno::from_raw(e as u16));
    }
    if under_valgrind()
        && st == WaitStatus::Exited(101)
        && let Some(e) = valgrind_exec_failure(pid)
    {
        return Err(e);
    }
    Ok(st)
}

/// Under valgrind, `execve` goes through valgrind's launcher, and when the kernel refuses
/// it valgrind cannot return the error to the program: it logs `execve(…) failed, errno N`
/// and `EXEC FAILED: …`, and exits with status 101. This reads that errno from the log of
/// process `pid` (the kernel's answer, as natively); `None` if the log says no such thing.
fn valgrind_exec_failure(pid: process::Pid) -> Option<Errno> {
    let Some(log) = valgrind_log(pid) else {
        linux_gate::eprintln!(
            "note: valgrind: no --log-file in LINUX_GATE_VALGRIND_OPTS, so exit status 101 is \
             not traced back to the errno of the failed execve"
        );
        return None;
    };
    if !log.windows(12).any(|w| w == b"EXEC FAILED:") {
        return None;
    }
    let at = log.windows(15).position(|w| w == b" failed, errno ")? + 15;
    let digits = log[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    let n: u16 = core::str::from_utf8(&log[at..at + digits])
        .ok()?
        .parse()
        .ok()?;
    Some(Errno::from_raw(n))
}

/// One environment string of exactly `len` bytes (NUL not counted): `BIG=xxxx…`.
fn big_var(len: usize) -> Vec<u8> {
    let mut v = b"BIG=".to_vec();
    v.resize(len, b'x');
    v
}

fn env_largest_single_string() {
    // The largest string the kernel accepts: MAX_ARG_STRLEN bytes including its NUL.
    let big = big_var(MAX_ARG_STRLEN - 1);
    let out = run_capture(
        &example_path("args"),
        &[c"args"],
        &[CString::new(big.clone()).unwrap().as_c_str()],
        b"",
    );
    assert_eq!(
        out.status,
        WaitStatus::Exited(0),
        "{}",
        out.stderr.escape_ascii()
    );
    let line = lines_with(&out.stdout, b"envp[0]: ")
        .next()
        .expect("envp[0]");
    assert_eq!(&line[9..], big.as_slice());
    // The same limit holds for an argument.
    let arg = alloc::vec![b'a'; MAX_ARG_STRLEN - 1];
    assert_eq!(
        try_exec(&example_path("args"), &[b"args", &arg], &[] as &[&[u8]]),
        Ok(WaitStatus::Exited(0))
    );
}

fn env_too_long_string_is_e2big() {
    // One byte more and execve fails with E2BIG, reported as such, before anything runs.
    let big = big_var(MAX_ARG_STRLEN);
    let args = example_path("args");
    assert_eq!(
        try_exec(&args, &[b"args"], &[big.as_slice()]),
        Err(Errno::E2BIG)
    );
    let arg = alloc::vec![b'a'; MAX_ARG_STRLEN];
    assert_eq!(
        try_exec(&args, &[b"args", &arg], &[] as &[&[u8]]),
        Err(Errno::E2BIG)
    );
    assert_eq!(
        format!("{}", ExecError::Os(Errno::E2BIG)),
        "Argument list too long"
    );
}

fn env_one_megabyte_variable_is_e2big() {
    let big = big_var(1 << 20);
    assert_eq!(
        try_exec(&example_path("args"), &[b"args"], &[big.as_slice()]),
        Err(Errno::E2BIG)
    );
    // Split into eight strings under the per-string limit, 1 MiB of environment is fine
    // (the total limit is a quarter of the stack rlimit: 2 MiB with the usual 8 MiB).
    let parts: Vec<Vec<u8>> = (0..8)
        .map(|i| {
            let mut v = format!("P{}=", i).into_bytes();
            v.resize(MAX_ARG_STRLEN - 1, b'y');
            v
        })
        .collect();
    let envp: Vec<&[u8]> = parts.iter().map(|p| p.as_slice()).collect();
    assert_eq!(
        try_exec(&example_path("args"), &[b"args"], &envp),
        Ok(WaitStatus::Exited(0))
    );
}

fn env_100000_longer_variables_are_e2big() {
    // 100,000 variables of 13 bytes with the NUL: 1,300,000 B of strings. The kernel's total
    // limit is a quarter of the stack rlimit (at most 6 MiB), and it charges each argv/envp
    // pointer at *its* pointer size, 8 bytes, even for a 32-bit program: 800,016 B more, in
    // all just over the 2 MiB of an 8 MiB rlimit. Counted at 4 bytes a pointer it would fit.
    let vars: Vec<Vec<u8>> = (0..100_000)
        .map(|i| format!("V{:09}=1", i).into_bytes())
        .collect();
    let envp: Vec<&[u8]> = vars.iter().map(|v| v.as_slice()).collect();
    let strings: usize = vars.iter().map(|v| v.len() + 1).sum();
    assert_eq!(strings, 1_300_000);
    let lim = process::getrlimit(process::Resource::Stack);
    // Unlimited (None) is above the 6 MiB cap as well.
    let limit = (lim.current.unwrap_or(u64::MAX) / 4).min(6 << 20) as usize;
    let pointers = (envp.len() + 2) * 8;
    let want = if strings + pointers > limit {
        Err(Errno::E2BIG)
    } else {
        Ok(WaitStatus::Exited(0))
    };
    // What the README's row says, on the usual 8 MiB stack rlimit: E2BIG, although the
    // same strings with 4-byte pointers (1,700,008 B) would be under the limit.
    if lim.current == Some(8 << 20) {
        assert_eq!(want, Err(Errno::E2BIG));
        assert!(strings + (envp.len() + 2) * 4 < limit);
    }
    assert_eq!(try_exec(&example_path("args"), &[b"args"], &envp), want);
}

fn argv_invalid_utf8_and_escapes() {
    let argv: [&CStr; 6] = [
        c"args",
        c"\xff\xfe\x80",
        c"\x1b[31mred\x1b[0m",
        c"tab\there\nnewline",
        c"",
        c"\xc3\xa9t\xc3\xa9",
    ];
    let path = example_path("args");
    let out = run_capture(&path, &argv, &[c"E=\x1b]0;title\x07"], b"");
    assert_eq!(
        out.status,
        WaitStatus::Exited(0),
        "{}",
        out.stderr.escape_ascii()
    );
    // Valgrind starts a program with `argv[0]` = its path and appends its own variables to
    // the environment: compare the rest, and those two as valgrind makes them.
    let (argv0, stdout) = if under_valgrind() {
        (
            format!("{}", path.to_bytes().escape_ascii()),
            without_valgrind_env(&out.stdout),
        )
    } else {
        (alloc::string::String::from("args"), out.stdout.clone())
    };
    let out = linux_gate_testkit::Output { stdout, ..out };
    // The bytes arrive unchanged: args prints each escaped with escape_ascii.
    let want = format!(
        "argc: 6\nargv[0]: {argv0}\nargv[1]: \\xff\\xfe\\x80\nargv[2]: \\x1b[31mred\\x1b[0m\n\
         argv[3]: tab\\there\\nnewline\nargv[4]: \nargv[5]: \\xc3\\xa9t\\xc3\\xa9\nenvc: 1\n\
         envp[0]: E=\\x1b]0;title\\x07\n"
    );
    assert_eq!(out.stdout, want.as_bytes(), "{}", out.stdout.escape_ascii());
    // env::args_str reports the non-UTF-8 one as bytes instead of failing.
    let n = linux_gate::env::args_str().filter(|a| a.is_err()).count();
    assert_eq!(n, 0, "this test binary's own argv is UTF-8");
}

/// The `args` example's output without the `envp[i]` lines of the variables valgrind adds
/// (which must all be there), and `envc` counted without them.
fn without_valgrind_env(out: &[u8]) -> Vec<u8> {
    let theirs = |l: &[u8]| {
        l.starts_with(b"envp[")
            && l.splitn(2, |&b| b == b' ')
                .nth(1)
                .is_some_and(is_valgrind_env)
    };
    let lines: Vec<&[u8]> = out.split_inclusive(|&b| b == b'\n').collect();
    let added = lines.iter().filter(|l| theirs(l)).count();
    assert_eq!(added, VALGRIND_ENV.len(), "{}", out.escape_ascii());
    let own = lines.iter().filter(|l| l.starts_with(b"envp[")).count() - added;
    let mut kept = Vec::new();
    for l in lines.iter().filter(|l| !theirs(l)) {
        if l.starts_with(b"envc: ") {
            kept.extend_from_slice(format!("envc: {own}\n").as_bytes());
        } else {
            kept.extend_from_slice(l);
        }
    }
    kept
}

/// What the default action of `sig` does to a process.
#[derive(Debug, PartialEq)]
enum Default {
    Terminate,
    Ignore,
    Stop,
}

fn default_action(sig: Signal) -> Default {
    match sig {
        signal::SIGCHLD | signal::SIGCONT | signal::SIGURG | signal::SIGWINCH => Default::Ignore,
        signal::SIGSTOP | signal::SIGTSTP | signal::SIGTTIN | signal::SIGTTOU => Default::Stop,
        _ => Default::Terminate,
    }
}

/// Signals whose default action valgrind 3.19's signal emulation does not carry out: it
/// neither terminates on `SIGSTKFLT` nor stops on `SIGTSTP`/`SIGTTIN`/`SIGTTOU` (only the
/// kernel's `SIGSTOP` stops a process under valgrind); the signal interrupts a blocking
/// call, or nothing happens.
fn valgrind_lacks_default(sig: Signal) -> bool {
    [
        signal::SIGSTKFLT,
        signal::SIGTSTP,
        signal::SIGTTIN,
        signal::SIGTTOU,
    ]
    .contains(&sig)
}

/// The synchronous signals, which valgrind queues when another process sends them.
fn valgrind_queues(sig: Signal) -> bool {
    [
        signal::SIGILL,
        signal::SIGTRAP,
        signal::SIGBUS,
        signal::SIGFPE,
        signal::SIGSEGV,
    ]
    .contains(&sig)
}

/// Waits (up to about 5 s) until process `pid` sleeps in a system call (state `S` in
/// `/proc/PID/stat`). Under valgrind an asynchronous signal must not reach a thread that is
/// running the program's code between two calls: valgrind 3.19 can stop on an internal
/// assertion then (`async_signalhandler: Assertion 'tst->status == VgTs_WaitSys'`, seen
/// with SIGSYS).
fn wait_until_sleeping(pid: process::Pid) {
    let path = CString::new(format!("/proc/{}/stat", pid.as_raw())).expect("path");
    for _ in 0..5000 {
        let stat = fs::read(&path).expect("stat");
        let after = stat.iter().rposition(|&b| b == b')').expect("(comm)");
        if stat.get(after + 2) == Some(&b'S') {
            return;
        }
        linux_gate::time::sleep(core::time::Duration::from_millis(1));
    }
    panic!("process {} never slept", pid.as_raw());
}

fn child_killed_by_every_signal() {
    let (mut checked, mut unmappable, mut left_out) = (0, 0, 0);
    let valgrind = under_valgrind();
    for n in 1..=signal::NSIG {
        let sig = Signal::from_raw(n).expect("1..=NSIG are signals");
        let (r, w) = process::pipe().expect("pipe2");
        let Fork::Parent(pid) = process::fork().expect("fork") else {
            // Whatever the test runner inherited (a blocked or ignored signal survives exec),
            // start from the defaults: nothing blocked, this signal at SIG_DFL.
            let _ = signal::set_mask(signal::How::SetMask, SigSet::EMPTY);
            if sig != signal::SIGKILL && sig != signal::SIGSTOP {
                signal::set_default(sig).expect("SIG_DFL");
            }
            // A process group of its own, whose parent (this test) is outside it: such a
            // group is not orphaned, so the kernel does not discard SIGTSTP/SIGTTIN/SIGTTOU
            // even when the test runs in the background.
            process::setpgid(None, None).expect("setpgid");
            // Tell the parent we are running, then block reading a pipe nobody writes.
            drop(r);
            let _ = io::write_all(&w, b"r");
            let (rr, _keep) = process::pipe().expect("pipe2");
            signal::alarm(10); // never hang the suite
            if valgrind && valgrind_queues(sig) {
                // Valgrind queues a synchronous signal (SIGILL, SIGTRAP, SIGBUS, SIGFPE,
                // SIGSEGV) that another process sends with kill, and delivers it only when
                // the thread next leaves a system call: one blocking read would hold it
                // until the alarm. Short sleeps leave a call every millisecond.
                for _ in 0..10_000 {
                    linux_gate::time::sleep(core::time::Duration::from_millis(1));
                }
            }
            let _ = io::read(&rr, &mut [0u8; 1]);
            exit::_exit(0);
        };
        drop(w);
        let mut b = [0u8; 1];
        assert_eq!(io::read(&r, &mut b), Ok(1));
        drop(r);
        if valgrind && !valgrind_queues(sig) {
            wait_until_sleeping(pid);
        }
        if let Err(e) = process::kill(pid, sig) {
            // qemu-i386 cannot map every guest real-time signal onto a host one; valgrind
            // keeps the last one (64) for itself and refuses it with EINVAL.
            if valgrind {
                assert!(n == signal::NSIG && e == Errno::EINVAL, "kill {}: {}", n, e);
                linux_gate::eprintln!(
                    "note: valgrind: kill(pid, {}) = {} (valgrind keeps signal {} for itself), \
                     not checked",
                    n,
                    e,
                    n
                );
            } else {
                assert!(under_qemu() && n >= 32, "kill {}: {}", n, e);
                linux_gate::eprintln!("qemu: kill(pid, {}) = {}", n, e);
            }
            process::kill(pid, signal::SIGKILL).expect("kill");
            let _ = process::wait(pid);
            unmappable += 1;
            continue;
        }
        if valgrind && valgrind_lacks_default(sig) {
            linux_gate::eprintln!(
                "note: valgrind: default action of signal {} ({:?}) not checked: valgrind's \
                 signal emulation does not carry it out",
                n,
                default_action(sig)
            );
            process::kill(pid, signal::SIGKILL).expect("kill");
            let st = process::wait(pid).expect("wait");
            // Killed now, or gone already with the read interrupted (status 0).
            assert!(
                st == WaitStatus::Exited(0)
                    || st
                        == WaitStatus::Signaled {
                            signal: signal::SIGKILL,
                            core: false
                        },
                "signal {}: {:?}",
                n,
                st
            );
            left_out += 1;
            continue;
        }
        match default_action(sig) {
            Default::Terminate => {
                let st = process::wait(pid).expect("wait");
                let WaitStatus::Signaled { signal: s, .. } = st else {
                    panic!("signal {}: {:?}", n, st)
                };
                assert_eq!(s, sig, "{:?}", st);
                assert_eq!(st.code(), 128 + n);
            }
            Default::Stop => {
                let (_, st, _) = process::wait4(Some(pid), WaitOptions::UNTRACED)
                    .expect("wait")
                    .expect("a status without WNOHANG");
                assert_eq!(st, WaitStatus::Stopped(sig), "signal {}", n);
                process::kill(pid, signal::SIGKILL).expect("kill");
                let _ = process::wait(pid);
            }
            Default::Ignore => {
                // Still alive after the signal: kill(pid, 0) succeeds and no status is ready.
                assert_eq!(
                    process::wait4(Some(pid), WaitOptions::NOHANG).map(|r| r.is_none()),
                    Ok(true)
                );
                process::kill(pid, signal::SIGKILL).expect("kill");
                assert_eq!(
                    process::wait(pid),
                    Ok(WaitStatus::Signaled {
                        signal: signal::SIGKILL,
                        core: false
                    })
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked + unmappable + left_out, 64);
    assert!(unmappable <= 3, "{} signals could not be sent", unmappable);
}

/// Runs `args` (which prints with `println!`) with stdout a pipe whose read end is already closed.
fn args_into_closed_pipe(ignore_sigpipe: bool) -> linux_gate_testkit::Output {
    let (r, w) = process::pipe().expect("pipe2");
    drop(r);
    let (er, ew) = process::pipe().expect("pipe2");
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        drop(er);
        if ignore_sigpipe {
            // SIG_IGN survives execve.
            signal::ignore(signal::SIGPIPE).expect("ignore");
        }
        let _ = fd::dup2_stdout(&w);
        let _ = fd::dup2_stderr(&ew);
        let args = example_path("args");
        let none: &[&[u8]] = &[];
        let e = if under_qemu() {
            process::exec(
                b"/usr/bin/qemu-i386",
                &[b"qemu-i386", args.to_bytes()],
                none,
            )
        } else {
            process::exec(args.to_bytes(), &[b"args"], none)
        };
        panic!("exec: {}", e);
    };
    drop(w);
    drop(ew);
    let mut stderr = Vec::new();
    io::read_to_end(&er, &mut stderr).expect("read");
    linux_gate_testkit::Output {
        status: process::wait(pid).expect("wait"),
        stdout: Vec::new(),
        stderr,
    }
}

fn sigpipe_kills_by_default() {
    // Like a C program (and unlike Rust's std, which ignores SIGPIPE): `args | (closed)`
    // dies of SIGPIPE at its first write, silently, as `yes | head` expects.
    let out = args_into_closed_pipe(false);
    assert_eq!(
        out.status,
        WaitStatus::Signaled {
            signal: signal::SIGPIPE,
            core: false
        }
    );
    assert_eq!(out.stderr, b"");
}

fn epipe_when_sigpipe_ignored() {
    signal::ignore(signal::SIGPIPE).expect("ignore");
    let (r, w) = process::pipe().expect("pipe2");
    r.close().expect("close");
    assert_eq!(io::write(&w, b"x"), Err(Errno::EPIPE));
    assert_eq!(io::write_all(&w, b"xyz"), Err(Errno::EPIPE));
    // With a handler instead, the handler runs and the write still fails with EPIPE.
    signal::set_handler(signal::SIGPIPE, count).expect("handler");
    assert_eq!(io::write(&w, b"x"), Err(Errno::EPIPE));
    assert_eq!(COUNT.load(Ordering::SeqCst), 1);
}

fn print_to_closed_pipe_reports_error() {
    // SIGPIPE ignored: the final flush at exit gets EPIPE, says so, and exits 1.
    let out = args_into_closed_pipe(true);
    assert_eq!(out.status, WaitStatus::Exited(1));
    assert_eq!(
        out.stderr,
        b"error: failed writing to stdout: Broken pipe (os error 32)\n",
        "{}",
        out.stderr.escape_ascii()
    );
}

static COUNT: AtomicUsize = AtomicUsize::new(0);

fn count(_: Signal) {
    COUNT.fetch_add(1, Ordering::SeqCst);
}

/// SIGALRM runs [`count`], without SA_RESTART: a blocked read or write it interrupts
/// returns (short, or EINTR) instead of being restarted.
fn count_sigalrm_without_restart() {
    signal::set_action(
        signal::SIGALRM,
        Action::Handler(count),
        Flags::empty(),
        SigSet::EMPTY,
    )
    .expect("sigaction");
}

/// `nanosleep` for `ms` milliseconds (an interrupted sleep just ends early).
fn sleep_ms(ms: usize) {
    let ts = linux_gate::time::Timespec {
        sec: (ms / 1000) as i64,
        nsec: (ms % 1000 * 1_000_000) as u32,
    };
    let _ = linux_gate::time::nanosleep(ts);
}

fn write_interrupted_by_signal() {
    count_sigalrm_without_restart();
    let (_r, w) = process::pipe().expect("pipe2");
    // 1 MiB into an empty 64 KiB pipe: the kernel takes what fits, then blocks; the signal
    // ends the call with a short count (not EINTR: some bytes were written).
    let big = alloc::vec![7u8; 1 << 20];
    signal::set_timer(20_000, 0).expect("timer");
    let n = io::write(&w, &big).expect("short write");
    assert!(n > 0 && n < big.len(), "{}", n);
    assert_eq!(COUNT.load(Ordering::SeqCst), 1);
    // Now the pipe is full: a write blocks at once, and the signal makes it fail with EINTR.
    signal::set_timer(20_000, 0).expect("timer");
    assert_eq!(io::write(&w, b"z"), Err(Errno::EINTR));
    assert_eq!(COUNT.load(Ordering::SeqCst), 2);
}

/// `write_all` of 1 MiB into a pipe that a child drains slowly, with SIGALRM (no
/// SA_RESTART) every 5 ms: the writes come back short or fail with EINTR, and `write_all`
/// must carry on until every byte has arrived, in order.
fn write_all_survives_signals() {
    count_sigalrm_without_restart();
    let pattern = |i: usize| (i * 7 % 251) as u8;
    let (r, w) = process::pipe().expect("pipe2");
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        drop(w);
        let mut buf = [0u8; 16384];
        let (mut total, mut wrong) = (0usize, 0usize);
        loop {
            // 12 ms between reads keeps the pipe full.
            sleep_ms(12);
            match io::read(&r, &mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    wrong += (0..n).filter(|&i| buf[i] != pattern(total + i)).count();
                    total += n;
                }
                Err(Errno::EINTR) => {}
                Err(_) => exit::_exit(2),
            }
        }
        // 0: all 1 MiB, every byte right; else 10 + how many 64 KiB arrived.
        exit::_exit(if total == 1 << 20 && wrong == 0 {
            0
        } else {
            10 + (total >> 16) as i32
        });
    };
    drop(r);
    let big: Vec<u8> = (0..1usize << 20).map(pattern).collect();
    signal::set_timer(5_000, 5_000).expect("timer");
    let res = io::write_all(&w, &big);
    signal::set_timer(0, 0).expect("timer off");
    drop(w);
    assert_eq!(res, Ok(()));
    assert!(COUNT.load(Ordering::SeqCst) > 0, "no signal arrived");
    assert_eq!(process::wait(pid).expect("wait"), WaitStatus::Exited(0));
}

fn read_interrupted_by_signal() {
    signal::set_handler(signal::SIGALRM, count).expect("sigaction");
    let (r, w) = process::pipe().expect("pipe2");
    // Interrupted with nothing read: EINTR. fs::read_to_end retries it and still gets all
    // the data a slow writer sends afterwards.
    signal::set_timer(10_000, 0).expect("timer");
    assert_eq!(io::read(&r, &mut [0u8; 4]), Err(Errno::EINTR));
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        drop(r);
        for chunk in [b"one ".as_slice(), b"two ", b"three"] {
            sleep_ms(30);
            let _ = io::write_all(&w, chunk);
        }
        exit::_exit(0);
    };
    drop(w);
    signal::set_timer(5_000, 5_000).expect("timer");
    let mut all = Vec::new();
    io::read_to_end(&r, &mut all).expect("read_to_end retries EINTR");
    signal::set_timer(0, 0).expect("cancel");
    assert_eq!(all, b"one two three");
    assert!(COUNT.load(Ordering::SeqCst) >= 3);
    let _ = process::wait(pid);
}

fn allocation_failure_reports_and_aborts() {
    let (er, ew) = process::pipe().expect("pipe2");
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        let _ = fd::dup2_stderr(&ew);
        // Like `ulimit -v 65536`, but set by the guest itself: qemu-i386 ignores a
        // `setrlimit(RLIMIT_AS)` from its guest, so there the 4 GiB address space of an i386
        // process runs out instead. (A `ulimit -v` set *before* qemu starts limits qemu
        // itself, which then cannot reserve its JIT buffer or the guest space, and exits 1.)
        let lim = process::Rlimit {
            current: Some(64 << 20),
            maximum: Some(64 << 20),
        };
        let _ = process::setrlimit(process::Resource::As, lim);
        signal::alarm(60);
        let mut keep: Vec<Vec<u8>> = Vec::new();
        for _ in 0..64 {
            keep.push(alloc::vec![0u8; 256 << 20]);
        }
        exit::_exit(0);
    };
    drop(ew);
    let mut err = Vec::new();
    io::read_to_end(&er, &mut err).expect("read");
    let st = process::wait(pid).expect("wait");
    // The message names the request; then the process aborts (SIGABRT), as std does.
    assert!(
        matches!(st, WaitStatus::Signaled { signal: s, .. } if s == signal::SIGABRT),
        "{:?}, stderr: {}",
        st,
        err.escape_ascii()
    );
    let msg = b"memory allocation of 268435456 bytes failed\n";
    assert!(
        err.windows(msg.len()).any(|w| w == msg),
        "{}",
        err.escape_ascii()
    );
}

#[inline(never)]
fn recurse(depth: usize) -> usize {
    let buf = core::hint::black_box([depth as u8; 512]);
    if depth == usize::MAX {
        return 0;
    }
    recurse(depth + 1) + buf[depth % 512] as usize
}

fn stack_overflow_is_sigsegv() {
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        signal::alarm(60); // a hang would end as SIGALRM, failing the test
        let n = recurse(0);
        exit::_exit(n as i32);
    };
    let st = process::wait(pid).expect("wait");
    let WaitStatus::Signaled { signal: s, .. } = st else {
        panic!("{:?}", st)
    };
    assert_eq!(s, signal::SIGSEGV, "{:?}", st);
}

/// Runs `f` in a child whose stdout is `out` and whose stderr is a pipe; returns the child's
/// status and stderr.
fn in_child_with_stdout(out: BorrowedFd<'_>, f: fn()) -> (WaitStatus, Vec<u8>) {
    let (er, ew) = process::pipe().expect("pipe2");
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        drop(er);
        let _ = fd::dup2_stdout(out);
        let _ = fd::dup2_stderr(&ew);
        f();
        exit::exit(0);
    };
    drop(ew);
    let mut stderr = Vec::new();
    io::read_to_end(&er, &mut stderr).expect("read");
    (process::wait(pid).expect("wait"), stderr)
}

/// stdout is a pipe, so fully buffered: a `println!` right before `exec` is still in the
/// buffer, and `execve` must write it out before the program's memory is replaced.
fn println_before_exec_is_not_lost() {
    let (r, w) = process::pipe().expect("pipe2");
    let (status, stderr) = in_child_with_stdout(w.as_fd(), || {
        linux_gate::println!("before exec");
        let none: &[&[u8]] = &[];
        let e = process::exec(b"/bin/echo", &[&b"echo"[..], b"from echo"], none);
        panic!("exec: {}", e);
    });
    drop(w);
    let mut out = Vec::new();
    io::read_to_end(&r, &mut out).expect("read");
    assert_eq!(status, WaitStatus::Exited(0), "{}", stderr.escape_ascii());
    assert_eq!(out, b"before exec\nfrom echo\n", "{}", out.escape_ascii());
}

/// stdout is /dev/full and holds a line when the program forks: the fork still happens (the
/// stdout error is not the fork's), the child does not report the parent's lost line, and
/// the parent reports it once when it exits, with status 1.
fn fork_with_unwritable_stdout_forks_and_reports_at_exit() {
    let full = fs::File::open(c"/dev/full", OFlags::WRONLY, Mode::empty()).expect("/dev/full");
    let (status, stderr) = in_child_with_stdout(full.as_fd(), || {
        linux_gate::println!("lost line");
        let Fork::Parent(pid) = process::fork().expect("fork despite stdout's error") else {
            exit::exit(0);
        };
        assert_eq!(process::wait(pid), Ok(WaitStatus::Exited(0)));
    });
    assert_eq!(status, WaitStatus::Exited(1));
    assert_eq!(
        stderr,
        b"error: failed writing to stdout: No space left on device (os error 28)\n",
        "{}",
        stderr.escape_ascii()
    );
}

/// More than the buffer holds, printed to /dev/full: `print!` panics as std's does, and the
/// location is the `print!` in the program (`#[track_caller]`), not the runtime's io.rs.
fn failed_print_panics_at_the_callers_line() {
    let full = fs::File::open(c"/dev/full", OFlags::WRONLY, Mode::empty()).expect("/dev/full");
    let (status, stderr) = in_child_with_stdout(full.as_fd(), || {
        let line = [b'x'; 99];
        for _ in 0..100 {
            linux_gate::println!("{}", line.escape_ascii());
        }
    });
    assert_eq!(status, WaitStatus::Exited(101));
    let text = core::str::from_utf8(&stderr).expect("ASCII");
    let (location, message) = text.split_once('\n').expect("two lines");
    assert!(
        location.starts_with("panicked at tests/hostile.rs:") && location.ends_with(':'),
        "{text}"
    );
    assert_eq!(
        message,
        "failed printing to stdout: No space left on device (os error 28)\n"
    );
}
