//! Golden tests of explain, convert, lint, stats and diff (assert_cmd and
//! insta snapshots), with the properties each must keep: explain and stats
//! agree with `ctsel match`, converted selectors validate, each lint id has
//! a positive and a negative case, diff finds a witness for a one-value
//! DESELECT difference.

mod common;
use common::{ctsel, json_lines as lines};

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const FOUR: &str = "selectors/aws-docs-four-kinds.advanced.json";
const SEED: &str = "selectors/put-delete-all-but-one-bucket.json";
const EVENTS: &str = "tests/corpus/events";

fn corpus_files() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(EVENTS))
        .unwrap()
        .map(|e| format!("{EVENTS}/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    v.sort();
    v
}

fn match_verdicts(sel: &str, file: &str) -> Vec<Value> {
    lines(
        &ctsel()
            .args(["match", "-s", sel, file])
            .output()
            .unwrap()
            .stdout,
    )
}

// ---- explain ----

#[test]
fn explain_agrees_with_match_on_the_corpus() {
    for sel in [FOUR, "selectors/s3-and-lambda-data-events.basic.json"] {
        for f in corpus_files() {
            let e = lines(
                &ctsel()
                    .args(["explain", "--format", "json", "-s", sel, &f])
                    .output()
                    .unwrap()
                    .stdout,
            );
            let m = match_verdicts(sel, &f);
            assert_eq!(e.len(), m.len(), "{f}");
            for (x, y) in e.iter().zip(&m) {
                assert_eq!(x["verdict"], y["verdict"], "{f} line {}", y["line"]);
                assert_eq!(x["matched"], y["selectors"], "{f} line {}", y["line"]);
                // Matched flags are consistent with the verdict.
                let flagged: Vec<u64> = x["selectors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| s["matched"] == true)
                    .map(|s| s["index"].as_u64().unwrap())
                    .collect();
                let want: Vec<u64> = y["selectors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap())
                    .collect();
                assert_eq!(flagged, want, "{f} line {}", y["line"]);
            }
        }
    }
}

#[test]
fn explain_human_output() {
    let input = concat!(
        r#"{"eventName":"PutObject","readOnly":false,"resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::amzn-s3-demo-bucket"},{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::amzn-s3-demo-bucket/k"}],"eventCategory":"Data"}"#,
        "\n",
        r#"{"eventVersion":"1.05","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn"}"#,
        "\n",
        "not json\n",
    );
    let out = ctsel()
        .args(["explain", "-s", FOUR])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("explain_human", String::from_utf8(out.stdout).unwrap());
}

// ---- convert ----

#[test]
fn convert_basic_to_advanced() {
    let out = ctsel()
        .args([
            "convert",
            "-s",
            "selectors/s3-and-lambda-data-events.basic.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("convert_terraform", text.clone());
    let v = ctsel()
        .args(["validate", "--kind", "advanced", "-"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    // The converted selectors decide the corpus as the original ones.
    let dir = tempfile::tempdir().unwrap();
    let conv = dir.path().join("converted.json");
    std::fs::write(&conv, text).unwrap();
    for f in corpus_files() {
        let a: Vec<Value> = match_verdicts("selectors/s3-and-lambda-data-events.basic.json", &f)
            .into_iter()
            .map(|v| v["verdict"].clone())
            .collect();
        let b: Vec<Value> = match_verdicts(conv.to_str().unwrap(), &f)
            .into_iter()
            .map(|v| v["verdict"].clone())
            .collect();
        assert_eq!(a, b, "{f}");
    }
}

#[test]
fn convert_refuses_advanced_input() {
    let out = ctsel().args(["convert", "-s", FOUR]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already advanced"));
}

// ---- lint ----

fn lint_ids(json: &str, extra: &[&str]) -> (i32, Vec<String>) {
    let out = ctsel()
        .args(["lint", "--format", "json"])
        .args(extra)
        .arg("-")
        .write_stdin(json.to_string())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let ids = v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    (out.status.code().unwrap(), ids)
}

fn adv(selectors: &[&str]) -> String {
    let items: Vec<String> = selectors
        .iter()
        .map(|f| format!(r#"{{"FieldSelectors":[{f}]}}"#))
        .collect();
    format!("[{}]", items.join(","))
}

const S3: &str = r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}"#;
const MGMT: &str = r#"{"Field":"eventCategory","Equals":["Management"]}"#;

#[test]
fn lint_each_finding_positive_and_negative() {
    let arn = |op: &str, v: &str| format!(r#"{S3},{{"Field":"resources.ARN","{op}":["{v}"]}}"#);
    let cases: Vec<(&str, String, String, &[&str])> = vec![
        ("CT001", adv(&[&arn("NotEquals", "arn:aws:s3:::logs/")]), adv(&[&arn("NotStartsWith", "arn:aws:s3:::logs/")]), &[]),
        ("CT001", adv(&[&arn("Equals", "arn:aws:s3:::logs/")]), adv(&[&arn("Equals", "arn:aws:s3:::logs/key")]), &[]),
        (
            "CT002",
            adv(&[&format!(r#"{S3},{{"Field":"eventName","Equals":["PutObject"],"NotEquals":["PutObject"]}}"#)]),
            adv(&[&format!(r#"{S3},{{"Field":"eventName","Equals":["PutObject","GetObject"],"NotEquals":["PutObject"]}}"#)]),
            &[],
        ),
        (
            "CT002",
            adv(&[&format!(r#"{S3},{{"Field":"eventName","StartsWith":["Put"],"NotStartsWith":["P"]}}"#)]),
            adv(&[&format!(r#"{S3},{{"Field":"eventName","StartsWith":["P"],"NotStartsWith":["Put"]}}"#)]),
            &[],
        ),
        (
            "CT002",
            r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Lambda::Function"]},{"Field":"resources.ARN","Equals":["arn:aws:lambda:us-east-1:111122223333:function/f"]}]}]"#.to_string(),
            r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Lambda::Function"]},{"Field":"resources.ARN","Equals":["arn:aws:lambda:us-east-1:111122223333:function:f"]}]}]"#.to_string(),
            &[],
        ),
        (
            "CT002",
            adv(&[&format!(r#"{S3},{{"Field":"readOnly","Equals":["true"]}},{{"Field":"eventName","Equals":["PutObject","DeleteObject"]}}"#)]),
            adv(&[&format!(r#"{S3},{{"Field":"readOnly","Equals":["true"]}},{{"Field":"eventName","Equals":["PutObject","GetObject"]}}"#)]),
            &[],
        ),
        ("CT003", adv(&[&arn("StartsWith", "arn:aws:s3:::logs/"), &arn("StartsWith", "arn:aws:s3:::logs/a/")]), adv(&[&arn("StartsWith", "arn:aws:s3:::logs/"), &arn("StartsWith", "arn:aws:s3:::data/")]), &[]),
        ("CT004", adv(&[&format!(r#"{MGMT},{{"Field":"readOnly","Equals":["true"]}}"#), &format!(r#"{MGMT},{{"Field":"eventSource","NotEquals":["kms.amazonaws.com"]}}"#)]), adv(&[&format!(r#"{MGMT},{{"Field":"readOnly","Equals":["false"]}}"#), &format!(r#"{MGMT},{{"Field":"readOnly","Equals":["true"]}}"#)]), &[]),
        ("CT004", r#"[{"ReadWriteType":"All","ExcludeManagementEventSources":["kms.amazonaws.com"]},{"ReadWriteType":"ReadOnly"}]"#.to_string(), r#"[{"ReadWriteType":"WriteOnly"},{"ReadWriteType":"ReadOnly"}]"#.to_string(), &[]),
        // Exact: ReadOnly adds nothing to All (subsumed, not merely overlapping).
        ("CT003", r#"[{"ReadWriteType":"All"},{"ReadWriteType":"ReadOnly"}]"#.to_string(), r#"[{"ReadWriteType":"All","ExcludeManagementEventSources":["kms.amazonaws.com"]},{"ReadWriteType":"ReadOnly"}]"#.to_string(), &[]),
        (
            "CT005",
            adv(&[&format!(r#"{},{{"Field":"eventName","Equals":["PutObject"]}}"#, arn("StartsWith", "arn:aws:s3:::logs/")), &format!(r#"{},{{"Field":"eventName","Equals":["GetObject"]}}"#, arn("StartsWith", "arn:aws:s3:::logs/a"))]),
            adv(&[&arn("StartsWith", "arn:aws:s3:::logs/"), &arn("StartsWith", "arn:aws:s3:::data/")]),
            &[],
        ),
        ("CT006", adv(&[&format!(r#"{S3},{{"Field":"eventName","Equals":["Put*"]}}"#)]), adv(&[&format!(r#"{S3},{{"Field":"eventName","StartsWith":["Put"]}}"#)]), &[]),
        ("CT007", adv(&[S3]), adv(&[&arn("NotStartsWith", "arn:aws:s3:::trail-logs/")]), &["--log-bucket", "trail-logs"]),
        (
            "CT007",
            r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]"#.to_string(),
            r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::app-data/"]}]}]"#.to_string(),
            &["--log-bucket", "trail-logs"],
        ),
    ];
    for (id, positive, negative, extra) in cases {
        let (_, found) = lint_ids(&positive, extra);
        assert!(
            found.iter().any(|f| f == id),
            "{id} not found in {positive}: {found:?}"
        );
        let (_, found) = lint_ids(&negative, extra);
        assert!(
            !found.iter().any(|f| f == id),
            "{id} wrongly found in {negative}: {found:?}"
        );
    }
}

#[test]
fn lint_error_findings_on_the_corpus_are_exactly_the_real_mistakes() {
    // The real mistakes in published trail configurations: NotEquals on a
    // bucket ARN (excludes nothing), and Lambda ARNs written `function/NAME`
    // (AWS's own examples; a real function ARN is `function:NAME`).
    let expected: BTreeMap<&str, Vec<&str>> = [
        (
            "valid/awsdocs-archived--cloudtrail-additional-cli-commands--02.advanced.json",
            vec!["CT001", "CT002"],
        ),
        (
            "valid/awsdocs-current--cloudtrail-additional-cli-commands--01.advanced.json",
            vec!["CT002"],
        ),
        (
            "valid/awsdocs-current--logging-data-events-with-cloudtrail--01.advanced.json",
            vec!["CT002"],
        ),
    ]
    .into_iter()
    .collect();
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/selectors/index.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut rejected = 0;
    for e in index.as_array().unwrap() {
        let file = e["file"].as_str().unwrap();
        if !file.starts_with("valid/") || !e["context"].as_str().unwrap_or("").starts_with("trail")
        {
            continue;
        }
        let out = ctsel()
            .args(["lint", "--format", "json"])
            .arg(format!("tests/corpus/selectors/{file}"))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        if v["valid"] == false {
            // The two get-event-selectors excerpts with `[]` operators do
            // not validate as put-event-selectors input: the rejection is
            // reported as results named after botocore's exception.
            assert!(
                file.contains("cloudtrail-additional-cli-commands--0"),
                "{file}"
            );
            assert_eq!(out.status.code(), Some(1), "{file}");
            let aws: Vec<&Value> = v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["layer"] == "aws")
                .collect();
            assert!(
                !aws.is_empty() && aws.iter().all(|f| f["id"] == "ParamValidationError"),
                "{file}"
            );
            rejected += 1;
            continue;
        }
        let errors: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            out.status.code(),
            Some(i32::from(!errors.is_empty())),
            "{file}"
        );
        if !errors.is_empty() {
            found.insert(file.to_string(), errors);
        }
    }
    let found: BTreeMap<&str, Vec<&str>> = found
        .iter()
        .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(rejected, 2, "the two 2023 get-event-selectors excerpts");
}

#[test]
fn lint_formats_and_deny_levels() {
    let f = "tests/corpus/selectors/valid/awsdocs-archived--cloudtrail-additional-cli-commands--02.advanced.json";
    let out = ctsel().args(["lint", f]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("lint_human", String::from_utf8(out.stdout).unwrap());
    let out = ctsel()
        .args(["lint", "--format", "sarif", f])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    // Two lint errors and AWS's warning about a Lambda ARN's shape.
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["ruleId"], "CT001");
    assert_eq!(results[2]["ruleId"], "arn-shape");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        38
    );
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        8
    );
    // A file AWS rejects is a result too, named after the exception, in
    // JSON and in SARIF, and it fails the run.
    let bad = "selectors/invalid/e4-bucket-without-slash.basic.json";
    for format in ["json", "sarif"] {
        let out = ctsel()
            .args(["lint", "--format", format, bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let ids: Vec<&Value> = if format == "json" {
            assert_eq!(v["valid"], false);
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| &f["id"])
                .collect()
        } else {
            v["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| &r["ruleId"])
                .collect()
        };
        assert_eq!(
            ids,
            [&Value::from("InvalidEventSelectorsException")],
            "{format}"
        );
    }
    let warn_only = adv(&[&format!(
        r#"{S3},{{"Field":"eventName","Equals":["Put*"]}}"#
    )]);
    assert_eq!(lint_ids(&warn_only, &[]).0, 0);
    assert_eq!(lint_ids(&warn_only, &["--deny", "warning"]).0, 1);
    ctsel()
        .args([
            "lint",
            "selectors/invalid/e4-bucket-without-slash.basic.json",
        ])
        .assert()
        .code(1);
}

// ---- stats ----

#[test]
fn stats_counts_are_those_of_match() {
    let out = ctsel()
        .args([
            "stats",
            "--format",
            "json",
            "-s",
            FOUR,
            "--compare",
            SEED,
            EVENTS,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for (key, sel) in [(None, FOUR), (Some("compare"), SEED)] {
        let r = key.map_or(&v, |k| &v[k]);
        let mut want: BTreeMap<String, u64> = BTreeMap::new();
        let mut per_selector: BTreeMap<u64, u64> = BTreeMap::new();
        for f in corpus_files() {
            for m in match_verdicts(sel, &f) {
                *want
                    .entry(m["verdict"].as_str().unwrap().to_string())
                    .or_default() += 1;
                for s in m["selectors"].as_array().into_iter().flatten() {
                    *per_selector.entry(s.as_u64().unwrap()).or_default() += 1;
                }
            }
        }
        assert_eq!(r["records"], want.values().sum::<u64>());
        for k in ["logged", "not_logged", "not_governed", "unparseable"] {
            assert_eq!(r[k], want.get(k).copied().unwrap_or(0), "{sel} {k}");
        }
        for s in r["by_selector"].as_array().unwrap() {
            assert_eq!(
                s["logged"],
                per_selector
                    .get(&s["index"].as_u64().unwrap())
                    .copied()
                    .unwrap_or(0)
            );
        }
        let by_cat: u64 = r["by_category"]
            .as_object()
            .unwrap()
            .values()
            .map(|c| c["records"].as_u64().unwrap())
            .sum();
        assert_eq!(
            by_cat,
            r["records"].as_u64().unwrap() - r["unparseable"].as_u64().unwrap()
        );
    }
}

#[test]
fn stats_human_output_and_cost() {
    let input = concat!(
        r#"{"eventName":"PutObject","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::d/k"}],"eventCategory":"Data"}"#,
        "\n",
        r#"{"eventName":"DescribeInstances","readOnly":true,"eventCategory":"Management"}"#,
        "\n",
    );
    let out = ctsel()
        .args(["stats", "-s", SEED, "--price-per-100k", "100000", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("stats_human", String::from_utf8(out.stdout).unwrap());
    let out = ctsel()
        .args(["stats", "--format", "json", "-s", SEED, "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["billed_events"], 1);
    assert!((v["estimated_cost_usd"].as_f64().unwrap() - 0.000001).abs() < 1e-12);
    // Standard input is read once and counted under both selector files,
    // exactly as the same bytes in a file are.
    let compare = |args: &[&str], stdin: Option<&str>| {
        let mut c = ctsel();
        c.args(["stats", "--format", "json", "-s", SEED, "--compare", FOUR]);
        c.args(args);
        if let Some(s) = stdin {
            c.write_stdin(s);
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two.ndjson");
    std::fs::write(&file, input).unwrap();
    let from_stdin = compare(&["-"], Some(input));
    let from_file = compare(&[file.to_str().unwrap()], None);
    assert_eq!(from_stdin, from_file);
    assert_eq!(from_stdin["records"], 2);
    assert_eq!(from_stdin["logged"], 1);
    assert_eq!(from_stdin["compare"]["records"], 2);
}

// ---- diff ----

#[test]
fn diff_finds_a_witness_for_one_deselect_value() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.json");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).unwrap();
    std::fs::write(
        &other,
        text.replace("amzn-s3-demo-bucket/", "amzn-s3-demo-bucket2/"),
    )
    .unwrap();
    let out = ctsel()
        .args(["diff", "--format", "json", SEED])
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["equivalent"], false);
    let w = v["witnesses"].as_array().unwrap();
    assert!(!w.is_empty());
    // Each witness really is decided differently, by match.
    for x in w {
        let rec = x["record"].to_string();
        let a = lines(
            &ctsel()
                .args(["match", "-s", SEED])
                .write_stdin(rec.clone())
                .output()
                .unwrap()
                .stdout,
        );
        let b = lines(
            &ctsel()
                .args(["match", "-s"])
                .arg(&other)
                .write_stdin(rec)
                .output()
                .unwrap()
                .stdout,
        );
        assert_ne!(a[0]["verdict"], b[0]["verdict"]);
        assert_eq!(a[0]["verdict"], x["a"]);
    }
    let out = ctsel().args(["diff", SEED]).arg(&other).output().unwrap();
    insta::assert_snapshot!(
        "diff_human",
        String::from_utf8(out.stdout)
            .unwrap()
            .replace(other.to_str().unwrap(), "OTHER")
    );
}

#[test]
fn diff_reports_equivalence_with_counts() {
    let out = ctsel()
        .args([
            "diff",
            "--format",
            "json",
            "--records",
            "tests/corpus/events/aws-docs-current.ndjson",
            FOUR,
            FOUR,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["equivalent"], true);
    assert_eq!(v["proved"], true);
    assert_eq!(v["generated"], 0);
    assert_eq!(v["given"], 161);
    // A basic configuration and its conversion are equivalent.
    let converted = ctsel()
        .args([
            "convert",
            "-s",
            "selectors/s3-and-lambda-data-events.basic.json",
        ])
        .output()
        .unwrap()
        .stdout;
    let dir = tempfile::tempdir().unwrap();
    let conv = dir.path().join("c.json");
    std::fs::write(&conv, converted).unwrap();
    ctsel()
        .args(["diff", "selectors/s3-and-lambda-data-events.basic.json"])
        .arg(&conv)
        .assert()
        .code(0);
}

#[test]
fn diff_proves_every_shipped_basic_file_equivalent_to_its_conversion() {
    let dir = tempfile::tempdir().unwrap();
    let mut proved = 0;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("selectors");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in files {
        let conv = ctsel().args(["convert", "-s"]).arg(&f).output().unwrap();
        if conv.status.code() != Some(0) {
            continue; // advanced already, or not a selector list
        }
        let out_path = dir.path().join("converted.json");
        std::fs::write(&out_path, &conv.stdout).unwrap();
        let out = ctsel().arg("diff").arg(&f).arg(&out_path).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", f.display());
        assert!(
            String::from_utf8_lossy(&out.stdout).starts_with("equivalent (proved)"),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stdout)
        );
        proved += 1;
    }
    assert!(proved >= 4, "only {proved} basic files");
}

#[test]
fn explain_and_stats_survive_hostile_input() {
    let deep = "[".repeat(100_000);
    let input = format!(
        "{{\"eventName\":{deep}\n{{\"eventName\":\"Put\\ud800\"}}\nnot json\n{}\n",
        r#"{"eventName":"PutObject","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::d/k"}],"eventCategory":"Data"}"#
    );
    let out = ctsel()
        .args(["explain", "--format", "json", "-s", SEED])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = lines(&out.stdout);
    assert_eq!(
        v.iter()
            .map(|x| x["verdict"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["unparseable", "unparseable", "unparseable", "logged"]
    );
    let out = ctsel()
        .args(["stats", "--format", "json", "-s", SEED, "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            v["records"].as_u64(),
            v["logged"].as_u64(),
            v["unparseable"].as_u64()
        ),
        (Some(4), Some(1), Some(3))
    );
}
