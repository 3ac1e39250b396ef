//! Git's configuration syntax, read as git's own `config.c` reads it:
//! sections, subsections (quoted, and the old `[section.sub]` form), keys,
//! values with quotes, escapes, comments and line continuations, `\r\n`
//! line ends, a byte-order mark, and the stop at the first syntax error
//! (where git stops too). One reader for every place that must know what
//! git will take from a configuration file: the filesystem guard (which
//! hooks directory a repository names) and `sandbox-exec` (what a run may
//! have planted). A second, simpler reader would disagree with git on
//! some text, and the disagreement is where a hook would hide.

/// Git's `isspace`: space, tab, line feed, carriage return only.
fn space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn keychar(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

struct Source<'a> {
    text: &'a [u8],
    at: usize,
    eof: bool,
}

impl Source<'_> {
    /// The next character, `\r\n` read as `\n`, the end as `\n`
    /// (and `eof` set), as git's `get_next_char`.
    fn next(&mut self) -> u8 {
        let Some(&c) = self.text.get(self.at) else {
            self.eof = true;
            return b'\n';
        };
        self.at += 1;
        if c == b'\r' && self.text.get(self.at) == Some(&b'\n') {
            self.at += 1;
            return b'\n';
        }
        c
    }
}

/// The variables of a configuration text in order, as
/// `section[.subsection].key` (section and key in lower case) with
/// their values (`None` for a key without `=`). Reading stops at the
/// first syntax error, where git stops too (and fails): what came
/// before it has been read by git already.
pub fn parse(text: &[u8]) -> Vec<(String, Option<String>)> {
    parse_spans(text)
        .0
        .into_iter()
        .map(|(v, x, _)| (v, x))
        .collect()
}

/// [`parse`], with the bytes of `text` each entry takes (from its key
/// to the end of its last line, the line end included), and whether
/// the whole text was read (no syntax error stopped the reading).
#[allow(clippy::type_complexity)]
pub fn parse_spans(text: &[u8]) -> (Vec<(String, Option<String>, std::ops::Range<usize>)>, bool) {
    let mut out = Vec::new();
    let bom = if text.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let text = &text[bom..];
    let mut s = Source {
        text,
        at: 0,
        eof: false,
    };
    let mut section: Vec<u8> = Vec::new();
    let mut comment = false;
    loop {
        let c = s.next();
        if c == b'\n' {
            if s.eof {
                return (out, true);
            }
            comment = false;
            continue;
        }
        if comment || space(c) {
            continue;
        }
        if c == b'#' || c == b';' {
            comment = true;
            continue;
        }
        if c == b'[' {
            match section_header(&mut s) {
                Some(name) if !name.is_empty() => section = name,
                _ => return (out, false),
            }
            continue;
        }
        if !c.is_ascii_alphabetic() {
            return (out, false);
        }
        let start = s.at - 1;
        let mut var = section.clone();
        var.push(b'.');
        match entry(&mut s, c, &mut var) {
            Some(value) => out.push((
                String::from_utf8_lossy(&var).into_owned(),
                value.map(|v| String::from_utf8_lossy(&v).into_owned()),
                bom + start..bom + s.at,
            )),
            None => return (out, false),
        }
        if s.eof {
            return (out, true);
        }
    }
}

/// After `[`: the section name (lower case), with `.subsection` as
/// written for the quoted form; `None` on a syntax error.
fn section_header(s: &mut Source<'_>) -> Option<Vec<u8>> {
    let mut name = Vec::new();
    loop {
        let c = s.next();
        if s.eof {
            return None;
        }
        if c == b']' {
            return Some(name);
        }
        if space(c) {
            return extended_header(s, name, c);
        }
        if !keychar(c) && c != b'.' {
            return None;
        }
        name.push(c.to_ascii_lowercase());
    }
}

/// `[section "subsection"]`, after the section name and one space.
fn extended_header(s: &mut Source<'_>, mut name: Vec<u8>, mut c: u8) -> Option<Vec<u8>> {
    loop {
        if c == b'\n' {
            return None;
        }
        c = s.next();
        if !space(c) {
            break;
        }
    }
    if c != b'"' {
        return None;
    }
    name.push(b'.');
    loop {
        let mut c = s.next();
        if c == b'\n' {
            return None;
        }
        if c == b'"' {
            break;
        }
        if c == b'\\' {
            c = s.next();
            if c == b'\n' {
                return None;
            }
        }
        name.push(c);
    }
    (s.next() == b']').then_some(name)
}

/// A `key [= value]` line whose first character is `first`: appends
/// the key (lower case) to `var`; the value, `None` for none; `None`
/// on a syntax error.
#[allow(clippy::option_option)]
fn entry(s: &mut Source<'_>, first: u8, var: &mut Vec<u8>) -> Option<Option<Vec<u8>>> {
    var.push(first.to_ascii_lowercase());
    let mut c;
    loop {
        c = s.next();
        if s.eof || !keychar(c) {
            break;
        }
        var.push(c.to_ascii_lowercase());
    }
    while c == b' ' || c == b'\t' {
        c = s.next();
    }
    if c == b'\n' {
        return Some(None);
    }
    if c != b'=' {
        return None;
    }
    value(s).map(Some)
}

/// A value up to the end of its line, as git's `parse_value`.
fn value(s: &mut Source<'_>) -> Option<Vec<u8>> {
    let mut v = Vec::new();
    let (mut quote, mut comment, mut spaces) = (false, false, 0usize);
    loop {
        let mut c = s.next();
        if c == b'\n' {
            if quote {
                return None;
            }
            return Some(v);
        }
        if comment {
            continue;
        }
        if space(c) && !quote {
            if !v.is_empty() {
                spaces += 1;
            }
            continue;
        }
        if !quote && (c == b';' || c == b'#') {
            comment = true;
            continue;
        }
        v.extend(std::iter::repeat_n(b' ', spaces));
        spaces = 0;
        if c == b'\\' {
            c = s.next();
            match c {
                b'\n' => continue,
                b't' => c = b'\t',
                b'b' => c = 8,
                b'n' => c = b'\n',
                b'\\' | b'"' => {}
                _ => return None,
            }
            v.push(c);
            continue;
        }
        if c == b'"' {
            quote = !quote;
            continue;
        }
        v.push(c);
    }
}
