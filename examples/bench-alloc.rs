//! Allocator behaviour as the work grows: N allocations of SIZE bytes, then N frees.
//!
//! ```text
//! bench-alloc [SIZE [MAX_N [MAX_SHUFFLED_N]]]      defaults: 32 1000000 1000000
//! ```
//!
//! For N = 1e3, 1e4, … MAX_N, each in a fresh forked child (so the arena starts empty),
//! through the global allocator (`linux_gate::heap`: size classes up to 64 KiB with a free
//! list each, cut from a brk arena): the time per `alloc` and per `dealloc`, and the
//! arena's size at the end (bytes taken from the kernel for class blocks; it never
//! shrinks, so this is the peak) against the bytes requested.
//! Frees run in allocation order ("fifo") and, up to MAX_SHUFFLED_N, in a shuffled order —
//! the case where a first-fit free list would grow long (see BENCHMARKS.md). `make bench`
//! runs it for 32-, 512- and 8192-byte blocks (the last up to N = 1e5: 800 MB).
//!
//! `bench/alloc_glibc.c` does the same with glibc's malloc for the reference table.
#![no_std]
#![no_main]

extern crate alloc;

use linux_gate_testkit::bench as util;

use alloc::alloc::{Layout, alloc, dealloc};
use alloc::vec::Vec;
use linux_gate::heap::{HEAP, MMAP_THRESHOLD};
use linux_gate::process::{self, Fork};
use linux_gate::{eprintln, println};
use util::{Milli, Tenths, now_ns, per_call_dns, ratio_milli};

linux_gate::entry!(main);

/// An empty Vec with room for `n` and at least `MMAP_THRESHOLD` bytes, so the allocator
/// maps it with mmap2 and the arena holds only the measured blocks.
fn outside_arena<T>(n: usize) -> Vec<T> {
    Vec::with_capacity(n.max(MMAP_THRESHOLD.div_ceil(core::mem::size_of::<T>())))
}

/// A fixed permutation of `0..n` (Fisher–Yates with a 32-bit LCG): the same every run.
fn shuffled(n: usize) -> Vec<usize> {
    let mut v: Vec<usize> = outside_arena(n);
    v.extend(0..n);
    let mut x: u32 = 12345;
    for i in (1..n).rev() {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let j = (x as usize) % (i + 1);
        v.swap(i, j);
    }
    v
}

/// Allocates `n` blocks, frees them in `order` (or allocation order), and prints a row.
fn round(n: usize, layout: Layout, order: Option<&[usize]>) -> bool {
    let mut ptrs: Vec<*mut u8> = outside_arena(n);
    let t0 = now_ns();
    for _ in 0..n {
        // SAFETY: a non-zero size.
        let p = unsafe { alloc(layout) };
        if p.is_null() {
            eprintln!("bench-alloc: allocation failed after {} blocks", ptrs.len());
            return false;
        }
        ptrs.push(p);
    }
    let t_alloc = now_ns() - t0;
    let arena = HEAP.arena_size();
    let t0 = now_ns();
    match order {
        // SAFETY (both): each pointer came from `alloc(layout)` and is freed exactly once.
        Some(order) => order
            .iter()
            .for_each(|&i| unsafe { dealloc(ptrs[i], layout) }),
        None => ptrs.iter().for_each(|&p| unsafe { dealloc(p, layout) }),
    }
    let t_free = now_ns() - t0;
    let requested = (n * layout.size()) as u64;
    println!(
        "{:>8} {:>8} {:>10} {:>10} {:>12} {:>12} {:>7}",
        n,
        if order.is_some() { "shuffled" } else { "fifo" },
        Tenths(per_call_dns(t_alloc, n as u64)),
        Tenths(per_call_dns(t_free, n as u64)),
        requested,
        arena,
        Milli(ratio_milli(arena as u64, requested))
    );
    true
}

fn main() -> i32 {
    let size = util::arg_u64(1, 32).clamp(1, 64 * 1024) as usize;
    let max_n = util::arg_u64(2, 1_000_000) as usize;
    let max_shuffled = util::arg_u64(3, 1_000_000) as usize;
    let Ok(layout) = Layout::from_size_align(size, core::mem::align_of::<usize>()) else {
        return 2;
    };
    println!(
        "allocator: N x alloc({}) then N x free, fresh process each; arena = peak class-block bytes",
        size
    );
    println!(
        "{:>8} {:>8} {:>10} {:>10} {:>12} {:>12} {:>7}",
        "N", "frees", "ns/alloc", "ns/free", "requested", "arena", "ratio"
    );
    let mut cases = Vec::new();
    let mut n = 1000;
    while n <= max_n {
        cases.push((n, false));
        n *= 10;
    }
    let mut n = 1000;
    while n <= max_shuffled {
        cases.push((n, true));
        n *= 10;
    }
    for (n, shuffle) in cases {
        match process::fork() {
            Ok(Fork::Child) => {
                // The permutation is built before the timed part and before any block.
                let order = shuffle.then(|| shuffled(n));
                let ok = round(n, layout, order.as_deref());
                linux_gate::exit(if ok { 0 } else { 1 })
            }
            Ok(Fork::Parent(pid)) => match process::wait(pid) {
                Ok(s) if s.code() == 0 => {}
                other => {
                    eprintln!("bench-alloc: N = {}: child ended with {:?}", n, other);
                    return 1;
                }
            },
            Err(e) => {
                eprintln!("bench-alloc: fork: {}", e);
                return 1;
            }
        }
    }
    0
}
