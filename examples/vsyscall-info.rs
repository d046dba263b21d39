//! Where `__kernel_vsyscall` is and which instruction it uses to enter the kernel.
//!
//! The kernel tells a program twice where its system-call entry is: `AT_SYSINFO` in the
//! auxiliary vector, and the vDSO's symbol `__kernel_vsyscall@LINUX_2.5`. This prints both
//! (they must agree; exit status 1 if not), the function's bytes, a disassembly of them, and
//! the entry instruction the kernel patched in at boot: `sysenter` (`0f 34`, Intel),
//! `syscall` (`0f 05`, AMD) or only `int $0x80` (`cd 80`).
//!
//! ```text
//! $ vsyscall-info
//! AT_SYSINFO:                          0xf7f305e0
//! lookup __kernel_vsyscall@LINUX_2.5:  0xf7f305e0 (vDSO base 0xf7f30000 + 0x5e0)
//! agree:                               yes
//! bytes:                               51 52 55 89 e5 0f 34 cd 80 5d 5a 59 c3
//!      5e0:  51                     push   %ecx
//!      …
//! entry instruction:                   sysenter (0f 34: Intel's SYSENTER)
//! ```
//!
//! The listing uses `objdump -d`'s layout (link-time addresses, AT&T syntax), so it can be
//! compared with `objdump -d linux-gate.dso.1`. Without a vDSO it says so and exits 1.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use linux_gate::vdso::{self, LINUX_2_5};
use linux_gate::{auxv, eprintln, println};

linux_gate::entry!(main);

const REGS: [&str; 8] = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];

/// One decoded instruction: its length and AT&T text.
fn decode(b: &[u8]) -> Option<(usize, String)> {
    let reg = |n: u8| REGS[(n & 7) as usize];
    let modrm_regs = |m: u8| (m >> 6 == 3).then(|| (reg(m >> 3), reg(m)));
    Some(match *b {
        [op @ 0x50..=0x57, ..] => (1, alloc::format!("push   %{}", reg(op))),
        [op @ 0x58..=0x5f, ..] => (1, alloc::format!("pop    %{}", reg(op))),
        [0x89, m, ..] => {
            let (r, rm) = modrm_regs(m)?;
            (2, alloc::format!("mov    %{},%{}", r, rm))
        }
        [0x8b, m, ..] => {
            let (r, rm) = modrm_regs(m)?;
            (2, alloc::format!("mov    %{},%{}", rm, r))
        }
        [0x90, ..] => (1, "nop".into()),
        [0x66, 0x90, ..] => (2, "xchg   %ax,%ax".into()),
        [0x0f, 0x34, ..] => (2, "sysenter".into()),
        [0x0f, 0x05, ..] => (2, "syscall".into()),
        [0xcd, n, ..] => (2, alloc::format!("int    $0x{:x}", n)),
        [0xc3, ..] => (1, "ret".into()),
        _ => return None,
    })
}

fn main() -> i32 {
    let v = match vdso::running_or_error() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("vsyscall-info: {}", e);
            return 1;
        }
    };
    let sysinfo = auxv::getauxval(auxv::AT_SYSINFO);
    let found = v.lookup("__kernel_vsyscall", LINUX_2_5);
    match sysinfo {
        Some(a) => println!("AT_SYSINFO:                          {:#x}", a),
        None => println!("AT_SYSINFO:                          (absent)"),
    }
    let Some(addr) = found else {
        eprintln!("vsyscall-info: __kernel_vsyscall@LINUX_2.5 not found in the vDSO");
        return 1;
    };
    let vaddr = v.vaddr_of(addr);
    println!(
        "lookup __kernel_vsyscall@LINUX_2.5:  {:#x} (vDSO base {:#x} + {:#x})",
        addr,
        v.base(),
        addr - v.base()
    );
    let agree = sysinfo == Some(addr);
    println!(
        "agree:                               {}",
        if agree { "yes" } else { "NO" }
    );

    // The function's bytes: its st_size, read from the image slice (bounds-checked).
    let size = v
        .dynamic()
        .lookup(b"__kernel_vsyscall", Some(LINUX_2_5.as_bytes()))
        .map_or(0, |(_, s)| s.st_size as usize)
        .min(64);
    let off = addr - v.base();
    let code = v.image().get(off..off + size).unwrap_or(&[]);
    let hex: Vec<String> = code.iter().map(|b| alloc::format!("{:02x}", b)).collect();
    println!("bytes:                               {}", hex.join(" "));

    let mut entry = None;
    let mut at = 0;
    while at < code.len() {
        let Some((len, text)) = decode(&code[at..]) else {
            println!("{:>8x}:\t(not decoded further)", vaddr as usize + at);
            break;
        };
        let bytes: String = code[at..at + len]
            .iter()
            .map(|b| alloc::format!("{:02x} ", b))
            .collect();
        println!("{:>8x}:\t{:<21}\t{}", vaddr as usize + at, bytes, text);
        if entry.is_none() && matches!(code[at..at + len], [0x0f, 0x34] | [0x0f, 0x05]) {
            entry = Some(text.clone());
        }
        if entry.is_none() && code[at..at + len] == [0xcd, 0x80] {
            entry = Some(text.clone());
        }
        at += len;
    }
    let what = match entry.as_deref() {
        Some("sysenter") => "sysenter (0f 34: Intel's SYSENTER)",
        Some("syscall") => "syscall (0f 05: AMD's SYSCALL)",
        Some("int    $0x80") => "int $0x80 (cd 80: the software interrupt; no fast path)",
        _ => "unknown (no sysenter, syscall or int $0x80 decoded)",
    };
    println!("entry instruction:                   {}", what);
    if agree && entry.is_some() { 0 } else { 1 }
}
