//! `alloc-fail [SIZE]`: prints `allocating` (buffered), then allocates SIZE-byte blocks
//! (default 256 MiB) and keeps them until the address space runs out.
//!
//! Shows the allocation-error path: stderr gets exactly `memory allocation of SIZE bytes
//! failed` (std's wording), the buffered stdout is still written, and the process dies of
//! `SIGABRT`. Under `ulimit -v` the first block already fails.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use linux_gate::{env, println};

linux_gate::entry!(main);

fn main() -> i32 {
    let size = env::args_str()
        .nth(1)
        .and_then(|a| a.ok()?.parse::<usize>().ok())
        .unwrap_or(256 << 20);
    println!("allocating");
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(64);
    loop {
        let mut block = Vec::<u8>::with_capacity(size);
        block.push(1);
        kept.push(block);
        if kept.len() == kept.capacity() {
            // 64 blocks of a size that fits 32 bits cannot all be mapped: unreachable in
            // practice, but never loop forever.
            println!("no failure after {} blocks", kept.len());
            return 1;
        }
    }
}
