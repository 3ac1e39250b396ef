//! Links the command creates (`ln`, `ln -s`): a link to a blocked or
//! protected entry is refused, and a later path through a name the command
//! itself made a link is not modelled, since the filesystem guard judges
//! the files that exist before the command runs (docs/commands.md, Links).

use super::normalize::{clip, Arg};
use super::rules::{basename, normalize_path};
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::{FileOperation, FileRequest};

impl Analyzer<'_> {
    /// `ln [-s] TARGET… [LINK|DIR]`: judge each target as the file the
    /// link will lead to (after `~`/`$HOME` expansion, as bash passes it),
    /// and remember the names that become links.
    pub(crate) fn note_links(&mut self, targets: &[Arg], link: Option<&Arg>) {
        for t in targets {
            self.check_link_target(t);
        }
        let mut names = Vec::new();
        match link {
            None => {
                for t in targets {
                    names.push(t.lit().map(|v| basename(v).to_string()));
                }
            }
            Some(l) => {
                let dir = l.lit().map(str::to_string);
                names.push(dir.clone());
                for t in targets {
                    names.push(
                        dir.as_ref()
                            .zip(t.lit())
                            .map(|(d, v)| format!("{d}/{}", basename(v))),
                    );
                }
            }
        }
        for n in names {
            // A name not known at analysis time may be any path.
            let resolved = n.and_then(|n| self.resolve(&n, n.starts_with('~')));
            self.shell
                .links
                .push(resolved.map(|r| normalize_path(&r)).unwrap_or_default());
        }
    }

    fn check_link_target(&mut self, t: &Arg) {
        let Some(v) = t.lit() else {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "ln: the link target {} is computed at run time; where the link leads is not known",
                    clip(&t.text)
                ),
                t.span,
                &[],
            );
            return;
        };
        let Some(path) = self.resolve(v, t.home) else {
            return;
        };
        for op in [FileOperation::Read, FileOperation::Write] {
            let d = self.fs.check(&FileRequest::new(&path, op));
            if !d.is_allowed()
                && matches!(
                    d.code,
                    DecisionCode::BlockedPath | DecisionCode::ProtectedPath
                )
            {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::FileAccessDenied,
                    format!(
                        "ln: a link to {} would give a second name to a blocked or protected entry ({}: {})",
                        clip(&path),
                        d.code,
                        d.reason
                    ),
                    t.span,
                    &[],
                    d.rule.clone(),
                );
                return;
            }
        }
    }

    /// Whether `path` (resolved) goes through a name this command made a
    /// link earlier: reported as not modelled.
    pub(crate) fn through_new_link(
        &mut self,
        path: &str,
        arg: &Arg,
        argv: &[Arg],
        via: &str,
    ) -> bool {
        if self.shell.links.is_empty() {
            return false;
        }
        let p = normalize_path(path);
        let hit = self
            .shell
            .links
            .iter()
            .any(|l| l.is_empty() || p == *l || p.starts_with(&format!("{l}/")));
        if hit {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{via}: {} goes through a link the command creates earlier; where it leads is not judged",
                    clip(path)
                ),
                arg.span,
                argv,
            );
        }
        hit
    }
}
