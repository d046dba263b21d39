//! Prints this process's `[vdso]`, `[vvar]` and `[stack]` lines from `/proc/self/maps`.
//! Run it twice: the addresses move (address-space layout randomisation), which is why the
//! 2005 article's fixed `0xffffe000` no longer holds — the 2010 article's point.
//!
//! ```text
//! $ maps
//! f7f2c000-f7f30000 r--p 00000000 00:00 0                                  [vvar]
//! f7f30000-f7f32000 r-xp 00000000 00:00 0                                  [vdso]
//! ffd0e000-ffd2f000 rw-p 00000000 00:00 0                                  [stack]
//! ```
//!
//! Without a `[vdso]` line (qemu-i386 7.2, valgrind) it prints what it found, says so on
//! stderr and exits with status 1.
#![no_std]
#![no_main]

use linux_gate::{eprintln, fs, println};

linux_gate::entry!(main);

fn main() -> i32 {
    let maps = match fs::read(c"/proc/self/maps") {
        Ok(m) => m,
        Err(e) => {
            eprintln!("maps: /proc/self/maps: {}", e);
            return 1;
        }
    };
    let mut vdso = false;
    for line in maps.split(|&b| b == b'\n') {
        let name = line.split(|&b| b == b' ').next_back().unwrap_or(b"");
        // [vvar], and on Linux >= 6.13 also [vvar_vclock].
        if name == b"[vdso]" || name.starts_with(b"[vvar") || name == b"[stack]" {
            println!("{}", line.escape_ascii());
            vdso |= name == b"[vdso]";
        }
    }
    if !vdso {
        eprintln!("maps: no [vdso] mapping: this process has no vDSO (qemu-i386, valgrind?)");
        return 1;
    }
    0
}
