//! Edge cases of threads for `tests/threads.rs` to check from outside the process:
//!
//! * `print N` — N threads each print 200 lines of 60+ characters with `println!`: every
//!   line must arrive whole.
//! * `panic` — a thread named `worker-1` panics: the message names it, the process aborts.
//! * `exit` — hooks registered with `at_exit`; a thread calls `exit(3)` while another sits
//!   in `exit` too and main sleeps: each hook runs once, status 3.
//! * `return` — `main` returns 4 while threads still run: hooks run, all end, status 4.
//! * `alloc-fail` — a thread asks for 1 GB blocks until none is left: std's message, then SIGABRT for the process
//!   (sent to that thread, so it is the signal, not the fallback status 134, that ends it).
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;
use linux_gate::{env, exit, print, println, thread};

linux_gate::entry!(main);

static HOOK_RUNS: AtomicU32 = AtomicU32::new(0);

fn hook() {
    let n = HOOK_RUNS.fetch_add(1, Ordering::SeqCst) + 1;
    // Give a racing exit a chance to run the hooks a second time (it must not).
    thread::sleep(Duration::from_millis(50));
    println!("hook ran (run {})", n);
}

fn main() -> i32 {
    let mode = env::args_str().nth(1).and_then(|a| a.ok()).unwrap_or("");
    match mode {
        "print" => {
            let n: u32 = env::args_str()
                .nth(2)
                .and_then(|a| a.ok())
                .and_then(|a| a.parse().ok())
                .unwrap_or(8);
            let hs: Vec<_> = (0..n)
                .map(|t| {
                    thread::spawn(move || {
                        for i in 0..200 {
                            println!(
                                "thread {:02} line {:03} {}",
                                t,
                                i,
                                "x".repeat(40 + t as usize)
                            );
                        }
                    })
                })
                .collect();
            for h in hs {
                h.join();
            }
            0
        }
        "panic" => {
            let h = thread::Builder::new()
                .name(String::from("worker-1"))
                .spawn(|| {
                    let v: Vec<u32> = Vec::new();
                    core::hint::black_box(&v);
                    if v.is_empty() {
                        panic!("boom in a thread");
                    }
                })
                .unwrap();
            h.join();
            0
        }
        "exit" => {
            exit::at_exit(hook);
            exit::at_exit(hook);
            print!("");
            // Two threads race into exit; main would return 9 after 5 s, too late.
            let _a = thread::spawn(|| exit::exit(3));
            let _b = thread::spawn(|| exit::exit(3));
            thread::sleep(Duration::from_secs(5));
            9
        }
        "return" => {
            exit::at_exit(hook);
            for _ in 0..4 {
                let _ = thread::spawn(|| {
                    loop {
                        thread::sleep(Duration::from_millis(1));
                    }
                });
            }
            thread::sleep(Duration::from_millis(20));
            4
        }
        "alloc-fail" => {
            // 1 GB blocks until the 32-bit address space is full (4 at most fit).
            let h = thread::spawn(|| {
                let mut kept: Vec<Vec<u8>> = Vec::with_capacity(8);
                for _ in 0..8 {
                    kept.push(Vec::with_capacity(core::hint::black_box(1_000_000_000)));
                }
                kept.len()
            });
            thread::sleep(Duration::from_millis(20));
            h.join() as i32
        }
        _ => 2,
    }
}
