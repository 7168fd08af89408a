//! Records: the compiled program (through the validating scanner) and the
//! reference interpreter (through serde_json) agree on every input: the
//! same verdict, or both unparseable. The filter's fast path never logs a
//! record the reference does not, and agrees on every parseable record.
#![no_main]

use ctsel::record::{Decider, Emit, Mode};
use ctsel::{parse_str, reference, validate, Program, SelectorSet};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn sets() -> &'static [(SelectorSet, Program)] {
    static SETS: OnceLock<Vec<(SelectorSet, Program)>> = OnceLock::new();
    SETS.get_or_init(|| {
        [
            include_str!("../../selectors/put-delete-all-but-one-bucket.json"),
            include_str!("../../selectors/aws-docs-four-kinds.advanced.json"),
            include_str!("../../selectors/terraform-s3-and-lambda.basic.json"),
            include_str!("../../selectors/dynamodb-console-users.advanced.json"),
            include_str!("../../selectors/exclude-kms-and-rdsdata.basic.json"),
        ]
        .iter()
        .map(|text| {
            let doc = parse_str("fuzz", text, &Default::default()).expect("shipped selectors parse");
            let set = validate(&doc, &Default::default()).expect("shipped selectors are valid").selectors;
            let program = Program::new(&set);
            (set, program)
        })
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    for (set, program) in sets() {
        let fast = program.decide_bytes(data);
        let slow = reference::decide_bytes(set, data);
        match (&fast, &slow) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(_), Err(_)) => {}
            _ => panic!("scanner {fast:?} vs reference {slow:?}"),
        }
        for mode in [Mode::Fast, Mode::Validate] {
            let mut d = Decider::new(program, mode);
            let line = d.decide_line(data, 0, Emit::Logged);
            if line.end != data.len() {
                continue; // several lines: not one record
            }
            let Some(v) = line.verdict else { continue };
            let record = &data[line.record.clone()];
            match (v, reference::decide_bytes(set, record)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.as_str(), b.as_str());
                    assert_eq!(a.selectors(), b.selectors());
                }
                (Err(_), Err(_)) => {}
                (Ok(a), Err(_)) => assert!(mode == Mode::Fast && !a.is_logged(), "{a:?}"),
                (Err(e), Ok(b)) => panic!("fast path says unparseable ({e}), reference {b:?}"),
            }
        }
    }
});
