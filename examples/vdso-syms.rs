//! The running vDSO's dynamic symbol table, printed exactly as `objdump -T` prints it for
//! the file `vdso-dump` writes — so the two can be diffed:
//!
//! ```text
//! $ vdso-dump > /dev/null && diff <(vdso-syms) <(objdump -T linux-gate.dso.1) && echo same
//! same
//! ```
//!
//! `vdso-syms [NAME]`: NAME (default `linux-gate.dso.1`) is only used in objdump's
//! "NAME:     file format elf32-i386" header line. Each symbol line is
//! `VALUE FLAGS SECTION<TAB>SIZE  VERSION     NAME`: value and size in hex relative to the
//! image, binding `l`/`g`/`w`, `D` for dynamic (`d` for section symbols), `F` function or `O`
//! object, the section name from the image's section headers (`*ABS*`, `*UND*`), and the
//! version from versym/verdef (in parentheses when hidden). objdump skips symbol 0, and so
//! do we. Without a vDSO it says so on stderr and exits with status 1.
#![no_std]
#![no_main]

extern crate alloc;

use linux_gate::elf::{Dynamic, Sym, VERSYM_HIDDEN};
use linux_gate::vdso;
use linux_gate::{env, eprintln, print, println};
use linux_raw_sys::elf_uapi as abi;

linux_gate::entry!(main);

fn main() -> i32 {
    let name = env::args_bytes().nth(1).unwrap_or(b"linux-gate.dso.1");
    let v = match vdso::running_or_error() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("vdso-syms: {}", e);
            return 1;
        }
    };
    let d = v.dynamic();
    println!();
    println!("{}:     file format elf32-i386", name.escape_ascii());
    println!();
    println!("DYNAMIC SYMBOL TABLE:");
    for i in 1..d.len() {
        if let Some(sym) = d.symbol(i) {
            print_symbol(d, i, &sym);
        }
    }
    println!();
    println!();
    0
}

/// One line in binutils' `elf_print_symbol` (`bfd_print_symbol_all`) format.
fn print_symbol(d: &Dynamic<'_>, i: usize, sym: &Sym) {
    let bind = sym.bind() as u32;
    let kind = sym.kind() as u32;
    let shndx = sym.st_shndx as u32;
    let global = bind == abi::STB_GLOBAL && shndx != abi::SHN_UNDEF && shndx != abi::SHN_COMMON;
    let scope = match bind {
        abi::STB_LOCAL => 'l',
        _ if global => 'g',
        10 => 'u', // STB_GNU_UNIQUE
        _ => ' ',
    };
    let weak = if bind == abi::STB_WEAK { 'w' } else { ' ' };
    let ifunc = if kind == 10 { 'i' } else { ' ' }; // STT_GNU_IFUNC
    let debug = if kind == abi::STT_SECTION || kind == abi::STT_FILE {
        'd'
    } else {
        'D'
    };
    let what = match kind {
        abi::STT_FUNC => 'F',
        abi::STT_FILE => 'f',
        abi::STT_OBJECT | abi::STT_COMMON => 'O',
        _ => ' ',
    };
    let section: &[u8] = match shndx {
        abi::SHN_UNDEF => b"*UND*",
        abi::SHN_ABS => b"*ABS*",
        abi::SHN_COMMON => b"*COM*",
        n => d.elf().section_name(n as usize).unwrap_or(b"*ABS*"),
    };
    print!(
        "{:08x} {}{}  {}{}{} {}\t{:08x}",
        sym.st_value,
        scope,
        weak,
        ifunc,
        debug,
        what,
        section.escape_ascii(),
        sym.st_size
    );
    if let Some(vs) = d.versym(i) {
        let index = vs & !VERSYM_HIDDEN;
        let name: &[u8] = match index {
            0 => b"",
            1 if d
                .verdef(1)
                .is_none_or(|v| v.flags & abi::VER_FLG_BASE as u16 != 0) =>
            {
                b"Base"
            }
            n => d.verdef(n).map_or(b"".as_slice(), |v| v.name),
        };
        if vs & VERSYM_HIDDEN == 0 {
            print!("  {:<11}", alloc::format!("{}", name.escape_ascii()));
        } else {
            print!(" ({})", name.escape_ascii());
            for _ in name.len()..10 {
                print!(" ");
            }
        }
    }
    match sym.st_other {
        0 => {}
        1 => print!(" .internal"),
        2 => print!(" .hidden"),
        3 => print!(" .protected"),
        o => print!(" 0x{:02x}", o),
    }
    println!(" {}", d.name(sym).unwrap_or(b"").escape_ascii());
}
