//! Validation cost: a realistic document, and a hostile one with 1,000,000
//! values (10+ MB), which must be rejected in well under a second.

use criterion::{criterion_group, criterion_main, Criterion};
use ctsel::{check, parse_str, ParseOptions, ValidateOptions};

fn huge() -> String {
    let values: Vec<String> = (0..1_000_000).map(|i| format!("\"v{i:07}\"")).collect();
    format!(
        r#"[{{"FieldSelectors":[{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["AWS::S3::Object"]}},{{"Field":"eventName","StartsWith":[{}]}}]}}]"#,
        values.join(",")
    )
}

fn bench(c: &mut Criterion) {
    let options = ValidateOptions::default();
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/selectors/aws-docs-four-kinds.advanced.json"
    ))
    .unwrap();
    c.bench_function("validate/aws-docs-four-kinds", |b| {
        b.iter(|| {
            let doc = parse_str("x", &example, &ParseOptions::default()).unwrap();
            check(&doc, &options).0.is_valid()
        })
    });
    let text = huge();
    let mut g = c.benchmark_group("validate/hostile");
    g.sample_size(10);
    g.bench_function("1m-values-12MB", |b| {
        b.iter(|| {
            let doc = parse_str("x", &text, &ParseOptions::default()).unwrap();
            check(&doc, &options).0.is_valid()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
