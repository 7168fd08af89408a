//! Layer B rules for basic `EventSelectors` (spec §2.3), in the order of §6:
//! E1 count, then per selector E2 → E6 → E7 → per data resource E3 → E4,
//! then the trail-wide E5 total.

use super::arn::{basic_value, is_bucket_name, s3_bucket, BasicValue};
use super::{shorten, Cx};
use crate::diagnostic::{did_you_mean, Diagnostic, Provenance};
use crate::model::{BasicSelector, EventSelector, ReadWriteType, SelectorList};
use crate::source::Pointer;

/// Basic selectors per trail (E1).
pub const MAX_SELECTORS: usize = 5;
/// `DataResources.Values` per trail, "all" forms excluded (E5, spec U5).
pub const MAX_VALUES: usize = 250;
/// The sources `ExcludeManagementEventSources` accepts (E6).
pub const EXCLUDABLE_SOURCES: [&str; 2] = ["kms.amazonaws.com", "rdsdata.amazonaws.com"];

pub(super) fn check(
    list: &SelectorList<EventSelector>,
    cx: &mut Cx<'_>,
) -> Option<Vec<BasicSelector>> {
    let n = list.items.len();
    if n == 0 || n > MAX_SELECTORS {
        let (pointer, span) = if n == 0 {
            (Pointer::root(), list.span)
        } else {
            (
                Pointer::root().index(MAX_SELECTORS),
                list.items[MAX_SELECTORS].span,
            )
        };
        let hint = if n == 0 {
            "a basic list needs at least one selector; if this is an advanced list, pass --kind advanced (an empty advanced list is accepted and logs nothing)"
        } else {
            "merge selectors, or switch to advanced event selectors, which are limited only by the 500-value total"
        };
        cx.sink.error(
            Diagnostic::service(
                "E1",
                Provenance::Project,
                "Specify a valid number of event selectors (1 to 5) for a trail.",
                pointer,
                span,
            )
            .with_hint(hint),
        );
    }
    for (i, sel) in list.items.iter().enumerate() {
        selector(sel, &Pointer::root().index(i), cx);
    }
    total_values(list, cx);
    // The set is built only when valid, so the lenient reading loses nothing.
    (!cx.sink.has_errors()).then(|| list.items.iter().map(EventSelector::to_selector).collect())
}

fn selector(sel: &EventSelector, at: &Pointer, cx: &mut Cx<'_>) {
    // E2
    if let Some(rwt) = &sel.read_write_type {
        if ReadWriteType::from_api(&rwt.value).is_none() {
            let hint = if cx.sink.keeps_errors() {
                did_you_mean(&rwt.value, ["ReadOnly", "WriteOnly", "All"])
                    .map(|s| format!("did you mean `{s}`? ReadWriteType is case-sensitive"))
                    .or_else(|| Some("ReadWriteType is ReadOnly, WriteOnly or All".to_string()))
            } else {
                None
            };
            cx.sink.error(
                Diagnostic::service(
                    "E2",
                    Provenance::Project,
                    format!("Value {} for ReadWriteType is invalid.", rwt.value),
                    at.key("ReadWriteType"),
                    rwt.span,
                )
                .with_hint_opt(hint),
            );
        }
    }
    // E6
    if let Some(ex) = &sel.exclude_management_event_sources {
        for (j, s) in ex.value.iter().enumerate() {
            if EXCLUDABLE_SOURCES.contains(&s.value.as_str()) {
                continue;
            }
            let hint = did_you_mean(&s.value, EXCLUDABLE_SOURCES)
                .map(|v| format!("did you mean `{v}`?"))
                .unwrap_or_else(|| {
                    "only kms.amazonaws.com and rdsdata.amazonaws.com can be excluded".into()
                });
            cx.sink.error(
                Diagnostic::service(
                    "E6",
                    Provenance::Project,
                    format!(
                        "Value {} for ExcludeManagementEventSources is invalid.",
                        shorten(&s.value)
                    ),
                    at.key("ExcludeManagementEventSources").index(j),
                    s.span,
                )
                .with_hint(hint),
            );
        }
        if !sel.includes_management_events() && !ex.value.is_empty() {
            cx.sink.warn(
                Diagnostic::warning(
                    "exclude-without-management",
                    "ExcludeManagementEventSources has no effect when IncludeManagementEvents is false",
                    at.key("ExcludeManagementEventSources"),
                    ex.span,
                )
                .with_hint("remove ExcludeManagementEventSources, or set IncludeManagementEvents to true"),
            );
        }
    }
    // E7 (spec §10 R5): counts DataResource elements, not values.
    if !sel.includes_management_events() && sel.data_resources().is_empty() {
        let span = sel
            .include_management_events
            .as_ref()
            .map_or(sel.span, |b| b.span);
        cx.sink.error(
            Diagnostic::service(
                "E7",
                Provenance::Verbatim,
                "Invalid combination of parameters in EventSelectors. When includeManagementEvents is false, DataResources must not be empty",
                at.key("IncludeManagementEvents"),
                span,
            )
            .with_hint("this selector would log nothing: add a DataResource, or remove the selector"),
        );
    }
    for (j, dr) in sel.data_resources().iter().enumerate() {
        let at = at.key("DataResources").index(j);
        // E3 (spec §10 R2)
        let type_ = dr.type_.as_ref().map(|t| t.value.as_str());
        match type_ {
            Some(t) if cx.catalog.is_basic_type(t) => {}
            _ => {
                let shown = type_.unwrap_or("null");
                let hint = match type_ {
                    None => Some("give Type: AWS::S3::Object, AWS::Lambda::Function or AWS::DynamoDB::Table".to_string()),
                    Some(t) if cx.catalog.is_resource_type(t) => Some(format!(
                        "{t} can be logged only with advanced event selectors; basic selectors take AWS::S3::Object, AWS::Lambda::Function and AWS::DynamoDB::Table"
                    )),
                    Some(t) if cx.sink.keeps_errors() => did_you_mean(t, cx.catalog.basic_types())
                        .map(|s| format!("did you mean `{s}`?")),
                    Some(_) => None,
                };
                cx.sink.error(
                    Diagnostic::service(
                        "E3",
                        Provenance::Verbatim,
                        format!("Value {shown} for DataResources.Type is invalid."),
                        at.key("Type"),
                        dr.type_.as_ref().map_or(dr.span, |t| t.span),
                    )
                    .with_hint_opt(hint),
                );
                continue;
            }
        }
        let type_ = type_.unwrap_or_default();
        // E4
        for (k, v) in dr.values().iter().enumerate() {
            match basic_value(type_, &v.value, cx.partition) {
                Ok(kind) => {
                    if let Some(bucket) = s3_bucket(&v.value).filter(|b| !is_bucket_name(b)) {
                        cx.sink.warn(
                            Diagnostic::warning(
                                "bucket-name",
                                format!("`{}` is not a valid S3 bucket name, so this value matches no object", shorten(bucket)),
                                at.key("Values").index(k),
                                v.span,
                            )
                            .with_hint("bucket names are 3-63 lowercase letters, digits, '.' and '-'"),
                        );
                    }
                    if kind == BasicValue::Prefix && v.value.contains('*') {
                        cx.sink.warn(
                            Diagnostic::warning(
                                "literal-star",
                                format!(
                                    "`*` in {} is a literal character, not a wildcard",
                                    v.value
                                ),
                                at.key("Values").index(k),
                                v.span,
                            )
                            .with_hint("values match as plain string prefixes; drop the `*`"),
                        );
                    }
                }
                Err(reason) => cx.sink.error(
                    Diagnostic::service(
                        "E4",
                        Provenance::Verbatim,
                        format!("Value {} for DataResources.Values is invalid.", v.value),
                        at.key("Values").index(k),
                        v.span,
                    )
                    .with_hint(reason),
                ),
            }
        }
    }
}

/// E5 (spec §10 R4): the trail-wide count of values, "all" forms excluded.
fn total_values(list: &SelectorList<EventSelector>, cx: &mut Cx<'_>) {
    let mut counted = 0usize;
    for (i, sel) in list.items.iter().enumerate() {
        for (j, dr) in sel.data_resources().iter().enumerate() {
            let type_ = dr.type_.as_ref().map_or("", |t| t.value.as_str());
            for (k, v) in dr.values().iter().enumerate() {
                if basic_value(type_, &v.value, None) == Ok(BasicValue::All) {
                    continue;
                }
                counted += 1;
                if counted == MAX_VALUES + 1 {
                    cx.sink.error(
                        Diagnostic::service(
                            "E5",
                            Provenance::Verbatim,
                            "Specify a valid number of DataResources.Values (0 to 250) for all your selectors",
                            Pointer::root().index(i).key("DataResources").index(j).key("Values").index(k),
                            v.span,
                        )
                        .with_hint("this is value 251 across all selectors; use a shorter common prefix, or advanced event selectors (500 values)"),
                    );
                    return;
                }
            }
        }
    }
}
