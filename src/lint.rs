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

use crate::contain::Space;
use crate::diagnostic::Severity;
use crate::ir::{basic_all_form, Condition, Ir, IrSelector, Pattern, Test};
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
    exact(set, &places, &mut out);
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
}

/// CT002 (no record at all), CT003, CT004 and CT005, decided over the
/// normalised form by the containment procedure: exact, for either kind.
fn exact(set: &SelectorSet, places: &Places<'_>, out: &mut Vec<Finding>) {
    let basic = matches!(set, SelectorSet::Basic(_));
    let ir = Ir::lower(set);
    let category = |c: Category| IrSelector {
        origin: usize::MAX,
        conditions: vec![Condition {
            field: Field::EventCategory,
            test: Test {
                select: vec![Pattern::Equals(c.as_str().to_string())],
                deselect: Vec::new(),
            },
        }],
        resource: None,
    };
    let (management, data) = (category(Category::Management), category(Category::Data));
    // CT005 asks about resources only: each selector's resource condition
    // with its category, without its other conditions.
    let resources: Vec<IrSelector> = ir
        .selectors
        .iter()
        .map(|s| IrSelector {
            origin: s.origin,
            conditions: s
                .conditions
                .iter()
                .filter(|c| c.field == Field::EventCategory)
                .cloned()
                .collect(),
            resource: s.resource.clone(),
        })
        .collect();
    let m = ir.selectors.len();
    let mut all: Vec<&IrSelector> = ir.selectors.iter().collect();
    all.extend(resources.iter());
    all.push(&management);
    all.push(&data);
    let (mi, di) = (2 * m, 2 * m + 1);
    let space = Space::new(&all);
    let parts: Vec<Vec<usize>> = (0..ir.origins)
        .map(|o| (0..m).filter(|&k| ir.selectors[k].origin == o).collect())
        .collect();
    let live: Vec<Vec<usize>> = parts
        .iter()
        .map(|p| {
            p.iter()
                .copied()
                .filter(|&k| space.find(&[k], &[]).is_some())
                .collect()
        })
        .collect();
    for (i, p) in parts.iter().enumerate() {
        let here = Pointer::root().index(i);
        let said = out.iter().any(|f| {
            f.id == CT002
                && (f.pointer == here
                    || f.pointer
                        .as_str()
                        .starts_with(&format!("{}/", here.as_str())))
        });
        if !p.is_empty() && live[i].is_empty() && !said {
            out.push(Finding {
                id: CT002,
                severity: Severity::Error,
                message: format!(
                    "selector {i} can never match: no record satisfies all its conditions"
                ),
                pointer: Pointer::root().index(i),
                span: places.selector(i),
                fix: "remove the contradicting condition, or the selector".into(),
            });
        }
    }
    // Every record part `a` logs, some part of `b` logs.
    let within = |a: usize, b: usize| {
        live[a]
            .iter()
            .all(|&k| space.find(&[k], &live[b]).is_none())
    };
    let n = ir.origins;
    let subsumed: Vec<Vec<bool>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| i != j && !live[i].is_empty() && !live[j].is_empty() && within(i, j))
                .collect()
        })
        .collect();
    for (i, row) in subsumed.iter().enumerate() {
        for (j, &in_j) in row.iter().enumerate() {
            // Report once per pair: the later of two that log the same.
            if in_j && (!subsumed[j][i] || i > j) {
                out.push(Finding {
                    id: CT003,
                    severity: Severity::Warning,
                    message: format!("selector {i} is subsumed by selector {j}: every event it logs, selector {j} logs too"),
                    pointer: Pointer::root().index(i),
                    span: places.selector(i),
                    fix: format!("remove selector {i}"),
                });
            }
        }
    }
    for i in 0..n {
        for j in 0..i {
            if subsumed[i][j] || subsumed[j][i] {
                continue;
            }
            let both = |extra: usize, offset: usize, need_resource: bool| {
                live[i].iter().any(|&a| {
                    live[j].iter().any(|&b| {
                        (!need_resource
                            || (ir.selectors[a].resource.is_some()
                                && ir.selectors[b].resource.is_some()))
                            && space.find(&[a + offset, b + offset, extra], &[]).is_some()
                    })
                })
            };
            if both(mi, 0, false) {
                out.push(Finding {
                    id: CT004,
                    severity: Severity::Warning,
                    message: format!(
                        "selectors {j} and {i} both log management events, some of them the same"
                    ),
                    pointer: if basic {
                        Pointer::root().index(i).key("IncludeManagementEvents")
                    } else {
                        Pointer::root().index(i)
                    },
                    span: places.selector(i),
                    fix: if basic {
                        "set IncludeManagementEvents to false in all but one selector".into()
                    } else {
                        "keep one management-event selector per trail".into()
                    },
                });
            }
            if both(di, m, true) {
                out.push(Finding {
                    id: CT005,
                    severity: Severity::Warning,
                    message: format!(
                        "data selectors {j} and {i} select some of the same resources"
                    ),
                    pointer: if basic {
                        Pointer::root().index(i).key("DataResources")
                    } else {
                        Pointer::root().index(i)
                    },
                    span: places.selector(i),
                    fix: if basic {
                        "merge the data resources into one selector, or make their values disjoint"
                            .into()
                    } else {
                        "merge them, or make their resources.ARN conditions disjoint".into()
                    },
                });
            }
        }
    }
}
