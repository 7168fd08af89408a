//! Two implementations agree: the filter's fast path (early exit, SIMD
//! skipping, line-aware scanning) against the reference interpreter, on
//! generated selector sets and NDJSON buffers of records aimed at them —
//! escapes, decoys, key order, repeated keys, CRLF, blank lines, very long
//! strings, escaped newlines and damaged lines included.
//!
//! What must hold (README, "filter"): a record the reference logs is logged
//! with the same selectors; a record the reference does not log is never
//! logged; for a parseable record the three outcomes match exactly; in
//! `--validate` mode unparseable records match too.

use ctsel::input::{filter, Event, Flow, Options, Source};
use ctsel::record::{Decider, Emit, Mode};
use ctsel::strategies::records::{record_for, record_text_for, write};
use ctsel::strategies::selector_set;
use ctsel::{reference, Program, SelectorSet, Verdict};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

/// Lines of a buffer as the filter sees them, with damage and padding.
fn buffer() -> impl Strategy<Value = (SelectorSet, Vec<String>)> {
    selector_set().prop_flat_map(|set| {
        let line = (
            record_text_for(&set),
            0u8..16,
            any::<usize>(),
            any::<u8>(),
            0usize..3000,
        )
            .prop_map(|(text, how, at, byte, long)| {
                let mut b = text.into_bytes();
                match how {
                    0 => b.truncate(at % (b.len() + 1)),
                    1 => b.insert(at % (b.len() + 1), if byte == b'\n' { b'x' } else { byte }),
                    2 => {
                        // A long string in a decoy member, before the rest.
                        let pad = format!(
                            "{{\"decoy\":\"{}\\n{}\",",
                            "x".repeat(long),
                            "y".repeat(long % 7)
                        );
                        b.splice(0..1, pad.into_bytes());
                    }
                    3 => b.push(b'\r'),
                    4 => {
                        b.splice(0..0, *b"  \t");
                    }
                    _ => {}
                }
                String::from_utf8_lossy(&b).replace('\n', " ")
            });
        (Just(set), proptest::collection::vec(line, 1..30))
    })
}

fn check_line(
    set: &SelectorSet,
    fast: &Result<Verdict, String>,
    text: &str,
    validate: bool,
) -> Result<(), TestCaseError> {
    let slow = reference::decide_bytes(set, text.trim_matches([' ', '\t', '\r']).as_bytes());
    match (fast, &slow) {
        (Ok(a), Ok(b)) => {
            prop_assert_eq!(a.as_str(), b.as_str(), "{}", text);
            prop_assert_eq!(a.selectors(), b.selectors(), "{}", text);
        }
        (Err(_), Err(_)) => {}
        (Ok(a), Err(_)) if !validate => {
            prop_assert!(!a.is_logged(), "logged an unparseable record: {}", text)
        }
        _ => prop_assert!(false, "fast {:?} vs reference {:?}: {}", fast, slow, text),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn fast_line_decider_agrees_with_reference((set, lines) in buffer(), validate in any::<bool>(), crlf in any::<bool>()) {
        let program = Program::new(&set);
        let mode = if validate { Mode::Validate } else { Mode::Fast };
        let mut d = Decider::new(&program, mode);
        let sep = if crlf { "\r\n" } else { "\n" };
        let buf = lines.join(sep) + "\n\n";
        let mut i = 0;
        let mut seen = 0;
        while i < buf.len() {
            let line = d.decide_line(buf.as_bytes(), i, Emit::Logged);
            let text = &buf[i..line.end];
            if let Some(v) = line.verdict {
                let v = v.map_err(|e| e.to_string());
                check_line(&set, &v, text, validate)?;
                // The record range is the trimmed line.
                prop_assert_eq!(&buf[line.record.clone()], text.trim_matches([' ', '\t', '\r']));
                seen += 1;
            } else {
                prop_assert!(text.trim_matches([' ', '\t', '\r']).is_empty());
            }
            i = line.end + 1;
        }
        prop_assert_eq!(seen, lines.iter().filter(|l| !l.trim_matches([' ', '\t', '\r']).is_empty()).count());
    }

    /// Insight records whose category comes last, as in CloudTrail's key
    /// order: the fast path often rejects them before reading it, and must
    /// still find them not governed (the writer sometimes escapes it).
    #[test]
    fn late_insight_category_is_not_governed_through_the_fast_path(
        (set, record) in selector_set().prop_flat_map(|set| {
            let r = record_for(&set);
            (Just(set), r)
        }),
        seed in any::<u64>(),
        by_type in any::<bool>(),
    ) {
        let serde_json::Value::Object(mut m) = record else {
            return Err(TestCaseError::reject("not an object"));
        };
        m.shift_remove("eventCategory");
        if by_type {
            m.shift_remove("eventType");
            m.insert("eventType".into(), "AwsCloudTrailInsight".into());
        } else {
            m.insert("eventCategory".into(), "Insight".into());
        }
        let text = write(&serde_json::Value::Object(m), seed);
        let program = Program::new(&set);
        let mut d = Decider::new(&program, Mode::Fast);
        let line = d.decide_line(text.as_bytes(), 0, Emit::Logged);
        prop_assert_eq!(line.end, text.len());
        let v = line.verdict.unwrap().map_err(|e| e.to_string());
        check_line(&set, &v, &text, false)?;
        if !by_type {
            prop_assert_eq!(v.unwrap(), Verdict::NotGoverned, "{}", text);
        }
    }

    #[test]
    fn stream_filter_emits_exactly_what_the_reference_logs((set, lines) in buffer(), jobs in 1usize..4, chunk in 4096usize..20000) {
        let program = Program::new(&set);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.ndjson");
        std::fs::write(&path, lines.join("\n")).unwrap();
        let mut options = Options::default();
        options.jobs = jobs;
        options.chunk = chunk;
        options.rejects = true;
        let mut out = Vec::new();
        let mut rejects = Vec::new();
        let counts = filter(&program, &[Source::File(path)], &options, &mut |e| {
            match e {
                Event::Output(b) => out.extend_from_slice(b),
                Event::Rejects(b) => rejects.extend_from_slice(b),
                _ => {}
            }
            Flow::Continue
        });
        let expected: Vec<&str> = lines
            .iter()
            .map(|l| l.trim_matches([' ', '\t', '\r']))
            .filter(|l| reference::decide_bytes(&set, l.as_bytes()).is_ok_and(|v| v.is_logged()))
            .collect();
        let got: Vec<&str> = std::str::from_utf8(&out).unwrap().lines().collect();
        prop_assert_eq!(got, expected);
        prop_assert!(counts.balanced());
        prop_assert_eq!(counts.records as usize, lines.iter().filter(|l| !l.trim_matches([' ', '\t', '\r']).is_empty()).count());
        prop_assert_eq!(rejects.iter().filter(|b| **b == b'\n').count() as u64, counts.unparseable);
    }
}
