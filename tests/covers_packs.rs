//! `ctsel covers` and the requirement packs: for every pack entry a
//! configuration that covers it, one that does not (with witnesses the
//! compiled program confirms), and one pair of trails that covers it only
//! together.

mod common;

use common::ctsel;
use ctsel::{
    covers, parse_str, requirements, validate, ParseOptions, SelectorSet, ValidateOptions,
};
use serde_json::Value;

fn set(text: &str) -> SelectorSet {
    let doc = parse_str("fixture", text, &ParseOptions::default()).expect("parses");
    validate(&doc, &ValidateOptions::default())
        .unwrap_or_else(|r| panic!("fixture AWS would reject: {text}\n{r:?}"))
        .selectors
}

const ALL: &str = r#"[{"ReadWriteType": "All", "IncludeManagementEvents": true}]"#;
const READS: &str = r#"[{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": true}]"#;
const WRITES: &str = r#"[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true}]"#;
const NO_KMS: &str =
    r#"[{"ReadWriteType": "All", "ExcludeManagementEventSources": ["kms.amazonaws.com"]}]"#;
const NO_RDSDATA: &str =
    r#"[{"ReadWriteType": "All", "ExcludeManagementEventSources": ["rdsdata.amazonaws.com"]}]"#;
const NO_KMS_NOR_RDSDATA: &str = r#"[{"ReadWriteType": "All", "ExcludeManagementEventSources": ["kms.amazonaws.com", "rdsdata.amazonaws.com"]}]"#;

fn s3(read_only: Option<&str>, arn: Option<(&str, &str)>) -> String {
    let ro = read_only
        .map(|v| format!(r#",{{"Field": "readOnly", "Equals": ["{v}"]}}"#))
        .unwrap_or_default();
    let arn = arn
        .map(|(op, v)| format!(r#",{{"Field": "resources.ARN", "{op}": ["{v}"]}}"#))
        .unwrap_or_default();
    format!(
        r#"[{{"Name": "s3", "FieldSelectors": [{{"Field": "eventCategory", "Equals": ["Data"]}},
            {{"Field": "resources.type", "Equals": ["AWS::S3::Object"]}}{ro}{arn}]}}]"#
    )
}

const S3_ALL_BASIC: &str = r#"[{"ReadWriteType": "All", "IncludeManagementEvents": false,
    "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]"#;

/// (covered alone, not covered, covered only together) for an entry.
fn fixtures(id: &str) -> (Vec<String>, Vec<String>, [String; 2]) {
    let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    if id.contains("kms-rdsdata") {
        return (
            v(&[ALL]),
            v(&[NO_KMS_NOR_RDSDATA]),
            [NO_KMS.into(), NO_RDSDATA.into()],
        );
    }
    if id.contains("write") || id.ends_with("S3.22") || id.ends_with(":3.8") {
        return (
            vec![S3_ALL_BASIC.to_string()],
            vec![s3(Some("true"), None)],
            [
                s3(
                    Some("false"),
                    Some(("NotStartsWith", "arn:aws:s3:::logs-bucket/")),
                ),
                s3(None, Some(("StartsWith", "arn:aws:s3:::logs-bucket/"))),
            ],
        );
    }
    if id.contains("read") || id.ends_with("S3.23") || id.ends_with(":3.9") {
        return (
            vec![s3(None, None)],
            vec![s3(Some("false"), None)],
            [
                s3(Some("true"), Some(("NotStartsWith", "arn:aws:s3:::a"))),
                s3(Some("true"), Some(("StartsWith", "arn:aws:s3:::a"))),
            ],
        );
    }
    // Read and write management events.
    (v(&[ALL]), v(&[WRITES]), [READS.into(), WRITES.into()])
}

fn refs(xs: &[SelectorSet]) -> Vec<&SelectorSet> {
    xs.iter().collect()
}

#[test]
fn every_pack_entry_has_a_covered_an_uncovered_and_a_together_case() {
    let all = requirements("aws").unwrap();
    assert!(all.len() >= 10);
    for r in &all {
        let (alone, missing, together) = fixtures(&r.id);
        let sets = |xs: &[String]| xs.iter().map(|x| set(x)).collect::<Vec<_>>();
        let a = sets(&alone);
        assert!(
            covers(&r.selectors, &refs(&a)).unwrap().covered(),
            "{}",
            r.id
        );
        let m = sets(&missing);
        let c = covers(&r.selectors, &refs(&m)).unwrap();
        assert!(!c.covered(), "{}", r.id);
        for g in &c.gaps {
            assert!(g.requirement.is_logged());
            assert!(g.configurations.iter().all(|v| !v.is_logged()));
        }
        let t = sets(&together);
        assert!(
            covers(&r.selectors, &refs(&t)).unwrap().covered(),
            "{}",
            r.id
        );
        for one in &t {
            assert!(!covers(&r.selectors, &[one]).unwrap().covered(), "{}", r.id);
        }
    }
}

#[test]
fn not_equals_on_a_bucket_is_not_not_starts_with() {
    let req = ctsel::requirement("securityhub:S3.22", "aws")
        .unwrap()
        .unwrap();
    // NotEquals excludes one ARN, the bucket's own with a slash, which no
    // object has; NotStartsWith excludes every object in the bucket.
    let eq = set(&s3(None, Some(("NotEquals", "arn:aws:s3:::logs-bucket/"))));
    let sw = set(&s3(
        None,
        Some(("NotStartsWith", "arn:aws:s3:::logs-bucket/")),
    ));
    let arn = |s: &SelectorSet| {
        let c = covers(&req.selectors, &[s]).unwrap();
        assert_eq!(c.gaps.len(), 1);
        c.gaps[0].record["resources"][0]["ARN"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(arn(&eq), "arn:aws:s3:::logs-bucket/");
    assert_eq!(arn(&sw), "arn:aws:s3:::logs-bucket/x");
}

#[test]
fn cli_reports_coverage_with_exit_codes_and_witnesses() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let reads = write("reads.json", READS);
    let writes = write("writes.json", WRITES);
    // Two trails, together.
    let out = ctsel()
        .args([
            "covers",
            "--format",
            "json",
            "--require",
            "securityhub:CloudTrail.1",
        ])
        .arg(&reads)
        .arg(&writes)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["covered"], true);
    assert_eq!(v["proved"], true);
    assert_eq!(v["trail_checks"][0]["status"], "not_checked");
    // One alone: a witness, confirmed by match.
    let out = ctsel()
        .args([
            "covers",
            "--format",
            "json",
            "--require",
            "securityhub:CloudTrail.1",
        ])
        .arg(&reads)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["covered"], false);
    let record = v["witnesses"][0]["record"].to_string();
    let m = ctsel()
        .args(["match", "-s"])
        .arg(&reads)
        .write_stdin(record)
        .output()
        .unwrap();
    let verdict: Value = serde_json::from_slice(&m.stdout).unwrap();
    assert_eq!(verdict["verdict"], "not_logged");
    // A trail document that is not multi-Region fails the property.
    let trail = write(
        "trail.json",
        r#"{"trailList": [{"Name": "t", "IsMultiRegionTrail": false}]}"#,
    );
    let out = ctsel()
        .args([
            "covers",
            "--format",
            "sarif",
            "--require",
            "securityhub:CloudTrail.1",
            "--trail",
        ])
        .arg(&trail)
        .arg(&reads)
        .arg(&writes)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert!(results[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("multi_region"));
    // A selector file as the requirement; an unknown id is an error.
    ctsel()
        .args(["covers", "--require"])
        .arg(&writes)
        .arg(&reads)
        .arg(&writes)
        .assert()
        .code(0);
    ctsel()
        .args(["covers", "--require", "nosuch:entry"])
        .arg(&reads)
        .assert()
        .code(2);
    let list = ctsel()
        .args(["covers", "--list", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert!(v["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["source"].as_str().is_some_and(|s| !s.is_empty())));
}
