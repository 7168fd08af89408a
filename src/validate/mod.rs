//! Validation exactly as AWS does it: botocore's structural check (Layer A),
//! then the CloudTrail service's rules (Layer B), in the order of spec §6.
//!
//! AWS stops at its first service-side complaint; so does [`validate()`]
//! unless [`ValidateOptions::report_all`] is set. Every rule walks the
//! document in the §6 order and reports into one sink, so "the first error"
//! is simply the first one reported, and `report_all` changes nothing but how
//! many are kept.

mod advanced;
pub(crate) mod arn;
mod basic;
pub(crate) mod catalog;
mod store;

pub use arn::is_partition;
pub use catalog::{entries as catalog_entries, Catalog};
pub use store::{INVALID_PARAMETER, INVALID_PARAMETER_COMBINATION};

/// The exception telemetry rules answer with (its texts are unknown).
pub const VALIDATION_EXCEPTION: &str = "ValidationException";

use crate::diagnostic::{Diagnostic, Provenance, Severity, INVALID_TRAIL_NAME};
use crate::model::{
    AdvancedSelector, Category, Document, DocumentShape, Field, FieldCondition, Operator,
    SelectorKind, SelectorSet, Target,
};
use crate::source::{Pointer, Span};

/// How to validate.
#[derive(Clone, Debug)]
pub struct ValidateOptions {
    /// Resource types, event sources and the field matrix.
    pub catalog: Catalog,
    /// The trail's partition (`aws`, `aws-cn`, `aws-us-gov`, …). When set,
    /// basic data-resource ARNs must use it. When unset, a trail ARN in the
    /// document decides, and otherwise any partition is accepted.
    pub partition: Option<String>,
    /// Report every service-side error instead of stopping at the first.
    pub report_all: bool,
    /// Most errors kept (the rest are only counted), so that a hostile
    /// document with a million bad values produces a bounded report.
    pub max_errors: usize,
    /// More than five selectors on an event data store is an error, not a
    /// warning (`targets.md` T-U6).
    pub strict_store_selector_count: bool,
    /// Creating an event data store draws the note that CloudTrail Lake is
    /// closed to new customers.
    pub lake_notice: bool,
}

impl Default for ValidateOptions {
    fn default() -> ValidateOptions {
        ValidateOptions {
            catalog: Catalog::builtin(),
            partition: None,
            report_all: false,
            max_errors: 1000,
            strict_store_selector_count: false,
            lake_notice: true,
        }
    }
}

/// Everything validation found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// What kind of selectors the document holds, when that is clear.
    pub kind: Option<SelectorKind>,
    /// Errors, in the order AWS would meet them. Structural (Layer A) errors
    /// are all reported together; service (Layer B) errors stop at the first
    /// unless `report_all`.
    pub errors: Vec<Diagnostic>,
    /// Warnings: never make the document invalid.
    pub warnings: Vec<Diagnostic>,
    /// Errors found but not kept (beyond the first, or beyond `max_errors`).
    pub suppressed: usize,
}

impl std::fmt::Display for Report {
    /// The first error in AWS's words (`Exception: message`), and how many
    /// more there are; "valid" when there are none.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.errors.first() {
            None => f.write_str("valid"),
            Some(d) => {
                write!(f, "{}: {}", d.exception, d.message)?;
                let more = self.errors.len() - 1 + self.suppressed;
                if more > 0 {
                    write!(
                        f,
                        " (and {more} more error{})",
                        if more == 1 { "" } else { "s" }
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Report {}

impl Report {
    /// True when there are no errors.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Selectors that passed validation, with the warnings they drew.
#[derive(Clone, Debug)]
pub struct Validated {
    /// The selectors, defaults applied, spans dropped.
    pub selectors: SelectorSet,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
}

/// Validates a parsed document.
///
/// # Errors
/// Returns the [`Report`] when the document has any error.
///
/// # Examples
/// ```
/// use ctsel::{parse_str, validate, ParseOptions, ValidateOptions};
/// let doc = parse_str(
///     "sel.json",
///     r#"[{"DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::data-bucket"]}]}]"#,
///     &ParseOptions::default(),
/// )?;
/// let report = validate(&doc, &ValidateOptions::default()).unwrap_err();
/// assert_eq!(
///     report.errors[0].message,
///     "Value arn:aws:s3:::data-bucket for DataResources.Values is invalid."
/// );
/// assert_eq!(report.errors[0].pointer.as_str(), "/0/DataResources/0/Values/0");
/// # Ok::<(), ctsel::ParseError>(())
/// ```
pub fn validate(doc: &Document, options: &ValidateOptions) -> Result<Validated, Report> {
    let (report, selectors) = check(doc, options);
    match selectors {
        Some(selectors) if report.is_valid() => Ok(Validated {
            selectors,
            warnings: report.warnings,
        }),
        _ => Err(report),
    }
}

/// Validates and always returns the report; the selector set too when valid.
pub fn check(doc: &Document, options: &ValidateOptions) -> (Report, Option<SelectorSet>) {
    let mut sink = Sink::new(if options.report_all {
        options.max_errors.max(1)
    } else {
        1
    });
    let kind = doc.kind();
    // Layer A: botocore reports every structural problem at once and sends
    // nothing, so the service rules never run.
    let mut structural_errors = 0;
    for d in &doc.structural {
        if d.severity == Severity::Error {
            structural_errors += 1;
            if sink.errors.len() < options.max_errors.max(1) {
                sink.errors.push(d.clone());
            } else {
                sink.suppressed += 1;
            }
        } else {
            sink.warnings.push(d.clone());
        }
    }
    if structural_errors > 0 {
        return (sink.into_report(kind), None);
    }
    let mut partition = options.partition.clone();
    if doc.shape == DocumentShape::Request {
        trail_name(doc, &mut sink, &mut partition);
    } else if let Some(p) = doc
        .trail
        .as_ref()
        .and_then(|t| arn::trail_arn_partition(&t.value))
    {
        partition.get_or_insert_with(|| p.to_string());
    }
    let mut cx = Cx {
        catalog: &options.catalog,
        partition: partition.as_deref(),
        sink,
        target: doc.target,
        categories: Vec::new(),
        strict_store_selector_count: options.strict_store_selector_count,
        lake_notice: options.lake_notice,
    };
    let selectors = match doc.target {
        Target::Trail => common_rules(doc, &mut cx),
        Target::EventDataStore | Target::TelemetryRule => other_target(doc, &mut cx),
    };
    let mut report = cx.sink.into_report(kind);
    retarget(&mut report, doc.target);
    let selectors = if report.is_valid() { selectors } else { None };
    (report, selectors)
}

/// Collects diagnostics; keeps at most `limit` errors.
pub(crate) struct Sink {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    suppressed: usize,
    limit: usize,
}

impl Sink {
    fn new(limit: usize) -> Sink {
        Sink {
            errors: Vec::new(),
            warnings: Vec::new(),
            suppressed: 0,
            limit,
        }
    }

    /// True when another error would be kept: callers skip costly hints
    /// (did-you-mean) otherwise.
    pub(crate) fn keeps_errors(&self) -> bool {
        self.errors.len() < self.limit
    }

    pub(crate) fn error(&mut self, d: Diagnostic) {
        if self.keeps_errors() {
            self.errors.push(d);
        } else {
            self.suppressed += 1;
        }
    }

    pub(crate) fn warn(&mut self, d: Diagnostic) {
        if self.warnings.len() < 1000 {
            self.warnings.push(d);
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    fn into_report(self, kind: Option<SelectorKind>) -> Report {
        Report {
            kind,
            errors: self.errors,
            warnings: self.warnings,
            suppressed: self.suppressed,
        }
    }
}

/// What every rule needs.
pub(crate) struct Cx<'a> {
    pub catalog: &'a Catalog,
    pub partition: Option<&'a str>,
    pub sink: Sink,
    pub target: Target,
    /// Each advanced selector's category, once checked (`None`: invalid).
    pub categories: Vec<(usize, Option<Category>)>,
    pub strict_store_selector_count: bool,
    pub lake_notice: bool,
}

/// Event data stores and telemetry rules take advanced selectors only; a
/// store given none logs all management events (`targets.md` §T1.1).
fn other_target(doc: &Document, cx: &mut Cx<'_>) -> Option<SelectorSet> {
    if let Some(b) = &doc.basic {
        let message = match cx.target {
            Target::EventDataStore => "Event data stores accept only AdvancedEventSelectors.",
            _ => "CloudWatch telemetry rules accept only AdvancedEventSelectors.",
        };
        cx.sink.error(
            Diagnostic::service(
                "L5",
                Provenance::Project,
                message,
                Pointer::root(),
                b.key_span.unwrap_or(b.span),
            )
            .with_hint("basic EventSelectors exist only for trails; `ctsel convert` writes the advanced equivalent"),
        );
        return None;
    }
    let set = match &doc.advanced {
        Some(list) => advanced::check(list, cx).map(SelectorSet::Advanced),
        None if cx.target == Target::EventDataStore => {
            Some(SelectorSet::Advanced(vec![default_store_selector()]))
        }
        None => {
            cx.sink.warn(Diagnostic::warning(
                "no-cloudtrail-parameters",
                "the rule has no CloudtrailParameters.AdvancedEventSelectors: no CloudTrail selectors to check",
                Pointer::root(),
                Span::new(0, 1),
            ));
            None
        }
    };
    if cx.target == Target::EventDataStore {
        store::check(doc, cx);
    }
    set.filter(|_| !cx.sink.has_errors())
}

/// What an event data store created without selectors logs: the selector
/// AWS shows for it, `Default management events` (`targets.md` §T1.1).
pub fn default_store_selector() -> AdvancedSelector {
    AdvancedSelector {
        name: Some("Default management events".into()),
        field_selectors: vec![FieldCondition {
            field: Field::EventCategory,
            operators: vec![(Operator::Equals, vec![Category::Management.as_str().into()])],
        }],
    }
}

/// The trail's texts are the only recorded ones: on an event data store
/// they are assumed (`targets.md` T-U3) and flagged derived; a telemetry
/// rule answers with `ValidationException`, whose texts are unknown.
fn retarget(report: &mut Report, target: Target) {
    if target == Target::Trail {
        return;
    }
    for d in &mut report.errors {
        if d.layer != crate::diagnostic::Layer::Service {
            continue;
        }
        let from_trail = d.provenance == Provenance::Verbatim
            && d.exception == crate::diagnostic::INVALID_EVENT_SELECTORS;
        if from_trail {
            d.provenance = Provenance::Derived;
        }
        if target == Target::TelemetryRule {
            d.exception = VALIDATION_EXCEPTION;
            if d.provenance == Provenance::Derived {
                d.provenance = Provenance::Project;
            }
        }
    }
}

/// B1 and B2, then the kind's own rules.
fn common_rules(doc: &Document, cx: &mut Cx<'_>) -> Option<SelectorSet> {
    let at_start = |s: Span| Span::new(s.start as usize, s.start as usize + 1);
    match (&doc.basic, &doc.advanced) {
        (Some(b), Some(a)) if !b.items.is_empty() && !a.items.is_empty() => {
            // B1; spec §10 R1 (message verbatim, exception name a project choice).
            cx.sink.error(
                Diagnostic::service(
                    "B1",
                    Provenance::Verbatim,
                    "You can select events by using either EventSelectors or AdvancedEventSelectors, but not both.",
                    Pointer::root(),
                    a.key_span.unwrap_or(a.span),
                )
                .with_hint("keep one list; put-event-selectors replaces the trail's selectors with the kind it is given"),
            );
            None
        }
        (None, None) => {
            // B2 (spec U2): nothing to put.
            cx.sink.error(
                Diagnostic::service(
                    "B2",
                    Provenance::Project,
                    "Specify a valid number of event selectors (1 to 5) for a trail.",
                    Pointer::root(),
                    at_start(Span::new(0, 0)),
                )
                .with_hint("give EventSelectors or AdvancedEventSelectors"),
            );
            None
        }
        _ => match doc.kind() {
            Some(SelectorKind::Basic) => doc
                .basic
                .as_ref()
                .and_then(|l| basic::check(l, cx))
                .map(SelectorSet::Basic),
            Some(SelectorKind::Advanced) => doc
                .advanced
                .as_ref()
                .and_then(|l| advanced::check(l, cx))
                .map(SelectorSet::Advanced),
            None => None,
        },
    }
}

/// B3: trail-name format (spec §2.2). Messages follow moto, which mimics
/// AWS; none is confirmed, so all are marked as the project's.
fn trail_name(doc: &Document, sink: &mut Sink, partition: &mut Option<String>) {
    let Some(name) = &doc.trail else { return };
    let v = name.value.as_str();
    let err = |message: String, hint: &str| {
        Diagnostic::service(
            "B3",
            Provenance::Project,
            message,
            Pointer::root(),
            name.span,
        )
        .with_exception(INVALID_TRAIL_NAME)
        .with_hint(hint.to_string())
    };
    if v.starts_with("arn:") {
        match arn::trail_arn_partition(v) {
            Some(p) => {
                partition.get_or_insert_with(|| p.to_string());
            }
            None => sink.error(
                err(
                    format!("{v} is not a valid trail ARN."),
                    "trail ARNs look like arn:aws:cloudtrail:us-east-1:111122223333:trail/my-trail",
                )
                .with_exception(crate::diagnostic::CLOUDTRAIL_ARN_INVALID),
            ),
        }
        return;
    }
    let n = v.chars().count();
    let hint = "trail names are 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit";
    if n < 3 {
        sink.error(err(
            format!("Trail name too short. Minimum allowed length: 3 characters. Specified name length: {n} characters."),
            hint,
        ));
    } else if n > 128 {
        sink.error(err(
            format!("Trail name too long. Maximum allowed length: 128 characters. Specified name length: {n} characters."),
            hint,
        ));
    } else if !v.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        sink.error(err(
            "Trail name must starts with a letter or number.".into(),
            hint,
        ));
    } else if !v.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        sink.error(err(
            "Trail name must ends with a letter or number.".into(),
            hint,
        ));
    } else if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        sink.error(err(
            "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).".into(),
            hint,
        ));
    } else if v
        .as_bytes()
        .windows(2)
        .any(|w| b"._-".contains(&w[0]) && b"._-".contains(&w[1]))
    {
        sink.error(err(
            "Trail name cannot contain consecutive special characters.".into(),
            hint,
        ));
    } else if v.split('.').count() == 4
        && v.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        sink.error(err(
            "Trail name cannot be formatted as an IP address.".into(),
            hint,
        ));
    }
}

/// Shortens a long value for a message that is ours (never for verbatim
/// AWS messages, which print the value whole).
pub(crate) fn shorten(v: &str) -> String {
    if v.chars().count() <= 80 {
        v.to_string()
    } else {
        let head: String = v.chars().take(77).collect();
        format!("{head}...")
    }
}

/// The selector set a document describes, without the service's rules:
/// for deciding records with selectors AWS would reject (event data store
/// selectors on trail records, say). `None` when the document has no list
/// or botocore would refuse it. Unknown fields are dropped, an unknown
/// `ReadWriteType` reads as `All`.
pub fn lenient(doc: &Document) -> Option<SelectorSet> {
    if doc.structural.iter().any(|d| d.severity == Severity::Error) {
        return None;
    }
    match doc.kind()? {
        SelectorKind::Basic => Some(SelectorSet::Basic(
            doc.basic
                .as_ref()?
                .items
                .iter()
                .map(|s| s.to_selector())
                .collect(),
        )),
        SelectorKind::Advanced => Some(SelectorSet::Advanced(
            doc.advanced
                .as_ref()?
                .items
                .iter()
                .map(|s| s.to_selector())
                .collect(),
        )),
    }
}
