//! Large regular files are mapped rather than read. What must hold: the
//! verdicts are those of reading (the same output, counts and line
//! numbers), and a file that shrinks while mapped ends that source with an
//! error naming the shrink, after the records before it, and not the
//! process.

use ctsel::input::{filter, Event, Flow, InputErrorKind, Options, Source};
use ctsel::{parse_str, validate, ParseOptions, Program, ValidateOptions};
use std::io::Write;

fn program() -> Program {
    let text = r#"[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true}]"#;
    let doc = parse_str("sel.json", text, &ParseOptions::default()).unwrap();
    Program::new(
        &validate(&doc, &ValidateOptions::default())
            .unwrap()
            .selectors,
    )
}

/// `n` management events, every third one a write, one per line; one
/// damaged line in the middle.
fn ndjson(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        if i == n / 2 {
            out.extend_from_slice(b"{\"eventVersion\": \n");
            continue;
        }
        writeln!(
            out,
            r#"{{"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"Run{i}","eventCategory":"Management","readOnly":{},"managementEvent":true,"padding":"{}"}}"#,
            i % 3 != 0,
            "p".repeat(i % 200)
        )
        .unwrap();
    }
    out
}

struct Run {
    out: Vec<u8>,
    bad: Vec<String>,
    errors: Vec<(InputErrorKind, String)>,
    counts: ctsel::input::Counts,
}

fn run(path: &std::path::Path, map: bool, jobs: usize, mut during: impl FnMut()) -> Run {
    let mut options = Options::default();
    options.map = map.then_some(1 << 20);
    options.jobs = jobs;
    options.chunk = 64 << 10;
    let mut r = Run {
        out: Vec::new(),
        bad: Vec::new(),
        errors: Vec::new(),
        counts: Default::default(),
    };
    r.counts = filter(
        &program(),
        &[Source::File(path.into())],
        &options,
        &mut |e| {
            match e {
                Event::Output(b) => {
                    r.out.extend_from_slice(b);
                    during();
                }
                Event::Unparseable { at, message, .. } => r.bad.push(format!("{at:?} {message}")),
                Event::SourceError { kind, message, .. } => r.errors.push((kind, message.into())),
                _ => {}
            }
            Flow::Continue
        },
    );
    r
}

#[test]
fn mapping_decides_as_reading_does() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ndjson");
    let data = ndjson(60_000);
    assert!(data.len() > 8 << 20, "large enough to be mapped and split");
    std::fs::write(&path, &data).unwrap();
    for jobs in [1, 3] {
        let read = run(&path, false, jobs, || {});
        let mapped = run(&path, true, jobs, || {});
        assert_eq!(read.counts.records, 60_000);
        // Every third is a write; the damaged line took the place of one.
        assert_eq!(read.counts.logged, 19_999);
        assert_eq!(read.counts.unparseable, 1);
        assert_eq!(mapped.out, read.out, "jobs {jobs}");
        assert_eq!(mapped.bad, read.bad, "jobs {jobs}");
        assert_eq!(mapped.counts, read.counts, "jobs {jobs}");
        assert!(mapped.errors.is_empty() && read.errors.is_empty());
    }
}

#[test]
fn a_file_shrinking_while_mapped_ends_its_source_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ndjson");
    let data = ndjson(40_000);
    std::fs::write(&path, &data).unwrap();
    let cut = (data.len() / 4) as u64;
    let mut done = false;
    let writer = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let r = run(&path, true, 1, || {
        if !std::mem::replace(&mut done, true) {
            writer.set_len(cut).unwrap();
        }
    });
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    let (kind, message) = &r.errors[0];
    assert_eq!(*kind, InputErrorKind::Truncated);
    assert!(
        message.contains(&format!("shrank to {cut} bytes")),
        "{message}"
    );
    // What was there before the cut was decided; nothing after it.
    let lines = data[..cut as usize].iter().filter(|b| **b == b'\n').count() as u64;
    assert!(
        r.counts.records >= lines && r.counts.records <= lines + 1,
        "{} vs {lines}",
        r.counts.records
    );
    assert!(r.counts.balanced());
}
