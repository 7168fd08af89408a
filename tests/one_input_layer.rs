//! One input layer: `match`, `explain`, `stats`, `diff --records` and
//! `filter` read the same records in every form a user has — NDJSON,
//! `{"Records":[…]}` compact and pretty-printed, gzip, a directory in the
//! S3 layout, standard input — and give the same verdicts and counts.
//!
//! The records are the whole vendored corpus plus generated records aimed
//! at each selector file.

mod common;
use common::{ctsel, json_lines};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRng, TestRunner};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

const SELECTORS: [&str; 3] = [
    "selectors/put-delete-all-but-one-bucket.json",
    "selectors/aws-docs-four-kinds.advanced.json",
    "selectors/write-only-management.basic.json",
];

/// Corpus lines, then records generated for the selector file.
fn records(selectors: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/corpus/events"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out: Vec<String> = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        out.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from),
        );
    }
    let text = std::fs::read_to_string(root.join(selectors)).unwrap();
    let doc = ctsel::parse_str("s", &text, &Default::default()).unwrap();
    let set = ctsel::validate(&doc, &Default::default())
        .unwrap()
        .selectors;
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let strategy = ctsel::strategies::records::record_text_for(&set);
    for _ in 0..300 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        // One record per line: generated text never holds a raw newline
        // outside strings, but make sure.
        if !text.contains('\n') {
            out.push(text);
        }
    }
    out
}

/// Whitespace-only re-indentation of one compact JSON value: the same
/// record, spread over lines as pretty-printed log files are.
fn pretty(raw: &str, indent: usize) -> String {
    let mut s = String::new();
    let (mut depth, mut in_str, mut esc) = (indent, false, false);
    let nl = |s: &mut String, d: usize| {
        s.push('\n');
        s.push_str(&"  ".repeat(d));
    };
    for c in raw.chars() {
        if in_str {
            s.push(c);
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                s.push(c);
            }
            '{' | '[' => {
                s.push(c);
                depth += 1;
                nl(&mut s, depth);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                nl(&mut s, depth);
                s.push(c);
            }
            ',' => {
                s.push(c);
                nl(&mut s, depth);
            }
            ':' => s.push_str(": "),
            _ => s.push(c),
        }
    }
    s
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Every form of the same records: (name, path or "-", stdin bytes).
fn forms(dir: &Path, recs: &[String]) -> Vec<(&'static str, String, Option<Vec<u8>>)> {
    let ndjson = recs.join("\n") + "\n";
    let compact = format!("{{\"Records\":[{}]}}", recs.join(","));
    let pretty_doc = format!(
        "{{\n  \"Records\": [\n    {}\n  ]\n}}\n",
        recs.iter()
            .map(|r| pretty(r, 2))
            .collect::<Vec<_>>()
            .join(",\n    ")
    );
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    // A tree as an S3 sync of AWSLogs looks: the records split over files
    // in name order, a digest file beside them.
    let tree = dir.join("AWSLogs");
    let day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/01";
    for (k, chunk) in recs.chunks(recs.len().div_ceil(7)).enumerate() {
        let doc = format!("{{\"Records\":[{}]}}", chunk.join(","));
        write(
            &format!("{day}/111122223333_CloudTrail_us-east-1_20261201T00{k:02}Z_x.json.gz"),
            &gzip(doc.as_bytes()),
        );
    }
    write(
        "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/12/01/d.json.gz",
        &gzip(b"{\"digestStartTime\":\"x\"}"),
    );
    vec![
        ("ndjson", write("r.ndjson", ndjson.as_bytes()), None),
        ("records-compact", write("r.json", compact.as_bytes()), None),
        (
            "records-pretty",
            write("p.json", pretty_doc.as_bytes()),
            None,
        ),
        (
            "ndjson-gzip",
            write("r.ndjson.gz", &gzip(ndjson.as_bytes())),
            None,
        ),
        (
            "records-gzip",
            write("r.json.gz", &gzip(compact.as_bytes())),
            None,
        ),
        ("directory", tree.display().to_string(), None),
        ("stdin", "-".to_string(), Some(ndjson.into_bytes())),
        (
            "file-url",
            format!("file://{}", dir.join("r.ndjson").display()),
            None,
        ),
    ]
}

fn run(args: &[&str], stdin: &Option<Vec<u8>>) -> std::process::Output {
    let mut c = ctsel();
    c.args(args);
    if let Some(b) = stdin {
        c.write_stdin(b.clone());
    }
    c.output().unwrap()
}

/// (index within the whole input, verdict, selectors, assumed) per record.
fn verdicts(lines: &[Value]) -> Vec<(String, Value, bool)> {
    lines
        .iter()
        .map(|l| {
            (
                l["verdict"].as_str().unwrap().to_string(),
                l.get("selectors").cloned().unwrap_or(Value::Null),
                l["assumed"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

#[test]
fn every_command_reads_every_form_alike() {
    for sel in SELECTORS {
        let recs = records(sel);
        let dir = tempfile::tempdir().unwrap();
        let mut reference: Option<Vec<(String, Value, bool)>> = None;
        for (form, path, stdin) in forms(dir.path(), &recs) {
            let m = run(&["match", "-s", sel, &path], &stdin);
            assert!(
                m.status.success(),
                "{sel} {form}: {}",
                String::from_utf8_lossy(&m.stderr)
            );
            let mv = verdicts(&json_lines(&m.stdout));
            assert_eq!(mv.len(), recs.len(), "{sel} {form}: one verdict per record");
            match &reference {
                None => reference = Some(mv.clone()),
                Some(r) => assert_eq!(r, &mv, "{sel} {form}: match verdicts differ from NDJSON"),
            }
            // Record indices run 0.. within each file.
            let lines = json_lines(&m.stdout);
            if form != "directory" {
                for (i, l) in lines.iter().enumerate() {
                    assert_eq!(l["record"], i as u64, "{sel} {form}");
                    let located = if form.starts_with("records") {
                        "offset"
                    } else {
                        "line"
                    };
                    assert!(l.get(located).is_some(), "{sel} {form}: {l}");
                }
            }
            let count = |v: &str| mv.iter().filter(|x| x.0 == v).count() as u64;
            let (logged, not_logged, not_governed, bad) = (
                count("logged"),
                count("not_logged"),
                count("not_governed"),
                count("unparseable"),
            );
            assert!(logged > 0 && not_logged > 0, "{sel}: both verdicts occur");

            let e = run(&["explain", "-s", sel, "--format", "json", &path], &stdin);
            assert!(e.status.success(), "{sel} {form}");
            let ev: Vec<String> = json_lines(&e.stdout)
                .iter()
                .map(|l| l["verdict"].as_str().unwrap().to_string())
                .collect();
            let mvs: Vec<String> = mv.iter().map(|x| x.0.clone()).collect();
            assert_eq!(ev, mvs, "{sel} {form}: explain differs from match");

            let s = run(&["stats", "-s", sel, "--format", "json", &path], &stdin);
            assert!(s.status.success(), "{sel} {form}");
            let sv: Value = serde_json::from_slice(&s.stdout).unwrap();
            assert_eq!(
                [
                    &sv["records"],
                    &sv["logged"],
                    &sv["not_logged"],
                    &sv["not_governed"],
                    &sv["unparseable"]
                ],
                [recs.len() as u64, logged, not_logged, not_governed, bad],
                "{sel} {form}: stats"
            );

            let f = run(&["filter", "-s", sel, "--format", "json", &path], &stdin);
            assert!(f.status.success(), "{sel} {form}");
            assert_eq!(
                f.stdout.iter().filter(|b| **b == b'\n').count() as u64,
                logged,
                "{sel} {form}: filter"
            );
            let fs: Value = serde_json::from_slice(
                f.stderr
                    .split(|b| *b == b'\n')
                    .find(|l| l.starts_with(b"{"))
                    .unwrap(),
            )
            .unwrap();
            assert_eq!(fs["logged"], logged, "{sel} {form}: filter summary");
            assert_eq!(
                fs["records"],
                recs.len() as u64,
                "{sel} {form}: filter summary"
            );
            if form == "directory" {
                assert_eq!(
                    fs["skipped_files"], 1,
                    "the digest file is skipped and counted"
                );
            }

            let d = run(
                &[
                    "diff",
                    sel,
                    "selectors/write-only-management.basic.json",
                    "--samples",
                    "10",
                    "--format",
                    "json",
                    "--records",
                    &path,
                ],
                &stdin,
            );
            assert!(
                d.status.code().is_some_and(|c| c <= 1),
                "{sel} {form}: {}",
                String::from_utf8_lossy(&d.stderr)
            );
            let dv: Value = serde_json::from_slice(&d.stdout).unwrap();
            assert_eq!(
                dv["given"],
                recs.len() as u64 - bad,
                "{sel} {form}: diff reads every record"
            );
        }
    }
}
