//! Links moved or renamed by the command (`mv h k`, `mv -t sub h`, `git mv
//! h k`): the filesystem guard follows the links that exist before the
//! command runs, so once a link (or a directory holding one) takes a new
//! name, a later path through that name is not modelled: the name is
//! remembered like a link the command made (docs/commands.md, Links).

use std::path::Path;

use super::globs::{could_match, is_glob};
use super::normalize::Arg;
use super::rules::{basename, normalize_path};
use super::walk::Analyzer;

/// At most this many entries are looked at to tell whether a moved
/// directory holds a link; more counts as holding one.
const MAX_SCAN: usize = 2_000;

/// Whether the tree at `p` (not following links) holds a link, or is
/// too large to tell.
fn holds_link(p: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(p) else {
        return false;
    };
    if meta.file_type().is_symlink() {
        return true;
    }
    if !meta.is_dir() {
        return false;
    }
    let mut budget = MAX_SCAN;
    let mut stack = vec![p.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            if budget == 0 {
                return true;
            }
            budget -= 1;
            match e.file_type() {
                Ok(t) if t.is_symlink() => return true,
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(_) => {}
                // Not known: counts as a link.
                Err(_) => return true,
            }
        }
    }
    false
}

impl Analyzer<'_> {
    /// Whether the resolved `path` is, or lies below, a name the command
    /// made a link earlier (a glob component standing for every name it
    /// could match).
    fn is_new_link(&self, path: &str) -> bool {
        let p = normalize_path(path);
        self.shell
            .links
            .iter()
            .any(|l| l.is_empty() || at_or_below(&p, l))
            || self
                .shell
                .backup_links
                .iter()
                .any(|(b, any)| through_backup(&p, b, *any))
            || self.below_link_dir(&p)
    }

    /// The links the command made or moved strictly below the resolved
    /// `path`, spelled as resolved paths; `None` when some are not known by
    /// name (a name computed at run time, a backup of unknown name, a
    /// directory where links of unknown names may be made).
    pub(crate) fn new_links_below(&self, path: &str) -> Option<Vec<String>> {
        let p = normalize_path(path);
        let below = |l: &str| {
            let l = normalize_path(l);
            (p == "/" && l.starts_with('/') && l != "/") || l.starts_with(&format!("{p}/"))
        };
        if self.shell.links.iter().any(String::is_empty)
            || self.shell.backup_links.iter().any(|(b, _)| below(b))
            || self
                .shell
                .link_dirs
                .iter()
                .any(|d| d.is_empty() || below(d))
            || self.is_link_dir(&p)
            || self.below_link_dir(&p)
        {
            return None;
        }
        let mut out: Vec<String> = Vec::new();
        for l in &self.shell.links {
            if below(l) && !out.contains(l) {
                out.push(l.clone());
            }
        }
        Some(out)
    }

    /// Whether the normalized `p` lies strictly below a directory where
    /// the command may have made links of unknown targets.
    fn below_link_dir(&self, p: &str) -> bool {
        self.shell.link_dirs.iter().any(|d| {
            if d.is_empty() {
                return true;
            }
            match (self.fs.host_path_of(d), self.fs.host_path_of(p)) {
                (Some(hd), Some(hp)) => hp != hd && hp.starts_with(&hd),
                _ if d == "." => {
                    p != "." && !p.starts_with('/') && !p.starts_with('~') && !p.starts_with("..")
                }
                _ => p.starts_with(&format!("{d}/")),
            }
        })
    }

    /// Whether the normalized `p` is itself a directory where the command
    /// may have made links of unknown targets (its tree may hold them).
    fn is_link_dir(&self, p: &str) -> bool {
        let p = normalize_path(p);
        self.shell.link_dirs.iter().any(|d| {
            d.is_empty()
                || *d == p
                || matches!(
                    (self.fs.host_path_of(d), self.fs.host_path_of(&p)),
                    (Some(hd), Some(hp)) if hd == hp
                )
        })
    }

    /// Remember that the command may make links whose targets are not
    /// known anywhere below `dir` (a path as written; `None` when it is
    /// computed at run time).
    pub(crate) fn note_link_dir(&mut self, dir: Option<&Arg>) {
        let resolved = dir
            .and_then(|d| d.lit().map(|v| (v, d.home)))
            .and_then(|(v, home)| self.resolve(v, home))
            .map(|r| normalize_path(&r))
            .unwrap_or_default();
        if self.shell.link_dirs.len() < 64 && !self.shell.link_dirs.contains(&resolved) {
            self.shell.link_dirs.push(resolved);
        }
    }

    /// The directory git checks files out into: the top of the repository
    /// holding the working directory (found on the host), or not known.
    pub(crate) fn git_work_tree(&self) -> Option<String> {
        let here = self.resolve(".", false)?;
        let host = self.fs.host_path_of(&here)?;
        let mut at: &Path = &host;
        loop {
            if std::fs::symlink_metadata(at.join(".git")).is_ok() {
                return at.to_str().map(str::to_string);
            }
            at = at.parent()?;
        }
    }

    /// Programs that may make links whose targets the analysis does not
    /// know below a directory: archive extraction (`tar -x`, `unzip`, `cpio
    /// -i`, `7z x`, `patch` of a git-style patch), and recursive copies
    /// (`cp -r/-a`, `rsync -r/-a`) of a tree that holds links.
    pub(crate) fn note_link_makers(&mut self, argv: &[Arg], base: &str) {
        let canon = super::programs::canonical(base);
        let words: Vec<&str> = argv.iter().skip(1).filter_map(|a| a.lit()).collect();
        let shorts: String = words
            .iter()
            .filter(|w| w.starts_with('-') && !w.starts_with("--"))
            .map(|w| &w[1..])
            .collect();
        let long = |n: &str| {
            words
                .iter()
                .any(|w| *w == n || w.strip_prefix(n).is_some_and(|r| r.starts_with('=')))
        };
        let value_of = |names: &[&str]| -> Option<Arg> {
            let mut out = None;
            for (k, a) in argv.iter().enumerate().skip(1) {
                let Some(v) = a.lit() else { continue };
                for n in names {
                    if v == *n {
                        out = Some(argv.get(k + 1).cloned());
                    } else if let Some(x) = v.strip_prefix(*n).and_then(|r| r.strip_prefix('=')) {
                        out = Some(Some(Arg::literal(x, a.span)));
                    } else if n.len() == 2
                        && !n.starts_with("--")
                        && v.len() > 2
                        && v.starts_with(n)
                    {
                        out = Some(Some(Arg::literal(&v[2..], a.span)));
                    }
                }
            }
            out.map(|o| o.unwrap_or_else(|| Arg::dynamic("$unknown", argv[0].span)))
        };
        // Made only for the commands that extract or patch here.
        let here = || Arg::literal(".", argv[0].span);
        if matches!(canon.as_str(), "mv" | "cp" | "ln" | "install") {
            self.note_backups(argv, &canon);
        }
        // Extracting an archive or applying a patch replaces files whose
        // names and content are not known: a later build, test or script
        // run in the same command must not be judged by what is on disk now.
        let rewrites = match canon.as_str() {
            "tar" | "gtar" | "bsdtar" => {
                let first = words.first().copied().unwrap_or_default();
                (!first.starts_with('-') && first.contains('x'))
                    || shorts.contains('x')
                    || long("--extract")
                    || long("--get")
            }
            "unzip" => !shorts.chars().any(|c| "ltvZpcz".contains(c)),
            "patch" => !long("--dry-run"),
            "cpio" | "7z" | "7za" | "7zr" | "pax" | "bsdcpio" => true,
            _ => false,
        };
        if rewrites && self.checked_out.is_none() {
            self.checked_out = Some(canon.as_str().to_string());
        }
        match canon.as_str() {
            "tar" | "gtar" | "bsdtar" => {
                let first = words.first().copied().unwrap_or_default();
                let old_style = !first.starts_with('-') && first.contains('x');
                if old_style || shorts.contains('x') || long("--extract") || long("--get") {
                    let dir = value_of(&["-C", "--directory"]);
                    self.note_link_dir(Some(&dir.unwrap_or_else(here)));
                }
            }
            // Listing and testing (`-l`, `-t`, `-v`, `-Z`, `-p`, `-c`,
            // `-z`) write nothing.
            "unzip" if !shorts.chars().any(|c| "ltvZpcz".contains(c)) => {
                let dir = value_of(&["-d"]);
                self.note_link_dir(Some(&dir.unwrap_or_else(here)));
            }
            "cpio" | "7z" | "7za" | "7zr" | "pax" | "bsdcpio" => {
                self.note_link_dir(None);
            }
            "patch" => {
                let dir = value_of(&["-d", "--directory"]);
                self.note_link_dir(Some(&dir.unwrap_or_else(here)));
            }
            "cp" => {
                let w = copy_words(argv, "cp");
                // A hard link is the file it links (judged when made); a
                // symbolic one leads wherever its target name leads later.
                let symbolic = long("--symbolic-link") || shorts.contains('s');
                let (srcs, dest) = match &w.target {
                    Some(t) => (w.operands.iter().collect::<Vec<_>>(), t.clone()),
                    None => match w.operands.split_last() {
                        Some((d, s)) if !s.is_empty() => (s.iter().collect(), d.clone()),
                        _ => return,
                    },
                };
                let to_dir = w.target.is_some();
                for src in &srcs {
                    // `cp -s` makes links as `ln -s` does; `cp -P`, `-d`,
                    // `-a`, `-r` copy a link as a link.
                    if symbolic {
                        self.note_link_names(src, &dest, to_dir, w.no_target);
                    } else if (w.no_deref || w.recursive) && !w.deref {
                        self.note_moved_links(&[*src], &dest, to_dir, w.no_target);
                    }
                }
                if w.recursive
                    && !w.deref
                    && srcs
                        .iter()
                        .any(|s| s.lit().is_none() || self.moves_a_link(s))
                {
                    self.note_link_dir(Some(&dest));
                }
            }
            "rsync" => {
                let recursive = shorts.chars().any(|c| "rRa".contains(c))
                    || long("--recursive")
                    || long("--archive");
                let follows = shorts.contains('L') || long("--dereference") || long("--copy-links");
                if !recursive || follows {
                    return;
                }
                let ops: Vec<&Arg> = argv
                    .iter()
                    .skip(1)
                    .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
                    .collect();
                let target = value_of(&["-t", "--target-directory"]);
                let (srcs, dest): (Vec<&Arg>, Option<&Arg>) = match &target {
                    Some(t) => (ops.clone(), Some(t)),
                    None => match ops.split_last() {
                        Some((d, s)) => (s.to_vec(), Some(*d)),
                        None => return,
                    },
                };
                if srcs
                    .iter()
                    .any(|s| self.moves_a_link(s) || s.lit().is_none_or(|v| v.contains(':')))
                {
                    self.note_link_dir(dest);
                }
            }
            _ => {}
        }
    }

    /// Whether `src` names a link, or a tree holding one, now or after an
    /// earlier part of the command made it one.
    fn moves_a_link(&self, src: &Arg) -> bool {
        let Some(v) = src.lit() else {
            // Computed at run time: the rename itself asks.
            return false;
        };
        let Some(path) = self.resolve(v, src.home) else {
            return true;
        };
        if self.is_new_link(&path)
            || self.is_link_dir(&path)
            || self.new_links_below(&path).is_none_or(|l| !l.is_empty())
        {
            return true;
        }
        match self.fs.host_path_of(path.trim_end_matches('/')) {
            Some(host) => holds_link(&host),
            // Not this host's filesystem: what it holds is not known.
            None => true,
        }
    }

    /// `mv`/`git mv SRC… DEST`: remember the names a moved link takes.
    /// `target_dir` for `-t DIR` (DEST is the directory), `no_target_dir`
    /// for `-T` (DEST is the new name); otherwise DEST may be either.
    pub(crate) fn note_moved_links(
        &mut self,
        srcs: &[&Arg],
        dest: &Arg,
        target_dir: bool,
        no_target_dir: bool,
    ) {
        for src in srcs {
            if self.moves_a_link(src) {
                self.note_link_names(src, dest, target_dir, no_target_dir);
            }
        }
    }

    /// Remember the names `src` takes when renamed, copied or linked to
    /// `dest` (as `note_moved_links` reads them), whatever it is.
    fn note_link_names(&mut self, src: &Arg, dest: &Arg, target_dir: bool, no_target_dir: bool) {
        let name = src
            .lit()
            .map(|v| basename(v.trim_end_matches('/')).to_string());
        let mut names = Vec::new();
        match dest.lit() {
            None => names.push(None),
            Some(d) => {
                if !target_dir {
                    names.push(Some(d.to_string()));
                }
                if !no_target_dir {
                    names.push(name.as_ref().map(|n| format!("{d}/{n}")));
                }
            }
        }
        for n in names {
            // A name not known at analysis time may be any path.
            let resolved = n.and_then(|n| self.resolve(&n, dest.home));
            self.shell
                .links
                .push(resolved.map(|r| normalize_path(&r)).unwrap_or_default());
        }
    }

    /// `git [global options] mv [-f|-k|-n|-v] SRC… DEST`.
    pub(crate) fn note_git_moved_links(&mut self, argv: &[Arg], first: usize) {
        if let Some((ops, dest)) = git_mv_operands(argv, first) {
            self.note_moved_links(&ops, dest, false, false);
        }
    }

    /// Whether a path as spelled goes through a link the command made or
    /// moved, read component by component before `..` is resolved
    /// (`k/../x` goes through `k`).
    pub(crate) fn spelled_through_new_link(&self, path: &str) -> bool {
        if self.shell.links.is_empty()
            && self.shell.link_dirs.is_empty()
            && self.shell.backup_links.is_empty()
        {
            return false;
        }
        let mut prefix = String::new();
        if path.starts_with('/') {
            prefix.push('/');
        }
        for c in path.split('/').filter(|c| !c.is_empty()) {
            if !prefix.is_empty() && !prefix.ends_with('/') {
                prefix.push('/');
            }
            prefix.push_str(c);
            if c != ".." && self.is_new_link(&prefix) {
                return true;
            }
        }
        false
    }
}

/// What `mv`, `cp`, `ln` and `install` are told by their words (GNU
/// permutes options and operands: every word up to `--` is read).
#[derive(Default)]
pub(crate) struct CopyWords {
    pub operands: Vec<Arg>,
    /// `-t DIR`/`--target-directory`.
    pub target: Option<Arg>,
    /// `-T`/`--no-target-directory` (and `ln -n`, which replaces a link
    /// to a directory instead of entering it).
    pub no_target: bool,
    /// `-b`, `--backup[=CONTROL]` or `-S`/`--suffix`.
    pub backup: bool,
    /// The `--backup=CONTROL` value: `None` for the environment's
    /// `VERSION_CONTROL`, `Some(None)` when computed at run time.
    pub control: Option<Option<String>>,
    /// The `-S`/`--suffix` value, as for `control`.
    pub suffix: Option<Option<String>>,
    /// cp: copies links as links (`-P`, `-d`, `-a`, `--no-dereference`).
    pub no_deref: bool,
    /// cp: follows every link (`-L`, `--dereference`).
    pub deref: bool,
    pub recursive: bool,
    /// `mv --exchange`.
    pub exchange: bool,
    /// `install -d`: makes directories, no copies.
    pub directories: bool,
}

/// Read the words of `mv`, `cp`, `ln` or `install` (`base`).
pub(crate) fn copy_words(argv: &[Arg], base: &str) -> CopyWords {
    let mut w = CopyWords::default();
    let short_values = if base == "install" { "Stmog" } else { "St" };
    let mut ended = false;
    let mut i = 1;
    let value = |a: Option<&Arg>| -> Option<String> { a.and_then(|a| a.lit()).map(str::to_string) };
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        let v = match a.lit() {
            Some(v) if !ended && v.starts_with('-') && v != "-" => v,
            _ => {
                w.operands.push(a.clone());
                continue;
            }
        };
        if v == "--" {
            ended = true;
            continue;
        }
        if let Some(long) = v.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, x)) => (n, Some(Arg::literal(x, a.span))),
                None => (long, None),
            };
            let takes = matches!(
                name,
                "target-directory" | "suffix" | "mode" | "owner" | "group" | "strip-program"
            );
            let val = match inline {
                Some(x) => Some(x),
                None if takes => {
                    i += 1;
                    Some(
                        argv.get(i - 1)
                            .cloned()
                            .unwrap_or_else(|| Arg::dynamic("$unknown", a.span)),
                    )
                }
                None => None,
            };
            match name {
                "backup" => {
                    w.backup = true;
                    w.control = val.map(|x| value(Some(&x)));
                }
                "suffix" => {
                    w.backup = true;
                    w.suffix = Some(value(val.as_ref()));
                }
                "target-directory" => w.target = val,
                "no-target-directory" => w.no_target = true,
                "no-dereference" if base == "ln" => w.no_target = true,
                "no-dereference" => w.no_deref = true,
                "dereference" => w.deref = true,
                "recursive" => w.recursive = true,
                "archive" => {
                    w.recursive = true;
                    w.no_deref = true;
                }
                "exchange" => w.exchange = true,
                "directory" if base == "install" => w.directories = true,
                _ => {}
            }
            continue;
        }
        let letters = &v[1..];
        for (k, c) in letters.char_indices() {
            if short_values.contains(c) {
                let rest = &letters[k + c.len_utf8()..];
                let val = if rest.is_empty() {
                    i += 1;
                    argv.get(i - 1)
                        .cloned()
                        .unwrap_or_else(|| Arg::dynamic("$unknown", a.span))
                } else {
                    Arg::literal(rest, a.span)
                };
                match c {
                    'S' => {
                        w.backup = true;
                        w.suffix = Some(value(Some(&val)));
                    }
                    't' => w.target = Some(val),
                    _ => {}
                }
                break;
            }
            match (c, base) {
                ('b', _) => w.backup = true,
                ('T', _) | ('n', "ln") => w.no_target = true,
                ('P' | 'd', "cp") => w.no_deref = true,
                ('d', "install") => w.directories = true,
                ('L', "cp") => w.deref = true,
                ('r' | 'R', "cp") => w.recursive = true,
                ('a', "cp") => {
                    w.recursive = true;
                    w.no_deref = true;
                }
                _ => {}
            }
        }
    }
    w
}

impl Analyzer<'_> {
    /// The entries `mv`/`cp`/`ln`/`install` may replace: the destination
    /// itself (one source, or `-T`) and the source's name inside it (not
    /// with `-T`), each spelled as the command spells it.
    fn replaced_entries(&self, w: &CopyWords, base: &str) -> Vec<Arg> {
        let mut out = Vec::new();
        let inside = |d: &Arg, s: &Arg, out: &mut Vec<Arg>| {
            if let (Some(dv), Some(sv)) = (d.lit(), s.lit()) {
                let name = basename(sv.trim_end_matches('/'));
                let mut a = Arg::literal(&format!("{}/{name}", dv.trim_end_matches('/')), d.span);
                a.home = d.home;
                out.push(a);
            }
        };
        if let Some(t) = &w.target {
            for s in &w.operands {
                inside(t, s, &mut out);
            }
            return out;
        }
        match w.operands.split_last() {
            // `ln -s TARGET`: the link is made under the target's name here.
            Some((only, [])) if base == "ln" => {
                if let Some(v) = only.lit() {
                    out.push(Arg::literal(basename(v.trim_end_matches('/')), only.span));
                }
            }
            Some((dest, srcs)) if !srcs.is_empty() => {
                if srcs.len() == 1 || w.no_target {
                    out.push(dest.clone());
                }
                if !w.no_target {
                    for s in srcs {
                        inside(dest, s, &mut out);
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// `mv -b`, `cp --backup`, `ln -sfb`, `install -S SUF`: an entry the
    /// command replaces is first renamed to its backup name (`NAME~`,
    /// `NAME.~N~`, `NAME` + suffix). When the entry is a link (or holds
    /// one), the backup name is that link afterwards: it is remembered as
    /// a moved link, by pattern when the name is not known (the control
    /// and the suffix may come from `VERSION_CONTROL` and
    /// `SIMPLE_BACKUP_SUFFIX` in the environment).
    pub(crate) fn note_backups(&mut self, argv: &[Arg], base: &str) {
        let w = copy_words(argv, base);
        if !w.backup || w.directories {
            return;
        }
        let (simple, numbered) = match &w.control {
            Some(Some(c)) => match c.as_str() {
                "none" | "off" => return,
                "simple" | "never" => (true, false),
                "numbered" | "t" => (false, true),
                // `existing`/`nil`, or a spelling not read here: either.
                _ => (true, true),
            },
            _ => (true, true),
        };
        // gnulib's backupfile: an empty suffix or one holding `/` is `~`.
        let suffix = match &w.suffix {
            Some(Some(s)) if s.is_empty() || s.contains('/') => Some("~".to_string()),
            Some(Some(s)) => Some(s.clone()),
            _ => None,
        };
        for e in self.replaced_entries(&w, base) {
            if !self.moves_a_link(&e) {
                continue;
            }
            let Some(v) = e.lit() else { continue };
            let Some(path) = self.resolve(v, e.home) else {
                continue;
            };
            let path = normalize_path(&path);
            match (&suffix, simple) {
                (Some(s), true) => self.shell.links.push(format!("{path}{s}")),
                (None, true) => self.shell.backup_links.push((path.clone(), true)),
                _ => {}
            }
            if numbered {
                self.shell.backup_links.push((path, false));
            }
        }
    }

    /// `mv --exchange A B`: the entry at B takes the name A as well.
    pub(crate) fn note_exchanged_links(&mut self, srcs: &[&Arg], dest: &Arg) {
        for s in srcs {
            self.note_moved_links(&[dest], s, false, true);
        }
    }
}

/// The sources and the destination of `git [global options] mv [-f|-k|-n|-v]
/// SRC… DEST` (`first` is the subcommand's index); `None` for another
/// subcommand or fewer than two operands.
pub(crate) fn git_mv_operands(argv: &[Arg], first: usize) -> Option<(Vec<&Arg>, &Arg)> {
    if !argv.get(first).is_some_and(|a| a.is("mv")) {
        return None;
    }
    let mut ops: Vec<&Arg> = Vec::new();
    let mut ended = false;
    for a in &argv[first + 1..] {
        match a.lit() {
            Some("--") if !ended => ended = true,
            Some(v) if !ended && v.starts_with('-') && v.len() > 1 => {}
            _ => ops.push(a),
        }
    }
    let dest = ops.pop()?;
    (!ops.is_empty()).then_some((ops, dest))
}

/// The components of a normalized path.
fn components(p: &str) -> Vec<&str> {
    p.split('/').filter(|c| !c.is_empty()).collect()
}

/// Whether the component `spelled` (a glob component for each name it
/// could match) may name the component `name`.
fn may_name(spelled: &str, name: &str) -> bool {
    spelled == name || (is_glob(spelled) && could_match(spelled, name, true))
}

/// Whether the normalized path `p` is, or lies below, the normalized
/// `link`, a glob component of `p` standing for each name it could match.
fn at_or_below(p: &str, link: &str) -> bool {
    if p == link || p.starts_with(&format!("{link}/")) {
        return true;
    }
    if p.starts_with('/') != link.starts_with('/') || !p.contains(['*', '?', '[']) {
        return false;
    }
    let (pc, lc) = (components(p), components(link));
    pc.len() >= lc.len() && lc.iter().zip(&pc).all(|(l, s)| may_name(s, l))
}

/// Whether the normalized path `p` is, or lies below, a backup of the
/// normalized `name`: `NAME.~N~`, or with `any` any suffix. A glob in the
/// backup's own component may match any backup name.
fn through_backup(p: &str, name: &str, any: bool) -> bool {
    if p.starts_with('/') != name.starts_with('/') {
        return false;
    }
    let (pc, nc) = (components(p), components(name));
    let Some((last, dir)) = nc.split_last() else {
        return false;
    };
    if pc.len() < nc.len() || !dir.iter().zip(&pc).all(|(d, s)| may_name(s, d)) {
        return false;
    }
    let spelled = pc[dir.len()];
    if is_glob(spelled) {
        return true;
    }
    match spelled.strip_prefix(last) {
        Some("") | None => false,
        Some(_) if any => true,
        Some(rest) => rest
            .strip_prefix(".~")
            .and_then(|r| r.strip_suffix('~'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
    }
}
