//! Basic selectors as advanced ones, deciding every record identically.
//!
//! The console offers this conversion when a trail switches to advanced
//! selectors. Each basic selector becomes a Management selector (when it
//! includes management events) and one Data selector per data resource with
//! values, following the lowering of spec §3.4 (see [`crate::ir`]):
//!
//! * `ReadWriteType` → `readOnly Equals ["true"]` or `["false"]`;
//! * `ExcludeManagementEventSources` → `eventSource NotEquals [...]`;
//! * S3 values → `resources.ARN StartsWith [...]`; the "all" forms
//!   (`arn:<p>:s3`, `arn:<p>:s3:::`) → `StartsWith ["arn:<p>:s3:::"]`, which
//!   keeps them exact (an S3 object element without an ARN is not logged);
//! * Lambda and DynamoDB values → `resources.ARN Equals [...]`; an "all"
//!   form drops the ARN condition (every resource of the type).
//!
//! Every result is proved equivalent to its input by the containment
//! procedure ([`crate::equivalent`]) before it is returned.

use crate::ir::basic_all_form;
use crate::model::{
    AdvancedSelector, BasicSelector, Category, Field, FieldCondition, Operator, ReadWriteType,
    SelectorSet,
};
use std::fmt;

/// Why selectors cannot be converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertError {
    kind: ConvertErrorKind,
    message: String,
}

/// Why basic selectors have no advanced equivalent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConvertErrorKind {
    /// An excluded management event source other than KMS and RDS Data.
    ExcludedSource,
    /// A data resource type advanced selectors do not accept.
    ResourceType,
    /// The result would exceed the 500-value limit.
    TooManyValues,
    /// The containment procedure found a record the result decides
    /// differently: a defect in ctsel, reported instead of printed.
    NotEquivalent,
}

impl ConvertError {
    fn new(kind: ConvertErrorKind, message: String) -> ConvertError {
        ConvertError { kind, message }
    }

    /// Why the conversion failed.
    pub fn kind(&self) -> ConvertErrorKind {
        self.kind
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConvertError {}

fn cond(field: Field, op: Operator, values: Vec<String>) -> FieldCondition {
    FieldCondition {
        field,
        operators: vec![(op, values)],
    }
}

fn read_only(rw: ReadWriteType) -> Option<FieldCondition> {
    match rw {
        ReadWriteType::All => None,
        ReadWriteType::ReadOnly => {
            Some(cond(Field::ReadOnly, Operator::Equals, vec!["true".into()]))
        }
        ReadWriteType::WriteOnly => Some(cond(
            Field::ReadOnly,
            Operator::Equals,
            vec!["false".into()],
        )),
    }
}

/// Converts basic selectors to advanced selectors with the same decisions.
///
/// # Errors
/// Returns [`ConvertError`] for what advanced selectors cannot express on a
/// trail: an excluded event source other than `kms.amazonaws.com` and
/// `rdsdata.amazonaws.com`, a data resource type outside the catalogue, or a
/// result over the 500-value limit.
///
/// # Examples
/// ```
/// use ctsel::{BasicSelector, ReadWriteType};
/// let advanced = ctsel::basic_to_advanced(&[BasicSelector {
///     read_write_type: ReadWriteType::WriteOnly,
///     ..BasicSelector::default()
/// }]).unwrap();
/// assert_eq!(advanced.len(), 1);
/// assert_eq!(advanced[0].field_selectors.len(), 2); // eventCategory, readOnly
/// ```
pub fn basic_to_advanced(set: &[BasicSelector]) -> Result<Vec<AdvancedSelector>, ConvertError> {
    let catalog = crate::validate::Catalog::builtin();
    let mut out = Vec::new();
    for (i, s) in set.iter().enumerate() {
        if s.include_management_events {
            let mut fields = vec![cond(
                Field::EventCategory,
                Operator::Equals,
                vec![Category::Management.as_str().into()],
            )];
            fields.extend(read_only(s.read_write_type));
            if !s.exclude_management_event_sources.is_empty() {
                for e in &s.exclude_management_event_sources {
                    if !matches!(e.as_str(), "kms.amazonaws.com" | "rdsdata.amazonaws.com") {
                        return Err(ConvertError::new(ConvertErrorKind::ExcludedSource, format!(
                            "selector {i}: excluding {e} cannot be expressed: advanced selectors exclude only kms.amazonaws.com and rdsdata.amazonaws.com"
                        )));
                    }
                }
                let mut excl = s.exclude_management_event_sources.clone();
                excl.dedup();
                fields.push(cond(Field::EventSource, Operator::NotEquals, excl));
            }
            out.push(AdvancedSelector {
                name: Some(format!("Management events (basic selector {i})")),
                field_selectors: fields,
            });
        }
        for (j, dr) in s.data_resources.iter().enumerate() {
            if dr.values.is_empty() {
                continue; // selects nothing
            }
            if !catalog.is_resource_type(&dr.type_) {
                return Err(ConvertError::new(ConvertErrorKind::ResourceType, format!(
                    "selector {i}, data resource {j}: {} is not a resource type advanced selectors accept",
                    dr.type_
                )));
            }
            let mut fields = vec![
                cond(
                    Field::EventCategory,
                    Operator::Equals,
                    vec![Category::Data.as_str().into()],
                ),
                cond(
                    Field::ResourcesType,
                    Operator::Equals,
                    vec![dr.type_.clone()],
                ),
            ];
            fields.extend(read_only(s.read_write_type));
            let s3 = dr.type_ == "AWS::S3::Object";
            let mut values: Vec<String> = Vec::new();
            let mut any = false;
            for v in &dr.values {
                let v = match basic_all_form(&dr.type_, v) {
                    Some(p) if p.is_empty() => {
                        any = true;
                        continue;
                    }
                    Some(p) => p,
                    None => v.clone(),
                };
                if !values.contains(&v) {
                    values.push(v);
                }
            }
            if !any {
                let op = if s3 {
                    Operator::StartsWith
                } else {
                    Operator::Equals
                };
                fields.push(cond(Field::ResourcesArn, op, values));
            }
            let what = dr.type_.trim_start_matches("AWS::");
            out.push(AdvancedSelector {
                name: Some(format!(
                    "{what} data events (basic selector {i}, data resource {j})"
                )),
                field_selectors: fields,
            });
        }
    }
    let total: usize = out
        .iter()
        .flat_map(|s| &s.field_selectors)
        .flat_map(|f| &f.operators)
        .map(|(_, v)| v.len())
        .sum();
    if total > 500 {
        return Err(ConvertError::new(
            ConvertErrorKind::TooManyValues,
            format!("the advanced equivalent needs {total} values; a trail allows 500"),
        ));
    }
    // Nothing is handed out unproved: the result must log exactly what the
    // input logs, for every record.
    let basic = SelectorSet::Basic(set.to_vec());
    let advanced = SelectorSet::Advanced(out.clone());
    let unproved = |why: String| {
        ConvertError::new(
            ConvertErrorKind::NotEquivalent,
            format!("internal error: the conversion is not equivalent ({why}); please report it"),
        )
    };
    let proof =
        crate::contain::equivalent(&basic, &advanced).map_err(|e| unproved(e.to_string()))?;
    if let Some(w) = proof.only_a.first().or(proof.only_b.first()) {
        return Err(unproved(format!("decided differently: {}", w.record)));
    }
    Ok(out)
}
