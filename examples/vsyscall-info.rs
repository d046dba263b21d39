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
//!
//! `vsyscall-info --decode ADDR HEXBYTE...` lists bytes given on the command line instead,
//! e.g. the 2005 article's `__kernel_vsyscall` with its restart `jmp`:
//!
//! ```text
//! $ vsyscall-info --decode ffffe400 51 52 55 89 e5 0f 34 90 90 90 90 90 90 90 eb f3 5d 5a 59 c3
//! ffffe400:  51                     push   %ecx
//!      …
//! ffffe40e:  eb f3                  jmp    ffffe403
//!      …
//! entry instruction:                   sysenter (0f 34: Intel's SYSENTER)
//! ```
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use linux_gate::vdso::{self, LINUX_2_5};
use linux_gate::{auxv, eprintln, println};

linux_gate::entry!(main);

const REGS: [&str; 8] = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];

/// One decoded instruction at address `at`: its length and AT&T text. Knows exactly the
/// instructions `__kernel_vsyscall` has been made of since 2005, and nothing else.
fn decode(b: &[u8], at: u32) -> Option<(usize, String)> {
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
        // The multi-byte NOPs the kernel pads an unpatched alternative with (a CPU with
        // neither SYSENTER nor SYSCALL keeps the padding, then `int $0x80`).
        [0x0f, 0x1f, 0x00, ..] => (3, "nopl   (%eax)".into()),
        [0x0f, 0x1f, 0x40, 0x00, ..] => (4, "nopl   0x0(%eax)".into()),
        [0x0f, 0x1f, 0x44, 0x00, 0x00, ..] => (5, "nopl   0x0(%eax,%eax,1)".into()),
        [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00, ..] => (6, "nopw   0x0(%eax,%eax,1)".into()),
        [0x0f, 0x34, ..] => (2, "sysenter".into()),
        [0x0f, 0x05, ..] => (2, "syscall".into()),
        [0xcd, n, ..] => (2, alloc::format!("int    $0x{:x}", n)),
        // 2005's restart trick: `jmp` back to `mov %esp,%ebp` (a signed 8-bit offset from
        // the next instruction).
        [0xeb, rel, ..] => {
            let to = at.wrapping_add(2).wrapping_add(rel as i8 as u32);
            (2, alloc::format!("jmp    {:x}", to))
        }
        [0xc3, ..] => (1, "ret".into()),
        _ => return None,
    })
}

/// Prints `code` (loaded at `vaddr`) in `objdump -d`'s layout and returns the entry
/// instruction: the first `sysenter` or `syscall`, else `int $0x80`.
fn listing(code: &[u8], vaddr: u32) -> Option<&'static str> {
    let (mut fast, mut int80) = (None, None);
    let mut at = 0;
    while at < code.len() {
        let addr = vaddr.wrapping_add(at as u32);
        let Some((len, text)) = decode(&code[at..], addr) else {
            println!("{:>8x}:\t(not decoded further)", addr);
            break;
        };
        let bytes: String = code[at..at + len]
            .iter()
            .map(|b| alloc::format!("{:02x} ", b))
            .collect();
        println!("{:>8x}:\t{:<21}\t{}", addr, bytes, text);
        match code[at..at + len] {
            [0x0f, 0x34] if fast.is_none() => fast = Some("sysenter (0f 34: Intel's SYSENTER)"),
            [0x0f, 0x05] if fast.is_none() => fast = Some("syscall (0f 05: AMD's SYSCALL)"),
            [0xcd, 0x80] if int80.is_none() => {
                int80 = Some("int $0x80 (cd 80: the software interrupt; no fast path)")
            }
            _ => {}
        }
        at += len;
    }
    fast.or(int80)
}

fn print_entry(entry: Option<&str>) {
    println!(
        "entry instruction:                   {}",
        entry.unwrap_or("unknown (no sysenter, syscall or int $0x80 decoded)")
    );
}

/// `vsyscall-info --decode ADDR HEX...`: disassemble bytes given on the command line, e.g.
/// the 2005 article's `__kernel_vsyscall` (`--decode ffffe400 51 52 55 89 e5 0f 34 90 …`).
fn decode_args(args: &[&[u8]]) -> i32 {
    let parse = |a: &[u8]| {
        core::str::from_utf8(a)
            .ok()
            .and_then(|s| u32::from_str_radix(s.trim_start_matches("0x"), 16).ok())
    };
    let Some((addr, hex)) = args.split_first() else {
        eprintln!("usage: vsyscall-info --decode ADDR HEXBYTE...");
        return 2;
    };
    let Some(vaddr) = parse(addr) else {
        eprintln!(
            "vsyscall-info: not a hex address: {}",
            String::from_utf8_lossy(addr)
        );
        return 2;
    };
    let mut code = Vec::new();
    for h in hex {
        match parse(h).and_then(|b| u8::try_from(b).ok()) {
            Some(b) => code.push(b),
            None => {
                eprintln!(
                    "vsyscall-info: not a hex byte: {}",
                    String::from_utf8_lossy(h)
                );
                return 2;
            }
        }
    }
    let entry = listing(&code, vaddr);
    print_entry(entry);
    if entry.is_some() { 0 } else { 1 }
}

fn main() -> i32 {
    let args: Vec<&[u8]> = linux_gate::env::args_bytes().collect();
    if args.get(1) == Some(&b"--decode".as_slice()) {
        return decode_args(&args[2..]);
    }
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

    let entry = listing(code, vaddr as u32);
    print_entry(entry);
    if agree && entry.is_some() { 0 } else { 1 }
}
