//! Prints this process's initial stack — what the kernel put below `esp` before `_start` —
//! as a labelled map, lowest address (where `esp` pointed) first:
//!
//! ```text
//! 0xffb8e6f0  argc       1                                   <- esp at _start
//! 0xffb8e6f4  argv[0]    0xffb8ffd6 "./stack"
//! 0xffb8e6f8  argv[1]    NULL
//! 0xffb8e6fc  envp[0]    0xffb8ffde "HOME=/root"
//! …
//! 0xffb8e770  auxv[0]    AT_SYSINFO:           0xf7f1b570
//! …
//! 0xffb8e860  auxv[21]   AT_NULL
//! 0xffb8e87b  AT_RANDOM  16 bytes: 5c 1e 0a …
//! 0xffb8e88b  AT_PLATFORM "i686"
//! 0xffb8ffee  AT_EXECFN  "./stack"
//! /proc/self/auxv: 22 pairs, identical
//! ```
//!
//! auxv values are shown as glibc's `LD_SHOW_AUXV=1` shows them (see the `auxv` example).
//! The last line compares the vector on the stack with the kernel's copy in
//! `/proc/self/auxv`; the exit status is 1 if they differ. The map is the whole stack
//! below the strings; the argv/envp/platform strings themselves sit higher up.
#![no_std]
#![no_main]

extern crate alloc;

use core::ffi::CStr;
use core::fmt::{self, Display};
use linux_gate::auxv;
use linux_gate::{fs, print, println, stack};
use linux_gate_gnu::auxv::{self as gnu_auxv, Form};

linux_gate::entry!(main);

/// A byte string shown as a quoted, escaped literal.
struct Quoted<'a>(&'a [u8]);

impl Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for &b in self.0 {
            write!(f, "{}", core::ascii::escape_default(b))?;
        }
        f.write_str("\"")
    }
}

/// The C string at `p`.
///
/// # Safety
/// `p` must point at a NUL-terminated string that lives for the whole process.
unsafe fn c_str(p: usize) -> &'static [u8] {
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(p as *const core::ffi::c_char) }.to_bytes()
}

/// One array of string pointers (argv or envp), then its NULL.
fn strings(name: &str, arr: *const *const u8, len: usize) {
    for i in 0..=len {
        // SAFETY: `arr` has `len` pointers and a NULL, all on the initial stack.
        let (slot, p) = unsafe { (arr.add(i), *arr.add(i)) };
        if p.is_null() {
            println!("{:#010x}  {:<10} NULL", slot as usize, Slot(name, i));
        } else {
            // SAFETY: a non-NULL entry points at a NUL-terminated string on the stack.
            let s = unsafe { c_str(p as usize) };
            println!(
                "{:#010x}  {:<10} {:#010x} {}",
                slot as usize,
                Slot(name, i),
                p as usize,
                Quoted(s)
            );
        }
    }
}

/// `argv[3]`-style slot names, padded by the caller.
struct Slot<'a>(&'a str, usize);

impl Display for Slot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 16];
        let mut w = Buf(&mut buf, 0);
        let _ = fmt::write(&mut w, format_args!("{}[{}]", self.0, self.1));
        let n = w.1;
        f.pad(core::str::from_utf8(&buf[..n]).unwrap_or("?"))
    }
}

/// A tiny fixed buffer for [`Slot`]'s padding.
struct Buf<'a>(&'a mut [u8], usize);

impl fmt::Write for Buf<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let n = s.len().min(self.0.len() - self.1);
        self.0[self.1..self.1 + n].copy_from_slice(&s.as_bytes()[..n]);
        self.1 += n;
        Ok(())
    }
}

/// An auxv value in the form `LD_SHOW_AUXV` uses for its key.
fn show_aux(key: usize, value: usize) {
    let (Some(name), Some(form)) = (gnu_auxv::name(key), gnu_auxv::form(key)) else {
        println!("AT_??? (0x{:x}): 0x{:x}", key, value);
        return;
    };
    let label = gnu_auxv::Label(name);
    match form {
        Form::Dec => println!("{}{}", label, value),
        Form::Hex => println!("{}0x{:x}", label, value),
        Form::HexBare => println!("{}{:x}", label, value),
        Form::HwcapNames => {
            print!("AT_HWCAP:   ");
            for n in gnu_auxv::hwcap_names(value) {
                print!(" {}", n);
            }
            println!();
        }
        Form::Str => {
            print!("{}", label);
            // SAFETY: for string keys the kernel's value points at a string on the stack.
            let _ = linux_gate::io::stdout_write(unsafe { c_str(value) });
            println!();
        }
    }
}

fn main() -> i32 {
    let sp = stack::initial_sp();
    let layout = stack::Layout {
        argc: stack::argc(),
        argv: stack::argv_ptr(),
        envp: stack::envp_ptr(),
        envc: stack::envc(),
        auxv: stack::auxv_ptr(),
    };
    println!(
        "{:#010x}  {:<10} {:<35} <- esp at _start",
        sp, "argc", layout.argc
    );
    strings("argv", layout.argv, layout.argc);
    strings("envp", layout.envp, layout.envc);

    let mut pairs = 0;
    for (i, e) in auxv::entries().enumerate() {
        // SAFETY: entry `i` is a pair of words of the auxv on the initial stack.
        let slot = unsafe { layout.auxv.add(2 * i) } as usize;
        print!("{:#010x}  {:<10} ", slot, Slot("auxv", i));
        show_aux(e.key, e.value);
        pairs = i + 1;
    }
    // SAFETY: the AT_NULL pair follows the last entry.
    let end = unsafe { layout.auxv.add(2 * pairs) } as usize;
    println!("{:#010x}  {:<10} AT_NULL", end, Slot("auxv", pairs));

    if let Some(p) = auxv::getauxval(auxv::AT_RANDOM) {
        // SAFETY: AT_RANDOM points at 16 bytes the kernel put on the stack.
        let bytes = unsafe { core::slice::from_raw_parts(p as *const u8, 16) };
        print!("{:#010x}  {:<10} 16 bytes:", p, "AT_RANDOM");
        for b in bytes {
            print!(" {:02x}", b);
        }
        println!();
    }
    for (key, label) in [
        (auxv::AT_PLATFORM, "AT_PLATFORM"),
        (auxv::AT_EXECFN, "AT_EXECFN"),
    ] {
        if let Some(p) = auxv::getauxval(key) {
            // SAFETY: both keys point at NUL-terminated strings on the stack.
            println!("{:#010x}  {:<10} {}", p, label, Quoted(unsafe { c_str(p) }));
        }
    }
    compare_proc(layout.auxv, pairs)
}

/// Compares the auxv on the stack, AT_NULL included, with the kernel's `/proc/self/auxv`.
fn compare_proc(auxv: *const usize, pairs: usize) -> i32 {
    let proc = match fs::read(c"/proc/self/auxv") {
        Ok(b) => b,
        Err(e) => {
            linux_gate::eprintln!("stack: /proc/self/auxv: cannot read: {}", e);
            return 1;
        }
    };
    // SAFETY: `pairs` entries and the AT_NULL pair are on the initial stack.
    let words = unsafe { core::slice::from_raw_parts(auxv, 2 * (pairs + 1)) };
    let ours = words.iter().flat_map(|w| w.to_ne_bytes());
    // A 64-bit kernel keeps a 32-bit process's auxv in an array of 64-bit words and stops
    // at the first all-zero 64-bit word, so the file may end with a few zero words more.
    let (head, tail) = proc.split_at(proc.len().min(words.len() * 4));
    if head.len() == words.len() * 4
        && ours.eq(head.iter().copied())
        && tail.iter().all(|&b| b == 0)
    {
        println!("/proc/self/auxv: {} pairs, identical", pairs + 1);
        0
    } else {
        println!(
            "/proc/self/auxv: {} bytes, DIFFERENT from the stack",
            proc.len()
        );
        1
    }
}
