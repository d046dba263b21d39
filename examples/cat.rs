//! `cat [-u] [--] [FILE]...`: GNU cat without its formatting options. No file, or `-`, is
//! standard input.
//!
//! Data goes straight from `read` to `write` through one 128 KiB buffer (GNU's size), so
//! throughput is the kernel's. A file that cannot be read is reported
//! (`cat: nosuch: No such file or directory`) and skipped, status 1; a write error ends
//! the program at once (`cat: write error: No space left on device`, status 1). Writing
//! into a closed pipe raises SIGPIPE, which kills it silently, as it does GNU cat.
//!
//! An input that is the output itself (`cat s >> s`) is refused as GNU cat 9.1 refuses it:
//! when standard output is a regular file and the input is the same file (same device and
//! inode) with its read offset below its size, copying would never reach the end, so it is
//! reported (`cat: s: input file is output file`) and skipped, status 1.
//!
//! Options are parsed as GNU's getopt does: anywhere among the operands, until the first
//! `--`; `-` alone is an operand; a long one may be any unique prefix of its name
//! ([`linux_gate::getopt`]). `-u` is accepted and ignored (as GNU ignores it). An
//! option GNU cat does not have is refused with GNU's words (`cat: invalid option -- 'x'`
//! or `cat: unrecognized option '--x'`, then `Try 'cat --help' for more information.`,
//! status 1). GNU's formatting options (`-A -b -e -E -n -s -t -T -v` and their long
//! forms) and `--help`/`--version` are not implemented: they are refused with
//! `cat: option '-n' is not supported`, status 1, before anything is read.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use core::ffi::CStr;
use linux_gate::fd::{self, AsFd, BorrowedFd};
use linux_gate::fs::{self, File, Metadata};
use linux_gate::io::{self, SeekFrom};
use linux_gate::{Errno, env, exit};
use linux_gate_gnu::getopt::{self, Arg, Long};
use linux_gate_gnu::quote::{Lossy, complain, program_name, unsupported_option, usage_error};

linux_gate::entry!(main);

const BUF: usize = 128 * 1024;

/// GNU cat's short options; all but `u` (ignored) are unimplemented here.
const SHORT: &[u8] = b"AbeEnstTuv";
/// GNU cat 9.1's long options (all unimplemented here), in its table's order, which is the
/// order glibc lists an ambiguity's candidates in.
const LONG: &[Long] = &[
    Long::new("number-nonblank", Arg::No),
    Long::new("number", Arg::No),
    Long::new("squeeze-blank", Arg::No),
    Long::new("show-nonprinting", Arg::No),
    Long::new("show-ends", Arg::No),
    Long::new("show-tabs", Arg::No),
    Long::new("show-all", Arg::No),
    Long::new("help", Arg::No),
    Long::new("version", Arg::No),
];

enum Failure {
    Read(Errno),
    Write(Errno),
}

fn copy(from: BorrowedFd<'_>, buf: &mut [u8]) -> Result<(), Failure> {
    loop {
        let n = match from.read(buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n.min(buf.len()),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(Failure::Read(e)),
        };
        fd::stdout().write_all(&buf[..n]).map_err(Failure::Write)?;
    }
}

fn usage(prog: &[u8], what: core::fmt::Arguments<'_>) -> i32 {
    usage_error(prog, &what);
    1
}

/// A GNU cat option this cat does not implement, as given (`-n`) or by its full name.
enum Unsupported {
    Short(&'static [u8]),
    Long(&'static str),
}

/// Splits the arguments into operands, or returns the exit status of a refused option.
fn parse(prog: &[u8]) -> Result<Vec<&'static CStr>, i32> {
    let mut operands = Vec::new();
    // The first unimplemented GNU option, reported only if no invalid one follows.
    let mut unsupported: Option<Unsupported> = None;
    let mut options_done = false;
    for arg in env::args().skip(1) {
        let a = arg.to_bytes();
        if options_done || a.len() < 2 || a[0] != b'-' {
            operands.push(arg);
        } else if a == b"--" {
            options_done = true;
        } else if a.starts_with(b"--") {
            match getopt::long(a, LONG, || None) {
                // Named in full, however shortened: `--h` is `--help`.
                Ok((o, _)) => {
                    unsupported.get_or_insert(Unsupported::Long(o.name));
                }
                Err(e) => return Err(usage(prog, format_args!("{}", e))),
            }
        } else {
            for &c in &a[1..] {
                if !SHORT.contains(&c) {
                    let c = c as char;
                    return Err(usage(prog, format_args!("invalid option -- '{}'", c)));
                }
            }
            if a[1..].iter().any(|&c| c != b'u') {
                unsupported.get_or_insert(Unsupported::Short(a));
            }
        }
    }
    if let Some(o) = unsupported {
        match o {
            Unsupported::Short(a) => unsupported_option(prog, &Lossy(a)),
            Unsupported::Long(name) => unsupported_option(prog, &format_args!("--{}", name)),
        }
        return Err(1);
    }
    Ok(operands)
}

/// GNU cat 9.1's test: output is a regular file, the input is that same file, and
/// reading it from where it stands would not end before what is being appended.
fn is_output(fd: BorrowedFd<'_>, out: &Metadata) -> bool {
    let Ok(m) = fs::fstat(fd) else { return false };
    if !out.is_file() || m.dev != out.dev || m.ino != out.ino {
        return false;
    }
    // A failing lseek counts as offset -1, below any size, as in GNU's signed compare.
    io::seek(fd, SeekFrom::Current(0)).map_or(true, |pos| pos < m.size)
}

fn main() -> i32 {
    let prog = program_name(b"cat");
    let operands = match parse(prog) {
        Ok(o) => o,
        Err(status) => return status,
    };
    let out = match fs::fstat(fd::stdout()) {
        Ok(m) => m,
        Err(e) => {
            complain(prog, None, &format_args!("standard output: {}", e));
            return 1;
        }
    };
    let mut buf = alloc::vec![0u8; BUF];
    let mut status = 0;
    let mut read_stdin = false;
    // No operands means standard input; `None` stands for it.
    let stdin_only = core::iter::once(None).take(if operands.is_empty() { 1 } else { 0 });
    for path in operands.iter().copied().map(Some).chain(stdin_only) {
        let name = path.map_or(&b"-"[..], |p| p.to_bytes());
        let file = match path {
            Some(p) if name != b"-" => match File::open_read(p) {
                Ok(f) => Some(f),
                Err(e) => {
                    complain(prog, Some(name), &e);
                    status = 1;
                    continue;
                }
            },
            _ => None,
        };
        read_stdin |= file.is_none();
        let fd = file.as_ref().map_or(fd::stdin(), File::as_fd);
        if is_output(fd, &out) {
            complain(prog, Some(name), &"input file is output file");
            status = 1;
            continue;
        }
        match copy(fd, &mut buf) {
            Ok(()) => {}
            Err(Failure::Read(e)) => {
                complain(prog, Some(name), &e);
                status = 1;
            }
            Err(Failure::Write(e)) => {
                complain(prog, None, &format_args!("write error: {}", e));
                exit::exit(1);
            }
        }
    }
    // As GNU cat: once standard input was read, closing it must work too (a closed or
    // revoked descriptor says so here: `cat: closing standard input: Bad file descriptor`).
    // SAFETY: nothing reads fd 0 after this: the program ends.
    if read_stdin && let Err(e) = unsafe { fd::close(0) } {
        complain(prog, None, &format_args!("closing standard input: {}", e));
        status = 1;
    }
    status
}
