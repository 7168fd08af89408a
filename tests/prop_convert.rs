//! Two implementations agree: a basic selector set and its conversion to
//! advanced selectors log exactly the same records. 5,000 generated basic
//! configurations (fixed, whatever PROPTEST_CASES says), each checked on
//! records aimed at it; every conversion also validates.

use ctsel::strategies::basic_selector_set;
use ctsel::strategies::records::record_text_for;
use ctsel::{
    basic_to_advanced, check, parse_str, ParseOptions, Program, SelectorKind, SelectorSet,
    ValidateOptions, Verdict,
};
use proptest::prelude::*;

fn kind(v: &Verdict) -> &'static str {
    v.as_str()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn converted_selectors_log_the_same_records(
        (set, records) in basic_selector_set().prop_flat_map(|set| {
            let r = proptest::collection::vec(record_text_for(&set), 6);
            (Just(set), r)
        })
    ) {
        let SelectorSet::Basic(basic) = &set else { unreachable!() };
        let advanced = SelectorSet::Advanced(basic_to_advanced(basic).unwrap());
        let text = advanced.to_json().to_string();
        let doc = parse_str("converted", &text, &ParseOptions { kind: Some(SelectorKind::Advanced), ..ParseOptions::default() }).unwrap();
        let (report, _) = check(&doc, &ValidateOptions::default());
        prop_assert!(report.is_valid(), "{:?}\n{}", report.errors, text);
        let (a, b) = (Program::new(&set), Program::new(&advanced));
        for r in &records {
            match (a.decide_bytes(r.as_bytes()), b.decide_bytes(r.as_bytes())) {
                (Ok(x), Ok(y)) => {
                    prop_assert_eq!(kind(&x), kind(&y), "{}\n{}", r, text);
                    prop_assert_eq!(x.assumed(), y.assumed(), "{}\n{:?}\n{:?}\n{}", r, x, y, text);
                }
                (Err(_), Err(_)) => {}
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }
}
