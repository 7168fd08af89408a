//! Matching one field's value against its operand set: the compiled
//! program's radix trie against aho-corasick's anchored automaton, at 1 and
//! at 500 values (the design card names aho-corasick; this bench decides
//! whether it earns its place).
//!
//! The program side is timed through the public `Run` API (reset, feed the
//! value, ask whether any selector can still match), so it pays for the
//! condition masks as well as the trie walk; the aho-corasick side is only
//! the search: an anchored search reports the first operand that is a
//! prefix of the value, an overlapping one (unanchored only) every one. If the program's whole step is
//! within 10% of aho-corasick's bare search, the hand-written trie stays.

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ctsel::{parse_str, validate, Field, ParseOptions, Program, ValidateOptions};
use std::hint::black_box;

fn operands(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("arn:aws:s3:::bucket-{i:03}-logs/"))
        .collect()
}

fn program(values: &[String]) -> Program {
    let list: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    let text = format!(
        r#"[{{"FieldSelectors":[{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["AWS::S3::Object"]}},{{"Field":"eventName","StartsWith":[{}]}}]}}]"#,
        list.join(",")
    );
    let doc = parse_str("bench", &text, &ParseOptions::default()).unwrap();
    Program::new(
        &validate(&doc, &ValidateOptions::default())
            .unwrap()
            .selectors,
    )
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("operands");
    for n in [1usize, 498] {
        let values = operands(n);
        let hit = format!("{}some/object/key.txt", values[n / 2]);
        let miss = "arn:aws:s3:::bucket-999-logs/some/object/key.txt".to_string();
        let p = program(&values);
        // Anchored searches report one match (leftmost-first); every
        // operand that is a prefix needs the overlapping search, which
        // aho-corasick runs unanchored only: matches starting at 0 are kept.
        let anchored = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .start_kind(StartKind::Anchored)
            .build(&values)
            .unwrap();
        let overlapping = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&values)
            .unwrap();
        for (which, value) in [("hit", &hit), ("miss", &miss)] {
            g.bench_with_input(
                BenchmarkId::new(format!("program-{which}"), n),
                value,
                |b, v| {
                    let mut run = p.run();
                    b.iter(|| {
                        run.reset();
                        run.scalar(Field::EventName, black_box(v));
                        black_box(run.is_decided())
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new(format!("aho-corasick-anchored-first-{which}"), n),
                value,
                |b, v| {
                    b.iter(|| {
                        let input = Input::new(black_box(v.as_str())).anchored(Anchored::Yes);
                        black_box(anchored.find(input).is_some())
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new(format!("aho-corasick-all-prefixes-{which}"), n),
                value,
                |b, v| {
                    b.iter(|| {
                        black_box(
                            overlapping
                                .find_overlapping_iter(black_box(v.as_str()))
                                .filter(|m| m.start() == 0)
                                .count(),
                        )
                    })
                },
            );
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
