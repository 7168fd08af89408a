//! A property holds: ctsel agrees with what real deployments and AWS's own
//! documentation show about which selector configurations AWS accepts.
//! Cases come from `tests/corpus/selectors` and its `index.json`.

use ctsel::{check, parse_str, ParseOptions, ValidateOptions};
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/selectors")
}

fn index() -> Vec<Value> {
    let text = std::fs::read_to_string(corpus().join("index.json")).expect("corpus index");
    serde_json::from_str::<Value>(&text)
        .expect("index is JSON")
        .as_array()
        .expect("index is a list")
        .clone()
}

/// Published trail configurations that current AWS rules reject as
/// put-event-selectors input. Both are excerpts of 2023-era
/// get-event-selectors output, which lists unused operators as `[]`;
/// botocore refuses an empty operator list (spec §2.1). The README names them.
const KNOWN_REJECTED: [&str; 2] = [
    "valid/awsdocs-archived--cloudtrail-additional-cli-commands--05.advanced.json",
    "valid/awsdocs-archived--cloudtrail-additional-cli-commands--06.advanced.json",
];

fn validate_text(name: &str, text: &str, partition: Option<&str>, all: bool) -> ctsel::Report {
    let doc = parse_str(name, text, &ParseOptions::default()).expect("corpus files are JSON");
    let options = ValidateOptions {
        partition: partition.map(String::from),
        report_all: all,
        ..ValidateOptions::default()
    };
    check(&doc, &options).0
}

#[test]
fn every_trail_configuration_in_the_corpus_validates() {
    let mut checked = 0;
    for entry in index() {
        let file = entry["file"].as_str().unwrap();
        let context = entry["context"].as_str().unwrap_or("");
        if !file.starts_with("valid/") || !context.starts_with("trail") {
            continue;
        }
        let text = std::fs::read_to_string(corpus().join(file)).unwrap();
        let report = validate_text(file, &text, None, true);
        if KNOWN_REJECTED.contains(&file) {
            assert!(!report.is_valid(), "{file} should be rejected");
            for e in &report.errors {
                assert_eq!(e.exception, "ParamValidationError", "{file}: {e}");
                assert!(
                    e.message.ends_with("value: 0, valid min length: 1"),
                    "{file}: {e}"
                );
            }
        } else {
            assert!(report.is_valid(), "{file}: {:?}", report.errors);
        }
        checked += 1;
    }
    assert!(checked >= 59, "only {checked} trail files checked");
}

#[test]
fn known_rejected_files_are_accepted_in_their_get_response_shape() {
    for file in KNOWN_REJECTED {
        let list = std::fs::read_to_string(corpus().join(file)).unwrap();
        let wrapped = format!(
            r#"{{"TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t", "AdvancedEventSelectors": {list}}}"#
        );
        let report = validate_text(file, &wrapped, None, true);
        assert!(report.is_valid(), "{file}: {:?}", report.errors);
    }
}

#[test]
fn every_invalid_corpus_file_fails_with_the_recorded_exception_and_messages() {
    let mut checked = 0;
    for entry in index() {
        let file = entry["file"].as_str().unwrap();
        if !file.starts_with("invalid/") {
            continue;
        }
        let text = std::fs::read_to_string(corpus().join(file)).unwrap();
        let partition = entry["partition"].as_str();
        let exception = entry["exception"]
            .as_str()
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        let messages: Vec<&str> = entry["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();

        // As AWS: the first error only, and it is the first recorded message.
        let first = validate_text(file, &text, partition, false);
        assert_eq!(first.errors.len(), 1, "{file}");
        assert_eq!(first.errors[0].exception, exception, "{file}");
        assert_eq!(first.errors[0].message, messages[0], "{file}");
        assert!(first.errors[0].is_verbatim(), "{file}");

        // With --all: every recorded message, in order.
        let all = validate_text(file, &text, partition, true);
        let got: Vec<&str> = all.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(got, messages, "{file}");
        checked += 1;
    }
    assert_eq!(checked, 3);
}

#[test]
fn the_govcloud_case_is_valid_in_the_aws_partition() {
    let file = "invalid/issue--aws-cdk-8247-wrong-partition-govcloud.basic.json";
    let text = std::fs::read_to_string(corpus().join(file)).unwrap();
    assert!(validate_text(file, &text, None, false).is_valid());
    assert!(validate_text(file, &text, Some("aws"), false).is_valid());
    assert!(!validate_text(file, &text, Some("aws-us-gov"), false).is_valid());
}
