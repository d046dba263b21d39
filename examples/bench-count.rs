//! One loop, nothing else: the program `scripts/bench-count` runs under an instruction
//! counter (`bench/stepcount.c`, a ptrace single-stepper; or valgrind's callgrind) twice,
//! with two different N, so that the difference is the cost of N₂ − N₁ iterations alone —
//! start-up, exit and the counter's own edges cancel.
//!
//! ```text
//! bench-count WHAT N
//! ```
//!
//! WHAT is one of
//!
//! * `getppid` — `process::getppid()` as programs call it (through the runtime's entry:
//!   `__kernel_vsyscall`, or `int $0x80` with `LINUX_GATE_SYSCALL=int80` or no vDSO);
//! * `asm-vsyscall` — hand-written `mov eax, 64; call *AT_SYSINFO` (status 1 without one);
//! * `asm-int80` — hand-written `mov eax, 64; int $0x80`;
//! * `clock` — `time::clock_gettime(CLOCK_MONOTONIC)`;
//! * `clock-vdso` — `__vdso_clock_gettime64` called directly (status 1 without a vDSO);
//! * `nothing` — an empty loop of N (the counting overhead's floor).
#![no_std]
#![no_main]

extern crate alloc;

use linux_gate_testkit::bench as util;

use core::hint::black_box;
use linux_gate::time::{self, Clock};
use linux_gate::{auxv, env, eprintln, process};
use linux_raw_sys::general::__kernel_timespec;

linux_gate::entry!(main);

fn main() -> i32 {
    let what = env::args_bytes().nth(1).unwrap_or(b"");
    let n = util::arg_u64(2, 1000) as usize;
    match what {
        b"getppid" => {
            for _ in 0..n {
                black_box(process::getppid());
            }
        }
        b"asm-vsyscall" => {
            let Some(entry) = auxv::getauxval(auxv::AT_SYSINFO).filter(|&a| a != 0) else {
                eprintln!("bench-count: no AT_SYSINFO");
                return 1;
            };
            util::ref_vsyscall(entry, n);
        }
        b"asm-int80" => util::ref_int80(n),
        b"clock" => {
            for _ in 0..n {
                let _ = black_box(time::clock_gettime(Clock::MONOTONIC));
            }
        }
        b"clock-vdso" => {
            let Some(f) = time::vdso_clock_gettime64() else {
                eprintln!("bench-count: no vDSO");
                return 1;
            };
            for _ in 0..n {
                let mut ts = __kernel_timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                };
                // SAFETY: a resolved vDSO function with this prototype; it writes `ts`.
                black_box(unsafe { f(Clock::MONOTONIC.raw(), &mut ts) });
                black_box(&ts);
            }
        }
        b"nothing" => {
            for i in 0..n {
                black_box(i);
            }
        }
        _ => {
            eprintln!(
                "usage: bench-count getppid|asm-vsyscall|asm-int80|clock|clock-vdso|nothing N"
            );
            return 2;
        }
    }
    0
}
