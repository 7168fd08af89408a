//! Two implementations agree: on generated selector sets and records aimed
//! at them, the compiled program (through the record scanner) and the
//! reference interpreter (through serde_json) give the same verdict —
//! matching selectors and `assumed` flag included — or both find the
//! record unparseable.
//!
//! Each case is one selector set and 40 records, so the default 256 cases
//! check 10,240 pairs.

use ctsel::strategies::records::record_text_for;
use ctsel::strategies::selector_set;
use ctsel::{reference, Program, SelectorSet};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

fn agree(program: &Program, set: &SelectorSet, text: &[u8]) -> Result<(), TestCaseError> {
    let fast = program.decide_bytes(text).map_err(|e| e.to_string());
    let slow = reference::decide_bytes(set, text);
    match (&fast, &slow) {
        (Ok(a), Ok(b)) => {
            prop_assert_eq!(a, b, "{}\n{}", String::from_utf8_lossy(text), program.ir())
        }
        (Err(_), Err(_)) => {}
        _ => prop_assert!(
            false,
            "scanner {:?} vs reference {:?}\n{}",
            fast,
            slow,
            String::from_utf8_lossy(text)
        ),
    }
    Ok(())
}

fn set_and_records() -> impl Strategy<Value = (SelectorSet, Vec<String>)> {
    selector_set().prop_flat_map(|set| {
        let records = proptest::collection::vec(record_text_for(&set), 40);
        (Just(set), records)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn program_agrees_with_reference((set, records) in set_and_records()) {
        let program = Program::new(&set);
        for r in &records {
            agree(&program, &set, r.as_bytes())?;
        }
    }

    #[test]
    fn damaged_records_are_unparseable_for_both_or_decided_alike(
        (set, records) in set_and_records(),
        cuts in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..4), 40),
    ) {
        let program = Program::new(&set);
        for (r, (at, byte, how)) in records.iter().zip(cuts) {
            let mut b = r.clone().into_bytes();
            let at = at % (b.len() + 1);
            match how {
                0 => b.truncate(at),
                1 => b.insert(at, byte),
                2 => if at < b.len() { b[at] = byte } ,
                _ => b.insert(at, b'\\'),
            }
            agree(&program, &set, &b)?;
        }
    }
}

#[test]
fn program_is_send_sync_and_unwind_safe() {
    fn check<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    check::<Program>();
    check::<SelectorSet>();
    check::<ctsel::Verdict>();
}

#[test]
fn generated_cases_cover_every_outcome() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut logged, mut not_logged, mut governed_not, mut assumed, mut several, mut total) =
        (0, 0, 0, 0, 0, 0);
    for _ in 0..300 {
        let (set, records) = set_and_records().new_tree(&mut runner).unwrap().current();
        let program = Program::new(&set);
        for r in records {
            let v = program.decide_bytes(r.as_bytes()).unwrap();
            total += 1;
            match &v {
                ctsel::Verdict::Logged { selectors, .. } => {
                    logged += 1;
                    several += usize::from(selectors.len() > 1);
                }
                ctsel::Verdict::NotLogged { .. } => not_logged += 1,
                ctsel::Verdict::NotGoverned => governed_not += 1,
            }
            assumed += usize::from(v.assumed());
        }
    }
    eprintln!("logged {logged} not_logged {not_logged} not_governed {governed_not} assumed {assumed} several {several} of {total}");
    assert!(logged * 10 > total, "logged {logged} of {total}");
    assert!(
        not_logged * 10 > total,
        "not logged {not_logged} of {total}"
    );
    assert!(governed_not * 50 > total && assumed * 20 > total && several > 0);
}
