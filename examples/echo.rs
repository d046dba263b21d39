//! `echo [-neE]... [STRING]...`: GNU coreutils' `/bin/echo` (not the shell builtin).
//!
//! Leading arguments made only of `-` and the letters `n`, `e`, `E` are options: `-n` no
//! trailing newline, `-e` interpret backslash escapes, `-E` don't (the default). With `-e`:
//! `\\ \a \b \c \e \f \n \r \t \v`, `\0NNN` and `\NNN` (octal, up to 3 digits), `\xHH`
//! (1–2 hex digits); `\c` ends all output at once. Anything else after `\` is printed as is.
//! Output goes through the buffered stdout; a write error is reported as
//! `echo: write error: …`, status 1.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use linux_gate::{env, io};
use linux_gate_gnu::quote::{complain, program_name};

linux_gate::entry!(main);

fn is_option(arg: &[u8]) -> bool {
    arg.len() > 1 && arg[0] == b'-' && arg[1..].iter().all(|b| b"neE".contains(b))
}

fn octal(b: Option<&u8>) -> Option<u8> {
    b.filter(|b| (b'0'..=b'7').contains(b)).map(|b| b - b'0')
}

/// Appends `arg` with escapes interpreted; returns false at `\c` (stop everything).
fn unescape(arg: &[u8], out: &mut Vec<u8>) -> bool {
    let mut i = 0;
    while i < arg.len() {
        let c = arg[i];
        i += 1;
        if c != b'\\' || i == arg.len() {
            out.push(c);
            continue;
        }
        let e = arg[i];
        i += 1;
        let byte = match e {
            b'a' => 0x07,
            b'b' => 0x08,
            b'c' => return false,
            b'e' => 0x1b,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 0x0b,
            b'\\' => b'\\',
            b'x' => {
                let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16));
                match hex(arg.get(i)) {
                    None => {
                        out.extend_from_slice(b"\\x");
                        continue;
                    }
                    Some(h) => {
                        i += 1;
                        let mut v = h;
                        if let Some(l) = hex(arg.get(i)) {
                            i += 1;
                            v = v * 16 + l;
                        }
                        v as u8
                    }
                }
            }
            b'0'..=b'7' => {
                // `\0` takes up to three more digits, `\1`…`\7` up to two more; the value
                // is truncated to a byte, as C's putchar does.
                let mut v: u32 = 0;
                let mut digits = 2;
                if e == b'0' {
                    digits = 3;
                } else {
                    v = (e - b'0') as u32;
                }
                while digits > 0 {
                    let Some(d) = octal(arg.get(i)) else { break };
                    v = v * 8 + d as u32;
                    i += 1;
                    digits -= 1;
                }
                v as u8
            }
            other => {
                out.push(b'\\');
                other
            }
        };
        out.push(byte);
    }
    true
}

fn main() -> i32 {
    let mut args = env::args_bytes().skip(1).peekable();
    let (mut newline, mut escapes) = (true, false);
    while let Some(arg) = args.next_if(|a| is_option(a)) {
        for &f in &arg[1..] {
            match f {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
    }
    let mut out = Vec::new();
    let mut first = true;
    let mut stopped = false;
    for arg in args {
        if !first {
            out.push(b' ');
        }
        first = false;
        if escapes {
            if !unescape(arg, &mut out) {
                stopped = true;
                break;
            }
        } else {
            out.extend_from_slice(arg);
        }
    }
    if newline && !stopped {
        out.push(b'\n');
    }
    match io::stdout_write(&out).and_then(|()| io::flush_stdout()) {
        Ok(()) => 0,
        Err(e) => {
            complain(
                program_name(b"echo"),
                None,
                &format_args!("write error: {}", e),
            );
            1
        }
    }
}
