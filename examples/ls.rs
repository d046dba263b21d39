//! `ls [-1a] [FILE]...`: the names in each directory, one per line, `.` and `..` included,
//! sorted bytewise — exactly `LC_ALL=C ls -1a` writing to a pipe or file.
//!
//! No operand lists `.`. Operands that are not directories are printed first, then each
//! directory; with more than one operand each directory gets a `name:` header, with blank
//! lines between. A missing operand is reported (`ls: cannot access 'x': No such file or
//! directory`) and the status is 2, as GNU's. An operand that `stat` cannot follow because
//! it is a dangling symbolic link (`ENOENT`) is looked at with `lstat` instead and listed
//! as the link itself, as GNU 9.1 does (a link loop, `ELOOP`, stays an error there too).
//!
//! Options are parsed as GNU's getopt does (anywhere until `--`, long ones by any unique
//! prefix: [`linux_gate::getopt`]). `-1`, `-a` and `--all` are accepted; GNU's other
//! options are refused (`ls: option '-l' is not supported`, status 2), and anything else
//! gets GNU's usage error.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use core::ffi::CStr;
use linux_gate::dir;
use linux_gate::fs;
use linux_gate::{Errno, env, fd, io};
use linux_gate_gnu::getopt::{self, Arg, Long};
use linux_gate_gnu::quote::{
    complain, complain_with, program_name, quote_into, unsupported_option, usage_error,
};

linux_gate::entry!(main);

/// GNU ls 9.1's short options; only `-1` and `-a` are implemented (and are what this ls
/// always does).
const GNU_SHORT: &[u8] = b"abcdfghiklmnopqrstuvwxABCDFGHILNQRSTUXZ1";

/// GNU ls 9.1's long options in its table's order, which is the order glibc lists an
/// ambiguity's candidates in.
const LONG: &[Long] = &[
    Long::new("all", Arg::No),
    Long::new("escape", Arg::No),
    Long::new("directory", Arg::No),
    Long::new("dired", Arg::No),
    Long::new("full-time", Arg::No),
    Long::new("group-directories-first", Arg::No),
    Long::new("human-readable", Arg::No),
    Long::new("inode", Arg::No),
    Long::new("kibibytes", Arg::No),
    Long::new("numeric-uid-gid", Arg::No),
    Long::new("no-group", Arg::No),
    Long::new("hide-control-chars", Arg::No),
    Long::new("reverse", Arg::No),
    Long::new("size", Arg::No),
    Long::new("width", Arg::Required),
    Long::new("almost-all", Arg::No),
    Long::new("ignore-backups", Arg::No),
    Long::new("classify", Arg::Optional),
    Long::new("file-type", Arg::No),
    Long::new("si", Arg::No),
    Long::new("dereference-command-line", Arg::No),
    Long::new("dereference-command-line-symlink-to-dir", Arg::No),
    Long::new("hide", Arg::Required),
    Long::new("ignore", Arg::Required),
    Long::new("indicator-style", Arg::Required),
    Long::new("dereference", Arg::No),
    Long::new("literal", Arg::No),
    Long::new("quote-name", Arg::No),
    Long::new("quoting-style", Arg::Required),
    Long::new("recursive", Arg::No),
    Long::new("format", Arg::Required),
    Long::new("show-control-chars", Arg::No),
    Long::new("sort", Arg::Required),
    Long::new("tabsize", Arg::Required),
    Long::new("time", Arg::Required),
    Long::new("time-style", Arg::Required),
    Long::new("zero", Arg::No),
    Long::new("color", Arg::Optional),
    Long::new("hyperlink", Arg::Optional),
    Long::new("block-size", Arg::Required),
    Long::new("context", Arg::No),
    Long::new("author", Arg::No),
    Long::new("help", Arg::No),
    Long::new("version", Arg::No),
];

/// A GNU ls option this ls does not implement: refused before anything is listed, status 2.
fn unsupported(prog: &[u8], option: core::fmt::Arguments<'_>) -> i32 {
    unsupported_option(prog, &option);
    2
}

fn main() -> i32 {
    let prog = program_name(b"ls");
    let mut operands: Vec<&'static CStr> = Vec::new();
    let mut options_done = false;
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        let a = arg.to_bytes();
        if options_done || a.len() < 2 || a[0] != b'-' {
            operands.push(arg);
        } else if a == b"--" {
            options_done = true;
        } else if a.starts_with(b"--") {
            match getopt::long(a, LONG, || args.next().map(CStr::to_bytes)) {
                Ok((o, _)) if o.name == "all" => {}
                Ok((o, _)) => return unsupported(prog, format_args!("--{}", o.name)),
                Err(e) => {
                    usage_error(prog, &e);
                    return 2;
                }
            }
        } else if let Some(&c) = a[1..].iter().find(|b| !b"1a".contains(b)) {
            if GNU_SHORT.contains(&c) {
                return unsupported(prog, format_args!("-{}", c as char));
            }
            usage_error(prog, &format_args!("invalid option -- '{}'", c as char));
            return 2;
        }
    }
    let several = operands.len() > 1;
    if operands.is_empty() {
        operands.push(c".");
    }
    let mut status = 0;
    let (mut files, mut dirs) = (Vec::new(), Vec::new());
    for &op in &operands {
        match fs::metadata(op) {
            Ok(m) if m.is_dir() => dirs.push(op),
            Ok(_) => files.push(op),
            Err(Errno::ENOENT) if fs::statx(fs::CWD, op, fs::AtFlags::SYMLINK_NOFOLLOW).is_ok() => {
                files.push(op)
            }
            Err(e) => {
                complain_with(prog, (b"cannot access ", op.to_bytes()), &e);
                status = 2;
            }
        }
    }
    files.sort_unstable_by_key(|f| f.to_bytes());
    dirs.sort_unstable_by_key(|d| d.to_bytes());
    // On a terminal GNU quotes names in its shell-escape style (so that an escape sequence
    // in a name does not reach the terminal); into a pipe or file they go out raw.
    let tty = fd::stdout().is_tty();
    let name = |n: &[u8], out: &mut Vec<u8>| {
        if tty {
            quote_into(n, out)
        } else {
            out.extend_from_slice(n)
        }
    };
    let mut out = Vec::new();
    for f in &files {
        name(f.to_bytes(), &mut out);
        out.push(b'\n');
    }
    let mut first = files.is_empty();
    for d in &dirs {
        match list(d) {
            Ok(names) => {
                if several {
                    if !first {
                        out.push(b'\n');
                    }
                    name(d.to_bytes(), &mut out);
                    out.extend_from_slice(b":\n");
                }
                first = false;
                for n in names {
                    name(&n, &mut out);
                    out.push(b'\n');
                }
            }
            Err(e) => {
                let _ = io::stdout_write(&out);
                out.clear();
                complain_with(prog, (b"cannot open directory ", d.to_bytes()), &e);
                status = 2;
            }
        }
        if let Err(e) = io::stdout_write(&out) {
            complain(prog, None, &format_args!("write error: {}", e));
            return 2;
        }
        out.clear();
    }
    match io::stdout_write(&out).and_then(|()| io::flush_stdout()) {
        Ok(()) => status,
        Err(e) => {
            complain(prog, None, &format_args!("write error: {}", e));
            2
        }
    }
}

/// The names in directory `d`, sorted bytewise. `getdents64` failing with `ENOENT` (the
/// directory was removed, e.g. `ls` run in a deleted working directory) is the end of the
/// listing, as GNU treats it: what was read is listed, and it is not an error.
fn list(d: &CStr) -> Result<Vec<Vec<u8>>, Errno> {
    let mut names = Vec::new();
    for e in dir::Dir::open(d)? {
        match e {
            Ok(e) => names.push(e.name),
            Err(Errno::ENOENT) => break,
            Err(e) => return Err(e),
        }
    }
    names.sort_unstable();
    Ok(names)
}
