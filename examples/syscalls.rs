//! A few syscalls of each common kind, for the syscall trace (`--features trace`,
//! `LINUX_GATE_TRACE=1`) and strace to show side by side: a failing `open` (ENOENT), a
//! binary `read`, opens with and without a mode (`O_CREAT`, `O_DIRECTORY`, `O_TMPFILE`), a
//! long `write` (cut at 32 bytes), `mmap2`/`munmap`, `brk`, `getpid`, a bad `close` (EBADF).
//!
//! ```text
//! $ LINUX_GATE_TRACE=1 ./syscalls > /dev/null
//! open("/nonexistent/file", O_RDONLY|O_LARGEFILE|O_CLOEXEC) = -1 ENOENT (No such file or directory) [vsyscall]
//! …
//! ```
#![no_std]
#![no_main]

use linux_gate::fd;
use linux_gate::fs::{File, Mode, OFlags};
use linux_gate::{Errno, mm, process};

linux_gate::entry!(main);

fn main() -> Result<(), Errno> {
    assert_eq!(
        File::open_read(c"/nonexistent/file").err(),
        Some(Errno::ENOENT)
    );
    let f = File::open_read(c"/proc/self/auxv")?;
    let mut buf = [0u8; 40];
    f.read(&mut buf)?;
    drop(f);
    // Opens whose flags decide whether strace shows a mode: O_CREAT (an existing file, so
    // nothing is created), a directory (O_DIRECTORY shares a bit with O_TMPFILE, but has no
    // mode), and an unnamed temporary file (O_TMPFILE: a mode).
    drop(File::open(
        c"/dev/null",
        OFlags::WRONLY | OFlags::CREATE | OFlags::CLOEXEC,
        Mode::from_octal(0o644),
    )?);
    drop(File::open(
        c"/",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?);
    let _ = File::open(
        c"/tmp",
        OFlags::RDWR | OFlags::TMPFILE | OFlags::CLOEXEC,
        Mode::from_octal(0o600),
    );
    fd::stdout().write_all(b"a line longer than strace's thirty-two byte default\n")?;
    let rw = mm::ProtFlags::READ | mm::ProtFlags::WRITE;
    if let Ok(p) = mm::mmap_anonymous(1 << 16, rw, mm::MapFlags::PRIVATE) {
        // SAFETY: `p` is the 64 KiB mapping just made, unused.
        let _ = unsafe { mm::munmap(p, 1 << 16) };
    }
    // brk(0): only queries the break.
    let _ = mm::current_break();
    let _ = process::getpid();
    // SAFETY: -1 is no descriptor at all: the kernel answers EBADF and nothing is closed.
    assert_eq!(unsafe { fd::close(-1) }, Err(Errno::EBADF));
    Ok(())
}
