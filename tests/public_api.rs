//! The intended public surface, named in one place: the common path at the
//! root (parse, validate, compile, decide, the input layer and its filter,
//! lint, explain, diff, convert), and four expert modules (`input`,
//! `record`, `reference`, `strategies`). Everything else is internal; a
//! change to this file is a change to the API.

use ctsel::input::{
    expand, filter, Counts, Decided, Event, Expanded, Flow, InputErrorKind, Location, Options,
    Place, Report as Verdicts, Skipped, Source, DEFAULT_MAX_RECORD,
};
use ctsel::record::{Decider, Emit, Mode, RecordView, ScanError, ScanErrorKind};
use ctsel::{
    basic_to_advanced, check, diff, explain, lint, parse_bytes, parse_str, reference, validate,
    Catalog, ConvertErrorKind, Diagnostic, DiffOptions, Differ, Document, Field, LintOptions,
    ParseError, ParseOptions, Program, Provenance, Report, Run, SelectorKind, SelectorSet,
    Severity, ValidateOptions, Validated, Verdict,
};
use ctsel::{
    contains, covers, equivalent, requirement, requirements, trail_checks, AnalysisError,
    Containment, Coverage, Equivalence, Gap, Requirement, TrailCheck, TrailNeeds,
};
use std::error::Error;

// CloudTrail's largest event (256 KB) fits the default record limit.
const _: () = assert!(DEFAULT_MAX_RECORD >= 256 << 10);

/// `validate(&doc, &opts)?` in a function returning `Box<dyn Error>`.
fn compile(text: &str) -> Result<Program, Box<dyn Error>> {
    let doc = parse_str("sel.json", text, &ParseOptions::default())?;
    let set = validate(&doc, &ValidateOptions::default())?.selectors;
    Ok(Program::new(&set))
}

#[test]
fn the_common_path_uses_the_question_mark() {
    let program = compile(r#"[{"ReadWriteType": "WriteOnly"}]"#).unwrap();
    let v = program
        .decide_bytes(br#"{"eventCategory":"Management","readOnly":false}"#)
        .unwrap();
    assert!(v.is_logged());
    // A rejected document is an error in AWS's words.
    let e = compile(r#"[{"ReadWriteType": "writeonly"}]"#).unwrap_err();
    let report = e.downcast_ref::<Report>().expect("a validation report");
    assert!(!report.is_valid());
    assert!(
        e.to_string()
            .starts_with("InvalidEventSelectorsException: "),
        "{e}"
    );
    // A document that is not JSON is a parse error.
    let e = compile("[").unwrap_err();
    assert!(e.downcast_ref::<ParseError>().is_some());
}

#[test]
fn shared_types_are_thread_safe() {
    fn send_sync<T: Send + Sync + std::panic::UnwindSafe>() {}
    send_sync::<Program>();
    send_sync::<SelectorSet>();
    send_sync::<Verdict>();
    send_sync::<Report>();
    send_sync::<Diagnostic>();
    send_sync::<ScanError>();
    send_sync::<Catalog>();
    send_sync::<Counts>();
}

#[test]
fn errors_have_kinds_a_caller_can_match_on() {
    assert_eq!(
        RecordView::parse(b"[]").unwrap_err().kind(),
        ScanErrorKind::NotAnObject
    );
    assert_eq!(
        RecordView::parse(b"{\"a\":").unwrap_err().kind(),
        ScanErrorKind::Truncated
    );
    assert_eq!(
        RecordView::parse(b"{\"a\":1e999}").unwrap_err().kind(),
        ScanErrorKind::NumberOutOfRange
    );
    assert_eq!(
        RecordView::parse(b"{\"a\":\"\\ud800\"}")
            .unwrap_err()
            .kind(),
        ScanErrorKind::BadString
    );
    let deep = "[".repeat(200);
    assert_eq!(
        RecordView::parse(format!("{{\"a\":{deep}").as_bytes())
            .unwrap_err()
            .kind(),
        ScanErrorKind::TooDeep
    );

    // Validation refuses such an exclusion (E6); `lenient` keeps it.
    let basic =
        |t: &str| match ctsel::lenient(&parse_str("s", t, &ParseOptions::default()).unwrap())
            .unwrap()
        {
            SelectorSet::Basic(b) => b,
            SelectorSet::Advanced(_) => unreachable!(),
        };
    let e = basic_to_advanced(&basic(
        r#"[{"ReadWriteType": "All", "ExcludeManagementEventSources": ["iam.amazonaws.com"]}]"#,
    ));
    assert_eq!(e.unwrap_err().kind(), ConvertErrorKind::ExcludedSource);

    // Input errors keep the operating system's error kind.
    let program = compile(r#"[{"ReadWriteType": "All"}]"#).unwrap();
    let mut kinds = Vec::new();
    filter(
        &program,
        &[Source::File("/no/such/file".into())],
        &Options::default(),
        &mut |e| {
            if let Event::SourceError { kind, .. } = e {
                kinds.push(kind);
            }
            Flow::Continue
        },
    );
    assert_eq!(kinds, [InputErrorKind::Io(std::io::ErrorKind::NotFound)]);
    // A truncated gzip is told apart.
    let gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(
            b"{\"eventCategory\":\"Management\"}\n"
                .repeat(100)
                .as_slice(),
        )
        .unwrap();
        let mut v = e.finish().unwrap();
        v.truncate(v.len() - 6);
        v
    };
    let mut kinds = Vec::new();
    let counts = filter(
        &program,
        &[Source::Memory("t.gz".into(), gz.into())],
        &Options::default(),
        &mut |e| {
            if let Event::SourceError { kind, .. } = e {
                kinds.push(kind);
            }
            Flow::Continue
        },
    );
    assert_eq!(kinds, [InputErrorKind::Truncated]);
    assert_eq!(
        counts.records, 100,
        "everything decoded before the damage is kept"
    );
}

#[test]
fn the_input_layer_names_every_record() {
    let program = compile(r#"[{"ReadWriteType": "All"}]"#).unwrap();
    let log = br#"{"Records":[{"eventCategory":"Management"},{"eventCategory":"Data"}]}"#;
    let mut seen: Vec<(u64, Place, bool)> = Vec::new();
    let mut options = Options::default();
    options.report = Verdicts::Verdicts;
    let counts = filter(
        &program,
        &[Source::Memory("log.json".into(), log.to_vec().into())],
        &options,
        &mut |e| {
            if let Event::Record(Decided {
                at: Location { index, place },
                verdict,
                ..
            }) = e
            {
                seen.push((index, place, verdict.unwrap().is_logged()));
            }
            Flow::Continue
        },
    );
    assert!(counts.balanced());
    assert_eq!(
        seen,
        [(0, Place::Offset(12), true), (1, Place::Offset(43), false)]
    );
    let e: Expanded = expand(["-"]);
    assert_eq!(e.sources, [Source::Stdin]);
    let _: Vec<Skipped> = e.skipped;
}

#[test]
fn the_expert_modules_and_the_rest_of_the_root() {
    // Fast path and reference interpreter agree.
    let set = SelectorSet::trail_default();
    let program = Program::new(&set);
    let record = br#"{"eventCategory":"Management","readOnly":true}"#;
    let mut d = Decider::new(&program, Mode::Fast);
    assert_eq!(
        d.decide(record, Emit::Logged).unwrap(),
        reference::decide_bytes(&set, record).unwrap()
    );
    let mut run: Run<'_> = program.run();
    run.scalar(Field::EventCategory, "Insight");
    assert_eq!(run.finish(), Verdict::NotGoverned);

    let doc: Document = parse_bytes(
        "s",
        br#"[{"ReadWriteType": "All"}]"#,
        &ParseOptions::default(),
    )
    .unwrap();
    assert_eq!(doc.kind(), Some(SelectorKind::Basic));
    let (report, set): (Report, Option<SelectorSet>) = check(&doc, &ValidateOptions::default());
    assert!(report.is_valid());
    let set = set.unwrap();
    let validated: Validated = validate(&doc, &ValidateOptions::default()).unwrap();
    assert!(validated.warnings.is_empty());
    assert!(lint(&doc, &set, &LintOptions::default()).is_empty());
    let view = RecordView::parse(record).unwrap();
    assert_eq!(explain(&Program::new(&set), &view).verdict, "logged");
    assert!(diff(
        &set,
        &set,
        &[],
        &DiffOptions {
            samples: 100,
            ..DiffOptions::default()
        }
    )
    .unwrap()
    .equivalent());
    let _ = Differ::new(&set, &set);
    let _: (Severity, Provenance) = (Severity::Error, Provenance::Verbatim);
}

#[test]
fn exact_analysis_surface() -> Result<(), Box<dyn Error>> {
    let all = SelectorSet::trail_default();
    let c: Containment = contains(&all, &all)?;
    let e: Equivalence = equivalent(&all, &all)?;
    let v: Coverage = covers(&all, &[&all])?;
    assert!(c.holds() && e.holds() && v.covered());
    let gaps: &[Gap] = &v.gaps;
    assert!(gaps.is_empty());
    let r: Requirement = requirement("securityhub:CloudTrail.1", "aws")?.ok_or("no entry")?;
    assert!(requirements("aws")?.len() > 1);
    let checks: Vec<(&str, TrailCheck)> = trail_checks(TrailNeeds::default(), &[]);
    assert!(checks.is_empty() && r.trail.multi_region);
    let _: Option<AnalysisError> = None;
    Ok(())
}
