//! One trace line: `name(args) = result [mechanism]`, and the stack buffer the line is
//! written into (the trace allocates nothing: it may trace the allocator).

use super::decode::{args, result_note};
use super::names::name;
use crate::errno::Errno;
use crate::syscall::{self, nr};
use core::fmt::{self, Write};

/// `write(2)` through the current entry, bypassing the traced `syscallN` (so the trace does
/// not trace its own output). Partial writes are retried; errors end the line silently.
fn raw_write(fd: usize, mut buf: &[u8]) {
    while !buf.is_empty() {
        // SAFETY: a plain write(2) of a live buffer.
        match unsafe { syscall::raw_syscall3(nr::__NR_write, fd, buf.as_ptr() as usize, buf.len()) }
        {
            Ok(0) | Err(_) => return,
            Ok(n) => buf = &buf[n.min(buf.len())..],
        }
    }
}

/// A line buffer on the stack: the trace allocates nothing (it may trace the allocator).
/// A line that fits (almost all do) goes out in one `write`; a longer one (a long path) is
/// written in pieces as the buffer fills, so nothing is ever cut off.
pub(crate) struct Line {
    buf: [u8; 512],
    len: usize,
}

impl Line {
    pub(crate) const fn new() -> Line {
        Line {
            buf: [0; 512],
            len: 0,
        }
    }

    /// Writes out what is buffered, to stderr.
    pub(crate) fn flush(&mut self) {
        raw_write(2, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut s = s.as_bytes();
        while !s.is_empty() {
            if self.len == self.buf.len() {
                self.flush();
            }
            let n = s.len().min(self.buf.len() - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&s[..n]);
            self.len += n;
            s = &s[n..];
        }
        Ok(())
    }
}

/// Formats one trace line (without the newline): `name(args) = result [mechanism]`. Never
/// cut: a long path is written whole, and the result and bracket always follow.
pub fn format(
    w: &mut impl Write,
    nr: u32,
    a: &[usize],
    result: Result<usize, Errno>,
    mech: syscall::Mechanism,
) -> fmt::Result {
    match name(nr) {
        Some(n) => w.write_str(n)?,
        None => write!(w, "syscall_{:#x}", nr)?,
    }
    w.write_char('(')?;
    args(w, nr, a, result)?;
    w.write_str(") = ")?;
    match result {
        Ok(v) if matches!(nr, nr::__NR_brk | nr::__NR_mmap2) => write!(w, "{:#x}", v)?,
        Ok(v) => write!(w, "{}", v as isize)?,
        Err(e) => {
            w.write_str("-1 ")?;
            match e.name() {
                Some(n) => w.write_str(n)?,
                None => write!(w, "E{}", e.raw())?,
            }
            if let Some(m) = e.message() {
                write!(w, " ({})", m)?;
            }
        }
    }
    result_note(w, nr, a, result)?;
    write!(w, " [{}]", mech.name())
}
