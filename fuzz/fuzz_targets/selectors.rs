//! Selector documents: parsing and validation never panic, diagnostics
//! point inside the text, and a valid set compiles and round-trips.
#![no_main]

use ctsel::{check, parse_bytes, parse_str, ParseOptions, Program, SelectorKind, ValidateOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for kind in [None, Some(SelectorKind::Basic), Some(SelectorKind::Advanced)] {
        let parse = ParseOptions { kind, ..ParseOptions::default() };
        let Ok(doc) = parse_bytes("fuzz", data, &parse) else { continue };
        let options = ValidateOptions { report_all: true, ..ValidateOptions::default() };
        let (report, set) = check(&doc, &options);
        assert_eq!(report.is_valid(), set.is_some());
        for d in report.errors.iter().chain(&report.warnings) {
            assert!(d.span.end as usize <= doc.source.text().len());
            let _ = d.location(&doc.source);
        }
        let _ = ctsel::lenient(&doc);
        if let Some(set) = set {
            let program = Program::new(&set);
            let _ = program.to_string();
            let again = parse_str("again", &set.to_json().to_string(), &ParseOptions { kind: Some(set.kind()), ..ParseOptions::default() })
                .expect("to_json is JSON");
            assert_eq!(check(&again, &options).1.as_ref(), Some(&set));
        }
    }
});
