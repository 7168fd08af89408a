//! Golden tests of `ctsel match`: the verdict-line contract, numbering of
//! records and lines, unparseable lines, stdin, --dump, invalid selectors.

mod common;
use common::{ctsel, json_lines as lines};

const SEED: &str = "selectors/put-delete-all-but-one-bucket.json";

#[test]
fn verdict_lines_number_records_and_lines() {
    let input = concat!(
        r#"{"eventCategory":"Data","eventName":"PutObject","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::other/k"}]}"#,
        "\n",
        "\n",
        r#"{"eventCategory":"Data","eventName":"PutObject","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::amzn-s3-demo-bucket/k"}]}"#,
        "\r\n",
        "   \n",
        r#"{"eventCategory":"Data","eventName":"Put"#,
        "\n",
        r#"{"eventCategory":"Insight","eventType":"AwsCloudTrailInsight"}"#,
        "\n",
    );
    let out = ctsel()
        .args(["match", "--selectors", SEED])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let l = lines(&out.stdout);
    assert_eq!(l.len(), 4);
    assert_eq!(
        l[0],
        serde_json::json!({"file":"-","record":0,"line":1,"verdict":"logged","selectors":[0],"assumed":false})
    );
    assert_eq!(
        l[1],
        serde_json::json!({"file":"-","record":1,"line":3,"verdict":"not_logged","selectors":[],"assumed":false})
    );
    assert_eq!(l[2]["verdict"], "unparseable");
    assert_eq!(l[2]["record"], 2);
    assert_eq!(l[2]["line"], 5);
    assert!(l[2]["error"]
        .as_str()
        .unwrap()
        .contains("unterminated string"));
    assert_eq!(l[3]["verdict"], "not_governed");
}

#[test]
fn files_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("e.ndjson");
    std::fs::write(&f, "{\"eventCategory\":\"Management\",\"readOnly\":true}\n").unwrap();
    let out = ctsel()
        .args(["match", "-s", "selectors/write-only-management.basic.json"])
        .arg(&f)
        .arg("missing.ndjson")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let l = lines(&out.stdout);
    assert_eq!(l.len(), 1);
    assert_eq!(l[0]["verdict"], "not_logged");
    assert_eq!(l[0]["file"], f.display().to_string());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.ndjson: no such file"));
}

#[test]
fn corpus_records_are_all_decided() {
    let f = "tests/corpus/events/panther-analysis.ndjson";
    let out = ctsel()
        .args([
            "match",
            "-s",
            "selectors/aws-docs-four-kinds.advanced.json",
            f,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let l = lines(&out.stdout);
    assert_eq!(l.len(), 429);
    assert!(l.iter().all(|v| v["verdict"] != "unparseable"));
}

#[test]
fn dump_shows_the_program() {
    let out = ctsel()
        .args(["match", "-s", SEED, "--dump"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("match_dump_seed", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn invalid_selectors_stop_unless_allowed() {
    let eds = "tests/corpus/selectors/valid/awsdocs-current--logging-management-events-with-cloudtrail--07.advanced.json";
    let out = ctsel()
        .args(["match", "-s", eds])
        .write_stdin("{}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-invalid"));
    ctsel()
        .args(["match", "--allow-invalid", "-s", eds])
        .write_stdin("{}\n")
        .assert()
        .code(0);
    ctsel()
        .args(["match", "-s", "selectors/invalid/not-json.json"])
        .write_stdin("{}\n")
        .assert()
        .code(2);
}
