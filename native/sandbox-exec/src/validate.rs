//! `--check-command`: the command validator's decision before the run, in
//! the helper itself, so that `sandbox exec` can start the helper directly
//! (no JVM in between) and still refuse what the policy refuses. The
//! decision is the engine's (`sandbox-core`), on the text the Java CLI
//! judges for the same words, and the message is the CLI's.

use crate::cli::Options;
use crate::report::{visible, EXIT_REFUSED};
use sandbox_core::{Engine, Verdict};

/// A policy file larger than this is refused (as by the CLI): a policy of a
/// thousand rules is some 50 kB.
const MAX_POLICY_BYTES: u64 = 16 << 20;

/// The words as the CLI's validator sees them: each one in single quotes
/// (`'` written as `'\''`), separated by spaces; `None` when a word is not
/// UTF-8 (the validator judges text).
pub fn quoted(words: &[std::ffi::OsString]) -> Option<String> {
    let mut out = String::new();
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('\'');
        out.push_str(&w.to_str()?.replace('\'', "'\\''"));
        out.push('\'');
    }
    Some(out)
}

/// Exit status, as the CLI's, when the policy, the paths or the words
/// cannot be judged: nothing ran.
pub const EXIT_INPUT: i32 = 2;

/// Reads the policy file once (the run uses the same text) and judges the
/// command with it. `None` when the command may run; otherwise the exit
/// status, after saying why on standard error in the CLI's words: 126 when
/// the policy refuses or asks (a person's approval goes through the CLI's
/// `--approve-ask`), [`EXIT_INPUT`] when the policy, the paths or the words
/// cannot be judged.
pub fn refuse_unless_allowed(opts: &mut Options) -> Option<i32> {
    let error = |msg: String| {
        eprintln!("sandbox exec: {}", visible(&msg));
        Some(EXIT_INPUT)
    };
    let path = opts.policy.clone().expect("checked by the parser");
    let text = match read_bounded(&path) {
        Ok(t) => t,
        Err(msg) => return error(msg),
    };
    let home = match opts.home_dir() {
        Ok(h) => h,
        Err(msg) => return error(msg),
    };
    let workspace = opts.workspace.clone().expect("checked by the parser");
    let engine = match Engine::from_json(&text, &workspace, &home) {
        Ok(e) => e,
        // The policy's faults name the file; the workspace's name the directory.
        Err(e) if e.code == sandbox_core::ErrorCode::InvalidPolicy => {
            return error(format!("{}: {}", path.display(), e.message))
        }
        Err(e) => return error(e.message),
    };
    opts.policy_text = Some(text);
    let checked = match &opts.shell_command {
        Some(text) => Some(text.clone()),
        None => quoted(&opts.command),
    };
    let Some(command) = checked else {
        return error(
            "--check-command: the command's words are not valid UTF-8, which the validator cannot judge"
                .into(),
        );
    };
    let d = engine.check_command(&command);
    if d.verdict == Verdict::Allow {
        return None;
    }
    eprintln!(
        "sandbox exec: {}",
        visible(&format!(
            "sandbox policy refuses running {command}: {} [{}]",
            d.reason,
            d.code.as_str()
        ))
    );
    if d.verdict == Verdict::Ask {
        eprintln!(
            "sandbox exec: the policy asks a person to approve this command; if you approve it, run again with --approve-ask"
        );
    }
    Some(EXIT_REFUSED)
}

/// The file's text: at most [`MAX_POLICY_BYTES`], strict UTF-8.
fn read_bounded(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_POLICY_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("{}: no such file", path.display()),
            std::io::ErrorKind::PermissionDenied => {
                format!("{}: permission denied", path.display())
            }
            _ => format!("cannot read {}: {e}", path.display()),
        })?;
    if bytes.len() as u64 > MAX_POLICY_BYTES {
        return Err(format!(
            "{}: larger than {} MiB; not a policy file",
            path.display(),
            MAX_POLICY_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{}: not valid UTF-8", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    #[test]
    fn words_are_quoted_as_the_cli_quotes_them() {
        let w: Vec<OsString> = ["rm", "-rf", "it's here", ""]
            .iter()
            .map(OsString::from)
            .collect();
        assert_eq!(
            quoted(&w).unwrap(),
            r#"'rm' '-rf' 'it'\''s here' ''"#.to_string()
        );
    }

    #[cfg(unix)]
    #[test]
    fn words_that_are_not_utf8_are_not_judged() {
        use std::os::unix::ffi::OsStringExt;
        assert!(quoted(&[OsString::from_vec(vec![0x66, 0xff])]).is_none());
    }
}
