//! javac runs annotation processors at compile time: those named with
//! `-processor`, `-processorpath`, `--processor-path` or
//! `--processor-module-path`, and, unless `-proc:none`, every processor a
//! class path entry lists in `META-INF/services/javax.annotation.processing.Processor`
//! (a directory's file, or a JAR's entry). Those are code: one named on the
//! command line is not modelled; one found on the class path is judged
//! like a file of code the tool runs (allowed where the agent could write
//! it anyway), and not modelled when the command wrote into that entry
//! earlier (the rule of `project_files.rs`: files written, then run).
//! docs/commands.md, "Annotation processors".

use super::normalize::{clip, Arg};
use super::rules::normalize_path;
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The service file that lists a class path entry's processors.
const SERVICE: &str = "META-INF/services/javax.annotation.processing.Processor";

/// Options that name processors or where they are loaded from.
const PROCESSOR_OPTIONS: &[&str] = &[
    "-processor",
    "-processorpath",
    "--processor-path",
    "--processor-module-path",
];

/// The class path options of javac (the value in the next word, or after
/// `=` for the long one).
const CLASS_PATH_OPTIONS: &[&str] = &["-cp", "-classpath", "--class-path"];

/// Whether the JAR (a zip file) at `path` has the processor service entry:
/// `Some(false)` when its central directory was read and has none, `None`
/// when it cannot be read as a zip file (it may have one).
fn jar_has_processor(path: &Path) -> Option<bool> {
    let mut f = std::fs::File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    // The end of central directory record: 22 bytes and a comment of up to
    // 65535, at the end of the file.
    let tail_len = len.min(22 + 65535);
    f.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; tail_len as usize];
    f.read_exact(&mut tail).ok()?;
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&k| tail[k..k + 4] == [0x50, 0x4b, 0x05, 0x06])?;
    let u16_at = |b: &[u8], k: usize| u16::from_le_bytes([b[k], b[k + 1]]) as usize;
    let u32_at = |b: &[u8], k: usize| u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
    let entries = u16_at(&tail, at + 10);
    let size = u32_at(&tail, at + 12);
    let offset = u32_at(&tail, at + 16);
    // ZIP64 archives, and a directory larger than the file: not read.
    if size == u32::MAX || offset == u32::MAX || entries == 0xffff {
        return None;
    }
    if u64::from(offset) + u64::from(size) > len || size > 64 << 20 {
        return None;
    }
    f.seek(SeekFrom::Start(u64::from(offset))).ok()?;
    let mut dir = vec![0u8; size as usize];
    f.read_exact(&mut dir).ok()?;
    let mut k = 0;
    let mut seen = 0;
    while k + 46 <= dir.len() {
        if dir[k..k + 4] != [0x50, 0x4b, 0x01, 0x02] {
            return None;
        }
        let name_len = u16_at(&dir, k + 28);
        let extra_len = u16_at(&dir, k + 30);
        let comment_len = u16_at(&dir, k + 32);
        let name = dir.get(k + 46..k + 46 + name_len)?;
        if name == SERVICE.as_bytes() {
            return Some(true);
        }
        k += 46 + name_len + extra_len + comment_len;
        seen += 1;
    }
    (seen == entries && k == dir.len()).then_some(false)
}

/// The value of the last `-proc:` option.
fn proc_mode(argv: &[Arg]) -> Option<&str> {
    argv.iter()
        .skip(1)
        .rev()
        .filter_map(|a| a.lit())
        .find_map(|v| v.strip_prefix("-proc:"))
}

impl Analyzer<'_> {
    /// Annotation processors javac would run: named ones are not modelled;
    /// those the class path holds are judged as code.
    pub(crate) fn check_javac_processors(&mut self, argv: &[Arg]) {
        if proc_mode(argv) == Some("none") {
            return;
        }
        let mut paths: Vec<&Arg> = Vec::new();
        let mut given = false;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else { continue };
            let name = v.split('=').next().unwrap_or(v);
            if PROCESSOR_OPTIONS.contains(&name) {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!(
                        "javac {}: annotation processors run code at compile time, which is not analysed (-proc:none turns them off)",
                        clip(v)
                    ),
                    a.span,
                    argv,
                );
                return;
            }
            if CLASS_PATH_OPTIONS.contains(&name) {
                given = true;
                if v.contains('=') && name == "--class-path" {
                    paths.push(a);
                } else if let Some(n) = argv.get(i) {
                    paths.push(n);
                    i += 1;
                }
            }
        }
        let mut entries: Vec<(Arg, &Arg)> = Vec::new();
        for p in &paths {
            let Some(v) = p.lit() else {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "javac: the class path {} is computed at run time; javac runs the annotation processors it holds",
                        p.shown()
                    ),
                    p.span,
                    argv,
                );
                return;
            };
            let v = v.strip_prefix("--class-path=").unwrap_or(v);
            for e in v.split(':') {
                // An empty entry is the working directory.
                let e = if e.is_empty() { "." } else { e };
                let mut t = Arg::literal(e, p.span);
                t.home = e == "~" || e.starts_with("~/");
                entries.push((t, p));
            }
        }
        // Without a class path option: the working directory (a CLASSPATH
        // the caller exported is not seen; one the command sets asks as
        // environment).
        if !given {
            entries.push((Arg::literal(".", argv[0].span), &argv[0]));
        }
        for (e, word) in entries {
            if !self.class_path_entry(&e, word, argv) {
                return;
            }
        }
    }

    /// One class path entry: false when it asked.
    fn class_path_entry(&mut self, e: &Arg, word: &Arg, argv: &[Arg]) -> bool {
        let v = e.lit().unwrap_or_default();
        let Some(p) = self.resolve(v.trim_end_matches('*'), e.home) else {
            return self.processor_unknown(word, argv, "its directory is not known");
        };
        let p = normalize_path(&p);
        let before = self.written.len().min(self.written_before);
        // Written paths are kept under both names (relative to the
        // workspace and absolute): a root is compared under both too.
        let written_below = |root: &str| {
            let mut roots = vec![root.to_string()];
            roots.extend(self.other_name(root));
            roots.iter().any(|root| {
                let root = root.as_str();
                self.written[..before].iter().any(|(w, _)| {
                    w == root
                        || root == "."
                        || w.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
                        || root
                            .strip_prefix(w.as_str())
                            .is_some_and(|r| r.starts_with('/'))
                }) || self
                    .written_prefixes
                    .iter()
                    .any(|w| root == "." || w.starts_with(root) || root.starts_with(w.as_str()))
            })
        };
        let host = self.fs.host_path_of(&p);
        // `DIR/*`: every JAR in DIR.
        if v.ends_with('*') {
            if written_below(&p) {
                return self.processor_written(word, argv, &p);
            }
            let Some(host) = host else {
                return self.processor_unknown(word, argv, "its directory is not known");
            };
            let Ok(list) = std::fs::read_dir(&host) else {
                return true;
            };
            for entry in list.flatten() {
                let name = entry.file_name();
                let Some(name) = name.to_str() else { continue };
                if !name.to_ascii_lowercase().ends_with(".jar") {
                    continue;
                }
                let mut jar = Arg::literal(&format!("{}/{name}", p.trim_end_matches('/')), e.span);
                jar.home = e.home;
                if jar_has_processor(&entry.path()) != Some(false) {
                    self.check_file(
                        &jar,
                        FileOperation::Write,
                        argv,
                        "javac (an annotation processor on the class path)",
                    );
                }
            }
            return true;
        }
        let Some(host) = host else {
            return self.processor_unknown(word, argv, "its location is not known");
        };
        if host.is_dir() {
            let meta = normalize_path(&format!("{p}/META-INF"));
            let listed = host.join(SERVICE).exists() || written_below(&meta);
            if !listed {
                return true;
            }
            if written_below(&p) {
                return self.processor_written(word, argv, &p);
            }
            self.check_file(
                e,
                FileOperation::Write,
                argv,
                "javac (an annotation processor on the class path)",
            );
            return true;
        }
        if written_below(&p) {
            return self.processor_written(word, argv, &p);
        }
        if host.is_file() && jar_has_processor(&host) != Some(false) {
            self.check_file(
                e,
                FileOperation::Write,
                argv,
                "javac (an annotation processor on the class path)",
            );
        }
        true
    }

    fn processor_written(&mut self, word: &Arg, argv: &[Arg], p: &str) -> bool {
        self.unmodelled(
            DecisionCode::UnmodelledProgram,
            format!(
                "javac runs the annotation processors its class path holds, and {} was written earlier in the same command: its content is not analysed (-proc:none turns processors off)",
                clip(p)
            ),
            word.span,
            argv,
        );
        false
    }

    fn processor_unknown(&mut self, word: &Arg, argv: &[Arg], why: &str) -> bool {
        self.unmodelled(
            DecisionCode::UnmodelledOperand,
            format!(
                "javac: the class path entry {} may hold annotation processors, which run code at compile time, and {why}",
                word.shown()
            ),
            word.span,
            argv,
        );
        false
    }
}

/// kotlinc's options that load or run code: compiler plugins and their
/// options, scripts, expressions, the REPL, JVM options, another compiler
/// or JDK home.
const KOTLINC_CODE_OPTIONS: &[&str] = &[
    "-Xplugin",
    "-Xcompiler-plugin",
    "-P",
    "-script",
    "-Xscript",
    "-script-templates",
    "-e",
    "-expression",
    "-Xrepl",
    "-J",
    "-kotlin-home",
    "-jdk-home",
];

/// kotlinc's options whose value is the next word.
const KOTLINC_VALUE_OPTIONS: &[&str] = &[
    "-d",
    "-cp",
    "-classpath",
    "-jvm-target",
    "-language-version",
    "-api-version",
    "-module-name",
    "-opt-in",
];

impl Analyzer<'_> {
    /// kotlinc loads compiler plugins (`-Xplugin=JAR`, `-P plugin:…`), runs
    /// scripts and expressions, and without a source file starts its REPL
    /// (with a history file): none of that is modelled.
    pub(crate) fn check_kotlinc(&mut self, argv: &[Arg]) {
        let mut sources = false;
        let mut info = false;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                sources = true;
                continue;
            };
            if !v.starts_with('-') {
                sources = true;
                continue;
            }
            let name = v.split(['=', ':']).next().unwrap_or(v);
            if KOTLINC_CODE_OPTIONS
                .iter()
                .any(|o| name == *o || (o.starts_with("-X") && name.starts_with(o)))
                || v.starts_with("-J")
            {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!(
                        "kotlinc {}: compiler plugins, scripts, expressions and JVM options load or run code that is not analysed",
                        clip(v)
                    ),
                    a.span,
                    argv,
                );
                return;
            }
            if matches!(name, "-help" | "-h" | "-version" | "-X") {
                info = true;
            }
            if KOTLINC_VALUE_OPTIONS.contains(&name) && !v.contains('=') {
                i += 1;
            }
        }
        if !sources && !info {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                "kotlinc without a source file starts its REPL, which runs the code typed and keeps a history file; not modelled".to_string(),
                argv[0].span,
                argv,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip file with the given entry names, stored, no data.
    fn zip(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for n in names {
            let offset = out.len() as u32;
            out.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04]);
            out.extend_from_slice(&[0u8; 22]);
            out.extend_from_slice(&(n.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(n.as_bytes());
            central.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02]);
            central.extend_from_slice(&[0u8; 24]);
            central.extend_from_slice(&(n.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0u8; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(n.as_bytes());
        }
        let at = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]);
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn jar_service_entries_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let with = dir.path().join("with.jar");
        let without = dir.path().join("without.jar");
        let junk = dir.path().join("junk.jar");
        std::fs::write(&with, zip(&["META-INF/MANIFEST.MF", SERVICE, "p/P.class"])).unwrap();
        std::fs::write(&without, zip(&["META-INF/MANIFEST.MF", "a/A.class"])).unwrap();
        std::fs::write(&junk, b"not a zip").unwrap();
        assert_eq!(jar_has_processor(&with), Some(true));
        assert_eq!(jar_has_processor(&without), Some(false));
        assert_eq!(jar_has_processor(&junk), None);
        assert_eq!(jar_has_processor(&dir.path().join("missing.jar")), None);
    }
}
