//! Path syntax of the platform families, as pure functions: how an input is
//! split into components, which forms are refused outright, how names are
//! compared, and which system links a platform is known to have.
//!
//! Everything here works on text only, so the Windows and macOS rules run
//! (and are tested) on Linux too. Paths are lists of components ([`Name`]s):
//! raw bytes on POSIX hosts, UTF-8 for the Windows and macOS flavours. On
//! Windows the first component of an absolute path is the drive (`C:`).

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use crate::decision::DecisionCode;

/// One path component. Never empty, never contains a separator.
pub(crate) type Name = Vec<u8>;

/// Longest input accepted on POSIX systems (`PATH_MAX`).
const MAX_POSIX_PATH: usize = 4096;
/// Longest input accepted for Windows (the extended-length limit).
const MAX_WINDOWS_PATH: usize = 32_767;

/// The path rules of a platform family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// Linux and other POSIX systems: `/` separates, names are bytes and are
    /// compared exactly (no case or Unicode folding).
    Linux,
    /// macOS: POSIX syntax, names compared case-insensitively and with
    /// Unicode normalization (APFS default), `/tmp`, `/etc` and `/var` are
    /// links into `/private`.
    MacOs,
    /// Windows: `\` and `/` separate, drive letters, names compared
    /// case-insensitively with trailing dots and spaces stripped; device,
    /// UNC, drive-relative, stream and reserved-name forms are refused.
    Windows,
}

/// Why a path text was refused before any resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// `INVALID_PATH` or `PLATFORM_PATH`.
    pub code: DecisionCode,
    /// Names the offending part of the input.
    pub reason: String,
}

impl SyntaxError {
    fn invalid(reason: impl Into<String>) -> SyntaxError {
        SyntaxError {
            code: DecisionCode::InvalidPath,
            reason: reason.into(),
        }
    }

    fn platform(reason: impl Into<String>) -> SyntaxError {
        SyntaxError {
            code: DecisionCode::PlatformPath,
            reason: reason.into(),
        }
    }
}

/// Names Windows reserves for devices, in any directory and with any extension.
const WINDOWS_RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$", "COM0", "COM1", "COM2", "COM3",
    "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

impl Platform {
    /// The family of the system this library was built for.
    pub const fn host() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else if cfg!(target_vendor = "apple") {
            Platform::MacOs
        } else {
            Platform::Linux
        }
    }

    /// `linux`, `macos` or `windows`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Linux => "linux",
            Platform::MacOs => "macos",
            Platform::Windows => "windows",
        }
    }

    /// The platform with this name (`linux`, `macos`, `windows`).
    pub fn from_name(name: &str) -> Option<Platform> {
        match name {
            "linux" => Some(Platform::Linux),
            "macos" => Some(Platform::MacOs),
            "windows" => Some(Platform::Windows),
            _ => None,
        }
    }

    /// Whether names that differ only in case name the same file.
    pub fn case_insensitive(self) -> bool {
        !matches!(self, Platform::Linux)
    }

    /// Components that `..` can never remove (the drive on Windows).
    pub(crate) fn fixed_prefix(self) -> usize {
        match self {
            Platform::Windows => 1,
            _ => 0,
        }
    }

    /// The comparison key of a name: the name itself on Linux, a folded
    /// form on case-insensitive platforms.
    pub(crate) fn key<'a>(self, name: &'a [u8]) -> Cow<'a, [u8]> {
        match self {
            Platform::Linux => Cow::Borrowed(name),
            Platform::MacOs => match std::str::from_utf8(name) {
                // APFS is normalization- and case-insensitive: compare the
                // decomposed, lower-cased form.
                // HFS+ also ignores some code points in names (git's
                // is_hfs_dotgit lists them): `.g\u{200c}it` is `.git` there.
                Ok(s) => Cow::Owned(
                    s.nfd()
                        .filter(|c| !hfs_ignorable(*c))
                        .flat_map(char::to_lowercase)
                        .collect::<String>()
                        .into_bytes(),
                ),
                Err(_) => Cow::Borrowed(name),
            },
            Platform::Windows => match std::str::from_utf8(name) {
                // NTFS upcases with a simple one-to-one table: map each
                // character to its single upper-case form when there is one.
                Ok(s) => Cow::Owned(s.chars().map(simple_upper).collect::<String>().into_bytes()),
                Err(_) => Cow::Borrowed(name),
            },
        }
    }

    /// The key of a whole text (used for glob patterns and candidates).
    pub(crate) fn key_text(self, text: &str) -> String {
        match self {
            Platform::Linux => text.to_string(),
            Platform::MacOs => text
                .nfd()
                .filter(|c| !hfs_ignorable(*c))
                .flat_map(char::to_lowercase)
                .collect(),
            Platform::Windows => text.chars().map(simple_upper).collect(),
        }
    }

    /// Human form of an absolute path.
    pub(crate) fn display(self, comps: &[Name]) -> String {
        match self {
            Platform::Windows => {
                let mut parts = comps.iter().map(|c| String::from_utf8_lossy(c));
                match parts.next() {
                    None => "\\".to_string(),
                    Some(drive) => {
                        let rest: Vec<_> = parts.collect();
                        format!("{drive}\\{}", rest.join("\\"))
                    }
                }
            }
            _ => {
                if comps.is_empty() {
                    return "/".to_string();
                }
                let mut out = String::new();
                for c in comps {
                    out.push('/');
                    out.push_str(&String::from_utf8_lossy(c));
                }
                out
            }
        }
    }

    /// The text globs are matched against: `/a/b` (or `C:/a/b`), in key form.
    pub(crate) fn glob_text(self, comps: &[Name]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, c) in comps.iter().enumerate() {
            if !(self == Platform::Windows && i == 0) {
                out.push(b'/');
            }
            out.extend_from_slice(&self.key(c));
        }
        if out.is_empty() {
            out.push(b'/');
        }
        out
    }

    /// Whether a name is hidden (starts with `.`).
    pub(crate) fn is_hidden(self, name: &[u8]) -> bool {
        name.first() == Some(&b'.')
    }

    /// Parse a configured absolute path (workspace, home). Relative text is
    /// refused: these anchor everything else.
    pub(crate) fn parse_config_absolute(self, text: &str) -> Result<Vec<Name>, SyntaxError> {
        check_text(self, text)?;
        match self {
            Platform::Windows => {
                let (prefix, rest) = windows_prefix(text)?;
                match prefix {
                    WinPrefix::Drive(d) => windows_components(d, rest),
                    _ => Err(SyntaxError::invalid(format!(
                        "{text:?} is not an absolute path with a drive letter"
                    ))),
                }
            }
            _ => {
                if !text.starts_with('/') {
                    return Err(SyntaxError::invalid(format!(
                        "{text:?} is not an absolute path"
                    )));
                }
                Ok(posix_components(text.as_bytes()))
            }
        }
    }

    /// Parse an input path into absolute components (`.` and `..` are kept
    /// for the resolver). `~` and `~/…` expand to `home`; relative paths are
    /// joined to `cwd`; `file:` URLs are converted to the path they name.
    pub(crate) fn parse_input(
        self,
        text: &str,
        cwd: &[Name],
        home: &[Name],
    ) -> Result<Vec<Name>, SyntaxError> {
        check_text(self, text)?;
        if has_url_scheme(text) {
            return self.parse_file_url(text);
        }
        match self {
            Platform::Windows => {
                let (prefix, rest) = windows_prefix(text)?;
                match prefix {
                    WinPrefix::Drive(d) => windows_components(d, rest),
                    WinPrefix::RootOfCurrentDrive => {
                        let drive = cwd.first().cloned().unwrap_or_else(|| b"C:".to_vec());
                        let d = String::from_utf8_lossy(&drive).into_owned();
                        windows_components(&d, rest)
                    }
                    WinPrefix::Relative => {
                        if let Some(after) = tilde_rest(rest, true) {
                            let mut out = home.to_vec();
                            out.extend(windows_components("", after)?);
                            return Ok(out);
                        }
                        let mut out = cwd.to_vec();
                        out.extend(windows_components("", rest)?);
                        Ok(out)
                    }
                }
            }
            _ => {
                if text.starts_with('/') {
                    return Ok(posix_components(text.as_bytes()));
                }
                if let Some(after) = tilde_rest(text, false) {
                    let mut out = home.to_vec();
                    out.extend(posix_components(after.as_bytes()));
                    return Ok(out);
                }
                let mut out = cwd.to_vec();
                out.extend(posix_components(text.as_bytes()));
                Ok(out)
            }
        }
    }

    /// Parse the text of a symbolic link about to be created. The kernel
    /// resolves a relative link from the link's own directory and never
    /// expands `~`, so neither does this.
    pub(crate) fn parse_link_text(
        self,
        text: &str,
        link_dir: &[Name],
    ) -> Result<Vec<Name>, SyntaxError> {
        check_text(self, text)?;
        match self {
            Platform::Windows => {
                let (prefix, rest) = windows_prefix(text)?;
                match prefix {
                    WinPrefix::Drive(d) => windows_components(d, rest),
                    WinPrefix::RootOfCurrentDrive => {
                        let drive = link_dir.first().cloned().unwrap_or_else(|| b"C:".to_vec());
                        windows_components(&String::from_utf8_lossy(&drive), rest)
                    }
                    WinPrefix::Relative => {
                        let mut out = link_dir.to_vec();
                        out.extend(windows_components("", rest)?);
                        Ok(out)
                    }
                }
            }
            _ => {
                if text.starts_with('/') {
                    return Ok(posix_components(text.as_bytes()));
                }
                let mut out = link_dir.to_vec();
                out.extend(posix_components(text.as_bytes()));
                Ok(out)
            }
        }
    }

    /// Split the content of an existing symbolic link: `(absolute, comps)`.
    /// An absolute Windows target starts with its drive.
    pub(crate) fn split_link_content(
        self,
        content: &[u8],
    ) -> Result<(bool, Vec<Name>), SyntaxError> {
        if content.is_empty() {
            return Err(SyntaxError::invalid("symbolic link with empty content"));
        }
        match self {
            Platform::Windows => {
                let text = std::str::from_utf8(content)
                    .map_err(|_| SyntaxError::invalid("symbolic link content is not UTF-8"))?;
                let text = text.strip_prefix(r"\\?\").unwrap_or(text);
                let (prefix, rest) = windows_prefix(text)?;
                match prefix {
                    WinPrefix::Drive(d) => Ok((true, windows_components(d, rest)?)),
                    WinPrefix::RootOfCurrentDrive => Err(SyntaxError::platform(format!(
                        "symbolic link content {text:?} is relative to the current drive"
                    ))),
                    WinPrefix::Relative => Ok((false, windows_components("", rest)?)),
                }
            }
            _ => Ok((content[0] == b'/', posix_components(content))),
        }
    }

    /// The target of a link the platform always has at `comps`, if any
    /// (used when no filesystem is consulted): on macOS `/tmp`, `/etc` and
    /// `/var` lead into `/private`.
    pub(crate) fn system_link(self, comps: &[Name]) -> Option<&'static str> {
        if self != Platform::MacOs || comps.len() != 1 {
            return None;
        }
        match self.key(&comps[0]).as_ref() {
            b"tmp" => Some("/private/tmp"),
            b"etc" => Some("/private/etc"),
            b"var" => Some("/private/var"),
            _ => None,
        }
    }

    /// Convert a `file:` URL to absolute components; other URLs are refused.
    fn parse_file_url(self, text: &str) -> Result<Vec<Name>, SyntaxError> {
        let url = url::Url::parse(text)
            .map_err(|e| SyntaxError::invalid(format!("{text:?} is not a valid URL ({e})")))?;
        if url.scheme() != "file" {
            return Err(SyntaxError::invalid(format!(
                "{text:?} is a {} URL, not a file path",
                url.scheme()
            )));
        }
        match url.host_str() {
            None | Some("") | Some("localhost") => {}
            Some(host) => {
                return Err(SyntaxError::platform(format!(
                    "file URL {text:?} names the remote host {host:?}"
                )))
            }
        }
        let mut comps = Vec::new();
        for seg in url.path_segments().into_iter().flatten() {
            let bytes: Vec<u8> = percent_encoding::percent_decode_str(seg).collect();
            if bytes.is_empty() {
                continue;
            }
            if bytes.contains(&0)
                || bytes.contains(&b'/')
                || (self == Platform::Windows && bytes.contains(&b'\\'))
            {
                return Err(SyntaxError::invalid(format!(
                    "file URL {text:?} has an encoded separator or NUL in segment {seg:?}"
                )));
            }
            comps.push(bytes);
        }
        match self {
            Platform::Windows => {
                let first = comps
                    .first()
                    .map(|c| String::from_utf8_lossy(c).into_owned());
                match first {
                    Some(d) if is_drive(&d) => {
                        let rest: Vec<String> = comps[1..]
                            .iter()
                            .map(|c| String::from_utf8_lossy(c).into_owned())
                            .collect();
                        windows_components(&d, &rest.join("\\"))
                    }
                    _ => Err(SyntaxError::platform(format!(
                        "file URL {text:?} does not start with a drive letter"
                    ))),
                }
            }
            _ => Ok(comps),
        }
    }
}

/// Reject text that cannot be a path on any platform.
fn check_text(p: Platform, text: &str) -> Result<(), SyntaxError> {
    if text.is_empty() {
        return Err(SyntaxError::invalid("the path is empty"));
    }
    if let Some(i) = text.find('\0') {
        return Err(SyntaxError::invalid(format!(
            "the path contains a NUL character at byte {i}: {:?}",
            text.replace('\0', "\\0")
        )));
    }
    let max = if p == Platform::Windows {
        MAX_WINDOWS_PATH
    } else {
        MAX_POSIX_PATH
    };
    if text.len() > max {
        return Err(SyntaxError::invalid(format!(
            "the path is {} bytes long; the limit is {max}",
            text.len()
        )));
    }
    Ok(())
}

/// `scheme://` or `file:` at the start. A single letter followed by `:` is a
/// Windows drive, not a scheme.
fn has_url_scheme(text: &str) -> bool {
    let Some(colon) = text.find(':') else {
        return false;
    };
    let scheme = &text[..colon];
    let valid = scheme.len() >= 2
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    valid && (scheme.eq_ignore_ascii_case("file") || text[colon + 1..].starts_with("//"))
}

/// `~` or `~/rest` (also `~\rest` on Windows): the rest; `~user` is not expanded.
fn tilde_rest(text: &str, windows: bool) -> Option<&str> {
    if text == "~" {
        return Some("");
    }
    let rest = text.strip_prefix('~')?;
    if rest.starts_with('/') || (windows && rest.starts_with('\\')) {
        Some(&rest[1..])
    } else {
        None
    }
}

/// Split POSIX text on `/`, dropping empty components (so `//` is `/` and a
/// trailing slash changes nothing).
pub(crate) fn posix_components(text: &[u8]) -> Vec<Name> {
    text.split(|b| *b == b'/')
        .filter(|c| !c.is_empty())
        .map(|c| c.to_vec())
        .collect()
}

fn simple_upper(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn is_drive(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

enum WinPrefix<'a> {
    /// `C:\…`: the drive text.
    Drive(&'a str),
    /// `\…`: the root of the current drive.
    RootOfCurrentDrive,
    /// No prefix.
    Relative,
}

fn is_sep(c: u8) -> bool {
    c == b'\\' || c == b'/'
}

/// Classify the start of a Windows path; refuse the forms the guard cannot
/// judge: device namespace (`\\.\`), NT object paths (`\??\`), UNC shares,
/// drive-relative paths (`C:x`) and verbatim paths that rely on verbatim
/// semantics.
fn windows_prefix(text: &str) -> Result<(WinPrefix<'_>, &str), SyntaxError> {
    let b = text.as_bytes();
    if b.len() >= 2 && is_sep(b[0]) && is_sep(b[1]) {
        // `\\?\`, `\\.\`, `\\host\share`.
        if b.len() >= 4 && (b[2] == b'?' || b[2] == b'.') && is_sep(b[3]) {
            if b[2] == b'.' {
                return Err(SyntaxError::platform(format!(
                    "{text:?} is a device namespace path (\\\\.\\)"
                )));
            }
            // Verbatim: `\\?\C:\…` is accepted as `C:\…` when it needs no
            // verbatim meaning (no `/`, `.` or `..` components).
            let rest = &text[4..];
            // `get`: the text after `\\?\` may start with a multi-byte character.
            if rest.get(..2).is_some_and(is_drive) && rest.as_bytes().get(2) == Some(&b'\\') {
                if rest.contains('/') || rest[3..].split('\\').any(|c| c == "." || c == "..") {
                    return Err(SyntaxError::platform(format!(
                        "{text:?} is a verbatim path with `/`, `.` or `..`, which Windows takes literally"
                    )));
                }
                return Ok((WinPrefix::Drive(&rest[..2]), &rest[3..]));
            }
            return Err(SyntaxError::platform(format!(
                "{text:?} is a verbatim path that does not name a drive (\\\\?\\)"
            )));
        }
        return Err(SyntaxError::platform(format!(
            "{text:?} is a UNC network path (\\\\host\\share)"
        )));
    }
    if b.len() >= 4 && b[0] == b'\\' && b[1] == b'?' && b[2] == b'?' && b[3] == b'\\' {
        return Err(SyntaxError::platform(format!(
            "{text:?} is an NT object path (\\??\\)"
        )));
    }
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        if b.len() == 2 || !is_sep(b[2]) {
            return Err(SyntaxError::platform(format!(
                "{text:?} is relative to the current directory of drive {}",
                &text[..2]
            )));
        }
        return Ok((WinPrefix::Drive(&text[..2]), &text[3..]));
    }
    if !b.is_empty() && is_sep(b[0]) {
        return Ok((WinPrefix::RootOfCurrentDrive, &text[1..]));
    }
    Ok((WinPrefix::Relative, text))
}

/// Split the part after the prefix into components, applying the Windows
/// name rules to each. `drive` (possibly empty) becomes the first component.
fn windows_components(drive: &str, rest: &str) -> Result<Vec<Name>, SyntaxError> {
    let mut out = Vec::new();
    if !drive.is_empty() {
        out.push(drive.to_ascii_uppercase().into_bytes());
    }
    for raw in rest.split(['\\', '/']).filter(|c| !c.is_empty()) {
        if raw == "." || raw == ".." {
            out.push(raw.as_bytes().to_vec());
            continue;
        }
        out.push(windows_name(raw)?.into_bytes());
    }
    Ok(out)
}

/// The name Windows opens for component `raw`, or why it is refused.
fn windows_name(raw: &str) -> Result<String, SyntaxError> {
    if let Some(c) = raw
        .chars()
        .find(|c| matches!(c, '<' | '>' | '"' | '|' | '?' | '*') || (*c as u32) < 0x20)
    {
        return Err(SyntaxError::platform(format!(
            "component {raw:?} contains {c:?}, which Windows does not allow in names"
        )));
    }
    if raw.contains(':') {
        return Err(SyntaxError::platform(format!(
            "component {raw:?} names an NTFS alternate data stream (`:`)"
        )));
    }
    // Win32 drops trailing dots and spaces: `secret.txt. ` opens `secret.txt`.
    let name = raw.trim_end_matches(['.', ' ']);
    if name.is_empty() {
        // `...` or `.. ` may mean `..` to some APIs: refuse rather than guess.
        return Err(SyntaxError::platform(format!(
            "component {raw:?} consists only of dots and spaces"
        )));
    }
    let base = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper: String = base.chars().map(simple_upper).collect();
    if WINDOWS_RESERVED.contains(&upper.as_str()) {
        return Err(SyntaxError::platform(format!(
            "component {raw:?} is the reserved device name {upper}"
        )));
    }
    if looks_like_short_name(name) {
        return Err(SyntaxError::platform(format!(
            "component {raw:?} looks like an 8.3 short name, which can alias another file; use the long name"
        )));
    }
    Ok(name.to_string())
}

/// Code points HFS+ drops when it compares names (the list git checks for
/// `.git` spellings, CVE-2014-9390).
fn hfs_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{200c}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{206a}'..='\u{206f}' | '\u{feff}'
    )
}

/// `PROGRA~1`, `SECRET~2.TXT`: up to 8 characters with `~digits`, optional
/// extension of up to 3.
fn looks_like_short_name(name: &str) -> bool {
    let (base, ext) = match name.rfind('.') {
        Some(i) => (&name[..i], &name[i + 1..]),
        None => (name, ""),
    };
    if base.is_empty() || base.chars().count() > 8 || ext.chars().count() > 3 {
        return false;
    }
    match base.rfind('~') {
        Some(i) => {
            let digits = &base[i + 1..];
            i > 0 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn win(text: &str) -> Result<String, SyntaxError> {
        let cwd = Platform::Windows.parse_config_absolute(r"C:\ws").unwrap();
        let home = Platform::Windows
            .parse_config_absolute(r"C:\Users\u")
            .unwrap();
        Platform::Windows
            .parse_input(text, &cwd, &home)
            .map(|c| Platform::Windows.display(&c))
    }

    fn win_code(text: &str) -> DecisionCode {
        win(text).unwrap_err().code
    }

    #[test]
    fn windows_accepts_drive_paths_with_either_separator() {
        assert_eq!(win(r"C:/ws/src/main.rs").unwrap(), r"C:\ws\src\main.rs");
        assert_eq!(win(r"c:\WS\SRC\main.rs").unwrap(), r"C:\WS\SRC\main.rs");
        assert_eq!(win(r"src\x").unwrap(), r"C:\ws\src\x");
        assert_eq!(win(r"\other").unwrap(), r"C:\other");
        assert_eq!(win(r"~\.ssh").unwrap(), r"C:\Users\u\.ssh");
        assert_eq!(
            win(r"\\?\C:\Windows\win.ini").unwrap(),
            r"C:\Windows\win.ini"
        );
        assert_eq!(win("C:\\ws\\secret.txt. .").unwrap(), r"C:\ws\secret.txt");
    }

    #[test]
    fn windows_refuses_forms_it_cannot_judge() {
        for text in [
            r"\\.\PhysicalDrive0",
            r"//./nul",
            r"\\attacker.example\share\x.txt",
            r"//host/share",
            r"\\?\UNC\host\share",
            r"\??\C:\x",
            r"C:ws\file.txt",
            r"C:",
            r"C:\ws\secret.txt::$DATA",
            r"C:\ws\a:stream",
            r"C:\ws\src\nul.txt",
            r"C:\ws\CON",
            r"C:\ws\com1.log",
            r"C:\ws\lpt¹",
            r"C:\ws\...\x",
            r"C:\ws\.. \x",
            r"C:\PROGRA~1\app",
            r"C:\ws\a*b",
            r"\\?\C:\ws\..\x",
        ] {
            assert_eq!(win_code(text), DecisionCode::PlatformPath, "{text}");
        }
        // Names that merely contain a reserved word are fine.
        assert!(win(r"C:\ws\console.txt").is_ok());
        assert!(win(r"C:\ws\nullable\x").is_ok());
        assert!(win(r"C:\ws\backup~old").is_ok());
    }

    #[test]
    fn windows_keys_fold_case() {
        let w = Platform::Windows;
        assert_eq!(w.key(b"Secret.TXT"), w.key(b"secret.txt"));
        assert_ne!(w.key(b"secret.txt"), w.key(b"secret.tx"));
        // No multi-character expansion: `ß` stays `ß`.
        assert_eq!(w.key("ß".as_bytes()).as_ref(), "ß".as_bytes());
    }

    #[test]
    fn macos_keys_fold_case_and_normalization() {
        let m = Platform::MacOs;
        assert_eq!(m.key("CAFÉ".as_bytes()), m.key("cafe\u{301}".as_bytes()));
        assert_eq!(m.system_link(&[b"TMP".to_vec()]), Some("/private/tmp"));
        assert_eq!(m.system_link(&[b"tmpx".to_vec()]), None);
        assert_eq!(Platform::Linux.system_link(&[b"tmp".to_vec()]), None);
    }

    #[test]
    fn linux_keeps_bytes_and_collapses_slashes() {
        let l = Platform::Linux;
        assert_eq!(l.key(b"SRC").as_ref(), b"SRC");
        let cwd = l.parse_config_absolute("/ws").unwrap();
        let home = l.parse_config_absolute("/home/u").unwrap();
        let p = |t: &str| l.parse_input(t, &cwd, &home).map(|c| l.display(&c));
        assert_eq!(p("//etc//passwd/").unwrap(), "/etc/passwd");
        assert_eq!(p("~").unwrap(), "/home/u");
        assert_eq!(p("~/x").unwrap(), "/home/u/x");
        assert_eq!(p("~user/x").unwrap(), "/ws/~user/x");
        assert_eq!(p("a/../b").unwrap(), "/ws/a/../b");
        assert_eq!(p("%2e%2e/x").unwrap(), "/ws/%2e%2e/x");
        assert_eq!(p("file:///etc/passwd").unwrap(), "/etc/passwd");
        assert_eq!(p("file:///ws/../etc/passwd").unwrap(), "/etc/passwd");
        assert_eq!(p("FILE://localhost/ws/a%20b").unwrap(), "/ws/a b");
        assert_eq!(
            p("file://evil/x").unwrap_err().code,
            DecisionCode::PlatformPath
        );
        assert_eq!(
            p("file:///ws/a%2Fb").unwrap_err().code,
            DecisionCode::InvalidPath
        );
        assert_eq!(
            p("https://x/y").unwrap_err().code,
            DecisionCode::InvalidPath
        );
        assert_eq!(p("").unwrap_err().code, DecisionCode::InvalidPath);
        assert_eq!(p("a\0b").unwrap_err().code, DecisionCode::InvalidPath);
        assert_eq!(
            p(&"a/".repeat(3000)).unwrap_err().code,
            DecisionCode::InvalidPath
        );
        // A single letter before `:` is not a scheme.
        assert_eq!(p("c:/x").unwrap(), "/ws/c:/x");
    }

    #[test]
    fn windows_file_urls() {
        assert_eq!(win("file:///C:/ws/x%20y").unwrap(), r"C:\ws\x y");
        assert_eq!(
            win_code("file://server/share/x"),
            DecisionCode::PlatformPath
        );
    }

    #[test]
    fn short_name_shape() {
        assert!(looks_like_short_name("PROGRA~1"));
        assert!(looks_like_short_name("SECRET~2.TXT"));
        assert!(!looks_like_short_name("~1"));
        assert!(!looks_like_short_name("a~b"));
        assert!(!looks_like_short_name("verylongname~1"));
    }
}
