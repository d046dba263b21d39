//! Syscalls with bad pointers, for the syscall trace (`--features trace`,
//! `LINUX_GATE_TRACE=1`) to show next to strace: the kernel answers `EFAULT` (or never looks
//! at the pointer), and the trace must print the bare address as strace does, never fault.
//!
//! ```text
//! $ LINUX_GATE_TRACE=1 ./trace-fault > out
//! openat(AT_FDCWD, 0x8, O_RDONLY) = -1 EFAULT (Bad address) [vsyscall]
//! write(1, 0x8, 10) = -1 EFAULT (Bad address) [vsyscall]
//! write(3, 0x8, 10) = 10 [vsyscall]
//! …
//! ```
//!
//! Also strings that run into an unmapped page, and a path that ends just before one.
//! Status 0 when every call returned what the kernel (or qemu-i386) returns for it, else the
//! number of surprises. (`write(1, 0x8, 10)` "succeeds" on `/dev/null`: not checked.)
#![no_std]
#![no_main]

use linux_gate::syscall::{self, nr};
use linux_gate::{Errno, mm};
use linux_raw_sys::general::{AT_FDCWD, O_RDONLY, O_WRONLY};

linux_gate::entry!(main);

/// An address in the never-mapped first page.
const BAD: usize = 8;
const PAGE: usize = 4096;

fn openat(path: usize, flags: u32) -> Result<usize, Errno> {
    // SAFETY: openat only reads `path` (EFAULT if it cannot); a descriptor it opens stays
    // open until exit.
    unsafe { syscall::syscall3(nr::__NR_openat, AT_FDCWD as usize, path, flags as usize) }
}

fn write(fd: usize, buf: usize, len: usize) -> Result<usize, Errno> {
    // SAFETY: write only reads the buffer (EFAULT if it cannot).
    unsafe { syscall::syscall3(nr::__NR_write, fd, buf, len) }
}

fn readlink(path: usize, buf: &mut [u8], len: usize) -> Result<usize, Errno> {
    // SAFETY: readlink reads `path` and fills at most `len` <= buf.len() bytes of `buf`.
    unsafe {
        syscall::syscall3(
            nr::__NR_readlink,
            path,
            buf.as_mut_ptr() as usize,
            len.min(buf.len()),
        )
    }
}

fn path_call(nr: u32, path: usize) -> Result<usize, Errno> {
    // SAFETY: unlink/chdir/rmdir of a bad or null path fail with EFAULT, touching nothing.
    unsafe { syscall::syscall1(nr, path) }
}

/// 0 if `got` is one of `want`, else 1 (with a message).
fn check(what: &str, got: Result<usize, Errno>, want: &[Result<usize, Errno>]) -> i32 {
    if want.contains(&got) {
        return 0;
    }
    linux_gate::eprintln!("trace-fault: {}: {:?}, want one of {:?}", what, got, want);
    1
}

const EFAULT: Result<usize, Errno> = Err(Errno::EFAULT);
const EINVAL: Result<usize, Errno> = Err(Errno::EINVAL);

fn main() -> i32 {
    let mut bad = 0;
    // One path argument, EFAULT: printed as the address, memory untouched.
    bad += check("openat", openat(BAD, O_RDONLY), &[EFAULT]);
    // SAFETY: open of a bad path fails with EFAULT.
    let r = unsafe { syscall::syscall2(nr::__NR_open, BAD, O_RDONLY as usize) };
    bad += check("open", r, &[EFAULT]);
    bad += check("unlink", path_call(nr::__NR_unlink, 0), &[EFAULT]);
    bad += check("chdir", path_call(nr::__NR_chdir, BAD), &[EFAULT]);
    bad += check("rmdir", path_call(nr::__NR_rmdir, BAD), &[EFAULT]);
    // Buffers: EFAULT (stdout a file or pipe); EBADF before the kernel looks at the buffer;
    // /dev/null, which "writes" without reading; a length of 0. (qemu-i386 checks every
    // buffer first: EFAULT.)
    let _ = write(1, BAD, 10);
    bad += check(
        "write -1",
        write(usize::MAX, BAD, 10),
        &[Err(Errno::EBADF), EFAULT],
    );
    let null = match openat(c"/dev/null".as_ptr() as usize, O_WRONLY) {
        Ok(fd) => fd,
        Err(e) => {
            linux_gate::eprintln!("trace-fault: /dev/null: {}", e);
            return 2;
        }
    };
    bad += check("write null", write(null, BAD, 10), &[Ok(10), EFAULT]);
    bad += check("write 0", write(null, BAD, 0), &[Ok(0)]);
    // readlink with size 0 fails (EINVAL) before reading the path: probed, bad or good.
    let mut buf = [0u8; 16];
    bad += check("readlink", readlink(BAD, &mut buf, 0), &[EINVAL, EFAULT]);
    let good = c"/nonexistent/link".as_ptr() as usize;
    bad += check(
        "readlink good",
        readlink(good, &mut buf, 0),
        &[EINVAL, Err(Errno::ENOENT)],
    );

    // Two pages, the second unmapped again: strings at the end of the first.
    let rw = mm::ProtFlags::READ | mm::ProtFlags::WRITE;
    let Ok(map) = mm::mmap_anonymous(2 * PAGE, rw, mm::MapFlags::PRIVATE) else {
        linux_gate::eprintln!("trace-fault: cannot map two pages");
        return 2;
    };
    // SAFETY: the second half of the mapping just made (munmap may take part of one): no
    // reference into it exists.
    let _ = unsafe { mm::munmap(map.add(PAGE), PAGE) };
    let map = map.as_ptr();
    // SAFETY: the first page is ours, readable and writable, and nothing else refers to it.
    let page = unsafe { core::slice::from_raw_parts_mut(map, PAGE) };
    page.fill(b'a');
    let edge = map as usize + PAGE - 40; // 40 'a's, no NUL before the hole
    // The string runs into the hole: EFAULT; EINVAL (probed: the address too).
    bad += check("openat edge", openat(edge, O_RDONLY), &[EFAULT]);
    bad += check(
        "readlink edge",
        readlink(edge, &mut buf, 0),
        &[EINVAL, EFAULT],
    );
    // 32 bytes of the buffer readable, the rest not: shown, then "...".
    bad += check("write edge", write(null, edge, 64), &[Ok(64), EFAULT]);
    // The first 32 bytes cross into the hole: the address.
    bad += check("write hole", write(null, edge + 20, 32), &[Ok(32), EFAULT]);
    // A path ending (NUL) just before the hole: quoted whole.
    page[PAGE - 1] = 0;
    page[PAGE - 14] = b'/';
    let r = readlink(edge + 26, &mut buf, 0);
    bad += check("readlink end", r, &[EINVAL, Err(Errno::ENOENT)]);
    bad
}
