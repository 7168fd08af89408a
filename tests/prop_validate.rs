//! Properties of validation over generated selector sets (ctsel's public
//! strategies), up to the 5/250/500 limits:
//! 1. every valid set is accepted, and validation gives back the same set;
//! 2. the same set with one injected defect is rejected, and the first
//!    diagnostic's pointer lands on the defect.

use ctsel::strategies::selector_set;
use ctsel::{check, parse_str, ParseOptions, SelectorKind, SelectorSet, ValidateOptions};
use proptest::prelude::*;
use serde_json::{json, Value};

fn run(text: &str, kind: SelectorKind) -> ctsel::Report {
    let doc = parse_str(
        "gen.json",
        text,
        &ParseOptions {
            kind: Some(kind),
            ..ParseOptions::default()
        },
    )
    .expect("generated text is JSON");
    check(&doc, &ValidateOptions::default()).0
}

const ALL_FORMS: [&str; 4] = [
    "arn:aws:s3",
    "arn:aws:s3:::",
    "arn:aws:lambda",
    "arn:aws:dynamodb",
];

/// Pointers of every value in traversal order, for the count limits.
fn value_pointers(list: &Value, kind: SelectorKind) -> Vec<String> {
    let mut out = Vec::new();
    for (i, s) in list.as_array().unwrap().iter().enumerate() {
        match kind {
            SelectorKind::Basic => {
                for (j, d) in s["DataResources"].as_array().unwrap().iter().enumerate() {
                    for (k, v) in d["Values"].as_array().unwrap().iter().enumerate() {
                        if !ALL_FORMS.contains(&v.as_str().unwrap()) {
                            out.push(format!("/{i}/DataResources/{j}/Values/{k}"));
                        }
                    }
                }
            }
            SelectorKind::Advanced => {
                for (j, f) in s["FieldSelectors"].as_array().unwrap().iter().enumerate() {
                    for (op, vals) in f.as_object().unwrap() {
                        if op == "Field" {
                            continue;
                        }
                        for k in 0..vals.as_array().unwrap().len() {
                            out.push(format!("/{i}/FieldSelectors/{j}/{op}/{k}"));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Applies defect `which` at a place chosen by `a`, `b`, `c`; returns the
/// pointer the first diagnostic must carry, or `None` when the defect does
/// not apply to this set.
fn inject(
    list: &mut Value,
    kind: SelectorKind,
    which: u8,
    a: usize,
    b: usize,
    c: usize,
) -> Option<String> {
    let n = list.as_array().unwrap().len();
    let i = a % n;
    match kind {
        SelectorKind::Basic => {
            let sel = &mut list[i];
            match which % 8 {
                0 => {
                    sel["ReadWriteType"] = json!("readonly");
                    Some(format!("/{i}/ReadWriteType"))
                }
                1 => {
                    sel["IncludeManagementEvents"] = json!("true");
                    Some(format!("/{i}/IncludeManagementEvents"))
                }
                2 | 3 => {
                    let drs = sel["DataResources"].as_array_mut().unwrap();
                    if drs.is_empty() {
                        return None;
                    }
                    let j = b % drs.len();
                    if which % 8 == 2 {
                        drs[j]["Type"] = json!("AWS::SQS::Queue");
                        return Some(format!("/{i}/DataResources/{j}/Type"));
                    }
                    let bad = match drs[j]["Type"].as_str().unwrap() {
                        "AWS::S3::Object" => "arn:aws:s3:::no-slash",
                        "AWS::Lambda::Function" => "arn:aws:lambda:*",
                        _ => "arn:aws:dynamodb:*",
                    };
                    let values = drs[j]["Values"].as_array_mut().unwrap();
                    let k = if values.is_empty() {
                        0
                    } else {
                        c % values.len()
                    };
                    if values.is_empty() {
                        values.push(json!(bad));
                    } else {
                        values[k] = json!(bad);
                    }
                    Some(format!("/{i}/DataResources/{j}/Values/{k}"))
                }
                4 => {
                    sel["ExcludeManagementEventSources"] = json!(["s3.amazonaws.com"]);
                    Some(format!("/{i}/ExcludeManagementEventSources/0"))
                }
                5 => {
                    sel["Foo"] = json!(1);
                    Some(format!("/{i}/Foo"))
                }
                6 => {
                    if n != 5 {
                        return None;
                    }
                    list.as_array_mut().unwrap().push(json!({}));
                    Some("/5".to_string())
                }
                _ => {
                    // One value past the 250 limit.
                    let counted = value_pointers(list, kind).len();
                    if counted != 250 {
                        return None;
                    }
                    list[i]["DataResources"].as_array_mut().unwrap().push(
                        json!({"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::one-more/"]}),
                    );
                    Some(value_pointers(list, kind)[250].clone())
                }
            }
        }
        SelectorKind::Advanced => {
            let fields = list[i]["FieldSelectors"].as_array_mut().unwrap();
            let m = fields.len();
            let j = b % m;
            let is_category = fields[j]["Field"] == "eventCategory";
            match which % 7 {
                0 => {
                    if is_category {
                        fields[j]["Equals"] = json!(["Insight"]);
                        Some(format!("/{i}/FieldSelectors/{j}/Equals/0"))
                    } else {
                        fields[j]["Field"] = json!("eventNme");
                        Some(format!("/{i}/FieldSelectors/{j}/Field"))
                    }
                }
                1 => {
                    let obj = fields[j].as_object_mut().unwrap();
                    let op = obj.keys().find(|k| *k != "Field").unwrap().clone();
                    let vals = obj[&op].as_array_mut().unwrap();
                    let k = c % vals.len();
                    vals[k] = json!("");
                    Some(format!("/{i}/FieldSelectors/{j}/{op}/{k}"))
                }
                2 => {
                    fields.retain(|f| f["Field"] != "eventCategory");
                    if fields.is_empty() {
                        return None;
                    }
                    Some(format!("/{i}/FieldSelectors"))
                }
                3 => {
                    let obj = fields[j].as_object_mut().unwrap();
                    let op = obj.keys().find(|k| *k != "Field").unwrap().clone();
                    let vals = obj.remove(&op).unwrap();
                    obj.insert("Equal".into(), vals);
                    Some(format!("/{i}/FieldSelectors/{j}/Equal"))
                }
                4 => {
                    let cat = fields
                        .iter()
                        .position(|f| f["Field"] == "eventCategory")
                        .unwrap();
                    let vals = fields[cat]
                        .as_object_mut()
                        .unwrap()
                        .remove("Equals")
                        .unwrap();
                    fields[cat]["StartsWith"] = vals;
                    Some(format!("/{i}/FieldSelectors/{cat}/StartsWith"))
                }
                5 => {
                    let copy = fields[j].clone();
                    fields.push(copy);
                    Some(format!("/{i}/FieldSelectors/{m}/Field"))
                }
                _ => {
                    // One value past the 500 limit, on a field that takes several.
                    if value_pointers(list, kind).len() != 500 {
                        return None;
                    }
                    let last = n - 1;
                    let fields = list[last]["FieldSelectors"].as_array_mut().unwrap();
                    let arn = fields.iter_mut().find(|f| f["Field"] == "resources.ARN")?;
                    let op = arn
                        .as_object()
                        .unwrap()
                        .keys()
                        .find(|k| *k != "Field")
                        .unwrap()
                        .clone();
                    arn[&op]
                        .as_array_mut()
                        .unwrap()
                        .push(json!("arn:aws:s3:::one-more/"));
                    Some(value_pointers(list, kind)[500].clone())
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn every_generated_set_is_accepted_and_round_trips(set in selector_set()) {
        let text = serde_json::to_string_pretty(&set.to_json()).unwrap();
        let doc = parse_str("gen.json", &text, &ParseOptions { kind: Some(set.kind()), ..ParseOptions::default() }).unwrap();
        let (report, back) = check(&doc, &ValidateOptions::default());
        prop_assert!(report.is_valid(), "{:?}\n{}", report.errors, text);
        prop_assert_eq!(back, Some(set));
    }

    #[test]
    fn an_injected_defect_is_rejected_at_its_pointer(
        set in selector_set(),
        which in any::<u8>(),
        a in any::<usize>(), b in any::<usize>(), c in any::<usize>(),
    ) {
        let kind = set.kind();
        let mut list = set.to_json();
        let Some(expected) = inject(&mut list, kind, which, a, b, c) else {
            return Ok(());
        };
        let text = serde_json::to_string_pretty(&list).unwrap();
        let report = run(&text, kind);
        prop_assert!(!report.is_valid(), "defect {} accepted:\n{}", which, text);
        prop_assert_eq!(report.errors[0].pointer.as_str(), expected.as_str(), "{:?}\n{}", report.errors[0], text);
    }
}

#[test]
fn the_limits_are_reached() {
    // The strategies must produce sets exactly at the 250 and 500 limits.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut at_250, mut at_500, mut five) = (false, false, false);
    for _ in 0..400 {
        let set = selector_set().new_tree(&mut runner).unwrap().current();
        let kind = set.kind();
        let n = value_pointers(&set.to_json(), kind).len();
        match &set {
            SelectorSet::Basic(v) => {
                at_250 |= n == 250;
                five |= v.len() == 5;
            }
            SelectorSet::Advanced(_) => at_500 |= n == 500,
        }
    }
    assert!(
        at_250 && at_500 && five,
        "250: {at_250}, 500: {at_500}, 5 selectors: {five}"
    );
}
