//! Shows exactly what the kernel passed: argc, every argv string and every environment
//! string, bytes escaped (`\xff`, `\n`, …) so that nothing is lost or mangled.
//!
//! ```text
//! $ args a 'b c'
//! argc: 3
//! argv[0]: args
//! argv[1]: a
//! argv[2]: b c
//! envc: …
//! ```
#![no_std]
#![no_main]

use linux_gate::{env, println};

linux_gate::entry!(main);

fn main() {
    println!("argc: {}", env::args().len());
    for (i, a) in env::args_bytes().enumerate() {
        println!("argv[{}]: {}", i, a.escape_ascii());
    }
    println!("envc: {}", env::vars().len());
    for (i, v) in env::vars().enumerate() {
        println!("envp[{}]: {}", i, v.to_bytes().escape_ascii());
    }
}
