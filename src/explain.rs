//! Why a record is (not) logged: for every selector and every condition,
//! the value found, whether the condition held, which SELECT value matched
//! and which DESELECT value hit.
//!
//! The verdict is the compiled program's; the details walk the normalised
//! form ([`crate::ir`]) over the same record view, so they explain exactly
//! the conditions the program evaluated. A basic selector shows one part
//! per branch (management events, each data resource).

use crate::compile::Program;
use crate::eval::Verdict;
use crate::ir::{Ir, Pattern, Test};
use crate::model::Field;
use crate::record::RecordView;
use serde::Serialize;

/// The explanation of one record.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// `logged`, `not_logged` or `not_governed`.
    pub verdict: &'static str,
    /// Indices of the matching selectors.
    pub matched: Vec<u32>,
    /// An UNCERTAIN rule influenced the outcome.
    pub assumed: bool,
    /// The category the decision used.
    pub category: Option<&'static str>,
    /// Every selector.
    pub selectors: Vec<SelectorExplanation>,
}

/// One selector.
#[derive(Clone, Debug, Serialize)]
pub struct SelectorExplanation {
    /// Its index in the selector set.
    pub index: usize,
    /// Whether it matched.
    pub matched: bool,
    /// Its conjunctions (one for an advanced selector).
    pub parts: Vec<PartExplanation>,
}

/// One conjunction.
#[derive(Clone, Debug, Serialize)]
pub struct PartExplanation {
    /// Whether every condition held.
    pub matched: bool,
    /// The conditions, in order.
    pub conditions: Vec<ConditionExplanation>,
}

/// One condition.
#[derive(Clone, Debug, Serialize)]
pub struct ConditionExplanation {
    /// The field (`resources` for the joint type/ARN condition).
    pub field: String,
    /// The value found (for `resources`, the element used or tried).
    pub value: Option<String>,
    /// Whether the condition held.
    pub held: bool,
    /// The value was assumed (missing `readOnly`), or an absent field
    /// passed a DESELECT-only condition.
    pub assumed: bool,
    /// The SELECT value that matched.
    pub select: Option<String>,
    /// The DESELECT value that hit.
    pub deselect: Option<String>,
    /// What the condition asks, in short.
    pub wants: String,
}

fn hits(p: &Pattern, v: &str) -> bool {
    match p {
        Pattern::Equals(x) => v == x,
        Pattern::Prefix(x) => v.starts_with(x.as_str()),
        Pattern::Suffix(x) => v.ends_with(x.as_str()),
    }
}

fn show(p: &Pattern) -> String {
    match p {
        Pattern::Equals(x) => format!("Equals {x:?}"),
        Pattern::Prefix(x) => format!("StartsWith {x:?}"),
        Pattern::Suffix(x) => format!("EndsWith {x:?}"),
    }
}

fn wants(t: &Test) -> String {
    let sel: Vec<String> = t.select.iter().map(show).collect();
    let des: Vec<String> = t
        .deselect
        .iter()
        .map(|p| format!("Not{}", show(p)))
        .collect();
    [sel.join(" or "), des.join(", ")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// (held, assumed, select matched, deselect hit)
fn check(t: &Test, value: Option<&str>) -> (bool, bool, Option<String>, Option<String>) {
    match value {
        None => (
            t.select.is_empty(),
            t.select.is_empty() && !t.deselect.is_empty(),
            None,
            None,
        ),
        Some(v) => {
            let s = t.select.iter().find(|p| hits(p, v)).map(show);
            let d = t
                .deselect
                .iter()
                .find(|p| hits(p, v))
                .map(|p| format!("Not{}", show(p)));
            (
                (t.select.is_empty() || s.is_some()) && d.is_none(),
                false,
                s,
                d,
            )
        }
    }
}

/// Explains a record: the program's verdict, with every condition's detail.
///
/// # Examples
///
/// ```
/// use ctsel::{explain, Program, RecordView, SelectorSet};
///
/// let program = Program::new(&SelectorSet::trail_default());
/// let view = RecordView::parse(br#"{"eventCategory":"Data","eventName":"GetObject"}"#)?;
/// let e = explain(&program, &view);
/// assert_eq!(e.verdict, "not_logged");
/// assert!(e.selectors.iter().all(|s| !s.matched));
/// # Ok::<(), ctsel::ScanError>(())
/// ```
pub fn explain(program: &Program, view: &RecordView<'_>) -> Explanation {
    let mut run = program.run();
    view.feed(&mut run);
    let verdict = run.finish();
    let category = run.category();
    let ir: &Ir = program.ir();
    let mut selectors: Vec<SelectorExplanation> = (0..ir.origins)
        .map(|index| SelectorExplanation {
            index,
            matched: false,
            parts: Vec::new(),
        })
        .collect();
    for s in &ir.selectors {
        let mut conditions = Vec::new();
        for c in &s.conditions {
            let (value, assumed_value) = match c.field {
                Field::EventCategory => (category.map(String::from), false),
                Field::ReadOnly => match view.get(Field::ReadOnly) {
                    Some(v) => (Some(v.to_string()), false),
                    None => (Some("false".to_string()), true),
                },
                f => (view.get(f).map(String::from), false),
            };
            let (held, assumed, select, deselect) = check(&c.test, value.as_deref());
            conditions.push(ConditionExplanation {
                field: c.field.as_str().to_string(),
                value,
                held,
                assumed: assumed || assumed_value,
                select,
                deselect,
                wants: wants(&c.test),
            });
        }
        if let Some(r) = &s.resource {
            let wanted = {
                let t: Vec<String> = r.types.iter().map(wants).collect();
                let a: Vec<String> = r.arns.iter().map(wants).collect();
                format!(
                    "some element with type {}{}",
                    t.join(" and "),
                    if a.is_empty() {
                        String::new()
                    } else {
                        format!(" and ARN {}", a.join(" and "))
                    }
                )
            };
            let mut best: Option<ConditionExplanation> = None;
            for (i, e) in view.resources.iter().enumerate() {
                let types: Vec<_> = r
                    .types
                    .iter()
                    .map(|t| check(t, e.type_.as_deref()))
                    .collect();
                let arns: Vec<_> = r.arns.iter().map(|t| check(t, e.arn.as_deref())).collect();
                let type_ok = types.iter().all(|x| x.0);
                let held = type_ok && arns.iter().all(|x| x.0);
                let candidate = ConditionExplanation {
                    field: "resources".into(),
                    value: Some(format!(
                        "element {i}: type {:?}, ARN {:?}",
                        e.type_.as_deref().unwrap_or("(none)"),
                        e.arn.as_deref().unwrap_or("(none)")
                    )),
                    held,
                    assumed: types.iter().chain(&arns).any(|x| x.1),
                    select: arns.iter().chain(&types).find_map(|x| x.2.clone()),
                    deselect: arns.iter().chain(&types).find_map(|x| x.3.clone()),
                    wants: wanted.clone(),
                };
                // Prefer a clean match, then any match, then an element of
                // the selected type, then the first element.
                let rank = |c: &ConditionExplanation, ok_type: bool| {
                    u8::from(c.held) * 4 + u8::from(c.held && !c.assumed) * 2 + u8::from(ok_type)
                };
                let better = match &best {
                    None => true,
                    Some(b) => rank(&candidate, type_ok) > rank(b, false),
                };
                if better {
                    best = Some(candidate);
                }
            }
            conditions.push(best.unwrap_or(ConditionExplanation {
                field: "resources".into(),
                value: None,
                held: false,
                assumed: false,
                select: None,
                deselect: None,
                wants: wanted,
            }));
        }
        let matched = conditions.iter().all(|c| c.held);
        if let Some(sel) = selectors.get_mut(s.origin) {
            sel.matched |= matched;
            sel.parts.push(PartExplanation {
                matched,
                conditions,
            });
        }
    }
    if verdict == Verdict::NotGoverned {
        for s in &mut selectors {
            s.matched = false;
        }
    }
    Explanation {
        verdict: verdict.as_str(),
        matched: verdict.selectors().to_vec(),
        assumed: verdict.assumed(),
        category,
        selectors,
    }
}
