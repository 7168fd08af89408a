//! The containment procedure at the trail limit: 5 advanced selectors with
//! 500 values in total on each side, in three shapes: prefixes only (the
//! common bucket list), prefixes and suffixes on one field (the largest
//! candidate set: every prefix × every suffix), and a cost cut that drops
//! one value (so a witness must be found).

use criterion::{criterion_group, criterion_main, Criterion};
use ctsel::{
    contains, equivalent, parse_str, validate, ParseOptions, SelectorSet, ValidateOptions,
};

fn selectors(per: usize, suffixes: bool, drop_last: bool) -> SelectorSet {
    let mut items = Vec::new();
    for s in 0..5 {
        let n = if drop_last && s == 4 { per - 1 } else { per };
        let prefixes: Vec<String> = (0..n)
            .map(|i| format!("\"arn:aws:s3:::bucket-{s}-{i:03}/\""))
            .collect();
        let mut arn = format!(
            r#"{{"Field":"resources.ARN","StartsWith":[{}]"#,
            prefixes.join(",")
        );
        if suffixes {
            let ends: Vec<String> = (0..n).map(|i| format!("\".{s}{i:03}\"")).collect();
            arn.push_str(&format!(r#","NotEndsWith":[{}]"#, ends.join(",")));
        }
        arn.push('}');
        items.push(format!(
            r#"{{"FieldSelectors":[{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["AWS::S3::Object"]}},{arn}]}}"#
        ));
    }
    let text = format!("[{}]", items.join(","));
    let doc = parse_str("bench", &text, &ParseOptions::default()).unwrap();
    validate(&doc, &ValidateOptions::default())
        .unwrap()
        .selectors
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("contain");
    g.sample_size(10);
    let a = selectors(98, false, false);
    g.bench_function("490-prefixes/equivalent", |b| {
        b.iter(|| assert!(equivalent(&a, &a).unwrap().holds()))
    });
    let cut = selectors(98, false, true);
    g.bench_function("490-prefixes/one-value-cut", |b| {
        b.iter(|| assert!(!contains(&cut, &a).unwrap().holds()))
    });
    let both = selectors(49, true, false);
    g.bench_function("245-prefixes-245-suffixes/equivalent", |b| {
        b.iter(|| assert!(equivalent(&both, &both).unwrap().holds()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
