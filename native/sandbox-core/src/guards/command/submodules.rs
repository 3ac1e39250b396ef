//! Where git connects for submodules: the URLs of `.gitmodules`, the
//! `submodule.<name>.url` of the repository's configuration and the
//! remotes of the submodules' own repositories (below `.git/modules`).
//! `git submodule update`/`init`/`sync`, `git fetch`/`pull` (which fetch
//! populated submodules on demand) and `git clone --recurse-submodules`
//! reach them; each is judged by the network guard as a given URL is
//! (`net_config.rs`). A relative URL (`../x.git`) is relative to the
//! superproject's default remote. A `.gitmodules` the analysis cannot
//! read, one the command may have changed earlier, or the submodules of a
//! repository not checked out yet leave the destination unknown. See
//! docs/commands.md, "Network destinations".

use std::path::{Path, PathBuf};

use super::net_config::{GitSettings, Setting};
use super::normalize::{clip, Arg};
use super::walk::Analyzer;

/// How deep nested submodules (and `.git/modules`) are followed.
const DEPTH: usize = 6;

/// How many submodule repositories one check reads.
const MAX_MODULES: usize = 64;

/// Which submodule URLs a git command may connect to.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Scope {
    /// The URLs of `.gitmodules` too (`--init`, `init`, `sync`), not only
    /// those of submodules already initialized.
    pub gitmodules: bool,
    /// The nested submodules of each submodule too (`--recursive`).
    pub recursive: bool,
}

/// `rel` (`./x`, `../x`) taken relative to the superproject's remote URL
/// `base`, as `git submodule` resolves it: each `../` removes the last
/// component of the URL (a `/` or the `:` of scp-like `host:path`). `None`
/// when it would remove the host.
pub(crate) fn relative_url(base: &str, rel: &str) -> Option<String> {
    let base = base.trim_end_matches('/');
    // Where the path starts: the `/` after `scheme://host`, the `:` of
    // scp-like `host:path`, else the start of a local path.
    let (path_start, scp) = match base.find("://") {
        Some(i) => (i + 3 + base[i + 3..].find('/')?, false),
        None => match base.find(':') {
            Some(c) if !base[..c].contains('/') => (c, true),
            _ => (0, false),
        },
    };
    let mut base = base.to_string();
    let mut rel = rel;
    loop {
        if let Some(r) = rel.strip_prefix("./") {
            rel = r;
        } else if let Some(r) = rel.strip_prefix("../") {
            rel = r;
            let cut = path_start + base[path_start..].rfind(['/', ':'])?;
            base.truncate(cut);
        } else {
            break;
        }
    }
    let sep = if scp && base.len() == path_start {
        ":"
    } else {
        "/"
    };
    Some(format!("{base}{sep}{rel}"))
}

/// `submodule.<name>.<var>` of a `.gitmodules` file: (name, var, value).
fn gitmodules_entries(text: &[u8]) -> Vec<(String, String, String)> {
    crate::gitconfig::parse(text)
        .into_iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix("submodule.")?;
            let (name, var) = rest.rsplit_once('.')?;
            Some((name.to_string(), var.to_string(), v?))
        })
        .collect()
}

/// The `config` files of the submodules' repositories below `dir`
/// (`.git/modules/NAME`, nested ones below `modules/NAME/modules`).
fn module_configs(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if depth > DEPTH {
        return Err("submodules nest deeper than the analysis follows".into());
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let p = e.path();
        if !p.is_dir() {
            continue;
        }
        if p.join("HEAD").is_file() && p.join("config").is_file() {
            if out.len() >= MAX_MODULES {
                return Err("more submodules than the analysis follows".into());
            }
            out.push(p.join("config"));
            module_configs(&p.join("modules"), depth + 1, out)?;
        } else {
            // A name with a `/` (`libs/x`) is a directory of directories.
            module_configs(&p, depth + 1, out)?;
        }
    }
    Ok(())
}

/// The top of the work tree around `cwd`: the directory holding `.git`.
fn work_tree_root(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

impl Analyzer<'_> {
    /// The submodule URLs a git command (`via`) may connect to, judged by
    /// the network guard; where they cannot be known, not allowed.
    pub(crate) fn check_submodule_destinations(
        &mut self,
        at: &Arg,
        argv: &[Arg],
        via: &str,
        scope: Scope,
    ) {
        if self.net.is_none() {
            return;
        }
        let cfg = self.git_settings(self.git_dir_option(argv).as_ref());
        if let Some(why) = cfg.repo_unknown.clone() {
            return self.destination_unknown(
                at,
                argv,
                format!("{via}: which submodules git fetches is not known: {why}"),
            );
        }
        let Some(git_dir) = cfg.git_dir.clone() else {
            return;
        };
        let mut urls: Vec<Setting> = cfg
            .settings
            .iter()
            .filter(|s| s.key.starts_with("submodule.") && s.key.ends_with(".url"))
            .cloned()
            .collect();
        // The submodules' own repositories: where a fetch inside them goes.
        let mut configs = Vec::new();
        if let Err(why) = module_configs(&git_dir.join("modules"), 0, &mut configs) {
            self.destination_unknown(at, argv, format!("{via}: {why}"));
        }
        for c in configs {
            let mut s = Vec::new();
            if let Err(why) = self.git_config_files(vec![c], &mut s) {
                self.destination_unknown(at, argv, format!("{via}: {why}"));
            }
            urls.extend(s.into_iter().filter(|s| {
                (s.key.starts_with("remote.") || s.key.starts_with("submodule."))
                    && s.key.ends_with(".url")
            }));
        }
        let base = self.superproject_remote_url(&cfg);
        // `submodule.active` makes submodules active by path: their URLs
        // come from `.gitmodules`.
        let gitmodules =
            scope.gitmodules || cfg.settings.iter().any(|s| s.key == "submodule.active");
        for s in urls {
            self.check_submodule_url(
                &s.value,
                &s.key,
                &s.file,
                base.as_deref(),
                at,
                argv,
                via,
                &cfg,
            );
        }
        if !gitmodules {
            return;
        }
        // A fetch, merge or checkout earlier in the command may have
        // changed `.gitmodules`.
        if let Some(what) = self.fetched.clone().or_else(|| self.checked_out.clone()) {
            return self.destination_unknown(
                at,
                argv,
                format!("{via}: {what} earlier in the same command may change .gitmodules, so the submodules' URLs are not known"),
            );
        }
        let Some(root) = self.host_cwd().and_then(|c| work_tree_root(&c)) else {
            return;
        };
        self.check_gitmodules(
            &root,
            base.as_deref(),
            scope.recursive,
            0,
            at,
            argv,
            via,
            &cfg,
        );
    }

    /// The URLs of `ROOT/.gitmodules`, relative ones against `base`; with
    /// `recursive`, those of each populated submodule's own `.gitmodules`.
    #[allow(clippy::too_many_arguments)]
    fn check_gitmodules(
        &mut self,
        root: &Path,
        base: Option<&str>,
        recursive: bool,
        depth: usize,
        at: &Arg,
        argv: &[Arg],
        via: &str,
        cfg: &GitSettings,
    ) {
        let file = root.join(".gitmodules");
        let text = match self.read_tool_config(&file) {
            Ok(Some(t)) => t,
            Ok(None) => return,
            Err(why) => {
                return self.destination_unknown(
                    at,
                    argv,
                    format!("{via}: the submodules' URLs are not known: {why}"),
                )
            }
        };
        let entries = gitmodules_entries(&text);
        for (name, var, value) in &entries {
            if var != "url" {
                continue;
            }
            let key = format!("submodule.{name}.url");
            self.check_submodule_url(value, &key, &file, base, at, argv, via, cfg);
            if !recursive {
                continue;
            }
            let path = entries
                .iter()
                .find(|(n, v, _)| n == name && v == "path")
                .map_or(name.as_str(), |(_, _, p)| p.as_str());
            let sub = root.join(path);
            if path.split('/').any(|c| c == "..") || depth >= DEPTH {
                self.destination_unknown(
                    at,
                    argv,
                    format!(
                        "{via}: the nested submodules of {} are not followed",
                        clip(path)
                    ),
                );
                continue;
            }
            if std::fs::symlink_metadata(sub.join(".git")).is_err() {
                self.destination_unknown(
                    at,
                    argv,
                    format!("{via}: the submodule {} is not checked out yet, so the submodules it has in turn (and their URLs) are not known", clip(path)),
                );
                continue;
            }
            let own = if value.starts_with("./") || value.starts_with("../") {
                base.and_then(|b| relative_url(b, value))
            } else {
                Some(value.clone())
            };
            self.check_gitmodules(&sub, own.as_deref(), true, depth + 1, at, argv, via, cfg);
        }
    }

    /// One submodule URL from `file`: a relative one against `base`, then
    /// as a given URL is (rewrites, proxies, local paths).
    #[allow(clippy::too_many_arguments)]
    fn check_submodule_url(
        &mut self,
        value: &str,
        key: &str,
        file: &Path,
        base: Option<&str>,
        at: &Arg,
        argv: &[Arg],
        via: &str,
        cfg: &GitSettings,
    ) {
        let shown = format!("{via} ({key} in {})", clip(&file.to_string_lossy()));
        let url = if value.starts_with("./") || value.starts_with("../") {
            match base.and_then(|b| relative_url(b, value)) {
                Some(u) => u,
                None => {
                    return self.destination_unknown(
                        at,
                        argv,
                        format!("{shown}: the relative URL {} is taken relative to the superproject's remote, which is not known", clip(value)),
                    )
                }
            }
        } else {
            value.to_string()
        };
        self.check_git_url(&url, at, false, argv, &shown, cfg);
    }

    /// The URL of the superproject's default remote (the current branch's
    /// `remote`, else `origin`), against which relative submodule URLs
    /// are resolved.
    fn superproject_remote_url(&self, cfg: &GitSettings) -> Option<String> {
        let branch = cfg
            .git_dir
            .as_ref()
            .and_then(|d| std::fs::read_to_string(d.join("HEAD")).ok())
            .and_then(|h| {
                h.trim()
                    .strip_prefix("ref: refs/heads/")
                    .map(str::to_string)
            });
        let remote = branch
            .and_then(|b| cfg.last(&format!("branch.{b}.remote")))
            .unwrap_or_else(|| "origin".to_string());
        cfg.last(&format!("remote.{remote}.url"))
    }
}

#[cfg(test)]
mod tests {
    use super::relative_url;

    #[test]
    fn relative_submodule_urls_resolve_against_the_remote() {
        let r = |b, u| relative_url(b, u);
        assert_eq!(
            r("https://github.com/org/r.git", "../x.git").as_deref(),
            Some("https://github.com/org/x.git")
        );
        assert_eq!(
            r("https://github.com/org/r.git/", "./x").as_deref(),
            Some("https://github.com/org/r.git/x")
        );
        assert_eq!(
            r("https://github.com/org/r.git", "../../o/x").as_deref(),
            Some("https://github.com/o/x")
        );
        assert_eq!(r("https://github.com/org/r.git", "../../../x"), None);
        assert_eq!(
            r("git@github.com:org/r.git", "../x.git").as_deref(),
            Some("git@github.com:org/x.git")
        );
        assert_eq!(
            r("git@github.com:r.git", "../x.git").as_deref(),
            Some("git@github.com:x.git")
        );
    }
}
