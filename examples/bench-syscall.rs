//! Syscall cost: `getppid` through the runtime against hand-written references, in one run.
//!
//! ```text
//! bench-syscall [CALLS [RUNS [INT80_CALLS]]]      defaults: 1000000 5 1000000
//! ```
//!
//! Four loops, each timed RUNS times (alternating with its reference, so drift on a shared
//! machine hits both alike), median reported in ns/call:
//!
//! * reference: `call *AT_SYSINFO` — a hand-written asm loop, `mov eax, 64; call *%reg`;
//! * runtime, vsyscall: `linux_gate::process::getppid()` as every program calls it, through
//!   `call dword ptr [linux_gate_syscall_entry]` set to AT_SYSINFO;
//! * reference: raw `int $0x80` in a hand-written asm loop;
//! * runtime, int80: the same `getppid()` after `set_entry(int80_entry())` — what
//!   `LINUX_GATE_SYSCALL=int80` selects and what runs where there is no vDSO.
//!
//! Without AT_SYSINFO (qemu-i386 7.2, valgrind) the vsyscall rows print `n/a`.
#![no_std]
#![no_main]

extern crate alloc;

use linux_gate_testkit::bench as util;

use core::hint::black_box;
use linux_gate::syscall;
use linux_gate::{auxv, println, process};
use util::{Milli, Tenths, median, per_call_dns, ratio_milli, ref_int80, ref_vsyscall, time_ns};

linux_gate::entry!(main);

/// `n` × the runtime's `getppid()`.
fn runtime_getppid(n: u64) {
    // A usize counter, as in the asm references (a u64 one costs add/adc/cmp/sbb per call).
    for _ in 0..n as usize {
        black_box(process::getppid());
    }
}

/// Median ns/call (in tenths) of `reference` and `runtime`, timed alternately `runs` times.
fn pair(runs: u64, calls: u64, reference: impl Fn(), runtime: impl Fn()) -> (u64, u64) {
    let mut r = alloc::vec::Vec::new();
    let mut t = alloc::vec::Vec::new();
    for i in 0..runs {
        if i % 2 == 0 {
            r.push(time_ns(&reference));
            t.push(time_ns(&runtime));
        } else {
            t.push(time_ns(&runtime));
            r.push(time_ns(&reference));
        }
    }
    (
        per_call_dns(median(&mut r), calls),
        per_call_dns(median(&mut t), calls),
    )
}

fn row(what: &str, dns: u64, ratio: Option<u64>) {
    match ratio {
        Some(m) => println!("{:<44} {:>10} {:>8}", what, Tenths(dns), Milli(m)),
        None => println!("{:<44} {:>10} {:>8}", what, Tenths(dns), ""),
    }
}

fn main() -> i32 {
    let calls = util::arg_u64(1, 1_000_000).max(1);
    let runs = util::arg_u64(2, 5).max(1);
    let int80_calls = util::arg_u64(3, 1_000_000).max(1);
    let sysinfo = auxv::getauxval(auxv::AT_SYSINFO).filter(|&a| a != 0);

    println!(
        "syscall cost: getppid, median of {} runs; vsyscall {} calls/run, int80 {} calls/run",
        runs, calls, int80_calls
    );
    println!("{:<44} {:>10} {:>8}", "path", "ns/call", "ratio");

    let mut vsys = None;
    match sysinfo {
        Some(at_sysinfo) if syscall::entry() == at_sysinfo => {
            let (r, t) = pair(
                runs,
                calls,
                || ref_vsyscall(at_sysinfo, calls as usize),
                || runtime_getppid(calls),
            );
            row("vsyscall  reference: call *AT_SYSINFO (asm)", r, None);
            row(
                "vsyscall  runtime: process::getppid()",
                t,
                Some(ratio_milli(t, r)),
            );
            vsys = Some(t);
        }
        Some(_) => {
            println!(
                "{:<44} {:>10}",
                "vsyscall  (LINUX_GATE_SYSCALL=int80 set)", "n/a"
            );
        }
        None => println!("{:<44} {:>10}", "vsyscall  (no AT_SYSINFO: no vDSO)", "n/a"),
    }

    let saved = syscall::entry();
    // SAFETY: int80_entry is always valid: every call then goes through the `int $0x80; ret` stub.
    unsafe { syscall::set_entry(syscall::int80_entry()) };
    let (r, t) = pair(
        runs,
        int80_calls,
        || ref_int80(int80_calls as usize),
        || runtime_getppid(int80_calls),
    );
    // SAFETY: restoring the entry `_start` chose.
    unsafe { syscall::set_entry(saved) };
    row("int80     reference: int $0x80 (asm)", r, None);
    row(
        "int80     runtime: process::getppid()",
        t,
        Some(ratio_milli(t, r)),
    );
    if let Some(v) = vsys {
        println!(
            "{:<44} {:>10} {:>8}",
            "vsyscall/int80 (runtime paths)",
            "",
            Milli(ratio_milli(v, t))
        );
    }
    0
}
