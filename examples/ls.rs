//! `ls [-1a] [FILE]...`: the names in each directory, one per line, `.` and `..` included,
//! sorted bytewise — exactly `LC_ALL=C ls -1a` writing to a pipe or file.
//!
//! No operand lists `.`. Operands that are not directories are printed first, then each
//! directory; with more than one operand each directory gets a `name:` header, with blank
//! lines between. A missing operand is reported (`ls: cannot access 'x': No such file or
//! directory`) and the status is 2, as GNU's. An operand that `stat` cannot follow because
//! it is a dangling symbolic link (`ENOENT`) is looked at with `lstat` instead and listed
//! as the link itself, as GNU 9.1 does (a link loop, `ELOOP`, stays an error there too).
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use core::ffi::CStr;
use linux_gate::dir;
use linux_gate::fs;
use linux_gate::quote::{complain, complain_with, program_name, usage_error};
use linux_gate::{Errno, Fd, env, io};
use linux_raw_sys::general::AT_SYMLINK_NOFOLLOW;

linux_gate::entry!(main);

fn main() -> i32 {
    let prog = program_name(b"ls");
    let mut operands: Vec<&'static CStr> = Vec::new();
    let mut options_done = false;
    for arg in env::args().skip(1) {
        let a = arg.to_bytes();
        if !options_done && a.len() > 1 && a[0] == b'-' {
            if a == b"--" {
                options_done = true;
                continue;
            }
            if let Some(&bad) = a[1..].iter().find(|b| !b"1a".contains(b)) {
                let bad = bad as char;
                usage_error(prog, &format_args!("invalid option -- '{}'", bad));
                return 2;
            }
            continue;
        }
        operands.push(arg);
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
            Err(Errno::ENOENT)
                if fs::statx(Fd::from_raw(fs::AT_FDCWD), op, AT_SYMLINK_NOFOLLOW).is_ok() =>
            {
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
    let mut out = Vec::new();
    for f in &files {
        out.extend_from_slice(f.to_bytes());
        out.push(b'\n');
    }
    let mut first = files.is_empty();
    for d in &dirs {
        match dir::read_dir_sorted(d) {
            Ok(names) => {
                if several {
                    if !first {
                        out.push(b'\n');
                    }
                    out.extend_from_slice(d.to_bytes());
                    out.extend_from_slice(b":\n");
                }
                first = false;
                for n in names {
                    out.extend_from_slice(&n);
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
