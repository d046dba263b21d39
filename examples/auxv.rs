//! Prints the auxiliary vector exactly as glibc does for `LD_SHOW_AUXV=1`:
//!
//! ```text
//! AT_SYSINFO:           0xf7f2a570
//! AT_SYSINFO_EHDR:      0xf7f2a000
//! AT_HWCAP:    fpu vme de pse tsc msr pae mce cx8 apic sep …
//! AT_PAGESZ:            4096
//! …
//! AT_EXECFN:            /tmp/auxv
//! AT_PLATFORM:          i686
//! ```
//!
//! Names padded to 22 columns, addresses in hex, counts in decimal, strings for
//! AT_EXECFN/AT_PLATFORM, and `AT_??? (0xN): 0xV` for keys glibc does not know.
#![no_std]
#![no_main]

use core::ffi::CStr;
use linux_gate::auxv;
use linux_gate::fd;
use linux_gate::io;
use linux_gate_gnu::auxv::{self as gnu_auxv, Form};

linux_gate::entry!(main);

fn main() -> i32 {
    // AT_IGNORE/AT_IGNOREPPC entries are there to be skipped, and glibc prints nothing for them.
    for e in auxv::entries().filter(|e| gnu_auxv::shown_by_glibc(e.key)) {
        let r = match (gnu_auxv::name(e.key), gnu_auxv::form(e.key)) {
            (Some(name), Some(form)) => {
                let label = gnu_auxv::Label(name);
                match form {
                    Form::Dec => io::stdout_write_fmt(format_args!("{}{}\n", label, e.value)),
                    Form::Hex => io::stdout_write_fmt(format_args!("{}0x{:x}\n", label, e.value)),
                    Form::HexBare => io::stdout_write_fmt(format_args!("{}{:x}\n", label, e.value)),
                    Form::HwcapNames => {
                        let mut r = io::stdout_write(b"AT_HWCAP:   ");
                        for n in gnu_auxv::hwcap_names(e.value) {
                            r = r.and_then(|_| io::stdout_write_fmt(format_args!(" {}", n)));
                        }
                        r.and_then(|_| io::stdout_write(b"\n"))
                    }
                    Form::Str => {
                        // SAFETY: for these keys the kernel's value points at a NUL-terminated
                        // string on the initial stack.
                        let s = unsafe { CStr::from_ptr(e.value as *const core::ffi::c_char) };
                        io::stdout_write_fmt(format_args!("{}", label))
                            .and_then(|_| io::stdout_write(s.to_bytes()))
                            .and_then(|_| io::stdout_write(b"\n"))
                    }
                }
            }
            _ => io::stdout_write_fmt(format_args!("AT_??? (0x{:x}): 0x{:x}\n", e.key, e.value)),
        };
        if let Err(err) = r {
            let _ = fd::stderr().write_all(b"auxv: write error: ");
            let _ = fd::stderr().write_all(err.message().unwrap_or("?").as_bytes());
            let _ = fd::stderr().write_all(b"\n");
            return 1;
        }
    }
    0
}
