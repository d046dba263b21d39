//! `errno NAME|NUMBER...`, `errno -l`, `errno -s WORD...`: the kernel's error numbers with
//! their names and glibc's messages, one `NAME NUMBER message` line each, as moreutils'
//! `errno` prints them.
//!
//! `errno ENOSPC` and `errno 28` both print `ENOSPC 28 No space left on device`. Names match
//! whatever their case, and the three aliases (`EWOULDBLOCK`, `EDEADLOCK`, `ENOTSUP`) answer
//! under their own names; a number answers with its main name. `-l` lists every error in
//! numeric order, each alias after the name it shares a number with. `-s` lists the errors
//! whose message contains every WORD, case ignored (`errno -s no space`).
//!
//! Everything printed comes from [`Errno`]: the numbers from `linux-raw-sys` (the kernel's
//! headers), the messages from `src/errno.rs`. `tests/sh/errno.sh` compares all of it with
//! moreutils' `errno`, which asks glibc. An unknown name or number is reported on stderr and
//! makes the status 1; a write error too.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;
use linux_gate::{Errno, env, io};
use linux_gate_gnu::quote::{complain, program_name, usage_error};

linux_gate::entry!(main);

/// Names that share a number with another, kept by the kernel's headers for old code.
const ALIASES: [(&str, Errno); 3] = [
    ("EWOULDBLOCK", Errno::EWOULDBLOCK),
    ("EDEADLOCK", Errno::EDEADLOCK),
    ("ENOTSUP", Errno::ENOTSUP),
];

/// Every error the kernel defines, with its main name, in numeric order. Every error number
/// the kernel can return is in 1..=4095 (the -4095..-1 convention).
fn all() -> impl Iterator<Item = (&'static str, Errno)> {
    (1..=4095)
        .map(Errno::from_raw)
        .filter_map(|e| Some((e.name()?, e)))
}

fn show(out: &mut String, name: &str, e: Errno) {
    let _ = writeln!(out, "{} {} {}", name, e.raw(), e);
}

/// The main name's line, then its aliases'.
fn show_with_aliases(out: &mut String, (name, e): (&str, Errno)) {
    show(out, name, e);
    for (alias, _) in ALIASES.iter().filter(|(_, a)| *a == e) {
        show(out, alias, e);
    }
}

fn lookup(key: &[u8]) -> Option<(&'static str, Errno)> {
    if !key.is_empty() && key.iter().all(u8::is_ascii_digit) {
        let n: u16 = core::str::from_utf8(key).ok()?.parse().ok()?;
        let e = Errno::from_raw(n);
        return e.name().map(|name| (name, e));
    }
    all()
        .chain(ALIASES)
        .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(key))
}

fn contains_ignoring_case(haystack: &str, word: &[u8]) -> bool {
    word.is_empty()
        || haystack
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
}

const USAGE: &str = "\
Usage: errno NAME|NUMBER...
  or:  errno -l|--list
  or:  errno -s|--search WORD...
Look up error names, numbers and their messages.
";

fn main() -> i32 {
    let prog = program_name(b"errno");
    let mut args = env::args_bytes().skip(1).peekable();
    let mut out = String::new();
    let mut status = 0;
    let mut write_error = None;
    match args.peek().copied() {
        None => {
            usage_error(prog, &"missing operand");
            return 1;
        }
        Some(b"--help") => out.push_str(USAGE),
        Some(b"-l" | b"--list") => {
            if let Some(extra) = args.nth(1) {
                let what = format_args!("extra operand '{}'", extra.escape_ascii());
                usage_error(prog, &what);
                return 1;
            }
            all().for_each(|e| show_with_aliases(&mut out, e));
        }
        Some(b"-s" | b"--search") => {
            let words: Vec<&[u8]> = args.skip(1).collect();
            for (name, e) in all() {
                let message = e.message().unwrap_or("");
                if words.iter().all(|w| contains_ignoring_case(message, w)) {
                    show_with_aliases(&mut out, (name, e));
                }
            }
        }
        Some(opt) if opt.len() > 1 && opt[0] == b'-' => {
            usage_error(
                prog,
                &format_args!("invalid option '{}'", opt.escape_ascii()),
            );
            return 1;
        }
        Some(_) => {
            for key in args {
                match lookup(key) {
                    Some((name, e)) => show(&mut out, name, e),
                    None => {
                        // Lines so far first, so that stdout and stderr stay in order.
                        if let Err(e) = io::stdout_write(out.as_bytes()) {
                            write_error.get_or_insert(e);
                        }
                        out.clear();
                        complain(prog, Some(key), &"no such error name or number");
                        status = 1;
                    }
                }
            }
        }
    }
    let written = io::stdout_write(out.as_bytes()).and_then(|()| io::flush_stdout());
    match write_error.map_or(written, Err) {
        Ok(()) => status,
        Err(e) => {
            complain(prog, None, &format_args!("write error: {}", e));
            1
        }
    }
}
