//! The smallest program on the runtime: `main` returns 0, so `_start` reads the initial
//! stack and auxv and the program ends with `exit_group(0)` — the floor of the size table
//! (`make size`).
#![no_std]
#![no_main]

linux_gate::entry!(main);

fn main() -> i32 {
    0
}
