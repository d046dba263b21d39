//! The std-like layer: files (open/openat, _llseek, fstat64/statx, RAII close), directories
//! (getdents64, mkdir/rename/unlink/rmdir), the heap, buffered stdout, and the
//! allocation-error path — each checked against the kernel's own view (`/proc/self/fd`,
//! `statx` vs `fstat64`, `ls`-style listings the kernel gives through another call).
//! Runs natively (vsyscall) and under qemu-i386 (int 0x80); see scripts/test.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::ffi::CString;
use alloc::format;
use alloc::vec::Vec;
use linux_gate::dir::{self, Dir};
use linux_gate::fs::{self, File, SeekFrom};
use linux_gate::process::{self, WaitStatus};
use linux_gate::testing::{example_path, inherited_env, run_capture, under_qemu};
use linux_gate::{Errno, Fd};

linux_gate::tests!(
    file_write_seek_read_stat,
    llseek_beyond_4_gib,
    statx_agrees_with_fstat64,
    openat_relative_to_dir,
    owned_fd_closes_on_drop,
    mkdir_rename_unlink_rmdir,
    dir_lists_many_entries,
    open_errors_are_errno,
    heap_small_and_large,
    heap_small_blocks_freed_in_any_order_are_reused,
    hello_std_output_into_a_pipe,
    allocation_failure_aborts_with_std_message,
);

/// A fresh path under /tmp for this process.
fn tmp(name: &str) -> CString {
    CString::new(format!(
        "/tmp/linux-gate-std-{}-{}",
        process::getpid(),
        name
    ))
    .unwrap()
}

fn file_write_seek_read_stat() {
    let p = tmp("rw");
    let f = File::open(&p, fs::O_RDWR | fs::O_CREAT | fs::O_TRUNC, 0o600).unwrap();
    f.write_all(b"hello, file").unwrap();
    assert_eq!(f.seek(SeekFrom::Current(0)).unwrap(), 11);
    assert_eq!(f.seek(SeekFrom::Start(7)).unwrap(), 7);
    let mut buf = [0u8; 16];
    assert_eq!(f.read(&mut buf).unwrap(), 4);
    assert_eq!(&buf[..4], b"file");
    assert_eq!(f.seek(SeekFrom::End(-4)).unwrap(), 7);
    let m = f.metadata().unwrap();
    assert!(m.is_file() && !m.is_dir());
    assert_eq!(m.size, 11);
    assert_eq!(m.mode & 0o777, 0o600);
    assert_eq!(fs::read(&p).unwrap(), b"hello, file");
    fs::unlink(&p).unwrap();
    assert_eq!(fs::metadata(&p), Err(Errno::ENOENT));
}

/// `_llseek` carries 64-bit offsets: a sparse file past 4 GiB has the size we asked for.
fn llseek_beyond_4_gib() {
    let p = tmp("big");
    let f = File::create(&p, 0o600).unwrap();
    let off = (5u64 << 30) + 3;
    assert_eq!(f.seek(SeekFrom::Start(off)).unwrap(), off);
    f.write_all(b"x").unwrap();
    assert_eq!(f.metadata().unwrap().size, off + 1);
    assert_eq!(fs::metadata(&p).unwrap().size, off + 1);
    assert_eq!(f.seek(SeekFrom::End(0)).unwrap(), off + 1);
    assert_eq!(f.seek(SeekFrom::Current(-1)).unwrap(), off);
    assert_eq!(
        f.seek(SeekFrom::Current(-(off as i64) - 2)),
        Err(Errno::EINVAL)
    );
    fs::unlink(&p).unwrap();
}

fn statx_agrees_with_fstat64() {
    // (Not /proc/self/exe: under qemu-i386 opening it gives the guest, stat by path qemu.)
    for path in [c"/etc/passwd", c"/tmp", c"/dev/null"] {
        let by_path = fs::metadata(path).unwrap();
        let f = File::open(path, fs::O_RDONLY | fs::O_CLOEXEC, 0).unwrap();
        let by_fd = f.metadata().unwrap();
        assert_eq!(by_path.ino, by_fd.ino, "{:?}", path);
        assert_eq!(by_path.mode, by_fd.mode, "{:?}", path);
        assert_eq!(by_path.size, by_fd.size, "{:?}", path);
        assert_eq!(by_path.nlink, by_fd.nlink, "{:?}", path);
    }
    assert!(fs::metadata(c"/tmp").unwrap().is_dir());
}

fn openat_relative_to_dir() {
    let d = tmp("at");
    fs::mkdir(&d, 0o700).unwrap();
    let dir = Dir::open(&d).unwrap();
    let f = File::openat(dir.fd(), c"inner", fs::O_WRONLY | fs::O_CREAT, 0o600).unwrap();
    f.write_all(b"abc").unwrap();
    drop(f);
    let full = CString::new(format!("{}/inner", d.to_str().unwrap())).unwrap();
    assert_eq!(fs::read(&full).unwrap(), b"abc");
    fs::unlink(&full).unwrap();
    fs::rmdir(&d).unwrap();
}

/// Dropping a `File` closes its descriptor: the kernel's fd table (/proc/self/fd) loses it.
fn owned_fd_closes_on_drop() {
    let f = File::open_read(c"/dev/null").unwrap();
    let fd = f.fd();
    let link = CString::new(format!("/proc/self/fd/{}", fd.raw())).unwrap();
    assert!(fs::metadata(&link).is_ok());
    drop(f);
    assert_eq!(fs::fstat(fd), Err(Errno::EBADF));
    assert_eq!(fs::metadata(&link), Err(Errno::ENOENT));
    let g = File::open_read(c"/dev/null").unwrap();
    let raw = g.into_fd();
    assert!(fs::fstat(raw).is_ok(), "into_fd must not close");
    fs::close(raw).unwrap();
}

fn mkdir_rename_unlink_rmdir() {
    let d = tmp("dir");
    fs::mkdir(&d, 0o755).unwrap();
    assert_eq!(fs::mkdir(&d, 0o755), Err(Errno::EEXIST));
    let ds = d.to_str().unwrap();
    let a = CString::new(format!("{}/a", ds)).unwrap();
    let b = CString::new(format!("{}/b", ds)).unwrap();
    fs::write(&a, b"data").unwrap();
    assert_eq!(dir::read_dir_sorted(&d).unwrap(), [&b"."[..], b"..", b"a"]);
    fs::rename(&a, &b).unwrap();
    assert_eq!(dir::read_dir_sorted(&d).unwrap(), [&b"."[..], b"..", b"b"]);
    assert_eq!(fs::rmdir(&d), Err(Errno::ENOTEMPTY));
    assert_eq!(fs::unlink(&d), Err(Errno::EISDIR));
    fs::unlink(&b).unwrap();
    assert_eq!(fs::unlink(&b), Err(Errno::ENOENT));
    fs::rmdir(&d).unwrap();
    assert_eq!(Dir::open(&d).err(), Some(Errno::ENOENT));
}

/// More entries than one getdents64 buffer holds; names and inodes match what statx says.
fn dir_lists_many_entries() {
    let d = tmp("many");
    fs::mkdir(&d, 0o755).unwrap();
    let ds = d.to_str().unwrap();
    let long = "n".repeat(100);
    let n = if under_qemu() { 400 } else { 1000 };
    for i in 0..n {
        fs::write(
            &CString::new(format!("{}/{}{:04}", ds, long, i)).unwrap(),
            b"",
        )
        .unwrap();
    }
    let mut seen = 0;
    for e in Dir::open(&d).unwrap() {
        let e = e.unwrap();
        let name = core::str::from_utf8(&e.name).unwrap();
        let path = CString::new(format!("{}/{}", ds, name)).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().ino, e.ino, "{}", name);
        if name.starts_with('n') {
            seen += 1;
            fs::unlink(&path).unwrap();
        }
    }
    assert_eq!(seen, n);
    fs::rmdir(&d).unwrap();
    assert_eq!(Dir::open(c"/dev/null").err(), Some(Errno::ENOTDIR));
}

fn open_errors_are_errno() {
    let e = File::open_read(c"/nonexistent/x").unwrap_err();
    assert_eq!(e, Errno::ENOENT);
    assert_eq!(format!("{}", e), "No such file or directory");
    assert_eq!(format!("{:?}", e), "ENOENT");
    assert_eq!(
        File::open(c"/", fs::O_WRONLY, 0).unwrap_err(),
        Errno::EISDIR
    );
    let mut buf = [0u8; 4];
    let d = File::open(c"/", fs::O_RDONLY, 0).unwrap();
    assert_eq!(d.read(&mut buf), Err(Errno::EISDIR));
    assert_eq!(Fd::from_raw(-1).write(b"x"), Err(Errno::EBADF));
}

fn heap_small_and_large() {
    // Many small blocks (the brk arena, grown on demand) and one big one (its own mmap2).
    let mut v: Vec<Vec<u32>> = Vec::new();
    for i in 0..5000u32 {
        v.push((0..(i % 50)).map(|j| i ^ j).collect());
    }
    let big: Vec<u8> = (0..3_000_000u32).map(|i| i as u8).collect();
    for (i, x) in v.iter().enumerate() {
        assert!(x.iter().enumerate().all(|(j, &y)| y == i as u32 ^ j as u32));
    }
    assert!(big.iter().enumerate().all(|(i, &b)| b == i as u8));
    let maps = fs::read(c"/proc/self/maps").unwrap();
    let addr = format!("{:08x}-", big.as_ptr() as usize & !0xfff);
    assert!(
        maps.windows(addr.len()).any(|w| w == addr.as_bytes()),
        "big block is a mapping of its own"
    );
    drop(v);
    assert!(linux_gate::heap::HEAP.arena_size() >= linux_gate::heap::HEAP.arena_used());
}

/// 100,000 small blocks of mixed sizes — 1…200 bytes (the 8-byte classes) and, every tenth,
/// 257…4096 bytes (the power-of-two classes) — freed in a shuffled order and allocated
/// again: the second round fits in the memory the first one took from the kernel (the
/// program break does not move), every block holds its own pattern (no two share memory),
/// and alignment is what was asked.
fn heap_small_blocks_freed_in_any_order_are_reused() {
    use alloc::alloc::{Layout, alloc, dealloc};
    const N: usize = 100_000;
    let size = |i: usize| {
        if i.is_multiple_of(10) {
            257 + (i / 10 * 389) % 3840
        } else {
            1 + i % 200
        }
    };
    let layout = |i: usize| Layout::from_size_align(size(i), 1 << (i % 4)).unwrap();
    let round = |ptrs: &mut Vec<*mut u8>| {
        for i in 0..N {
            // SAFETY: a non-zero-size layout; the block is filled before it is read.
            let p = unsafe { alloc(layout(i)) };
            assert!(!p.is_null());
            assert_eq!(p as usize % layout(i).align(), 0);
            // SAFETY: `p` has `layout(i).size()` bytes.
            unsafe { core::ptr::write_bytes(p, i as u8, layout(i).size()) };
            ptrs.push(p);
        }
    };
    let mut ptrs: Vec<*mut u8> = Vec::with_capacity(N);
    round(&mut ptrs);
    // SAFETY: brk(0) only reads the current break.
    let brk = || unsafe { linux_gate::syscall::syscall1(linux_gate::syscall::nr::__NR_brk, 0) };
    let top = brk().unwrap();
    let mut order: Vec<usize> = (0..N).collect();
    let mut x: u32 = 7;
    for i in (1..N).rev() {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        order.swap(i, x as usize % (i + 1));
    }
    for &i in &order {
        // SAFETY: allocated above with this layout, freed once.
        unsafe { dealloc(ptrs[i], layout(i)) };
    }
    ptrs.clear();
    round(&mut ptrs);
    assert_eq!(brk().unwrap(), top, "the second round took more memory");
    for (i, &p) in ptrs.iter().enumerate() {
        // SAFETY: `p` holds `layout(i).size()` initialised bytes.
        let b = unsafe { core::slice::from_raw_parts(p, layout(i).size()) };
        assert!(
            b.iter().all(|&y| y == i as u8),
            "block {} was overwritten",
            i
        );
    }
}

/// Into a pipe, stdout is fully buffered: many `println!`s arrive as one write, intact.
fn hello_std_output_into_a_pipe() {
    let out = run_capture(
        &example_path("hello-std"),
        &[c"hello-std", c"x"],
        &inherited_env(),
        b"",
    );
    assert_eq!(out.status, WaitStatus::Exited(0));
    assert_eq!(out.stdout, b"Hello, world! (2 args)\n");
    assert!(out.stderr.is_empty());
}

/// std's allocation-failure behaviour: the exact message on stderr, SIGABRT, and (our
/// addition) the buffered stdout still written.
fn allocation_failure_aborts_with_std_message() {
    let out = run_capture(
        &example_path("alloc-fail"),
        &[c"alloc-fail", c"268435456"],
        &inherited_env(),
        b"",
    );
    let want = WaitStatus::Signaled {
        signal: 6,
        core: false,
    };
    match out.status {
        WaitStatus::Signaled { signal: 6, .. } => {}
        s => panic!("status {:?}, want {:?}", s, want),
    }
    let mut stderr = &out.stderr[..];
    // qemu-i386 itself reports the guest's death by a signal on the same stderr.
    let qemu_note = b"qemu: uncaught target signal 6 (Aborted) - core dumped\n";
    if under_qemu() && stderr.ends_with(qemu_note) {
        stderr = &stderr[..stderr.len() - qemu_note.len()];
    }
    assert_eq!(stderr, b"memory allocation of 268435456 bytes failed\n");
    assert_eq!(out.stdout, b"allocating\n");
}
