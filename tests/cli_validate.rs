//! Golden tests of the real binary: the `ctsel validate` contract (flags,
//! JSON fields, exit codes) and the human rendering of every file in
//! `selectors/invalid/` (insta snapshots: line, caret, hint).

mod common;
use common::{ctsel, json_lines};

use std::path::Path;

fn files_in(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    v.sort();
    v
}

#[test]
fn every_example_in_selectors_is_valid() {
    let files = files_in("selectors");
    assert!(files.len() >= 10);
    let out = ctsel()
        .arg("validate")
        .arg("--format")
        .arg("json")
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), files.len());
    for l in lines {
        assert_eq!(l["valid"], true, "{l}");
        assert!(l["kind"] == "basic" || l["kind"] == "advanced", "{l}");
    }
}

#[test]
fn every_file_in_selectors_invalid_fails_and_renders_line_caret_and_hint() {
    let files = files_in("selectors/invalid");
    assert!(files.len() >= 30);
    for f in files {
        let out = ctsel().args(["validate", &f]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{f}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(": invalid"), "{f}: {text}");
        assert!(text.contains('^'), "{f}: no caret\n{text}");
        let name = Path::new(&f)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn json_output_follows_the_contract() {
    let out = ctsel()
        .args([
            "validate",
            "--format",
            "json",
            "selectors/invalid/e4-bucket-without-slash.basic.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1);
    let o = &lines[0];
    assert_eq!(
        o["file"],
        "selectors/invalid/e4-bucket-without-slash.basic.json"
    );
    assert_eq!(o["valid"], false);
    assert_eq!(o["kind"], "basic");
    assert_eq!(o["warnings"], serde_json::json!([]));
    let e = &o["errors"][0];
    assert_eq!(e["exception"], "InvalidEventSelectorsException");
    assert_eq!(
        e["message"],
        "Value arn:aws:s3:::data-bucket for DataResources.Values is invalid."
    );
    assert_eq!(e["verbatim"], true);
    assert_eq!(e["pointer"], "/0/DataResources/0/Values/0");
    assert_eq!(e["line"], 9);
    assert_eq!(e["column"], 11);
    assert_eq!(
        e["hint"],
        "bucket ARNs need a trailing slash: arn:aws:s3:::data-bucket/"
    );
}

#[test]
fn all_reports_every_service_error() {
    let f =
        "tests/corpus/selectors/invalid/issue--sra-335-wildcard-data-resource-values.basic.json";
    let first = json_lines(
        &ctsel()
            .args(["validate", "--format", "json", f])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(first[0]["errors"].as_array().unwrap().len(), 1);
    let all = json_lines(
        &ctsel()
            .args(["validate", "--all", "--format", "json", f])
            .output()
            .unwrap()
            .stdout,
    );
    let msgs: Vec<&str> = all[0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        msgs,
        [
            "Value arn:aws:s3:::* for DataResources.Values is invalid.",
            "Value arn:aws:lambda:* for DataResources.Values is invalid."
        ]
    );
}

#[test]
fn partition_flag_applies_to_data_resources() {
    let f =
        "tests/corpus/selectors/invalid/issue--aws-cdk-8247-wrong-partition-govcloud.basic.json";
    ctsel().args(["validate", f]).assert().code(0);
    ctsel()
        .args(["validate", "--partition", "aws-us-gov", f])
        .assert()
        .code(1);
    ctsel()
        .args(["validate", "--partition", "moon", f])
        .assert()
        .code(2);
}

#[test]
fn exit_codes_for_mixed_inputs() {
    let valid = "selectors/write-only-management.basic.json";
    let invalid = "selectors/invalid/e2-read-write-type-case.basic.json";
    ctsel().args(["validate", valid]).assert().code(0);
    ctsel().args(["validate", valid, invalid]).assert().code(1);
    let out = ctsel()
        .args([
            "validate",
            "--format",
            "json",
            valid,
            "no/such/file.json",
            invalid,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 3, "one object per input file");
    assert_eq!(lines[1]["errors"][0]["exception"], "IOError");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.json: no such file"));
    ctsel().args(["validate"]).assert().code(2);
    ctsel()
        .args(["validate", "--kind", "sideways", valid])
        .assert()
        .code(2);
    ctsel().args(["validate", "selectors"]).assert().code(2);
}

#[test]
fn not_json_names_line_and_column() {
    let out = ctsel()
        .args([
            "validate",
            "--format",
            "json",
            "selectors/invalid/not-json.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = &json_lines(&out.stdout)[0]["errors"][0];
    assert_eq!(e["line"], 5);
    assert_eq!(e["column"], 3);
    assert!(e["message"].as_str().unwrap().starts_with("not valid JSON"));
}

#[test]
fn stdin_and_file_urls() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("selectors/invalid/e7-management-off-no-data.basic.json"),
    )
    .unwrap();
    let out = ctsel()
        .args(["validate", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out.stdout)[0]["file"], "-");
    ctsel()
        .args([
            "validate",
            "file://selectors/write-only-management.basic.json",
        ])
        .assert()
        .code(0);
}

#[test]
fn kind_flag_overrides_detection() {
    // `[]` is basic by default (rejected: 1 to 5 selectors); as advanced it is accepted.
    ctsel()
        .args(["validate", "-"])
        .write_stdin("[]")
        .assert()
        .code(1);
    let out = ctsel()
        .args(["validate", "--kind", "advanced", "--format", "json", "-"])
        .write_stdin("[]")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let o = &json_lines(&out.stdout)[0];
    assert_eq!(o["kind"], "advanced");
    assert_eq!(o["warnings"][0]["rule"], "empty-advanced");
}

#[test]
fn extra_catalog_files() {
    let dir = tempfile::tempdir().unwrap();
    let types = dir.path().join("types.txt");
    std::fs::write(&types, "# new this month\nAWS::S3::Objects\n").unwrap();
    let f = "selectors/invalid/a10-unknown-resource-type.advanced.json";
    ctsel().args(["validate", f]).assert().code(1);
    ctsel()
        .args(["validate", "--extra-resource-types"])
        .arg(&types)
        .arg(f)
        .assert()
        .code(0);
    let sources = dir.path().join("sources.txt");
    std::fs::write(&sources, "iam.amazonaws.com\n").unwrap();
    let net = r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["iam.amazonaws.com"]}]}]"#;
    ctsel()
        .args(["validate", "-"])
        .write_stdin(net)
        .assert()
        .code(1);
    ctsel()
        .args(["validate", "--extra-network-sources"])
        .arg(&sources)
        .arg("-")
        .write_stdin(net)
        .assert()
        .code(0);
}

#[test]
fn bom_crlf_and_invalid_utf8() {
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(b"[{\r\n\"ReadWriteType\": \"All\"\r\n}]\r\n");
    let out = ctsel()
        .args(["validate", "--format", "json", "-"])
        .write_stdin(bom)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_lines(&out.stdout)[0]["warnings"][0]["rule"], "bom");
    let out = ctsel()
        .args(["validate", "--format", "json", "-"])
        .write_stdin(b"[{\"ReadWriteType\": \"A\xffll\"}]".to_vec())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = &json_lines(&out.stdout)[0]["errors"][0];
    assert_eq!(e["message"], "invalid UTF-8 byte sequence");
    assert_eq!(e["column"], 22);
}

/// A lone selector object given where the list belongs: the AWS CLI wraps
/// it into a one-element list for `--event-selectors` (and `file://`), and
/// prints nested objects as `OrderedDict`s; boto3 and `--cli-input-json`
/// do neither. The expected texts were printed by aws-cli 1.45.11
/// (botocore 1.43.11, Python 3.11) and by boto3's ParamValidator.
#[test]
fn a_single_selector_object_is_read_as_each_client_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.json");
    std::fs::write(&one, r#"{"ReadWriteType":"All"}"#).unwrap();
    let nested = dir.path().join("nested.json");
    std::fs::write(
        &nested,
        r#"{"ReadWriteType":"All","DataResources":{"Type":"AWS::S3::Object"}}"#,
    )
    .unwrap();
    let run = |client: &str, file: &Path| {
        let out = ctsel()
            .args(["validate", "--format", "json", "--client", client])
            .arg(file)
            .output()
            .unwrap();
        (out.status.code(), json_lines(&out.stdout).remove(0))
    };
    // The CLI sends `[{"ReadWriteType": "All"}]`: valid.
    let (code, v) = run("cli", &one);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["kind"], "basic");
    // Only the top level is wrapped; the nested object keeps its type.
    let (code, v) = run("cli", &nested);
    assert_eq!(code, Some(1));
    assert_eq!(
        v["errors"][0]["message"],
        "Invalid type for parameter EventSelectors[0].DataResources, value: OrderedDict([('Type', 'AWS::S3::Object')]), type: <class 'collections.OrderedDict'>, valid types: <class 'list'>, <class 'tuple'>"
    );
    assert_eq!(
        (
            v["errors"][0]["line"].as_u64(),
            v["errors"][0]["column"].as_u64()
        ),
        (Some(1), Some(40))
    );
    // boto3: the lone object is the wrong type.
    let (code, v) = run("sdk", &one);
    assert_eq!(code, Some(1));
    assert_eq!(
        v["errors"][0]["message"],
        "Invalid type for parameter EventSelectors, value: {'ReadWriteType': 'All'}, type: <class 'dict'>, valid types: <class 'list'>, <class 'tuple'>"
    );
    // Decision commands read it as the CLI does, too.
    let out = ctsel()
        .args(["filter", "--count", "-s"])
        .arg(&one)
        .write_stdin("{\"eventVersion\":\"1.08\",\"eventCategory\":\"Management\",\"managementEvent\":true,\"readOnly\":true,\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"ListBuckets\"}\n")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
}
