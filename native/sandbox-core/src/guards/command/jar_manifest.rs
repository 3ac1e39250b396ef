//! The JVM runs classes from more than the JAR or the class path the
//! command names: a JAR's manifest (`META-INF/MANIFEST.MF`, main section)
//! adds the entries of its `Class-Path:` attribute — space-separated URLs
//! relative to the JAR's directory, over continued lines — and the JARs
//! there add theirs (docs/commands.md, "Known programs", java). Each is
//! followed and judged like the JAR itself: code the tool runs, allowed
//! where the agent could write it anyway, not modelled when the command
//! wrote it earlier. `Launcher-Agent-Class` names a class of the same JAR
//! and `Add-Opens`/`Add-Exports` open modules to it: no other code.

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

const MANIFEST: &str = "META-INF/MANIFEST.MF";

/// How many JARs one check follows through manifests.
const MAX_JARS: usize = 64;

/// The largest manifest read, compressed or not.
const MAX_MANIFEST: usize = 1 << 20;

/// The content of the entry `name` of the zip file at `path`: `Ok(None)`
/// when the central directory was read and has no such entry, `Err` when
/// the file cannot be read as a zip file this reader knows (ZIP64, an
/// unknown compression, a damaged structure).
pub(crate) fn zip_entry(path: &Path, name: &str) -> Result<Option<Vec<u8>>, ()> {
    let mut f = std::fs::File::open(path).map_err(|_| ())?;
    let len = f.metadata().map_err(|_| ())?.len();
    let tail_len = len.min(22 + 65535);
    f.seek(SeekFrom::Start(len - tail_len)).map_err(|_| ())?;
    let mut tail = vec![0u8; tail_len as usize];
    f.read_exact(&mut tail).map_err(|_| ())?;
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&k| tail[k..k + 4] == [0x50, 0x4b, 0x05, 0x06])
        .ok_or(())?;
    let u16_at = |b: &[u8], k: usize| u16::from_le_bytes([b[k], b[k + 1]]) as usize;
    let u32_at = |b: &[u8], k: usize| u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
    let entries = u16_at(&tail, at + 10);
    let size = u32_at(&tail, at + 12);
    let offset = u32_at(&tail, at + 16);
    if size == u32::MAX || offset == u32::MAX || entries == 0xffff {
        return Err(());
    }
    if u64::from(offset) + u64::from(size) > len || size > 64 << 20 {
        return Err(());
    }
    f.seek(SeekFrom::Start(u64::from(offset))).map_err(|_| ())?;
    let mut dir = vec![0u8; size as usize];
    f.read_exact(&mut dir).map_err(|_| ())?;
    let mut k = 0;
    let mut found = None;
    let mut seen = 0;
    while k + 46 <= dir.len() {
        if dir[k..k + 4] != [0x50, 0x4b, 0x01, 0x02] {
            return Err(());
        }
        let name_len = u16_at(&dir, k + 28);
        let extra_len = u16_at(&dir, k + 30);
        let comment_len = u16_at(&dir, k + 32);
        let entry = dir.get(k + 46..k + 46 + name_len).ok_or(())?;
        // The JDK finds a name whatever its case (`meta-inf/manifest.mf`).
        if entry.eq_ignore_ascii_case(name.as_bytes()) {
            if found.is_some() {
                return Err(());
            }
            let method = u16_at(&dir, k + 10);
            let csize = u32_at(&dir, k + 20);
            let usize_ = u32_at(&dir, k + 24);
            let local = u32_at(&dir, k + 42);
            found = Some((method, csize, usize_, local));
        }
        k += 46 + name_len + extra_len + comment_len;
        seen += 1;
    }
    if seen != entries || k != dir.len() {
        return Err(());
    }
    let Some((method, csize, usize_, local)) = found else {
        return Ok(None);
    };
    if csize == u32::MAX || usize_ == u32::MAX {
        return Err(());
    }
    if csize as usize > MAX_MANIFEST || usize_ as usize > MAX_MANIFEST {
        return Err(());
    }
    let mut head = [0u8; 30];
    f.seek(SeekFrom::Start(u64::from(local))).map_err(|_| ())?;
    f.read_exact(&mut head).map_err(|_| ())?;
    if head[..4] != [0x50, 0x4b, 0x03, 0x04] {
        return Err(());
    }
    let skip = u16_at(&head, 26) + u16_at(&head, 28);
    f.seek(SeekFrom::Current(skip as i64)).map_err(|_| ())?;
    let mut data = vec![0u8; csize as usize];
    f.read_exact(&mut data).map_err(|_| ())?;
    match method {
        0 => Ok(Some(data)),
        8 => miniz_oxide::inflate::decompress_to_vec_with_limit(&data, MAX_MANIFEST)
            .map(Some)
            .map_err(|_| ()),
        _ => Err(()),
    }
}

/// The value of the main section's attribute `name` (case-insensitive),
/// with its continuation lines joined.
fn main_attribute(manifest: &str, name: &str) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in manifest.split("\r\n").flat_map(|l| l.split(['\n', '\r'])) {
        if line.is_empty() {
            // The end of the main section.
            break;
        }
        match (line.strip_prefix(' '), lines.last_mut()) {
            (Some(more), Some(last)) => last.push_str(more),
            _ => lines.push(line.to_string()),
        }
    }
    lines.iter().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name)
            .then(|| v.strip_prefix(' ').unwrap_or(v).to_string())
    })
}

/// A `Class-Path` URL as a path relative to the JAR's directory (or an
/// absolute `file:` one), percent-decoded; `None` for another scheme.
fn entry_path(url: &str) -> Option<String> {
    let path = match url.split_once(':') {
        Some((scheme, rest)) if scheme.len() > 1 && !scheme.contains('/') => {
            if !scheme.eq_ignore_ascii_case("file") {
                return None;
            }
            rest.strip_prefix("//").map_or(rest, |r| {
                // `file://host/path`: only the local host.
                r.strip_prefix("localhost").unwrap_or(r)
            })
        }
        _ => url,
    };
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .to_string();
    (!decoded.is_empty()).then_some(decoded)
}

impl Analyzer<'_> {
    /// The JARs and directories a JAR's manifest adds to the class path,
    /// followed from JAR to JAR, each judged as code the tool runs. False
    /// when it asked.
    pub(crate) fn check_manifest_class_path(
        &mut self,
        jar: &Path,
        argv: &[Arg],
        via: &str,
        seen: &mut Vec<PathBuf>,
    ) -> bool {
        if seen.contains(&jar.to_path_buf()) {
            return true;
        }
        seen.push(jar.to_path_buf());
        if !jar.is_file() {
            // Not there yet (built by the command) or a directory.
            return true;
        }
        let manifest = match zip_entry(jar, MANIFEST) {
            Ok(Some(m)) => m,
            Ok(None) => return true,
            Err(()) => {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{via}: {} cannot be read as a JAR, so the class path its manifest adds is not known",
                        clip(&jar.to_string_lossy())
                    ),
                    argv[0].span,
                    argv,
                );
                return false;
            }
        };
        let text = String::from_utf8_lossy(&manifest);
        let Some(cp) = main_attribute(&text, "Class-Path") else {
            return true;
        };
        let dir = jar.parent().unwrap_or(Path::new("/")).to_path_buf();
        for url in cp.split_whitespace() {
            let Some(p) = entry_path(url) else {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{via}: the manifest of {} adds {} to the class path, code from a URL that is not analysed",
                        clip(&jar.to_string_lossy()),
                        clip(url)
                    ),
                    argv[0].span,
                    argv,
                );
                return false;
            };
            if seen.len() >= MAX_JARS {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("{via}: the manifests add more JARs than the analysis follows"),
                    argv[0].span,
                    argv,
                );
                return false;
            }
            let target = dir.join(&p);
            let shown = format!("{via} (Class-Path of {})", clip(&jar.to_string_lossy()));
            let t = Arg::literal(&target.to_string_lossy(), argv[0].span);
            if !self.judge_code(&t, argv, &shown) {
                return false;
            }
            if !self.check_manifest_class_path(&target, argv, via, seen) {
                return false;
            }
        }
        true
    }

    /// `java -cp A:B:DIR/*`: each entry holds code the JVM runs, judged as
    /// such; a JAR's manifest adds more. False when it asked.
    pub(crate) fn check_java_class_path(&mut self, value: &Arg, argv: &[Arg], via: &str) -> bool {
        let Some(v) = value.lit() else {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{via} {}: a class path computed at run time is not analysed",
                    value.shown()
                ),
                value.span,
                argv,
            );
            return false;
        };
        let mut seen = Vec::new();
        for e in v.split(':') {
            // An empty entry is the working directory.
            let e = if e.is_empty() { "." } else { e };
            let mut t = Arg::literal(e, value.span);
            t.home = e == "~" || e.starts_with("~/");
            if let Some(dir) = e.strip_suffix('*') {
                // Every JAR of the directory.
                let d = if dir.is_empty() { "." } else { dir };
                let mut td = Arg::literal(d, value.span);
                td.home = t.home;
                if !self.judge_code(&td, argv, via) {
                    return false;
                }
                let Some(host) = self
                    .resolve(d, td.home)
                    .and_then(|p| self.fs.host_path_of(&p))
                else {
                    continue;
                };
                let Ok(list) = std::fs::read_dir(&host) else {
                    continue;
                };
                let mut jars: Vec<PathBuf> = list
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("jar")))
                    .collect();
                jars.sort();
                for jar in jars {
                    let tj = Arg::literal(&jar.to_string_lossy(), value.span);
                    if !self.judge_code(&tj, argv, via)
                        || !self.check_manifest_class_path(&jar, argv, via, &mut seen)
                    {
                        return false;
                    }
                }
                continue;
            }
            if !self.judge_code(&t, argv, via) {
                return false;
            }
            let host = self
                .resolve(e, t.home)
                .and_then(|p| self.fs.host_path_of(&p));
            if let Some(host) = host {
                if !self.check_manifest_class_path(&host, argv, via, &mut seen) {
                    return false;
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_main_section() {
        let m = "Manifest-Version: 1.0\r\nClass-Path: lib/a.jar lib/b\r\n .jar  c/\r\nMain-Class: M\r\n\r\nName: x\r\nClass-Path: no.jar\r\n";
        assert_eq!(
            main_attribute(m, "class-path").as_deref(),
            Some("lib/a.jar lib/b.jar  c/")
        );
        assert_eq!(
            main_attribute("Main-Class: M\n\nClass-Path: x\n", "Class-Path"),
            None
        );
        assert_eq!(entry_path("lib/a%20b.jar").as_deref(), Some("lib/a b.jar"));
        assert_eq!(entry_path("file:/opt/x.jar").as_deref(), Some("/opt/x.jar"));
        assert_eq!(entry_path("http://h/x.jar"), None);
    }
}
