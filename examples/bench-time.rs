//! Clock cost: `clock_gettime(CLOCK_MONOTONIC)` through the runtime against its references.
//!
//! ```text
//! bench-time [CALLS [RUNS [GLIBC_PROGRAM]]]      defaults: 1000000 5, no glibc program
//! ```
//!
//! Timed alternately RUNS times each, medians in ns/call:
//!
//! * runtime: `linux_gate::time::clock_gettime(Clock::MONOTONIC)` — what programs call;
//! * reference: `__vdso_clock_gettime64` called directly through its resolved pointer;
//! * `__vdso_clock_gettime` (32-bit seconds) called directly;
//! * the system call: `time::clock_gettime_syscall` (`clock_gettime64` through the
//!   runtime's syscall entry);
//! * glibc: GLIBC_PROGRAM (`bench/clock_glibc.c`, `gcc -m32 -static`) run as a child with
//!   `CALLS 1` once per run, between the others; it prints its own loop's nanoseconds.
//!
//! Without a vDSO (qemu-i386 7.2) the vDSO rows print `n/a` and the runtime takes the
//! system call.
#![no_std]
#![no_main]

extern crate alloc;

use linux_gate_testkit::bench as util;

use alloc::ffi::CString;
use alloc::vec::Vec;
use core::hint::black_box;
use linux_gate::time::{self, Clock};
use linux_gate::{env, eprintln, println};
use linux_gate_testkit as testing;
use linux_raw_sys::general::{__kernel_timespec, timespec};
use util::{Milli, Tenths, median, per_call_dns, ratio_milli, time_ns};

linux_gate::entry!(main);

const MONO: i32 = Clock::MONOTONIC.raw();

/// One run of the glibc program: its loop's nanoseconds, or `None` (with a message).
fn glibc_run(prog: &CString, calls: u64) -> Option<u64> {
    let calls_arg = CString::new(alloc::format!("{}", calls)).ok()?;
    let argv = [prog.as_c_str(), calls_arg.as_c_str(), c"1"];
    let out = testing::run_capture(prog, &argv, &testing::inherited_env(), b"");
    let text = core::str::from_utf8(&out.stdout).ok()?;
    match text.trim().parse::<u64>() {
        Ok(ns) if out.status.code() == 0 => Some(ns),
        _ => {
            eprintln!(
                "bench-time: {}: {:?}",
                prog.to_bytes().escape_ascii(),
                out.status
            );
            let _ = linux_gate::fd::stderr().write_all(&out.stderr);
            None
        }
    }
}

fn row(what: &str, dns: Option<u64>, vs: Option<u64>, reference: &str) {
    match (dns, vs) {
        (Some(d), Some(r)) => println!(
            "{:<46} {:>9} {:>7}  vs {}",
            what,
            Tenths(d),
            Milli(ratio_milli(d, r)),
            reference
        ),
        (Some(d), None) => println!("{:<46} {:>9}", what, Tenths(d)),
        (None, _) => println!("{:<46} {:>9}", what, "n/a"),
    }
}

fn main() -> i32 {
    let calls = util::arg_u64(1, 1_000_000).max(1);
    let runs = util::arg_u64(2, 5).max(1);
    let glibc = env::args_bytes().nth(3).and_then(|p| CString::new(p).ok());
    let fns = *time::vdso_fns();

    println!(
        "clock_gettime(CLOCK_MONOTONIC): median of {} runs x {} calls; runtime path: {}",
        runs,
        calls,
        time::path().name()
    );
    println!("{:<46} {:>9} {:>7}", "path", "ns/call", "ratio");

    let (mut rt, mut v64, mut v32, mut sys, mut gl) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut glibc_ok = glibc.is_some();
    for _ in 0..runs {
        rt.push(time_ns(|| {
            for _ in 0..calls as usize {
                let _ = black_box(time::clock_gettime(Clock::MONOTONIC));
            }
        }));
        if let Some(f) = fns.clock_gettime64 {
            v64.push(time_ns(|| {
                for _ in 0..calls as usize {
                    let mut ts = __kernel_timespec {
                        tv_sec: 0,
                        tv_nsec: 0,
                    };
                    // SAFETY: a resolved vDSO function with this prototype; it writes `ts`.
                    black_box(unsafe { f(MONO, &mut ts) });
                    black_box(&ts);
                }
            }));
        }
        if let Some(f) = fns.clock_gettime {
            v32.push(time_ns(|| {
                for _ in 0..calls as usize {
                    let mut ts = timespec {
                        tv_sec: 0,
                        tv_nsec: 0,
                    };
                    // SAFETY: as above, 32-bit struct timespec.
                    black_box(unsafe { f(MONO, &mut ts) });
                    black_box(&ts);
                }
            }));
        }
        sys.push(time_ns(|| {
            for _ in 0..calls as usize {
                let _ = black_box(time::clock_gettime_syscall(Clock::MONOTONIC));
            }
        }));
        if glibc_ok && let Some(prog) = &glibc {
            match glibc_run(prog, calls) {
                Some(ns) => gl.push(ns),
                None => glibc_ok = false,
            }
        }
    }
    let med = |v: &mut Vec<u64>| (!v.is_empty()).then(|| per_call_dns(median(v), calls));
    let (rt, v64, v32, sys) = (med(&mut rt), med(&mut v64), med(&mut v32), med(&mut sys));
    let gl = if glibc_ok { med(&mut gl) } else { None };

    row(
        "runtime: time::clock_gettime",
        rt,
        v64,
        "__vdso_clock_gettime64",
    );
    if let Some(g) = gl {
        row("", rt, Some(g), "glibc clock_gettime");
    }
    row("direct: __vdso_clock_gettime64(ptr)", v64, None, "");
    row("direct: __vdso_clock_gettime(ptr) (32-bit)", v32, None, "");
    row(
        "syscall: clock_gettime64 via runtime entry",
        sys,
        rt,
        "runtime",
    );
    match (&glibc, gl) {
        (_, Some(_)) => row("glibc 2.36 static: clock_gettime", gl, None, ""),
        (Some(_), None) => {
            // Its reason is on stderr; a reference that could not be measured fails the run.
            println!("{:<46} {:>9}", "glibc (program failed)", "n/a");
            return 1;
        }
        (None, None) => println!("{:<46} {:>9}", "glibc (no program given)", "n/a"),
    }
    0
}
