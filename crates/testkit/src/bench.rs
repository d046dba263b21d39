//! What the `bench-*` examples share: a monotonic clock in nanoseconds, medians, argument parsing, and the hand-written
//! `getppid` loops the runtime's syscall paths are measured against.
//!
//! Timing uses the runtime's own `time::clock_gettime(CLOCK_MONOTONIC)` — a vDSO call of
//! ~20 ns natively, a system call under qemu-i386 — read once before and once after a whole
//! run of calls, so its cost is spread over ≥ 1M iterations.

use core::arch::asm;
use linux_gate::syscall::nr;
use linux_gate::time::{self, Clock};
use linux_gate::{env, eprintln};

/// `n` × `getppid` by `mov eax, 64; call *entry` in asm: the reference for the vsyscall
/// path (`entry` = AT_SYSINFO).
pub fn ref_vsyscall(entry: usize, n: usize) {
    if n == 0 {
        return;
    }
    // SAFETY: `entry` is AT_SYSINFO, `__kernel_vsyscall`: it preserves every register but
    // eax and returns with `ret`; getppid has no arguments and no effects. It pushes onto
    // our stack, hence no `nostack`.
    unsafe {
        asm!(
            "2:",
            "mov eax, {nr}",
            "call {entry}",
            "dec {n}",
            "jnz 2b",
            nr = const nr::__NR_getppid,
            entry = in(reg) entry,
            n = inout(reg) n => _,
            out("eax") _,
        );
    }
}

/// `n` × `getppid` by a raw `mov eax, 64; int $0x80` in asm: the reference for the int80
/// path.
pub fn ref_int80(n: usize) {
    if n == 0 {
        return;
    }
    // SAFETY: int 0x80 changes only eax; getppid has no arguments and no effects.
    unsafe {
        asm!(
            "2:",
            "mov eax, {nr}",
            "int 0x80",
            "dec {n}",
            "jnz 2b",
            nr = const nr::__NR_getppid,
            n = inout(reg) n => _,
            out("eax") _,
            options(nostack),
        );
    }
}

/// Nanoseconds on `CLOCK_MONOTONIC`.
pub fn now_ns() -> u64 {
    match time::clock_gettime(Clock::MONOTONIC) {
        Ok(t) => t.sec as u64 * 1_000_000_000 + t.nsec as u64,
        Err(e) => {
            eprintln!("bench: clock_gettime(CLOCK_MONOTONIC): {}", e);
            linux_gate::exit(2)
        }
    }
}

/// Runs `f` once and returns the elapsed nanoseconds.
pub fn time_ns(f: impl FnOnce()) -> u64 {
    let t0 = now_ns();
    f();
    now_ns() - t0
}

/// The median of `v` (sorted in place); the mean of the middle two for an even length.
pub fn median(v: &mut [u64]) -> u64 {
    v.sort_unstable();
    let n = v.len();
    if n == 0 {
        0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

/// A per-call cost in tenths of a nanosecond: `total_ns * 10 / calls`.
pub fn per_call_dns(total_ns: u64, calls: u64) -> u64 {
    (total_ns * 10).checked_div(calls).unwrap_or(0)
}

/// `x / y` as a fixed-point value with three decimals, e.g. 1.004 → 1004.
pub fn ratio_milli(x: u64, y: u64) -> u64 {
    (x * 1000 + y / 2).checked_div(y).unwrap_or(0)
}

/// Formats tenths as `123.4`.
pub struct Tenths(pub u64);

impl core::fmt::Display for Tenths {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let s = alloc::format!("{}.{}", self.0 / 10, self.0 % 10);
        f.pad(&s)
    }
}

/// Formats thousandths as `1.004`.
pub struct Milli(pub u64);

impl core::fmt::Display for Milli {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let s = alloc::format!("{}.{:03}", self.0 / 1000, self.0 % 1000);
        f.pad(&s)
    }
}

/// Positional argument `i` (1-based) as a number, or `default`. Exits with status 2 and a
/// message on anything that is not a decimal number.
pub fn arg_u64(i: usize, default: u64) -> u64 {
    let Some(a) = env::args_bytes().nth(i) else {
        return default;
    };
    match core::str::from_utf8(a)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(n) => n,
        None => {
            eprintln!(
                "bench: argument {} is not a number: {}",
                i,
                a.escape_ascii()
            );
            linux_gate::exit(2)
        }
    }
}
