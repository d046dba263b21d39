//! Threads, timed: `bench-threads [SPAWNS [LOCKS [COUNT [RUNS]]]]` (defaults 2000,
//! 10000000, 1000000, 5) prints, as `name value` lines (medians of RUNS), what
//! `bench/threads_glibc.c` prints for glibc's pthreads — `scripts/bench threads` puts the
//! two side by side:
//!
//! * `spawn_join_ns`: one spawn + join of a thread that does nothing;
//! * `mutex_dns`: one uncontended `Mutex` lock + unlock, tenths of ns;
//! * `contended_ms`: 4 threads adding 1 to one counter under one `Mutex`, COUNT in all;
//! * `syscall_entry_dns` / `syscall_gs_dns`: `getppid` through the runtime's entry
//!   (`call dword ptr [linux_gate_syscall_entry]`) and through the
//!   TCB's copy of it, `call dword ptr gs:[0x10]`, glibc's way (tenths of ns).
#![no_std]
#![no_main]
#![feature(thread_local)]

extern crate alloc;

use linux_gate_testkit::bench as util;

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::hint::black_box;
use linux_gate::sync::Mutex;
use linux_gate::syscall::nr;
use linux_gate::{println, process, thread};
use util::{median, per_call_dns, time_ns};

linux_gate::entry!(main);
linux_gate::use_tls!();

/// What `scripts/bench threads` disassembles: a `#[thread_local]` read is one instruction,
/// `mov eax, gs:[OFFSET]` (OFFSET negative: variant II).
#[thread_local]
static TLS_WORD: core::cell::Cell<u32> = core::cell::Cell::new(7);

#[inline(never)]
#[unsafe(no_mangle)]
pub extern "C" fn bench_threads_tls_read() -> u32 {
    TLS_WORD.get()
}

fn med(runs: u64, f: impl Fn() -> u64) -> u64 {
    let mut v: Vec<u64> = (0..runs).map(|_| f()).collect();
    median(&mut v)
}

/// `n` × getppid with `call dword ptr gs:[0x10]`: the TCB's AT_SYSINFO word.
fn gs_getppid(n: usize) {
    // SAFETY: %gs:0x10 holds __kernel_vsyscall (checked non-zero by the caller), which
    // preserves everything but eax; getppid has no effects.
    unsafe {
        core::arch::asm!(
            "2:",
            "mov eax, {nr}",
            "call dword ptr gs:[0x10]",
            "dec {n}",
            "jnz 2b",
            nr = const nr::__NR_getppid,
            n = inout(reg) n => _,
            out("eax") _,
        );
    }
}

fn main() {
    let spawns = util::arg_u64(1, 2000).max(1);
    let locks = util::arg_u64(2, 10_000_000).max(1);
    let count = util::arg_u64(3, 1_000_000).max(4);
    let runs = util::arg_u64(4, 5).max(1);

    // Written once and read through a pointer, so neither constant-folded nor inlined.
    TLS_WORD.set(black_box(8));
    let read: extern "C" fn() -> u32 = black_box(bench_threads_tls_read);
    assert_eq!(read(), 8);
    thread::spawn(|| ()).join(); // warm: TLS, hooks, the allocator's first chunk
    let t = med(runs, || {
        time_ns(|| {
            for _ in 0..spawns {
                thread::spawn(|| ()).join();
            }
        })
    });
    println!("spawn_join_ns {}", t / spawns);

    let m = Mutex::new(0u64);
    let t = med(runs, || {
        time_ns(|| {
            for _ in 0..locks {
                *black_box(&m).lock() += 1;
            }
        })
    });
    println!("mutex_dns {}", per_call_dns(t, locks));

    let t = med(runs, || {
        let c = Arc::new(Mutex::new(0u64));
        let ns = time_ns(|| {
            let hs: Vec<_> = (0..4)
                .map(|_| {
                    let c = c.clone();
                    thread::spawn(move || {
                        for _ in 0..count / 4 {
                            *c.lock() += 1;
                        }
                    })
                })
                .collect();
            for h in hs {
                h.join();
            }
        });
        assert_eq!(*c.lock(), count / 4 * 4);
        ns
    });
    println!("contended_ms {}", t / 1_000_000);

    // The two ways into the vDSO, where there is one.
    if linux_gate::syscall::mechanism() == linux_gate::syscall::Mechanism::Vsyscall {
        let calls = locks / 10;
        // The two loops in turn, so that a drift of the machine's speed hits both alike.
        let (mut e, mut g) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            e.push(time_ns(|| {
                for _ in 0..calls {
                    black_box(process::getppid());
                }
            }));
            g.push(time_ns(|| gs_getppid(calls as usize)));
        }
        let (e, g) = (median(&mut e), median(&mut g));
        println!("syscall_entry_dns {}", per_call_dns(e, calls));
        println!("syscall_gs_dns {}", per_call_dns(g, calls));
    }
}
