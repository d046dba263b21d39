//! `env [-i0] [-u NAME]... [NAME=VALUE]... [COMMAND [ARG]...]`: GNU env.
//!
//! Without a command it prints the (modified) environment, one `NAME=value` per line (NUL
//! after each with `-0`), bytes exactly as received. With a command it runs it with that
//! environment, searching `PATH` like `execvp`; a command that cannot be found exits 127
//! (`env: 'cmd': No such file or directory`), one that cannot be run exits 126.
//!
//! Options are parsed as GNU's getopt does for env: short ones may be combined (`-i0`,
//! `-iu NAME`, `-uNAME`); long ones are `--ignore-environment`, `--null`, `--unset=NAME`
//! (or `--unset NAME`), each shortened to any unique prefix (`--i` is ambiguous, `--n` is
//! `--null`: [`linux_gate::getopt`]); they end at the first operand, at `--`, or at `-`
//! (which means `-i`). GNU env's `-C`, `-S`, `-v` and its other long options are not
//! implemented: they are refused (`env: option '-C' is not supported`, status 125).
#![no_std]
#![no_main]

extern crate alloc;

use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::CStr;
use linux_gate::{Errno, env, io, process};
use linux_gate_gnu::getopt::{self, Arg, Long};
use linux_gate_gnu::quote::{
    complain, complain_with, program_name, unsupported_option, usage_error,
};

linux_gate::entry!(main);

fn name_of(entry: &[u8]) -> &[u8] {
    entry.split(|&b| b == b'=').next().unwrap_or(entry)
}

fn usage(prog: &[u8], what: core::fmt::Arguments<'_>) -> i32 {
    usage_error(prog, &what);
    125
}

/// A GNU env option this env does not implement (`-C`, `--chdir`, `--debug`, …).
fn unsupported(prog: &[u8], option: core::fmt::Arguments<'_>) -> i32 {
    unsupported_option(prog, &option);
    125
}

/// GNU env 9.1's long options, in its table's order (which orders an ambiguity's list).
const LONG: &[Long] = &[
    Long::new("ignore-environment", Arg::No),
    Long::new("null", Arg::No),
    Long::new("unset", Arg::Required),
    Long::new("chdir", Arg::Required),
    Long::new("default-signal", Arg::Optional),
    Long::new("ignore-signal", Arg::Optional),
    Long::new("block-signal", Arg::Optional),
    Long::new("list-signal-handling", Arg::No),
    Long::new("debug", Arg::No),
    Long::new("split-string", Arg::Required),
    Long::new("help", Arg::No),
    Long::new("version", Arg::No),
];

/// `execvp`: a name with a `/` is run as is, otherwise each entry of the `PATH` of the
/// environment the command gets (`envp`: GNU env changes its own environment, then calls
/// glibc's `execvp`, which reads it there) is tried; without one, glibc's default
/// `/bin:/usr/bin`. The error reported is the last "interesting" one (`EACCES` beats
/// `ENOENT`), as glibc's.
fn execvp(cmd: &'static CStr, argv: &[&CStr], envp: &[&CStr]) -> Errno {
    let name = cmd.to_bytes();
    if name.contains(&b'/') {
        return process::execve(cmd, argv, envp);
    }
    let path = envp
        .iter()
        .find_map(|v| v.to_bytes().strip_prefix(b"PATH="))
        .unwrap_or(b"/bin:/usr/bin");
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
    // Options, as GNU's getopt with "+": up to the first operand or `--`. Short options may
    // be combined (`-i0`, `-iu NAME`, `-uNAME`); `-` alone means `-i` and ends them.
    let mut unset: Vec<&'static [u8]> = Vec::new();
    while let Some(a) = args.next_if(|a| a.to_bytes().first() == Some(&b'-')) {
        let a = a.to_bytes();
        if a == b"-" {
            vars.clear();
            break;
        }
        if a == b"--" {
            break;
        }
        if a.starts_with(b"--") {
            match getopt::long(a, LONG, || args.next().map(CStr::to_bytes)) {
                Ok((o, value)) => match (o.name, value) {
                    ("ignore-environment", _) => vars.clear(),
                    ("null", _) => nul = true,
                    ("unset", Some(v)) => unset.push(v),
                    // GNU env's other options: real, but not implemented here.
                    (other, _) => return unsupported(prog, format_args!("--{}", other)),
                },
                Err(e) => return usage(prog, format_args!("{}", e)),
            }
            continue;
        }
        let mut i = 1;
        while let Some(&c) = a.get(i) {
            i += 1;
            match c {
                b'i' => vars.clear(),
                b'0' => nul = true,
                b'u' => {
                    if i < a.len() {
                        unset.push(&a[i..]);
                    } else {
                        match args.next() {
                            Some(n) => unset.push(n.to_bytes()),
                            None => {
                                return usage(
                                    prog,
                                    format_args!("option requires an argument -- 'u'"),
                                );
                            }
                        }
                    }
                    break;
                }
                // GNU env's other options: real, but not implemented here.
                b'C' | b'S' | b'v' => return unsupported(prog, format_args!("-{}", c as char)),
                _ => {
                    let c = c as char;
                    return usage(prog, format_args!("invalid option -- '{}'", c));
                }
            }
        }
    }
    vars.retain(|v| !unset.contains(&name_of(v.to_bytes())));
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
