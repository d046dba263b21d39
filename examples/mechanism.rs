//! Which way this process enters the kernel: `vsyscall` (a `call` to the vDSO's
//! `__kernel_vsyscall`, address from AT_SYSINFO) or `int80` (no vDSO, e.g. qemu-i386 7.2, or
//! forced with `LINUX_GATE_SYSCALL=int80`).
//!
//! ```text
//! $ mechanism
//! vsyscall 0xf7f0a570
//! $ LINUX_GATE_SYSCALL=int80 mechanism
//! int80 0x8048066
//! ```
#![no_std]
#![no_main]

use linux_gate::{println, syscall};

linux_gate::entry!(main);

fn main() {
    println!("{} {:#x}", syscall::mechanism().name(), syscall::entry());
}
