//! `env [-i] [-0] [-u NAME]... [NAME=VALUE]... [COMMAND [ARG]...]`: GNU env.
//!
//! Without a command it prints the (modified) environment, one `NAME=value` per line (NUL
//! after each with `-0`), bytes exactly as received. With a command it runs it with that
//! environment, searching `PATH` like `execvp`; a command that cannot be found exits 127
//! (`env: 'cmd': No such file or directory`), one that cannot be run exits 126.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::CStr;
use linux_gate::quote::{complain, complain_with, program_name};
use linux_gate::{Errno, Fd, env, io, process};

linux_gate::entry!(main);

fn name_of(entry: &[u8]) -> &[u8] {
    entry.split(|&b| b == b'=').next().unwrap_or(entry)
}

fn usage(prog: &[u8], what: core::fmt::Arguments<'_>) -> i32 {
    complain(prog, None, &what);
    let mut l = Vec::from(&b"Try '"[..]);
    l.extend_from_slice(prog);
    l.extend_from_slice(b" --help' for more information.\n");
    let _ = Fd::STDERR.write_all(&l);
    125
}

/// `execvp`: a name with a `/` is run as is, otherwise each `PATH` entry is tried. The
/// error reported is the last "interesting" one (`EACCES` beats `ENOENT`), as glibc's.
fn execvp(cmd: &'static CStr, argv: &[&CStr], envp: &[&CStr]) -> Errno {
    let name = cmd.to_bytes();
    if name.contains(&b'/') {
        return process::execve(cmd, argv, envp);
    }
    let path = env::getenv("PATH").unwrap_or(b"/usr/local/bin:/usr/bin:/bin");
    let mut err = Errno::ENOENT;
    for dir in path.split(|&b| b == b':') {
        let mut full = Vec::from(if dir.is_empty() { &b"."[..] } else { dir });
        full.push(b'/');
        full.extend_from_slice(name);
        let Ok(full) = CString::new(full) else {
            continue;
        };
        match process::execve(&full, argv, envp) {
            Errno::EACCES => err = Errno::EACCES,
            Errno::ENOENT | Errno::ENOTDIR => {}
            e => return e,
        }
    }
    err
}

fn main() -> i32 {
    let prog = program_name(b"env");
    let mut vars: Vec<&'static CStr> = env::vars().collect();
    let mut nul = false;
    let mut args = env::args().skip(1).peekable();
    // Options, then assignments.
    while let Some(a) = args.next_if(|a| a.to_bytes().first() == Some(&b'-')) {
        match a.to_bytes() {
            b"-" | b"-i" | b"--ignore-environment" => vars.clear(),
            b"-0" | b"--null" => nul = true,
            b"--" => break,
            b"-u" | b"--unset" => match args.next() {
                Some(n) => vars.retain(|v| name_of(v.to_bytes()) != n.to_bytes()),
                None => return usage(prog, format_args!("option requires an argument -- 'u'")),
            },
            o => {
                let c = o.get(1).copied().unwrap_or(b'?') as char;
                return usage(prog, format_args!("invalid option -- '{}'", c));
            }
        }
    }
    while let Some(a) = args.next_if(|a| a.to_bytes().contains(&b'=')) {
        let name = name_of(a.to_bytes());
        match vars.iter_mut().find(|v| name_of(v.to_bytes()) == name) {
            Some(slot) => *slot = a,
            None => vars.push(a),
        }
    }
    let command: Vec<&'static CStr> = args.collect();
    if let Some(&cmd) = command.first() {
        if nul {
            return usage(
                prog,
                format_args!("cannot specify --null (-0) with command"),
            );
        }
        let e = execvp(cmd, &command, &vars);
        complain_with(prog, (b"", cmd.to_bytes()), &e);
        return if e == Errno::ENOENT { 127 } else { 126 };
    }
    let sep = if nul { b'\0' } else { b'\n' };
    let mut out = Vec::new();
    for v in &vars {
        out.extend_from_slice(v.to_bytes());
        out.push(sep);
    }
    match io::stdout_write(&out).and_then(|()| io::flush_stdout()) {
        Ok(()) => 0,
        Err(e) => {
            complain(prog, None, &format_args!("write error: {}", e));
            125
        }
    }
}
