//! A property holds, for each engine: every worked example of spec §5
//! (`tests/cases/worked_examples.json`) gets the spec's decision, through
//! the compiled program and through the reference interpreter alike. The
//! two validation-only examples (8, 20) are in `validate_rules.rs`; they
//! are repeated here through the file-level API.

use ctsel::{check, parse_str, reference, ParseOptions, Program, SelectorSet, ValidateOptions};
use serde_json::Value;

fn selectors(v: &Value) -> SelectorSet {
    if v.is_null() {
        return SelectorSet::trail_default();
    }
    let doc = parse_str("example", &v.to_string(), &ParseOptions::default()).unwrap();
    let (report, set) = check(&doc, &ValidateOptions::default());
    assert!(report.is_valid(), "{:?}", report.errors);
    set.unwrap()
}

#[test]
fn worked_examples_through_both_engines() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cases/worked_examples.json"
    ))
    .unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), 27);
    for case in cases {
        let id = case["example"].as_str().unwrap();
        let set = selectors(&case["selectors"]);
        let record = case["record"].to_string();
        let program = Program::new(&set);
        let engines = [
            ("program", program.decide_bytes(record.as_bytes()).unwrap()),
            (
                "reference",
                reference::decide_bytes(&set, record.as_bytes()).unwrap(),
            ),
        ];
        for (engine, v) in engines {
            assert_eq!(v.as_str(), case["verdict"], "example {id} ({engine})");
            let want: Vec<u32> = case["selectors_matched"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u32)
                .collect();
            assert_eq!(v.selectors(), want.as_slice(), "example {id} ({engine})");
            assert_eq!(v.assumed(), case["assumed"], "example {id} ({engine})");
        }
    }
}

#[test]
fn validation_examples_8_and_20() {
    let reject = |json: &str| {
        let doc = parse_str("x", json, &ParseOptions::default()).unwrap();
        check(&doc, &ValidateOptions::default()).0.errors[0].to_string()
    };
    assert_eq!(
        reject(r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::bucket-1"]}]}]"#),
        "InvalidEventSelectorsException: Value arn:aws:s3:::bucket-1 for DataResources.Values is invalid."
    );
    assert_eq!(
        reject(r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"eventName","Equals":["CreateUser"]}]}]"#),
        "InvalidEventSelectorsException: The following field is not allowed when the eventCategory field value equals Management: eventName."
    );
}
