//! Writes the running vDSO (`linux-gate.so.1`) to a file, so that `file`, `objdump` and
//! `readelf` can take it apart — the seed article's `dd if=/proc/self/mem …` extraction,
//! done from `AT_SYSINFO_EHDR` and the image's own headers instead of `/proc`.
//!
//! ```text
//! $ vdso-dump [--verify] [FILE]        # FILE defaults to linux-gate.dso.1
//! linux-gate.so.1 mapped at 0xf7f30000 (AT_SYSINFO_EHDR): 8192 bytes, 2 pages
//! wrote 8192 bytes to linux-gate.dso.1
//! ```
//!
//! `--verify` also reads the `[vdso]` range of `/proc/self/maps` through `/proc/self/mem`
//! in this same process and compares (exit status 1 if they differ). Without a vDSO
//! (qemu-i386 7.2, valgrind) it says so on stderr and exits with status 1.
#![no_std]
#![no_main]

use core::ffi::CStr;
use linux_gate::fs::{File, Mode, OFlags};
use linux_gate::vdso;
use linux_gate::{env, eprintln, println};
use linux_gate_testkit::proc;

linux_gate::entry!(main);

fn main() -> i32 {
    let mut verify = false;
    let mut path: &CStr = c"linux-gate.dso.1";
    for arg in env::args().skip(1) {
        match arg.to_bytes() {
            b"--verify" => verify = true,
            b"-h" | b"--help" => {
                println!("usage: vdso-dump [--verify] [FILE]   (FILE: linux-gate.dso.1)");
                return 0;
            }
            _ => path = arg,
        }
    }
    let v = match vdso::running_or_error() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("vdso-dump: {}", e);
            return 1;
        }
    };
    let image = v.image();
    println!(
        "linux-gate.so.1 mapped at {:#x} (AT_SYSINFO_EHDR): {} bytes, {} pages",
        v.base(),
        image.len(),
        image.len() / 4096
    );
    let written = File::open(
        path,
        OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC,
        Mode::from_octal(0o644),
    )
    .and_then(|f| f.write_all(image));
    if let Err(e) = written {
        eprintln!("vdso-dump: {}: {}", path.to_bytes().escape_ascii(), e);
        return 1;
    }
    println!(
        "wrote {} bytes to {}",
        image.len(),
        path.to_bytes().escape_ascii()
    );
    if verify {
        return check_against_proc(image);
    }
    0
}

/// Compares the image with the `[vdso]` range as the kernel reports and serves it.
fn check_against_proc(image: &[u8]) -> i32 {
    let (start, end) = match proc::maps_range("[vdso]") {
        Ok(Some(r)) => r,
        Ok(None) => {
            eprintln!("vdso-dump: no [vdso] line in /proc/self/maps");
            return 1;
        }
        Err(e) => {
            eprintln!("vdso-dump: /proc/self/maps: {}", e);
            return 1;
        }
    };
    let mem = match proc::read_self_mem(start, end - start) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("vdso-dump: /proc/self/mem: {}", e);
            return 1;
        }
    };
    if mem == image && start == image.as_ptr() as usize {
        println!(
            "verified: identical to [vdso] {:x}-{:x} read from /proc/self/mem",
            start, end
        );
        0
    } else {
        eprintln!(
            "vdso-dump: MISMATCH: [vdso] {:x}-{:x} ({} bytes) vs image at {:#x} ({} bytes)",
            start,
            end,
            mem.len(),
            image.as_ptr() as usize,
            image.len()
        );
        1
    }
}
