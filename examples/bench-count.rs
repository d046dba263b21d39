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
//! * `nothing` — an empty loop of N (the counting overhead's floor);
//! * `typed-X` / `raw-X` for X in `getppid`, `write`, `seek`, `fstat` — a typed wrapper
//!   (`id::getppid`, `io::write` of 0 bytes to stdout, `io::seek(stdin, Current(0))`,
//!   `fs::fstat(stdin)`) next to the same system call made with `syscall::syscallN`, so that
//!   the difference is what the typed layer costs.
#![no_std]
#![no_main]

extern crate alloc;

use linux_gate_testkit::bench as util;

use core::hint::black_box;
use linux_gate::syscall::{self, nr};
use linux_gate::time::{self, Clock};
use linux_gate::{auxv, env, eprintln, fd, fs, io, process};
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
        b"typed-getppid" => {
            for _ in 0..n {
                black_box(linux_gate::id::getppid());
            }
        }
        b"raw-getppid" => {
            for _ in 0..n {
                // SAFETY: getppid takes no arguments.
                black_box(unsafe { syscall::syscall0(nr::__NR_getppid) }.ok());
            }
        }
        b"typed-write" => {
            for _ in 0..n {
                let _ = black_box(io::write(fd::stdout(), black_box(&[])));
            }
        }
        b"raw-write" => {
            let buf: &[u8] = &[];
            for _ in 0..n {
                let b = black_box(buf);
                // SAFETY: a write of 0 bytes from a valid (empty) buffer.
                let _ = black_box(unsafe {
                    syscall::syscall3(nr::__NR_write, 1, b.as_ptr() as usize, b.len())
                });
            }
        }
        b"typed-seek" => {
            for _ in 0..n {
                let _ = black_box(io::seek(fd::stdin(), io::SeekFrom::Current(0)));
            }
        }
        b"raw-seek" => {
            for _ in 0..n {
                let mut pos: u64 = 0;
                // SAFETY: _llseek writes one 64-bit position to `pos`.
                let _ = black_box(unsafe {
                    syscall::syscall5(nr::__NR__llseek, 0, 0, 0, &mut pos as *mut u64 as usize, 1)
                });
                black_box(pos);
            }
        }
        b"typed-fstat" => {
            for _ in 0..n {
                let _ = black_box(fs::fstat(fd::stdin()));
            }
        }
        b"raw-fstat" => {
            for _ in 0..n {
                let mut st = core::mem::MaybeUninit::<linux_raw_sys::general::statx>::uninit();
                // SAFETY: statx writes one struct statx; the empty path is NUL-terminated.
                let _ = black_box(unsafe {
                    syscall::syscall5(
                        nr::__NR_statx,
                        0,
                        c"".as_ptr() as usize,
                        linux_raw_sys::general::AT_EMPTY_PATH as usize,
                        linux_raw_sys::general::STATX_BASIC_STATS as usize,
                        st.as_mut_ptr() as usize,
                    )
                });
                black_box(&st);
            }
        }
        b"nothing" => {
            for i in 0..n {
                black_box(i);
            }
        }
        _ => {
            eprintln!(
                "usage: bench-count getppid|asm-vsyscall|asm-int80|clock|clock-vdso|nothing|typed-X|raw-X N (X: getppid write seek fstat)"
            );
            return 2;
        }
    }
    0
}
