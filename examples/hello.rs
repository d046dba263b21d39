//! The smallest useful program: one `write`, one `exit_group`, no heap, no formatting.
//!
//! `strace` shows exactly `write(1, "Hello, world!\n", 14) = 14` and `exit_group(0)`.
#![no_std]
#![no_main]

use linux_gate::fd;

linux_gate::entry!(main);

fn main() -> i32 {
    match fd::stdout().write_all(b"Hello, world!\n") {
        Ok(()) => 0,
        Err(_) => 1,
    }
}
