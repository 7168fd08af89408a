//! Helpers shared by the golden tests of the binary.
// Each test binary uses a subset of these.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::time::Duration;

/// The `ctsel` binary, run from the crate root, with a time limit.
pub fn ctsel() -> Command {
    let mut c = Command::cargo_bin("ctsel").expect("the binary is built");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.timeout(Duration::from_secs(120));
    c
}

/// Each line of `out` as JSON.
pub fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// (records, logged, not logged, not governed, unparseable) from a
/// filter summary, asserting that they add up.
pub fn summary(stderr: &[u8]) -> [u64; 5] {
    let s = String::from_utf8_lossy(stderr);
    let line = s
        .lines()
        .find(|l| l.contains("records read"))
        .unwrap_or_else(|| panic!("no summary: {s}"));
    let n: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().expect("a count"))
        .collect();
    assert_eq!(
        n[0],
        n[1] + n[2] + n[3] + n[4],
        "counts do not add up: {line}"
    );
    [n[0], n[1], n[2], n[3], n[4]]
}
