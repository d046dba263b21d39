//! Patterns: `fnmatch`-style matching, which `case`, `${x#…}` and globbing share, and
//! pathname expansion. A pattern is bytes, each with a flag saying whether it was quoted
//! (then it matches only itself).

use alloc::ffi::CString;
use alloc::vec::Vec;
use linux_gate::{dir, fs};

/// A pattern byte and whether it was quoted (then it only matches itself).
pub type Pat = Vec<(u8, bool)>;

/// Pathname expansion: the paths that match, unsorted; none if nothing does.
pub fn glob(pat: &Pat) -> Vec<Vec<u8>> {
    let comps: Vec<&[(u8, bool)]> = pat.split(|&(b, _)| b == b'/').collect();
    let mut paths: Vec<Vec<u8>> = alloc::vec![Vec::new()];
    let last = comps.len() - 1;
    for (ci, comp) in comps.iter().enumerate() {
        let meta = comp
            .iter()
            .any(|&(b, q)| !q && matches!(b, b'*' | b'?' | b'['));
        let mut next = Vec::new();
        for p in &paths {
            if !meta {
                let mut q = p.clone();
                q.extend(comp.iter().map(|&(b, _)| b));
                if ci != last {
                    q.push(b'/');
                }
                next.push(q);
                continue;
            }
            let dirname: &[u8] = if p.is_empty() { b"." } else { p };
            let Ok(c) = CString::new(dirname) else {
                continue;
            };
            let Ok(d) = dir::Dir::open(&c) else { continue };
            let dot_ok =
                comp.first() == Some(&(b'.', false)) || comp.first() == Some(&(b'.', true));
            for e in d.flatten() {
                if e.name.first() == Some(&b'.') && !dot_ok {
                    continue;
                }
                if matches(comp, &e.name) {
                    let mut q = p.clone();
                    q.extend_from_slice(&e.name);
                    if ci != last {
                        q.push(b'/');
                    }
                    next.push(q);
                }
            }
        }
        paths = next;
        if paths.is_empty() {
            return paths;
        }
    }
    // Literal components were not checked: the path must exist.
    paths.retain(|p| {
        CString::new(p.as_slice())
            .ok()
            .is_some_and(|c| fs::metadata(&c).is_ok() || lstat_ok(&c))
    });
    paths
}

/// A dangling symbolic link still matches (`lstat`).
fn lstat_ok(c: &CString) -> bool {
    fs::statx(fs::CWD, c, fs::AtFlags::SYMLINK_NOFOLLOW).is_ok()
}

/// `fnmatch` without flags: `*`, `?`, `[…]` (with `!`, ranges and `[:class:]`; `^` is
/// an ordinary member, as in dash); quoted bytes match only themselves.
pub fn matches(p: &[(u8, bool)], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            let (c, q) = p[pi];
            if !q && c == b'*' {
                star = Some((pi + 1, si));
                pi += 1;
                continue;
            }
            if !q && c == b'?' {
                pi += 1;
                si += 1;
                continue;
            }
            if !q && c == b'[' {
                match bracket(p, pi, s[si]) {
                    Some((true, next)) => {
                        pi = next;
                        si += 1;
                        continue;
                    }
                    Some((false, _)) => {}
                    None => {
                        if s[si] == b'[' {
                            pi += 1;
                            si += 1;
                            continue;
                        }
                    }
                }
            } else if c == s[si] {
                pi += 1;
                si += 1;
                continue;
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    while pi < p.len() && p[pi] == (b'*', false) {
        pi += 1;
    }
    pi == p.len()
}

/// A bracket expression at `p[i]` (the `[`): whether `c` matches, and the index after
/// the `]`; `None` if there is no closing `]` (the `[` is then an ordinary character).
fn bracket(p: &[(u8, bool)], i: usize, c: u8) -> Option<(bool, usize)> {
    let mut j = i + 1;
    // Only `!` negates: dash takes `^` as an ordinary member.
    let negate = p.get(j) == Some(&(b'!', false));
    if negate {
        j += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let &(b, q) = p.get(j)?;
        if b == b']' && !q && !first {
            return Some((matched != negate, j + 1));
        }
        first = false;
        if b == b'[' && !q && p.get(j + 1) == Some(&(b':', false)) {
            let rest = &p[j + 2..];
            if let Some(end) = rest
                .windows(2)
                .position(|w| w[0].0 == b':' && w[1].0 == b']')
            {
                let name: Vec<u8> = rest[..end].iter().map(|&(b, _)| b).collect();
                let ok = match name.as_slice() {
                    b"alpha" => c.is_ascii_alphabetic(),
                    b"digit" => c.is_ascii_digit(),
                    b"alnum" => c.is_ascii_alphanumeric(),
                    b"upper" => c.is_ascii_uppercase(),
                    b"lower" => c.is_ascii_lowercase(),
                    b"space" => matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
                    b"blank" => matches!(c, b' ' | b'\t'),
                    b"punct" => c.is_ascii_punctuation(),
                    b"xdigit" => c.is_ascii_hexdigit(),
                    b"cntrl" => c.is_ascii_control(),
                    b"print" => (0x20..0x7f).contains(&c),
                    b"graph" => (0x21..0x7f).contains(&c),
                    _ => false,
                };
                matched |= ok;
                j += 2 + end + 2;
                continue;
            }
        }
        if let (Some(&(b'-', false)), Some(&(hi, hq))) = (p.get(j + 1), p.get(j + 2))
            && (hi != b']' || hq)
        {
            if b <= c && c <= hi {
                matched = true;
            }
            j += 3;
            continue;
        }
        if b == c {
            matched = true;
        }
        j += 1;
    }
}
