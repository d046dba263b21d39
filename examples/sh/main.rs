//! `sh`: a small POSIX shell on the runtime's process, file and signal API, byte for byte
//! like dash on what it supports (docs/sh.md has the list).
//!
//! * `parse`: the lexer and parser (lists, pipelines, compound commands, functions,
//!   redirections, here-documents, quoting, `${…}`, `$(…)`);
//! * `expand`: tilde, parameters, command substitution, `IFS` splitting, globbing;
//! * `exec`: running it all, the built-ins, dash's messages and statuses;
//! * `fds`: descriptor numbers (`3>&1`, saved copies) to the runtime's I/O-safe calls.
//!
//! `sh -c CMD [NAME [ARG…]]`, `sh FILE [ARG…]`, `sh [-i] [-s] [ARG…]` (commands from
//! standard input). Interactive (a terminal, or `-i`): `$ ` and `> ` prompts on stderr,
//! Ctrl-C ends the running program, not the shell, and an error does not end the shell.
//! What it does not implement it refuses with status 2 and a message saying so: never
//! something else.
#![no_std]
#![no_main]

extern crate alloc;

mod arith;
mod exec;
mod expand;
mod fds;
mod parse;
mod pattern;

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use exec::{Jump, Shell};
use linux_gate::fd::{self, RawFd};
use linux_gate::io::LineReader;
use linux_gate::signal::{self, Action, Flags, SigSet, Signal};
use linux_gate::{env, eprintln, exit, fs};
use parse::{Input, Parser, StrInput};

linux_gate::entry!(main);

/// Lines from a descriptor (standard input or the script), with dash's handling of a
/// non-blocking descriptor and of a closed one.
struct FdInput {
    reader: LineReader<'static>,
    fd: RawFd,
    /// The prompts, when interactive (`PS1`, `PS2` as the shell last saw them).
    prompts: Option<exec::Prompts>,
    prefix: Vec<u8>,
}

impl Input for FdInput {
    fn line(&mut self, continued: bool, out: &mut Vec<u8>) -> bool {
        if let Some(p) = &self.prompts {
            let p = p.borrow();
            let _ = fd::stderr().write_all(if continued { &p.1 } else { &p.0 });
        }
        loop {
            // Straight into the parser's buffer: a 100 MB line is not copied again.
            match self.reader.read_line_into(out) {
                Ok(0) => return false,
                Ok(_) => {
                    if out.last() != Some(&b'\n') {
                        out.push(b'\n');
                    }
                    return true;
                }
                Err(linux_gate::Errno::EAGAIN) => {
                    // dash: clear O_NONBLOCK, say so, read again.
                    let fd = fds::borrow(self.fd);
                    let flags = fs::fcntl_getfl(fd).unwrap_or(fs::OFlags::empty());
                    if !flags.contains(fs::OFlags::NONBLOCK)
                        || fs::fcntl_setfl(fd, flags - fs::OFlags::NONBLOCK).is_err()
                    {
                        return false;
                    }
                    eprintln!(
                        "{}: turning off NDELAY mode",
                        alloc::string::String::from_utf8_lossy(&self.prefix)
                    );
                }
                Err(linux_gate::Errno::EINTR) => {}
                // A closed or unreadable input ends it, as dash's does.
                Err(_) => return false,
            }
        }
    }
}

fn ignore_interrupt(_: Signal) {}

fn usage_refused(sh: &Shell, opt: &[u8]) -> ! {
    sh.error(format_args!(
        "{}: option not supported by this shell (refused)",
        alloc::string::String::from_utf8_lossy(opt)
    ));
    exit::exit(2)
}

fn main() -> i32 {
    let args: Vec<&[u8]> = env::args_bytes().collect();
    let argv0: &[u8] = args.first().copied().unwrap_or(b"sh");
    let mut i = 1;
    let (mut command, mut force_i, mut stdin_mode) = (None, false, false);
    let probe = Shell::new(argv0, false);
    while let Some(&a) = args.get(i) {
        if a == b"--" || a == b"-" {
            i += 1;
            break;
        }
        if a.first() != Some(&b'-') || a.len() < 2 {
            break;
        }
        for &c in &a[1..] {
            match c {
                b'c' => command = Some(()),
                b'i' => force_i = true,
                b's' => stdin_mode = true,
                _ => usage_refused(&probe, a),
            }
        }
        i += 1;
    }
    drop(probe);
    let rest = &args[i.min(args.len())..];
    let mut sh;
    let mut input: alloc::boxed::Box<dyn Input>;
    if command.is_some() {
        let Some(&text) = rest.first() else {
            eprintln!(
                "{}: -c requires an argument",
                alloc::string::String::from_utf8_lossy(argv0)
            );
            return 2;
        };
        let name = rest.get(1).copied().unwrap_or(argv0);
        sh = Shell::new(name, force_i);
        sh.params = rest.iter().skip(2).map(|a| a.to_vec()).collect();
        input = alloc::boxed::Box::new(StrInput::new(text));
    } else if let (Some(&file), false) = (rest.first(), stdin_mode) {
        sh = Shell::new(file, force_i);
        sh.params = rest.iter().skip(1).map(|a| a.to_vec()).collect();
        let opened = alloc::ffi::CString::new(file)
            .map_err(|_| linux_gate::Errno::ENOENT)
            .and_then(|c| {
                fds::open(
                    &c,
                    fs::OFlags::RDONLY | fs::OFlags::CLOEXEC,
                    fs::Mode::empty(),
                )
            });
        let fd = match opened {
            Ok(fd) => {
                // Out of the way of the descriptors scripts redirect.
                match fds::dup_at_least(fd, 10) {
                    Ok(high) => {
                        fds::close(fd);
                        high
                    }
                    Err(_) => fd,
                }
            }
            Err(e) => {
                sh.prefix = argv0.to_vec();
                let code = if e == linux_gate::Errno::ENOENT || e == linux_gate::Errno::ENOTDIR {
                    sh.error(format_args!(
                        "0: cannot open {}: No such file",
                        alloc::string::String::from_utf8_lossy(file)
                    ));
                    2
                } else {
                    sh.error(format_args!(
                        "0: cannot open {}: {}",
                        alloc::string::String::from_utf8_lossy(file),
                        e
                    ));
                    2
                };
                return code;
            }
        };
        input = alloc::boxed::Box::new(FdInput {
            reader: LineReader::new(fds::borrow(fd)),
            fd,
            prompts: None,
            prefix: file.to_vec(),
        });
    } else {
        let interactive = force_i || (fd::stdin().is_tty() && fd::stderr().is_tty());
        sh = Shell::new(argv0, interactive);
        sh.params = rest.iter().map(|a| a.to_vec()).collect();
        let prompts = interactive.then(|| Rc::new(RefCell::new((b"$ ".to_vec(), b"> ".to_vec()))));
        input = alloc::boxed::Box::new(FdInput {
            reader: LineReader::new(fd::stdin()),
            fd: fds::STDIN,
            prompts: prompts.clone(),
            prefix: argv0.to_vec(),
        });
        sh.prompts = prompts;
        sh.from_stdin = true;
    }
    if sh.interactive {
        // A handler (not SIG_IGN, which children would inherit through execve).
        let _ = signal::set_action(
            signal::SIGINT,
            Action::Handler(ignore_interrupt),
            Flags::RESTART,
            SigSet::EMPTY,
        );
    }
    let status = run(&mut sh, &mut *input);
    sh.exit_shell(status)
}

/// The read-parse-run loop; the shell's exit status.
fn run(sh: &mut Shell, input: &mut dyn Input) -> i32 {
    let mut parser = Parser::new(input);
    loop {
        sh.update_prompts();
        let list = match parser.complete_command() {
            Ok(Some(l)) => l,
            Ok(None) => break,
            Err(e) => {
                sh.report_parse_error(&e);
                sh.status = 2;
                if !sh.interactive {
                    sh.exit_shell(2);
                }
                parser.discard();
                continue;
            }
        };
        match sh.run_list(&list) {
            Ok(st) => sh.status = st,
            Err(Jump::Exit(c)) => sh.exit_shell(c),
            Err(Jump::Abort(c)) => {
                sh.status = c;
                if !sh.interactive {
                    sh.exit_shell(c);
                }
            }
            Err(Jump::Return(s)) => sh.status = s,
            Err(Jump::Break(_) | Jump::Continue(_)) => {}
        }
    }
    sh.status
}
