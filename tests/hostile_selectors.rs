//! Hostile selector documents: too large, or a million values. These run
//! in their own test binary because the million-value document needs more
//! memory than the 100 MB bound `hostile.rs` checks for record inputs
//! (selector documents are parsed into a tree with spans: memory is linear
//! in the document, about 13 times its size, and capped by the 64 MiB
//! document limit).

mod common;
use common::ctsel;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn huge_selector_files_are_rejected_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let huge = format!("[{{\"Name\":\"{}\"}}]", "n".repeat(70 << 20));
    let p = write(dir.path(), "huge.json", huge.as_bytes());
    let out = ctsel()
        .args(["validate", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("larger than the 67108864-byte limit"));
    let values: Vec<String> = (0..1_000_000).map(|i| format!("\"v{i:07}\"")).collect();
    let million = format!(
        r#"[{{"FieldSelectors":[{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["AWS::S3::Object"]}},{{"Field":"eventName","StartsWith":[{}]}}]}}]"#,
        values.join(",")
    );
    let p = write(dir.path(), "million.json", million.as_bytes());
    let started = Instant::now();
    let out = ctsel()
        .args(["validate", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("The maximum allowed number of filters is 500."));
    assert!(started.elapsed() < Duration::from_secs(30));
}
