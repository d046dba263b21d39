//! Reading and writing descriptors, and buffered standard output behind `print!`.
//!
//! * [`read`], [`write()`], [`write_all`], the positioned [`pread`]/[`pwrite`], the vectored
//!   [`readv`]/[`writev`], 64-bit [`seek`] (`_llseek`), and the terminal queries
//!   ([`is_tty`], [`window_size`], [`bytes_readable`]) take any descriptor, owned or
//!   borrowed (`impl AsFd`, see [`crate::fd`]). [`LineReader`] reads one line at a time.
//! * stdout is buffered in a static buffer behind a lock (a futex mutex, [`crate::sync`]):
//!   line-buffered when fd 1 is a
//!   terminal (the `TCGETS` ioctl succeeds), fully buffered otherwise, flushed by
//!   [`crate::exit::exit`], by the panic handler, and before `fork` and `execve` (so that
//!   nothing is printed twice or lost). stderr is unbuffered.
//! * `print!`/`println!` behave like std's: on a write error they panic with
//!   `failed printing to stdout: …` (located at the `print!`), which exits 101 with that
//!   message on stderr. Output that is still buffered when the program exits, and fails
//!   then, is reported as `error: failed writing to stdout: …` with status 1 instead.

use crate::errno::Errno;
use crate::fd::{AsFd, AsRawFd, BorrowedFd};
use crate::raw;
use core::fmt;
use core::marker::PhantomData;

/// `read(2)`: up to `buf.len()` bytes; `Ok(0)` is end of file. `EINTR` is reported.
pub fn read(fd: impl AsFd, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel writes at most buf.len() bytes into buf.
    unsafe { raw::io::read(fd.as_fd().as_raw_fd(), buf.as_mut_ptr(), buf.len()) }
}

/// `write(2)`: may write fewer bytes than given. `EINTR` is reported.
pub fn write(fd: impl AsFd, buf: &[u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel reads at most buf.len() bytes from buf.
    unsafe { raw::io::write(fd.as_fd().as_raw_fd(), buf.as_ptr(), buf.len()) }
}

/// Writes all of `buf`, retrying after partial writes and `EINTR`; a write of 0 bytes is
/// `EIO` (it would loop for ever).
// `#[inline]`: the hint keeps it inlined into a `main` that writes once (hello: 636 bytes
// instead of 700, where LLVM otherwise weighs the copies in code every program carries,
// such as the panic handler's stderr message, and keeps it out of line).
#[inline]
pub fn write_all(fd: impl AsFd, mut buf: &[u8]) -> Result<(), Errno> {
    let fd = fd.as_fd();
    while !buf.is_empty() {
        match write(fd, buf) {
            Ok(0) => return Err(Errno::EIO),
            // The kernel never reports more than it was given; `get` keeps the slice
            // arithmetic free of a bounds-check panic all the same.
            Ok(n) => buf = buf.get(n..).unwrap_or_default(),
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `pread64`: reads at `offset` without moving the file position.
pub fn pread(fd: impl AsFd, buf: &mut [u8], offset: u64) -> Result<usize, Errno> {
    let off = offset_check(offset)?;
    // SAFETY: the kernel writes at most buf.len() bytes into buf.
    unsafe { raw::io::pread(fd.as_fd().as_raw_fd(), buf.as_mut_ptr(), buf.len(), off) }
}

/// `pwrite64`: writes at `offset` without moving the file position.
pub fn pwrite(fd: impl AsFd, buf: &[u8], offset: u64) -> Result<usize, Errno> {
    let off = offset_check(offset)?;
    // SAFETY: the kernel reads at most buf.len() bytes from buf.
    unsafe { raw::io::pwrite(fd.as_fd().as_raw_fd(), buf.as_ptr(), buf.len(), off) }
}

/// An offset the kernel takes as a signed `loff_t`: above `i64::MAX` is `EINVAL` (as the
/// kernel would say for the negative number it would otherwise see).
fn offset_check(offset: u64) -> Result<u64, Errno> {
    if offset > i64::MAX as u64 {
        Err(Errno::EINVAL)
    } else {
        Ok(offset)
    }
}

/// The common calls as methods of a borrowed descriptor: `fd::stdout().write_all(b"hi\n")`.
impl BorrowedFd<'_> {
    /// `read(2)` (see [`read`]).
    pub fn read(self, buf: &mut [u8]) -> Result<usize, Errno> {
        read(self, buf)
    }

    /// `write(2)` (see [`write()`]).
    pub fn write(self, buf: &[u8]) -> Result<usize, Errno> {
        write(self, buf)
    }

    /// All of `buf` (see [`write_all`]).
    #[inline]
    pub fn write_all(self, buf: &[u8]) -> Result<(), Errno> {
        write_all(self, buf)
    }

    /// Whether this is a terminal (see [`is_tty`]).
    pub fn is_tty(self) -> bool {
        is_tty(self)
    }
}

/// A buffer for [`writev`]: the kernel's `struct iovec`, as std's `IoSlice`.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub struct IoSlice<'a> {
    iov: linux_raw_sys::general::iovec,
    _buf: PhantomData<&'a [u8]>,
}

impl<'a> IoSlice<'a> {
    /// Wraps `buf`.
    pub fn new(buf: &'a [u8]) -> IoSlice<'a> {
        IoSlice {
            iov: linux_raw_sys::general::iovec {
                iov_base: buf.as_ptr() as *mut _,
                iov_len: buf.len() as _,
            },
            _buf: PhantomData,
        }
    }
}

/// A buffer for [`readv`]: the kernel's `struct iovec`, as std's `IoSliceMut`.
#[repr(transparent)]
pub struct IoSliceMut<'a> {
    iov: linux_raw_sys::general::iovec,
    _buf: PhantomData<&'a mut [u8]>,
}

impl<'a> IoSliceMut<'a> {
    /// Wraps `buf`.
    pub fn new(buf: &'a mut [u8]) -> IoSliceMut<'a> {
        IoSliceMut {
            iov: linux_raw_sys::general::iovec {
                iov_base: buf.as_mut_ptr().cast(),
                iov_len: buf.len() as _,
            },
            _buf: PhantomData,
        }
    }
}

/// `writev(2)`: the buffers in order, in one call (what a single `write` of their
/// concatenation would do). More than `IOV_MAX` (1024) buffers is `EINVAL`.
pub fn writev(fd: impl AsFd, bufs: &[IoSlice<'_>]) -> Result<usize, Errno> {
    // SAFETY: `IoSlice` is a `struct iovec` over a live `&[u8]`; the kernel reads them.
    unsafe { raw::io::writev(fd.as_fd().as_raw_fd(), bufs.as_ptr().cast(), bufs.len()) }
}

/// `readv(2)`: fills the buffers in order.
pub fn readv(fd: impl AsFd, bufs: &mut [IoSliceMut<'_>]) -> Result<usize, Errno> {
    // SAFETY: `IoSliceMut` is a `struct iovec` over a live `&mut [u8]`; the kernel writes
    // at most each one's length into it.
    unsafe { raw::io::readv(fd.as_fd().as_raw_fd(), bufs.as_mut_ptr().cast(), bufs.len()) }
}

/// Where [`seek`] counts from (`SEEK_SET`, `SEEK_CUR`, `SEEK_END`), as std's `SeekFrom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekFrom {
    /// From the start of the file.
    Start(u64),
    /// From the current position.
    Current(i64),
    /// From the end of the file.
    End(i64),
}

/// `_llseek(fd, offset_high, offset_low, &result, whence)`: the i386 way to seek with a
/// 64-bit offset. Returns the new position. `Start` past `i64::MAX` is `EINVAL`.
pub fn seek(fd: impl AsFd, pos: SeekFrom) -> Result<u64, Errno> {
    use linux_raw_sys::general::{SEEK_CUR, SEEK_END, SEEK_SET};
    let (off, whence) = match pos {
        SeekFrom::Start(n) => (offset_check(n)? as i64, SEEK_SET),
        SeekFrom::Current(n) => (n, SEEK_CUR),
        SeekFrom::End(n) => (n, SEEK_END),
    };
    let mut result: u64 = 0;
    // SAFETY: the kernel writes one 64-bit value to `result`.
    unsafe { raw::io::llseek(fd.as_fd().as_raw_fd(), off, &mut result, whence) }?;
    Ok(result)
}

/// Whether `fd` is a terminal (`ioctl(fd, TCGETS)` succeeds), as `isatty`.
pub fn is_tty(fd: impl AsFd) -> bool {
    let mut t = core::mem::MaybeUninit::<linux_raw_sys::general::termios>::uninit();
    let tcgets = linux_raw_sys::ioctl::TCGETS;
    // SAFETY: TCGETS fills a `struct termios`, which `t` has room for.
    unsafe { raw::io::ioctl(fd.as_fd().as_raw_fd(), tcgets, t.as_mut_ptr() as usize) }.is_ok()
}

/// A terminal's size, from `ioctl(TIOCGWINSZ)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowSize {
    /// Rows of characters.
    pub rows: u16,
    /// Columns of characters.
    pub cols: u16,
    /// Width in pixels (often 0).
    pub xpixel: u16,
    /// Height in pixels (often 0).
    pub ypixel: u16,
}

/// `ioctl(fd, TIOCGWINSZ)`: the terminal's size; `ENOTTY` for anything but a terminal.
pub fn window_size(fd: impl AsFd) -> Result<WindowSize, Errno> {
    let mut w = linux_raw_sys::general::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let req = linux_raw_sys::ioctl::TIOCGWINSZ;
    // SAFETY: TIOCGWINSZ writes one `struct winsize`, which `w` is.
    unsafe { raw::io::ioctl(fd.as_fd().as_raw_fd(), req, &mut w as *mut _ as usize) }?;
    Ok(WindowSize {
        rows: w.ws_row,
        cols: w.ws_col,
        xpixel: w.ws_xpixel,
        ypixel: w.ws_ypixel,
    })
}

/// `ioctl(fd, FIONREAD)`: bytes that a `read` would return now without blocking (pipes,
/// sockets, terminals, regular files: what is left to the end).
pub fn bytes_readable(fd: impl AsFd) -> Result<usize, Errno> {
    let mut n: i32 = 0;
    let req = linux_raw_sys::ioctl::FIONREAD;
    // SAFETY: FIONREAD writes one int, which `n` is.
    unsafe { raw::io::ioctl(fd.as_fd().as_raw_fd(), req, &mut n as *mut i32 as usize) }?;
    Ok(n.max(0) as usize)
}

/// Reads `fd` until end of file, appending to `out` (retrying `EINTR`). The bytes go
/// straight into `out`'s spare capacity, 4 KiB at a time, then as much as has been read so
/// far (up to 64 KiB) per call.
pub fn read_to_end(fd: impl AsFd, out: &mut alloc::vec::Vec<u8>) -> Result<usize, Errno> {
    let fd = fd.as_fd();
    let start = out.len();
    loop {
        match read_append(fd, out, (out.len() - start).clamp(4096, 65536)) {
            Ok(0) => return Ok(out.len() - start),
            Ok(_) | Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
}

/// One `read` of up to `max` bytes appended to `out`, into its spare capacity (grown first
/// if need be), so that nothing is zeroed or copied on the way.
fn read_append(
    fd: BorrowedFd<'_>,
    out: &mut alloc::vec::Vec<u8>,
    max: usize,
) -> Result<usize, Errno> {
    out.reserve(max);
    let spare = out.spare_capacity_mut();
    let len = spare.len().min(max);
    // SAFETY: the kernel writes at most `len` bytes into the spare capacity, which is
    // allocated and not aliased.
    let n = unsafe { raw::io::read(fd.as_raw_fd(), spare.as_mut_ptr().cast(), len) }?;
    // SAFETY: the kernel initialised the first `n` (≤ `len`) bytes of the spare capacity.
    unsafe { out.set_len(out.len() + n) };
    Ok(n)
}

/// Reads a descriptor line by line, like std's `BufRead::read_line` on a `BufReader`:
/// `read`s of 4 KiB (64 KiB once a line is longer than that) into a growing buffer, each
/// line handed out without its `\n` (a `\r` before it is kept), the last one even if no
/// `\n` ends it. `EINTR` is retried.
///
/// The work is linear in the input: the reader remembers how far it has searched the
/// partial line for a `\n`, so each byte is examined once and moved at most once, however
/// long the line.
///
/// ```no_run
/// # use linux_gate::{fd, io::LineReader};
/// let mut input = LineReader::new(fd::stdin());
/// while let Ok(Some(line)) = input.next_line() {
///     linux_gate::println!("{} bytes", line.len());
/// }
/// ```
pub struct LineReader<'fd> {
    fd: BorrowedFd<'fd>,
    buf: alloc::vec::Vec<u8>,
    /// Where the next line starts in `buf` (what is before it was handed out).
    start: usize,
    /// How many bytes after `start` are known to hold no `\n`.
    searched: usize,
    eof: bool,
    #[cfg(feature = "test-hooks")]
    stats: LineStats,
}

/// What a [`LineReader`] has done so far: `read` calls made, bytes searched for `\n`.
/// A test hook (feature `test-hooks`), for the test that bounds the reader's work.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineStats {
    /// `read` system calls, including those that failed or returned 0.
    pub reads: u64,
    /// Bytes examined in the search for line ends.
    pub searched: u64,
}

impl<'fd> LineReader<'fd> {
    /// A reader of `fd` (which it borrows: it does not close it).
    pub fn new(fd: BorrowedFd<'fd>) -> LineReader<'fd> {
        LineReader {
            fd,
            buf: alloc::vec::Vec::new(),
            start: 0,
            searched: 0,
            eof: false,
            #[cfg(feature = "test-hooks")]
            stats: LineStats::default(),
        }
    }

    /// How many reads and how much searching the lines so far took (a test hook).
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn stats(&self) -> LineStats {
        self.stats
    }

    /// Counts `n` bytes searched (with the test hooks; nothing otherwise).
    #[inline(always)]
    fn count_searched(&mut self, _n: usize) {
        #[cfg(feature = "test-hooks")]
        {
            self.stats.searched += _n as u64;
        }
    }

    /// The next line without its `\n`; `Ok(None)` at the end of the input. After an error
    /// the lines already read stay available, and the next call reads again.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, Errno> {
        loop {
            let from = self.start + self.searched;
            let unsearched = self.buf.get(from..).unwrap_or_default();
            if let Some(n) = memchr::memchr(b'\n', unsearched) {
                self.count_searched(n + 1);
                let line = self.start..from + n;
                self.start = from + n + 1;
                self.searched = 0;
                return Ok(self.buf.get(line));
            }
            let n = unsearched.len();
            self.count_searched(n);
            self.searched = self.buf.len() - self.start;
            if self.eof {
                if self.searched == 0 {
                    return Ok(None);
                }
                let line = self.start..self.buf.len();
                self.start = self.buf.len();
                self.searched = 0;
                return Ok(self.buf.get(line));
            }
            // Drop what was handed out (each byte moves at most once: the next drain only
            // comes after a line end that was read after this one), then append a read.
            if self.start > 0 {
                self.buf.drain(..self.start);
                self.start = 0;
            }
            self.fill(self.buf.len())?;
        }
    }

    /// Appends the next line to `out`, its `\n` included (none after the last line if the
    /// input does not end with one), as std's `BufRead::read_until(b'\n', out)`: the number
    /// of bytes appended, 0 at the end of the input. A long line is read straight into
    /// `out`, not through the reader's buffer. After an error, what was read of the line is
    /// in `out`, and the next call reads on.
    pub fn read_line_into(&mut self, out: &mut alloc::vec::Vec<u8>) -> Result<usize, Errno> {
        let begin = out.len();
        let held = self.buf.get(self.start..).unwrap_or_default();
        let unsearched = held.get(self.searched..).unwrap_or_default();
        if let Some(n) = memchr::memchr(b'\n', unsearched) {
            let end = self.searched + n + 1;
            out.extend_from_slice(held.get(..end).unwrap_or_default());
            self.count_searched(n + 1);
            self.start += end;
            self.searched = 0;
            return Ok(end);
        }
        let n = unsearched.len();
        out.extend_from_slice(held);
        self.count_searched(n);
        self.buf.clear();
        (self.start, self.searched) = (0, 0);
        while !self.eof {
            let old = out.len();
            let n = self.fill_from(out, old - begin)?;
            let new = out.get(old..old + n).unwrap_or_default();
            if let Some(i) = memchr::memchr(b'\n', new) {
                self.count_searched(i + 1);
                // What follows the line end waits in the reader's buffer.
                self.buf
                    .extend_from_slice(new.get(i + 1..).unwrap_or_default());
                out.truncate(old + i + 1);
                break;
            }
            self.count_searched(n);
        }
        Ok(out.len() - begin)
    }

    /// One read onto the end of the reader's buffer, whose partial line is `line` bytes
    /// long; sets `eof` on end of input.
    fn fill(&mut self, line: usize) -> Result<usize, Errno> {
        let mut buf = core::mem::take(&mut self.buf);
        let got = self.fill_from(&mut buf, line);
        self.buf = buf;
        got
    }

    /// One read appended to `out` — 4 KiB, or 64 KiB once the partial line is longer than
    /// 64 KiB; `Ok(0)` on `EINTR` too, and `eof` set on end of input.
    fn fill_from(&mut self, out: &mut alloc::vec::Vec<u8>, line: usize) -> Result<usize, Errno> {
        #[cfg(feature = "test-hooks")]
        {
            self.stats.reads += 1;
        }
        match read_append(self.fd, out, if line > 65536 { 65536 } else { 4096 }) {
            Ok(0) => {
                self.eof = true;
                Ok(0)
            }
            Ok(n) => Ok(n),
            Err(Errno::EINTR) => Ok(0),
            Err(e) => Err(e),
        }
    }
}

/// `fmt::Write` onto an unbuffered descriptor, remembering the first error.
pub struct FdWriter<'fd> {
    fd: BorrowedFd<'fd>,
    /// The first error a write returned, if any.
    pub error: Option<Errno>,
}

impl<'fd> FdWriter<'fd> {
    /// A writer onto `fd`.
    pub const fn new(fd: BorrowedFd<'fd>) -> FdWriter<'fd> {
        FdWriter { fd, error: None }
    }
}

impl fmt::Write for FdWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.fd.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            fmt::Error
        })
    }
}

/// Where a [`Writer`] puts bytes: the buffered [`Stdout`], or a descriptor.
pub(crate) trait Sink {
    /// Writes all of `data`.
    fn put(&mut self, data: &[u8]) -> Result<(), Errno>;
}

impl Sink for Stdout {
    fn put(&mut self, data: &[u8]) -> Result<(), Errno> {
        self.write_all(data)
    }
}

/// The one `fmt::Write` the runtime itself formats through — `print!` (into the buffered
/// stdout), `eprint!`, the panic handler and the allocation-error message (straight onto
/// fd 2) — so a program links one copy of `write_str`/`write_char`/`write_fmt`, not one
/// per destination.
///
/// The destination is a `dyn Sink`, not an enum: the stdout buffer's code is then reached
/// only through the vtable made in [`stdout_write_fmt`], so a program that never prints does
/// not link it (nor the exit-time flush it registers) merely because its panic handler
/// formats.
pub(crate) struct Writer<'a> {
    sink: &'a mut dyn Sink,
    /// The first error a write returned, if any.
    error: Option<Errno>,
}

impl<'a> Writer<'a> {
    /// A writer onto `sink`.
    pub(crate) fn new(sink: &'a mut dyn Sink) -> Writer<'a> {
        Writer { sink, error: None }
    }

    /// Formats `args`; on failure, the first write error (`EIO` if formatting itself failed).
    pub(crate) fn format(&mut self, args: fmt::Arguments<'_>) -> Result<(), Errno> {
        match fmt::write(self, args) {
            Ok(()) => Ok(()),
            Err(_) => Err(self.error.unwrap_or(Errno::EIO)),
        }
    }
}

/// One message's worth of stderr: stderr has no buffer that outlives a call, but the pieces
/// of one `eprint!` (a `{:?}` of a string is a piece per character) are gathered here on the
/// stack and written together, so a message up to 256 bytes is one `write` — whole, not
/// interleaved with another process's, and not hundreds of system calls.
struct StderrMessage {
    buf: [u8; 256],
    len: usize,
}

impl StderrMessage {
    fn flush(&mut self) -> Result<(), Errno> {
        let len = self.len;
        self.len = 0;
        crate::fd::stderr().write_all(self.buf.get(..len).unwrap_or_default())
    }
}

impl Sink for StderrMessage {
    /// Fills the buffer, writing it out each time it is full.
    fn put(&mut self, mut data: &[u8]) -> Result<(), Errno> {
        while !data.is_empty() {
            if self.len == self.buf.len() {
                self.flush()?;
            }
            let n = (self.buf.len() - self.len).min(data.len());
            if let (Some(dst), Some(src)) =
                (self.buf.get_mut(self.len..self.len + n), data.get(..n))
            {
                dst.copy_from_slice(src);
            }
            self.len += n;
            data = data.get(n..).unwrap_or_default();
        }
        Ok(())
    }
}

/// Formats `args` onto stderr (fd 2) with no buffer kept: written by the end of the call,
/// in one `write` when it fits in 256 bytes.
pub(crate) fn stderr_format(args: fmt::Arguments<'_>) -> Result<(), Errno> {
    let mut message = StderrMessage {
        buf: [0; 256],
        len: 0,
    };
    let formatted = Writer::new(&mut message).format(args);
    let flushed = message.flush();
    formatted.and(flushed)
}

impl fmt::Write for Writer<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.sink.put(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            fmt::Error
        })
    }
}

const STDOUT_BUF: usize = 4096;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unknown,
    Line,
    Full,
}

/// The buffered writer behind `print!`.
pub struct Stdout {
    buf: [u8; STDOUT_BUF],
    len: usize,
    mode: Mode,
    /// The first error of a flush whose caller could not pass it on (the one
    /// [`crate::process::fork`] does cannot fail the fork), kept until the exit-time flush
    /// reports it: lost output must not go unmentioned.
    deferred: Option<Errno>,
}

static STDOUT: crate::sync::Mutex<Stdout> = crate::sync::Mutex::new(Stdout {
    buf: [0; STDOUT_BUF],
    len: 0,
    mode: Mode::Unknown,
    deferred: None,
});

impl Stdout {
    /// Writes out whatever is buffered. On an error the buffered bytes are dropped either
    /// way (a full disk or a closed pipe would refuse them again).
    pub fn flush(&mut self) -> Result<(), Errno> {
        let len = self.len;
        self.len = 0;
        crate::fd::stdout().write_all(self.buf.get(..len).unwrap_or_default())
    }

    /// Buffers `data`, writing out when the buffer fills (and, on a terminal, at each
    /// newline). Large writes bypass the buffer.
    pub fn write_all(&mut self, data: &[u8]) -> Result<(), Errno> {
        if self.mode == Mode::Unknown {
            self.mode = if crate::fd::stdout().is_tty() {
                Mode::Line
            } else {
                Mode::Full
            };
            crate::exit::set_final_flush(final_flush);
        }
        if self.len + data.len() > STDOUT_BUF {
            self.flush()?;
        }
        if data.len() >= STDOUT_BUF {
            return crate::fd::stdout().write_all(data);
        }
        // Here len + data.len() <= STDOUT_BUF (flushed above otherwise), so `get_mut` always
        // succeeds; it just spares the bounds-check panic path.
        if let Some(dst) = self.buf.get_mut(self.len..self.len + data.len()) {
            dst.copy_from_slice(data);
            self.len += data.len();
        }
        if self.mode == Mode::Line && has_newline(data) {
            self.flush()?;
        }
        Ok(())
    }
}

/// Whether `data` holds a `\n`. A plain byte loop: `contains` brings core's word-at-a-time
/// memchr (~150 B), and this only runs on a terminal, one line at a time.
#[allow(clippy::manual_contains)]
fn has_newline(data: &[u8]) -> bool {
    data.iter().any(|&b| b == b'\n')
}

/// Runs `f` with the locked, buffered stdout.
pub fn with_stdout<R>(f: impl FnOnce(&mut Stdout) -> R) -> R {
    f(&mut STDOUT.lock())
}

/// Runs `f` with stdout's lock held (see [`crate::heap`]'s `while_locked`: for `fork`).
pub(crate) fn while_stdout_locked<R>(f: impl FnOnce() -> R) -> R {
    with_stdout(|_| f())
}

/// Writes bytes to the buffered stdout.
pub fn stdout_write(data: &[u8]) -> Result<(), Errno> {
    with_stdout(|s| s.write_all(data))
}

/// Formats into the buffered stdout.
pub fn stdout_write_fmt(args: fmt::Arguments<'_>) -> Result<(), Errno> {
    with_stdout(|out| Writer::new(out).format(args))
}

/// Flushes stdout's buffer.
pub fn flush_stdout() -> Result<(), Errno> {
    with_stdout(|s| s.flush())
}

/// Run by [`crate::exit::exit`]: flushes stdout; if that or an earlier flush failed,
/// reports the (first) error on stderr and turns a successful exit status into 1.
fn final_flush(code: i32) -> i32 {
    let (flushed, earlier) = with_stdout(|s| (s.flush(), s.deferred.take()));
    match earlier.map_or(flushed, Err) {
        Ok(()) => code,
        Err(e) => {
            crate::eprintln!("error: failed writing to stdout: {}", WriteError(e));
            if code == 0 { 1 } else { code }
        }
    }
}

/// Flushes stdout for a caller that cannot return the error (`fork`, `execve`, a
/// diagnostic about something else): a failure is kept and reported by the exit-time
/// flush, which then exits 1.
pub fn flush_stdout_or_defer() {
    with_stdout(|s| {
        if let Err(e) = s.flush() {
            s.deferred.get_or_insert(e);
        }
    })
}

/// Forgets a deferred flush error: a `fork` child's copy of it belongs to the parent,
/// which reports it.
pub(crate) fn forget_deferred_error() {
    with_stdout(|s| s.deferred = None)
}

/// Flushes stdout if nobody holds its lock (used by the panic handler, which may have
/// interrupted a `print!`).
pub(crate) fn try_flush_stdout() -> Option<Result<(), Errno>> {
    STDOUT.try_lock().map(|mut s| s.flush())
}

/// How the `print!` error path shows an [`Errno`]: std's `No space left on device (os
/// error 28)`, using [`Errno::write_message`] so that a program which prints does not link
/// the whole message table (~5 KB) just for this message; `os error N` for the rest.
struct WriteError(Errno);

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.raw() as u32;
        match self.0.write_message() {
            Some(m) => write!(f, "{} (os error {})", m, n),
            None => write!(f, "os error {}", n),
        }
    }
}

#[doc(hidden)]
#[track_caller]
pub fn _print(args: fmt::Arguments<'_>) {
    if let Err(e) = stdout_write_fmt(args) {
        panic!("failed printing to stdout: {}", WriteError(e));
    }
}

#[doc(hidden)]
pub fn _eprint(args: fmt::Arguments<'_>) {
    // Nowhere left to report a failing stderr; like std, don't loop on it.
    let _ = stderr_format(args);
}

/// Like std's `print!`: formats to the buffered stdout.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::io::_print(format_args!($($arg)*)) };
}

/// Like std's `println!`.
#[macro_export]
macro_rules! println {
    () => { $crate::io::_print(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::io::_print(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Like std's `eprint!`: formats straight to fd 2, unbuffered.
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::io::_eprint(format_args!($($arg)*)) };
}

/// Like std's `eprintln!`.
#[macro_export]
macro_rules! eprintln {
    () => { $crate::io::_eprint(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::io::_eprint(format_args!("{}\n", format_args!($($arg)*))) };
}
