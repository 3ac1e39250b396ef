//! Shared helpers of the integration tests: where the golden corpus is.
#![allow(dead_code)]

use std::path::PathBuf;

/// The directory holding `paths.jsonl`, `urls.jsonl` and `commands.jsonl`:
/// `$SANDBOX_CORPUS_DIR` when set, else the repository's `testdata/corpus`.
pub fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SANDBOX_CORPUS_DIR") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus")
}

/// Every JSON line of a corpus file, parsed.
pub fn corpus(name: &str) -> Vec<serde_json::Value> {
    let mut path = corpus_dir().join(name);
    if !path.is_file() {
        // Tables the project owns (e.g. `git_paths.jsonl`) live only here.
        path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/corpus")
            .join(name);
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read corpus file {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("bad corpus line in {name}: {e}: {l}"))
        })
        .collect()
}
