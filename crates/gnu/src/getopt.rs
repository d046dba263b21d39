//! GNU `getopt_long`'s rules for `--name[=value]` arguments, so that a small GNU-style tool
//! accepts what GNU's accepts and refuses it in the same words:
//!
//! * a name may be shortened to any prefix that is unique: `wc --l` is `wc --lines`;
//! * an exact name wins over longer ones it prefixes (`--number` beside `--number-nonblank`);
//! * `option '--nu' is ambiguous; possibilities: '--number-nonblank' '--number'`, the
//!   candidates in the tool's table order, as glibc lists them;
//! * `unrecognized option '--x=1'` (the whole argument);
//! * `option '--lines' doesn't allow an argument` for `--lines=3`, and
//!   `option '--unset' requires an argument` when none follows (the full name both times).
//!
//! Short options and the order of operands stay with the tool. `tests/sh/coreutils.sh`
//! runs the examples that use this next to GNU's tools on the same arguments.

use crate::quote::Lossy;
use core::fmt;

/// Whether a long option takes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// `--name` only; `--name=value` is refused.
    No,
    /// `--name=value` or `--name value`.
    Required,
    /// `--name=value` or just `--name` (the next argument is never taken).
    Optional,
}

/// One long option of a tool's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Long {
    /// The name, without the leading `--`.
    pub name: &'static str,
    /// Whether it takes a value.
    pub arg: Arg,
}

impl Long {
    /// A table entry.
    pub const fn new(name: &'static str, arg: Arg) -> Long {
        Long { name, arg }
    }
}

/// Why a `--name[=value]` argument was refused; its `Display` is glibc's message (without
/// the `prog: ` in front).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongError<'a> {
    /// No option starts with the name. Holds the whole argument.
    Unrecognized(&'a [u8]),
    /// Several options start with the name. Holds the whole argument and the table.
    Ambiguous(&'a [u8], &'a [Long]),
    /// `--name=value` for an option without a value.
    NoArgumentAllowed(&'static str),
    /// A required value is missing (no `=value`, no next argument).
    ArgumentRequired(&'static str),
}

/// The name part of `--name[=value]` (bytes after `--`, up to any `=`).
fn name_of(arg: &[u8]) -> &[u8] {
    let body = arg.strip_prefix(b"--").unwrap_or(arg);
    body.split(|&b| b == b'=').next().unwrap_or(body)
}

impl fmt::Display for LongError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            LongError::Unrecognized(a) => write!(f, "unrecognized option '{}'", Lossy(a)),
            LongError::Ambiguous(a, table) => {
                write!(f, "option '{}' is ambiguous; possibilities:", Lossy(a))?;
                let name = name_of(a);
                for l in table.iter().filter(|l| l.name.as_bytes().starts_with(name)) {
                    f.write_str(" '--")?;
                    f.write_str(l.name)?;
                    f.write_str("'")?;
                }
                Ok(())
            }
            LongError::NoArgumentAllowed(n) => {
                f.write_str("option '--")?;
                f.write_str(n)?;
                f.write_str("' doesn't allow an argument")
            }
            LongError::ArgumentRequired(n) => {
                f.write_str("option '--")?;
                f.write_str(n)?;
                f.write_str("' requires an argument")
            }
        }
    }
}

/// Resolves `arg` (a whole `--name[=value]` argument) against `table`: the option it names
/// and its value. For an option that requires a value and has no `=value`, `next` is asked
/// for the following argument (and consumes it).
pub fn long<'a>(
    arg: &'a [u8],
    table: &'a [Long],
    next: impl FnOnce() -> Option<&'a [u8]>,
) -> Result<(&'a Long, Option<&'a [u8]>), LongError<'a>> {
    let body = arg.strip_prefix(b"--").unwrap_or(arg);
    let (name, value) = match body.iter().position(|&b| b == b'=') {
        Some(i) => (&body[..i], body.get(i + 1..)),
        None => (body, None),
    };
    let mut prefixed = table.iter().filter(|l| l.name.as_bytes().starts_with(name));
    let found = match table.iter().find(|l| l.name.as_bytes() == name) {
        Some(exact) => exact,
        None => match (prefixed.next(), prefixed.next()) {
            (Some(only), None) => only,
            (Some(_), Some(_)) => return Err(LongError::Ambiguous(arg, table)),
            (None, _) => return Err(LongError::Unrecognized(arg)),
        },
    };
    match (found.arg, value) {
        (Arg::No, Some(_)) => Err(LongError::NoArgumentAllowed(found.name)),
        (Arg::Required, None) => match next() {
            Some(v) => Ok((found, Some(v))),
            None => Err(LongError::ArgumentRequired(found.name)),
        },
        (_, value) => Ok((found, value)),
    }
}
