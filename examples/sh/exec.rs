//! Running the syntax tree: lists, pipelines, simple and compound commands, functions,
//! redirections and the built-ins, with dash's messages and exit statuses.

use crate::fds::{self, RawFd};
use crate::parse::{self, Cmd, Compound, List, Pipeline, Redir, RedirKind, Simple};
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};
use linux_gate::fd;
use linux_gate::fs::{Mode, OFlags};
use linux_gate::process::{self, ExecError, Fork, Pid, Uid, WaitStatus};
use linux_gate::signal::Signal;
use linux_gate::{Errno, env, exit, fs, signal};

/// Why a command stopped other than by finishing.
pub enum Jump {
    /// An error that ends a non-interactive shell (syntax, `${x?}`, a special built-in's
    /// error, a refused construct) with this status.
    Abort(i32),
    /// `exit`.
    Exit(i32),
    Break(u32),
    Continue(u32),
    Return(i32),
}

pub type R = Result<i32, Jump>;

#[derive(Clone)]
pub struct Var {
    pub value: Option<Vec<u8>>,
    pub exported: bool,
    /// `readonly`: no assignment or `unset` changes it again.
    pub readonly: bool,
}

pub struct Shell {
    pub vars: BTreeMap<Vec<u8>, Var>,
    pub funcs: BTreeMap<Vec<u8>, Rc<Cmd>>,
    pub params: Vec<Vec<u8>>,
    pub arg0: Vec<u8>,
    /// What errors are prefixed with (dash: `$0`, or the script's name).
    pub prefix: Vec<u8>,
    pub status: i32,
    pub pid: Pid,
    pub last_bg: Option<Pid>,
    pub jobs: Vec<Pid>,
    pub interactive: bool,
    /// The status of the last command substitution in the current simple command.
    pub subst_status: Option<i32>,
    /// The interactive prompts the input shows, kept equal to `PS1` and `PS2`.
    pub prompts: Option<Prompts>,
    /// `set -f`: no pathname expansion.
    pub noglob: bool,
    /// `set -u`: expanding an unset parameter is an error.
    pub nounset: bool,
    /// Commands come from standard input (`s` in `$-`).
    pub from_stdin: bool,
    /// `set -e`: a failing command ends the shell.
    pub errexit: bool,
    /// `set -x`: each simple command is written to stderr before it runs.
    pub xtrace: bool,
    /// `set -C`: `>` does not overwrite an existing regular file.
    pub noclobber: bool,
    /// `trap` actions by signal number (0 = EXIT); an empty action ignores the signal.
    pub traps: BTreeMap<i32, Vec<u8>>,
    /// Depth of contexts where `set -e` does not apply (conditions, `a` in `a && b`).
    errexit_off: u32,
    /// Per function call, the variables `local` saved (restored at its return).
    locals: Vec<Vec<(Vec<u8>, Option<Var>)>>,
    loop_depth: u32,
    func_depth: u32,
    /// The current directory as `cd` and `pwd` know it (dash's `curdir`: logical, kept
    /// apart from `PWD`, which a script may assign); empty if unknown.
    curdir: Vec<u8>,
    /// Its physical path once `pwd -P` has asked (dash's `physdir`); empty if not known.
    physdir: Vec<u8>,
}

/// `PS1` and `PS2`, shared with the input that shows them.
pub type Prompts = Rc<core::cell::RefCell<(Vec<u8>, Vec<u8>)>>;

/// A command's prefix assignments, expanded: (name, value).
type Assigns = Vec<(Vec<u8>, Vec<u8>)>;

/// Descriptors saved while a built-in, function or compound command runs redirected:
/// (descriptor, its saved copy or `None` if it was closed).
type Saved = Vec<(i32, Option<RawFd>)>;

/// dash's `errmsg`: its own words for a missing file.
fn errmsg(e: Errno, create: bool) -> String {
    if e == Errno::ENOENT || e == Errno::ENOTDIR {
        String::from(if create {
            "Directory nonexistent"
        } else {
            "No such file"
        })
    } else {
        alloc::format!("{}", e)
    }
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn cstr(b: &[u8]) -> Option<alloc::ffi::CString> {
    alloc::ffi::CString::new(b).ok()
}

/// dash's `number()`: optional blanks, an optional sign, decimal digits, optional blanks;
/// the value must be in `0..=i32::MAX` (so `-0` is 0 but `-1` is refused).
pub fn dash_number(s: &[u8]) -> Option<i32> {
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

/// dash's `PATH` when the environment has none (its `defpathvar`).
const DEFAULT_PATH: &[u8] = b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// dash's built-ins that this shell does not implement: refused, never looked up in PATH.
const REFUSED: [&[u8]; 11] = [
    b"umask", b"alias", b"unalias", b"getopts", b"type", b"ulimit", b"jobs", b"fg", b"bg", b"hash",
    b"times",
];

/// The special built-ins (dash's `-s` ones, `local` among them): prefix assignments stay,
/// and an error (a failed redirection too) ends a non-interactive shell; behind `command`
/// they are regular.
const SPECIAL: [&[u8]; 15] = [
    b":",
    b"trap",
    b"exit",
    b"export",
    b"readonly",
    b"unset",
    b"set",
    b"shift",
    b"return",
    b"break",
    b"continue",
    b"eval",
    b"exec",
    b".",
    b"local",
];
const REGULAR: [&[u8]; 9] = [
    b"kill", b"cd", b"chdir", b"wait", b"echo", b"pwd", b"true", b"false", b"read",
];

impl Shell {
    pub fn new(arg0: &[u8], interactive: bool) -> Shell {
        let mut vars = BTreeMap::new();
        for (k, v) in env::vars_split() {
            if parse::valid_name(k) {
                vars.insert(
                    k.to_vec(),
                    Var {
                        value: Some(v.to_vec()),
                        exported: true,
                        readonly: false,
                    },
                );
            }
        }
        let mut sh = Shell {
            vars,
            funcs: BTreeMap::new(),
            params: Vec::new(),
            arg0: arg0.to_vec(),
            prefix: arg0.to_vec(),
            status: 0,
            pid: process::getpid(),
            last_bg: None,
            jobs: Vec::new(),
            interactive,
            subst_status: None,
            prompts: None,
            noglob: false,
            nounset: false,
            from_stdin: false,
            errexit: false,
            xtrace: false,
            noclobber: false,
            traps: BTreeMap::new(),
            errexit_off: 0,
            locals: Vec::new(),
            loop_depth: 0,
            func_depth: 0,
            curdir: Vec::new(),
            physdir: Vec::new(),
        };
        // PWD: kept if it names the current directory, else the physical one (as dash).
        let inherited = sh.get_var(b"PWD").filter(|p| {
            p.first() == Some(&b'/')
                && cstr(p)
                    .and_then(|c| fs::metadata(&c).ok())
                    .is_some_and(|m| {
                        fs::metadata(c".").is_ok_and(|d| d.dev == m.dev && d.ino == m.ino)
                    })
        });
        match inherited.map(|p| p.to_vec()) {
            Some(p) => sh.curdir = p,
            None => {
                sh.physdir = sh.getpwd();
                sh.curdir = sh.physdir.clone();
            }
        }
        let pwd = sh.curdir.clone();
        sh.set_exported(b"PWD", &pwd);
        // dash's defaults for what the environment did not set.
        if sh.get_var(b"PATH").is_none() {
            sh.set_var(b"PATH", DEFAULT_PATH);
        }
        // (dash shows getppid()'s 0 for a parent outside the pid namespace.)
        let ppid = linux_gate::id::getppid().map_or(0, |p| p.as_raw());
        sh.set_var(b"PPID", alloc::format!("{}", ppid).as_bytes());
        if sh.get_var(b"IFS").is_some() {
            // dash does not take IFS from the environment.
            sh.set_var(b"IFS", b" \t\n");
        }
        sh
    }

    pub fn update_prompts(&self) {
        if let Some(p) = &self.prompts {
            let root = process::geteuid() == Uid::ROOT;
            let ps1 = self
                .get_var(b"PS1")
                .unwrap_or(if root { b"# " } else { b"$ " })
                .to_vec();
            let ps2 = self.get_var(b"PS2").unwrap_or(b"> ").to_vec();
            *p.borrow_mut() = (ps1, ps2);
        }
    }

    /// `prefix: message` on stderr, as dash's errors (without its line number).
    pub fn error(&self, args: fmt::Arguments<'_>) {
        linux_gate::eprintln!("{}: {}", show(&self.prefix), args);
    }

    pub fn get_var(&self, name: &[u8]) -> Option<&[u8]> {
        self.vars.get(name).and_then(|v| v.value.as_deref())
    }

    /// `name=value`, exported.
    fn set_exported(&mut self, name: &[u8], value: &[u8]) {
        self.set_var(name, value);
        if let Some(v) = self.vars.get_mut(name) {
            v.exported = true;
        }
    }

    /// Whether `name` is read-only; if so, dash's `[CMD: ]NAME: is read only` is reported.
    pub fn read_only(&self, name: &[u8], cmd: Option<&[u8]>) -> bool {
        let ro = self.vars.get(name).is_some_and(|v| v.readonly);
        if ro {
            match cmd {
                Some(c) => self.error(format_args!("{}: {}: is read only", show(c), show(name))),
                None => self.error(format_args!("{}: is read only", show(name))),
            }
        }
        ro
    }

    /// `name=value` as an assignment: an error that ends the shell if `name` is read-only.
    pub fn assign(&mut self, name: &[u8], value: &[u8]) -> Result<(), Jump> {
        if self.read_only(name, None) {
            return Err(Jump::Abort(2));
        }
        self.set_var(name, value);
        Ok(())
    }

    pub fn set_var(&mut self, name: &[u8], value: &[u8]) {
        match self.vars.get_mut(name) {
            Some(v) => v.value = Some(value.to_vec()),
            None => {
                self.vars.insert(
                    name.to_vec(),
                    Var {
                        value: Some(value.to_vec()),
                        exported: false,
                        readonly: false,
                    },
                );
            }
        }
    }

    /// A parameter by name: special ones, positional ones, variables.
    pub fn special(&self, name: &[u8]) -> Option<Vec<u8>> {
        let num = |n: i64| Some(alloc::format!("{}", n).into_bytes());
        match name {
            b"?" => num(self.status as i64),
            b"$" => num(self.pid.as_raw() as i64),
            b"!" => self.last_bg.and_then(|p| num(p.as_raw() as i64)),
            b"#" => num(self.params.len() as i64),
            b"-" => {
                let mut f = Vec::new();
                // dash lists them in the reverse of its option table's order.
                for (on, c) in [
                    (self.nounset, b'u'),
                    (self.noclobber, b'C'),
                    (self.xtrace, b'x'),
                    (self.from_stdin, b's'),
                    (self.interactive, b'i'),
                    (self.noglob, b'f'),
                    (self.errexit, b'e'),
                ] {
                    if on {
                        f.push(c);
                    }
                }
                Some(f)
            }
            b"0" => Some(self.arg0.clone()),
            _ if name.iter().all(u8::is_ascii_digit) => {
                let i: usize = core::str::from_utf8(name).ok()?.parse().ok()?;
                self.params.get(i.checked_sub(1)?).cloned()
            }
            _ => self.get_var(name).map(|v| v.to_vec()),
        }
    }

    // ----- lists -----

    pub fn run_list(&mut self, list: &List) -> R {
        for (ao, bg) in &list.items {
            let st = if *bg {
                self.run_async(ao)?
            } else {
                self.run_and_or(ao)?
            };
            self.status = st;
            self.run_pending_traps()?;
        }
        Ok(self.status)
    }

    /// Runs the actions of trapped signals that arrived (after the command that was
    /// running, as dash does); `$?` is kept across them.
    pub fn run_pending_traps(&mut self) -> Result<(), Jump> {
        let pending = PENDING.swap(0, Ordering::SeqCst);
        if pending == 0 {
            return Ok(());
        }
        for sig in 1..64 {
            if pending & (1u64 << sig) != 0
                && let Some(action) = self.traps.get(&sig).cloned()
            {
                let saved = self.status;
                self.run_text(&action)?;
                self.status = saved;
            }
        }
        Ok(())
    }

    /// Ends the shell: the EXIT trap first (once), then `exit` with `code`.
    pub fn exit_shell(&mut self, code: i32) -> ! {
        if let Some(action) = self.traps.remove(&0) {
            self.status = code;
            if let Err(Jump::Exit(c) | Jump::Abort(c)) = self.run_text(&action) {
                exit::exit(c);
            }
        }
        exit::exit(code)
    }

    /// dash's `kill [-s NAME | -NAME | -N] PID…` and `kill -l [N]`.
    fn kill(&mut self, args: &[Vec<u8>]) -> R {
        let usage = |sh: &Shell| {
            sh.error(format_args!(
                "kill: Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]"
            ));
            2
        };
        let Some(first) = args.first() else {
            return Ok(usage(self));
        };
        let mut sig = signal::SIGTERM.as_raw();
        let mut rest = args;
        if first.first() == Some(&b'-') && first.len() > 1 {
            let opt = &first[1..];
            if let Some(n) = signal_number(opt).filter(|&n| n != 0 || opt == b"0") {
                sig = n;
                rest = &args[1..];
            } else if opt == b"l" {
                let Some(n) = args.get(1) else {
                    let mut out = Vec::new();
                    for n in 0..65 {
                        out.extend_from_slice(kill_name(n).as_bytes());
                        out.push(b'\n');
                    }
                    return Ok(self.write_out(b"kill", &[&out]).unwrap_or(1));
                };
                return Ok(match dash_number(n) {
                    Some(v) => {
                        let v = if v > 128 { v - 128 } else { v };
                        let name = kill_name(v);
                        self.write_out(b"kill", &[name.as_bytes(), b"\n"])
                            .unwrap_or(1)
                    }
                    None => {
                        self.error(format_args!("kill: Illegal number: {}", show(n)));
                        2
                    }
                });
            } else if opt == b"s" {
                let Some(name) = args.get(1) else {
                    return Ok(usage(self));
                };
                match signal_number(name).filter(|&n| n != 0 || name == b"0") {
                    Some(n) => sig = n,
                    None => {
                        self.error(format_args!(
                            "kill: invalid signal number or name: {}",
                            show(name)
                        ));
                        return Ok(2);
                    }
                }
                rest = &args[2..];
            } else if opt != b"-" {
                self.error(format_args!("kill: Illegal option -{}", opt[0] as char));
                return Ok(2);
            } else {
                rest = &args[1..];
            }
        }
        if rest.is_empty() {
            return Ok(usage(self));
        }
        let mut st = 0;
        for p in rest {
            let (neg, digits) = match p.strip_prefix(b"-") {
                Some(d) => (true, d),
                None => (false, p.as_slice()),
            };
            let Some(n) = dash_number(digits).filter(|_| digits.iter().all(u8::is_ascii_digit))
            else {
                self.error(format_args!("kill: Illegal number: {}", show(p)));
                return Ok(2);
            };
            match send_signal(if neg { -n } else { n }, sig) {
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    // dash's message ends with an extra empty line.
                    self.error(format_args!("kill: {}\n", e));
                    st = 1;
                }
                None => {
                    self.error(format_args!(
                        "kill: {}: not supported by this shell (refused)",
                        show(p)
                    ));
                    return Err(Jump::Abort(2));
                }
            }
        }
        Ok(st)
    }

    /// `trap`: list, or set ACTION (`-` = default, `` = ignore) for each condition
    /// (`EXIT`/`0`, a signal name without `SIG` in any case, or a number). `--` first is
    /// skipped; another option is an error. It stops at the first bad condition.
    fn trap(&mut self, args: &[Vec<u8>]) -> R {
        let (_, args) = self
            .options(b"trap", args, b"")
            .map_err(|()| Jump::Abort(2))?;
        if args.is_empty() {
            let mut out = Vec::new();
            for (sig, action) in &self.traps {
                out.extend_from_slice(b"trap -- ");
                quote_into(action, &mut out);
                out.push(b' ');
                out.extend_from_slice(signal_name(*sig).as_bytes());
                out.push(b'\n');
            }
            return self.write_out(b"trap", &[&out]);
        }
        let (action, conds) = if args.len() == 1 || dash_number(&args[0]).is_some() {
            (None, args)
        } else {
            let a = &args[0];
            (if a == b"-" { None } else { Some(a.clone()) }, &args[1..])
        };
        for c in conds {
            let Some(sig) = signal_number(c) else {
                // dash writes this one without its `sh: N: ` prefix.
                linux_gate::eprintln!("trap: {}: bad trap", show(c));
                return Ok(1);
            };
            if sig == signal::SIGKILL.as_raw() || sig == signal::SIGSTOP.as_raw() {
                continue;
            }
            match &action {
                None => {
                    self.traps.remove(&sig);
                    if let Some(sig) = Signal::from_raw(sig) {
                        let _ = signal::set_default(sig);
                    }
                }
                Some(a) => {
                    self.traps.insert(sig, a.clone());
                    if let Some(sig) = Signal::from_raw(sig) {
                        let _ = if a.is_empty() {
                            signal::ignore(sig)
                        } else {
                            signal::set_handler(sig, note_signal)
                        };
                    }
                }
            }
        }
        Ok(0)
    }

    fn run_and_or(&mut self, ao: &parse::AndOr) -> R {
        // `set -e` does not apply to a pipeline followed by `&&` or `||`.
        let n = ao.rest.len();
        let mut st = self.checked(&ao.first, n > 0)?;
        self.status = st;
        for (i, (and, p)) in ao.rest.iter().enumerate() {
            if (st == 0) == *and {
                st = self.checked(p, i + 1 < n)?;
                self.status = st;
            }
        }
        Ok(st)
    }

    /// Runs a pipeline; under `set -e` a failure ends the shell unless the pipeline is
    /// negated (`!` also suspends `set -e` inside it, as in a condition), tested
    /// (`if`/`while`/`until` conditions), or not the last of an and-or list. As dash, only
    /// a simple command's, a subshell's or a pipeline's status counts: never the one a
    /// brace group, `if`, `for`, `while`, `until` or `case` hands back.
    fn checked(&mut self, p: &Pipeline, not_last: bool) -> R {
        let off = not_last || p.bang;
        if off {
            self.errexit_off += 1;
        }
        let r = self.run_pipeline(p);
        if off {
            self.errexit_off -= 1;
        }
        let st = r?;
        let compound = matches!(p.cmds.as_slice(),
            [Cmd::Compound(c, _)] if !matches!(c, Compound::Subshell(_)));
        if !off && !compound && self.errexit && self.errexit_off == 0 && st != 0 {
            return Err(Jump::Exit(st));
        }
        Ok(st)
    }

    /// A condition (`if`, `while`, `until`): run with `set -e` suspended.
    fn condition(&mut self, l: &List) -> R {
        self.errexit_off += 1;
        let r = self.run_list(l);
        self.errexit_off -= 1;
        r
    }

    fn fork(&mut self) -> Result<Fork, Jump> {
        match process::fork() {
            Ok(Fork::Child) => {
                self.jobs.clear();
                if self.interactive {
                    let _ = signal::set_default(signal::SIGINT);
                }
                // A subshell keeps ignored signals; other traps go back to the default.
                let traps = core::mem::take(&mut self.traps);
                for (sig, action) in traps {
                    if action.is_empty() {
                        self.traps.insert(sig, action);
                    } else if let Some(sig) = Signal::from_raw(sig) {
                        let _ = signal::set_default(sig);
                    }
                }
                Ok(Fork::Child)
            }
            Ok(parent) => Ok(parent),
            Err(_) => {
                self.error(format_args!("Cannot fork"));
                Err(Jump::Abort(2))
            }
        }
    }

    /// In a forked child: runs `f` and exits with its status.
    fn child(&mut self, f: impl FnOnce(&mut Shell) -> R) -> ! {
        let st = match f(self) {
            Ok(s) | Err(Jump::Exit(s) | Jump::Abort(s) | Jump::Return(s)) => s,
            Err(_) => self.status,
        };
        exit::exit(st)
    }

    fn run_async(&mut self, ao: &parse::AndOr) -> R {
        let Fork::Parent(pid) = self.fork()? else {
            // Without job control: SIGINT and SIGQUIT ignored, stdin from /dev/null.
            let _ = signal::ignore(signal::SIGINT);
            let _ = signal::ignore(signal::SIGQUIT);
            fds::close(fds::STDIN);
            if let Ok(fd) = fds::open(c"/dev/null", OFlags::RDONLY, Mode::empty())
                && fd != fds::STDIN
            {
                let _ = fds::dup2(fd, fds::STDIN);
                fds::close(fd);
            }
            self.child(|sh| sh.run_and_or(ao));
        };
        self.last_bg = Some(pid);
        self.jobs.push(pid);
        Ok(0)
    }

    fn run_pipeline(&mut self, p: &Pipeline) -> R {
        let st = match p.cmds.as_slice() {
            [cmd] => self.run_cmd(cmd, false)?,
            cmds => self.run_multi(cmds)?,
        };
        Ok(if p.bang { (st == 0) as i32 } else { st })
    }

    fn run_multi(&mut self, cmds: &[Cmd]) -> R {
        let mut pids = Vec::new();
        let mut prev: Option<RawFd> = None;
        for (i, cmd) in cmds.iter().enumerate() {
            let pipe = if i + 1 < cmds.len() {
                // Both ends above 9, close-on-exec: never one of the descriptors a stage
                // redirects, even when the shell started with 0–2 closed.
                let p = fds::pipe().map(|(r, w)| (move_high(r), move_high(w)));
                match p {
                    Ok(p) => Some(p),
                    Err(_) => {
                        if let Some(r) = prev {
                            fds::close(r);
                        }
                        self.error(format_args!("Pipe call failed"));
                        return Err(Jump::Abort(2));
                    }
                }
            } else {
                None
            };
            let pid = match self.fork() {
                Ok(Fork::Parent(pid)) => pid,
                Ok(Fork::Child) => {
                    if let Some(r) = prev {
                        let _ = fds::dup2(r, fds::STDIN);
                        fds::close(r);
                    }
                    if let Some((r, w)) = pipe {
                        let _ = fds::dup2(w, fds::STDOUT);
                        fds::close(w);
                        fds::close(r);
                    }
                    self.child(|sh| sh.run_cmd(cmd, true));
                }
                Err(j) => {
                    for f in prev
                        .into_iter()
                        .chain(pipe.into_iter().flat_map(|(r, w)| [r, w]))
                    {
                        fds::close(f);
                    }
                    return Err(j);
                }
            };
            pids.push(pid);
            if let Some(r) = prev.take() {
                fds::close(r);
            }
            if let Some((r, w)) = pipe {
                fds::close(w);
                prev = Some(r);
            }
        }
        let mut st = 0;
        for pid in pids {
            st = self.wait_pid(pid);
        }
        Ok(st)
    }

    /// Waits for a child; its status as `$?` shows it (128 + signal), with dash's line
    /// for a death by a signal other than SIGINT and SIGPIPE.
    fn wait_pid(&mut self, pid: Pid) -> i32 {
        match process::wait(pid) {
            Ok(WaitStatus::Signaled { signal, core }) => {
                if signal != signal::SIGINT && signal != signal::SIGPIPE {
                    let dumped = if core { " (core dumped)" } else { "" };
                    linux_gate::eprintln!(
                        "{}{}",
                        linux_gate_gnu::strsignal::description(signal.as_raw()),
                        dumped
                    );
                }
                128 + signal.as_raw()
            }
            Ok(st) => st.code(),
            Err(_) => 127,
        }
    }

    // ----- commands -----

    /// Runs one command. `last` is true in a forked child that exits after it, where an
    /// external command is exec'd without another fork.
    pub fn run_cmd(&mut self, cmd: &Cmd, last: bool) -> R {
        match cmd {
            Cmd::Simple(s) => self.run_simple(s, last),
            Cmd::FuncDef(name, body) => {
                self.funcs.insert(name.clone(), body.clone());
                Ok(0)
            }
            Cmd::Compound(c, redirs) => {
                let saved = match self.redirect(redirs, true) {
                    Ok(s) => s,
                    // `set -e` applies to this status, unlike to the command's own.
                    Err(None) if self.errexit && self.errexit_off == 0 => {
                        return Err(Jump::Exit(2));
                    }
                    Err(None) => return Ok(2),
                    Err(Some(j)) => return Err(j),
                };
                let r = self.run_compound(c, last);
                self.restore(saved);
                r
            }
        }
    }

    fn run_compound(&mut self, c: &Compound, last: bool) -> R {
        match c {
            Compound::Group(l) => self.run_list(l),
            Compound::Subshell(l) => {
                if last {
                    return self.run_list(l);
                }
                let _ = linux_gate::io::flush_stdout();
                let Fork::Parent(pid) = self.fork()? else {
                    self.child(|sh| sh.run_list(l));
                };
                Ok(self.wait_pid(pid))
            }
            Compound::If(arms, otherwise) => {
                for (cond, body) in arms {
                    if self.condition(cond)? == 0 {
                        return self.run_list(body);
                    }
                }
                match otherwise {
                    Some(l) => self.run_list(l),
                    None => Ok(0),
                }
            }
            Compound::Loop { until, cond, body } => {
                self.loop_depth += 1;
                let r = self.run_loop(*until, cond, body);
                self.loop_depth -= 1;
                r
            }
            Compound::For(name, words, body) => {
                let values = match words {
                    Some(w) => self.expand_fields(w)?,
                    None => self.params.clone(),
                };
                self.loop_depth += 1;
                let mut st = 0;
                let mut r = Ok(0);
                for v in values {
                    if let Err(j) = self.assign(name, &v) {
                        self.loop_depth -= 1;
                        return Err(j);
                    }
                    match step(self.run_list(body)) {
                        Ok(Step::Next(s)) => st = s,
                        Ok(Step::Break) => {
                            st = 0;
                            break;
                        }
                        Ok(Step::Continue) => st = 0,
                        Err(j) => {
                            r = Err(j);
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                r.map(|_| st)
            }
            Compound::Case(word, arms) => {
                let subject = self.expand_one(word)?;
                for (pats, body) in arms {
                    for p in pats {
                        let pat = self.expand_pattern(p)?;
                        if crate::pattern::matches(&pat, &subject) {
                            return if body.items.is_empty() {
                                Ok(0)
                            } else {
                                self.run_list(body)
                            };
                        }
                    }
                }
                Ok(0)
            }
        }
    }

    fn run_loop(&mut self, until: bool, cond: &List, body: &List) -> R {
        let mut st = 0;
        loop {
            // `break` and `continue` have status 0, and so has the loop they leave.
            match step(self.condition(cond))? {
                Step::Break => {
                    st = 0;
                    break;
                }
                Step::Continue => {
                    st = 0;
                    continue;
                }
                Step::Next(c) => {
                    if (c == 0) == until {
                        break;
                    }
                }
            }
            match step(self.run_list(body))? {
                Step::Break => {
                    st = 0;
                    break;
                }
                Step::Continue => st = 0,
                Step::Next(s) => st = s,
            }
        }
        Ok(st)
    }
}

fn step(r: R) -> Result<Step, Jump> {
    match r {
        Ok(s) => Ok(Step::Next(s)),
        Err(Jump::Break(n)) if n > 1 => Err(Jump::Break(n - 1)),
        Err(Jump::Break(_)) => Ok(Step::Break),
        Err(Jump::Continue(n)) if n > 1 => Err(Jump::Continue(n - 1)),
        Err(Jump::Continue(_)) => Ok(Step::Continue),
        Err(j) => Err(j),
    }
}

impl Shell {
    fn run_simple(&mut self, s: &Simple, last: bool) -> R {
        self.subst_status = None;
        let fields = self.expand_words(&s.words)?;
        if fields.is_empty() {
            let mut traced = Vec::new();
            for (n, w) in &s.assigns {
                let v = self.expand_assign(w, 0)?;
                self.assign(n, &v)?;
                traced.push((n.clone(), v));
            }
            self.trace(&traced, &[]);
            let st = self.subst_status.unwrap_or(0);
            return match self.redirect(&s.redirs, true) {
                Ok(saved) => {
                    self.restore(saved);
                    Ok(st)
                }
                Err(None) => Ok(2),
                Err(Some(j)) => Err(j),
            };
        }
        // `command [--] NAME ARGS` (any number of times): NAME as a built-in or program,
        // never a function; `command -v NAME`: how NAME would be found.
        let mut fields = fields;
        let mut no_function = false;
        while fields[0] == b"command" {
            match fields.get(1).map(|f| f.as_slice()) {
                Some(b"-v") => {
                    let what = fields.get(2).cloned().unwrap_or_default();
                    return Ok(self.command_v(&what));
                }
                Some(b"--") => {
                    fields.drain(..2);
                }
                Some(o) if o.len() > 1 && o[0] == b'-' => {
                    self.error(format_args!(
                        "command: {}: option not supported by this shell (refused)",
                        show(o)
                    ));
                    return Err(Jump::Abort(2));
                }
                _ => {
                    fields.remove(0);
                }
            }
            if fields.is_empty() {
                return Ok(0);
            }
            no_function = true;
        }
        let name = fields[0].as_slice();
        if REFUSED.contains(&name) {
            self.error(format_args!(
                "{}: not supported by this shell (refused, nothing run)",
                show(name)
            ));
            return Err(Jump::Abort(2));
        }
        let special = SPECIAL.contains(&name) && !no_function;
        let func = if SPECIAL.contains(&name) || no_function {
            None
        } else {
            self.funcs.get(name).cloned()
        };
        let builtin = SPECIAL.contains(&name) || REGULAR.contains(&name);
        if name == b"exec" && fields.len() > 1 {
            let assigns = self.expand_assigns(s)?;
            self.trace(&assigns, &fields);
            return self.exec_external(s, &fields, &assigns);
        }
        if builtin || func.is_some() {
            // Assignments: permanent before a special built-in, for the command only
            // otherwise.
            let mut undo: Vec<(Vec<u8>, Option<Var>)> = Vec::new();
            let mut traced = Vec::new();
            for (n, w) in &s.assigns {
                let v = self.expand_assign(w, 0)?;
                if self.read_only(n, None) {
                    self.undo_assigns(undo);
                    return Err(Jump::Abort(2));
                }
                if !special {
                    let old = self.vars.remove(n.as_slice());
                    let exported = old.as_ref().is_some_and(|o| o.exported);
                    self.vars.insert(
                        n.clone(),
                        Var {
                            value: old.as_ref().and_then(|o| o.value.clone()),
                            exported,
                            readonly: false,
                        },
                    );
                    undo.push((n.clone(), old));
                }
                self.set_var(n, &v);
                traced.push((n.clone(), v));
            }
            self.trace(&traced, &fields);
            let keep = name == b"exec";
            let saved = match self.redirect(&s.redirs, !keep) {
                Ok(s) => s,
                Err(e) => {
                    self.undo_assigns(undo);
                    return match e {
                        Some(j) => Err(j),
                        None if special => Err(Jump::Abort(2)),
                        None => Ok(2),
                    };
                }
            };
            // `command local`: dash gives the command a variable frame of its own, so
            // what it makes local is back as it was once the command is done.
            // (So it works outside a function too.)
            let own_frame = name == b"local" && no_function;
            if own_frame {
                self.locals.push(Vec::new());
            }
            let mut r = match func {
                Some(body) => self.call_function(&body, &fields[1..]),
                None => self.builtin(&fields),
            };
            // Behind `command`, a special built-in's error is only its status.
            if no_function && let Err(Jump::Abort(c)) = r {
                r = Ok(c);
            }
            if own_frame {
                let popped = self.pop_locals();
                r = popped.and(r);
            }
            self.restore(saved);
            self.undo_assigns(undo);
            return r;
        }
        let assigns = self.expand_assigns(s)?;
        self.trace(&assigns, &fields);
        if last {
            return self.exec_external(s, &fields, &assigns);
        }
        let _ = linux_gate::io::flush_stdout();
        let Fork::Parent(pid) = self.fork()? else {
            self.child(|sh| sh.exec_external(s, &fields, &assigns));
        };
        Ok(self.wait_pid(pid))
    }

    /// A simple command's words, expanded in order. Once the command name is known to be
    /// `export`, `readonly` or `local` (also behind `command`, and when it came from an expansion), a
    /// later word that starts with an unquoted `NAME=` is expanded as an assignment: one
    /// field, no globbing, tildes after the `=` and `:` (dash 0.5.12's declaration words).
    fn expand_words(&mut self, words: &[parse::Word]) -> Result<Vec<Vec<u8>>, Jump> {
        let mut out: Vec<Vec<u8>> = Vec::new();
        let mut decl = false;
        for (i, w) in words.iter().enumerate() {
            if decl
                && let Some(parse::Part::Lit(first)) = w.first()
                && let Some(eq) = first.iter().position(|&c| c == b'=')
                && parse::valid_name(&first[..eq])
            {
                let mut f = first[..=eq].to_vec();
                f.extend_from_slice(&self.expand_assign(w, eq + 1)?);
                out.push(f);
                continue;
            }
            out.extend(self.expand_fields(core::slice::from_ref(w))?);
            if !decl {
                let mut name = out.iter().map(|f| f.as_slice());
                let mut after_command = false;
                let name = name.find(|&f| {
                    let skip = f == b"command" || (after_command && f == b"--");
                    after_command = f == b"command";
                    !skip
                });
                match name {
                    Some(n) if n == b"export" || n == b"readonly" || n == b"local" => decl = true,
                    Some(_) => {
                        out.extend(self.expand_fields(&words[i + 1..])?);
                        break;
                    }
                    None => {}
                }
            }
        }
        Ok(out)
    }

    /// The values of a command's prefix assignments, expanded in order.
    fn expand_assigns(&mut self, s: &Simple) -> Result<Assigns, Jump> {
        let mut out = Vec::new();
        for (n, w) in &s.assigns {
            let v = self.expand_assign(w, 0)?;
            if self.read_only(n, None) {
                return Err(Jump::Abort(2));
            }
            out.push((n.clone(), v));
        }
        Ok(out)
    }

    /// `set -x`: dash's trace line, `+ ` and the assignments and words as they are.
    fn trace(&self, assigns: &[(Vec<u8>, Vec<u8>)], fields: &[Vec<u8>]) {
        if !self.xtrace || (assigns.is_empty() && fields.is_empty()) {
            return;
        }
        let mut line = b"+".to_vec();
        for (n, v) in assigns {
            line.push(b' ');
            line.extend_from_slice(n);
            line.push(b'=');
            line.extend_from_slice(v);
        }
        for f in fields {
            line.push(b' ');
            line.extend_from_slice(f);
        }
        line.push(b'\n');
        let _ = fd::stderr().write_all(&line);
    }

    fn undo_assigns(&mut self, undo: Vec<(Vec<u8>, Option<Var>)>) {
        for (n, old) in undo.into_iter().rev() {
            match old {
                Some(v) => {
                    self.vars.insert(n, v);
                }
                None => {
                    self.vars.remove(&n);
                }
            }
        }
    }

    fn call_function(&mut self, body: &Cmd, args: &[Vec<u8>]) -> R {
        let saved = core::mem::replace(&mut self.params, args.to_vec());
        self.func_depth += 1;
        self.locals.push(Vec::new());
        let r = self.run_cmd(body, false);
        let popped = self.pop_locals();
        self.func_depth -= 1;
        self.params = saved;
        popped?;
        match r {
            Err(Jump::Return(s)) => Ok(s),
            r => r,
        }
    }

    /// Ends the innermost frame of `local` variables: each back as it was. dash's `local`
    /// takes `NAME=value` with any NAME; one that is not a name fails only here, when it
    /// is unset again (`NAME: bad variable name`, an error that ends the shell).
    fn pop_locals(&mut self) -> Result<(), Jump> {
        for (name, old) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            match old {
                Some(v) => {
                    self.vars.insert(name, v);
                }
                None => {
                    self.vars.remove(&name);
                    if !parse::valid_name(&name) {
                        self.error(format_args!("{}: bad variable name", show(&name)));
                        return Err(Jump::Abort(2));
                    }
                }
            }
        }
        Ok(())
    }

    /// In a child (or for `exec`): redirections, then the program, as dash finds and
    /// reports it. Returns only for a failed redirection of `exec`.
    fn exec_external(
        &mut self,
        s: &Simple,
        fields: &[Vec<u8>],
        assigns: &[(Vec<u8>, Vec<u8>)],
    ) -> R {
        let fields: &[Vec<u8>] = if fields[0] == b"exec" {
            &fields[1..]
        } else {
            fields
        };
        if self.redirect(&s.redirs, false).is_err() {
            exit::exit(2);
        }
        let mut envp: Vec<Vec<u8>> = Vec::new();
        for (k, v) in &self.vars {
            if v.exported
                && let Some(val) = &v.value
                && !assigns.iter().any(|(n, _)| n == k)
            {
                let mut e = k.clone();
                e.push(b'=');
                e.extend_from_slice(val);
                envp.push(e);
            }
        }
        for (n, v) in assigns {
            let mut e = n.clone();
            e.push(b'=');
            e.extend_from_slice(v);
            envp.push(e);
        }
        let name = &fields[0];
        let path: Vec<u8> = assigns
            .iter()
            .find(|(n, _)| n == b"PATH")
            .map(|(_, v)| v.clone())
            .or_else(|| self.get_var(b"PATH").map(|p| p.to_vec()))
            .unwrap_or_else(|| DEFAULT_PATH.to_vec());
        // dash: each PATH entry is stat'ed; one that exists makes the error "Permission
        // denied" unless it is an executable regular file, which is run.
        let mut err = Errno::ENOENT;
        let mut found: Option<Vec<u8>> = None;
        if name.contains(&b'/') {
            found = Some(name.clone());
        } else if !name.is_empty() {
            for d in path.split(|&b| b == b':') {
                let d: &[u8] = if d.is_empty() { b"." } else { d };
                let mut f = d.to_vec();
                f.push(b'/');
                f.extend_from_slice(name);
                match cstr(&f).map(|c| fs::metadata(&c)) {
                    Some(Ok(m)) => {
                        err = Errno::EACCES;
                        if m.is_file() && process::find_in_path(name, d).is_some() {
                            found = Some(f);
                            break;
                        }
                    }
                    Some(Err(e)) if e != Errno::ENOENT && e != Errno::ENOTDIR => err = e,
                    _ => {}
                }
            }
        }
        let Some(full) = found else {
            let msg = if err == Errno::ENOENT {
                String::from("not found")
            } else {
                alloc::format!("{}", err)
            };
            self.error(format_args!("{}: {}", show(name), msg));
            exit::exit(127)
        };
        match process::exec(&full, fields, &envp) {
            ExecError::Os(Errno::ENOEXEC) => self.run_as_script(&full, fields, &envp),
            ExecError::Os(e) => err = e,
            ExecError::Nul(_) => err = Errno::ENOENT,
        }
        let code = match err {
            Errno::EACCES => 126,
            Errno::ENOENT => 127,
            _ => 2,
        };
        let msg = if err == Errno::ENOENT || err == Errno::ENOTDIR {
            String::from("not found")
        } else {
            alloc::format!("{}", err)
        };
        self.error(format_args!("{}: {}", show(name), msg));
        exit::exit(code)
    }

    /// A file the kernel cannot execute (no `#!`, not ELF) is a shell script: run by this
    /// shell, as dash does.
    fn run_as_script(&mut self, path: &[u8], fields: &[Vec<u8>], envp: &[Vec<u8>]) -> ! {
        let mut argv: Vec<Vec<u8>> = alloc::vec![self.arg0.clone(), path.to_vec()];
        argv.extend(fields[1..].iter().cloned());
        let e = process::exec(b"/proc/self/exe", &argv, envp);
        self.error(format_args!("{}: {}", show(path), e));
        exit::exit(126)
    }

    // ----- redirections -----

    /// Applies redirections; with `save`, what they replace is kept for [`Shell::restore`].
    /// `Err(None)`: one failed (reported, the others undone).
    fn redirect(&mut self, redirs: &[Redir], save: bool) -> Result<Saved, Option<Jump>> {
        let mut saved: Saved = Vec::new();
        for r in redirs {
            let n = r.fd;
            let target = {
                let word = r.target.borrow();
                match self.expand_one(&word) {
                    Ok(t) => t,
                    Err(j) => {
                        self.restore(saved);
                        return Err(Some(j));
                    }
                }
            };
            if save && !saved.iter().any(|(f, _)| *f == n) {
                saved.push((n, save_fd(n)));
            }
            if let Err(e) = self.redirect_one(r.kind, n, &target) {
                self.restore(saved);
                return Err(e);
            }
        }
        Ok(saved)
    }

    fn redirect_one(&mut self, kind: RedirKind, n: i32, target: &[u8]) -> Result<(), Option<Jump>> {
        let nfd = n;
        let (flags, create) = match kind {
            RedirKind::In => (OFlags::RDONLY, false),
            RedirKind::Out | RedirKind::Clobber => {
                (OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC, true)
            }
            RedirKind::Append => (OFlags::WRONLY | OFlags::CREATE | OFlags::APPEND, true),
            RedirKind::ReadWrite => (OFlags::RDWR | OFlags::CREATE, true),
            RedirKind::DupIn | RedirKind::DupOut => {
                if target == b"-" {
                    fds::close(nfd);
                    return Ok(());
                }
                let Some(m) = dash_number(target).filter(|_| target.iter().all(u8::is_ascii_digit))
                else {
                    self.error(format_args!("Syntax error: Bad fd number"));
                    return Err(Some(Jump::Abort(2)));
                };
                if m != n && fds::dup2(m, nfd).is_err() {
                    self.error(format_args!("{}: Bad file descriptor", m));
                    return Err(None);
                }
                return Ok(());
            }
            RedirKind::HereDoc => return self.heredoc(nfd, target),
        };
        let file = match cstr(target) {
            // `set -C`: `>` refuses an existing regular file (`>|` does not).
            Some(p)
                if kind == RedirKind::Out
                    && self.noclobber
                    && fs::metadata(&p).is_ok_and(|m| m.is_file()) =>
            {
                Err(Errno::EEXIST)
            }
            Some(p) => fds::open(&p, flags, Mode::from_octal(0o666)),
            None => Err(Errno::ENOENT),
        };
        match file {
            Ok(fd) => {
                // The open may have returned `n` itself (0–2 closed): keep it then.
                if fd != nfd {
                    let r = fds::dup2(fd, nfd);
                    fds::close(fd);
                    if let Err(e) = r {
                        self.error(format_args!("{}: {}", n, e));
                        return Err(None);
                    }
                }
                Ok(())
            }
            Err(e) => {
                let what = if create { "create" } else { "open" };
                self.error(format_args!(
                    "cannot {} {}: {}",
                    what,
                    show(target),
                    errmsg(e, create)
                ));
                Err(None)
            }
        }
    }

    /// A here-document: its body through a pipe (a writer child for a long one).
    fn heredoc(&mut self, nfd: RawFd, body: &[u8]) -> Result<(), Option<Jump>> {
        let Ok((r, w)) = fds::pipe() else {
            self.error(format_args!("Pipe call failed"));
            return Err(Some(Jump::Abort(2)));
        };
        if body.len() <= 4096 {
            let _ = fds::write_all(w, body);
        } else {
            match process::fork() {
                Ok(Fork::Child) => {
                    fds::close(r);
                    let _ = signal::set_default(signal::SIGPIPE);
                    let _ = fds::write_all(w, body);
                    exit::_exit(0);
                }
                Ok(Fork::Parent(_)) => {}
                Err(_) => {
                    fds::close(r);
                    fds::close(w);
                    self.error(format_args!("Cannot fork"));
                    return Err(Some(Jump::Abort(2)));
                }
            }
        }
        fds::close(w);
        if r != nfd {
            let _ = fds::dup2(r, nfd);
            fds::close(r);
        } else {
            // The pipe came back as the descriptor itself: it must survive exec.
            if let Ok(fl) = fds::dup_at_least(r, 10) {
                fds::close(r);
                let _ = fds::dup2(fl, nfd);
                fds::close(fl);
            }
        }
        Ok(())
    }

    fn restore(&mut self, saved: Saved) {
        for (n, old) in saved.into_iter().rev() {
            match old {
                Some(f) => {
                    let _ = fds::dup2(f, n);
                    fds::close(f);
                }
                None => {
                    fds::close(n);
                }
            }
        }
    }

    // ----- command substitution -----

    pub fn command_substitution(&mut self, list: &List) -> Result<Vec<u8>, Jump> {
        let (r, w) = match fds::pipe() {
            Ok(p) => p,
            Err(_) => {
                self.error(format_args!("Pipe call failed"));
                return Err(Jump::Abort(2));
            }
        };
        let _ = linux_gate::io::flush_stdout();
        let pid = match self.fork() {
            Ok(Fork::Parent(p)) => p,
            Ok(Fork::Child) => {
                fds::close(r);
                if w != fds::STDOUT {
                    let _ = fds::dup2(w, fds::STDOUT);
                    fds::close(w);
                } else if let Ok(f) = fds::dup_at_least(w, 10) {
                    let _ = fds::dup2(f, fds::STDOUT);
                    fds::close(f);
                }
                self.child(|sh| sh.run_list(list));
            }
            Err(j) => {
                fds::close(r);
                fds::close(w);
                return Err(j);
            }
        };
        fds::close(w);
        let mut out = Vec::new();
        let _ = linux_gate::io::read_to_end(fds::borrow(r), &mut out);
        fds::close(r);
        let st = self.wait_pid(pid);
        self.subst_status = Some(st);
        while out.last() == Some(&b'\n') {
            out.pop();
        }
        Ok(out)
    }

    // ----- built-ins -----

    fn builtin(&mut self, args: &[Vec<u8>]) -> R {
        let name = args[0].as_slice();
        let rest = &args[1..];
        match name {
            b":" | b"true" => Ok(0),
            b"false" => Ok(1),
            b"echo" => Ok(self.echo(rest)),
            b"pwd" => {
                let physical = match self.cd_options(b"pwd", rest) {
                    Ok((p, _)) => p,
                    Err(st) => return Ok(st),
                };
                let p = if physical {
                    if self.physdir.is_empty() {
                        // dash's setpwd(curdir, 0): PWD goes back to curdir too.
                        self.physdir = self.getpwd();
                        let cur = self.curdir.clone();
                        self.set_exported(b"PWD", &cur);
                    }
                    self.physdir.clone()
                } else {
                    self.curdir.clone()
                };
                self.write_out(b"pwd", &[&p, b"\n"])
            }
            b"cd" | b"chdir" => Ok(self.cd(name, rest)),
            b"exit" => {
                let code = match rest.first() {
                    None => self.status,
                    Some(n) => match dash_number(n) {
                        Some(n) => n & 0xff,
                        None => {
                            self.error(format_args!("exit: Illegal number: {}", show(n)));
                            return Err(Jump::Abort(2));
                        }
                    },
                };
                Err(Jump::Exit(code))
            }
            b"export" => self.export(rest),
            b"readonly" => self.readonly(rest),
            b"unset" => {
                let (funcs, names) = match rest.first().map(|a| a.as_slice()) {
                    Some(b"-f") => (true, &rest[1..]),
                    Some(b"-v") => (false, &rest[1..]),
                    _ => (false, rest),
                };
                for n in names {
                    if funcs {
                        self.funcs.remove(n);
                    } else if self.read_only(n, Some(b"unset")) {
                        return Err(Jump::Abort(2));
                    } else {
                        self.vars.remove(n);
                    }
                }
                Ok(0)
            }
            b"set" => self.set(rest),
            b"shift" => {
                let n = match rest.first() {
                    None => 1,
                    Some(a) => match dash_number(a) {
                        Some(n) => n as usize,
                        None => {
                            self.error(format_args!("shift: Illegal number: {}", show(a)));
                            return Err(Jump::Abort(2));
                        }
                    },
                };
                if n > self.params.len() {
                    self.error(format_args!("shift: can't shift that many"));
                    return Err(Jump::Abort(2));
                }
                self.params.drain(..n);
                Ok(0)
            }
            b"wait" => Ok(self.wait(rest)),
            b"read" => self.read(rest),
            b"trap" => self.trap(rest),
            b"kill" => self.kill(rest),
            b"local" => {
                if self.locals.is_empty() {
                    self.error(format_args!("local: not in a function"));
                    return Err(Jump::Abort(2));
                }
                for a in rest {
                    let (name, value) = name_and_value(a);
                    // (dash checks the name only when there is no value.)
                    if value.is_none() && !parse::valid_name(name) {
                        self.error(format_args!("local: {}: bad variable name", show(name)));
                        return Err(Jump::Abort(2));
                    }
                    if value.is_some() && self.read_only(name, Some(b"local")) {
                        return Err(Jump::Abort(2));
                    }
                    let old = self.vars.get(name).cloned();
                    if let Some(frame) = self.locals.last_mut()
                        && !frame.iter().any(|(n, _)| n == name)
                    {
                        frame.push((name.to_vec(), old));
                    }
                    if let Some(v) = value {
                        self.set_var(name, v);
                    }
                }
                Ok(0)
            }
            b"return" => {
                let code = match rest.first() {
                    None => self.status,
                    Some(n) => match dash_number(n) {
                        Some(n) => n,
                        None => {
                            self.error(format_args!("return: Illegal number: {}", show(n)));
                            return Err(Jump::Abort(2));
                        }
                    },
                };
                Err(Jump::Return(code))
            }
            b"break" | b"continue" => {
                let n = match rest.first() {
                    None => 1,
                    Some(a) => match dash_number(a) {
                        Some(n) if n > 0 => n as u32,
                        _ => {
                            self.error(format_args!("{}: Illegal number: {}", show(name), show(a)));
                            return Err(Jump::Abort(2));
                        }
                    },
                };
                if self.loop_depth == 0 {
                    return Ok(0);
                }
                let n = n.min(self.loop_depth);
                Err(if name == b"break" {
                    Jump::Break(n)
                } else {
                    Jump::Continue(n)
                })
            }
            b"eval" => {
                let text = rest.join(&b' ');
                self.run_text(&text)
            }
            b"." => {
                let Some(file) = rest.first() else {
                    return Ok(0);
                };
                let found = if file.contains(&b'/') {
                    Some(file.clone())
                } else {
                    let path = self.get_var(b"PATH").unwrap_or(b"").to_vec();
                    path.split(|&b| b == b':').find_map(|d| {
                        let mut f = if d.is_empty() {
                            b".".to_vec()
                        } else {
                            d.to_vec()
                        };
                        f.push(b'/');
                        f.extend_from_slice(file);
                        cstr(&f)
                            .and_then(|c| fs::metadata(&c).ok())
                            .filter(|m| m.is_file())
                            .map(|_| f)
                    })
                };
                let text = found
                    .as_ref()
                    .and_then(|f| cstr(f))
                    .and_then(|c| fs::read(&c).ok());
                let Some(text) = text else {
                    self.error(format_args!("{}: not found", show(file)));
                    return Err(Jump::Abort(2));
                };
                match self.run_text(&text) {
                    Err(Jump::Return(s)) => Ok(s),
                    r => r,
                }
            }
            b"exec" => Ok(0),
            _ => Ok(0),
        }
    }

    /// Parses and runs a whole text (`eval`, `.`), one complete command at a time.
    pub fn run_text(&mut self, text: &[u8]) -> R {
        let mut input = parse::StrInput::new(text);
        let mut p = parse::Parser::new(&mut input);
        let mut st = 0;
        loop {
            match p.complete_command() {
                Ok(Some(l)) => {
                    st = self.run_list(&l)?;
                }
                Ok(None) => break,
                Err(e) => {
                    self.report_parse_error(&e);
                    return Err(Jump::Abort(2));
                }
            }
        }
        Ok(st)
    }

    pub fn report_parse_error(&self, e: &parse::Error) {
        match e {
            parse::Error::Syntax(m) => self.error(format_args!("Syntax error: {}", m)),
        }
    }

    /// Writes built-in output to fd 1; a failure is dash's `NAME: I/O error`, status 1.
    fn write_out(&self, name: &[u8], pieces: &[&[u8]]) -> R {
        let mut all = Vec::new();
        for p in pieces {
            all.extend_from_slice(p);
        }
        match fd::stdout().write_all(&all) {
            Ok(()) => Ok(0),
            Err(_) => {
                self.error(format_args!("{}: {}: I/O error", show(name), show(name)));
                Ok(1)
            }
        }
    }

    /// dash's `echo`: `-n` as the first argument only; backslash escapes always.
    fn echo(&self, args: &[Vec<u8>]) -> i32 {
        let (newline, args) = match args.first() {
            Some(a) if a == b"-n" => (false, &args[1..]),
            _ => (true, args),
        };
        let mut out = Vec::new();
        let mut stop = false;
        'outer: for (i, a) in args.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            let mut j = 0;
            while j < a.len() {
                let c = a[j];
                if c != b'\\' || j + 1 >= a.len() {
                    out.push(c);
                    j += 1;
                    continue;
                }
                let e = a[j + 1];
                j += 2;
                match e {
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'c' => {
                        stop = true;
                        break 'outer;
                    }
                    b'e' => out.push(0x1b),
                    b'f' => out.push(12),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'v' => out.push(11),
                    b'\\' => out.push(b'\\'),
                    b'0'..=b'7' => {
                        // \0NNN, or \NNN: up to three octal digits (after the 0 for \0).
                        let mut v: u32 = 0;
                        let mut k = 0;
                        if e != b'0' {
                            v = u32::from(e - b'0');
                            k = 1;
                        }
                        while k < 3 && j < a.len() && (b'0'..=b'7').contains(&a[j]) {
                            v = v * 8 + u32::from(a[j] - b'0');
                            j += 1;
                            k += 1;
                        }
                        out.push(v as u8);
                    }
                    _ => {
                        out.push(b'\\');
                        out.push(e);
                    }
                }
            }
        }
        if newline && !stop {
            out.push(b'\n');
        }
        self.write_out(b"echo", &[&out]).unwrap_or(1)
    }

    /// dash's `nextopt` over `args`: the option letters given (each one of `allowed`), in
    /// order, and the arguments after them (`--` ends them). `Err(())` after dash's
    /// `CMD: Illegal option -c` for any other letter.
    fn options<'a>(
        &self,
        cmd: &[u8],
        args: &'a [Vec<u8>],
        allowed: &[u8],
    ) -> Result<(Vec<u8>, &'a [Vec<u8>]), ()> {
        let mut seen = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a.len() < 2 || a[0] != b'-' {
                break;
            }
            i += 1;
            if a == b"--" {
                break;
            }
            for &c in &a[1..] {
                if !allowed.contains(&c) {
                    let (cmd, c) = (show(cmd), c as char);
                    self.error(format_args!("{}: Illegal option -{}", cmd, c));
                    return Err(());
                }
                seen.push(c);
            }
        }
        Ok((seen, &args[i..]))
    }

    /// dash's `cdopt`: `-L` and `-P` (the last one counts), `--`; the options' end and
    /// whether `-P` won. `Err(2)` after dash's message for another option.
    fn cd_options<'a>(
        &self,
        name: &[u8],
        args: &'a [Vec<u8>],
    ) -> Result<(bool, &'a [Vec<u8>]), i32> {
        let (seen, rest) = self.options(name, args, b"LP").map_err(|()| 2)?;
        Ok((seen.last() == Some(&b'P'), rest))
    }

    /// dash's `getpwd`: the physical current directory, empty (after a warning) if
    /// there is none.
    fn getpwd(&self) -> Vec<u8> {
        match process::getcwd() {
            Ok(d) => d,
            Err(e) => {
                self.error(format_args!("getcwd() failed: {}", e));
                Vec::new()
            }
        }
    }

    /// dash's `cd`/`chdir` [`-L`|`-P`] [DIR|`-`]: DIR (`$HOME` without one, `$OLDPWD`
    /// for `-`, then printed) looked up in `CDPATH` unless it starts with `/`, `.` or
    /// `..`; a directory found through a non-empty `CDPATH` entry is printed. Logically
    /// (`-L`, the default) the new path is the shell's current one and DIR with `.` and
    /// `..` taken out as text; `-P` takes the physical one.
    fn cd(&mut self, name: &[u8], args: &[Vec<u8>]) -> i32 {
        let (physical, args) = match self.cd_options(name, args) {
            Ok(o) => o,
            Err(st) => return st,
        };
        let mut print = false;
        let mut dest: Vec<u8> = match args.first() {
            None => self.get_var(b"HOME").unwrap_or_default().to_vec(),
            Some(d) if d == b"-" => {
                print = true;
                self.get_var(b"OLDPWD").unwrap_or_default().to_vec()
            }
            Some(d) => d.clone(),
        };
        let at = |i: usize| dest.get(i).copied().unwrap_or(0);
        // `/…`, `.`, `./…`, `..`, `../…`: as they are, no CDPATH.
        let direct = at(0) == b'/'
            || (at(0) == b'.'
                && (matches!(at(1), 0 | b'/') || (at(1) == b'.' && matches!(at(2), 0 | b'/'))));
        if dest.is_empty() {
            dest = b".".to_vec();
        }
        if !direct && let Some(cdpath) = self.get_var(b"CDPATH").map(|p| p.to_vec()) {
            for entry in cdpath.split(|&b| b == b':') {
                let mut p = entry.to_vec();
                if !p.is_empty() {
                    p.push(b'/');
                }
                p.extend_from_slice(&dest);
                if cstr(&p)
                    .and_then(|c| fs::metadata(&c).ok())
                    .is_some_and(|m| m.is_dir())
                {
                    print |= !entry.is_empty();
                    return self.docd(name, &p, &dest, physical, print);
                }
            }
        }
        let d = dest.clone();
        self.docd(name, &d, &dest, physical, print)
    }

    /// dash's `docd`: into `path` (logically unless `physical`), `PWD` and `OLDPWD` set;
    /// `can't cd to DEST` if it fails.
    fn docd(&mut self, name: &[u8], path: &[u8], dest: &[u8], physical: bool, print: bool) -> i32 {
        let logical = if physical { None } else { self.updatepwd(path) };
        let target = logical.as_deref().unwrap_or(path);
        if cstr(target).is_none_or(|c| process::chdir(&c).is_err()) {
            self.error(format_args!("{}: can't cd to {}", show(name), show(dest)));
            return 2;
        }
        // (dash's setpwd: a read-only OLDPWD leaves the shell's idea of the directory as
        // it was, a read-only PWD only itself.)
        if self.read_only(b"OLDPWD", Some(name)) {
            return 2;
        }
        let old = core::mem::take(&mut self.curdir);
        self.set_exported(b"OLDPWD", &old);
        match logical {
            Some(l) => {
                self.curdir = l;
                self.physdir.clear();
            }
            None => {
                self.physdir = self.getpwd();
                self.curdir = self.physdir.clone();
            }
        }
        let cur = self.curdir.clone();
        if self.read_only(b"PWD", Some(name)) {
            return 2;
        }
        self.set_exported(b"PWD", &cur);
        if print {
            return self.write_out(name, &[&cur, b"\n"]).unwrap_or(1);
        }
        0
    }

    /// dash's `updatepwd`: the shell's current directory and `dir` joined, `.` and `..`
    /// taken out as text (a leading `//` kept); `None` for a relative `dir` when the
    /// current directory is unknown.
    fn updatepwd(&self, dir: &[u8]) -> Option<Vec<u8>> {
        let mut new: Vec<u8> = Vec::new();
        let mut comps = dir;
        let mut lim = 1;
        if dir.first() != Some(&b'/') {
            if self.curdir.is_empty() {
                return None;
            }
            new.extend_from_slice(&self.curdir);
            if new.last() != Some(&b'/') {
                new.push(b'/');
            }
            if new.len() > lim && new[1] == b'/' {
                lim += 1;
            }
        } else {
            new.push(b'/');
            comps = &dir[1..];
            if dir.get(1) == Some(&b'/') && dir.get(2) != Some(&b'/') {
                new.push(b'/');
                comps = &dir[2..];
                lim += 1;
            }
        }
        for c in comps.split(|&b| b == b'/').filter(|c| !c.is_empty()) {
            match c {
                b"." => {}
                b".." => {
                    while new.len() > lim {
                        new.pop();
                        if new.last() == Some(&b'/') {
                            break;
                        }
                    }
                }
                c => {
                    new.extend_from_slice(c);
                    new.push(b'/');
                }
            }
        }
        if new.len() > lim {
            new.pop();
        }
        Some(new)
    }

    /// `export -p`, `readonly -p`: the variables `pick` chooses, as `WORD NAME='VALUE'` (or
    /// `WORD NAME` for an unset one), on stdout.
    fn list_vars(&mut self, word: &[u8], pick: impl Fn(&Var) -> bool) -> R {
        let mut out = Vec::new();
        for (k, v) in self.vars.iter().filter(|(_, v)| pick(v)) {
            out.extend_from_slice(word);
            out.push(b' ');
            out.extend_from_slice(k);
            if let Some(val) = &v.value {
                out.push(b'=');
                quote_into(val, &mut out);
            }
            out.push(b'\n');
        }
        self.write_out(word, &[&out])
    }

    /// `export`/`readonly`'s `NAME[=VALUE]`, checked as dash checks it (a bad name; a value
    /// for a read-only name, which ends the shell), then marked by `mark` and set.
    fn declare(
        &mut self,
        cmd: &[u8],
        name: &[u8],
        value: Option<&[u8]>,
        mark: fn(&mut Var),
    ) -> Result<(), Jump> {
        if !parse::valid_name(name) {
            self.error(format_args!(
                "{}: {}: bad variable name",
                show(cmd),
                show(name)
            ));
            return Err(Jump::Abort(2));
        }
        if value.is_some() && self.read_only(name, Some(cmd)) {
            return Err(Jump::Abort(2));
        }
        let v = self.vars.entry(name.to_vec()).or_insert(Var {
            value: None,
            exported: false,
            readonly: false,
        });
        mark(v);
        if let Some(val) = value {
            v.value = Some(val.to_vec());
        }
        Ok(())
    }

    fn export(&mut self, args: &[Vec<u8>]) -> R {
        let args: &[Vec<u8>] = match args.first().map(|a| a.as_slice()) {
            Some(b"-p") => &args[1..],
            _ => args,
        };
        if args.is_empty() {
            return self.list_vars(b"export", |v| v.exported);
        }
        for a in args {
            let (name, value) = name_and_value(a);
            self.declare(b"export", name, value, |v| v.exported = true)?;
        }
        Ok(0)
    }

    /// dash's `readonly [-p] [NAME[=VALUE]…]`: NAME marked read-only (set first if there
    /// is a VALUE); with no NAME, or `-p`, the read-only variables as `readonly NAME='VALUE'`.
    fn readonly(&mut self, args: &[Vec<u8>]) -> R {
        let (seen, args) = self
            .options(b"readonly", args, b"p")
            .map_err(|()| Jump::Abort(2))?;
        let list = !seen.is_empty();
        if list || args.is_empty() {
            return self.list_vars(b"readonly", |v| v.readonly);
        }
        for a in args {
            let (name, value) = name_and_value(a);
            if value.is_none()
                && let Some(v) = self.vars.get_mut(name)
            {
                v.readonly = true;
                continue;
            }
            self.declare(b"readonly", name, value, |v| v.readonly = true)?;
        }
        Ok(0)
    }

    fn set(&mut self, args: &[Vec<u8>]) -> R {
        if args.is_empty() {
            let mut out = Vec::new();
            for (k, v) in &self.vars {
                if let Some(val) = &v.value {
                    out.extend_from_slice(k);
                    out.push(b'=');
                    quote_into(val, &mut out);
                    out.push(b'\n');
                }
            }
            return self.write_out(b"set", &[&out]);
        }
        // Options: -f/+f (noglob) and -u/+u (nounset); any other is refused.
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == b"--" {
                self.params = args[i + 1..].to_vec();
                return Ok(0);
            }
            if a.len() < 2 || (a[0] != b'-' && a[0] != b'+') {
                break;
            }
            if &a[1..] == b"o" {
                // `set -o NAME` / `set +o NAME` for the two options there are.
                let on = a[0] == b'-';
                match args.get(i + 1).map(|n| n.as_slice()) {
                    Some(b"noglob") => self.noglob = on,
                    Some(b"nounset") => self.nounset = on,
                    Some(b"errexit") => self.errexit = on,
                    Some(b"xtrace") => self.xtrace = on,
                    Some(b"noclobber") => self.noclobber = on,
                    None => return self.print_options(on),
                    other => {
                        self.error(format_args!(
                            "set: {}o {}: option not supported by this shell (refused)",
                            a[0] as char,
                            show(other.unwrap_or(b""))
                        ));
                        return Err(Jump::Abort(2));
                    }
                }
                i += 2;
                continue;
            }
            for &c in &a[1..] {
                match c {
                    b'f' => self.noglob = a[0] == b'-',
                    b'u' => self.nounset = a[0] == b'-',
                    b'e' => self.errexit = a[0] == b'-',
                    b'x' => self.xtrace = a[0] == b'-',
                    b'C' => self.noclobber = a[0] == b'-',
                    _ => {
                        self.error(format_args!(
                            "set: {}{}: option not supported by this shell (refused)",
                            a[0] as char, c as char
                        ));
                        return Err(Jump::Abort(2));
                    }
                }
            }
            i += 1;
        }
        if i < args.len() {
            self.params = args[i..].to_vec();
        }
        Ok(0)
    }

    /// `command -v NAME`: a reserved word, function or built-in by its name, a program by
    /// its path (PATH searched as for running it); nothing and 127 if there is none.
    fn command_v(&self, name: &[u8]) -> i32 {
        const WORDS: [&[u8]; 16] = [
            b"if", b"then", b"else", b"elif", b"fi", b"do", b"done", b"case", b"esac", b"while",
            b"until", b"for", b"{", b"}", b"!", b"in",
        ];
        let found = if WORDS.contains(&name)
            || self.funcs.contains_key(name)
            || SPECIAL.contains(&name)
            || REGULAR.contains(&name)
            || name == b"command"
        {
            Some(name.to_vec())
        } else if name.contains(&b'/') {
            cstr(name)
                .filter(|c| fs::metadata(c).is_ok())
                .map(|_| name.to_vec())
        } else if name.is_empty() {
            None
        } else {
            let path = self.get_var(b"PATH").unwrap_or(b"").to_vec();
            path.split(|&b| b == b':').find_map(|d| {
                let d: &[u8] = if d.is_empty() { b"." } else { d };
                process::find_in_path(name, d).map(|c| c.to_bytes().to_vec())
            })
        };
        match found {
            Some(f) => self.write_out(b"command", &[&f, b"\n"]).unwrap_or(1),
            None => 127,
        }
    }

    /// `set -o` (a table) and `set +o` (commands that restore the settings), with dash's
    /// option names in its order.
    fn print_options(&self, table: bool) -> R {
        let opts: [(&str, bool); 18] = [
            ("errexit", self.errexit),
            ("noglob", self.noglob),
            ("ignoreeof", false),
            ("interactive", self.interactive),
            ("monitor", false),
            ("noexec", false),
            ("stdin", self.from_stdin),
            ("xtrace", self.xtrace),
            ("verbose", false),
            ("vi", false),
            ("emacs", false),
            ("noclobber", self.noclobber),
            ("allexport", false),
            ("notify", false),
            ("nounset", self.nounset),
            ("privileged", false),
            ("nolog", false),
            ("debug", false),
        ];
        let mut out = alloc::string::String::new();
        if table {
            out.push_str("Current option settings\n");
        }
        for (name, on) in opts {
            if table {
                out.push_str(&alloc::format!(
                    "{:<16}{}\n",
                    name,
                    if on { "on" } else { "off" }
                ));
            } else {
                out.push_str(&alloc::format!(
                    "set {}o {}\n",
                    if on { '-' } else { '+' },
                    name
                ));
            }
        }
        self.write_out(b"set", &[out.as_bytes()])
    }

    /// dash's `read [-r] NAME…`: one line from fd 0, a byte at a time (so nothing after
    /// the line is consumed), split with `IFS`; the last name gets the rest of the line.
    /// Without `-r` a backslash escapes the next byte and a backslash-newline joins lines.
    /// Status 1 at the end of the input (what was read is still assigned).
    fn read(&mut self, args: &[Vec<u8>]) -> R {
        let (raw, names) = match args.first().map(|a| a.as_slice()) {
            Some(b"-r") => (true, &args[1..]),
            Some(o) if o.first() == Some(&b'-') && o.len() > 1 => {
                self.error(format_args!("read: Illegal option {}", show(o)));
                return Ok(2);
            }
            _ => (false, args),
        };
        if names.is_empty() {
            self.error(format_args!("read: arg count"));
            return Ok(2);
        }
        for n in names {
            if !parse::valid_name(n) {
                self.error(format_args!("read: {}: bad variable name", show(n)));
                return Ok(2);
            }
        }
        // The line, with a flag per byte: escaped (never a separator).
        let mut line: Vec<(u8, bool)> = Vec::new();
        let mut status = 0;
        let mut escape = false;
        loop {
            let mut b = [0u8; 1];
            match fd::stdin().read(&mut b) {
                Ok(1) => {}
                Ok(_) => {
                    status = 1;
                    break;
                }
                Err(Errno::EINTR) => continue,
                Err(e) => {
                    self.error(format_args!("read: read error: {}", e));
                    status = 1;
                    break;
                }
            }
            let c = b[0];
            if escape {
                escape = false;
                if c != b'\n' {
                    line.push((c, true));
                }
                continue;
            }
            if c == b'\\' && !raw {
                escape = true;
                continue;
            }
            if c == b'\n' {
                break;
            }
            line.push((c, false));
        }
        let ifs = self
            .get_var(b"IFS")
            .map_or(b" \t\n".to_vec(), |v| v.to_vec());
        let is_ifs = |&(c, esc): &(u8, bool)| !esc && ifs.contains(&c);
        let is_ws =
            |&(c, esc): &(u8, bool)| !esc && ifs.contains(&c) && matches!(c, b' ' | b'\t' | b'\n');
        let mut i = 0;
        while i < line.len() && is_ws(&line[i]) {
            i += 1;
        }
        for (k, name) in names.iter().enumerate() {
            let last = k + 1 == names.len();
            let value: Vec<u8> = if last {
                let mut end = line.len();
                while end > i && is_ws(&line[end - 1]) {
                    end -= 1;
                }
                let v = line[i..end].iter().map(|&(c, _)| c).collect();
                i = line.len();
                v
            } else {
                let start = i;
                while i < line.len() && !is_ifs(&line[i]) {
                    i += 1;
                }
                let v = line[start..i].iter().map(|&(c, _)| c).collect();
                // The separator: white space around at most one other IFS byte.
                while i < line.len() && is_ws(&line[i]) {
                    i += 1;
                }
                if i < line.len() && is_ifs(&line[i]) && !is_ws(&line[i]) {
                    i += 1;
                    while i < line.len() && is_ws(&line[i]) {
                        i += 1;
                    }
                }
                v
            };
            if self.read_only(name, Some(b"read")) {
                return Ok(2);
            }
            self.set_var(name, &value);
        }
        Ok(status)
    }

    fn wait(&mut self, args: &[Vec<u8>]) -> i32 {
        if args.is_empty() {
            // (dash reports no signal deaths here.)
            for pid in core::mem::take(&mut self.jobs) {
                let _ = process::wait(pid);
            }
            return 0;
        }
        let mut st = 0;
        for a in args {
            let Some(pid) = dash_number(a) else {
                self.error(format_args!("wait: Illegal number: {}", show(a)));
                return 2;
            };
            st = match self.jobs.iter().position(|&p| p.as_raw() == pid) {
                Some(i) => {
                    // A job killed by a signal is reported as a foreground one is.
                    let job = self.jobs.remove(i);
                    self.wait_pid(job)
                }
                None => 127,
            };
        }
        st
    }
}

/// A close-on-exec copy of `fd` above 9 (above 2 when the descriptor limit is lower);
/// `None` if `fd` is not open.
fn save_fd(fd: RawFd) -> Option<RawFd> {
    match fds::dup_at_least(fd, 10) {
        Err(Errno::EINVAL) => fds::dup_at_least(fd, 3).ok(),
        r => r.ok(),
    }
}

/// `fd` moved above 9 if it can be (so it is never one of 0–2), else left where it is.
fn move_high(fd: RawFd) -> RawFd {
    match save_fd(fd) {
        Some(high) => {
            fds::close(fd);
            high
        }
        None => fd,
    }
}

/// Signals that arrived with a trap set, one bit each, for the next safe point.
static PENDING: AtomicU64 = AtomicU64::new(0);

/// The handler behind every trapped signal: only notes it.
fn note_signal(sig: Signal) {
    let sig = sig.as_raw();
    if (1..64).contains(&sig) {
        PENDING.fetch_or(1u64 << sig, Ordering::SeqCst);
    }
}

/// A trap condition's or `kill`'s signal number, as dash's `decode_signal`: a number up
/// to 64, or a name as `kill -l` shows it (`EXIT` is 0, `INT`, `RTMIN+1`), in any case;
/// never with `SIG` in front.
fn signal_number(c: &[u8]) -> Option<i32> {
    if !c.is_empty() && c.iter().all(u8::is_ascii_digit) {
        return dash_number(c).filter(|&n| n < 65);
    }
    (0..65).find(|&n| signal_name(n).as_bytes().eq_ignore_ascii_case(c))
}

/// `kill(pid, sig)` as the `kill` built-in means it: `pid` > 0 one process, 0 this
/// process group, -1 every process it may signal, < -1 the group `-pid`; `sig` 0 only
/// checks. (`sig` is 0..=64 here: the parser takes no other.) `None` for a signal number
/// with no `Signal`, which the parser never produces; the built-in refuses it.
fn send_signal(pid: i32, sig: i32) -> Option<Result<(), Errno>> {
    let signal = if sig == 0 {
        None
    } else {
        Some(Signal::from_raw(sig)?)
    };
    Some(
        match (
            Pid::from_raw(pid),
            Pid::from_raw(pid.checked_neg()?),
            signal,
        ) {
            (Some(p), _, Some(s)) => process::kill(p, s),
            (Some(p), _, None) => process::test_kill(p),
            (None, _, Some(s)) if pid == 0 => process::kill_current_process_group(s),
            (None, _, None) if pid == 0 => process::test_kill_current_process_group(),
            (None, _, Some(s)) if pid == -1 => process::kill_every_process(s),
            (None, _, None) if pid == -1 => process::test_kill_every_process(),
            (None, Some(g), Some(s)) => process::kill_process_group(g, s),
            (None, Some(g), None) => process::test_kill_process_group(g),
            (None, None, _) => return None,
        },
    )
}

/// How `kill -l` names a signal: without `SIG`, glibc's real-time names, the number for
/// the ones without a name (16, 32, 33).
fn kill_name(n: i32) -> alloc::string::String {
    match n {
        34 => alloc::string::String::from("RTMIN"),
        35..=49 => alloc::format!("RTMIN+{}", n - 34),
        50..=63 => alloc::format!("RTMAX-{}", 64 - n),
        64 => alloc::string::String::from("RTMAX"),
        16 | 32 | 33 => alloc::format!("{}", n),
        _ => match Signal::from_raw(n).and_then(signal::name) {
            Some(full) => alloc::string::String::from(full.trim_start_matches("SIG")),
            None => alloc::format!("{}", n),
        },
    }
}

/// How `trap` lists a condition: `EXIT`, or the signal's name as `kill -l` has it.
fn signal_name(sig: i32) -> alloc::string::String {
    if sig == 0 {
        return alloc::string::String::from("EXIT");
    }
    kill_name(sig)
}

enum Step {
    Next(i32),
    Break,
    Continue,
}

/// dash's `single_quote` (in `set`, `export -p`, `readonly`, `trap`): the text in single
/// quotes, each run of `'` in double quotes (`it's` as `'it'"'"'s'`).
fn quote_into(v: &[u8], out: &mut Vec<u8>) {
    let mut s = v;
    loop {
        let len = s.iter().position(|&c| c == b'\'').unwrap_or(s.len());
        out.push(b'\'');
        out.extend_from_slice(&s[..len]);
        out.push(b'\'');
        s = &s[len..];
        if s.is_empty() {
            break;
        }
        let run = s.iter().take_while(|&&c| c == b'\'').count();
        out.push(b'"');
        out.extend_from_slice(&s[..run]);
        out.push(b'"');
        s = &s[run..];
        if s.is_empty() {
            break;
        }
    }
}

impl crate::arith::Vars for Shell {
    fn get_var(&self, name: &[u8]) -> Option<&[u8]> {
        Shell::get_var(self, name)
    }
    fn refuse_read_only(&self, name: &[u8]) -> bool {
        self.read_only(name, None)
    }
    fn set_var(&mut self, name: &[u8], value: &[u8]) {
        Shell::set_var(self, name, value)
    }
}

/// `NAME=VALUE` as `(NAME, Some(VALUE))`, a bare `NAME` as `(NAME, None)`.
fn name_and_value(a: &[u8]) -> (&[u8], Option<&[u8]>) {
    match a.iter().position(|&c| c == b'=') {
        Some(i) => (&a[..i], Some(&a[i + 1..])),
        None => (a, None),
    }
}
