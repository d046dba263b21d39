//! A tiny test harness for `harness = false` test binaries built on the runtime itself.
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

use crate::syscall::{self, nr};
use crate::{env, exit, io};

/// A named test.
pub type Test = (&'static str, fn());

/// Decoded `wait4` status.
fn describe(status: i32) -> Option<(&'static str, i32)> {
    let sig = status & 0x7f;
    if sig == 0 {
        let code = (status >> 8) & 0xff;
        if code == 0 {
            None
        } else {
            Some(("exit status", code))
        }
    } else {
        Some(("killed by signal", sig))
    }
}

/// Seconds one test may take (in its own child) before the test binary is killed.
pub const TEST_TIMEOUT_SECS: u32 = 300;

/// Forks, runs `f` in the child, waits; returns the child's raw wait status.
pub fn run_in_child(f: fn()) -> i32 {
    let _ = io::flush_stdout();
    // SAFETY: fork duplicates this process; the child returns on a copy of this stack, so
    // returning through __kernel_vsyscall is fine (no CLONE_VM, no new stack).
    let pid = match unsafe { syscall::syscall0(nr::__NR_fork) } {
        Ok(pid) => pid,
        Err(e) => panic!("fork failed: {}", e),
    };
    if pid == 0 {
        f();
        exit::exit(0);
    }
    // A test that hangs must not hang the suite: the parent arms an alarm (a child does not
    // inherit it, so tests that use `alarm` themselves are unaffected). If it fires, the
    // default action kills this test binary, and `cargo test` reports it as failed.
    crate::signal::alarm(TEST_TIMEOUT_SECS);
    let mut status: i32 = 0;
    loop {
        // SAFETY: wait4 writes one int to `status`; rusage is null.
        let r = unsafe {
            syscall::syscall4(nr::__NR_wait4, pid, &mut status as *mut i32 as usize, 0, 0)
        };
        match r {
            Ok(_) => {
                crate::signal::alarm(0);
                return status;
            }
            Err(crate::Errno::EINTR) => continue,
            Err(e) => panic!("wait4 failed: {}", e),
        }
    }
}

/// Runs `tests` (those matching the command-line filters) and exits: 0 if all passed.
pub fn run(tests: &[Test]) -> ! {
    let filters: alloc::vec::Vec<&[u8]> = env::args_bytes().skip(1).collect();
    let (mut passed, mut failed) = (0, 0);
    for (name, f) in tests {
        if !filters.is_empty() && !filters.iter().any(|p| contains(name.as_bytes(), p)) {
            continue;
        }
        crate::println!("test {} ... running", name);
        let status = run_in_child(*f);
        match describe(status) {
            None => {
                passed += 1;
                crate::println!("test {} ... ok", name);
            }
            Some((what, n)) => {
                failed += 1;
                crate::println!("test {} ... FAILED ({} {})", name, what, n);
            }
        }
    }
    crate::println!(
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
/// linux_gate::tests!(args_roundtrip, errno_mapping);
/// ```
#[macro_export]
macro_rules! tests {
    ($($t:path),* $(,)?) => {
        fn __linux_gate_tests_main() -> i32 {
            $crate::testing::run(&[$((stringify!($t), $t as fn())),*])
        }
        $crate::entry!(__linux_gate_tests_main);
    };
}

/// What a child process did: its status and everything it wrote.
#[derive(Debug)]
pub struct Output {
    /// How it ended.
    pub status: crate::process::WaitStatus,
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
    use crate::process;
    use alloc::vec::Vec;
    let qemu = under_qemu() && !argv.is_empty();
    let (out_r, out_w) = process::pipe2(0).expect("pipe2");
    let (err_r, err_w) = process::pipe2(0).expect("pipe2");
    let (in_r, in_w) = process::pipe2(0).expect("pipe2");
    let pid = process::fork().expect("fork");
    if pid == 0 {
        let _ = process::dup2(in_r, io::Fd::STDIN);
        let _ = process::dup2(out_w, io::Fd::STDOUT);
        let _ = process::dup2(err_w, io::Fd::STDERR);
        for fd in [in_r, in_w, out_r, out_w, err_r, err_w] {
            let _ = crate::fs::close(fd);
        }
        let e = if qemu {
            let mut a: Vec<&core::ffi::CStr> = alloc::vec![c"qemu-i386", c"-0", argv[0], path];
            a.extend_from_slice(&argv[1..]);
            process::execve(c"/usr/bin/qemu-i386", &a, envp)
        } else {
            process::execve(path, argv, envp)
        };
        crate::eprintln!("execve {:?}: {}", path, e);
        exit::exit_group(127);
    }
    for fd in [in_r, out_w, err_w] {
        let _ = crate::fs::close(fd);
    }
    // Feed stdin from a second child so that a large input cannot deadlock against output.
    let feeder = process::fork().expect("fork");
    if feeder == 0 {
        let _ = crate::fs::close(out_r);
        let _ = crate::fs::close(err_r);
        let _ = in_w.write_all(stdin);
        exit::exit_group(0);
    }
    let _ = crate::fs::close(in_w);
    let (stdout, stderr) = read_both(out_r, err_r);
    let _ = crate::fs::close(out_r);
    let _ = crate::fs::close(err_r);
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
    let mut buf = [0u8; 4096];
    // SAFETY: readlink writes at most buf.len() bytes.
    let n = unsafe {
        syscall::syscall3(
            nr::__NR_readlink,
            c"/proc/self/exe".as_ptr() as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    }
    .expect("readlink /proc/self/exe");
    alloc::string::String::from(core::str::from_utf8(&buf[..n]).expect("exe path is UTF-8"))
}

/// Everything until end of file from two pipes at once: `poll` says which has data, so a
/// child that fills one pipe while the other is being read cannot block (reading stdout to
/// the end first would wait forever on a child stuck writing 64 KiB of stderr).
fn read_both(a: io::Fd, b: io::Fd) -> (alloc::vec::Vec<u8>, alloc::vec::Vec<u8>) {
    use linux_raw_sys::general::{POLLIN, pollfd};
    let mut out = [alloc::vec::Vec::new(), alloc::vec::Vec::new()];
    let mut open = [true, true];
    let mut chunk = [0u8; 16384];
    while open[0] || open[1] {
        // A negative descriptor is skipped by poll: that is how a finished pipe drops out.
        let mut fds = [a, b].map(|fd| pollfd {
            fd: fd.raw(),
            events: POLLIN as i16,
            revents: 0,
        });
        for (f, &o) in fds.iter_mut().zip(&open) {
            if !o {
                f.fd = -1;
            }
        }
        // SAFETY: poll reads and writes the two pollfd structs, which live across the call.
        let r =
            unsafe { syscall::syscall3(nr::__NR_poll, fds.as_mut_ptr() as usize, 2, usize::MAX) };
        match r {
            Ok(_) => {}
            Err(crate::Errno::EINTR) => continue,
            Err(_) => break,
        }
        for i in 0..2 {
            if !open[i] || fds[i].revents == 0 {
                continue;
            }
            match io::Fd::from_raw(fds[i].fd).read(&mut chunk) {
                Ok(0) => open[i] = false,
                Ok(n) => out[i].extend_from_slice(&chunk[..n]),
                Err(crate::Errno::EINTR) => {}
                Err(_) => open[i] = false,
            }
        }
    }
    let [o, e] = out;
    (o, e)
}

/// The directory holding the build's examples: `target/<triple>/<profile>/examples/`,
/// found from this test binary's own path (`/proc/self/exe` → `…/<profile>/deps/NAME`).
pub fn examples_dir() -> alloc::string::String {
    let exe = self_exe();
    let deps = &exe[..exe.rfind('/').expect("absolute path")];
    let profile = &deps[..deps.rfind('/').expect("…/deps")];
    alloc::format!("{}/examples", profile)
}

/// `examples_dir()/name` as a NUL-terminated string.
pub fn example_path(name: &str) -> alloc::ffi::CString {
    alloc::ffi::CString::new(alloc::format!("{}/{}", examples_dir(), name)).expect("no NUL in path")
}

/// This process's environment, to pass on to a child unchanged.
pub fn inherited_env() -> alloc::vec::Vec<&'static core::ffi::CStr> {
    env::vars().collect()
}
