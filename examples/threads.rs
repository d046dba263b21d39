//! `threads [N [M]]`: N threads (default 4) each add 1 to a shared counter M times (default
//! 100,000) under a `Mutex`, and count their own additions in a `#[thread_local]`. Each
//! prints one line — its kernel tid, its `%gs` selector, where its TLS block lies, and its
//! thread-local count — and `main` prints the total, which is exactly N × M.
//!
//! Every thread shows the same `%gs` (one GDT slot, index `gs >> 3`), but a different TLS
//! block: the kernel loads each thread's own base into that slot when it runs.
#![no_std]
#![no_main]
#![feature(thread_local)]

extern crate alloc;

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::cell::Cell;
use linux_gate::sync::Mutex;
use linux_gate::{env, println, thread, tls};

linux_gate::entry!(main);
linux_gate::use_tls!();

/// This thread's own additions: `.tbss`, zero in every new thread.
#[thread_local]
static MINE: Cell<u64> = Cell::new(0);

fn arg(i: usize, default: u64) -> u64 {
    env::args_str()
        .nth(i)
        .and_then(|a| a.ok())
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n = arg(1, 4);
    let m = arg(2, 100_000);
    let counter = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let counter = counter.clone();
            thread::spawn(move || {
                for _ in 0..m {
                    *counter.lock() += 1;
                    MINE.set(MINE.get() + 1);
                }
                let (block, len) = tls::block().unwrap_or((0, 0));
                (thread::gettid(), tls::gs(), block, len, MINE.get())
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let (tid, gs, block, len, mine) = h.join();
        println!(
            "thread {}: tid {}, %gs {:#x} (GDT entry {}), TLS block {:#x} ({} bytes), added {}",
            i,
            tid,
            gs,
            gs >> 3,
            block,
            len,
            mine
        );
    }
    let (block, len) = tls::block().unwrap_or((0, 0));
    println!(
        "main: tid {}, %gs {:#x}, TLS block {:#x} ({} bytes), added {}",
        thread::gettid(),
        tls::gs(),
        block,
        len,
        MINE.get()
    );
    println!("total: {}", *counter.lock());
}
