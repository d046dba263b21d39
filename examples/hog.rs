//! `hog [MiB]`: allocates that much memory (default 4096) in 1 MiB blocks and prints how much
//! it got. Under `ulimit -v` the allocator runs out and the runtime reports
//! `memory allocation of 1048576 bytes failed` on stderr and ends the process at once —
//! no hang, no crash — which `tests/sh/hostile.sh` checks.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use linux_gate::{env, println};

linux_gate::entry!(main);

fn main() -> i32 {
    let mib: usize = match env::args_str().nth(1) {
        None => 4096,
        Some(Ok(s)) => match s.parse() {
            Ok(n) => n,
            Err(_) => {
                linux_gate::eprintln!("usage: hog [MiB]");
                return 2;
            }
        },
        Some(Err(_)) => return 2,
    };
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    for i in 0..mib {
        // Touch the block so that the memory is really there (and counted).
        let mut b = alloc::vec![0u8; 1 << 20];
        b[i % (1 << 20)] = 1;
        blocks.push(b);
    }
    println!("allocated {} MiB", blocks.len());
    0
}
