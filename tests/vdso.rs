//! The vDSO reader, lookups, clocks and the four vDSO examples, checked against the
//! kernel's own view (/proc/self/maps, /proc/self/mem, AT_SYSINFO, the clock syscalls).
//! `tests/sh/vdso.sh` adds objdump/readelf/file on the dumped image.
//!
//! Natively the running vDSO is used. Under qemu-i386 7.2 there is none: the tests check
//! that the reader and the tools say so (exit status 1) and that the clocks still work
//! (system-call path). The reader tests and the fuzz test then run on the image the native
//! run saved (`target/<triple>/<profile>/linux-gate.dso.1`); if there is no saved image
//! (a qemu-only run on a fresh checkout), they are reported as `skipped`, which does not
//! count as a pass.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::ffi::CString;
use alloc::string::String;
use alloc::vec::Vec;
use linux_gate::elf::{self, HashKind};
use linux_gate::fs::{Mode, OFlags};
use linux_gate::process::WaitStatus;
use linux_gate::signal::Signal;
use linux_gate::syscall::{self, Mechanism, nr};
use linux_gate::time::{self, Clock, Path, Timespec};
use linux_gate::vdso::{self, LINUX_2_5, LINUX_2_6, Vdso};
use linux_gate::{Errno, auxv, fs, println};
use linux_gate_testkit::proc;
use linux_gate_testkit::without_vdso;
use linux_gate_testkit::{self as testing, example_path, examples_dir, inherited_env, run_capture};
use linux_raw_sys::elf_uapi as abi;

/// The functions a 32-bit vDSO on a current x86_64 kernel exports, with their versions.
const EXPECTED: [(&str, &str); 9] = [
    ("__kernel_vsyscall", LINUX_2_5),
    ("__kernel_sigreturn", LINUX_2_5),
    ("__kernel_rt_sigreturn", LINUX_2_5),
    ("__vdso_clock_gettime", LINUX_2_6),
    ("__vdso_clock_gettime64", LINUX_2_6),
    ("__vdso_gettimeofday", LINUX_2_6),
    ("__vdso_time", LINUX_2_6),
    ("__vdso_clock_getres", LINUX_2_6),
    ("__vdso_getcpu", LINUX_2_6),
];

fn main() -> i32 {
    let mut tests: Vec<testing::Test> = alloc::vec![
        ("running_vdso_is_valid", running_vdso_is_valid),
        ("image_equals_proc_self_mem", image_equals_proc_self_mem),
        (
            "kernel_vsyscall_lookup_equals_at_sysinfo",
            kernel_vsyscall_lookup_equals_at_sysinfo,
        ),
        (
            "vdso_clock_agrees_with_syscall",
            vdso_clock_agrees_with_syscall
        ),
        ("monotonic_over_many_calls", monotonic_over_many_calls),
        ("every_clock_path_agrees", every_clock_path_agrees),
        ("raw_vdso_functions_agree", raw_vdso_functions_agree),
        ("getres_cputime_and_errors", getres_cputime_and_errors),
        (
            "gettimeofday_and_time_bracketed",
            gettimeofday_and_time_bracketed
        ),
        (
            "sleep_lasts_its_duration_through_signals",
            sleep_lasts_its_duration_through_signals
        ),
        ("vdso_dump_example", vdso_dump_example),
        ("vdso_syms_example", vdso_syms_example),
        ("vsyscall_info_example", vsyscall_info_example),
        ("maps_example", maps_example),
    ];
    let image_tests: [testing::Test; 6] = [
        (
            "lookups_agree_across_hash_tables",
            lookups_agree_across_hash_tables,
        ),
        (
            "either_hash_table_alone_suffices",
            either_hash_table_alone_suffices,
        ),
        (
            "symbol_past_file_bytes_is_rejected",
            symbol_past_file_bytes_is_rejected,
        ),
        (
            "undefined_symbol_is_not_found",
            undefined_symbol_is_not_found,
        ),
        ("fuzz_truncations", fuzz_truncations),
        ("fuzz_mutations", fuzz_mutations),
    ];
    // Native only: qemu-i386 7.2 answers seccomp(2) with ENOSYS and PR_SET_SECCOMP with EINVAL.
    let native_tests: [testing::Test; 1] = [(
        "time64_enosys_falls_back_to_32bit_syscalls",
        time64_enosys_falls_back_to_32bit_syscalls,
    )];
    if without_vdso() {
        for (name, _) in native_tests {
            println!(
                "test {} ... skipped (needs a seccomp filter, which qemu-i386 does not implement and valgrind would apply to itself)",
                name
            );
        }
    } else {
        tests.extend_from_slice(&native_tests);
    }
    if without_vdso() {
        if fs::read(&saved_image_path()).is_ok() {
            tests.extend_from_slice(&image_tests);
        } else {
            for (name, _) in image_tests {
                println!(
                    "test {} ... skipped (no vDSO under qemu or valgrind and no image saved by a native run)",
                    name
                );
            }
        }
    } else {
        save_running_image();
        tests.extend_from_slice(&image_tests);
    }
    testing::run(&tests)
}
linux_gate::entry!(main);

// ---------------------------------------------------------------------------------------
// Helpers

/// Where the native run leaves a copy of the image for the qemu run.
fn saved_image_path() -> CString {
    CString::new(alloc::format!("{}/../linux-gate.dso.1", examples_dir())).expect("no NUL")
}

fn save_running_image() {
    let v = vdso::running().expect("native run has a vDSO");
    let f = fs::File::open(
        &saved_image_path(),
        OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC,
        Mode::from_octal(0o644),
    )
    .expect("create saved image");
    f.write_all(v.image()).expect("write saved image");
}

/// The image to test the reader on, and the address it is (or was) mapped at.
fn test_image() -> (Vec<u8>, usize) {
    match vdso::running() {
        Some(v) => (v.image().to_vec(), v.base()),
        None => (
            fs::read(&saved_image_path()).expect("saved image"),
            0xf7f0_0000,
        ),
    }
}

fn temp_path(tag: &str) -> CString {
    CString::new(alloc::format!(
        "{}/../vdso-test-{}-{}",
        examples_dir(),
        tag,
        linux_gate::process::getpid()
    ))
    .expect("no NUL")
}

fn unlink(path: &CString) {
    // SAFETY: unlink reads a NUL-terminated path.
    let _ = unsafe { syscall::syscall1(nr::__NR_unlink, path.as_ptr() as usize) };
}

fn run_example(name: &str, args: &[&core::ffi::CStr]) -> testing::Output {
    let path = example_path(name);
    let mut argv: Vec<&core::ffi::CStr> = Vec::new();
    argv.push(&path);
    argv.extend_from_slice(args);
    run_capture(&path, &argv, &inherited_env(), b"")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Under qemu a vDSO tool must fail plainly: status 1, "no vDSO" on stderr, nothing on stdout.
fn assert_says_no_vdso(out: &testing::Output) {
    assert_eq!(
        out.status,
        WaitStatus::Exited(1),
        "stderr: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("no vDSO") || text(&out.stderr).contains("no [vdso]"),
        "stderr: {}",
        text(&out.stderr)
    );
}

fn ns(t: Timespec) -> i128 {
    t.as_nanos()
}

// ---------------------------------------------------------------------------------------
// The running image

/// Natively: the reader accepts the kernel's image, at AT_SYSINFO_EHDR, of the size the
/// kernel's [vdso] line says, named linux-gate.so.1. Under qemu: plainly absent.
fn running_vdso_is_valid() {
    if without_vdso() {
        assert_eq!(auxv::getauxval(auxv::AT_SYSINFO_EHDR), None);
        assert_eq!(vdso::running_or_error().err(), Some(vdso::Error::Absent));
        assert_eq!(vdso::lookup("__kernel_vsyscall", LINUX_2_5), None);
        return;
    }
    let v = vdso::running_or_error().expect("valid vDSO");
    assert_eq!(Some(v.base()), auxv::getauxval(auxv::AT_SYSINFO_EHDR));
    let (start, end) = proc::maps_range("[vdso]")
        .expect("read maps")
        .expect("[vdso] line");
    assert_eq!((start, end - start), (v.base(), v.image().len()));
    assert_eq!(v.dynamic().soname(), Some(b"linux-gate.so.1".as_slice()));
    for (name, version) in EXPECTED {
        let a = v.lookup(name, version);
        assert!(a.is_some(), "{}@{} not found", name, version);
        let a = a.unwrap_or(0);
        assert!(
            a >= start && a < end,
            "{} at {:#x} outside the image",
            name,
            a
        );
    }
}

/// The image the reader sees is byte for byte the [vdso] range of /proc/self/mem.
fn image_equals_proc_self_mem() {
    let range = proc::maps_range("[vdso]").expect("read maps");
    if without_vdso() {
        assert_eq!(range, None, "qemu-i386 7.2 maps no vDSO");
        return;
    }
    let (start, end) = range.expect("[vdso] line");
    let mem = proc::read_self_mem(start, end - start).expect("pread /proc/self/mem");
    let v = vdso::running().expect("vDSO");
    assert_eq!(mem.len(), v.image().len());
    assert!(mem == v.image(), "/proc/self/mem differs from the image");
}

/// Two independent answers from the kernel: AT_SYSINFO, and the vDSO's own symbol. Also the
/// ELF entry point, and the entry every syscall of this process goes through.
fn kernel_vsyscall_lookup_equals_at_sysinfo() {
    let found = vdso::lookup("__kernel_vsyscall", LINUX_2_5);
    if without_vdso() {
        assert_eq!((found, auxv::getauxval(auxv::AT_SYSINFO)), (None, None));
        assert_eq!(syscall::mechanism(), Mechanism::Int80);
        return;
    }
    let v = vdso::running().expect("vDSO");
    assert!(found.is_some());
    assert_eq!(found, auxv::getauxval(auxv::AT_SYSINFO));
    assert_eq!(found, Some(v.address_of(v.elf().header().e_entry)));
    assert_eq!(found, Some(syscall::entry()));
    // Wrong versions and unknown names are not found.
    assert_eq!(v.lookup("__kernel_vsyscall", LINUX_2_6), None);
    assert_eq!(v.lookup("__vdso_clock_gettime64", LINUX_2_5), None);
    assert_eq!(v.lookup("__vdso_clock_gettime6", LINUX_2_6), None);
    assert_eq!(v.lookup("LINUX_2.6", LINUX_2_6), None, "not a function");
}

// ---------------------------------------------------------------------------------------
// Lookups and hash tables (the running image natively, the saved one under qemu)

/// Every versioned symbol is found at its own index through DT_HASH and DT_GNU_HASH alike,
/// and the expected functions have the expected versions.
fn lookups_agree_across_hash_tables() {
    let (image, base) = test_image();
    let v = Vdso::parse(&image, base).expect("parse");
    let d = v.dynamic();
    assert!(d.has_hash(HashKind::Sysv) && d.has_hash(HashKind::Gnu));
    assert_eq!(
        d.len(),
        12,
        "symbols in today's 32-bit vDSO, including symbol 0"
    );
    let mut checked = 0;
    for i in 1..d.len() {
        let sym = d.symbol(i).expect("symbol");
        let name = d.name(&sym).expect("name");
        let ver = d.verdef(d.versym(i).expect("versym")).expect("verdef").name;
        let sysv = d.lookup_with(HashKind::Sysv, name, Some(ver));
        let gnu = d.lookup_with(HashKind::Gnu, name, Some(ver));
        assert_eq!(sysv.map(|s| s.0), Some(i), "{}", name.escape_ascii());
        assert_eq!(gnu.map(|s| s.0), Some(i), "{}", name.escape_ascii());
        checked += 1;
    }
    assert_eq!(checked, d.len() - 1);
    for (name, version) in EXPECTED {
        let a = v.lookup_with(HashKind::Sysv, name, version);
        assert!(a.is_some(), "{}", name);
        assert_eq!(a, v.lookup_with(HashKind::Gnu, name, version));
    }
    let mut versions: Vec<&[u8]> = d.verdefs().map(|d| d.name).collect();
    versions.sort();
    assert_eq!(
        versions,
        [b"LINUX_2.5".as_slice(), b"LINUX_2.6", b"linux-gate.so.1"]
    );
}

/// Rewrites the dynamic tag `tag` to DT_DEBUG (which readers ignore) in a copy.
fn without_tag(image: &[u8], tag: u32) -> Vec<u8> {
    let mut copy = image.to_vec();
    let e = elf::Elf::parse(image).expect("parse");
    let dynp = e.phdrs().find(|p| p.p_type == 2).expect("PT_DYNAMIC");
    let mut found = false;
    for off in (dynp.p_offset as usize..(dynp.p_offset + dynp.p_filesz) as usize).step_by(8) {
        if copy[off..off + 4] == tag.to_le_bytes() {
            copy[off..off + 4].copy_from_slice(&21u32.to_le_bytes());
            found = true;
        }
    }
    assert!(found, "tag {:#x} not in the image", tag);
    copy
}

/// PITFALLS #8: a vDSO may carry only DT_GNU_HASH or only DT_HASH.
fn either_hash_table_alone_suffices() {
    const DT_HASH: u32 = 4;
    const DT_GNU_HASH: u32 = 0x6fff_fef5;
    let (image, base) = test_image();
    let full = Vdso::parse(&image, base).expect("parse");
    for (tag, remaining) in [(DT_GNU_HASH, HashKind::Sysv), (DT_HASH, HashKind::Gnu)] {
        let copy = without_tag(&image, tag);
        let v = Vdso::parse(&copy, base).expect("parse with one hash table");
        assert!(v.dynamic().has_hash(remaining));
        assert_eq!(v.dynamic().len(), full.dynamic().len());
        for (name, version) in EXPECTED {
            assert_eq!(
                v.lookup(name, version),
                full.lookup(name, version),
                "{}",
                name
            );
        }
    }
    let neither = without_tag(&without_tag(&image, DT_HASH), DT_GNU_HASH);
    assert_eq!(
        Vdso::parse(&neither, base).err(),
        Some(vdso::Error::Elf(elf::Error::NoHashTable))
    );
}

/// Everything the reader offers, on one (possibly corrupt) image. Returns a checksum so
/// nothing is optimised away. Panics only if a *found* address lies outside the image.
fn exercise(image: &[u8], base: usize, kinds: &[HashKind], names: &[(&str, &str)]) -> usize {
    let Ok(v) = Vdso::parse(image, base) else {
        return 1;
    };
    let d = v.dynamic();
    let mut sum = d.len();
    for i in 0..d.len().min(64) {
        if let Some(s) = d.symbol(i) {
            sum = sum.wrapping_add(d.name(&s).map_or(0, |n| n.len()));
            if let Some(vs) = d.versym(i) {
                sum = sum.wrapping_add(d.verdef(vs).map_or(0, |v| v.name.len()));
            }
            sum = sum.wrapping_add(
                v.elf()
                    .section_name(s.st_shndx as usize)
                    .map_or(0, |n| n.len()),
            );
        }
    }
    for &(name, version) in names {
        for &kind in kinds {
            if let Some(a) = v.lookup_with(kind, name, version) {
                assert!(
                    a >= base && a < base + image.len(),
                    "{} resolved to {:#x}, outside the image",
                    name,
                    a
                );
                sum = sum.wrapping_add(a);
            }
        }
    }
    sum.wrapping_add(d.verdefs().count())
}

/// Little-endian field writers, for corrupting copies of the image.
fn put_u16(image: &mut [u8], off: usize, value: u16) {
    image[off..off + 2].copy_from_slice(&value.to_le_bytes());
}

fn put_u32(image: &mut [u8], off: usize, value: u32) {
    image[off..off + 4].copy_from_slice(&value.to_le_bytes());
}

/// Image offset of dynamic symbol `i`'s `Elf32_Sym`, from the parser's own `DT_SYMTAB`.
fn symbol_offset(image: &[u8], i: usize) -> usize {
    elf::Elf::parse(image)
        .expect("parse")
        .dynamic()
        .expect("dynamic")
        .symbol_offset(i)
        .expect("symbol in the table")
}

/// A segment may be longer in memory (p_memsz) than in the file (p_filesz); the kernel
/// zero-fills the difference. An address in that tail has no bytes in the image, so it is
/// neither code nor convertible to an offset, and a symbol pointing there is not found —
/// even when, as here, the slice happens to hold other bytes (section headers) at that
/// offset. The last `st_size` bytes of the file part are still accepted.
fn symbol_past_file_bytes_is_rejected() {
    let (image, base) = test_image();
    let e = elf::Elf::parse(&image).expect("parse");
    let (li, load) = e
        .phdrs()
        .enumerate()
        .find(|(_, p)| p.p_type == abi::PT_LOAD)
        .expect("PT_LOAD");
    let full = Vdso::parse(&image, base).expect("parse");
    let (i, sym) = full
        .dynamic()
        .lookup(b"__vdso_time", Some(LINUX_2_6.as_bytes()))
        .expect("__vdso_time");
    let len = sym.st_size as usize;
    let past = load.p_vaddr + load.p_filesz;
    assert!(
        (load.p_offset + load.p_filesz) as usize + len <= image.len(),
        "the slice must hold bytes past the segment, or the test proves nothing"
    );

    // One more page in memory than in the file.
    let mut copy = image.clone();
    put_u32(
        &mut copy,
        e.header().e_phoff as usize + li * 32 + 20,
        load.p_memsz + 4096,
    );
    let grown = Vdso::parse(&copy, base).expect("parse with p_memsz grown");
    assert_eq!(
        grown.elf().loads().next().map(|p| p.p_memsz - p.p_filesz),
        Some(4096)
    );
    assert_eq!(
        grown.lookup("__vdso_time", LINUX_2_6),
        full.lookup("__vdso_time", LINUX_2_6),
        "growing p_memsz alone changes nothing"
    );

    // __vdso_time moved to the first byte past the file part.
    put_u32(&mut copy, symbol_offset(&image, i) + 4, past);
    let v = Vdso::parse(&copy, base).expect("parse with the symbol moved");
    let found = v
        .dynamic()
        .lookup(b"__vdso_time", Some(LINUX_2_6.as_bytes()));
    assert_eq!(
        found.map(|(_, s)| s.st_value),
        Some(past),
        "still in the table"
    );
    assert_eq!(v.elf().vaddr_to_offset(past, len), None);
    assert_eq!(v.elf().vaddr_to_offset(past, 1), None);
    assert!(!v.elf().is_code(past, len));
    assert!(!v.elf().is_code(past, 1));
    for kind in [HashKind::Sysv, HashKind::Gnu] {
        assert_eq!(
            v.lookup_with(kind, "__vdso_time", LINUX_2_6),
            None,
            "{:?}",
            kind
        );
    }
    assert_eq!(v.lookup("__vdso_time", LINUX_2_6), None);

    // The last `len` bytes of the file part are inside: the boundary is exact.
    let last = past - len as u32;
    assert_eq!(
        v.elf().vaddr_to_offset(last, len),
        Some((load.p_offset + load.p_filesz) as usize - len)
    );
    assert!(v.elf().is_code(last, len));
    assert!(!v.elf().is_code(last, len + 1));
}

/// An undefined symbol (st_shndx = SHN_UNDEF) names something another object must
/// supply; its st_value, 0, is no address here. If it were accepted it would resolve to
/// the image's first byte — the ELF header, inside the executable PT_LOAD at vaddr 0. So
/// `__vdso_clock_gettime`, made undefined in a copy, is found through neither hash table,
/// while its neighbours still are.
fn undefined_symbol_is_not_found() {
    let (image, base) = test_image();
    let full = Vdso::parse(&image, base).expect("parse");
    let name = "__vdso_clock_gettime";
    let (i, _) = full
        .dynamic()
        .lookup(name.as_bytes(), Some(LINUX_2_6.as_bytes()))
        .expect("__vdso_clock_gettime");
    let mut copy = image.clone();
    let off = symbol_offset(&image, i);
    put_u32(&mut copy, off + 4, 0); // st_value
    put_u32(&mut copy, off + 8, 0); // st_size
    put_u16(&mut copy, off + 14, abi::SHN_UNDEF as u16); // st_shndx
    let v = Vdso::parse(&copy, base).expect("parse");
    let d = v.dynamic();
    let sym = d.symbol(i).expect("symbol");
    assert!(!sym.is_defined());
    assert_eq!(d.name(&sym), Some(name.as_bytes()), "same name, same index");
    assert!(
        v.elf().is_code(0, 1),
        "vaddr 0 is code: only is_defined stands in the way"
    );
    for kind in [HashKind::Sysv, HashKind::Gnu] {
        assert!(d.has_hash(kind));
        assert_eq!(
            d.lookup_with(kind, name.as_bytes(), Some(LINUX_2_6.as_bytes())),
            None,
            "{:?}",
            kind
        );
        assert_eq!(
            d.lookup_with(kind, name.as_bytes(), None),
            None,
            "{:?}",
            kind
        );
        assert_eq!(v.lookup_with(kind, name, LINUX_2_6), None, "{:?}", kind);
        for (other, version) in EXPECTED.iter().filter(|(n, _)| *n != name) {
            assert_eq!(
                v.lookup_with(kind, other, version),
                full.lookup_with(kind, other, version),
                "{} through {:?}",
                other,
                kind
            );
        }
    }
    assert_eq!(v.lookup(name, LINUX_2_6), None);
}

/// Every truncation of the image (0 ..= len bytes) is rejected or read without a panic;
/// truncations that cut the symbol tables are rejected.
fn fuzz_truncations() {
    let (image, base) = test_image();
    let mut rejected = 0;
    for len in 0..=image.len() {
        let cut = &image[..len];
        if Vdso::parse(cut, base).is_err() {
            rejected += 1;
        }
        exercise(cut, base, &[HashKind::Sysv, HashKind::Gnu], &EXPECTED);
    }
    // The loaded segment ends at its PT_LOAD's p_filesz: anything shorter is rejected.
    let load_end = elf::Elf::parse(&image).expect("parse").load_end() as usize;
    assert_eq!(
        rejected, load_end,
        "every length below the PT_LOAD end is rejected"
    );
    println!(
        "fuzz: {} truncation lengths, {} rejected",
        image.len() + 1,
        rejected
    );
}

/// 100,000 mutations of the real image: single random bytes anywhere in the metadata,
/// and whole 16/32-bit fields set to edge values. The reader must never panic, loop or read
/// out of bounds (the slice would panic), and never return an address outside the image.
/// Under valgrind's memcheck, which runs it some 30 times slower and checks every read of
/// it as well, the first 20,000 of the same sequence.
fn fuzz_mutations() {
    let (mut image, base) = test_image();
    // The metadata: headers, hash tables, symbols, strings, versions, dynamic section —
    // everything before .text — plus the section header table at the end.
    let meta_end = {
        let e = elf::Elf::parse(&image).expect("parse");
        let text = (0..e.header().e_shnum as usize)
            .filter_map(|i| Some((e.section_name(i)?, e.shdr(i)?)))
            .find(|(n, _)| *n == b".text")
            .map_or(0x600, |(_, s)| s.sh_offset as usize);
        text.min(image.len())
    };
    let shoff = (u32::from_le_bytes([image[32], image[33], image[34], image[35]]) as usize)
        .min(image.len());
    let regions = [(0, meta_end), (shoff, image.len())];
    let edges: [u32; 10] = [
        0,
        1,
        2,
        0x7f,
        0xff,
        0xffff,
        0x7fff_ffff,
        0xffff_ffff,
        image.len() as u32,
        image.len() as u32 - 1,
    ];
    let mut rng: u32 = 0x2005_0801; // xorshift32, fixed seed: reproducible
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        rng
    };
    let (mut total, mut accepted, mut sum) = (0u32, 0u32, 0usize);
    let mutations: u32 = if testing::under_valgrind() {
        20_000
    } else {
        100_000
    };
    let mut n = 0u32;
    while total < mutations {
        n += 1;
        assert!(n < 2 * mutations, "mutation offsets keep missing the image");
        let r = next();
        let (lo, hi) = regions[(r as usize >> 8) % regions.len()];
        if hi <= lo {
            continue;
        }
        let off = lo + (next() as usize) % (hi - lo);
        let mut saved = [0u8; 4];
        let width = match n % 3 {
            0 => 1,
            1 => 2,
            _ => 4,
        };
        let off = if width == 1 { off } else { off & !(width - 1) };
        if off + width > image.len() {
            continue;
        }
        saved[..width].copy_from_slice(&image[off..off + width]);
        let value = if width == 1 {
            next()
        } else {
            edges[(next() as usize) % edges.len()]
        };
        image[off..off + width].copy_from_slice(&value.to_le_bytes()[..width]);
        // Alternate the hash table and rotate through the names, three per mutation (every
        // combination is covered many times over, at a third of the cost in a debug build).
        let kind = if n.is_multiple_of(2) {
            HashKind::Sysv
        } else {
            HashKind::Gnu
        };
        let first = (n as usize * 3) % EXPECTED.len();
        let s = exercise(&image, base, &[kind], &EXPECTED[first..first + 3]);
        if s != 1 {
            accepted += 1;
        }
        sum = sum.wrapping_add(s);
        image[off..off + width].copy_from_slice(&saved[..width]);
        total += 1;
    }
    assert!(total >= mutations, "only {} mutations", total);
    // The image is restored and still reads the same.
    assert!(Vdso::parse(&image, base).is_ok());
    println!(
        "fuzz: {} mutations, {} still parsed, {} rejected (checksum {:x})",
        total,
        accepted,
        total - accepted,
        sum
    );
}

// ---------------------------------------------------------------------------------------
// Clocks

const CLOCKS: [Clock; 5] = [
    Clock::REALTIME,
    Clock::MONOTONIC,
    Clock::MONOTONIC_RAW,
    Clock::BOOTTIME,
    Clock::TAI,
];

/// syscall ≤ vDSO ≤ syscall, and the two syscalls within 1 ms of each other (retried a few
/// times if the process was descheduled between them).
fn vdso_clock_agrees_with_syscall() {
    assert_eq!(
        time::path(),
        if without_vdso() {
            Path::Syscall64
        } else {
            Path::Vdso64
        }
    );
    assert_eq!(time::vdso_clock_gettime64().is_some(), !without_vdso());
    for clock in CLOCKS {
        let mut ok = false;
        for _ in 0..5 {
            let s1 = time::clock_gettime_syscall(clock).expect("syscall");
            let v = time::clock_gettime(clock).expect("clock_gettime");
            let s2 = time::clock_gettime_syscall(clock).expect("syscall");
            assert!(
                s1 <= v && v <= s2,
                "clock {}: {} not within [{}, {}]",
                clock.raw(),
                v,
                s1,
                s2
            );
            if ns(s2) - ns(s1) < 1_000_000 {
                ok = true;
                break;
            }
        }
        assert!(ok, "clock {}: syscalls never within 1 ms", clock.raw());
    }
}

/// Installs a seccomp filter on this process (and its future children, for good) that
/// fails `clock_gettime64`, `clock_getres_time64` and `clock_nanosleep_time64` with
/// `ENOSYS`, as a kernel before 5.1 does, and allows every other system call. Then checks that it took effect.
fn deny_time64_syscalls() {
    let time64 = [
        nr::__NR_clock_gettime64,
        nr::__NR_clock_getres_time64,
        nr::__NR_clock_nanosleep_time64,
    ];
    assert_eq!(
        linux_gate_testkit::seccomp::fail_with_enosys(&time64),
        Ok(()),
        "seccomp(SECCOMP_SET_MODE_FILTER)"
    );
    for nr64 in [nr::__NR_clock_gettime64, nr::__NR_clock_getres_time64] {
        let mut ts = linux_raw_sys::general::__kernel_timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: both calls write at most one struct __kernel_timespec to &ts.
        let r = unsafe {
            syscall::syscall2(
                nr64,
                Clock::MONOTONIC.raw() as usize,
                &mut ts as *mut _ as usize,
            )
        };
        assert_eq!(r, Err(Errno::ENOSYS), "syscall {} under the filter", nr64);
    }
    assert_eq!(
        time::clock_gettime_by(Path::Syscall64, Clock::MONOTONIC),
        Err(Errno::ENOSYS)
    );
    assert!(time::clock_gettime_by(Path::Syscall32, Clock::MONOTONIC).is_ok());
}

/// A read of CLOCK_MONOTONIC through the vDSO (no system call, so the filter is no
/// obstacle): the bracket the fallback's reads must fall into.
fn vdso_monotonic() -> Timespec {
    time::clock_gettime_by(Path::Vdso64, Clock::MONOTONIC).expect("__vdso_clock_gettime64")
}

/// In a child under [`deny_time64_syscalls`]: the first `clock_gettime` of a process
/// without a vDSO gets `ENOSYS` from `clock_gettime64`, reads the clock with `clock_gettime`
/// (265) instead, and stays on that path.
fn fallback_of_clock_gettime() {
    let before = vdso_monotonic();
    deny_time64_syscalls();
    let (t, path) = time::clock_gettime_without_vdso(Clock::MONOTONIC);
    let after = vdso_monotonic();
    let t = t.expect("clock_gettime falls back to the 32-bit system call");
    assert_eq!(path, Path::Syscall32);
    assert!(
        before <= t && t <= after,
        "{} not in [{}, {}]",
        t,
        before,
        after
    );
    assert!(
        ns(after) - ns(before) < 1_000_000_000,
        "{} .. {}",
        before,
        after
    );
    // The process's clock_gettime was switched to that call as well, and still works.
    let later = time::clock_gettime(Clock::MONOTONIC).expect("clock_gettime");
    assert!(after <= later, "{} after {}", later, after);
}

/// In a child under [`deny_time64_syscalls`]: the reference system-call paths fall back
/// too: `clock_gettime64` → `clock_gettime`, then (already switched) `clock_getres`.
fn fallback_of_reference_syscalls() {
    deny_time64_syscalls();
    let before = vdso_monotonic();
    let t = time::clock_gettime_syscall(Clock::MONOTONIC).expect("clock_gettime (265)");
    let after = vdso_monotonic();
    assert!(
        before <= t && t <= after,
        "{} not in [{}, {}]",
        t,
        before,
        after
    );
    let res = time::clock_getres_syscall(Clock::MONOTONIC).expect("clock_getres (266)");
    assert_eq!(
        Ok(res),
        time::clock_getres(Clock::MONOTONIC),
        "vDSO's clock_getres"
    );
}

/// Kernels before 5.1 have no `clock_gettime64` (403) or `clock_getres_time64` (406); the
/// clocks then fall back to the 32-bit-seconds calls 265 and 266 (fine until 2038). Today's
/// kernels and qemu have both, so children under a seccomp filter that answers `ENOSYS` to
/// 403 and 406 play the old kernel. Without the filter the same first call stays on 403.
fn time64_enosys_falls_back_to_32bit_syscalls() {
    let (t, path) = time::clock_gettime_without_vdso(Clock::MONOTONIC);
    assert!(t.is_ok(), "{:?}", t);
    assert_eq!(
        path,
        Path::Syscall64,
        "clock_gettime64 works without the filter"
    );
    let children: [testing::Test; 3] = [
        ("fallback_of_clock_gettime", fallback_of_clock_gettime),
        (
            "fallback_of_reference_syscalls",
            fallback_of_reference_syscalls,
        ),
        ("fallback_of_sleep", fallback_of_sleep),
    ];
    for (name, child) in children {
        assert_eq!(
            testing::run_in_child(child),
            WaitStatus::Exited(0),
            "{} (in a child; its panic message is above)",
            name
        );
    }
}

/// `clock_gettime_by` each of the four paths, read back to back: every available path
/// gives a valid time in order with the others, all within 1 ms (retried a few times if
/// the process was descheduled). Natively both vDSO paths and `clock_gettime64` must be
/// there; under qemu-i386 the vDSO paths report `ENOSYS` and the system calls remain.
fn every_clock_path_agrees() {
    for p in [Path::Vdso64, Path::Vdso32] {
        let r = time::clock_gettime_by(p, Clock::MONOTONIC);
        if without_vdso() {
            assert_eq!(r, Err(Errno::ENOSYS), "{} without a vDSO", p.name());
        } else {
            assert!(r.is_ok(), "{}: {:?}", p.name(), r);
        }
    }
    assert!(time::clock_gettime_by(Path::Syscall64, Clock::MONOTONIC).is_ok());
    let mut available = Vec::new();
    for p in Path::ALL {
        match time::clock_gettime_by(p, Clock::REALTIME) {
            Ok(_) => available.push(p),
            Err(e) => {
                assert_eq!(e, Errno::ENOSYS, "{}", p.name());
                println!("clock path {}: unavailable (ENOSYS)", p.name());
            }
        }
    }
    for clock in CLOCKS {
        let mut ok = false;
        for _ in 0..5 {
            let mut reads = Vec::new();
            for &p in &available {
                let t = time::clock_gettime_by(p, clock).expect("an available path");
                assert!(t.nsec < 1_000_000_000, "{}: {}", p.name(), t);
                reads.push(t);
            }
            reads.push(time::clock_gettime(clock).expect("clock_gettime"));
            // 32-bit paths have 32-bit seconds: fine until 2038, so equal scales.
            for w in reads.windows(2) {
                assert!(
                    w[0] <= w[1],
                    "clock {}: {:?} went backwards",
                    clock.raw(),
                    reads
                );
            }
            if ns(reads[reads.len() - 1]) - ns(reads[0]) < 1_000_000 {
                ok = true;
                break;
            }
        }
        assert!(ok, "clock {}: paths never within 1 ms", clock.raw());
    }
    let names: Vec<&str> = available.iter().map(|p| p.name()).collect();
    println!("clock paths available: {}", names.join(" "));
    // The error path of each: an invalid clock is EINVAL, not a wrong time.
    for &p in &available {
        assert_eq!(
            time::clock_gettime_by(p, Clock::from_raw(9999)),
            Err(Errno::EINVAL),
            "{}",
            p.name()
        );
    }
}

/// CLOCK_MONOTONIC never goes backwards over 1,000,000 reads natively (the vDSO path,
/// ~50 ms); 100,000 under qemu, where every read is an emulated system call.
fn monotonic_over_many_calls() {
    let n = if without_vdso() { 100_000 } else { 1_000_000 };
    let first = time::clock_gettime(Clock::MONOTONIC).expect("clock");
    let mut prev = first;
    for _ in 0..n {
        let t = time::clock_gettime(Clock::MONOTONIC).expect("clock");
        assert!(t >= prev, "went backwards: {} after {}", t, prev);
        assert!(t.nsec < 1_000_000_000);
        prev = t;
    }
    assert!(prev > first, "the clock did not advance over {} reads", n);
    println!(
        "monotonic: {} reads in {} ns ({} path)",
        n,
        ns(prev) - ns(first),
        time::path().name()
    );
}

/// The vDSO's other entry points (32-bit seconds) agree with ours.
fn raw_vdso_functions_agree() {
    let f = time::vdso_fns();
    if without_vdso() {
        assert!(f.clock_gettime.is_none() && f.gettimeofday.is_none() && f.time.is_none());
        assert!(f.clock_getres.is_none());
        return;
    }
    let gettime = f.clock_gettime.expect("__vdso_clock_gettime");
    let gettimeofday = f.gettimeofday.expect("__vdso_gettimeofday");
    let vtime = f.time.expect("__vdso_time");
    let getres = f.clock_getres.expect("__vdso_clock_getres");

    let a = time::clock_gettime(Clock::MONOTONIC).expect("clock");
    let mut ts = linux_raw_sys::general::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: the vDSO's clock_gettime writes one struct timespec.
    assert_eq!(unsafe { gettime(Clock::MONOTONIC.raw(), &mut ts) }, 0);
    let b = Timespec::from_old(&ts).expect("valid timespec");
    let c = time::clock_gettime(Clock::MONOTONIC).expect("clock");
    assert!(a <= b && b <= c, "{} {} {}", a, b, c);

    let a = time::clock_gettime_syscall(Clock::REALTIME).expect("clock");
    let mut tv = linux_raw_sys::general::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    // SAFETY: the vDSO's gettimeofday writes one struct timeval; the timezone may be null.
    assert_eq!(unsafe { gettimeofday(&mut tv, core::ptr::null_mut()) }, 0);
    let us = tv.tv_sec as i128 * 1_000_000 + tv.tv_usec as i128;
    assert!(
        (us - ns(a) / 1000).abs() < 1000,
        "gettimeofday {} vs {}",
        us,
        a
    );

    let mut t32: i32 = 0;
    // SAFETY: the vDSO's time writes one 32-bit time_t when the pointer is non-null.
    let r = unsafe { vtime(&mut t32) };
    assert_eq!(r, t32);
    assert!((r as i64 - time::time().expect("time")).abs() <= 1);

    for clock in CLOCKS {
        let mut ts = linux_raw_sys::general::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: the vDSO's clock_getres writes one struct timespec.
        assert_eq!(unsafe { getres(clock.raw(), &mut ts) }, 0);
        assert_eq!(
            Timespec::from_old(&ts),
            time::clock_getres_syscall(clock).ok()
        );
    }
}

/// clock_getres agrees with the syscall; CPU-time clocks (which the vDSO hands to the
/// kernel) work; an invalid clock is EINVAL on every path.
fn getres_cputime_and_errors() {
    for clock in CLOCKS {
        let r = time::clock_getres(clock).expect("getres");
        assert_eq!(Ok(r), time::clock_getres_syscall(clock));
        assert!(r.sec == 0 && r.nsec > 0 && r.nsec <= 10_000_000, "{}", r);
    }
    let coarse = time::clock_getres(Clock::MONOTONIC_COARSE).expect("getres");
    assert!(coarse >= time::clock_getres(Clock::MONOTONIC).expect("getres"));
    // Burn a little CPU so the process CPU clock is visibly non-zero.
    let mut x = 0u32;
    for i in 0..200_000u32 {
        x = core::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
    }
    let cpu = time::clock_gettime(Clock::PROCESS_CPUTIME_ID).expect("cputime");
    let cpu2 = time::clock_gettime_syscall(Clock::PROCESS_CPUTIME_ID).expect("cputime");
    assert!(ns(cpu) > 0 && cpu <= cpu2);
    let bad = Clock::from_raw(9999);
    assert_eq!(time::clock_gettime(bad), Err(Errno::EINVAL));
    assert_eq!(time::clock_gettime_syscall(bad), Err(Errno::EINVAL));
    assert_eq!(time::clock_getres(bad), Err(Errno::EINVAL));
    assert_eq!(time::clock_getres_syscall(bad), Err(Errno::EINVAL));
}

/// gettimeofday and time fall between two CLOCK_REALTIME syscalls.
fn gettimeofday_and_time_bracketed() {
    let a = time::clock_gettime_syscall(Clock::REALTIME).expect("clock");
    let tv = time::gettimeofday().expect("gettimeofday");
    let t = time::time().expect("time");
    let b = time::clock_gettime_syscall(Clock::REALTIME).expect("clock");
    let us = tv.sec as i128 * 1_000_000 + tv.usec as i128;
    assert!(
        ns(a) / 1000 <= us && us <= ns(b) / 1000,
        "{:?} not in [{}, {}]",
        tv,
        a,
        b
    );
    assert!(a.sec <= t && t <= b.sec);
    assert!(tv.usec < 1_000_000);
    // Not 1970 and not wrapped: seconds are 64-bit and positive.
    assert!(t > 1_600_000_000, "time() = {}", t);
}

// ---------------------------------------------------------------------------------------
// The examples

/// vdso-dump writes the exact image: in its own process it compares with the [vdso] range
/// of /proc/self/mem (--verify), and the file equals this process's image (the kernel maps
/// the same vDSO pages into every process).
fn vdso_dump_example() {
    let file = temp_path("dump");
    unlink(&file);
    let out = run_example("vdso-dump", &[c"--verify", &file]);
    let written = fs::read(&file);
    unlink(&file);
    if without_vdso() {
        assert_says_no_vdso(&out);
        assert_eq!(written.err(), Some(Errno::ENOENT), "no file without a vDSO");
        return;
    }
    assert_eq!(
        out.status,
        WaitStatus::Exited(0),
        "stderr: {}",
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("verified: identical to [vdso] "),
        "{}",
        stdout
    );
    let v = vdso::running().expect("vDSO");
    assert!(
        stdout.contains(&alloc::format!(
            "{} bytes, {} pages",
            v.image().len(),
            v.image().len() / 4096
        )),
        "{}",
        stdout
    );
    assert!(written.expect("dump file") == v.image());
    // An unwritable destination is a clear error, not a crash.
    let out = run_example("vdso-dump", &[c"/nonexistent-dir/x"]);
    assert_eq!(out.status, WaitStatus::Exited(1));
    assert!(
        text(&out.stderr).contains("No such file or directory"),
        "{}",
        text(&out.stderr)
    );
}

/// vdso-syms lists every symbol of the table with the value, size and version the reader
/// finds (the line-for-line objdump comparison is in tests/sh/vdso.sh).
fn vdso_syms_example() {
    let out = run_example("vdso-syms", &[]);
    if without_vdso() {
        assert_says_no_vdso(&out);
        assert!(out.stdout.is_empty());
        return;
    }
    assert_eq!(
        out.status,
        WaitStatus::Exited(0),
        "stderr: {}",
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "\nlinux-gate.dso.1:     file format elf32-i386\n\nDYNAMIC SYMBOL TABLE:\n"
        )
    );
    let v = vdso::running().expect("vDSO");
    let lines: Vec<&str> = stdout.lines().skip(4).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), v.dynamic().len() - 1);
    for (name, version) in EXPECTED {
        let addr = v.lookup(name, version).expect("found");
        let (_, sym) = v
            .dynamic()
            .lookup(name.as_bytes(), Some(version.as_bytes()))
            .expect("found");
        let want = alloc::format!(
            "{:08x} g    DF .text\t{:08x}  {:<11} {}",
            v.vaddr_of(addr),
            sym.st_size,
            version,
            name
        );
        assert!(
            lines.contains(&want.as_str()),
            "missing {:?} in\n{}",
            want,
            stdout
        );
    }
}

/// vsyscall-info: AT_SYSINFO and the lookup agree, the offset is this process's offset too,
/// and the decoded entry instruction is one of the three.
fn vsyscall_info_example() {
    let out = run_example("vsyscall-info", &[]);
    if without_vdso() {
        assert_says_no_vdso(&out);
        return;
    }
    assert_eq!(
        out.status,
        WaitStatus::Exited(0),
        "stderr: {}",
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    let v = vdso::running().expect("vDSO");
    let off = vdso::lookup("__kernel_vsyscall", LINUX_2_5).expect("found") - v.base();
    assert!(
        stdout.contains("agree:                               yes\n"),
        "{}",
        stdout
    );
    assert!(
        stdout.contains(&alloc::format!(" + {:#x})\n", off)),
        "{}",
        stdout
    );
    // Its byte line is this process's __kernel_vsyscall (same pages in every process).
    let (_, sym) = v
        .dynamic()
        .lookup(b"__kernel_vsyscall", Some(b"LINUX_2.5"))
        .expect("found");
    let bytes: Vec<String> = v.image()[off..off + sym.st_size as usize]
        .iter()
        .map(|b| alloc::format!("{:02x}", b))
        .collect();
    let want = alloc::format!("bytes:                               {}\n", bytes.join(" "));
    assert!(stdout.contains(&want), "{}", stdout);
    let entry = stdout
        .lines()
        .find_map(|l| l.strip_prefix("entry instruction:                   "))
        .expect("entry line");
    let seq = v.image()[off..off + sym.st_size as usize].windows(2);
    let expected = if seq.clone().any(|w| w == [0x0f, 0x34]) {
        "sysenter"
    } else if seq.clone().any(|w| w == [0x0f, 0x05]) {
        "syscall"
    } else {
        "int $0x80"
    };
    assert!(entry.starts_with(expected), "{} vs {}", entry, expected);
}

/// maps prints [vvar], [vdso] and [stack] lines; its [vdso] is as large as our image, and
/// over three runs the address moves (ASLR: 1 in 65,536 odds of a false failure).
fn maps_example() {
    let mut seen = Vec::new();
    for _ in 0..3 {
        let out = run_example("maps", &[]);
        if without_vdso() {
            assert_says_no_vdso(&out);
            assert!(text(&out.stdout).contains("[stack]"));
            return;
        }
        assert_eq!(
            out.status,
            WaitStatus::Exited(0),
            "stderr: {}",
            text(&out.stderr)
        );
        let stdout = text(&out.stdout);
        let vdso_line = stdout
            .lines()
            .find(|l| l.ends_with(" [vdso]"))
            .expect("[vdso] line");
        assert!(stdout.lines().any(|l| l.ends_with(" [stack]")));
        assert!(stdout.lines().any(|l| l.ends_with(" [vvar]")));
        assert!(vdso_line.contains(" r-xp "), "{}", vdso_line);
        let range = vdso_line.split(' ').next().expect("range");
        let (a, b) = range.split_once('-').expect("a-b");
        let a = usize::from_str_radix(a, 16).expect("hex");
        let b = usize::from_str_radix(b, 16).expect("hex");
        assert_eq!(b - a, vdso::running().expect("vDSO").image().len());
        seen.push(a);
    }
    assert!(
        seen.iter().any(|&a| a != seen[0]),
        "[vdso] at {:x?} in three runs: not randomised?",
        seen
    );
}

static ALARMS: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

fn count_alarm(_: Signal) {
    ALARMS.fetch_add(1, core::sync::atomic::Ordering::SeqCst);
}

/// `time::sleep(d)` with SIGALRM every 10 ms (a handler, no `SA_RESTART`): the handler runs
/// during the sleep, and the sleep still lasts at least `d` by the monotonic clock. Returns
/// how many alarms arrived and how long the sleep took.
fn sleep_through_alarms(d: core::time::Duration) -> (usize, i128) {
    use linux_gate::signal::{self, Action, Flags, SigSet};
    signal::set_action(
        signal::SIGALRM,
        Action::Handler(count_alarm),
        Flags::empty(),
        SigSet::EMPTY,
    )
    .expect("sigaction");
    signal::set_timer(10_000, 10_000).expect("setitimer");
    let before = time::clock_gettime(Clock::MONOTONIC).expect("clock");
    time::sleep(d);
    let after = time::clock_gettime(Clock::MONOTONIC).expect("clock");
    signal::set_timer(0, 0).expect("setitimer off");
    let alarms = ALARMS.load(core::sync::atomic::Ordering::SeqCst);
    (alarms, ns(after) - ns(before))
}

/// A 150 ms sleep interrupted every 10 ms lasts at least 150 ms (std's `thread::sleep`
/// rule), and the interruptions really happened. Also: a zero sleep returns at once.
fn sleep_lasts_its_duration_through_signals() {
    let d = core::time::Duration::from_millis(150);
    let (alarms, took) = sleep_through_alarms(d);
    assert!(alarms >= 3, "{alarms} alarms during the sleep");
    assert!(took >= 150_000_000, "slept {took} ns");
    assert!(took < 5_000_000_000, "slept {took} ns");
    let before = time::clock_gettime(Clock::MONOTONIC).expect("clock");
    time::sleep(core::time::Duration::ZERO);
    let after = time::clock_gettime(Clock::MONOTONIC).expect("clock");
    assert!(ns(after) - ns(before) < 100_000_000);
}

/// In a child under [`deny_time64_syscalls`]: `clock_nanosleep_time64` fails with ENOSYS,
/// so the sleep goes through `nanosleep`, and still lasts its duration through signals.
fn fallback_of_sleep() {
    deny_time64_syscalls();
    let (alarms, took) = sleep_through_alarms(core::time::Duration::from_millis(150));
    assert!(alarms >= 3, "{alarms} alarms during the sleep");
    assert!(took >= 150_000_000, "slept {took} ns");
}
