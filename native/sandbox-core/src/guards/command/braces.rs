//! Brace expansion as bash does it, on the source text of a word before any
//! other expansion: `{a,b}` and `{x..y[..n]}` whose braces and commas are
//! outside quotes, not part of `${…}`, `$(…)` or backquotes. Each resulting
//! text is then a word of its own (tilde expansion applies to it: `{~,}`
//! gives `~`).

/// Most words one word may expand to before the analysis gives up.
pub(crate) const MAX_BRACE_WORDS: usize = 256;

/// The result of expanding one word.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Expansion {
    /// No brace expansion in the word.
    None,
    /// The words it expands to, in order.
    Words(Vec<String>),
    /// More than [`MAX_BRACE_WORDS`] words.
    TooMany,
}

/// Expand the braces of a word's source text.
pub(crate) fn expand(text: &str) -> Expansion {
    if find_brace(text.as_bytes()).is_none() {
        return Expansion::None;
    }
    let mut out = Vec::new();
    if expand_into(text, &mut out, 0) {
        Expansion::Words(out)
    } else {
        Expansion::TooMany
    }
}

fn expand_into(text: &str, out: &mut Vec<String>, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let Some((start, end, commas)) = find_brace(text.as_bytes()) else {
        if out.len() >= MAX_BRACE_WORDS {
            return false;
        }
        out.push(text.to_string());
        return true;
    };
    let pre = &text[..start];
    let post = &text[end + 1..];
    let inner = &text[start + 1..end];
    let alternatives: Vec<String> = if commas.is_empty() {
        match sequence(inner) {
            Some(v) => v,
            None => return false,
        }
    } else {
        let mut v = Vec::new();
        let mut from = start + 1;
        for &c in &commas {
            v.push(text[from..c].to_string());
            from = c + 1;
        }
        v.push(text[from..end].to_string());
        v
    };
    for alt in alternatives {
        if !expand_into(&format!("{pre}{alt}{post}"), out, depth + 1) {
            return false;
        }
    }
    true
}

/// Index after the quoted or expansion construct starting at `i` (or
/// `i + 1` for a plain byte).
fn skip(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'\\' => (i + 2).min(b.len()),
        b'\'' => find_from(b, i + 1, b'\'').map_or(b.len(), |j| j + 1),
        b'"' => {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j = if matches!(b[j], b'\\' | b'`')
                    || (b[j] == b'$' && matches!(b.get(j + 1), Some(b'(' | b'{')))
                {
                    skip(b, j)
                } else {
                    j + 1
                };
            }
            (j + 1).min(b.len())
        }
        b'`' => {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'`' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            (j + 1).min(b.len())
        }
        b'$' => match b.get(i + 1) {
            Some(b'\'') => {
                let mut j = i + 2;
                while j < b.len() && b[j] != b'\'' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                (j + 1).min(b.len())
            }
            Some(b'"') => skip(b, i + 1),
            Some(&open @ (b'(' | b'{')) => {
                let close = if open == b'(' { b')' } else { b'}' };
                let mut depth = 0usize;
                let mut j = i + 1;
                while j < b.len() {
                    if b[j] == open {
                        depth += 1;
                        j += 1;
                    } else if b[j] == close {
                        depth -= 1;
                        j += 1;
                        if depth == 0 {
                            return j;
                        }
                    } else if matches!(b[j], b'\\' | b'\'' | b'"' | b'`' | b'$') && j > i + 1 {
                        j = skip(b, j);
                    } else {
                        j += 1;
                    }
                }
                b.len()
            }
            _ => i + 1,
        },
        _ => i + 1,
    }
}

fn find_from(b: &[u8], from: usize, c: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&x| x == c)
        .map(|p| from + p)
}

/// The first brace expression: `(open, close, top-level commas)`.
fn find_brace(b: &[u8]) -> Option<(usize, usize, Vec<usize>)> {
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'{' {
            i = skip(b, i);
            continue;
        }
        let mut depth = 0usize;
        let mut commas = Vec::new();
        let mut j = i;
        let mut close = None;
        while j < b.len() {
            match b[j] {
                b'{' => {
                    depth += 1;
                    j += 1;
                }
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                    j += 1;
                }
                b',' => {
                    if depth == 1 {
                        commas.push(j);
                    }
                    j += 1;
                }
                _ => j = skip(b, j),
            }
        }
        if let Some(end) = close {
            let inner = std::str::from_utf8(&b[i + 1..end]).unwrap_or("");
            if !commas.is_empty() || sequence(inner).is_some() {
                return Some((i, end, commas));
            }
        }
        i += 1;
    }
    None
}

/// `{1..5}`, `{05..10..2}`, `{a..e}`: the words, or `None` when not a
/// sequence (or too long).
fn sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let step: i64 = match parts.get(2) {
        Some(s) => s.parse().ok()?,
        None => 1,
    };
    let step = step.unsigned_abs().max(1) as i64;
    let int = |s: &str| -> Option<i64> {
        let t = s.strip_prefix('-').unwrap_or(s);
        (!t.is_empty() && t.len() <= 18 && t.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if let (Some(a), Some(z)) = (int(parts[0]), int(parts[1])) {
        let count = (a - z).unsigned_abs() / step as u64 + 1;
        if count > MAX_BRACE_WORDS as u64 {
            return Some(vec![String::new(); MAX_BRACE_WORDS + 1]);
        }
        let width = [parts[0], parts[1]]
            .iter()
            .filter(|p| {
                let t = p.strip_prefix('-').unwrap_or(p);
                t.len() > 1 && t.starts_with('0')
            })
            .map(|p| p.len())
            .max()
            .unwrap_or(0);
        let mut v = Vec::new();
        let mut x = a;
        for _ in 0..count {
            v.push(format!("{x:0width$}"));
            x += if a <= z { step } else { -step };
        }
        return Some(v);
    }
    let ch = |s: &str| {
        let mut c = s.chars();
        match (c.next(), c.next()) {
            (Some(x), None) if x.is_ascii_alphabetic() => Some(x as u8),
            _ => None,
        }
    };
    let (a, z) = (ch(parts[0])?, ch(parts[1])?);
    let mut v = Vec::new();
    let mut x = a as i64;
    let count = (a as i64 - z as i64).unsigned_abs() / step as u64 + 1;
    for _ in 0..count {
        v.push((x as u8 as char).to_string());
        x += if a <= z { step } else { -step };
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<String> {
        match expand(t) {
            Expansion::Words(w) => w,
            other => panic!("{t}: {other:?}"),
        }
    }

    #[test]
    fn expands_like_bash() {
        assert_eq!(words("{~,}/.ssh"), ["~/.ssh", "/.ssh"]);
        assert_eq!(words("a{b,c}d"), ["abd", "acd"]);
        assert_eq!(words("{a,b}{1,2}"), ["a1", "a2", "b1", "b2"]);
        assert_eq!(words("x{a,{b,c}}"), ["xa", "xb", "xc"]);
        assert_eq!(words("{1..3}"), ["1", "2", "3"]);
        assert_eq!(words("{01..03}"), ["01", "02", "03"]);
        assert_eq!(words("{c..a}"), ["c", "b", "a"]);
        assert_eq!(words("{1..5..2}"), ["1", "3", "5"]);
        assert_eq!(words("'q'{a,b}"), ["'q'a", "'q'b"]);
        assert_eq!(words("{'a,b',c}"), ["'a,b'", "c"]);
    }

    #[test]
    fn leaves_what_bash_leaves() {
        for t in [
            "{}",
            "{x}",
            "${a,b}",
            "'{a,b}'",
            "\"{a,b}\"",
            "\\{a,b}",
            "$(echo {a,b})",
            "a{b",
            "{a..}",
        ] {
            assert_eq!(expand(t), Expansion::None, "{t}");
        }
        assert_eq!(expand("{1..100000}"), Expansion::TooMany);
    }
}
