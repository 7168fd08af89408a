//! Compile cost, apart from validation (as jsonschema keeps compile and
//! validate apart): an ordinary selector set, and the largest legal one —
//! 500 values of 2,048 characters (about 1 MB of values) — which must
//! compile in well under 10 ms and a few megabytes. `benches/memory.sh`
//! measures the peak; this times it.

use criterion::{criterion_group, criterion_main, Criterion};
use ctsel::{parse_str, validate, ParseOptions, Program, SelectorSet, ValidateOptions};

/// The largest legal selector set: 500 values (two of them the mandatory
/// category and type), each as long as AWS allows.
pub fn largest_legal() -> SelectorSet {
    let values: Vec<String> = (0..498)
        .map(|i| format!("\"arn:aws:s3:::b{i:03}/{}\"", "k".repeat(2048 - 19)))
        .collect();
    let text = format!(
        r#"[{{"Name":"big","FieldSelectors":[{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["AWS::S3::Object"]}},{{"Field":"resources.ARN","StartsWith":[{}]}}]}}]"#,
        values.join(",")
    );
    let doc = parse_str("largest", &text, &ParseOptions::default()).unwrap();
    validate(&doc, &ValidateOptions::default())
        .expect("the largest legal set is valid")
        .selectors
}

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/selectors/aws-docs-four-kinds.advanced.json"
    ))
    .unwrap();
    let doc = parse_str("x", &text, &ParseOptions::default()).unwrap();
    let ordinary = validate(&doc, &ValidateOptions::default())
        .unwrap()
        .selectors;
    c.bench_function("compile/aws-docs-four-kinds", |b| {
        b.iter(|| Program::new(&ordinary))
    });
    let largest = largest_legal();
    c.bench_function("compile/largest-legal-500x2048", |b| {
        b.iter(|| Program::new(&largest))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
