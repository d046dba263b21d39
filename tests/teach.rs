//! The teaching examples: the `stack` map against the kernel (argv, envp, `/proc/self/auxv`)
//! and the `auxv` example, and the C examples against the runtime's own view of the process.
//! Runs natively (vsyscall) and under qemu-i386 (int 0x80); see scripts/test. The syscall
//! trace is checked against strace in tests/sh/trace.sh.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::CStr;
use linux_gate::fd::{self, AsRawFd};
use linux_gate::fs::{Mode, OFlags};
use linux_gate::io;
use linux_gate::process::Fork;
use linux_gate::process::WaitStatus;
use linux_gate::syscall::{Mechanism, nr};
use linux_gate::{Errno, auxv, capi};
use linux_gate_testkit::{Output, example_path, run_capture, under_qemu};
use linux_gate_testkit::{VALGRIND_ENV, is_valgrind_env, under_valgrind};

linux_gate_testkit::tests!(
    stack_map_shows_argv_and_envp,
    stack_auxv_identical_to_proc_self_auxv,
    stack_auxv_agrees_with_auxv_example,
    stack_strings_are_where_auxv_points,
    c_hello_prints,
    c_auxv_agrees_with_runtime,
    lg_syscall_returns_raw_result,
    lg_write_all_writes_past_a_full_pipe,
    c_auxv_reports_write_error,
    lg_perror_lines_are_glibcs,
);

fn run(name: &str, argv: &[&CStr], envp: &[&CStr]) -> (Output, String) {
    let out = run_capture(&example_path(name), argv, envp, b"");
    assert_eq!(
        out.status,
        WaitStatus::Exited(0),
        "{name}: stderr: {}",
        out.stderr.escape_ascii()
    );
    let text = String::from_utf8(out.stdout.clone()).expect("examples print ASCII");
    (out, text)
}

/// The map's columns: (address, slot, rest).
fn columns(line: &str) -> (usize, &str, &str) {
    let (addr, rest) = line.split_once("  ").expect("address column");
    let addr = usize::from_str_radix(addr.trim_start_matches("0x"), 16).expect("hex address");
    let rest = rest.trim_start();
    let (slot, value) = rest.split_once(' ').unwrap_or((rest, ""));
    (addr, slot, value.trim_start())
}

const ARGV: [&CStr; 4] = [c"stack0", c"one", c"two words", c"tab\there\x01"];
const ENVP: [&CStr; 2] = [c"A=1", c"B=x y"];

/// argc, each argv string with its NULL, each envp string with its NULL, one word apart,
/// starting where `esp` pointed at `_start`.
fn stack_map_shows_argv_and_envp() {
    let (_, text) = run("stack", &ARGV, &ENVP);
    let path = example_path("stack");
    let lines: Vec<&str> = text.lines().collect();
    let (sp, slot, value) = columns(lines[0]);
    assert_eq!(slot, "argc");
    assert!(
        value.starts_with("4 ") && value.ends_with("<- esp at _start"),
        "{value}"
    );
    assert_eq!(sp % 4, 0);
    let mut want = Vec::new();
    // Valgrind starts a program with `argv[0]` = its path.
    let mut argv = ARGV;
    if under_valgrind() {
        argv[0] = &path;
    }
    for (i, a) in argv.iter().enumerate() {
        want.push((alloc::format!("argv[{i}]"), Some(a.to_bytes())));
    }
    want.push((String::from("argv[4]"), None));
    // qemu-user rebuilds the guest environment in reverse order.
    let env: Vec<&CStr> = if under_qemu() {
        ENVP.iter().rev().copied().collect()
    } else {
        ENVP.to_vec()
    };
    for (i, e) in env.iter().enumerate() {
        want.push((alloc::format!("envp[{i}]"), Some(e.to_bytes())));
    }
    // Valgrind appends its own variables (values of its installation) after ours: their
    // slots are checked for a name from VALGRIND_ENV, each once.
    let added = if under_valgrind() {
        VALGRIND_ENV.len()
    } else {
        0
    };
    let mut theirs = Vec::new();
    for i in env.len()..env.len() + added {
        want.push((alloc::format!("envp[{i}]"), Some(b"")));
    }
    want.push((alloc::format!("envp[{}]", env.len() + added), None));
    for (k, (slot_want, s)) in want.iter().enumerate() {
        let (addr, slot, value) = columns(lines[k + 1]);
        assert_eq!(addr, sp + 4 * (k + 1), "{}", lines[k + 1]);
        assert_eq!(slot, slot_want);
        match s {
            None => assert_eq!(value, "NULL"),
            Some(b"") if under_valgrind() => {
                let (_, quoted) = value.split_once(' ').expect("address and string");
                let var = quoted.trim_matches('"').as_bytes();
                assert!(is_valgrind_env(var), "{value}");
                theirs.push(&var[..var.iter().position(|&b| b == b'=').unwrap_or(0)]);
            }
            Some(s) => {
                let quoted = alloc::format!("\"{}\"", s.escape_ascii());
                assert!(value.ends_with(&quoted), "{value} vs {quoted}");
            }
        }
    }
    theirs.sort();
    theirs.dedup();
    assert_eq!(theirs.len(), added, "{text}");
    let auxv0 = columns(lines[want.len() + 1]);
    assert_eq!((auxv0.0, auxv0.1), (sp + 4 * (want.len() + 1), "auxv[0]"));
}

/// The example's own comparison with the kernel's copy, in `/proc/self/auxv`.
fn stack_auxv_identical_to_proc_self_auxv() {
    let (_, text) = run("stack", &ARGV, &ENVP);
    let last = text.lines().last().expect("output");
    let pairs = text.lines().filter(|l| l.contains("  auxv[")).count();
    assert_eq!(
        last,
        alloc::format!("/proc/self/auxv: {pairs} pairs, identical")
    );
}

/// auxv lines with the address and slot columns removed, keyed by name.
fn auxv_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains("  auxv["))
        .map(|l| String::from(columns(l).2))
        .filter(|l| l != "AT_NULL")
        .collect()
}

/// The same keys in the same order as the `auxv` example (glibc's LD_SHOW_AUXV format), with
/// the same values wherever the value does not depend on the exec (addresses and file
/// names do).
fn stack_auxv_agrees_with_auxv_example() {
    let (_, stack) = run("stack", &[c"x"], &ENVP);
    let (_, auxv_out) = run("auxv", &[c"x"], &ENVP);
    let mut ours = auxv_lines(&stack);
    if under_valgrind() {
        // Valgrind turns the entries it hides into AT_IGNORE (key 1), which glibc's format
        // (the auxv example) skips and the stack map prints as an unknown key: as many as in
        // this test process's own auxv, which valgrind built the same way.
        let ignored = "AT_??? (0x1):";
        let n = ours.iter().filter(|l| l.starts_with(ignored)).count();
        let own = auxv::entries()
            .filter(|e| e.key == auxv::AT_IGNORE as usize)
            .count();
        assert_eq!(n, own, "{stack}");
        ours.retain(|l| !l.starts_with(ignored));
        linux_gate::eprintln!(
            "note: valgrind: the {n} AT_IGNORE entries of the stack map are left out of the \
             comparison (glibc's format prints none)"
        );
    }
    let theirs: Vec<&str> = auxv_out.lines().collect();
    assert_eq!(ours.len(), theirs.len(), "{stack}\n{auxv_out}");
    let per_exec = [
        "AT_SYSINFO:",
        "AT_SYSINFO_EHDR:",
        "AT_RANDOM:",
        "AT_EXECFN:",
        "AT_PHDR:",
        "AT_ENTRY:",
        "AT_PHNUM:",
    ];
    let mut compared = 0;
    for (a, b) in ours.iter().zip(theirs) {
        let key = |l: &str| String::from(l.split_whitespace().next().unwrap_or(""));
        assert_eq!(key(a), key(b));
        if !per_exec.contains(&key(a).as_str()) {
            assert_eq!(a, b);
            compared += 1;
        }
    }
    assert!(compared >= 5, "compared only {compared} values");
}

/// AT_RANDOM, AT_PLATFORM and AT_EXECFN are drawn at the addresses the auxv gives, above
/// the vector, and AT_EXECFN is the path that was executed.
fn stack_strings_are_where_auxv_points() {
    let path = example_path("stack");
    let (_, text) = run("stack", &[c"x"], &[]);
    let find = |slot: &str| {
        text.lines()
            .map(columns)
            .find(|c| c.1 == slot)
            .unwrap_or_else(|| panic!("no {slot} in {text}"))
    };
    let value_of = |name: &str| {
        let l = text
            .lines()
            .map(columns)
            .find(|c| c.2.starts_with(name))
            .unwrap_or_else(|| panic!("no {name}"));
        String::from(l.2[name.len()..].trim())
    };
    let null = text
        .lines()
        .map(columns)
        .find(|c| c.2 == "AT_NULL")
        .expect("AT_NULL line");
    let random = find("AT_RANDOM");
    assert_eq!(alloc::format!("{:#x}", random.0), value_of("AT_RANDOM:"));
    assert!(random.0 > null.0);
    assert_eq!(random.2.split_whitespace().count(), 2 + 16, "{}", random.2);
    let execfn = find("AT_EXECFN");
    assert!(execfn.0 > null.0);
    assert_eq!(
        execfn.2,
        alloc::format!("\"{}\"", path.to_bytes().escape_ascii())
    );
    assert_eq!(value_of("AT_EXECFN:"), path.to_str().expect("ASCII path"));
    let platform = find("AT_PLATFORM");
    assert_eq!(
        platform.2,
        alloc::format!("\"{}\"", value_of("AT_PLATFORM:"))
    );
    // The test process's own platform string: the same machine, the same kernel.
    let own = auxv::getauxval(auxv::AT_PLATFORM).expect("AT_PLATFORM");
    // SAFETY: AT_PLATFORM points at a NUL-terminated string on our initial stack.
    let own = unsafe { CStr::from_ptr(own as *const core::ffi::c_char) };
    assert_eq!(value_of("AT_PLATFORM:").as_bytes(), own.to_bytes());
}

fn c_hello_prints() {
    let (out, text) = run("c-hello", &[c"c-hello"], &[]);
    assert_eq!(text, "Hello from C!\n");
    assert!(out.stderr.is_empty());
}

/// What C sees through linux_gate.h equals what this (Rust) process sees of the same
/// machine, and `main`'s return value is the exit status.
fn c_auxv_agrees_with_runtime() {
    let (_, text) = run(
        "c-auxv",
        &[c"c-auxv", c"a b", c""],
        &[c"HOME=/nowhere", c"Z=1"],
    );
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k).and_then(|r| r.strip_prefix('=')))
            .unwrap_or_else(|| panic!("no {k} in {text}"))
    };
    assert_eq!(get("argc"), "3");
    let argv: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("argv="))
        .collect();
    // Valgrind starts a program with `argv[0]` = its path.
    let path = example_path("c-auxv");
    let argv0 = if under_valgrind() {
        path.to_str().expect("ASCII path")
    } else {
        "c-auxv"
    };
    assert_eq!(argv, [argv0, "a b", ""]);
    assert_eq!(get("HOME"), "/nowhere");
    let own = |k| auxv::getauxval(k).unwrap_or(0);
    assert_eq!(get("AT_PAGESZ"), alloc::format!("{}", own(auxv::AT_PAGESZ)));
    assert_eq!(get("AT_UID"), alloc::format!("{}", own(auxv::AT_UID)));
    assert_eq!(get("AT_SECURE"), "0");
    let mech = linux_gate::mechanism();
    assert_eq!(get("mechanism"), mech.name());
    assert_eq!(get("AT_SYSINFO") == "0x0", mech == Mechanism::Int80);
    assert!(get("getpid").parse::<u32>().expect("pid") > 1);

    let out = run_capture(&example_path("c-auxv"), &[c"c-auxv", c"x"], &[], b"");
    assert_eq!(out.status, WaitStatus::Exited(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("HOME=(unset)\n"));
}

/// The C entry returns the kernel's raw result: a value, or -errno.
fn lg_syscall_returns_raw_result() {
    // SAFETY: getpid and close(-1) have no effect on memory.
    unsafe {
        let pid = capi::lg_syscall(nr::__NR_getpid as _, 0, 0, 0, 0, 0, 0);
        assert_eq!(pid, linux_gate::process::getpid().as_raw());
        let r = capi::lg_syscall(nr::__NR_close as _, -1, 0, 0, 0, 0, 0);
        assert_eq!(r, -(Errno::EBADF.raw() as i32));
        let n = capi::lg_write(1, core::ptr::null(), 0);
        assert_eq!(n, 0);
    }
}

/// 200 KB through a pipe (64 KiB of buffer), so the writes are partial: a child writes with
/// `lg_write_all`, the parent reads every byte back. Errors come back as -errno.
fn lg_write_all_writes_past_a_full_pipe() {
    use linux_gate::{exit, process};
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let (r, w) = process::pipe().expect("pipe2");
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        drop(r);
        // SAFETY: `data` is valid for its length.
        let n = unsafe { capi::lg_write_all(w.as_raw_fd(), data.as_ptr(), data.len()) };
        exit::exit_group(if n == 0 { 0 } else { 1 });
    };
    drop(w);
    let mut got = Vec::new();
    io::read_to_end(&r, &mut got).expect("read");
    drop(r);
    assert_eq!(process::wait(pid).expect("wait4"), WaitStatus::Exited(0));
    assert!(got == data, "{} bytes back of {}", got.len(), data.len());

    // SAFETY: fd -1 and a NULL buffer: the kernel (or the check before it) refuses both.
    unsafe {
        let ebadf = -(Errno::EBADF.raw() as i32);
        assert_eq!(capi::lg_write_all(-1, b"x".as_ptr(), 1), ebadf);
        assert_eq!(capi::lg_write_all(1, core::ptr::null(), 0), 0);
        let efault = -(Errno::EFAULT.raw() as i32);
        assert_eq!(capi::lg_write_all(1, core::ptr::null(), 1), efault);
    }
}

/// c-auxv with stdout on /dev/full (every write fails with ENOSPC): one `lg_perror` line
/// naming the error on stderr, status 1, as GNU tools do; not silently lost output.
fn c_auxv_reports_write_error() {
    use linux_gate::{exit, fs, process};
    let path = example_path("c-auxv");
    let (r, w) = process::pipe().expect("pipe2");
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        let full = fs::File::open(c"/dev/full", OFlags::WRONLY, Mode::empty()).expect("/dev/full");
        let _ = fd::dup2_stdout(&full);
        let _ = fd::dup2_stderr(&w);
        drop(r);
        let argv = [c"c-auxv"];
        let env: Vec<&CStr> = Vec::new();
        let e = if under_qemu() {
            process::execve(
                c"/usr/bin/qemu-i386",
                &[c"qemu-i386", path.as_c_str()],
                &env,
            )
        } else {
            process::execve(&path, &argv, &env)
        };
        linux_gate::eprintln!("execve: {}", e);
        exit::exit_group(127);
    };
    drop(w);
    let mut err = Vec::new();
    io::read_to_end(&r, &mut err).expect("read");
    drop(r);
    assert_eq!(process::wait(pid).expect("wait4"), WaitStatus::Exited(1));
    assert!(
        err == b"c-auxv: write error: No space left on device\n",
        "stderr: {}",
        err.escape_ascii()
    );
}

/// `lg_perror` prints the lines glibc 2.36's `perror` prints for the same numbers: with and
/// without a prefix, either sign of the number, 0 ("Success"), a number with no message
/// ("Unknown error N"), and a prefix longer than the line buffer (written whole).
/// The messages themselves are compared with glibc's, all of them, by tests/sh/errno.sh.
fn lg_perror_lines_are_glibcs() {
    use linux_gate::{exit, process};
    let long = [b'p'; 300];
    let mut long_c = long.to_vec();
    long_c.push(0);
    let (r, w) = process::pipe().expect("pipe2");
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        let _ = fd::dup2_stderr(&w);
        // SAFETY: every prefix is NULL or NUL-terminated.
        unsafe {
            capi::lg_perror(c"c-prog: write error".as_ptr(), -28);
            capi::lg_perror(c"open".as_ptr(), 2);
            capi::lg_perror(core::ptr::null(), 9);
            capi::lg_perror(c"".as_ptr(), -4);
            capi::lg_perror(c"x".as_ptr(), 0);
            capi::lg_perror(c"x".as_ptr(), 4095);
            capi::lg_perror(c"x".as_ptr(), -100_000);
            capi::lg_perror(long_c.as_ptr().cast(), 1);
        }
        exit::exit_group(0);
    };
    drop(w);
    let mut err = Vec::new();
    io::read_to_end(&r, &mut err).expect("read");
    drop(r);
    assert_eq!(process::wait(pid).expect("wait4"), WaitStatus::Exited(0));
    let mut want = b"c-prog: write error: No space left on device
open: No such file or directory
Bad file descriptor
Interrupted system call
x: Success
x: Unknown error 4095
x: Unknown error 100000
"
    .to_vec();
    want.extend_from_slice(&long);
    want.extend_from_slice(b": Operation not permitted\n");
    assert!(err == want, "stderr: {}", err.escape_ascii());
}
