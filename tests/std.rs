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
use linux_gate::fd::{self, AsFd, AsRawFd, BorrowedFd, OwnedFd};
use linux_gate::fd::{FromRawFd, IntoRawFd};
use linux_gate::fs::{self, File};
use linux_gate::fs::{Mode, OFlags};
use linux_gate::io::SeekFrom;
use linux_gate::process::Fork;
use linux_gate::process::{self, WaitStatus};
use linux_gate::{Errno, io, signal};
use linux_gate_testkit::under_valgrind;
use linux_gate_testkit::{example_path, inherited_env, run_capture, under_qemu};

linux_gate_testkit::tests!(
    file_write_seek_read_stat,
    llseek_beyond_4_gib,
    statx_agrees_with_fstat64,
    dev_ino_rdev_agree_with_gnu_stat,
    openat_relative_to_dir,
    owned_fd_closes_on_drop,
    mkdir_rename_unlink_rmdir,
    dir_lists_many_entries,
    open_errors_are_errno,
    heap_small_and_large,
    heap_small_blocks_freed_in_any_order_are_reused,
    heap_blocks_up_to_64k_and_large_freed_in_any_order,
    heap_class_sized_blocks_cost_their_size,
    heap_without_brk_takes_big_chunks_and_reuses_them,
    heap_large_realloc_moves_pages_instead_of_copying,
    hello_std_output_into_a_pipe,
    line_reader_splits_as_lines_does,
    line_reader_read_line_into_appends_as_read_until_does,
    line_reader_is_linear_in_a_64_mb_line_and_10_million_lines,
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
    let f = File::open(
        &p,
        OFlags::RDWR | OFlags::CREATE | OFlags::TRUNC,
        Mode::from_octal(0o600),
    )
    .unwrap();
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
    let f = File::create(&p, Mode::from_octal(0o600)).unwrap();
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
        let f = File::open(path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
        let by_fd = f.metadata().unwrap();
        assert_eq!(by_path.ino, by_fd.ino, "{:?}", path);
        assert_eq!(by_path.mode, by_fd.mode, "{:?}", path);
        assert_eq!(by_path.size, by_fd.size, "{:?}", path);
        assert_eq!(by_path.nlink, by_fd.nlink, "{:?}", path);
    }
    assert!(fs::metadata(c"/tmp").unwrap().is_dir());
}

/// Runs a host program (natively, also in the qemu run) and returns its status and stdout.
fn host(argv: &[&core::ffi::CStr]) -> (WaitStatus, Vec<u8>) {
    let (r, w) = process::pipe().unwrap();
    let Fork::Parent(pid) = process::fork().unwrap() else {
        let _ = fd::dup2_stdout(&w);
        let e = process::execve(argv[0], &argv[1..], &inherited_env());
        panic!("exec {:?}: {}", argv[0], e);
    };
    drop(w);
    let mut out = Vec::new();
    io::read_to_end(&r, &mut out).unwrap();
    drop(r);
    (process::wait(pid).unwrap(), out)
}

/// `dev`, `ino` and `rdev` by path (statx) and by descriptor (fstat64) are the same, and
/// are what GNU stat (glibc's `st_dev`, `st_ino`, `st_rdev`, and `major`/`minor` of
/// `st_rdev`) prints: `%d %i %r %t %T`. For a regular file, a directory, /dev/null,
/// /dev/full, and (as root) a character device 300:70000, whose major and minor need more
/// than 8 bits each, so every part of glibc's `makedev` encoding is exercised.
fn dev_ino_rdev_agree_with_gnu_stat() {
    let file = tmp("dev");
    fs::write(&file, b"x").unwrap();
    let mut paths = alloc::vec![
        file.clone(),
        c"/tmp".into(),
        c"/dev/null".into(),
        c"/dev/full".into()
    ];
    let chr = tmp("chr");
    let (st, _) = host(&[c"/usr/bin/mknod", c"mknod", &chr, c"c", c"300", c"70000"]);
    // (Where mknod is not allowed — not root, no CAP_MKNOD — the other paths still count.)
    let have_chr = st == WaitStatus::Exited(0);
    if have_chr {
        paths.push(chr.clone());
    }
    let mut argv: Vec<&core::ffi::CStr> =
        alloc::vec![c"/usr/bin/stat", c"stat", c"-c", c"%d %i %r %t %T"];
    argv.extend(paths.iter().map(|p| p.as_c_str()));
    let (st, out) = host(&argv);
    assert_eq!(st, WaitStatus::Exited(0));
    let out = core::str::from_utf8(&out).unwrap();
    assert_eq!(out.lines().count(), paths.len(), "{}", out);
    for (path, line) in paths.iter().zip(out.lines()) {
        let by_path = fs::metadata(path).unwrap();
        // O_PATH: opens even a device with no driver behind it (300:70000).
        let f = File::open(path, OFlags::PATH | OFlags::CLOEXEC, Mode::empty()).unwrap();
        let by_fd = f.metadata().unwrap();
        assert_eq!(
            (by_path.dev, by_path.ino),
            (by_fd.dev, by_fd.ino),
            "{:?}: statx vs fstat64",
            path
        );
        // qemu-i386 7.2's fstat64 keeps only the low 16 bits of st_rdev (300:70000 comes
        // out as 11376); the kernel's gives all of it. Under qemu, statx alone for those.
        if !(under_qemu() && by_path.rdev > 0xffff) {
            assert_eq!(
                by_path.rdev, by_fd.rdev,
                "{:?}: statx vs fstat64 rdev",
                path
            );
        }
        let f: Vec<&str> = line.split(' ').collect();
        let dec = |i: usize| f[i].parse::<u64>().unwrap();
        let hex = |i: usize| u32::from_str_radix(f[i], 16).unwrap();
        let gnu = (dec(0), dec(1), dec(2), hex(3), hex(4));
        let m = by_path;
        let ours = (m.dev, m.ino, m.rdev, fs::major(m.rdev), fs::minor(m.rdev));
        assert_eq!(ours, gnu, "{:?}: ours vs stat -c '%d %i %r %t %T'", path);
    }
    fs::unlink(&file).unwrap();
    if have_chr {
        fs::unlink(&chr).unwrap();
    }
}

fn openat_relative_to_dir() {
    let d = tmp("at");
    fs::mkdir(&d, Mode::from_octal(0o700)).unwrap();
    let dir = Dir::open(&d).unwrap();
    let f = File::openat(
        dir.fd(),
        c"inner",
        OFlags::WRONLY | OFlags::CREATE,
        Mode::from_octal(0o600),
    )
    .unwrap();
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
    let n = f.as_raw_fd();
    let link = CString::new(format!("/proc/self/fd/{}", n)).unwrap();
    assert!(fs::metadata(&link).is_ok());
    drop(f);
    // SAFETY: the number is closed on purpose, and nothing opens a file before the fstat:
    // the kernel answers EBADF.
    assert_eq!(
        fs::fstat(unsafe { BorrowedFd::borrow_raw(n) }),
        Err(Errno::EBADF)
    );
    assert_eq!(fs::metadata(&link), Err(Errno::ENOENT));
    let g = File::open_read(c"/dev/null").unwrap();
    let raw = g.into_raw_fd();
    // SAFETY: `into_raw_fd` gave up ownership without closing: `raw` is open, owned by
    // nothing else, and becomes this `OwnedFd`'s.
    let owned = unsafe { OwnedFd::from_raw_fd(raw) };
    assert!(fs::fstat(&owned).is_ok(), "into_raw_fd must not close");
    owned.close().unwrap();
}

fn mkdir_rename_unlink_rmdir() {
    let d = tmp("dir");
    fs::mkdir(&d, Mode::from_octal(0o755)).unwrap();
    assert_eq!(fs::mkdir(&d, Mode::from_octal(0o755)), Err(Errno::EEXIST));
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
    fs::mkdir(&d, Mode::from_octal(0o755)).unwrap();
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
        File::open(c"/", OFlags::WRONLY, Mode::empty()).unwrap_err(),
        Errno::EISDIR
    );
    let mut buf = [0u8; 4];
    let d = File::open(c"/", OFlags::RDONLY, Mode::empty()).unwrap();
    assert_eq!(d.read(&mut buf), Err(Errno::EISDIR));
    // SAFETY: -1 is never an open descriptor: the kernel answers EBADF.
    assert_eq!(
        unsafe { BorrowedFd::borrow_raw(-1) }.write(b"x"),
        Err(Errno::EBADF)
    );
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
    let lo = big.as_ptr() as usize & !0xfff;
    if under_valgrind() {
        // Valgrind's /proc/self/maps is the real process's: the block's mapping may merge
        // with a neighbour of valgrind's into one line. What holds: the block is mapped, and
        // not in the brk arena (which ends at the break).
        let hi = big.as_ptr() as usize + big.len();
        assert!(
            map_ranges().iter().any(|&(a, b)| a <= lo && hi <= b),
            "big block not mapped"
        );
        let arena = brk() - linux_gate::heap::HEAP.arena_size()..brk();
        assert!(
            !arena.contains(&lo) && !arena.contains(&(hi - 1)),
            "big block in the brk arena"
        );
    } else {
        let maps = fs::read(c"/proc/self/maps").unwrap();
        let addr = format!("{:08x}-", lo);
        assert!(
            maps.windows(addr.len()).any(|w| w == addr.as_bytes()),
            "big block is a mapping of its own"
        );
    }
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
    let top = brk();
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
    assert_eq!(brk(), top, "the second round took more memory");
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

/// A request of exactly a class size gets a block of exactly that size, with no header:
/// 4 MiB of blocks of 8, 16, 24 … 65,536 bytes move the program break by 4 MiB plus one
/// growth step (64 KiB) and < 0.5 % (the tail of a step too small for the next block),
/// never by a larger class's worth (3 % more for 248 B, twice as much for 8 B).
fn heap_class_sized_blocks_cost_their_size() {
    use alloc::alloc::{Layout, alloc, dealloc};
    for size in [
        8, 16, 24, 32, 40, 64, 128, 248, 256, 320, 384, 448, 512, 640, 1024, 4096, 5120, 7168,
        16384, 65536,
    ] {
        let layout = Layout::from_size_align(size, 8).unwrap();
        let n = (4 << 20) / size;
        let before = brk();
        let ptrs: Vec<*mut u8> = (0..n)
            .map(|_| {
                // SAFETY: a non-zero-size layout.
                let p = unsafe { alloc(layout) };
                assert!(!p.is_null());
                p
            })
            .collect();
        let grown = brk() - before;
        assert!(
            grown <= n * size + n * size / 200 + (64 << 10),
            "{} blocks of {} B moved the break by {} B",
            n,
            size,
            grown
        );
        for p in ptrs {
            // SAFETY: allocated above with this layout, freed once.
            unsafe { dealloc(p, layout) };
        }
    }
}

/// The current program break (`brk(0)`).
fn brk() -> usize {
    linux_gate::mm::current_break()
}

/// The mappings of this process, from `/proc/self/maps` (qemu-i386 shows the guest's):
/// how many lines, and how many bytes in all. Under valgrind the file is the real
/// process's, valgrind included; its own memory (its heap, memcheck's shadow memory, which
/// grows with every allocation) is mapped read-write-execute, which this program never
/// maps (no W+X, linker.ld), so those lines are left out there.
fn mappings() -> (usize, usize) {
    let maps = fs::read(c"/proc/self/maps").unwrap();
    let valgrind = under_valgrind();
    let (mut lines, mut bytes) = (0, 0);
    for line in maps.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        if valgrind && line.windows(5).any(|w| w == b" rwx") {
            continue;
        }
        let range = line.split(|&b| b == b' ').next().unwrap();
        let mut ends = range
            .split(|&b| b == b'-')
            .map(|h| usize::from_str_radix(core::str::from_utf8(h).unwrap(), 16).unwrap());
        let (lo, hi) = (ends.next().unwrap(), ends.next().unwrap());
        lines += 1;
        bytes += hi - lo;
    }
    (lines, bytes)
}

/// The address ranges of `/proc/self/maps`, in order.
fn map_ranges() -> Vec<(usize, usize)> {
    let maps = fs::read(c"/proc/self/maps").unwrap();
    let mut ranges = Vec::new();
    for line in maps.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let range = line.split(|&b| b == b' ').next().unwrap();
        let mut ends = range
            .split(|&b| b == b'-')
            .map(|h| usize::from_str_radix(core::str::from_utf8(h).unwrap(), 16).unwrap());
        ranges.push((ends.next().unwrap(), ends.next().unwrap()));
    }
    ranges
}

/// What valgrind's own read-write mappings (not told apart from the program's in
/// `/proc/self/maps`) may change by during a test: 1 MiB under valgrind (64 KiB were seen),
/// nothing elsewhere.
fn valgrind_slack() -> usize {
    if under_valgrind() { 1 << 20 } else { 0 }
}

/// A fixed permutation of `0..n` (Fisher–Yates with a 32-bit LCG).
fn shuffled(n: usize, seed: u32) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut x = seed;
    for i in (1..n).rev() {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        order.swap(i, x as usize % (i + 1));
    }
    order
}

/// Allocates a block for each layout, fills block `i` with the byte `i + salt`, and checks
/// the alignment.
fn alloc_filled(layouts: &[alloc::alloc::Layout], salt: u8, ptrs: &mut Vec<*mut u8>) {
    for (i, &l) in layouts.iter().enumerate() {
        // SAFETY: a non-zero-size layout; the block is filled before it is read.
        let p = unsafe { alloc::alloc::alloc(l) };
        assert!(!p.is_null(), "allocation {} of {:?} failed", i, l);
        assert_eq!(p as usize % l.align(), 0, "{:?} at {:p}", l, p);
        // SAFETY: `p` has `l.size()` bytes.
        unsafe { core::ptr::write_bytes(p, (i as u8).wrapping_add(salt), l.size()) };
        ptrs.push(p);
    }
}

/// Checks that every block still holds its own byte: no two blocks share memory.
fn check_filled(layouts: &[alloc::alloc::Layout], salt: u8, ptrs: &[*mut u8]) {
    for (i, (&l, &p)) in layouts.iter().zip(ptrs).enumerate() {
        // SAFETY: `p` holds `l.size()` initialised bytes.
        let b = unsafe { core::slice::from_raw_parts(p, l.size()) };
        let want = (i as u8).wrapping_add(salt);
        assert!(b.iter().all(|&y| y == want), "block {} was overwritten", i);
    }
}

/// Frees every block, in `order`.
fn free_all(layouts: &[alloc::alloc::Layout], ptrs: &mut Vec<*mut u8>, order: &[usize]) {
    for &i in order {
        // SAFETY: allocated by `alloc_filled` with this layout, freed once.
        unsafe { alloc::alloc::dealloc(ptrs[i], layouts[i]) };
    }
    ptrs.clear();
}

/// Blocks of 8, 32 and 64 KiB (the largest size classes), 4097 and 5000 bytes (classes
/// between powers of two), 100,000 bytes (its own mapping), and over-aligned ones (64 B to
/// 16 KiB, both kinds), freed in a shuffled order: each large block's mapping goes back to
/// the kernel; the second round takes no new memory, and every block keeps its own
/// pattern.
fn heap_blocks_up_to_64k_and_large_freed_in_any_order() {
    use alloc::alloc::Layout;
    let kinds = [
        (8192, 8),
        (32768, 8),
        (65536, 8),
        (100_000, 8),
        (4097, 4),
        (5000, 64),
        (20_000, 4096),
        (3000, 16384),
        (70_000, 16384),
    ];
    let n = 900;
    let layouts: Vec<Layout> = (0..n)
        .map(|i| {
            let (size, align) = kinds[i % kinds.len()];
            Layout::from_size_align(size, align).unwrap()
        })
        .collect();
    let big: usize = layouts
        .iter()
        .filter(|l| l.size() > linux_gate::heap::SMALL_MAX)
        .map(|l| l.size().next_multiple_of(4096))
        .sum();
    let order = shuffled(n, 11);
    let mut ptrs: Vec<*mut u8> = Vec::with_capacity(n);
    alloc_filled(&layouts, 0, &mut ptrs);
    check_filled(&layouts, 0, &ptrs);
    let arena = linux_gate::heap::HEAP.arena_size();
    let (_, mapped) = mappings();
    free_all(&layouts, &mut ptrs, &order);
    let (_, after_free) = mappings();
    assert!(
        after_free + big <= mapped + valgrind_slack(),
        "large blocks not unmapped: {} -> {} bytes mapped, {} in large blocks",
        mapped,
        after_free,
        big
    );
    alloc_filled(&layouts, 7, &mut ptrs);
    assert_eq!(
        linux_gate::heap::HEAP.arena_size(),
        arena,
        "the second round took more memory"
    );
    check_filled(&layouts, 7, &ptrs);
    free_all(&layouts, &mut ptrs, &order);
}

/// When `brk` cannot grow — here a page mapped 8 MiB above the program break is in its way
/// — the heap goes on in 1 MiB mapped chunks: ~50 MiB of 24-, 1000-, 8192- and 65536-byte
/// blocks take about their own size in new mappings (one page per block would take 4 GiB),
/// in few new lines of `/proc/self/maps`; freed in a shuffled order, they are reused for the
/// A large block (its own mapping) that `realloc` grows or shrinks is moved by `mremap`,
/// not copied: growing a 32 MB `Vec` to 64 MB keeps its bytes and faults in almost no page
/// (the kernel's minor-fault count, `getrusage`: 1 natively, about 140 under qemu-i386, its
/// own bookkeeping), where `alloc` + copy + `dealloc` faults in the 8,192 pages of the new
/// block; shrinking it keeps the bytes too.
fn heap_large_realloc_moves_pages_instead_of_copying() {
    use linux_gate::process::{UsageWho, getrusage};
    let len = 32usize << 20;
    let mut v: Vec<u8> = Vec::with_capacity(len);
    v.resize(len, 0x5a);
    for page in 0..len / 4096 {
        v[page * 4096] = page as u8;
    }
    let faults = || getrusage(UsageWho::Myself).expect("getrusage").minor_faults;
    let before = faults();
    v.reserve_exact(len); // capacity 64 MB: one realloc
    let grown = faults() - before;
    assert!(v.capacity() >= 2 * len);
    assert!(
        grown < 1024,
        "growing 32 MB to 64 MB faulted in {grown} pages (a copy touches 8,192)"
    );
    let kept = |v: &Vec<u8>, n: usize| {
        (0..n / 4096).all(|p| v[p * 4096] == p as u8 && v[p * 4096 + 1] == 0x5a)
    };
    assert!(kept(&v, len), "the bytes moved with the pages");
    v.truncate(len / 2);
    v.shrink_to_fit(); // realloc to 16 MB
    assert!(kept(&v, len / 2), "the bytes kept by the shrink");
    v.resize(len, 1); // and grown again from there
    assert!(kept(&v, len / 2));
}

/// same requests without new memory, and no two blocks share memory.
fn heap_without_brk_takes_big_chunks_and_reuses_them() {
    use alloc::alloc::Layout;
    use linux_gate::mm::{self, MapFlags, ProtFlags};
    const MIB: usize = 1 << 20;
    let mut layouts = Vec::new();
    for (size, total) in [
        (24, 16 * MIB),
        (1000, 16 * MIB),
        (8192, 8 * MIB),
        (65536, 8 * MIB),
    ] {
        layouts.extend((0..total / size).map(|_| Layout::from_size_align(size, 8).unwrap()));
    }
    let requested: usize = layouts.iter().map(|l| l.size()).sum();
    let order = shuffled(layouts.len(), 5);
    let mut ptrs: Vec<*mut u8> = Vec::with_capacity(layouts.len());
    let wall = brk().next_multiple_of(4096) + 8 * MIB;
    let at = core::ptr::NonNull::new(wall as *mut u8).expect("above the break");
    // SAFETY: a fresh anonymous page at an address no mapping uses (NOREPLACE: the kernel
    // refuses rather than replace one).
    let r = unsafe {
        mm::mmap_fixed(
            at,
            4096,
            ProtFlags::READ | ProtFlags::WRITE,
            MapFlags::PRIVATE | MapFlags::FIXED_NOREPLACE,
            None,
            0,
        )
    };
    assert_eq!(r, Ok(at), "mapping a page at {:#x}", wall);
    let brk0 = brk();
    let (lines0, bytes0) = mappings();
    alloc_filled(&layouts, 0, &mut ptrs);
    let (lines1, bytes1) = mappings();
    assert!(brk() <= wall, "the break passed the page in its way");
    assert!(
        ptrs.iter().any(|&p| !(brk0..wall).contains(&(p as usize))),
        "no block outside the brk arena"
    );
    let grown = bytes1 - bytes0;
    assert!(
        grown <= requested + requested / 32 + 2 * MIB + valgrind_slack(),
        "{} bytes requested took {} bytes of new mappings",
        requested,
        grown
    );
    assert!(
        lines1 - lines0 <= requested / MIB + 8,
        "{} new lines in /proc/self/maps for {} bytes",
        lines1 - lines0,
        requested
    );
    check_filled(&layouts, 0, &ptrs);
    free_all(&layouts, &mut ptrs, &order);
    alloc_filled(&layouts, 3, &mut ptrs);
    let (_, bytes2) = mappings();
    assert!(
        bytes2 <= bytes1 + MIB,
        "the second round took new memory: {} -> {} bytes mapped",
        bytes1,
        bytes2
    );
    check_filled(&layouts, 3, &ptrs);
    free_all(&layouts, &mut ptrs, &order);
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
        signal: signal::SIGABRT,
        core: false,
    };
    match out.status {
        WaitStatus::Signaled {
            signal: signal::SIGABRT,
            ..
        } => {}
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

/// `io::LineReader` over a pipe fed by a child in odd-sized writes (lines cut across reads,
/// a line longer than a read, empty lines, `\r\n`, a last line without `\n`, a NUL) gives
/// exactly the pieces that splitting the same bytes at each `\n` gives, then `None`.
/// Lines for the `LineReader` tests: 300 of them, every seventh with a long run of `x`
/// (5,000 to 65,000 bytes), ending in CRLF, an empty line, a NUL or plain `\n`, the last
/// without a newline; written into a pipe by a child in pieces of 777 bytes. The data,
/// the pipe's read end and the writer.
fn lines_through_a_pipe() -> (Vec<u8>, OwnedFd, process::Pid) {
    let mut data = Vec::new();
    for i in 0..300u32 {
        data.extend_from_slice(format!("line {i}").as_bytes());
        if i % 7 == 0 {
            data.extend_from_slice(&alloc::vec![b'x'; 5000 + 20000 * (i as usize % 4)]);
        }
        data.extend_from_slice(match i % 5 {
            0 => &b"\r\n"[..],
            1 => b"\n\n",
            2 => b"\0\n",
            _ => b"\n",
        });
    }
    data.extend_from_slice(b"no newline at the end");
    let (r, w) = process::pipe().expect("pipe2");
    let Fork::Parent(pid) = process::fork().expect("fork") else {
        drop(r);
        for piece in data.chunks(777) {
            io::write_all(&w, piece).expect("write");
        }
        linux_gate::exit::exit_group(0);
    };
    drop(w);
    (data, r, pid)
}

fn line_reader_splits_as_lines_does() {
    use linux_gate::io::LineReader;
    let (data, r, pid) = lines_through_a_pipe();
    let mut reader = LineReader::new(r.as_fd());
    let mut got: Vec<Vec<u8>> = Vec::new();
    while let Some(line) = reader.next_line().expect("read") {
        got.push(line.to_vec());
    }
    assert_eq!(reader.next_line(), Ok(None));
    drop(r);
    assert_eq!(process::wait(pid).expect("wait"), WaitStatus::Exited(0));
    let want: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    assert_eq!(got.len(), want.len());
    assert!(got.iter().zip(&want).all(|(g, w)| g == w));

    // A read error is returned (and the reader can be asked again).
    // SAFETY: -1 is never an open descriptor: the kernel answers EBADF.
    let mut bad = LineReader::new(unsafe { BorrowedFd::borrow_raw(-1) });
    assert_eq!(bad.next_line(), Err(Errno::EBADF));
    let mut line = b"kept".to_vec();
    assert_eq!(bad.read_line_into(&mut line), Err(Errno::EBADF));
    assert_eq!(line, b"kept");
}

/// `LineReader::read_line_into` appends what std's `read_until(b'\n', out)` would: each
/// line with its `\n`, the last one without, then 0 — on the same pipe input as above (long
/// lines, CRLF, NULs, empty lines), interleaved with `next_line`, and on an empty input.
fn line_reader_read_line_into_appends_as_read_until_does() {
    use linux_gate::io::LineReader;
    let (data, r, pid) = lines_through_a_pipe();
    let mut reader = LineReader::new(r.as_fd());
    let mut got: Vec<Vec<u8>> = Vec::new();
    loop {
        // Every fifth line through next_line: the two share the reader's buffer.
        if got.len() % 5 == 4 {
            match reader.next_line().expect("read") {
                Some(l) => {
                    let mut l = l.to_vec();
                    l.push(b'\n');
                    got.push(l);
                    continue;
                }
                None => break,
            }
        }
        let mut line = b"prefix".to_vec();
        let n = reader.read_line_into(&mut line).expect("read");
        assert_eq!(n, line.len() - 6, "the count is of the bytes appended");
        assert_eq!(&line[..6], b"prefix", "appended after what was there");
        if n == 0 {
            break;
        }
        got.push(line.split_off(6));
    }
    let mut line = Vec::new();
    assert_eq!(reader.read_line_into(&mut line), Ok(0));
    drop(r);
    assert_eq!(process::wait(pid).expect("wait"), WaitStatus::Exited(0));
    let want: Vec<&[u8]> = data.split_inclusive(|&b| b == b'\n').collect();
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        // next_line's lines had their \n put back above; the last line has none.
        if i + 1 == want.len() && g.last() == Some(&b'\n') && w.last() != Some(&b'\n') {
            assert_eq!(&g[..g.len() - 1], *w);
        } else {
            assert_eq!(g, w, "line {i}");
        }
    }

    // An empty input: 0 at once.
    let (r, w) = process::pipe().expect("pipe2");
    drop(w);
    let mut reader = LineReader::new(r.as_fd());
    let mut line = Vec::new();
    assert_eq!(reader.read_line_into(&mut line), Ok(0));
    assert!(line.is_empty());
}

/// `io::LineReader`'s work is linear, through `next_line` and through `read_line_into`: on a
/// 64 MB line and on 10 million short lines (files,
/// so the reads are deterministic) it examines each byte exactly once in its search for
/// `\n` (its counters, behind the `test-hooks` feature), and makes no more `read` calls than
/// one per 4 KiB (one per 64 KiB once a line is longer than that) plus the one that sees
/// the end — the count the kernel keeps in `/proc/self/io` agrees. A reader that re-searched the partial
/// line after each read (quadratic: minutes for 100 MB) examined about 2^40 bytes here.
fn line_reader_is_linear_in_a_64_mb_line_and_10_million_lines() {
    use linux_gate::io::LineReader;
    // Under valgrind's memcheck (every instruction instrumented) the sizes shrink eightfold
    // and tenfold so the test ends within its alarm; the linear bounds are the same checks.
    let valgrind = under_valgrind();
    let long: usize = if valgrind { 8 << 20 } else { 64 << 20 };
    let line_count: usize = if valgrind { 1_000_000 } else { 10_000_000 };
    if valgrind {
        linux_gate::println!(
            "note: valgrind: an 8 MB line and 1,000,000 lines instead of 64 MB and 10,000,000"
        );
    }
    let path = tmp("lines");
    let check = |data_len: usize, expect_lines: usize, max_reads: u64, into: bool| {
        let f = File::open_read(&path).expect("open");
        let kernel_before = linux_gate_testkit::proc::read_calls().expect("/proc/self/io");
        let mut reader = LineReader::new(f.as_fd());
        let (mut lines, mut bytes) = (0usize, 0usize);
        if into {
            // read_line_into, onto one buffer cleared per line.
            let mut line = Vec::new();
            loop {
                line.clear();
                match reader.read_line_into(&mut line).expect("read") {
                    0 => break,
                    n => {
                        lines += 1;
                        bytes += n + usize::from(line.last() != Some(&b'\n'));
                    }
                }
            }
        } else {
            while let Some(line) = reader.next_line().expect("read") {
                lines += 1;
                bytes += line.len() + 1;
            }
        }
        assert_eq!(lines, expect_lines);
        assert_eq!(
            bytes,
            data_len + 1,
            "every byte handed out (the last line has no \\n)"
        );
        let stats = reader.stats();
        assert_eq!(
            stats.searched, data_len as u64,
            "each byte searched once: {:?}",
            stats
        );
        assert!(
            stats.reads <= max_reads,
            "{:?}, want at most {} reads",
            stats,
            max_reads
        );
        // The kernel's count agrees: the reader's reads, plus the reads of /proc/self/io
        // (the one above, one or two here). Not under valgrind, whose own reads of this
        // program's files (debug information, as it needs it) the kernel counts too.
        let kernel = linux_gate_testkit::proc::read_calls().expect("/proc/self/io") - kernel_before;
        assert!(
            valgrind || kernel >= stats.reads && kernel <= stats.reads + 3,
            "the kernel counted {} reads, the reader {:?}",
            kernel,
            stats
        );
    };

    // One 64 MB line, then a short one without a newline.
    let mut data = alloc::vec![b'a'; long];
    data.extend_from_slice(b"\nend");
    fs::write(&path, &data).expect("write");
    check(data.len(), 2, 16 + (data.len() / 65536) as u64 + 2, false);
    check(data.len(), 2, 16 + (data.len() / 65536) as u64 + 2, true);
    drop(data);

    // Ten million lines of "x\n", the last without its newline.
    let mut data = b"x\n".repeat(line_count);
    data.pop();
    fs::write(&path, &data).expect("write");
    check(
        data.len(),
        line_count,
        (data.len() / 4096) as u64 + 2,
        false,
    );
    check(data.len(), line_count, (data.len() / 4096) as u64 + 2, true);
    let _ = fs::unlink(&path);
}
