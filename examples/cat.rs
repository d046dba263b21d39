//! `cat [FILE]...`: GNU cat without options. No file, or `-`, is standard input.
//!
//! Data goes straight from `read` to `write` through one 128 KiB buffer (GNU's size), so
//! throughput is the kernel's. A file that cannot be read is reported
//! (`cat: nosuch: No such file or directory`) and skipped, status 1; a write error ends
//! the program at once (`cat: write error: No space left on device`, status 1). Writing
//! into a closed pipe raises SIGPIPE, which kills it silently, as it does GNU cat.
#![no_std]
#![no_main]

extern crate alloc;

use linux_gate::fs::File;
use linux_gate::quote::{complain, program_name};
use linux_gate::{Errno, Fd, env, exit};

linux_gate::entry!(main);

const BUF: usize = 128 * 1024;

enum Failure {
    Read(Errno),
    Write(Errno),
}

fn copy(from: Fd, buf: &mut [u8]) -> Result<(), Failure> {
    loop {
        let n = match from.read(buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n.min(buf.len()),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(Failure::Read(e)),
        };
        Fd::STDOUT.write_all(&buf[..n]).map_err(Failure::Write)?;
    }
}

fn main() -> i32 {
    let prog = program_name(b"cat");
    let mut buf = alloc::vec![0u8; BUF];
    let mut status = 0;
    // No operands means standard input; `None` stands for it.
    let operands = env::args().skip(1).map(Some);
    let stdin_only = core::iter::once(None).take(if env::args().len() > 1 { 0 } else { 1 });
    for path in operands.chain(stdin_only) {
        let name = path.map_or(&b"-"[..], |p| p.to_bytes());
        let file = match path {
            Some(p) if name != b"-" => match File::open_read(p) {
                Ok(f) => Some(f),
                Err(e) => {
                    complain(prog, Some(name), &e);
                    status = 1;
                    continue;
                }
            },
            _ => None,
        };
        let fd = file.as_ref().map_or(Fd::STDIN, File::fd);
        match copy(fd, &mut buf) {
            Ok(()) => {}
            Err(Failure::Read(e)) => {
                complain(prog, Some(name), &e);
                status = 1;
            }
            Err(Failure::Write(e)) => {
                complain(prog, None, &format_args!("write error: {}", e));
                exit::exit(1);
            }
        }
    }
    status
}
