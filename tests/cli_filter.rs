//! Golden tests of `ctsel filter`: containers (NDJSON, `{"Records":[…]}`,
//! gzip, multi-member gzip), damage (truncated gzip, invalid UTF-8, garbage
//! lines), line endings, BOM, huge records, stdin and directories, and the
//! flags --invert, --count, --strict, --rejects. Every case checks that the
//! counts add up: read = logged + not logged + not governed + unparseable.

mod common;
use common::{ctsel, summary};

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::Path;

const SEED: &str = "selectors/put-delete-all-but-one-bucket.json";

fn rec(name: &str, bucket: &str, key: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.09","userIdentity":{{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s"}},"eventSource":"s3.amazonaws.com","eventName":"{name}","readOnly":false,"resources":[{{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::{bucket}/{key}"}},{{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::{bucket}"}}],"eventType":"AwsApiCall","managementEvent":false,"eventCategory":"Data"}}"#
    )
}

fn mgmt() -> String {
    r#"{"eventVersion":"1.09","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","readOnly":true,"eventType":"AwsApiCall","eventCategory":"Management"}"#.to_string()
}

fn insight() -> String {
    r#"{"eventVersion":"1.08","eventType":"AwsCloudTrailInsight","insightDetails":{"state":"Start"},"eventCategory":"Insight"}"#.to_string()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn ndjson_with_crlf_blank_lines_and_bom() {
    let input = format!(
        "\u{feff}{}\r\n\r\n{}\r\n   \n{}\n{}\n",
        rec("PutObject", "data", "a"),
        rec("PutObject", "amzn-s3-demo-bucket", "b"),
        mgmt(),
        insight()
    );
    let out = ctsel()
        .args(["filter", "-s", SEED])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n", rec("PutObject", "data", "a"))
    );
    assert_eq!(summary(&out.stderr), [4, 1, 2, 1, 0]);
}

#[test]
fn records_files_plain_and_gzip_multi_member() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |recs: &[String]| format!("{{\"Records\":[{}]}}", recs.join(","));
    let a = doc(&[
        rec("PutObject", "data", "1"),
        mgmt(),
        rec("DeleteObject", "logs", "2"),
    ]);
    let b = doc(&[rec("GetObject", "data", "3"), rec("DeleteObject", "x", "4")]);
    // Pretty-printed: line breaks inside records are whitespace.
    let pretty = "{\n  \"Records\": [\n    {\"eventCategory\": \"Data\",\n     \"eventName\": \"PutObject\",\n     \"resources\": [{\"type\": \"AWS::S3::Object\", \"ARN\": \"arn:aws:s3:::p/q\"}]}\n  ]\n}\n";
    std::fs::write(dir.path().join("a.json"), &a).unwrap();
    let mut two = gz(a.as_bytes());
    two.extend(gz(b.as_bytes()));
    std::fs::write(dir.path().join("ab.json.gz"), two).unwrap();
    std::fs::write(dir.path().join("pretty.json"), pretty).unwrap();
    let out = ctsel()
        .args(["filter", "-s", SEED])
        .arg(dir.path().join("a.json"))
        .arg(dir.path().join("ab.json.gz"))
        .arg(dir.path().join("pretty.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(
        lines,
        [
            rec("PutObject", "data", "1"),
            rec("DeleteObject", "logs", "2"),
            rec("PutObject", "data", "1"),
            rec("DeleteObject", "logs", "2"),
            rec("DeleteObject", "x", "4"),
            r#"{"eventCategory": "Data",      "eventName": "PutObject",      "resources": [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::p/q"}]}"#.to_string(),
        ]
    );
    assert_eq!(summary(&out.stderr), [9, 6, 3, 0, 0]);
}

#[test]
fn truncated_gzip_is_an_error_naming_the_file_after_processing_what_was_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let body: String = (0..2000)
        .map(|i| rec("PutObject", "data", &i.to_string()) + "\n")
        .collect();
    let mut z = gz(body.as_bytes());
    z.truncate(z.len() * 2 / 3);
    let bad = dir.path().join("cut.json.gz");
    std::fs::write(&bad, z).unwrap();
    let good = dir.path().join("ok.ndjson");
    std::fs::write(&good, rec("PutObject", "data", "ok") + "\n").unwrap();
    let out = ctsel()
        .args(["filter", "--count", "-s", SEED])
        .arg(&bad)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cut.json.gz") && err.contains("truncated"),
        "{err}"
    );
    let c = summary(&out.stderr);
    assert!(
        c[1] > 500 && c[1] < 2001,
        "decoded records before the damage are processed: {c:?}"
    );
    let n: u64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(n, c[1]);
}

#[test]
fn invalid_utf8_and_garbage_are_unparseable_and_rejected_but_never_emitted() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects.ndjson");
    let mut input = rec("PutObject", "data", "1").into_bytes();
    input.extend_from_slice(b"\n");
    let mut bad = rec("PutObject", "data", "\u{e9}").into_bytes();
    let at = bad.iter().position(|b| *b == 0xc3).unwrap();
    bad[at] = 0xff;
    input.extend_from_slice(&bad);
    input.extend_from_slice(b"\nnot json at all\n{\"eventName\":\"PutObject\"} trailing\n");
    let out = ctsel()
        .args(["filter", "-s", SEED, "--rejects"])
        .arg(&rejects)
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n", rec("PutObject", "data", "1"))
    );
    assert_eq!(summary(&out.stderr), [4, 1, 0, 0, 3]);
    let r = std::fs::read(&rejects).unwrap();
    assert_eq!(r.iter().filter(|b| **b == b'\n').count(), 3);
    assert!(r.windows(15).any(|w| w == b"not json at all"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("-: line 2: unparseable record: invalid UTF-8"),
        "{err}"
    );
}

#[test]
fn strict_fails_at_the_first_unparseable_record_naming_file_and_line() {
    let input = format!(
        "{}\n\n{{\"eventName\":\n{}\n",
        rec("PutObject", "data", "1"),
        rec("PutObject", "data", "2")
    );
    let out = ctsel()
        .args(["filter", "--strict", "-s", SEED])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("-: line 3: unparseable record"), "{err}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n", rec("PutObject", "data", "1"))
    );
}

#[test]
fn invert_and_count() {
    let input = format!(
        "{}\n{}\n{}\n{}\n",
        rec("PutObject", "data", "1"),
        mgmt(),
        rec("GetObject", "data", "2"),
        insight()
    );
    let out = ctsel()
        .args(["filter", "--invert", "-s", SEED])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n{}\n", mgmt(), rec("GetObject", "data", "2"))
    );
    assert_eq!(summary(&out.stderr), [4, 1, 2, 1, 0]);
    let out = ctsel()
        .args(["filter", "--count", "-s", SEED])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "1\n");
    let out = ctsel()
        .args(["filter", "--count", "--invert", "-s", SEED])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "2\n");
}

#[test]
fn a_five_megabyte_record() {
    let big = rec("PutObject", "data", &"k".repeat(5 << 20));
    let out = ctsel()
        .args(["filter", "-s", SEED, "--jobs", "2"])
        .write_stdin(format!("{}\n{big}\n{}\n", mgmt(), mgmt()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout.len(), big.len() + 1);
    assert_eq!(summary(&out.stderr), [3, 1, 2, 0, 0]);
}

#[test]
fn directories_are_walked_and_digests_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir
        .path()
        .join("AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01");
    std::fs::create_dir_all(&deep).unwrap();
    let digest = dir
        .path()
        .join("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/01");
    std::fs::create_dir_all(&digest).unwrap();
    let doc = format!(
        "{{\"Records\":[{},{}]}}",
        rec("PutObject", "data", "a"),
        mgmt()
    );
    std::fs::write(
        deep.join("111122223333_CloudTrail_us-east-1_20240501T0000Z_a.json.gz"),
        gz(doc.as_bytes()),
    )
    .unwrap();
    std::fs::write(
        deep.join("111122223333_CloudTrail_us-east-1_20240501T0005Z_b.json.gz"),
        gz(doc.as_bytes()),
    )
    .unwrap();
    std::fs::write(
        digest
            .join("111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240501T000000Z.json.gz"),
        gz(b"{\"awsAccountId\":\"111122223333\"}"),
    )
    .unwrap();
    for jobs in ["1", "2"] {
        let out = ctsel()
            .args(["filter", "-s", SEED, "--jobs", jobs])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
        assert_eq!(summary(&out.stderr), [4, 2, 2, 0, 0]);
        assert!(String::from_utf8_lossy(&out.stderr)
            .contains("1 file skipped (digests, hidden or special files)"));
    }
}

#[test]
fn missing_files_are_errors_but_the_others_are_processed() {
    let out = ctsel()
        .args(["filter", "--count", "-s", SEED, "no-such.ndjson", "-"])
        .write_stdin(rec("PutObject", "data", "1"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "1\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such.ndjson: no such file"));
}

#[test]
fn matches_are_those_of_ctsel_match_on_the_corpus() {
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/events");
    for sel in [
        "selectors/aws-docs-four-kinds.advanced.json",
        "selectors/s3-and-lambda-data-events.basic.json",
        SEED,
    ] {
        for jobs in ["1", "2"] {
            let filtered = ctsel()
                .args(["filter", "-q", "--jobs", jobs, "-s", sel])
                .arg(&events)
                .output()
                .unwrap();
            assert_eq!(filtered.status.code(), Some(0));
            let mut expected = Vec::new();
            let mut files: Vec<_> = std::fs::read_dir(&events)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            for f in files {
                let m = ctsel().args(["match", "-s", sel]).arg(&f).output().unwrap();
                let text = std::fs::read_to_string(&f).unwrap();
                let lines: Vec<&str> = text.lines().collect();
                for v in String::from_utf8(m.stdout).unwrap().lines() {
                    let v: serde_json::Value = serde_json::from_str(v).unwrap();
                    if v["verdict"] == "logged" {
                        expected.push(lines[v["line"].as_u64().unwrap() as usize - 1].to_string());
                    }
                }
            }
            let got: Vec<String> = String::from_utf8(filtered.stdout)
                .unwrap()
                .lines()
                .map(String::from)
                .collect();
            assert_eq!(got.len(), expected.len(), "{sel}");
            assert_eq!(got, expected, "{sel}");
        }
    }
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::Read;
    let bin = assert_cmd::cargo::cargo_bin("ctsel");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("many.ndjson");
    let line = rec("PutObject", "data", "x") + "\n";
    std::fs::write(&f, line.repeat(200_000)).unwrap();
    let mut child = std::process::Command::new(bin)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["filter", "-s", SEED])
        .arg(&f)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
}
