//! Arithmetic expansion `$((…))`: dash's integer expressions (64-bit, C's operators and
//! precedence, assignments to variables), evaluated after the text inside was expanded.

use alloc::string::String;
use alloc::vec::Vec;

/// An error: dash's wording after `arithmetic expression: `, or (`bad`) a variable whose
/// value is not a number (dash: `Illegal number: VALUE`).
pub struct ArithError(pub &'static str, pub Option<Vec<u8>>);

/// The error already reported (an assignment to a read-only variable).
pub const REPORTED: &str = "";

/// What arithmetic needs of the shell: its variables. (The shell implements it; this
/// module knows nothing else of it.)
pub trait Vars {
    /// The value of `name`, if set.
    fn get_var(&self, name: &[u8]) -> Option<&[u8]>;
    /// Whether `name` is read-only; if so, says so on stderr as the shell does.
    fn refuse_read_only(&self, name: &[u8]) -> bool;
    /// Sets `name`.
    fn set_var(&mut self, name: &[u8], value: &[u8]);
}

struct Ev<'a> {
    s: &'a [u8],
    pos: usize,
    sh: &'a mut dyn Vars,
    /// Evaluation off (the untaken side of `&&`, `||`, `?:`): parse only.
    skip: u32,
}

const BINARY: [(&str, u8); 18] = [
    ("||", 1),
    ("&&", 2),
    ("|", 3),
    ("^", 4),
    ("&", 5),
    ("==", 6),
    ("!=", 6),
    ("<=", 7),
    (">=", 7),
    ("<<", 8),
    (">>", 8),
    ("<", 7),
    (">", 7),
    ("+", 9),
    ("-", 9),
    ("*", 10),
    ("/", 10),
    ("%", 10),
];

pub fn eval(sh: &mut dyn Vars, text: &[u8]) -> Result<i64, ArithError> {
    let mut ev = Ev {
        s: text,
        pos: 0,
        sh,
        skip: 0,
    };
    ev.blanks();
    if ev.pos == ev.s.len() {
        return Ok(0);
    }
    let v = ev.assign()?;
    ev.blanks();
    if ev.pos != ev.s.len() {
        return Err(ArithError("expecting EOF", None));
    }
    Ok(v)
}

impl Ev<'_> {
    fn blanks(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n') {
            self.pos += 1;
        }
    }

    fn peek_op(&mut self, op: &str) -> bool {
        self.blanks();
        self.s[self.pos..].starts_with(op.as_bytes())
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        self.blanks();
        let start = self.pos;
        if !self
            .s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            return None;
        }
        while self
            .s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.pos += 1;
        }
        Some(self.s[start..self.pos].to_vec())
    }

    fn var(&mut self, name: &[u8]) -> Result<i64, ArithError> {
        let v = self.sh.get_var(name).unwrap_or(b"").to_vec();
        let t: &[u8] = trim(&v);
        if t.is_empty() {
            return Ok(0);
        }
        number(t).ok_or_else(|| ArithError("Illegal number", Some(t.to_vec())))
    }

    /// `name op= expr`, or a conditional expression.
    fn assign(&mut self) -> Result<i64, ArithError> {
        let save = self.pos;
        if let Some(name) = self.name() {
            self.blanks();
            let ops = [
                "<<=", ">>=", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "=",
            ];
            for op in ops {
                let rest = &self.s[self.pos..];
                if rest.starts_with(op.as_bytes()) && !(op == "=" && rest.starts_with(b"==")) {
                    self.pos += op.len();
                    let rhs = self.assign()?;
                    let v = if op == "=" {
                        rhs
                    } else {
                        let cur = self.var(&name)?;
                        apply(&op[..op.len() - 1], cur, rhs)?
                    };
                    if self.skip == 0 {
                        if self.sh.refuse_read_only(&name) {
                            return Err(ArithError(REPORTED, None));
                        }
                        self.sh.set_var(&name, alloc::format!("{}", v).as_bytes());
                    }
                    return Ok(v);
                }
            }
        }
        self.pos = save;
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, ArithError> {
        let c = self.binary(1)?;
        if !self.peek_op("?") {
            return Ok(c);
        }
        self.pos += 1;
        if c == 0 {
            self.skip += 1;
        }
        let a = self.assign()?;
        if c == 0 {
            self.skip -= 1;
        }
        if !self.peek_op(":") {
            return Err(ArithError("expecting ':'", None));
        }
        self.pos += 1;
        if c != 0 {
            self.skip += 1;
        }
        let b = self.ternary()?;
        if c != 0 {
            self.skip -= 1;
        }
        Ok(if c != 0 { a } else { b })
    }

    fn binary(&mut self, min: u8) -> Result<i64, ArithError> {
        let mut lhs = self.unary()?;
        loop {
            self.blanks();
            let rest = &self.s[self.pos..];
            let Some(&(op, prec)) = BINARY.iter().find(|(op, _)| {
                rest.starts_with(op.as_bytes())
                    // not the start of an assignment operator or `||`/`&&` when matching `|`/`&`
                    && !(rest.len() > op.len()
                        && rest[op.len()] == b'='
                        && !matches!(*op, "==" | "!=" | "<=" | ">=" | "<" | ">"))
            }) else {
                return Ok(lhs);
            };
            if prec < min {
                return Ok(lhs);
            }
            self.pos += op.len();
            let short = (op == "&&" && lhs == 0) || (op == "||" && lhs != 0);
            if short {
                self.skip += 1;
            }
            let rhs = self.binary(prec + 1)?;
            if short {
                self.skip -= 1;
            }
            lhs = match op {
                "&&" => (lhs != 0 && rhs != 0) as i64,
                "||" => (lhs != 0 || rhs != 0) as i64,
                _ if self.skip > 0 => 0,
                _ => apply(op, lhs, rhs)?,
            };
        }
    }

    fn unary(&mut self) -> Result<i64, ArithError> {
        self.blanks();
        let Some(&c) = self.s.get(self.pos) else {
            return Err(ArithError("expecting primary", None));
        };
        match c {
            b'-' | b'+' | b'!' | b'~' => {
                self.pos += 1;
                let v = self.unary()?;
                Ok(match c {
                    b'-' => v.wrapping_neg(),
                    b'+' => v,
                    b'!' => (v == 0) as i64,
                    _ => !v,
                })
            }
            b'(' => {
                self.pos += 1;
                let v = self.assign()?;
                if !self.peek_op(")") {
                    return Err(ArithError("expecting ')'", None));
                }
                self.pos += 1;
                Ok(v)
            }
            b'0'..=b'9' => {
                let start = self.pos;
                while self
                    .s
                    .get(self.pos)
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                {
                    self.pos += 1;
                }
                number(&self.s[start..self.pos]).ok_or(ArithError("expecting EOF", None))
            }
            _ => match self.name() {
                Some(n) => {
                    if self.skip > 0 {
                        return Ok(0);
                    }
                    self.var(&n)
                }
                None => Err(ArithError("expecting primary", None)),
            },
        }
    }
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, ArithError> {
    Ok(match op {
        "|" => a | b,
        "^" => a ^ b,
        "&" => a & b,
        "==" => (a == b) as i64,
        "!=" => (a != b) as i64,
        "<" => (a < b) as i64,
        "<=" => (a <= b) as i64,
        ">" => (a > b) as i64,
        ">=" => (a >= b) as i64,
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" => {
            if b == 0 {
                return Err(ArithError("division by zero", None));
            }
            if op == "/" {
                a.wrapping_div(b)
            } else {
                a.wrapping_rem(b)
            }
        }
        _ => 0,
    })
}

fn trim(v: &[u8]) -> &[u8] {
    let start = v
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &v[start..end]
}

/// A C integer constant: decimal, octal with a leading 0, hex with 0x; a sign allowed.
fn number(t: &[u8]) -> Option<i64> {
    let (neg, t) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if t.len() > 2 && (t.starts_with(b"0x") || t.starts_with(b"0X")) {
        (16, &t[2..])
    } else if t.len() > 1 && t[0] == b'0' {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if digits.is_empty() {
        return None;
    }
    let s = String::from_utf8_lossy(digits);
    let v = u64::from_str_radix(&s, radix).ok()? as i64;
    Some(if neg { v.wrapping_neg() } else { v })
}
