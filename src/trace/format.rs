//! One trace line: `name(args) = result [mechanism]`, and the stack buffer the line is
//! written into (the trace allocates nothing: it may trace the allocator).

use super::decode::{args, result_note};
use super::names::name;
use crate::errno::Errno;
use crate::syscall::{self, nr};
use core::fmt::{self, Write};
use linux_raw_sys::general as g;

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

/// The size of the mapping a line moves to when it outgrows the stack buffer: 68 KiB, more
/// than any line needs (two paths of 4,095 bytes, every byte octal-escaped, are 33 KB), and
/// an odd size, so that the trace's own `mmap2`/`munmap` are told apart from the program's
/// under a real strace (`tests/sh/trace.sh` leaves them out, like the trace's writes).
pub const LONG_LINE_MAP: usize = 68 * 1024;

/// A line buffer on the stack: the trace allocates nothing (it may trace the allocator).
/// A line that fits (almost all do) goes out in one `write`. One that outgrows it (a long
/// path) moves to an anonymous mapping of [`LONG_LINE_MAP`] bytes, made with an untraced
/// `mmap2` and unmapped on drop, and still goes out in one `write`, so that no other
/// thread's line can split it. (Should that `mmap2` fail, the line is written in pieces as
/// the stack buffer fills: nothing is ever cut off.)
pub(crate) struct Line {
    buf: [u8; 512],
    len: usize,
    /// The mapping's address once the line has moved there, else 0.
    long: usize,
}

impl Line {
    pub(crate) const fn new() -> Line {
        Line {
            buf: [0; 512],
            len: 0,
            long: 0,
        }
    }

    /// Where the line is being built: the stack buffer, or the mapping.
    fn space(&mut self) -> &mut [u8] {
        if self.long == 0 {
            return &mut self.buf;
        }
        // SAFETY: `long` is a live, private, read-write mapping of LONG_LINE_MAP bytes that
        // only this `Line` uses (made in `move_out`, unmapped in `drop`).
        unsafe { core::slice::from_raw_parts_mut(self.long as *mut u8, LONG_LINE_MAP) }
    }

    /// Moves the line to a fresh mapping; false if there is one already or `mmap2` fails.
    fn move_out(&mut self) -> bool {
        if self.long != 0 {
            return false;
        }
        let (prot, flags) = (
            g::PROT_READ | g::PROT_WRITE,
            g::MAP_PRIVATE | g::MAP_ANONYMOUS,
        );
        let args = [
            0,
            LONG_LINE_MAP,
            prot as usize,
            flags as usize,
            usize::MAX,
            0,
        ];
        // SAFETY: a fresh anonymous mapping, which nothing else knows of.
        match unsafe { syscall::raw_syscall6(nr::__NR_mmap2, args) } {
            Ok(addr) => {
                self.long = addr;
                let len = self.len;
                let stack = self.buf;
                self.space()[..len].copy_from_slice(&stack[..len]);
                true
            }
            Err(_) => false,
        }
    }

    /// Writes out what is buffered, to stderr.
    pub(crate) fn flush(&mut self) {
        let len = self.len;
        raw_write(2, &self.space()[..len]);
        self.len = 0;
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if self.long != 0 {
            // SAFETY: the mapping `move_out` made; nothing refers to it any more.
            let _ = unsafe { syscall::raw_syscall3(nr::__NR_munmap, self.long, LONG_LINE_MAP, 0) };
        }
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut s = s.as_bytes();
        while !s.is_empty() {
            let cap = self.space().len();
            if self.len == cap {
                if !self.move_out() {
                    self.flush();
                }
                continue;
            }
            let (len, n) = (self.len, s.len().min(cap - self.len));
            self.space()[len..len + n].copy_from_slice(&s[..n]);
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
