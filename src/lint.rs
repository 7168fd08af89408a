//! Mistakes AWS accepts silently but users regret. Each finding has a
//! stable id, a severity, a pointer and a suggested fix.
//!
//! | id | severity | finding |
//! |---|---|---|
//! | `CT001` | error | `Equals`/`NotEquals` on `resources.ARN` with an S3 bucket ARN ending in `/`: it equals no object ARN |
//! | `CT002` | error | a selector that can never match (its conditions contradict, its `readOnly` value contradicts every event name it selects, or its exact ARNs have a shape no resource of the type has) |
//! | `CT003` | warning | a selector subsumed by another: it adds nothing |
//! | `CT004` | warning | two selectors log the same management events |
//! | `CT005` | warning | two data selectors overlap on the same resources |
//! | `CT006` | warning | a literal `*` that looks like a wildcard |
//! | `CT007` | error | data events logged on the trail's own log bucket (`--log-bucket`): runaway volume |

use crate::diagnostic::Severity;
use crate::ir::{basic_all_form, Pattern};
use crate::model::{
    AdvancedSelector, BasicSelector, Category, Document, Field, FieldCondition, Operator,
    SelectorSet,
};
use crate::source::{Pointer, Span};
use crate::validate::arn::{advanced_exact_arn, ArnShape};

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable id, e.g. `CT001`.
    pub id: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where, relative to the selector list.
    pub pointer: Pointer,
    /// Where, in the text.
    pub span: Span,
    /// How to fix it.
    pub fix: String,
}

/// Options for [`lint`].
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// The trail's log bucket, to find data events logged on it (CT007).
    pub log_bucket: Option<String>,
}

/// Lint rule CT001; see [`RULES`].
pub const CT001: &str = "CT001";
/// Lint rule CT002; see [`RULES`].
pub const CT002: &str = "CT002";
/// Lint rule CT003; see [`RULES`].
pub const CT003: &str = "CT003";
/// Lint rule CT004; see [`RULES`].
pub const CT004: &str = "CT004";
/// Lint rule CT005; see [`RULES`].
pub const CT005: &str = "CT005";
/// Lint rule CT006; see [`RULES`].
pub const CT006: &str = "CT006";
/// Lint rule CT007; see [`RULES`].
pub const CT007: &str = "CT007";

/// The id, severity and one-line summary of every rule, for SARIF.
pub const RULES: [(&str, Severity, &str); 7] = [
    (
        CT001,
        Severity::Error,
        "Equals/NotEquals on resources.ARN with an S3 bucket ARN ending in '/' matches no object",
    ),
    (CT002, Severity::Error, "a selector that can never match"),
    (CT003, Severity::Warning, "a selector subsumed by another"),
    (
        CT004,
        Severity::Warning,
        "duplicated management-event selectors",
    ),
    (CT005, Severity::Warning, "overlapping data selectors"),
    (
        CT006,
        Severity::Warning,
        "a literal '*' that looks like a wildcard",
    ),
    (
        CT007,
        Severity::Error,
        "data events logged on the trail's own log bucket",
    ),
];

fn pat(op: Operator, v: &str) -> Pattern {
    match op {
        Operator::Equals | Operator::NotEquals => Pattern::Equals(v.into()),
        Operator::StartsWith | Operator::NotStartsWith => Pattern::Prefix(v.into()),
        Operator::EndsWith | Operator::NotEndsWith => Pattern::Suffix(v.into()),
    }
}

/// Every value `a` admits is admitted by `b`.
fn covered(a: &Pattern, b: &Pattern) -> bool {
    match (a, b) {
        (Pattern::Equals(x), Pattern::Equals(y)) => x == y,
        (Pattern::Equals(x), Pattern::Prefix(y)) | (Pattern::Prefix(x), Pattern::Prefix(y)) => {
            x.starts_with(y.as_str())
        }
        (Pattern::Equals(x), Pattern::Suffix(y)) | (Pattern::Suffix(x), Pattern::Suffix(y)) => {
            x.ends_with(y.as_str())
        }
        _ => false,
    }
}

/// Some value matches both.
fn overlap(a: &Pattern, b: &Pattern) -> bool {
    match (a, b) {
        (Pattern::Prefix(x), Pattern::Prefix(y)) => {
            x.starts_with(y.as_str()) || y.starts_with(x.as_str())
        }
        (Pattern::Suffix(x), Pattern::Suffix(y)) => {
            x.ends_with(y.as_str()) || y.ends_with(x.as_str())
        }
        (Pattern::Prefix(_), Pattern::Suffix(_)) | (Pattern::Suffix(_), Pattern::Prefix(_)) => true,
        _ => covered(a, b) || covered(b, a),
    }
}

struct Cond {
    select: Vec<Pattern>,
    deselect: Vec<Pattern>,
}

fn split(f: &FieldCondition) -> Cond {
    let mut c = Cond {
        select: Vec::new(),
        deselect: Vec::new(),
    };
    for (op, values) in &f.operators {
        for v in values {
            if op.is_negative() {
                c.deselect.push(pat(*op, v));
            } else {
                c.select.push(pat(*op, v));
            }
        }
    }
    c
}

/// Every record `a` admits on this field, `b` admits.
fn implies(a: &Cond, b: &Cond) -> bool {
    let select_ok = b.select.is_empty()
        || (!a.select.is_empty()
            && a.select
                .iter()
                .all(|x| b.select.iter().any(|y| covered(x, y))));
    let deselect_ok = b.deselect.iter().all(|d| {
        a.deselect.iter().any(|e| covered(d, e))
            || (!a.select.is_empty() && a.select.iter().all(|x| !overlap(x, d)))
    });
    select_ok && deselect_ok
}

fn category(s: &AdvancedSelector) -> Option<Category> {
    s.field_selectors
        .iter()
        .find(|f| f.field == Field::EventCategory)
        .and_then(|f| f.operators.first())
        .and_then(|(_, v)| v.first())
        .and_then(|v| Category::from_api(v))
}

fn field(s: &AdvancedSelector, f: Field) -> Option<&FieldCondition> {
    s.field_selectors.iter().find(|x| x.field == f)
}

/// Spans of an advanced selector's parts in the document.
struct Places<'d> {
    doc: &'d Document,
}

impl Places<'_> {
    fn selector(&self, i: usize) -> Span {
        self.doc
            .advanced
            .as_ref()
            .and_then(|l| l.items.get(i))
            .map(|s| s.span)
            .or_else(|| {
                self.doc
                    .basic
                    .as_ref()
                    .and_then(|l| l.items.get(i))
                    .map(|s| s.span)
            })
            .unwrap_or_default()
    }

    fn field(&self, i: usize, f: Field) -> (Pointer, Span) {
        let sel = self.doc.advanced.as_ref().and_then(|l| l.items.get(i));
        if let Some((j, fs)) = sel.and_then(|s| {
            s.field_selectors()
                .iter()
                .enumerate()
                .find(|(_, x)| x.field_name() == f.as_str())
        }) {
            return (
                Pointer::root().index(i).key("FieldSelectors").index(j),
                fs.span,
            );
        }
        (Pointer::root().index(i), self.selector(i))
    }

    fn value(&self, i: usize, f: Field, op: Operator, k: usize) -> (Pointer, Span) {
        let sel = self.doc.advanced.as_ref().and_then(|l| l.items.get(i));
        let found = sel.and_then(|s| {
            s.field_selectors()
                .iter()
                .enumerate()
                .find(|(_, x)| x.field_name() == f.as_str())
        });
        if let Some((j, fs)) = found {
            if let Some(o) = fs.operators.iter().find(|o| o.operator == op) {
                if let Some(v) = o.values.get(k) {
                    return (
                        Pointer::root()
                            .index(i)
                            .key("FieldSelectors")
                            .index(j)
                            .key(op.as_str())
                            .index(k),
                        v.span,
                    );
                }
            }
        }
        self.field(i, f)
    }
}

/// Lints a validated selector set from `doc`: mistakes AWS accepts.
///
/// # Examples
///
/// ```
/// use ctsel::{lint, parse_str, validate, LintOptions, ParseOptions, ValidateOptions};
///
/// // NotEquals on a bucket ARN excludes nothing: no object ARN equals it.
/// let text = r#"[{"Name": "all but one", "FieldSelectors": [
///     {"Field": "eventCategory", "Equals": ["Data"]},
///     {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
///     {"Field": "resources.ARN", "NotEquals": ["arn:aws:s3:::logs-bucket/"]}]}]"#;
/// let doc = parse_str("sel.json", text, &ParseOptions::default())?;
/// let set = validate(&doc, &ValidateOptions::default())?.selectors;
/// let findings = lint(&doc, &set, &LintOptions::default());
/// assert_eq!(findings[0].id, "CT001");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lint(doc: &Document, set: &SelectorSet, options: &LintOptions) -> Vec<Finding> {
    let places = Places { doc };
    let mut out = Vec::new();
    match set {
        SelectorSet::Advanced(v) => advanced(v, &places, options, &mut out),
        SelectorSet::Basic(v) => basic(v, &places, options, &mut out),
    }
    out.sort_by_key(|f| (f.span.start, f.id));
    out
}

fn advanced(
    v: &[AdvancedSelector],
    places: &Places<'_>,
    options: &LintOptions,
    out: &mut Vec<Finding>,
) {
    for (i, s) in v.iter().enumerate() {
        let type_ = field(s, Field::ResourcesType)
            .and_then(|f| f.operators.first())
            .and_then(|(_, v)| v.first())
            .map(String::as_str);
        for f in &s.field_selectors {
            for (op, values) in &f.operators {
                for (k, value) in values.iter().enumerate() {
                    let (pointer, span) = places.value(i, f.field, *op, k);
                    if value.contains('*') {
                        out.push(Finding {
                            id: CT006,
                            severity: Severity::Warning,
                            message: format!("`{value}` contains `*`, which is a literal character, not a wildcard"),
                            pointer: pointer.clone(),
                            span,
                            fix: "use StartsWith or EndsWith for partial matches".into(),
                        });
                    }
                    let bucket_arn = value.starts_with("arn:")
                        && value.contains(":s3:::")
                        && value.ends_with('/')
                        && value.matches('/').count() == 1;
                    if f.field == Field::ResourcesArn
                        && matches!(op, Operator::Equals | Operator::NotEquals)
                        && bucket_arn
                    {
                        let (what, instead) = if *op == Operator::Equals {
                            ("selects", "StartsWith")
                        } else {
                            ("excludes", "NotStartsWith")
                        };
                        out.push(Finding {
                            id: CT001,
                            severity: Severity::Error,
                            message: format!("{op} `{value}` {what} nothing: S3 object ARNs are never equal to a bucket ARN with a trailing slash"),
                            pointer,
                            span,
                            fix: format!("use {instead} [\"{value}\"] to {} every object in the bucket", if *op == Operator::Equals { "log" } else { "exclude" }),
                        });
                    }
                }
            }
            // CT002: every SELECT value excluded by a DESELECT value.
            let c = split(f);
            if !c.select.is_empty()
                && c.select
                    .iter()
                    .all(|x| c.deselect.iter().any(|d| covered(x, d)))
            {
                let (pointer, span) = places.field(i, f.field);
                out.push(Finding {
                    id: CT002,
                    severity: Severity::Error,
                    message: format!("selector {i} can never match: every value its {} field selects, it also deselects", f.field),
                    pointer,
                    span,
                    fix: "remove the contradicting Not… value, or the selector".into(),
                });
            }
            // CT002: exact ARNs of a shape no resource of the type has.
            if f.field == Field::ResourcesArn
                && !c.select.is_empty()
                && c.select.iter().all(|p| matches!(p, Pattern::Equals(_)))
            {
                let t = type_.unwrap_or("");
                let wrong: Vec<String> = c
                    .select
                    .iter()
                    .filter_map(|p| match advanced_exact_arn(t, p.operand()) {
                        ArnShape::Unexpected(why) => Some(why),
                        _ => None,
                    })
                    .collect();
                if wrong.len() == c.select.len() {
                    let (pointer, span) = places.field(i, f.field);
                    out.push(Finding {
                        id: CT002,
                        severity: Severity::Error,
                        message: format!(
                            "selector {i} can never match: no {t} resource has the ARNs it selects"
                        ),
                        pointer,
                        span,
                        fix: wrong[0].clone(),
                    });
                }
            }
        }
        // CT002: a readOnly value the event names exclude. API names say
        // whether a call reads or writes; every named event must agree.
        if let (Some(ro), Some(names)) = (field(s, Field::ReadOnly), field(s, Field::EventName)) {
            let wanted: Vec<&str> = ro
                .operators
                .iter()
                .flat_map(|(_, v)| v.iter().map(String::as_str))
                .collect();
            let names = split(names);
            let all_equal = !names.select.is_empty()
                && names.select.iter().all(|p| matches!(p, Pattern::Equals(_)));
            if all_equal && wanted.len() == 1 {
                let kind = |n: &str| api_reads(n);
                let contradicts = names
                    .select
                    .iter()
                    .all(|p| kind(p.operand()) == Some(wanted[0] != "true"));
                if contradicts {
                    let (pointer, span) = places.field(i, Field::ReadOnly);
                    out.push(Finding {
                        id: CT002,
                        severity: Severity::Error,
                        message: format!(
                            "selector {i} can never match: readOnly is {} but every event name it selects is a {} call",
                            wanted[0],
                            if wanted[0] == "true" { "write" } else { "read" }
                        ),
                        pointer,
                        span,
                        fix: "remove the readOnly condition, or select events of that kind".into(),
                    });
                }
            }
        }
        if let (Some(bucket), Some("AWS::S3::Object")) = (&options.log_bucket, type_) {
            let witness = format!("arn:aws:s3:::{bucket}/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/01/log.json.gz");
            let admits = field(s, Field::ResourcesArn).is_none_or(|f| {
                let c = split(f);
                (c.select.is_empty()
                    || c.select
                        .iter()
                        .any(|p| covered(&Pattern::Equals(witness.clone()), p)))
                    && !c
                        .deselect
                        .iter()
                        .any(|p| covered(&Pattern::Equals(witness.clone()), p))
            });
            if admits {
                out.push(log_bucket_finding(i, bucket, places));
            }
        }
    }
    // Pairs: subsumption and overlaps.
    for (i, a) in v.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            if i == j || category(a) != category(b) || category(a).is_none() {
                continue;
            }
            let a_in_b = b.field_selectors.iter().all(|fb| {
                a.field_selectors
                    .iter()
                    .filter(|fa| fa.field == fb.field)
                    .any(|fa| implies(&split(fa), &split(fb)))
            });
            let b_in_a = a.field_selectors.iter().all(|fa| {
                b.field_selectors
                    .iter()
                    .filter(|fb| fb.field == fa.field)
                    .any(|fb| implies(&split(fb), &split(fa)))
            });
            // Report once per pair: the later of two identical selectors.
            if a_in_b && (!b_in_a || i > j) {
                out.push(Finding {
                    id: CT003,
                    severity: Severity::Warning,
                    message: format!("selector {i} is subsumed by selector {j}: every event it logs, selector {j} logs too"),
                    pointer: Pointer::root().index(i),
                    span: places.selector(i),
                    fix: format!("remove selector {i}"),
                });
                continue;
            }
            if i > j || a_in_b || b_in_a {
                continue;
            }
            match category(a) {
                Some(Category::Management) => {
                    let ro = |s: &AdvancedSelector| field(s, Field::ReadOnly).map(split);
                    let disjoint = match (ro(a), ro(b)) {
                        (Some(x), Some(y)) => !x
                            .select
                            .iter()
                            .any(|p| y.select.iter().any(|q| overlap(p, q))),
                        _ => false,
                    };
                    if !disjoint {
                        out.push(Finding {
                            id: CT004,
                            severity: Severity::Warning,
                            message: format!("selectors {j} and {i} both log management events, some of them the same"),
                            pointer: Pointer::root().index(i),
                            span: places.selector(i),
                            fix: "keep one management-event selector per trail".into(),
                        });
                    }
                }
                Some(Category::Data) => {
                    let same_type = field(a, Field::ResourcesType).map(split).map(|c| c.select)
                        == field(b, Field::ResourcesType).map(split).map(|c| c.select);
                    let arns_overlap = match (
                        field(a, Field::ResourcesArn).map(split),
                        field(b, Field::ResourcesArn).map(split),
                    ) {
                        (Some(x), Some(y)) => {
                            x.select.is_empty()
                                || y.select.is_empty()
                                || x.select
                                    .iter()
                                    .any(|p| y.select.iter().any(|q| overlap(p, q)))
                        }
                        _ => true,
                    };
                    if same_type && arns_overlap {
                        out.push(Finding {
                            id: CT005,
                            severity: Severity::Warning,
                            message: format!(
                                "data selectors {j} and {i} select some of the same resources"
                            ),
                            pointer: Pointer::root().index(i),
                            span: places.selector(i),
                            fix: "merge them, or make their resources.ARN conditions disjoint"
                                .into(),
                        });
                    }
                }
                _ => {}
            }
        }
    }
}

/// Whether an API call reads (`Some(true)`) or writes (`Some(false)`),
/// judged by the verb its name starts with; `None` when the verb says
/// nothing certain.
fn api_reads(name: &str) -> Option<bool> {
    const READ: [&str; 5] = ["Get", "List", "Describe", "Head", "Lookup"];
    const WRITE: [&str; 12] = [
        "Put",
        "Delete",
        "Create",
        "Update",
        "Modify",
        "Attach",
        "Detach",
        "Terminate",
        "Run",
        "Restore",
        "Copy",
        "Invoke",
    ];
    let verb_is = |v: &str| {
        name.strip_prefix(v).is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_ascii_uppercase()) || rest.is_empty()
        })
    };
    if READ.iter().any(|v| verb_is(v)) {
        Some(true)
    } else if WRITE.iter().any(|v| verb_is(v)) {
        Some(false)
    } else {
        None
    }
}

fn log_bucket_finding(i: usize, bucket: &str, places: &Places<'_>) -> Finding {
    Finding {
        id: CT007,
        severity: Severity::Error,
        message: format!("selector {i} logs data events on the trail's own log bucket `{bucket}`: each delivered log file is written as an object and logged again"),
        pointer: Pointer::root().index(i),
        span: places.selector(i),
        fix: format!("exclude it: resources.ARN NotStartsWith [\"arn:aws:s3:::{bucket}/\"] (advanced selectors)"),
    }
}

fn basic(v: &[BasicSelector], places: &Places<'_>, options: &LintOptions, out: &mut Vec<Finding>) {
    use crate::model::ReadWriteType::*;
    for (i, s) in v.iter().enumerate() {
        for (j, dr) in s.data_resources.iter().enumerate() {
            for (k, value) in dr.values.iter().enumerate() {
                let pointer = Pointer::root()
                    .index(i)
                    .key("DataResources")
                    .index(j)
                    .key("Values")
                    .index(k);
                let span = places
                    .doc
                    .basic
                    .as_ref()
                    .and_then(|l| l.items.get(i))
                    .and_then(|s| s.data_resources().get(j))
                    .and_then(|d| d.values().get(k))
                    .map_or(places.selector(i), |v| v.span);
                if value.contains('*') {
                    out.push(Finding {
                        id: CT006,
                        severity: Severity::Warning,
                        message: format!(
                            "`{value}` contains `*`, which is a literal character, not a wildcard"
                        ),
                        pointer: pointer.clone(),
                        span,
                        fix: "values are plain prefixes: drop the `*`".into(),
                    });
                }
            }
            if let (Some(bucket), "AWS::S3::Object") = (&options.log_bucket, dr.type_.as_str()) {
                let witness = format!("arn:aws:s3:::{bucket}/AWSLogs/x");
                if dr.values.iter().any(|v| {
                    basic_all_form(&dr.type_, v).map_or_else(
                        || witness.starts_with(v.as_str()),
                        |p| witness.starts_with(&p),
                    )
                }) {
                    let mut f = log_bucket_finding(i, bucket, places);
                    f.fix = format!("name buckets explicitly instead of all buckets, or switch to advanced selectors and exclude arn:aws:s3:::{bucket}/");
                    out.push(f);
                }
            }
        }
    }
    for (i, a) in v.iter().enumerate() {
        for (j, b) in v.iter().enumerate().take(i) {
            if a.include_management_events
                && b.include_management_events
                && !matches!(
                    (a.read_write_type, b.read_write_type),
                    (ReadOnly, WriteOnly) | (WriteOnly, ReadOnly)
                )
            {
                out.push(Finding {
                    id: CT004,
                    severity: Severity::Warning,
                    message: format!(
                        "selectors {j} and {i} both log management events, some of them the same"
                    ),
                    pointer: Pointer::root().index(i).key("IncludeManagementEvents"),
                    span: places.selector(i),
                    fix: "set IncludeManagementEvents to false in all but one selector".into(),
                });
            }
            for da in &a.data_resources {
                for db in &b.data_resources {
                    if da.type_ == db.type_
                        && da
                            .values
                            .iter()
                            .any(|x| db.values.iter().any(|y| basic_overlap(&da.type_, x, y)))
                    {
                        out.push(Finding {
                            id: CT005,
                            severity: Severity::Warning,
                            message: format!("selectors {j} and {i} select some of the same {} resources", da.type_),
                            pointer: Pointer::root().index(i).key("DataResources"),
                            span: places.selector(i),
                            fix: "merge the data resources into one selector, or make their values disjoint".into(),
                        });
                    }
                }
            }
        }
    }
}

fn basic_overlap(type_: &str, x: &str, y: &str) -> bool {
    let all = |v: &str| basic_all_form(type_, v).is_some();
    if all(x) || all(y) {
        return true;
    }
    if type_ == "AWS::S3::Object" {
        x.starts_with(y) || y.starts_with(x)
    } else {
        x == y
    }
}
