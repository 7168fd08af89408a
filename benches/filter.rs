//! The filter's hot path in isolation: scanning and deciding generated
//! CloudTrail lines already in memory, fast path against the validating
//! scanner (the naive baseline), with the seed selector.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ctsel::record::{Decider, Emit, Mode};
use ctsel::{parse_str, validate, Program};
use std::hint::black_box;
use std::process::Command;

fn data() -> Vec<u8> {
    // 20 MB from the same deterministic generator the comparison script uses.
    let out = Command::new(env!("CARGO"))
        .args([
            "run",
            "--release",
            "--quiet",
            "--example",
            "generate",
            "--",
            "20",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run the generator");
    out.stdout
}

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/selectors/put-delete-all-but-one-bucket.json"
    ))
    .unwrap();
    let doc = parse_str("seed", &text, &Default::default()).unwrap();
    let program = Program::new(&validate(&doc, &Default::default()).unwrap().selectors);
    let buf = data();
    let mut g = c.benchmark_group("filter/seed-selector");
    g.throughput(Throughput::Bytes(buf.len() as u64));
    g.sample_size(10);
    for (name, mode) in [("fast", Mode::Fast), ("validating", Mode::Validate)] {
        let mut d = Decider::new(&program, mode);
        g.bench_function(name, |b| {
            b.iter(|| {
                let (mut i, mut n) = (0, 0u64);
                while i < buf.len() {
                    let l = d.decide_line(&buf, i, Emit::Logged);
                    n += u64::from(matches!(l.verdict, Some(Ok(ref v)) if v.is_logged()));
                    i = l.end + 1;
                }
                black_box(n)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
