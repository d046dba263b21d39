//! `false`: does nothing, unsuccessfully (status 1), whatever the arguments.
#![no_std]
#![no_main]

linux_gate::entry!(main);

fn main() -> i32 {
    1
}
