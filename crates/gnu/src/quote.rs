//! Quoting file names in messages the way GNU coreutils do (`quotef`, gnulib's
//! shell-escape style, C locale), so that `cat: 'no such': No such file or directory`
//! matches byte for byte — and diagnostics in the `prog: name: message` shape.
//!
//! * A name with only "safe" bytes is printed as is: `nosuch`.
//! * A name with a shell-special byte is single-quoted: `'a b'`, `'it'\''s $x'`; one
//!   whose only problem is a `'` is double-quoted instead: `"it's"`.
//! * Unprintable bytes (C locale: below 0x20, 0x7f, 0x80 and up) leave the quotes as
//!   `$'\n'` / `$'\377'`: `'a'$'\377''b'`.

use alloc::vec::Vec;
use linux_gate::fd;

fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// Bytes that make a shell see something other than a plain word.
fn special(b: u8, i: usize, len: usize) -> bool {
    match b {
        b' ' | b'!' | b'"' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b';' | b'<' | b'='
        | b'>' | b'?' | b'[' | b'\\' | b'^' | b'`' | b'|' | b':' => true,
        b'#' | b'~' => i == 0,
        b'{' | b'}' => len == 1,
        _ => !printable(b),
    }
}

/// Appends `name` quoted as GNU's `quotef` does in the C locale.
pub fn quote_into(name: &[u8], out: &mut Vec<u8>) {
    quote_style(name, false, out)
}

/// Appends `name` always in quotes (GNU's `quoteaf`, as in `ls: cannot access 'x': …`).
pub fn quote_always_into(name: &[u8], out: &mut Vec<u8>) {
    quote_style(name, true, out)
}

fn quote_style(name: &[u8], always: bool, out: &mut Vec<u8>) {
    let len = name.len();
    if !always && len != 0 && !name.iter().enumerate().any(|(i, &b)| special(b, i, len)) {
        out.extend_from_slice(name);
        return;
    }
    let all_printable = name.iter().all(|&b| printable(b));
    let double_ok = !name.iter().any(|b| b"\"$`\\!".contains(b));
    if all_printable && double_ok && name.contains(&b'\'') {
        out.push(b'"');
        out.extend_from_slice(name);
        out.push(b'"');
        return;
    }
    out.push(b'\'');
    let mut in_escape = false; // inside a `$'…'` section
    for &b in name {
        if printable(b) {
            if in_escape {
                out.extend_from_slice(b"''");
                in_escape = false;
            }
            if b == b'\'' {
                out.extend_from_slice(b"'\\''");
            } else {
                out.push(b);
            }
            continue;
        }
        if !in_escape {
            out.extend_from_slice(b"'$'");
            in_escape = true;
        }
        out.push(b'\\');
        match b {
            0x07 => out.push(b'a'),
            0x08 => out.push(b'b'),
            b'\t' => out.push(b't'),
            b'\n' => out.push(b'n'),
            0x0b => out.push(b'v'),
            0x0c => out.push(b'f'),
            b'\r' => out.push(b'r'),
            _ => out.extend_from_slice(&[b'0' + (b >> 6), b'0' + ((b >> 3) & 7), b'0' + (b & 7)]),
        }
    }
    out.push(b'\'');
}

/// Writes one diagnostic line to stderr in a single `write`: `prog: name: message`
/// (`name` quoted with [`quote_into`]; left out when `None`). Like glibc's `error(3)`, it
/// first flushes what `print!` buffered, so stdout and stderr interleave as GNU's do.
pub fn complain(prog: &[u8], name: Option<&[u8]>, message: &dyn core::fmt::Display) {
    diagnostic(prog, name.map(|n| (&[][..], n)), false, message)
}

/// A usage error as GNU tools report one: `prog: MESSAGE`, then
/// `Try 'prog --help' for more information.` — both on stderr.
pub fn usage_error(prog: &[u8], message: &dyn core::fmt::Display) {
    complain(prog, None, message);
    let mut line = Vec::with_capacity(48);
    line.extend_from_slice(b"Try '");
    line.extend_from_slice(prog);
    line.extend_from_slice(b" --help' for more information.\n");
    let _ = fd::stderr().write_all(&line);
}

/// A GNU option the tool knows but does not implement: `prog: option '-n' is not
/// supported` on stderr (`option` as the user should read it: `-n`, or `--number` in full
/// however it was shortened). The exit status is the tool's choice.
pub fn unsupported_option(prog: &[u8], option: &dyn core::fmt::Display) {
    complain(
        prog,
        None,
        &format_args!("option '{}' is not supported", option),
    );
}

/// Like [`complain`], with a prefix before an always-quoted name:
/// `prog: cannot access 'x': message` is `complain_with(prog, (b"cannot access ", b"x"), …)`.
pub fn complain_with(prog: &[u8], name: (&[u8], &[u8]), message: &dyn core::fmt::Display) {
    diagnostic(prog, Some(name), true, message)
}

fn diagnostic(
    prog: &[u8],
    name: Option<(&[u8], &[u8])>,
    always: bool,
    message: &dyn core::fmt::Display,
) {
    linux_gate::io::flush_stdout_or_defer();
    let mut line = Vec::with_capacity(64);
    line.extend_from_slice(prog);
    line.extend_from_slice(b": ");
    if let Some((prefix, n)) = name {
        line.extend_from_slice(prefix);
        quote_style(n, always, &mut line);
        line.extend_from_slice(b": ");
    }
    let _ = core::fmt::write(&mut VecWriter(&mut line), format_args!("{}\n", message));
    let _ = fd::stderr().write_all(&line);
}

struct VecWriter<'a>(&'a mut Vec<u8>);

impl core::fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// The program name for diagnostics: `argv[0]` as given (as GNU tools use it), or
/// `fallback` when `argc` is 0.
pub fn program_name(fallback: &'static [u8]) -> &'static [u8] {
    linux_gate::env::args_bytes().next().unwrap_or(fallback)
}

/// Bytes shown as text in a message, invalid UTF-8 as U+FFFD (what
/// `String::from_utf8_lossy` gives), written piece by piece: no allocation, and none of
/// `Formatter`'s padding code (`{:>8}` is not honoured).
pub struct Lossy<'a>(pub &'a [u8]);

impl core::fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}
