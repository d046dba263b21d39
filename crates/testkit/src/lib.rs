//! # linux-gate-testkit
//!
//! Testing programs built on [`linux_gate`], natively and under qemu-i386: a tiny harness for
//! `harness = false` test binaries, captured runs of other programs, `/proc` views of the
//! running process ([`proc`]), a seccomp filter that plays an older kernel ([`seccomp`]), and the
//! benchmark utilities ([`bench`]).
//!
//! ## The harness
//!
//!
//! Each test is a `fn()` that panics on failure. It runs in a forked child, so a failing
//! assertion (panic → exit 101), a crash (a signal) or a wrong exit are all reported and the
//! remaining tests still run. Output follows libtest's shape:
//!
//! ```text
//! test args_roundtrip ... ok
//! test result: ok. 7 passed, 0 failed
//! ```
//!
//! Arguments after `argv[0]` are substring filters on test names.

#![no_std]
#![warn(missing_docs)]

extern crate alloc;

pub mod bench;
pub mod proc;
pub mod seccomp;

pub use linux_gate;
use linux_gate::fd::{self, AsFd, BorrowedFd};
use linux_gate::process::{self, Fork, WaitStatus};
use linux_gate::{env, exit, io};

/// A named test.
pub type Test = (&'static str, fn());

/// What a test's status means when it is not a pass.
fn describe(status: WaitStatus) -> Option<(&'static str, i32)> {
    match status {
        WaitStatus::Exited(0) => None,
        WaitStatus::Exited(code) => Some(("exit status", code)),
        WaitStatus::Signaled { signal, .. } => Some(("killed by signal", signal.as_raw())),
        // Not reported without WUNTRACED / WCONTINUED; counted as failures all the same.
        WaitStatus::Stopped(signal) => Some(("stopped by signal", signal.as_raw())),
        WaitStatus::Continued => Some(("continued", 0)),
    }
}

/// Seconds one test may take (in its own child) before the test binary is killed.
pub const TEST_TIMEOUT_SECS: u32 = 300;

/// Forks, runs `f` in the child, waits; returns how the child ended.
pub fn run_in_child(f: fn()) -> WaitStatus {
    let _ = io::flush_stdout();
    let pid = match process::fork() {
        Ok(Fork::Child) => {
            f();
            exit::exit(0);
        }
        Ok(Fork::Parent(pid)) => pid,
        Err(e) => panic!("fork failed: {}", e),
    };
    // A test that hangs must not hang the suite: the parent arms an alarm (a child does not
    // inherit it, so tests that use `alarm` themselves are unaffected). If it fires, the
    // default action kills this test binary, and `cargo test` reports it as failed.
    linux_gate::signal::alarm(TEST_TIMEOUT_SECS);
    // `wait` retries EINTR.
    let status = process::wait(pid).unwrap_or_else(|e| panic!("wait4 failed: {}", e));
    linux_gate::signal::alarm(0);
    status
}

/// Runs `tests` (those matching the command-line filters) and exits: 0 if all passed.
pub fn run(tests: &[Test]) -> ! {
    let filters: alloc::vec::Vec<&[u8]> = env::args_bytes().skip(1).collect();
    let (mut passed, mut failed) = (0, 0);
    for (name, f) in tests {
        if !filters.is_empty() && !filters.iter().any(|p| contains(name.as_bytes(), p)) {
            continue;
        }
        linux_gate::println!("test {} ... running", name);
        let status = run_in_child(*f);
        match describe(status) {
            None => {
                passed += 1;
                linux_gate::println!("test {} ... ok", name);
            }
            Some((what, n)) => {
                failed += 1;
                linux_gate::println!("test {} ... FAILED ({} {})", name, what, n);
            }
        }
    }
    linux_gate::println!(
        "test result: {}. {} passed, {} failed",
        if failed == 0 { "ok" } else { "FAILED" },
        passed,
        failed
    );
    exit::exit(if failed == 0 { 0 } else { 1 })
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// Defines a test binary's `main` running the listed `fn()` tests.
///
/// ```ignore
/// linux_gate_testkit::tests!(args_roundtrip, errno_mapping);
/// ```
#[macro_export]
macro_rules! tests {
    ($($t:path),* $(,)?) => {
        fn __linux_gate_tests_main() -> i32 {
            $crate::run(&[$((stringify!($t), $t as fn())),*])
        }
        $crate::linux_gate::entry!(__linux_gate_tests_main);
    };
}

/// What a child process did: its status and everything it wrote.
#[derive(Debug)]
pub struct Output {
    /// How it ended.
    pub status: linux_gate::process::WaitStatus,
    /// Its standard output.
    pub stdout: alloc::vec::Vec<u8>,
    /// Its standard error.
    pub stderr: alloc::vec::Vec<u8>,
}

/// Whether this test run is the qemu-i386 one (`LINUX_GATE_QEMU=1`, set by `scripts/test`).
pub fn under_qemu() -> bool {
    env::getenv("LINUX_GATE_QEMU") == Some(b"1")
}

/// Whether this test run is the valgrind one (`LINUX_GATE_VALGRIND=1`, set by
/// `scripts/test-valgrind`): memcheck runs the process, gives it no vDSO (no `AT_SYSINFO`,
/// as qemu-i386 7.2), manages brk and mmap itself (its own heap limit, its own placement),
/// and adds `LD_PRELOAD` and `VALGRIND_LIB` to the environment of the programs it traces
/// into.
pub fn under_valgrind() -> bool {
    env::getenv("LINUX_GATE_VALGRIND") == Some(b"1")
}

/// Whether this run's processes get no vDSO from their host: qemu-i386 7.2 and valgrind
/// pass neither `AT_SYSINFO` nor `AT_SYSINFO_EHDR`, so the runtime uses `int $0x80`.
pub fn without_vdso() -> bool {
    under_qemu() || under_valgrind()
}

/// The environment variables valgrind adds to every program it traces into (see
/// [`under_valgrind`]).
pub const VALGRIND_ENV: [&[u8]; 2] = [b"LD_PRELOAD=", b"VALGRIND_LIB="];

/// Whether `var` (a `NAME=value` environment string) is one of those valgrind adds
/// ([`VALGRIND_ENV`]).
pub fn is_valgrind_env(var: &[u8]) -> bool {
    VALGRIND_ENV.iter().any(|p| var.starts_with(p))
}

/// Where valgrind writes the log of process `pid` in this run: the `--log-file=` option
/// of `LINUX_GATE_VALGRIND_OPTS` (`scripts/test-valgrind` sets it) with `%p` replaced by
/// the pid. `None` outside the valgrind run or without that option (the log then goes to
/// stderr). Valgrind names its own core dump after it too: `LOG.core.PID`.
pub fn valgrind_log_path(pid: linux_gate::process::Pid) -> Option<alloc::string::String> {
    if !under_valgrind() {
        return None;
    }
    let opts = env::getenv("LINUX_GATE_VALGRIND_OPTS")?;
    let opts = core::str::from_utf8(opts).ok()?;
    let file = opts
        .split(' ')
        .find_map(|o| o.strip_prefix("--log-file="))?;
    Some(file.replace("%p", &alloc::format!("{}", pid.as_raw())))
}

/// The text valgrind logged for process `pid` (see [`valgrind_log_path`]), if any.
pub fn valgrind_log(pid: linux_gate::process::Pid) -> Option<alloc::vec::Vec<u8>> {
    let path = alloc::ffi::CString::new(valgrind_log_path(pid)?).ok()?;
    linux_gate::fs::read(&path).ok()
}

/// Runs `path` with exactly `argv` and `envp`, feeding it `stdin`, and collects its output.
///
/// In the qemu run (see [`under_qemu`]) the child is started as `qemu-i386 -0 argv[0] path
/// argv[1..]`, because a plain `execve` from inside qemu would run an i386 binary natively.
/// (qemu cannot give a guest `argc = 0`; with an empty `argv` the child runs natively.)
///
/// stdout and stderr are read together, so either may be large.
pub fn run_capture(
    path: &core::ffi::CStr,
    argv: &[&core::ffi::CStr],
    envp: &[&core::ffi::CStr],
    stdin: &[u8],
) -> Output {
    use alloc::vec::Vec;
    use linux_gate::process;
    let qemu = under_qemu() && !argv.is_empty();
    let (out_r, out_w) = process::pipe().expect("pipe2");
    let (err_r, err_w) = process::pipe().expect("pipe2");
    let (in_r, in_w) = process::pipe().expect("pipe2");
    let pid = match process::fork().expect("fork") {
        Fork::Child => {
            let _ = fd::dup2_stdin(&in_r);
            let _ = fd::dup2_stdout(&out_w);
            let _ = fd::dup2_stderr(&err_w);
            drop((in_r, in_w, out_r, out_w, err_r, err_w));
            let e = if qemu {
                let mut a: Vec<&core::ffi::CStr> = alloc::vec![c"qemu-i386", c"-0", argv[0], path];
                a.extend_from_slice(&argv[1..]);
                process::execve(c"/usr/bin/qemu-i386", &a, envp)
            } else {
                process::execve(path, argv, envp)
            };
            linux_gate::eprintln!("execve {:?}: {}", path, e);
            exit::exit_group(127);
        }
        Fork::Parent(pid) => pid,
    };
    drop((in_r, out_w, err_w));
    // Feed stdin from a second child so that a large input cannot deadlock against output.
    let feeder = match process::fork().expect("fork") {
        Fork::Child => {
            drop((out_r, err_r));
            let _ = io::write_all(&in_w, stdin);
            exit::exit_group(0);
        }
        Fork::Parent(pid) => pid,
    };
    drop(in_w);
    let (stdout, stderr) = read_both(out_r.as_fd(), err_r.as_fd());
    drop((out_r, err_r));
    let status = process::wait(pid).expect("wait4");
    let _ = process::wait(feeder);
    Output {
        status,
        stdout,
        stderr,
    }
}

/// This test binary's own path (`/proc/self/exe`), e.g. to run one of its tests again in a
/// child with another environment (`argv[1]` filters the tests by name).
pub fn self_exe() -> alloc::string::String {
    let path = linux_gate::fs::readlink(c"/proc/self/exe").expect("readlink /proc/self/exe");
    alloc::string::String::from_utf8(path).expect("exe path is UTF-8")
}

/// Everything until end of file from two pipes at once: `poll` says which has data, so a
/// child that fills one pipe while the other is being read cannot block (reading stdout to
/// the end first would wait forever on a child stuck writing 64 KiB of stderr).
fn read_both(a: BorrowedFd<'_>, b: BorrowedFd<'_>) -> (alloc::vec::Vec<u8>, alloc::vec::Vec<u8>) {
    use linux_gate::event::{self, PollFd, PollFlags};
    let mut out = [alloc::vec::Vec::new(), alloc::vec::Vec::new()];
    let mut open = [true, true];
    let mut chunk = [0u8; 16384];
    let mut fds = [a, b].map(|fd| PollFd::from_borrowed(fd, PollFlags::IN));
    while open[0] || open[1] {
        // An ignored entry is skipped by poll: that is how a finished pipe drops out.
        for (f, &o) in fds.iter_mut().zip(&open) {
            if !o {
                f.ignore();
            }
        }
        match event::poll(&mut fds, None) {
            Ok(_) => {}
            Err(linux_gate::Errno::EINTR) => continue,
            Err(_) => break,
        }
        for (i, fd) in [a, b].into_iter().enumerate() {
            if !open[i] || fds[i].revents().is_empty() {
                continue;
            }
            match io::read(fd, &mut chunk) {
                Ok(0) => open[i] = false,
                Ok(n) => out[i].extend_from_slice(&chunk[..n]),
                Err(linux_gate::Errno::EINTR) => {}
                Err(_) => open[i] = false,
            }
        }
    }
    let [o, e] = out;
    (o, e)
}

/// The build's profile directory, `target/<triple>/<profile>/`, found from this test
/// binary's own path (`/proc/self/exe` → `…/<profile>/deps/NAME`).
fn profile_dir() -> alloc::string::String {
    let exe = self_exe();
    let deps = &exe[..exe.rfind('/').expect("absolute path")];
    alloc::string::String::from(&deps[..deps.rfind('/').expect("…/deps")])
}

/// The directory holding the build's examples: `target/<triple>/<profile>/examples/`.
pub fn examples_dir() -> alloc::string::String {
    alloc::format!("{}/examples", profile_dir())
}

/// A binary of the crate under test (`src/main.rs` or `src/bin/NAME.rs`), as cargo builds
/// it before the tests: `target/<triple>/<profile>/NAME`, NUL-terminated.
pub fn bin_path(name: &str) -> alloc::ffi::CString {
    alloc::ffi::CString::new(alloc::format!("{}/{}", profile_dir(), name)).expect("no NUL in path")
}

/// `examples_dir()/name` as a NUL-terminated string.
pub fn example_path(name: &str) -> alloc::ffi::CString {
    alloc::ffi::CString::new(alloc::format!("{}/{}", examples_dir(), name)).expect("no NUL in path")
}

/// This process's environment, to pass on to a child unchanged.
pub fn inherited_env() -> alloc::vec::Vec<&'static core::ffi::CStr> {
    env::vars().collect()
}
