//! Every case of the corpora under `testdata/corpus` has an id of its own:
//! a failure names the id, and two cases under one id make the report point
//! at the wrong one.

use std::collections::HashMap;
use std::path::PathBuf;

#[test]
fn every_case_id_is_used_once() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "corpora found in {}", dir.display());
    let mut duplicates = Vec::new();
    let mut with_ids = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("corpus file");
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", file.display(), n + 1));
            let Some(id) = value.get("id").and_then(|v| v.as_str()) else {
                continue;
            };
            with_ids += 1;
            if let Some(first) = seen.insert(id.to_string(), n + 1) {
                duplicates.push(format!(
                    "{}: {id} on lines {first} and {}",
                    file.file_name().unwrap().to_string_lossy(),
                    n + 1
                ));
            }
        }
    }
    assert!(with_ids > 1000, "cases with ids: {with_ids}");
    assert!(
        duplicates.is_empty(),
        "ids used twice:\n{}",
        duplicates.join("\n")
    );
}
