//! The lexer and the recursive-descent parser: input text to the syntax tree.
//!
//! The grammar is POSIX's (XCU 2.10): lists of and-or lists of pipelines of commands,
//! simple or compound, with redirections and here-documents. Words are parsed into parts
//! (literal text, quoted text, parameter expansions, command substitutions) here, once, so
//! that expansion never re-reads quotes. Input arrives a line at a time: the lexer asks
//! its [`Input`] for the next line whenever a construct is still open (a quote, `|`, `&&`,
//! `if` without `fi`, a here-document body), as dash does.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

/// One piece of a word.
pub enum Part {
    /// Unquoted literal text: subject to pathname expansion.
    Lit(Vec<u8>),
    /// Quoted literal text (`'…'`, inside `"…"`, after `\`).
    Quoted(Vec<u8>),
    /// `$name`, `${…}`; `true` inside double quotes.
    Param(Box<Param>, bool),
    /// `$(…)` or `` `…` ``; `true` inside double quotes.
    CmdSub(Rc<List>, bool),
    /// `~` or `~user` at the start of a word (the user name, possibly empty).
    Tilde(Vec<u8>),
    /// `$((…))`: the expression's text as a word (expanded, then evaluated); `true`
    /// inside double quotes.
    Arith(Word, bool),
}

pub type Word = Vec<Part>;

/// What a `${…}` does with its parameter. `Bad` is what dash cannot read (`${x/a/b}`,
/// `${x[1]}`, `${!x}`): "Bad substitution" when it is expanded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    Plain,
    Length,
    Default,
    Assign,
    Error,
    Alt,
    TrimPrefix { longest: bool },
    TrimSuffix { longest: bool },
    Bad,
}

pub struct Param {
    pub name: Vec<u8>,
    pub op: ParamOp,
    /// `:` before the operator: an empty value counts as unset.
    pub colon: bool,
    pub word: Word,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RedirKind {
    In,
    Out,
    Append,
    Clobber,
    ReadWrite,
    DupIn,
    DupOut,
    /// A here-document: `target` is its body.
    HereDoc,
}

pub struct Redir {
    pub fd: i32,
    pub kind: RedirKind,
    /// The file name, descriptor or `-`; for a here-document its body, filled in when the
    /// line that holds the `<<` ends.
    pub target: Rc<RefCell<Word>>,
}

#[derive(Default)]
pub struct Simple {
    pub assigns: Vec<(Vec<u8>, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

pub enum Compound {
    Group(List),
    Subshell(List),
    If(Vec<(List, List)>, Option<List>),
    Loop { until: bool, cond: List, body: List },
    For(Vec<u8>, Option<Vec<Word>>, List),
    Case(Word, Vec<(Vec<Word>, List)>),
}

pub enum Cmd {
    Simple(Simple),
    Compound(Compound, Vec<Redir>),
    FuncDef(Vec<u8>, Rc<Cmd>),
}

pub struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Cmd>,
}

pub struct AndOr {
    pub first: Pipeline,
    /// `(true for &&, false for ||, pipeline)`.
    pub rest: Vec<(bool, Pipeline)>,
}

#[derive(Default)]
pub struct List {
    /// Each and-or list, and whether it runs in the background (`&`).
    pub items: Vec<(AndOr, bool)>,
}

/// Where the text comes from: a line at a time, each with its `\n` (the last may lack it).
pub trait Input {
    /// Appends the next line to `out`; false at the end of the input. `continued` is true
    /// when a construct is still open (an interactive shell prompts with `PS2` then).
    fn line(&mut self, continued: bool, out: &mut Vec<u8>) -> bool;
}

/// A syntax error: the message after `Syntax error: `.
pub enum Error {
    Syntax(String),
}

#[derive(Clone, PartialEq, Eq)]
enum Tok {
    Word(Vec<u8>),
    /// A descriptor number before `<` or `>`.
    IoNumber(i32),
    Op(&'static str),
    Newline,
    Eof,
}

const OPS: [&str; 18] = [
    "&&", "||", ";;", "<<-", "<<", ">>", "<&", ">&", "<>", ">|", "&", "|", ";", "<", ">", "(", ")",
    "\n",
];

const RESERVED: [&[u8]; 16] = [
    b"if", b"then", b"else", b"elif", b"fi", b"do", b"done", b"case", b"esac", b"while", b"until",
    b"for", b"{", b"}", b"!", b"in",
];

/// A here-document whose body is still to be read: delimiter, strip tabs (`<<-`), quoted
/// delimiter (no expansion), where the body goes.
type PendingHeredoc = (Vec<u8>, bool, bool, Rc<RefCell<Word>>);

pub struct Parser<'a> {
    input: &'a mut dyn Input,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    peeked: Option<(Tok, Word)>,
    /// Here-documents whose bodies start at the next newline: (delimiter, strip tabs,
    /// quoted delimiter, where to put the body).
    heredocs: Vec<PendingHeredoc>,
    /// Depth of open constructs: at depth 0 a newline ends the command.
    depth: usize,
    /// A token of the current command has been read (so more input is a continuation).
    started: bool,
    /// Where the last word token lexed lies in `buf` (a here-document delimiter is its
    /// source text with quotes removed, `$` and all).
    last_span: (usize, usize),
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}
fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}
pub fn valid_name(s: &[u8]) -> bool {
    s.first().is_some_and(|&c| is_name_start(c)) && s.iter().all(|&c| is_name(c))
}

fn syntax<T>(msg: &str) -> Result<T, Error> {
    Err(Error::Syntax(String::from(msg)))
}

/// dash's way of naming a token in `… unexpected`.
fn describe(t: &Tok) -> String {
    match t {
        Tok::Eof => String::from("end of file"),
        Tok::Newline => String::from("newline"),
        Tok::Op(o) => alloc::format!("\"{}\"", o),
        Tok::IoNumber(_) => String::from("redirection"),
        Tok::Word(w) if RESERVED.contains(&w.as_slice()) => {
            alloc::format!("\"{}\"", String::from_utf8_lossy(w))
        }
        Tok::Word(_) => String::from("word"),
    }
}

impl<'a> Parser<'a> {
    pub fn new(input: &'a mut dyn Input) -> Parser<'a> {
        Parser {
            input,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            peeked: None,
            heredocs: Vec::new(),
            depth: 0,
            started: false,
            last_span: (0, 0),
        }
    }

    /// Reads the next line into the buffer; false at the end of the input.
    fn more(&mut self) -> bool {
        if self.eof {
            return false;
        }
        let continued = self.depth > 0 || self.started;
        let old = self.buf.len();
        if self
            .input
            .line(continued || !self.heredocs.is_empty(), &mut self.buf)
        {
            // NUL bytes are dropped, as dash drops them.
            if self.buf[old..].contains(&0) {
                let mut tail = self.buf.split_off(old);
                tail.retain(|&b| b != 0);
                self.buf.append(&mut tail);
            }
            true
        } else {
            self.eof = true;
            false
        }
    }

    fn peek_byte(&mut self) -> Option<u8> {
        if self.pos >= self.buf.len() && !self.more() {
            return None;
        }
        self.buf.get(self.pos).copied()
    }

    /// The byte after the current one, without reading a new line for it.
    fn byte_at(&mut self, off: usize) -> Option<u8> {
        while self.pos + off >= self.buf.len() {
            if !self.more() {
                return None;
            }
        }
        self.buf.get(self.pos + off).copied()
    }

    /// Skips backslash-newline pairs at the current position.
    fn skip_continuations(&mut self) {
        while self.peek_byte() == Some(b'\\') && self.byte_at(1) == Some(b'\n') {
            self.pos += 2;
        }
    }

    /// The next byte after line continuations, without consuming it.
    fn peek_c(&mut self) -> Option<u8> {
        self.skip_continuations();
        self.peek_byte()
    }

    /// One complete command (a list up to a newline), `None` at the end of the input.
    pub fn complete_command(&mut self) -> Result<Option<List>, Error> {
        // What the previous command used is dropped: the buffer holds only the current one.
        self.buf.drain(..self.pos);
        self.pos = 0;
        self.depth = 0;
        self.started = false;
        loop {
            let t = self.peek()?;
            match t {
                Tok::Eof => return Ok(None),
                Tok::Newline => {
                    self.next()?;
                }
                _ => break,
            }
        }
        self.started = true;
        let list = self.list(true)?;
        match self.peek()? {
            Tok::Newline => {
                self.next()?;
            }
            Tok::Eof => {}
            t => return syntax(&alloc::format!("{} unexpected", describe(&t))),
        }
        Ok(Some(list))
    }

    /// After a syntax error in an interactive shell: forget the rest of the line.
    pub fn discard(&mut self) {
        self.buf.clear();
        self.pos = 0;
        self.peeked = None;
        self.heredocs.clear();
        self.depth = 0;
    }

    // ----- tokens -----

    fn peek(&mut self) -> Result<Tok, Error> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        Ok(self
            .peeked
            .as_ref()
            .map(|(t, _)| t.clone())
            .unwrap_or(Tok::Eof))
    }

    fn next(&mut self) -> Result<(Tok, Word), Error> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    fn lex(&mut self) -> Result<(Tok, Word), Error> {
        // Blanks and comments.
        loop {
            match self.peek_c() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'#') => {
                    // To the end of the line (which is in the buffer: lines end with it).
                    let rest = self.buf.get(self.pos..).unwrap_or_default();
                    self.pos += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                }
                _ => break,
            }
        }
        let Some(c) = self.peek_c() else {
            return Ok((Tok::Eof, Vec::new()));
        };
        self.started |= c != b'\n';
        if c == b'\n' {
            self.pos += 1;
            self.read_heredocs()?;
            return Ok((Tok::Newline, Vec::new()));
        }
        for op in OPS {
            let ob = op.as_bytes();
            if ob[0] != c {
                continue;
            }
            let mut ok = true;
            for (i, &b) in ob.iter().enumerate().skip(1) {
                if self.byte_at(i) != Some(b) {
                    ok = false;
                    break;
                }
            }
            if ok {
                self.pos += ob.len();
                return Ok((Tok::Op(op), Vec::new()));
            }
        }
        let start = self.pos;
        let (raw, word) = self.word()?;
        self.last_span = (start, self.pos);
        // dash takes one digit only as a descriptor (`echo hi 99>&1` prints `hi 99`).
        if raw.len() == 1
            && raw.iter().all(u8::is_ascii_digit)
            && matches!(self.peek_byte(), Some(b'<' | b'>'))
            && let Ok(n) = core::str::from_utf8(&raw).unwrap_or("x").parse::<i32>()
        {
            return Ok((Tok::IoNumber(n), word));
        }
        Ok((Tok::Word(raw), word))
    }

    /// A word up to an unquoted blank or operator: its raw text (quotes removed from the
    /// parts, kept in `raw` only for reserved-word and name checks) and its parts.
    fn word(&mut self) -> Result<(Vec<u8>, Word), Error> {
        let mut raw = Vec::new();
        let mut parts: Word = Vec::new();
        let mut lit: Vec<u8> = Vec::new();
        let start = self.pos;
        // `~` at the start of a word.
        if self.peek_c() == Some(b'~') {
            let mut j = self.pos + 1;
            while let Some(&c) = self.buf.get(j) {
                if c == b'/' || !(is_name(c) || c == b'-' || c == b'.') {
                    break;
                }
                j += 1;
            }
            let end_ok = matches!(
                self.buf.get(j),
                None | Some(b'/' | b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')' | b'<' | b'>')
            );
            if end_ok {
                let user = self.buf[self.pos + 1..j].to_vec();
                record(&mut raw, &self.buf[self.pos..j]);
                self.pos = j;
                parts.push(Part::Tilde(user));
            }
        }
        while let Some(c) = self.peek_c() {
            match c {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
                b'\'' => {
                    flush_lit(&mut lit, &mut parts);
                    self.pos += 1;
                    let mut q = Vec::new();
                    loop {
                        match self.peek_byte() {
                            None => return syntax("Unterminated quoted string"),
                            Some(b'\'') => break,
                            Some(c) => {
                                q.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                    self.pos += 1;
                    record(&mut raw, b"'");
                    parts.push(Part::Quoted(q));
                }
                b'"' => {
                    flush_lit(&mut lit, &mut parts);
                    self.pos += 1;
                    record(&mut raw, b"\"");
                    let before = parts.len();
                    self.double_quoted(&mut parts, b'"')?;
                    if parts.len() == before {
                        parts.push(Part::Quoted(Vec::new()));
                    }
                }
                b'\\' => {
                    flush_lit(&mut lit, &mut parts);
                    self.pos += 1;
                    match self.peek_byte() {
                        None => parts.push(Part::Quoted(b"\\".to_vec())),
                        Some(c) => {
                            self.pos += 1;
                            parts.push(Part::Quoted(alloc::vec![c]));
                        }
                    }
                    record(&mut raw, b"\\");
                }
                b'$' => {
                    flush_lit(&mut lit, &mut parts);
                    record(&mut raw, b"$");
                    self.dollar(&mut parts, false)?;
                }
                b'`' => {
                    flush_lit(&mut lit, &mut parts);
                    record(&mut raw, b"`");
                    self.backquote(&mut parts, false)?;
                }
                _ => {
                    // A run of ordinary bytes at once (a 100 MB word is one memcpy).
                    let run = self.buf[self.pos..]
                        .iter()
                        .position(|&b| {
                            matches!(
                                b,
                                b' ' | b'\t'
                                    | b'\n'
                                    | b';'
                                    | b'&'
                                    | b'|'
                                    | b'<'
                                    | b'>'
                                    | b'('
                                    | b')'
                                    | b'\''
                                    | b'"'
                                    | b'\\'
                                    | b'$'
                                    | b'`'
                            )
                        })
                        .unwrap_or(self.buf.len() - self.pos)
                        .max(1);
                    let bytes = &self.buf[self.pos..self.pos + run];
                    lit.extend_from_slice(bytes);
                    record(&mut raw, bytes);
                    self.pos += run;
                }
            }
        }
        flush_lit(&mut lit, &mut parts);
        let _ = start;
        Ok((raw, parts))
    }

    /// The inside of `"…"` (or of a here-document when `end` is 0), up to `end`.
    fn double_quoted(&mut self, parts: &mut Word, end: u8) -> Result<(), Error> {
        let mut lit = Vec::new();
        loop {
            let Some(c) = self.peek_byte() else {
                if end == 0 {
                    break;
                }
                return syntax("Unterminated quoted string");
            };
            match c {
                _ if c == end && end != 0 => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    let next = self.byte_at(1);
                    match next {
                        Some(b'\n') => self.pos += 2,
                        Some(n)
                            if n == b'$' || n == b'`' || n == b'\\' || (n == b'"' && end != 0) =>
                        {
                            lit.push(n);
                            self.pos += 2;
                        }
                        _ => {
                            lit.push(b'\\');
                            self.pos += 1;
                        }
                    }
                }
                b'$' => {
                    quoted_lit(&mut lit, parts);
                    self.dollar(parts, true)?;
                }
                b'`' => {
                    quoted_lit(&mut lit, parts);
                    self.backquote(parts, true)?;
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        quoted_lit(&mut lit, parts);
        Ok(())
    }

    /// `$…` at the current position.
    fn dollar(&mut self, parts: &mut Word, quoted: bool) -> Result<(), Error> {
        self.pos += 1;
        let c = self.peek_c();
        match c {
            Some(b'{') => {
                self.pos += 1;
                self.braced(parts, quoted)
            }
            Some(b'(') => {
                if self.byte_at(1) == Some(b'(') {
                    self.pos += 2;
                    let text = self.arith_text()?;
                    parts.push(Part::Arith(parse_heredoc_body(&text)?, quoted));
                    return Ok(());
                }
                self.pos += 1;
                let list = self.sub_list(b')')?;
                parts.push(Part::CmdSub(Rc::new(list), quoted));
                Ok(())
            }
            Some(c) if is_name_start(c) => {
                let mut name = Vec::new();
                while let Some(c) = self.peek_c() {
                    if !is_name(c) {
                        break;
                    }
                    name.push(c);
                    self.pos += 1;
                }
                parts.push(param(name, ParamOp::Plain, false, Vec::new(), quoted));
                Ok(())
            }
            Some(c) if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => {
                self.pos += 1;
                parts.push(param(
                    alloc::vec![c],
                    ParamOp::Plain,
                    false,
                    Vec::new(),
                    quoted,
                ));
                Ok(())
            }
            _ => {
                push_lit(parts, b"$", quoted);
                Ok(())
            }
        }
    }

    /// The text of `$((…))` after the `$((`, up to the matching `))` (consumed).
    fn arith_text(&mut self) -> Result<Vec<u8>, Error> {
        let mut text = Vec::new();
        let mut depth = 0usize;
        loop {
            let Some(c) = self.peek_byte() else {
                return syntax("Missing '))'");
            };
            self.pos += 1;
            match c {
                b'(' => depth += 1,
                b')' if depth == 0 => {
                    if self.peek_byte() == Some(b')') {
                        self.pos += 1;
                        return Ok(text);
                    }
                    return syntax("Missing '))'");
                }
                b')' => depth -= 1,
                _ => {}
            }
            text.push(c);
        }
    }

    /// `${…}` after the `{`, read as dash reads it: a parameter name it cannot read or
    /// an operator it does not know is no syntax error but a [`ParamOp::Bad`] expansion,
    /// an error only when it runs; the text up to the `}` is read as a word all the same.
    fn braced(&mut self, parts: &mut Word, quoted: bool) -> Result<(), Error> {
        let mut name = Vec::new();
        let mut length = false;
        let mut bad = false;
        let first = self.peek_c();
        let mut varname = matches!(first, Some(c) if is_name(c));
        match first {
            _ if varname => {}
            None | Some(b'}') => bad = true,
            Some(mut c) => {
                self.pos += 1;
                if c == b'#' {
                    // `${#name}`, `${#1}`; `${#@}` when the special parameter is right
                    // before the `}`; otherwise (`${#}`, `${#-x}`) `#` is the parameter.
                    match self.peek_c() {
                        Some(n) if is_name(n) => {
                            length = true;
                            varname = true;
                        }
                        Some(n) if n != b'}' => {
                            let at = self.pos;
                            self.pos += 1;
                            if self.peek_c() == Some(b'}') {
                                length = true;
                                c = n;
                            } else {
                                self.pos = at;
                            }
                        }
                        _ => {}
                    }
                }
                if !varname {
                    if b"@*#?-$!".contains(&c) {
                        name.push(c);
                    } else {
                        length = false;
                        bad = true;
                    }
                }
            }
        }
        if varname {
            // A name, or (from a digit) digits only: `${10x}` is 10 and then `x`.
            let in_name: fn(u8) -> bool = if self.peek_c().is_some_and(|c| c.is_ascii_digit()) {
                |c| c.is_ascii_digit()
            } else {
                is_name
            };
            while let Some(c) = self.peek_c() {
                if !in_name(c) {
                    break;
                }
                name.push(c);
                self.pos += 1;
            }
        }
        let mut op = ParamOp::Plain;
        let mut colon = false;
        if length {
            if self.peek_c() == Some(b'}') {
                self.pos += 1;
                parts.push(param(name, ParamOp::Length, false, Vec::new(), quoted));
                return Ok(());
            }
            bad = true;
        } else if !bad {
            let mut c = self.peek_c();
            if c == Some(b':') {
                colon = true;
                self.pos += 1;
                c = self.peek_c();
            }
            op = match c {
                Some(b'}') if !colon => {
                    self.pos += 1;
                    parts.push(param(name, op, false, Vec::new(), quoted));
                    return Ok(());
                }
                Some(b'}') => {
                    // dash's `${x:}`: `$x`, then the text up to the next `}` as it is.
                    self.pos += 1;
                    parts.push(param(name, op, false, Vec::new(), quoted));
                    return self.brace_word(parts, quoted);
                }
                Some(b'-') => ParamOp::Default,
                Some(b'=') => ParamOp::Assign,
                Some(b'?') => ParamOp::Error,
                Some(b'+') => ParamOp::Alt,
                Some(b'#') if !colon => ParamOp::TrimPrefix { longest: false },
                Some(b'%') if !colon => ParamOp::TrimSuffix { longest: false },
                // An unknown operator (`${x/a/b}`, `${x[1]}`): dash drops its first byte.
                Some(_) => ParamOp::Bad,
                None => ParamOp::Bad,
            };
            if c.is_some() {
                self.pos += 1;
            }
            if let ParamOp::TrimPrefix { .. } | ParamOp::TrimSuffix { .. } = op
                && self.peek_c() == c
            {
                self.pos += 1;
                op = match op {
                    ParamOp::TrimPrefix { .. } => ParamOp::TrimPrefix { longest: true },
                    _ => ParamOp::TrimSuffix { longest: true },
                };
            }
        }
        let mut word = Vec::new();
        if bad || op == ParamOp::Bad {
            // Read (and checked) like any word, but never expanded.
            self.brace_word(&mut word, quoted)?;
            parts.push(param(name, ParamOp::Bad, false, Vec::new(), quoted));
            return Ok(());
        }
        // A pattern (`#`, `%`) is read as outside double quotes: `'…'` and `"…"` quote
        // in it, the rest is a pattern, as in dash.
        let pattern = matches!(op, ParamOp::TrimPrefix { .. } | ParamOp::TrimSuffix { .. });
        self.brace_word(&mut word, quoted && !pattern)?;
        parts.push(param(name, op, colon, word, quoted));
        Ok(())
    }

    /// The word of `${name-word}` up to the closing `}`; `quoted` inside double quotes.
    fn brace_word(&mut self, parts: &mut Word, quoted: bool) -> Result<(), Error> {
        let mut lit = Vec::new();
        let flush = |lit: &mut Vec<u8>, parts: &mut Word| {
            if quoted {
                quoted_lit(lit, parts)
            } else {
                flush_lit(lit, parts)
            }
        };
        // `~` or `~user` at the start of an unquoted word, up to a `/` or the `}`.
        if !quoted && self.peek_c() == Some(b'~') {
            let mut j = self.pos + 1;
            while let Some(&c) = self.buf.get(j) {
                if matches!(c, b'/' | b'}' | b'\'' | b'"' | b'\\' | b'$' | b'`' | b'\n') {
                    break;
                }
                j += 1;
            }
            if matches!(self.buf.get(j), Some(b'/' | b'}')) {
                parts.push(Part::Tilde(self.buf[self.pos + 1..j].to_vec()));
                self.pos = j;
            }
        }
        loop {
            let Some(c) = self.peek_c() else {
                // dash names the innermost open quote or `${`.
                return syntax(if quoted {
                    "Unterminated quoted string"
                } else {
                    "Missing '}'"
                });
            };
            match c {
                b'}' => {
                    self.pos += 1;
                    break;
                }
                b'\'' if !quoted => {
                    flush(&mut lit, parts);
                    self.pos += 1;
                    let mut q = Vec::new();
                    loop {
                        match self.peek_byte() {
                            None => return syntax("Unterminated quoted string"),
                            Some(b'\'') => break,
                            Some(c) => {
                                q.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                    self.pos += 1;
                    parts.push(Part::Quoted(q));
                }
                b'"' => {
                    flush(&mut lit, parts);
                    self.pos += 1;
                    let before = parts.len();
                    self.double_quoted(parts, b'"')?;
                    if parts.len() == before {
                        parts.push(Part::Quoted(Vec::new()));
                    }
                }
                b'\\' => {
                    flush(&mut lit, parts);
                    self.pos += 1;
                    if let Some(c) = self.peek_byte() {
                        self.pos += 1;
                        if quoted && !b"$`\\\"}".contains(&c) {
                            parts.push(Part::Quoted(alloc::vec![b'\\', c]));
                        } else {
                            parts.push(Part::Quoted(alloc::vec![c]));
                        }
                    }
                }
                b'$' => {
                    flush(&mut lit, parts);
                    self.dollar(parts, quoted)?;
                }
                b'`' => {
                    flush(&mut lit, parts);
                    self.backquote(parts, quoted)?;
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, parts);
        Ok(())
    }

    /// A command list inside `$(…)`, up to the closing parenthesis.
    fn sub_list(&mut self, close: u8) -> Result<List, Error> {
        self.depth += 1;
        let saved = self.peeked.take();
        let list = self.list(false)?;
        match self.next()?.0 {
            Tok::Op(")") if close == b')' => {}
            t => {
                return syntax(&alloc::format!(
                    "{} unexpected (expecting \")\")",
                    describe(&t)
                ));
            }
        }
        self.peeked = saved;
        self.depth -= 1;
        Ok(list)
    }

    /// `` `…` ``: its text with `\$`, `` \` `` and `\\` unescaped, parsed as a script.
    fn backquote(&mut self, parts: &mut Word, quoted: bool) -> Result<(), Error> {
        self.pos += 1;
        let mut text = Vec::new();
        loop {
            match self.peek_byte() {
                None => return syntax("EOF in backquote substitution"),
                Some(b'`') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => {
                    let n = self.byte_at(1);
                    match n {
                        Some(c @ (b'$' | b'`' | b'\\')) => text.push(c),
                        Some(b'"') if quoted => text.push(b'"'),
                        Some(b'\n') => {}
                        Some(c) => {
                            text.push(b'\\');
                            text.push(c);
                        }
                        None => text.push(b'\\'),
                    }
                    self.pos += 2;
                }
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        let list = parse_string(&text)?;
        parts.push(Part::CmdSub(Rc::new(list), quoted));
        Ok(())
    }

    /// Reads the bodies of the here-documents started on the line just ended.
    fn read_heredocs(&mut self) -> Result<(), Error> {
        let docs = core::mem::take(&mut self.heredocs);
        for (delim, strip, quoted_delim, target) in docs {
            let mut body = Vec::new();
            loop {
                // The next line from the buffer (or the input).
                if self.pos >= self.buf.len() && !self.more() {
                    break;
                }
                let end = self.buf[self.pos..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map(|n| self.pos + n);
                let end = match end {
                    Some(e) => e,
                    None => {
                        if self.more() {
                            continue;
                        }
                        self.buf.len()
                    }
                };
                let mut line = &self.buf[self.pos..end];
                if strip {
                    while let [b'\t', rest @ ..] = line {
                        line = rest;
                    }
                }
                let done = line == delim.as_slice();
                if !done {
                    body.extend_from_slice(line);
                    if end < self.buf.len() {
                        body.push(b'\n');
                    }
                }
                self.pos = (end + 1).min(self.buf.len());
                if done {
                    break;
                }
            }
            let word = if quoted_delim {
                alloc::vec![Part::Quoted(body)]
            } else {
                parse_heredoc_body(&body)?
            };
            *target.borrow_mut() = word;
        }
        Ok(())
    }

    // ----- grammar -----

    /// A list: and-or lists separated by `;`, `&` or (when not `top`) newlines.
    fn list(&mut self, top: bool) -> Result<List, Error> {
        let mut list = List::default();
        loop {
            self.linebreak(top)?;
            match self.peek()? {
                Tok::Word(w) if !list.items.is_empty() && is_terminator_word(&w) => break,
                Tok::Word(w) if is_terminator_word(&w) && w != b"!" && w != b"{" => {
                    return syntax(&alloc::format!("{} unexpected", describe(&Tok::Word(w))));
                }
                Tok::Op(")") | Tok::Eof if !list.items.is_empty() => break,
                Tok::Op(";;") => break,
                Tok::Word(w) if w == b"esac" => break,
                Tok::Newline if top => break,
                _ => {}
            }
            let ao = self.and_or()?;
            let t = self.peek()?;
            match t {
                Tok::Op("&") => {
                    self.next()?;
                    list.items.push((ao, true));
                }
                Tok::Op(";") => {
                    self.next()?;
                    list.items.push((ao, false));
                }
                _ => {
                    list.items.push((ao, false));
                    if t != Tok::Newline || top {
                        break;
                    }
                }
            }
            if top && self.peek()? == Tok::Newline {
                break;
            }
        }
        Ok(list)
    }

    /// Newlines, skipped (only inside an open construct).
    fn linebreak(&mut self, top: bool) -> Result<(), Error> {
        if top {
            return Ok(());
        }
        while self.peek()? == Tok::Newline {
            self.next()?;
        }
        Ok(())
    }

    fn and_or(&mut self) -> Result<AndOr, Error> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let and = match self.peek()? {
                Tok::Op("&&") => true,
                Tok::Op("||") => false,
                _ => break,
            };
            self.next()?;
            self.depth += 1;
            self.linebreak(false)?;
            let p = self.pipeline()?;
            self.depth -= 1;
            rest.push((and, p));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, Error> {
        let mut bang = false;
        if let Tok::Word(w) = self.peek()?
            && w == b"!"
        {
            self.next()?;
            bang = true;
        }
        let mut cmds = alloc::vec![self.command()?];
        while self.peek()? == Tok::Op("|") {
            self.next()?;
            self.depth += 1;
            self.linebreak(false)?;
            cmds.push(self.command()?);
            self.depth -= 1;
        }
        Ok(Pipeline { bang, cmds })
    }

    fn command(&mut self) -> Result<Cmd, Error> {
        let t = self.peek()?;
        let compound = match &t {
            Tok::Op("(") => {
                self.next()?;
                self.depth += 1;
                let l = self.list(false)?;
                self.expect_op(")")?;
                self.depth -= 1;
                Some(Compound::Subshell(l))
            }
            Tok::Word(w) => match w.as_slice() {
                b"{" => {
                    self.next()?;
                    let l = self.block(b"}")?;
                    Some(Compound::Group(l))
                }
                b"if" => Some(self.if_clause()?),
                b"while" | b"until" => {
                    let until = w == b"until";
                    self.next()?;
                    let cond = self.block(b"do")?;
                    let body = self.block(b"done")?;
                    Some(Compound::Loop { until, cond, body })
                }
                b"for" => Some(self.for_clause()?),
                b"case" => Some(self.case_clause()?),
                _ => None,
            },
            Tok::Op(o) if *o != "<" && *o != ">" && !o.starts_with(['<', '>']) => {
                return syntax(&alloc::format!("{} unexpected", describe(&t)));
            }
            Tok::Eof | Tok::Newline => {
                return syntax(&alloc::format!("{} unexpected", describe(&t)));
            }
            _ => None,
        };
        if let Some(c) = compound {
            let mut redirs = Vec::new();
            while self.redirect(&mut redirs)? {}
            return Ok(Cmd::Compound(c, redirs));
        }
        self.simple()
    }

    /// A list up to the reserved word `end`, which is consumed.
    fn block(&mut self, end: &[u8]) -> Result<List, Error> {
        self.depth += 1;
        let l = self.list(false)?;
        match self.next()?.0 {
            Tok::Word(w) if w == end => {}
            t => {
                return syntax(&alloc::format!(
                    "{} unexpected (expecting \"{}\")",
                    describe(&t),
                    String::from_utf8_lossy(end)
                ));
            }
        }
        self.depth -= 1;
        if l.items.is_empty() {
            return syntax(&alloc::format!(
                "\"{}\" unexpected",
                String::from_utf8_lossy(end)
            ));
        }
        Ok(l)
    }

    fn expect_op(&mut self, op: &str) -> Result<(), Error> {
        match self.next()?.0 {
            Tok::Op(o) if o == op => Ok(()),
            t => syntax(&alloc::format!(
                "{} unexpected (expecting \"{}\")",
                describe(&t),
                op
            )),
        }
    }

    fn if_clause(&mut self) -> Result<Compound, Error> {
        self.next()?;
        let mut arms = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.block(b"then")?;
            self.depth += 1;
            let body = self.list(false)?;
            self.depth -= 1;
            if body.items.is_empty() {
                let t = self.peek()?;
                return syntax(&alloc::format!("{} unexpected", describe(&t)));
            }
            arms.push((cond, body));
            match self.next()?.0 {
                Tok::Word(w) if w == b"elif" => continue,
                Tok::Word(w) if w == b"else" => {
                    otherwise = Some(self.block(b"fi")?);
                    break;
                }
                Tok::Word(w) if w == b"fi" => break,
                t => {
                    return syntax(&alloc::format!(
                        "{} unexpected (expecting \"fi\")",
                        describe(&t)
                    ));
                }
            }
        }
        Ok(Compound::If(arms, otherwise))
    }

    fn for_clause(&mut self) -> Result<Compound, Error> {
        self.next()?;
        self.depth += 1;
        let name = match self.next()?.0 {
            Tok::Word(w) if valid_name(&w) => w,
            _ => return syntax("Bad for loop variable"),
        };
        let mut words = None;
        while self.peek()? == Tok::Newline {
            self.next()?;
        }
        if let Tok::Word(w) = self.peek()?
            && w == b"in"
        {
            self.next()?;
            let mut ws = Vec::new();
            loop {
                match self.peek()? {
                    Tok::Word(_) => ws.push(self.next()?.1),
                    Tok::Op(";") | Tok::Newline => {
                        self.next()?;
                        break;
                    }
                    t => {
                        return syntax(&alloc::format!(
                            "{} unexpected (expecting \"do\")",
                            describe(&t)
                        ));
                    }
                }
            }
            words = Some(ws);
        } else if self.peek()? == Tok::Op(";") {
            self.next()?;
        }
        while self.peek()? == Tok::Newline {
            self.next()?;
        }
        match self.next()?.0 {
            Tok::Word(w) if w == b"do" => {}
            t => {
                return syntax(&alloc::format!(
                    "{} unexpected (expecting \"do\")",
                    describe(&t)
                ));
            }
        }
        self.depth -= 1;
        let body = self.block(b"done")?;
        Ok(Compound::For(name, words, body))
    }

    fn case_clause(&mut self) -> Result<Compound, Error> {
        self.next()?;
        self.depth += 1;
        let word = match self.next()? {
            (Tok::Word(_), w) => w,
            (t, _) => return syntax(&alloc::format!("{} unexpected", describe(&t))),
        };
        while self.peek()? == Tok::Newline {
            self.next()?;
        }
        match self.next()?.0 {
            Tok::Word(w) if w == b"in" => {}
            t => {
                return syntax(&alloc::format!(
                    "{} unexpected (expecting \"in\")",
                    describe(&t)
                ));
            }
        }
        let mut arms = Vec::new();
        loop {
            while self.peek()? == Tok::Newline {
                self.next()?;
            }
            match self.peek()? {
                Tok::Word(w) if w == b"esac" => {
                    self.next()?;
                    break;
                }
                Tok::Op("(") => {
                    self.next()?;
                }
                _ => {}
            }
            let mut pats = Vec::new();
            loop {
                match self.next()? {
                    (Tok::Word(_), w) => pats.push(w),
                    (t, _) => return syntax(&alloc::format!("{} unexpected", describe(&t))),
                }
                match self.next()?.0 {
                    Tok::Op("|") => continue,
                    Tok::Op(")") => break,
                    t => {
                        return syntax(&alloc::format!(
                            "{} unexpected (expecting \")\")",
                            describe(&t)
                        ));
                    }
                }
            }
            // The last item's body may be empty, with `esac` and no `;;` after it.
            self.linebreak(false)?;
            let body = match self.peek()? {
                Tok::Word(w) if w == b"esac" => List::default(),
                _ => self.list(false)?,
            };
            arms.push((pats, body));
            match self.next()?.0 {
                Tok::Op(";;") => {}
                Tok::Word(w) if w == b"esac" => break,
                t => {
                    return syntax(&alloc::format!(
                        "{} unexpected (expecting \";;\")",
                        describe(&t)
                    ));
                }
            }
        }
        self.depth -= 1;
        Ok(Compound::Case(word, arms))
    }

    /// A redirection at the current token, if there is one: pushed onto `redirs`.
    fn redirect(&mut self, redirs: &mut Vec<Redir>) -> Result<bool, Error> {
        let (fd, op) = match self.peek()? {
            Tok::IoNumber(n) => {
                self.next()?;
                match self.next()?.0 {
                    Tok::Op(o) => (Some(n), o),
                    t => return syntax(&alloc::format!("{} unexpected", describe(&t))),
                }
            }
            Tok::Op(o @ ("<" | ">" | ">>" | "<&" | ">&" | "<>" | ">|" | "<<" | "<<-")) => {
                self.next()?;
                (None, o)
            }
            _ => return Ok(false),
        };
        let (kind, default_fd) = match op {
            "<" => (RedirKind::In, 0),
            ">" => (RedirKind::Out, 1),
            ">>" => (RedirKind::Append, 1),
            ">|" => (RedirKind::Clobber, 1),
            "<>" => (RedirKind::ReadWrite, 0),
            "<&" => (RedirKind::DupIn, 0),
            ">&" => (RedirKind::DupOut, 1),
            _ => (RedirKind::HereDoc, 0),
        };
        let (t, word) = self.next()?;
        let Tok::Word(_) = t else {
            return syntax(&alloc::format!("{} unexpected", describe(&t)));
        };
        let fd = fd.unwrap_or(default_fd);
        if kind == RedirKind::HereDoc {
            // dash reads `$(` in a delimiter as the start of a subshell: an error.
            if word.iter().any(|p| matches!(p, Part::CmdSub(..)))
                && self.buf[self.last_span.0..self.last_span.1]
                    .windows(2)
                    .any(|w| w == b"$(")
            {
                return syntax("\"(\" unexpected");
            }
            let (start, end) = self.last_span;
            let src = self.buf.get(start..end).unwrap_or_default();
            let quoted = src.iter().any(|&c| matches!(c, b'\'' | b'"' | b'\\'));
            // The delimiter is the word's text with quote characters removed.
            let mut delim = Vec::new();
            let mut k = 0;
            let mut q = 0u8;
            while k < src.len() {
                let c = src[k];
                match c {
                    b'\'' | b'"' if q == 0 => q = c,
                    _ if c == q => q = 0,
                    b'\\' if q != b'\'' && k + 1 < src.len() => {
                        k += 1;
                        if src[k] != b'\n' {
                            delim.push(src[k]);
                        }
                    }
                    _ => delim.push(c),
                }
                k += 1;
            }
            let body = Rc::new(RefCell::new(Vec::new()));
            self.heredocs
                .push((delim, op == "<<-", quoted, body.clone()));
            redirs.push(Redir {
                fd,
                kind,
                target: body,
            });
            return Ok(true);
        }
        redirs.push(Redir {
            fd,
            kind,
            target: Rc::new(RefCell::new(word)),
        });
        Ok(true)
    }

    fn simple(&mut self) -> Result<Cmd, Error> {
        let mut s = Simple::default();
        loop {
            if self.redirect(&mut s.redirs)? {
                continue;
            }
            match self.peek()? {
                Tok::Word(raw) => {
                    let (_, mut word) = self.next()?;
                    if s.words.is_empty()
                        && let Some(eq) = raw.iter().position(|&c| c == b'=')
                        && valid_name(&raw[..eq])
                        && let Some(Part::Lit(first)) = word.first_mut()
                        && first.len() > eq
                    {
                        let name = raw[..eq].to_vec();
                        let rest = first.split_off(eq + 1);
                        word.remove(0);
                        // (Its tilde prefixes are expanded with it: `expand_assign`.)
                        if !rest.is_empty() {
                            word.insert(0, Part::Lit(rest));
                        }
                        s.assigns.push((name, word));
                        continue;
                    }
                    if s.words.is_empty() && s.assigns.is_empty() && self.peek()? == Tok::Op("(") {
                        return self.function(raw);
                    }
                    s.words.push(word);
                }
                _ => break,
            }
        }
        if s.words.is_empty() && s.assigns.is_empty() && s.redirs.is_empty() {
            let t = self.peek()?;
            return syntax(&alloc::format!("{} unexpected", describe(&t)));
        }
        Ok(Cmd::Simple(s))
    }

    /// `name() compound-command` after the name.
    fn function(&mut self, name: Vec<u8>) -> Result<Cmd, Error> {
        self.next()?;
        self.expect_op(")")?;
        if !valid_name(&name) || RESERVED.contains(&name.as_slice()) {
            return syntax("Bad function name");
        }
        self.depth += 1;
        while self.peek()? == Tok::Newline {
            self.next()?;
        }
        self.depth -= 1;
        // dash takes any command as the body (POSIX asks for a compound one).
        let body = self.command()?;
        Ok(Cmd::FuncDef(name, Rc::new(body)))
    }
}

/// Keeps a word's raw text only as far as the parser looks at it: while it can still be a
/// reserved word, a descriptor number or an assignment's `name=`, that is up to and
/// including the first byte that is not a name character. Anything after is marked by one
/// NUL (which input never holds), so a long word is not copied twice. (A name longer than
/// 64 KiB before an `=` is taken as a word, not an assignment.)
fn record(raw: &mut Vec<u8>, bytes: &[u8]) {
    const MAX: usize = 65536;
    let stopped = raw.last().is_some_and(|&c| !is_name(c));
    let bytes = if raw.len() + bytes.len() > MAX && !stopped {
        let keep = MAX.saturating_sub(raw.len());
        if bytes[..keep].iter().all(|&c| is_name(c)) {
            raw.extend_from_slice(&bytes[..keep]);
            raw.push(0);
            return;
        }
        bytes
    } else {
        bytes
    };
    if stopped {
        if raw.last() != Some(&0) && !bytes.is_empty() {
            raw.push(0);
        }
        return;
    }
    match bytes.iter().position(|&c| !is_name(c)) {
        Some(i) => {
            raw.extend_from_slice(&bytes[..=i]);
            if i + 1 < bytes.len() {
                raw.push(0);
            }
        }
        None => raw.extend_from_slice(bytes),
    }
}

fn is_terminator_word(w: &[u8]) -> bool {
    matches!(
        w,
        b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"}"
    )
}

fn param(name: Vec<u8>, op: ParamOp, colon: bool, word: Word, quoted: bool) -> Part {
    Part::Param(
        Box::new(Param {
            name,
            op,
            colon,
            word,
        }),
        quoted,
    )
}

fn flush_lit(lit: &mut Vec<u8>, parts: &mut Word) {
    if !lit.is_empty() {
        match parts.last_mut() {
            Some(Part::Lit(l)) => l.append(lit),
            _ => parts.push(Part::Lit(core::mem::take(lit))),
        }
    }
}

fn quoted_lit(lit: &mut Vec<u8>, parts: &mut Word) {
    if !lit.is_empty() {
        parts.push(Part::Quoted(core::mem::take(lit)));
    }
}

fn push_lit(parts: &mut Word, b: &[u8], quoted: bool) {
    if quoted {
        parts.push(Part::Quoted(b.to_vec()));
    } else {
        let mut l = b.to_vec();
        flush_lit(&mut l, parts);
    }
}

/// Text given whole (`sh -c`, `eval`, a backquoted command), as lines.
pub struct StrInput {
    text: Vec<u8>,
    pos: usize,
}

impl StrInput {
    pub fn new(text: &[u8]) -> StrInput {
        StrInput {
            text: text.to_vec(),
            pos: 0,
        }
    }
}

impl Input for StrInput {
    fn line(&mut self, _: bool, out: &mut Vec<u8>) -> bool {
        if self.pos >= self.text.len() {
            return false;
        }
        let rest = &self.text[self.pos..];
        let n = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |n| n + 1);
        self.pos += n;
        out.extend_from_slice(&rest[..n]);
        true
    }
}

/// Parses a whole text as one list (for backquotes).
pub fn parse_string(text: &[u8]) -> Result<List, Error> {
    let mut input = StrInput::new(text);
    let mut p = Parser::new(&mut input);
    let mut all = List::default();
    while let Some(l) = p.complete_command()? {
        all.items.extend(l.items);
    }
    Ok(all)
}

/// A here-document body with an unquoted delimiter: `$`, `` ` `` and `\` work as in
/// double quotes, a `"` is an ordinary character.
fn parse_heredoc_body(body: &[u8]) -> Result<Word, Error> {
    let mut input = StrInput::new(body);
    let mut p = Parser::new(&mut input);
    p.depth = 1;
    let mut parts = Vec::new();
    p.double_quoted(&mut parts, 0)?;
    Ok(parts)
}
