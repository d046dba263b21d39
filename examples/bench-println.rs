//! Hello world the std way, for the size table (`make size`): `println!` (core::fmt and the
//! buffered stdout) and the heap (`format!` builds a `String` in the brk arena).
#![no_std]
#![no_main]

extern crate alloc;

use linux_gate::println;

linux_gate::entry!(main);

fn main() {
    let greeting = alloc::format!("Hello, {}!", "world");
    println!("{}", greeting);
}
