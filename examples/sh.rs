//! `sh`: a tiny shell on the process and signal API.
//!
//! Reads commands from standard input, one per line, and runs them with fork/execve/wait4:
//!
//! * words split on blanks; `'single'` and `"double"` quotes; `#` comments;
//!   `$?` (last status) and `$NAME` (environment) expand outside single quotes;
//! * programs found by `PATH` lookup; `sh: NAME: not found` and status 127 when there is
//!   none, status 126 when it cannot be executed;
//! * `a | b | c` pipelines, `> file`, `>> file`, `< file`, `2> file` redirections;
//! * built-ins `cd [dir]` (default `$HOME`) and `exit [n]`;
//! * interactive (input from a terminal, or `sh -i`): a `$ ` prompt on stderr, and Ctrl-C
//!   (`SIGINT`) ends the running program, not the shell: the shell catches SIGINT with a
//!   handler that does nothing, so the signal only interrupts its `wait4` (which is
//!   retried), while the child — whose handlers `execve` resets to the default — dies. A
//!   shell running a script keeps SIGINT's default and is ended by it, as dash is.
//!
//! NUL bytes in the input are dropped, as dash drops them. `exit n` takes what dash takes
//! (blanks around, a sign, `0..=2147483647`) and otherwise says `exit: Illegal number`,
//! status 2.
//!
//! At end of input it exits with the status of the last command, like `sh < script`. A
//! syntax error (`sh: syntax error: unterminated quoted string`) gives status 2 and, unless
//! the input is a terminal, ends the shell there, as dash does.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use linux_gate::fd::{self, OwnedFd};
use linux_gate::fs::{Mode, OFlags};
use linux_gate::io::LineReader;
use linux_gate::process::{self, ExecError, Fork, PipeFlags, WaitStatus};
use linux_gate::signal::{self, Action, Flags, SigSet, Signal};
use linux_gate::{Errno, env, eprintln, exit, fs};

linux_gate::entry!(main);

/// One command of a pipeline: its words and redirections.
#[derive(Default)]
struct Command {
    words: Vec<Vec<u8>>,
    stdin: Option<Vec<u8>>,
    stdout: Option<(Vec<u8>, bool)>, // (file, append)
    stderr: Option<(Vec<u8>, bool)>,
}

/// A parse error, reported as `sh: syntax error: …` with status 2.
struct Syntax(&'static str);

/// Splits a line into pipeline stages. `$?`/`$NAME` are expanded here.
fn parse(line: &[u8], status: i32) -> Result<Vec<Command>, Syntax> {
    #[derive(PartialEq)]
    enum Redirect {
        None,
        In,
        Out(bool),
        Err(bool),
    }
    let mut cmds = Vec::new();
    let mut cmd = Command::default();
    let mut word: Vec<u8> = Vec::new();
    let mut in_word = false;
    let mut pending = Redirect::None;
    let mut i = 0;

    // Ends the current word: into the words, or as the target of a pending redirection.
    let finish =
        |word: &mut Vec<u8>, in_word: &mut bool, pending: &mut Redirect, cmd: &mut Command| {
            if !*in_word {
                return;
            }
            let w = core::mem::take(word);
            match core::mem::replace(pending, Redirect::None) {
                Redirect::None => cmd.words.push(w),
                Redirect::In => cmd.stdin = Some(w),
                Redirect::Out(append) => cmd.stdout = Some((w, append)),
                Redirect::Err(append) => cmd.stderr = Some((w, append)),
            }
            *in_word = false;
        };

    while i < line.len() {
        let c = line[i];
        match c {
            b' ' | b'\t' | b'\r' => finish(&mut word, &mut in_word, &mut pending, &mut cmd),
            b'#' if !in_word => break,
            b'>' if in_word && word == b"2" && pending == Redirect::None => {
                // `2>` / `2>>`: the word so far was the descriptor number.
                word.clear();
                in_word = false;
                let append = line.get(i + 1) == Some(&b'>');
                i += append as usize;
                pending = Redirect::Err(append);
            }
            b'|' | b'>' | b'<' => {
                finish(&mut word, &mut in_word, &mut pending, &mut cmd);
                if pending != Redirect::None {
                    return Err(Syntax("redirection without a file name"));
                }
                match c {
                    b'|' => {
                        if cmd.words.is_empty() {
                            return Err(Syntax("empty command before `|'"));
                        }
                        cmds.push(core::mem::take(&mut cmd));
                    }
                    b'<' => pending = Redirect::In,
                    _ if line.get(i + 1) == Some(&b'>') => {
                        pending = Redirect::Out(true);
                        i += 1;
                    }
                    _ => pending = Redirect::Out(false),
                }
            }
            b'\'' => {
                let end = line[i + 1..]
                    .iter()
                    .position(|&b| b == b'\'')
                    .ok_or(Syntax("unterminated quoted string"))?;
                word.extend_from_slice(&line[i + 1..i + 1 + end]);
                in_word = true;
                i += end + 1;
            }
            b'"' => {
                i = double_quoted(line, i + 1, status, &mut word)?;
                in_word = true;
            }
            b'$' => {
                let n = dollar(&line[i..], status, &mut word);
                in_word = true;
                i += n - 1;
            }
            b'\\' if i + 1 < line.len() => {
                word.push(line[i + 1]);
                in_word = true;
                i += 1;
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
        i += 1;
    }
    finish(&mut word, &mut in_word, &mut pending, &mut cmd);
    if pending != Redirect::None {
        return Err(Syntax("redirection without a file name"));
    }
    if cmd.words.is_empty() {
        if !cmds.is_empty() {
            return Err(Syntax("empty command after `|'"));
        }
        if cmd.stdin.is_none() && cmd.stdout.is_none() && cmd.stderr.is_none() {
            return Ok(cmds);
        }
    }
    cmds.push(cmd);
    Ok(cmds)
}

/// Expands `$…` at the start of `s` into `out`; returns how many bytes it used.
fn dollar(s: &[u8], status: i32, out: &mut Vec<u8>) -> usize {
    if s.get(1) == Some(&b'?') {
        out.extend_from_slice(alloc::format!("{}", status).as_bytes());
        return 2;
    }
    let n = s[1..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
        .count();
    if n == 0 {
        out.push(b'$');
        return 1;
    }
    let name = core::str::from_utf8(&s[1..1 + n]).unwrap_or("");
    if let Some(v) = env::getenv(name) {
        out.extend_from_slice(v);
    }
    1 + n
}

/// Reads a double-quoted string starting after its opening quote: `$…` expands, and a
/// backslash escapes `$`, `"`, `\\` and `` ` ``. Returns the index of the closing quote.
fn double_quoted(s: &[u8], mut i: usize, status: i32, out: &mut Vec<u8>) -> Result<usize, Syntax> {
    while i < s.len() {
        match s[i] {
            b'"' => return Ok(i),
            b'$' => i += dollar(&s[i..], status, out),
            b'\\' if matches!(s.get(i + 1), Some(b'$' | b'"' | b'\\' | b'`')) => {
                out.push(s[i + 1]);
                i += 2;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err(Syntax("unterminated quoted string"))
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn cstring(b: &[u8]) -> Option<alloc::ffi::CString> {
    alloc::ffi::CString::new(b).ok()
}

/// `cd [dir]`: 0, or 2 with dash's message.
fn cd(args: &[Vec<u8>]) -> i32 {
    let dir: &[u8] = match args.get(1) {
        Some(d) => d,
        None => env::getenv("HOME").unwrap_or(b"/"),
    };
    match cstring(dir).map(|d| process::chdir(&d)) {
        Some(Ok(())) => 0,
        _ => {
            eprintln!("sh: cd: can't cd to {}", show(dir));
            2
        }
    }
}

/// dash's `number()`: optional blanks, an optional sign, decimal digits, optional blanks;
/// the value must be in `0..=i32::MAX` (so `-0` is 0 but `-1` is refused).
fn dash_number(s: &[u8]) -> Option<i32> {
    let blank = |b: &u8| b" \t\n\x0b\x0c\r".contains(b);
    let start = s.iter().position(|b| !blank(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !blank(b)).map_or(start, |i| i + 1);
    let t = s.get(start..end)?;
    let (negative, digits) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut n: i32 = 0;
    for &d in digits {
        n = n.checked_mul(10)?.checked_add(i32::from(d - b'0'))?;
    }
    (!negative || n == 0).then_some(n)
}

/// `exit [n]`: `n` as dash reads it; anything else is `Illegal number`, status 2.
fn exit_builtin(args: &[Vec<u8>], status: i32) -> ! {
    let code = match args.get(1) {
        None => status,
        Some(n) => match dash_number(n) {
            Some(n) => n & 0xff,
            None => {
                eprintln!("sh: exit: Illegal number: {}", show(n));
                2
            }
        },
    };
    exit::exit(code)
}

/// A redirection target with a NUL byte, which no system call can take. The input is
/// read without NUL bytes (as dash reads it), so this is a guard, not a path scripts take.
fn nul_name(f: &[u8], what: &str) -> ! {
    eprintln!(
        "sh: cannot {} {}: file name contains a NUL byte",
        what,
        show(f)
    );
    exit::_exit(2)
}

/// Opens the redirections and execs the command; in a forked child. Never returns.
fn run_child(cmd: &Command, status: i32) -> ! {
    // Back to the default SIGINT before exec (exec would reset a handler anyway; this also
    // covers built-ins run in a pipeline child).
    let _ = signal::set_default(signal::SIGINT);
    if let Some(f) = &cmd.stdin {
        match cstring(f).map(|p| fs::File::open(&p, OFlags::RDONLY, Mode::empty())) {
            Some(Ok(file)) => {
                let _ = fd::dup2_stdin(&file);
            }
            Some(Err(e)) => {
                eprintln!("sh: cannot open {}: {}", show(f), e);
                exit::_exit(2);
            }
            None => nul_name(f, "open"),
        }
    }
    type Dup2 = fn(&fs::File) -> Result<(), Errno>;
    let stdout: Dup2 = |f| fd::dup2_stdout(f);
    let stderr: Dup2 = |f| fd::dup2_stderr(f);
    for (target, dup2) in [(&cmd.stdout, stdout), (&cmd.stderr, stderr)] {
        let Some((f, append)) = target else { continue };
        let mode = if *append {
            OFlags::APPEND
        } else {
            OFlags::TRUNC
        };
        let flags = OFlags::WRONLY | OFlags::CREATE | mode;
        match cstring(f).map(|p| fs::File::open(&p, flags, Mode::from_octal(0o666))) {
            Some(Ok(file)) => {
                let _ = dup2(&file);
            }
            Some(Err(e)) => {
                eprintln!("sh: cannot create {}: {}", show(f), e);
                exit::_exit(2);
            }
            None => nul_name(f, "create"),
        }
    }
    let Some(name) = cmd.words.first() else {
        exit::_exit(0); // only redirections: the file is created, nothing runs
    };
    match name.as_slice() {
        b"cd" => exit::_exit(cd(&cmd.words)),
        b"exit" => exit_builtin(&cmd.words, status),
        _ => {}
    }
    let path = env::getenv("PATH").unwrap_or(b"/usr/local/bin:/usr/bin:/bin");
    let Some(full) = process::find_in_path(name, path) else {
        eprintln!("sh: {}: not found", show(name));
        exit::_exit(127);
    };
    let envp: Vec<&[u8]> = env::vars().map(|v| v.to_bytes()).collect();
    let (msg, code) = match process::exec(full.to_bytes(), &cmd.words, &envp) {
        ExecError::Os(Errno::ENOENT) => (String::from("not found"), 127),
        e => (alloc::format!("{}", e), 126),
    };
    eprintln!("sh: {}: {}", show(name), msg);
    exit::_exit(code)
}

/// Runs one pipeline; returns its status (the last command's).
fn run_pipeline(cmds: &[Command], status: i32) -> i32 {
    // Built-ins that change the shell itself run in it, when alone.
    if let [cmd] = cmds
        && cmd.stdin.is_none()
        && cmd.stdout.is_none()
        && cmd.stderr.is_none()
    {
        match cmd.words.first().map(|w| w.as_slice()) {
            Some(b"cd") => return cd(&cmd.words),
            Some(b"exit") => exit_builtin(&cmd.words, status),
            _ => {}
        }
    }
    let mut pids = Vec::new();
    let mut prev_read: Option<OwnedFd> = None;
    for (i, cmd) in cmds.iter().enumerate() {
        let last = i + 1 == cmds.len();
        let pipe = if last {
            None
        } else {
            match process::pipe2(PipeFlags::CLOEXEC) {
                Ok(p) => Some(p),
                Err(e) => {
                    eprintln!("sh: pipe: {}", e);
                    break;
                }
            }
        };
        match process::fork() {
            Ok(Fork::Child) => {
                if let Some(r) = &prev_read {
                    let _ = fd::dup2_stdin(r);
                }
                if let Some((_, w)) = &pipe {
                    let _ = fd::dup2_stdout(w);
                }
                // The pipe ends themselves are O_CLOEXEC: exec closes them.
                run_child(cmd, status);
            }
            Ok(Fork::Parent(pid)) => pids.push(pid),
            Err(e) => eprintln!("sh: fork: {}", e),
        }
        drop(prev_read.take());
        if let Some((r, w)) = pipe {
            drop(w);
            prev_read = Some(r);
        }
    }
    drop(prev_read);
    let mut result = 2;
    for &pid in &pids {
        // wait4 retries EINTR: a Ctrl-C only interrupts the wait, and the shell keeps waiting.
        result = match process::wait(pid) {
            Ok(WaitStatus::Signaled { signal, core }) => {
                // As dash does: a line for a death by signal, except Ctrl-C and SIGPIPE.
                if signal != signal::SIGINT && signal != signal::SIGPIPE {
                    let dumped = if core { " (core dumped)" } else { "" };
                    eprintln!(
                        "{}{}",
                        linux_gate_gnu::strsignal::description(signal.as_raw()),
                        dumped
                    );
                }
                128 + signal.as_raw()
            }
            Ok(st) => st.code(),
            Err(e) => {
                eprintln!("sh: wait: {}", e);
                2
            }
        };
    }
    result
}

/// Reads stdin a line at a time (retrying EINTR), without buffering beyond what is needed.
fn ignore_interrupt(_: Signal) {}

fn main() -> i32 {
    // Interactive: input from a terminal, or `-i` (as dash's), which tests use with a pipe.
    let interactive = fd::stdin().is_tty() || env::args_bytes().nth(1) == Some(b"-i");
    if interactive {
        // A handler (not SIG_IGN, which children would inherit through execve).
        let _ = signal::set_action(
            signal::SIGINT,
            Action::Handler(ignore_interrupt),
            Flags::RESTART,
            SigSet::EMPTY,
        );
    }
    let mut lines = LineReader::new(fd::stdin());
    let mut status = 0;
    loop {
        if interactive {
            let _ = fd::stderr().write_all(b"$ ");
        }
        let line: Vec<u8> = match lines.next_line() {
            // NUL bytes are dropped, as dash drops them.
            Ok(Some(line)) => line.iter().copied().filter(|&b| b != 0).collect(),
            Ok(None) => break,
            Err(e) => {
                eprintln!("sh: read: {}", e);
                break;
            }
        };
        match parse(&line, status) {
            Ok(cmds) if cmds.is_empty() => {}
            Ok(cmds) => status = run_pipeline(&cmds, status),
            Err(Syntax(msg)) => {
                eprintln!("sh: syntax error: {}", msg);
                status = 2;
                // POSIX: a syntax error ends a non-interactive shell (a script must not
                // go on from a line it could not read); a terminal's just reads the next.
                if !interactive {
                    break;
                }
            }
        }
    }
    status
}
