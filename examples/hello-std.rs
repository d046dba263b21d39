//! `hello` the std way: `println!` with formatting, plus the heap (`String`, `Vec`).
//! Its stripped size is what a program using the std-like layer costs (see README).
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use linux_gate::{env, println};

linux_gate::entry!(main);

fn main() {
    let mut greeting = String::from("Hello");
    greeting.push_str(", world!");
    let args: Vec<&[u8]> = env::args_bytes().collect();
    println!("{} ({} args)", greeting, args.len());
}
