//! `wc [-lwc] [FILE]...`: GNU wc's line, word and byte counts (C locale).
//!
//! Options as GNU's getopt takes them: anywhere among the files until `--`, short ones
//! combined (`-lw`), long ones shortened to any unique prefix (`--l`), through
//! [`linux_gate::getopt`]. GNU's `-m`, `-L`, `--files0-from`, `--help` and `--version` are
//! recognised but not implemented: `wc: option '-m' is not supported`, status 1.
//!
//! * Counts print in the order lines, words, bytes (all three without options).
//! * A word is a run of printable non-space bytes; as in GNU wc, unprintable bytes neither
//!   start a word nor end one.
//! * The column width is GNU's: the digits of the total size of the regular files named
//!   (from `stat`), at least 7 if any input is not a regular file (a pipe, a terminal), and
//!   1 when a single count of a single input is asked for.
//! * With several files a `total` line follows. A file that cannot be opened is reported
//!   and skipped (status 1); one that cannot be read (a directory) is reported and counted
//!   as empty. Errors on standard input name it as GNU does: `wc: 'standard input': Is a
//!   directory` when no file is given, `wc: -: …` for an explicit `-`.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use core::ffi::CStr;
use linux_gate::fd::{self, AsFd, BorrowedFd};
use linux_gate::fs::{self, File};
use linux_gate::{Errno, env, io};
use linux_gate_gnu::getopt::{self, Arg, Long};
use linux_gate_gnu::quote::{complain, program_name, quote_into, unsupported_option, usage_error};

linux_gate::entry!(main);

#[derive(Clone, Copy, Default)]
struct Counts {
    lines: u64,
    words: u64,
    bytes: u64,
}

#[derive(Clone, Copy)]
struct Which {
    lines: bool,
    words: bool,
    bytes: bool,
}

fn count(fd: BorrowedFd<'_>) -> (Counts, Option<Errno>) {
    let mut c = Counts::default();
    let mut in_word = false;
    let mut buf = alloc::vec![0u8; 128 * 1024];
    loop {
        let n = match fd.read(&mut buf) {
            Ok(0) => return (c, None),
            Ok(n) => n.min(buf.len()),
            Err(Errno::EINTR) => continue,
            Err(e) => return (c, Some(e)),
        };
        c.bytes += n as u64;
        for &b in &buf[..n] {
            match b {
                b'\n' => {
                    c.lines += 1;
                    in_word = false;
                }
                b' ' | b'\t' | 0x0b | 0x0c | b'\r' => in_word = false,
                0x21..=0x7e if !in_word => {
                    c.words += 1;
                    in_word = true;
                }
                _ => {}
            }
        }
    }
}

fn usage(prog: &[u8], what: core::fmt::Arguments<'_>) -> i32 {
    usage_error(prog, &what);
    1
}

/// GNU wc 9.1's long options, in its table's order (which orders an ambiguity's list),
/// `--debug` (undocumented) included.
const LONG: &[Long] = &[
    Long::new("bytes", Arg::No),
    Long::new("chars", Arg::No),
    Long::new("lines", Arg::No),
    Long::new("words", Arg::No),
    Long::new("debug", Arg::No),
    Long::new("files0-from", Arg::Required),
    Long::new("max-line-length", Arg::No),
    Long::new("help", Arg::No),
    Long::new("version", Arg::No),
];

/// A GNU wc option this wc does not implement (`-m`, `-L`, `--files0-from`, …).
fn unsupported(prog: &[u8], option: core::fmt::Arguments<'_>) -> i32 {
    unsupported_option(prog, &option);
    1
}

fn push_num(out: &mut Vec<u8>, n: u64, width: usize, first: bool) {
    let s = alloc::format!("{:>width$}", n, width = width);
    if !first {
        out.push(b' ');
    }
    out.extend_from_slice(s.as_bytes());
}

fn line(out: &mut Vec<u8>, c: &Counts, which: Which, width: usize, name: Option<&[u8]>) {
    let mut first = true;
    for (on, n) in [
        (which.lines, c.lines),
        (which.words, c.words),
        (which.bytes, c.bytes),
    ] {
        if on {
            push_num(out, n, width, first);
            first = false;
        }
    }
    if let Some(name) = name {
        out.push(b' ');
        if name.contains(&b'\n') {
            quote_into(name, out);
        } else {
            out.extend_from_slice(name);
        }
    }
    out.push(b'\n');
}

fn main() -> i32 {
    let prog = program_name(b"wc");
    let mut which = Which {
        lines: false,
        words: false,
        bytes: false,
    };
    let mut files: Vec<&'static CStr> = Vec::new();
    let mut options_done = false;
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        let a = arg.to_bytes();
        if options_done || a.len() < 2 || a[0] != b'-' {
            files.push(arg);
            continue;
        }
        match a {
            b"--" => options_done = true,
            _ if a.starts_with(b"--") => {
                match getopt::long(a, LONG, || args.next().map(CStr::to_bytes)) {
                    Ok((o, _)) => match o.name {
                        "lines" => which.lines = true,
                        "words" => which.words = true,
                        "bytes" => which.bytes = true,
                        other => return unsupported(prog, format_args!("--{}", other)),
                    },
                    Err(e) => return usage(prog, format_args!("{}", e)),
                }
            }
            _ => {
                for &f in &a[1..] {
                    match f {
                        b'l' => which.lines = true,
                        b'w' => which.words = true,
                        b'c' => which.bytes = true,
                        b'm' | b'L' => return unsupported(prog, format_args!("-{}", f as char)),
                        _ => {
                            let f = f as char;
                            return usage(prog, format_args!("invalid option -- '{}'", f));
                        }
                    }
                }
            }
        }
    }
    if !(which.lines || which.words || which.bytes) {
        which = Which {
            lines: true,
            words: true,
            bytes: true,
        };
    }
    let stdin_only = files.is_empty();
    if stdin_only {
        files.push(c"-");
    }
    let is_stdin = |f: &CStr| f.to_bytes() == b"-";

    // GNU's column width, from stat of each input before any is read.
    let ncounts = which.lines as usize + which.words as usize + which.bytes as usize;
    let width = if files.len() == 1 && ncounts == 1 {
        1
    } else {
        let (mut total, mut min) = (0u64, 1);
        for &f in &files {
            let st = if is_stdin(f) {
                fs::fstat(fd::stdin())
            } else {
                fs::metadata(f)
            };
            match st {
                Ok(m) if m.is_file() => total += m.size,
                Ok(_) => min = 7,
                Err(_) => {}
            }
        }
        let digits = {
            let (mut d, mut t) = (1, total);
            while t >= 10 {
                t /= 10;
                d += 1;
            }
            d
        };
        digits.max(min)
    };

    let mut status = 0;
    let mut total = Counts::default();
    let mut out = Vec::new();
    let mut read_stdin = false;
    for &f in &files {
        let name = f.to_bytes();
        if name.is_empty() {
            // GNU refuses the empty name before trying to open it.
            complain(prog, None, &"invalid zero-length file name");
            status = 1;
            continue;
        }
        read_stdin |= is_stdin(f);
        let file = if is_stdin(f) {
            None
        } else {
            match File::open_read(f) {
                Ok(file) => Some(file),
                Err(e) => {
                    complain(prog, Some(name), &e);
                    status = 1;
                    continue;
                }
            }
        };
        let (c, err) = count(file.as_ref().map_or(fd::stdin(), File::as_fd));
        if let Some(e) = err {
            // GNU names implicit standard input in words, an explicit `-` as given.
            let shown = if stdin_only {
                &b"standard input"[..]
            } else {
                name
            };
            complain(prog, Some(shown), &e);
            status = 1;
        }
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
        line(
            &mut out,
            &c,
            which,
            width,
            if stdin_only { None } else { Some(name) },
        );
        // Each line is written as it is known, like GNU (which flushes per file via stdio).
        if io::stdout_write(&out).is_err() {
            return write_error(prog);
        }
        out.clear();
    }
    if files.len() > 1 {
        line(&mut out, &total, which, width, Some(b"total"));
    }
    if io::stdout_write(&out)
        .and_then(|()| io::flush_stdout())
        .is_err()
    {
        return write_error(prog);
    }
    // GNU closes standard input after reading it, and reports a failure: `wc: -: Bad file
    // descriptor` when it was closed to begin with.
    // SAFETY: fd 0 is read for the last time above; nothing reads it after this close.
    if read_stdin && let Err(e) = unsafe { fd::close(0) } {
        complain(prog, Some(b"-"), &e);
        return 1;
    }
    status
}

/// GNU's `close_stdout` after a failed write: `write error`, with the reason only when
/// closing standard output fails too (a closed descriptor: `write error: Bad file
/// descriptor`; a full disk is just `write error`, the reason lost with the buffer).
fn write_error(prog: &[u8]) -> i32 {
    // SAFETY: the program ends after this message (on stderr); stdout's buffer was just
    // flushed or dropped by the failed write, so nothing writes to fd 1 after its close.
    match unsafe { fd::close(1) } {
        Ok(()) => complain(prog, None, &"write error"),
        Err(e) => complain(prog, None, &format_args!("write error: {}", e)),
    }
    1
}
