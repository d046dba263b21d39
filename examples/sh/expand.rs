//! Word expansion (XCU 2.6): tilde, parameters, command substitution, field splitting
//! with `IFS`, pathname expansion (through [`crate::pattern`]), quote removal.
//!
//! Expansion builds each word as bytes with a parallel flag per byte saying where it came
//! from: literal unquoted text (globbed, never split), quoted text (neither), or the
//! result of an unquoted expansion (split and globbed). Two zero-width flags mark where
//! `"$@"` and `$@` separate fields, and one that an empty quoted string was there (so the
//! word is kept, empty).

use crate::exec::{Jump, Shell};
use crate::parse::{Param, ParamOp, Part, Word};
use crate::pattern::{Pat, glob, matches};
use alloc::vec::Vec;
use linux_gate::fs;

const LIT: u8 = 0;
const QUOTED: u8 = 1;
const EXP: u8 = 2;
/// Between the parameters of an unquoted `$@`/`$*`: a field boundary, empty fields dropped.
const BREAK: u8 = 3;
/// Between the parameters of `"$@"`: a field boundary that keeps empty fields.
const QBREAK: u8 = 4;
/// An empty quoted string was here: the field exists even if empty.
const MARK: u8 = 5;

#[derive(Default)]
struct Buf {
    bytes: Vec<u8>,
    flags: Vec<u8>,
}

impl Buf {
    fn push(&mut self, b: &[u8], flag: u8) {
        self.bytes.extend_from_slice(b);
        self.flags.resize(self.bytes.len(), flag);
    }
    fn mark(&mut self, flag: u8) {
        self.bytes.push(0);
        self.flags.push(flag);
    }
    /// The bytes of the text itself (not the field markers above `EXP`), with their flags.
    fn text(&self) -> impl Iterator<Item = (u8, u8)> + '_ {
        self.bytes
            .iter()
            .zip(&self.flags)
            .filter(|&(_, &f)| f <= EXP)
            .map(|(&b, &f)| (b, f))
    }
}

impl Shell {
    /// Expands words into fields: split, globbed, empty unquoted words removed.
    pub fn expand_fields(&mut self, words: &[Word]) -> Result<Vec<Vec<u8>>, Jump> {
        let mut out = Vec::new();
        for w in words {
            // A word of plain text with nothing to glob is itself (the common case, and a
            // 100 MB word is not copied byte by byte).
            if let [Part::Lit(b) | Part::Quoted(b)] = w.as_slice()
                && !b.is_empty()
                && (matches!(w[0], Part::Quoted(_))
                    || !b.iter().any(|&c| matches!(c, b'*' | b'?' | b'[')))
            {
                out.push(b.clone());
                continue;
            }
            let mut buf = Buf::default();
            self.expand_parts(w, &mut buf, true)?;
            let ifs = self.ifs();
            for (bytes, flags) in split(&buf, &ifs) {
                let globbable = bytes
                    .iter()
                    .zip(&flags)
                    .any(|(&b, &f)| f != QUOTED && matches!(b, b'*' | b'?' | b'['));
                if globbable && !self.noglob {
                    let pat: Pat = bytes
                        .iter()
                        .zip(&flags)
                        .map(|(&b, &f)| (b, f == QUOTED))
                        .collect();
                    let mut found = glob(&pat);
                    if !found.is_empty() {
                        found.sort();
                        out.append(&mut found);
                        continue;
                    }
                }
                out.push(bytes);
            }
        }
        Ok(out)
    }

    /// Expands a word to one string: no field splitting, no globbing (assignments,
    /// redirection targets, here-documents, `case` subjects).
    pub fn expand_one(&mut self, word: &Word) -> Result<Vec<u8>, Jump> {
        let mut buf = Buf::default();
        self.expand_parts(word, &mut buf, false)?;
        Ok(buf.text().map(|(b, _)| b).collect())
    }

    /// Expands an assignment's value (the parts of `word` after its first `skip` bytes,
    /// which are literal `NAME=`) to one string, as dash's `EXP_VARTILDE`: no field
    /// splitting, no globbing, and a tilde prefix expanded at the start of the value and
    /// after each unquoted `:`. The prefix runs to a `/`, a `:` or the end of the word; one
    /// that meets quoted text or an expansion first stays as it is.
    pub fn expand_assign(&mut self, word: &Word, skip: usize) -> Result<Vec<u8>, Jump> {
        let mut buf = Buf::default();
        for (i, part) in word.iter().enumerate() {
            let Part::Lit(b) = part else {
                self.expand_parts_as(core::slice::from_ref(part), &mut buf, false, LIT)?;
                continue;
            };
            let start = if i == 0 { skip.min(b.len()) } else { 0 };
            let last = i + 1 == word.len();
            // Where a prefix may start: the value's start, and after each `:`.
            let mut from = start;
            let mut scan = start;
            let mut first = (i == 0).then_some(start);
            loop {
                let k = match first.take() {
                    Some(k) => k,
                    None => match b[scan..].iter().position(|&c| c == b':') {
                        Some(e) => scan + e + 1,
                        None => break,
                    },
                };
                scan = k;
                if b.get(k) != Some(&b'~') {
                    continue;
                }
                let end = b[k..].iter().position(|&c| c == b'/' || c == b':');
                if end.is_none() && !last {
                    continue;
                }
                let end = end.map_or(b.len(), |e| k + e);
                buf.push(&b[from..k], LIT);
                match self.tilde(&b[k + 1..end]) {
                    Some(home) => buf.push(&home, QUOTED),
                    None => buf.push(&b[k..end], LIT),
                }
                from = end;
                scan = end;
            }
            buf.push(&b[from..], LIT);
        }
        Ok(buf.text().map(|(b, _)| b).collect())
    }

    /// Expands a word as a pattern (`case`, `${x#pat}`): quoted bytes match literally.
    pub fn expand_pattern(&mut self, word: &Word) -> Result<Pat, Jump> {
        let mut buf = Buf::default();
        self.expand_parts(word, &mut buf, false)?;
        Ok(buf.text().map(|(b, f)| (b, f == QUOTED)).collect())
    }

    fn ifs(&self) -> Vec<u8> {
        match self.get_var(b"IFS") {
            Some(v) => v.to_vec(),
            None => b" \t\n".to_vec(),
        }
    }

    fn expand_parts(&mut self, word: &Word, buf: &mut Buf, fields: bool) -> Result<(), Jump> {
        self.expand_parts_as(word, buf, fields, LIT)
    }

    /// `lit` is how unquoted literal text counts: `LIT`, or `EXP` in the word of an
    /// unquoted `${x-word}` (whose result is split like any expansion's, as dash does).
    fn expand_parts_as(
        &mut self,
        word: &[Part],
        buf: &mut Buf,
        fields: bool,
        lit: u8,
    ) -> Result<(), Jump> {
        for part in word {
            match part {
                Part::Lit(b) => buf.push(b, lit),
                Part::Quoted(b) => {
                    if b.is_empty() {
                        buf.mark(MARK);
                    } else {
                        buf.push(b, QUOTED);
                    }
                }
                Part::Tilde(user) => match self.tilde(user) {
                    Some(home) => {
                        buf.push(&home, QUOTED);
                        buf.mark(MARK);
                    }
                    None => {
                        buf.push(b"~", lit);
                        buf.push(user, lit);
                    }
                },
                Part::Param(p, quoted) => self.expand_param(p, *quoted, buf, fields)?,
                Part::Arith(w, quoted) => {
                    let text = self.expand_one(w)?;
                    match crate::arith::eval(self, &text) {
                        Ok(v) => buf.push(
                            alloc::format!("{}", v).as_bytes(),
                            if *quoted { QUOTED } else { EXP },
                        ),
                        Err(crate::arith::ArithError(crate::arith::REPORTED, _)) => {
                            return Err(Jump::Abort(2));
                        }
                        Err(crate::arith::ArithError(_, Some(value))) => {
                            self.error(format_args!(
                                "Illegal number: {}",
                                alloc::string::String::from_utf8_lossy(&value)
                            ));
                            return Err(Jump::Abort(2));
                        }
                        Err(crate::arith::ArithError(msg, None)) => {
                            self.error(format_args!(
                                "arithmetic expression: {}: \"{}\"",
                                msg,
                                alloc::string::String::from_utf8_lossy(&text)
                            ));
                            return Err(Jump::Abort(2));
                        }
                    }
                }
                Part::CmdSub(list, quoted) => {
                    let out = self.command_substitution(list)?;
                    if *quoted {
                        buf.push(&out, QUOTED);
                        buf.mark(MARK);
                    } else {
                        buf.push(&out, EXP);
                    }
                }
            }
        }
        Ok(())
    }

    fn tilde(&self, user: &[u8]) -> Option<Vec<u8>> {
        if user.is_empty() {
            return self.get_var(b"HOME").map(|h| h.to_vec());
        }
        let passwd = fs::read(c"/etc/passwd").ok()?;
        for line in passwd.split(|&b| b == b'\n') {
            let f: Vec<&[u8]> = line.split(|&b| b == b':').collect();
            if f.len() >= 7 && f[0] == user {
                return Some(f[5].to_vec());
            }
        }
        None
    }

    /// The value of a parameter (`None` when unset); `$@`/`$*` joined with spaces.
    fn param_value(&self, name: &[u8]) -> Option<Vec<u8>> {
        match name {
            b"@" | b"*" => {
                if self.params.is_empty() {
                    return None;
                }
                Some(self.params.join(&b' '))
            }
            _ => self.special(name),
        }
    }

    fn expand_param(
        &mut self,
        p: &Param,
        quoted: bool,
        buf: &mut Buf,
        fields: bool,
    ) -> Result<(), Jump> {
        let flag = if quoted { QUOTED } else { EXP };
        let name = p.name.as_slice();
        if p.op == ParamOp::Plain && (name == b"@" || name == b"*") && fields {
            // One field per parameter: "$@" keeps each whole; "$*" joins with IFS's first
            // character; unquoted, each is split further.
            let star_quoted = quoted && name == b"*";
            let sep = self.ifs().first().copied();
            let params = self.params.clone();
            for (i, v) in params.iter().enumerate() {
                if i > 0 {
                    if star_quoted {
                        if let Some(s) = sep {
                            buf.push(&[s], QUOTED);
                        }
                    } else {
                        buf.mark(if quoted { QBREAK } else { BREAK });
                    }
                }
                if quoted && v.is_empty() {
                    buf.mark(MARK);
                }
                buf.push(v, flag);
            }
            if star_quoted {
                buf.mark(MARK);
            }
            return Ok(());
        }
        let value = if (name == b"@" || name == b"*") && p.op != ParamOp::Length {
            // Joined (assignments, here-documents, operators).
            if self.params.is_empty() {
                None
            } else {
                // Both joined with IFS's first byte, as dash does.
                let sep: Vec<u8> = self
                    .ifs()
                    .first()
                    .map(|&c| alloc::vec![c])
                    .unwrap_or_default();
                Some(self.params.join(sep.as_slice()))
            }
        } else {
            self.param_value(name)
        };
        if value.is_none()
            && self.nounset
            && matches!(
                p.op,
                ParamOp::Plain
                    | ParamOp::Length
                    | ParamOp::TrimPrefix { .. }
                    | ParamOp::TrimSuffix { .. }
            )
            && name != b"@"
            && name != b"*"
        {
            self.error(format_args!(
                "{}: parameter not set",
                alloc::string::String::from_utf8_lossy(name)
            ));
            return Err(Jump::Abort(2));
        }
        let missing = match &value {
            None => true,
            Some(v) => p.colon && v.is_empty(),
        };
        match p.op {
            ParamOp::Bad => {
                self.error(format_args!("Bad substitution"));
                return Err(Jump::Abort(2));
            }
            ParamOp::Plain => {
                if let Some(v) = value {
                    buf.push(&v, flag);
                }
                if quoted {
                    buf.mark(MARK);
                }
            }
            ParamOp::Length => {
                let n = if name == b"@" || name == b"*" {
                    self.params.len()
                } else {
                    value.map_or(0, |v| v.len())
                };
                buf.push(alloc::format!("{}", n).as_bytes(), flag);
            }
            ParamOp::Default | ParamOp::Alt => {
                let use_word = (p.op == ParamOp::Default) == missing;
                if use_word {
                    self.expand_parts_as(&p.word, buf, fields, if quoted { LIT } else { EXP })?;
                } else if let Some(v) = value
                    && p.op == ParamOp::Default
                {
                    buf.push(&v, flag);
                }
                if quoted {
                    buf.mark(MARK);
                }
            }
            ParamOp::Assign => {
                let v = if missing {
                    if !crate::parse::valid_name(name) {
                        self.error(format_args!(
                            "{}: bad variable name",
                            alloc::string::String::from_utf8_lossy(name)
                        ));
                        return Err(Jump::Abort(2));
                    }
                    let v = self.expand_one(&p.word)?;
                    self.assign(name, &v)?;
                    v
                } else {
                    value.unwrap_or_default()
                };
                buf.push(&v, flag);
                if quoted {
                    buf.mark(MARK);
                }
            }
            ParamOp::Error => {
                if missing {
                    let msg = if p.word.is_empty() {
                        if p.colon {
                            b"parameter not set or null".to_vec()
                        } else {
                            b"parameter not set".to_vec()
                        }
                    } else {
                        self.expand_one(&p.word)?
                    };
                    self.error(format_args!(
                        "{}: {}",
                        alloc::string::String::from_utf8_lossy(name),
                        alloc::string::String::from_utf8_lossy(&msg)
                    ));
                    return Err(Jump::Abort(2));
                }
                if let Some(v) = value {
                    buf.push(&v, flag);
                }
                if quoted {
                    buf.mark(MARK);
                }
            }
            ParamOp::TrimPrefix { longest } | ParamOp::TrimSuffix { longest } => {
                let v = value.unwrap_or_default();
                let pat = self.expand_pattern(&p.word)?;
                let prefix = matches!(p.op, ParamOp::TrimPrefix { .. });
                let n = v.len();
                let mut result: &[u8] = &v;
                let mut cuts: Vec<usize> = (0..=n).collect();
                if longest {
                    cuts.reverse();
                }
                for k in cuts {
                    let (piece, rest) = if prefix {
                        (&v[..k], &v[k..])
                    } else {
                        (&v[n - k..], &v[..n - k])
                    };
                    if matches(&pat, piece) {
                        result = rest;
                        break;
                    }
                }
                buf.push(result, flag);
                if quoted {
                    buf.mark(MARK);
                }
            }
        }
        Ok(())
    }
}

/// Field splitting of one expanded word: only bytes that came from unquoted expansions
/// split; IFS white space collapses and is trimmed; each other IFS byte ends a field.
fn split(buf: &Buf, ifs: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    let mut cur: (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());
    let mut started = false;
    let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n') && ifs.contains(&c);
    let splits = |i: usize| buf.flags[i] == EXP && ifs.contains(&buf.bytes[i]);
    let n = buf.bytes.len();
    let mut i = 0;
    while i < n {
        let (c, f) = (buf.bytes[i], buf.flags[i]);
        if f == BREAK || f == QBREAK {
            if started || f == QBREAK {
                out.push(core::mem::take(&mut cur));
            }
            started = false;
            i += 1;
            continue;
        }
        if f == MARK {
            started = true;
            i += 1;
            continue;
        }
        if splits(i) {
            if is_ws(c) {
                while i < n && splits(i) && is_ws(buf.bytes[i]) {
                    i += 1;
                }
                if started {
                    out.push(core::mem::take(&mut cur));
                    started = false;
                    // One non-white IFS byte after the white space belongs to this break.
                    if i < n && splits(i) && !is_ws(buf.bytes[i]) {
                        i += 1;
                        while i < n && splits(i) && is_ws(buf.bytes[i]) {
                            i += 1;
                        }
                    }
                }
            } else {
                out.push(core::mem::take(&mut cur));
                started = false;
                i += 1;
                while i < n && splits(i) && is_ws(buf.bytes[i]) {
                    i += 1;
                }
            }
            continue;
        }
        cur.0.push(c);
        cur.1.push(f);
        started = true;
        i += 1;
    }
    if started {
        out.push(cur);
    }
    out
}
