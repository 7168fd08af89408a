//! Two implementations agree: the compiled program and the reference
//! interpreter give the same verdict (selectors and `assumed` included) on
//! every pair of a corpus trail selector set and a corpus record.

use ctsel::{check, parse_str, reference, ParseOptions, Program, SelectorSet, ValidateOptions};
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Every trail selector set of the corpus, validated.
pub fn trail_sets() -> Vec<(String, SelectorSet)> {
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(corpus().join("selectors/index.json")).unwrap(),
    )
    .unwrap();
    let mut out = Vec::new();
    for e in index.as_array().unwrap() {
        let file = e["file"].as_str().unwrap();
        if !file.starts_with("valid/") || !e["context"].as_str().unwrap_or("").starts_with("trail")
        {
            continue;
        }
        let mut text = std::fs::read_to_string(corpus().join("selectors").join(file)).unwrap();
        if text.contains("[]") && file.contains("advanced") {
            // get-event-selectors excerpts: read them in their own shape.
            text = format!(
                r#"{{"TrailARN":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t","AdvancedEventSelectors":{text}}}"#
            );
        }
        let doc = parse_str(file, &text, &ParseOptions::default()).unwrap();
        let (report, set) = check(&doc, &ValidateOptions::default());
        assert!(report.is_valid(), "{file}");
        out.push((file.to_string(), set.unwrap()));
    }
    out
}

pub fn records() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(corpus().join("events"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        for (i, line) in std::fs::read_to_string(&f).unwrap().lines().enumerate() {
            out.push((
                format!("{}:{}", f.file_name().unwrap().to_string_lossy(), i + 1),
                line.to_string(),
            ));
        }
    }
    out
}

#[test]
fn program_and_reference_agree_on_every_corpus_pair() {
    let sets = trail_sets();
    let records = records();
    assert!(sets.len() >= 59 && records.len() >= 1474);
    let mut logged = 0;
    let mut pairs = 0;
    for (name, set) in &sets {
        let program = Program::new(set);
        for (at, line) in &records {
            let fast = program
                .decide_bytes(line.as_bytes())
                .unwrap_or_else(|e| panic!("{at}: {e}"));
            let slow = reference::decide_bytes(set, line.as_bytes())
                .unwrap_or_else(|e| panic!("{at}: {e}"));
            assert_eq!(fast, slow, "{name} × {at}\n{}", program.ir());
            logged += usize::from(fast.is_logged());
            pairs += 1;
        }
    }
    // The corpus exercises both outcomes broadly.
    assert!(
        logged > pairs / 10 && logged < pairs * 9 / 10,
        "{logged} of {pairs}"
    );
}

#[test]
fn every_corpus_record_is_decided_by_the_default_trail() {
    let program = Program::trail_default();
    let mut governed = 0;
    for (at, line) in records() {
        let v = program
            .decide_bytes(line.as_bytes())
            .unwrap_or_else(|e| panic!("{at}: {e}"));
        governed += usize::from(v != ctsel::Verdict::NotGoverned);
    }
    assert_eq!(governed, 1474 - 18, "18 Insight records are not governed");
}
