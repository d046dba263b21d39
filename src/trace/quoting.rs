//! strace's quoting of strings and paths: `"Hello\n"`, non-printable bytes in octal, cut
//! at [`STRING_LIMIT`] (a path at [`PATH_LIMIT`]) with `...` after. Used by the argument
//! decoder; nothing here reads memory or makes a call.

use core::fmt::{self, Write};

/// The most bytes of a string argument shown, as `strace -s 32` (the default).
pub const STRING_LIMIT: usize = 32;

/// Writes `bytes` as a C string literal the way strace does: `"Hello\n"`, non-printables in
/// octal, at most `limit` bytes, then `...` if cut.
pub fn quote(w: &mut impl Write, bytes: &[u8], limit: usize) -> fmt::Result {
    w.write_char('"')?;
    let shown = &bytes[..bytes.len().min(limit)];
    for (i, &b) in shown.iter().enumerate() {
        match b {
            b'"' => w.write_str("\\\"")?,
            b'\\' => w.write_str("\\\\")?,
            b'\t' => w.write_str("\\t")?,
            b'\n' => w.write_str("\\n")?,
            0x0b => w.write_str("\\v")?,
            0x0c => w.write_str("\\f")?,
            b'\r' => w.write_str("\\r")?,
            0x20..=0x7e => w.write_char(b as char)?,
            _ => {
                // Shortest octal, unless the next byte is an octal digit.
                let next_digit = matches!(shown.get(i + 1), Some(b'0'..=b'7'));
                if next_digit {
                    write!(w, "\\{:03o}", b)?
                } else {
                    write!(w, "\\{:o}", b)?
                }
            }
        }
    }
    w.write_char('"')?;
    if bytes.len() > limit {
        w.write_str("...")?;
    }
    Ok(())
}

/// The longest path strace shows (`PATH_MAX - 1` bytes; a longer one gets `...`). Paths are
/// not cut at [`STRING_LIMIT`]: strace prints them whole.
pub const PATH_LIMIT: usize = 4095;
