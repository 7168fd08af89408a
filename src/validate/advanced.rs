//! Layer B rules for `AdvancedEventSelectors` (spec §2.4, §10), in the
//! order of §6: per selector A4 operators present → A5/A6 category → A7
//! field/category matrix (which also rejects unknown names, §10 R10) →
//! A8/A9 required and repeated fields → A10 operator and value rules; then
//! the trail-wide A1 total.
//!
//! Event data stores and telemetry rules run the same walk over their own
//! field matrix (`targets.md` §T1.3, §T2.2): where a rule differs by target
//! the branch says so; where no source gives a target's message, the
//! trail's text is used and flagged (see `validate::retarget`).

use super::arn::{advanced_exact_arn, ArnShape};
use super::{shorten, Cx};
use crate::diagnostic::{did_you_mean, Diagnostic, Provenance};
use crate::model::{
    AdvancedEventSelector, AdvancedSelector, Category, Field, FieldSelector, Operator,
    SelectorList, Target,
};
use crate::source::Pointer;

/// Values over all operators of all selectors of a trail (A1, §10 R6).
pub const MAX_VALUES: usize = 500;
/// Longest operator value (spec §1.5).
pub const MAX_VALUE_LEN: usize = 2048;
/// Longest `Name` (spec §1.4).
pub const MAX_NAME_LEN: usize = 1000;

pub(super) fn check(
    list: &SelectorList<AdvancedEventSelector>,
    cx: &mut Cx<'_>,
) -> Option<Vec<AdvancedSelector>> {
    if list.items.is_empty() {
        cx.sink.warn(
            Diagnostic::warning(
                "empty-advanced",
                format!("an empty advanced selector list is accepted, and the {} then logs no events", match cx.target {
                    Target::Trail => "trail",
                    Target::EventDataStore => "event data store",
                    Target::TelemetryRule => "telemetry rule",
                }),
                Pointer::root(),
                list.span,
            )
            .with_hint("add a selector with eventCategory Equals [\"Management\"] to keep management events"),
        );
    }
    for (i, sel) in list.items.iter().enumerate() {
        let category = selector(sel, &Pointer::root().index(i), cx);
        cx.categories.push((i, category));
    }
    if cx.target == Target::EventDataStore {
        store_kinds(list, cx);
    }
    total_values(list, cx);
    // The set is built only when valid, so the lenient reading loses nothing.
    (!cx.sink.has_errors()).then(|| {
        list.items
            .iter()
            .map(AdvancedEventSelector::to_selector)
            .collect()
    })
}

fn fs_at(at: &Pointer, j: usize) -> Pointer {
    at.key("FieldSelectors").index(j)
}

/// Checks one selector; returns its category when it has a valid one.
fn selector(sel: &AdvancedEventSelector, at: &Pointer, cx: &mut Cx<'_>) -> Option<Category> {
    let fields = sel.field_selectors();
    if cx.target == Target::TelemetryRule {
        telemetry_minima(sel, at, cx);
    }
    if let Some(name) = &sel.name {
        if name.value.chars().count() > MAX_NAME_LEN {
            cx.sink.error(Diagnostic::service(
                "A-len",
                Provenance::Project,
                format!("Name of advanced event selector is too long. The maximum length is {MAX_NAME_LEN} characters."),
                at.key("Name"),
                name.span,
            ));
        }
    }
    // A4: an operator-less field selector passes botocore but not the service.
    for (j, fs) in fields.iter().enumerate() {
        if fs.operators.is_empty() {
            cx.sink.error(
                Diagnostic::service(
                    "A4",
                    Provenance::Project,
                    format!("At least one operator is required for the {} field.", fs.field_name()),
                    fs_at(at, j),
                    fs.span,
                )
                .with_hint("add Equals, StartsWith, EndsWith, NotEquals, NotStartsWith or NotEndsWith with at least one value"),
            );
        }
    }
    // A5/A6: the category decides every later rule, so a selector without a
    // valid one is not checked further (what AWS does then is unobserved).
    let category = category(fields, at, cx, sel)?;
    let target = cx.target;
    // A7 (§10 R10): unknown names get the same per-category message.
    let mut known: Vec<(usize, Field, &FieldSelector)> = Vec::with_capacity(fields.len());
    for (j, fs) in fields.iter().enumerate() {
        let name = fs.field_name();
        let field = Field::from_api(name);
        match field {
            Some(f) if !cx.catalog.rule(target, f, category).operators.is_empty() => {
                known.push((j, f, fs))
            }
            Some(f)
                if target == Target::TelemetryRule
                    && !cx
                        .catalog
                        .rule(Target::EventDataStore, f, category)
                        .operators
                        .is_empty() =>
            {
                // W2: accepted on event data stores, unconfirmed here.
                cx.sink.warn(eds_only(
                    format!("{f} in {category} selectors is accepted by event data stores, not confirmed for telemetry rules"),
                    fs_at(at, j).key("Field"),
                    fs.field.as_ref().map_or(fs.span, |x| x.span),
                ));
            }
            _ => {
                let hint = if !cx.sink.keeps_errors() {
                    None
                } else if field.is_some() {
                    let allowed: Vec<&str> = Field::ALL
                        .iter()
                        .filter(|f| !cx.catalog.rule(target, **f, category).operators.is_empty())
                        .map(|f| f.as_str())
                        .collect();
                    Some(format!(
                        "{category} selectors on {} allow: {}",
                        target.plural(),
                        allowed.join(", ")
                    ))
                } else {
                    did_you_mean(name, Field::ALL.iter().map(|f| f.as_str()))
                        .map(|s| format!("did you mean `{s}`? field names are case-sensitive"))
                        .or_else(|| Some(format!("`{}` is not a selector field", shorten(name))))
                };
                let provenance = if category == Category::Management {
                    Provenance::Verbatim
                } else {
                    Provenance::Derived
                };
                cx.sink.error(
                    Diagnostic::service(
                        "A7",
                        provenance,
                        format!(
                            "The following field is not allowed when the eventCategory field value equals {category}: {name}."
                        ),
                        fs_at(at, j).key("Field"),
                        fs.field.as_ref().map_or(fs.span, |f| f.span),
                    )
                    .with_hint_opt(hint),
                );
            }
        }
    }
    // A8/A9 (§10 R11, R12): required fields.
    for required in cx
        .catalog
        .required_fields(target, category)
        .collect::<Vec<_>>()
    {
        if !known.iter().any(|(_, f, _)| *f == required) {
            let verbatim = matches!(
                (category, required),
                (Category::Data, Field::ResourcesType)
                    | (Category::NetworkActivity, Field::EventSource)
            );
            let hint = match required {
                Field::ResourcesType => "add {\"Field\": \"resources.type\", \"Equals\": [\"AWS::S3::Object\"]} (one type per selector)",
                Field::EventSource => "add {\"Field\": \"eventSource\", \"Equals\": [\"ec2.amazonaws.com\"]} (one event source per selector)",
                _ => "add the field",
            };
            cx.sink.error(
                Diagnostic::service(
                    if required == Field::EventSource { "A9" } else { "A8" },
                    if verbatim { Provenance::Verbatim } else { Provenance::Derived },
                    format!(
                        "The following selectors are required when the eventCategory field value equals {category}: [{required}]."
                    ),
                    at.key("FieldSelectors"),
                    sel.field_selectors.as_ref().map_or(sel.span, |f| f.span),
                )
                .with_hint(hint),
            );
        }
    }
    // §10 R13: any repeated field (verbatim for resources.type).
    for (n, (j, f, fs)) in known.iter().enumerate() {
        if known[..n].iter().any(|(_, g, _)| g == f) {
            cx.sink.error(
                Diagnostic::service(
                    "A8-dup",
                    if *f == Field::ResourcesType { Provenance::Verbatim } else { Provenance::Derived },
                    "A duplicate event selector was found for at least one field. Only one selector is allowed per field.",
                    fs_at(at, *j).key("Field"),
                    fs.field.as_ref().map_or(fs.span, |x| x.span),
                )
                .with_hint(format!("merge the values of both {f} field selectors into one, or split the selector in two")),
            );
        }
    }
    // A10: operators and values.
    let resource_type = known
        .iter()
        .find(|(_, f, _)| *f == Field::ResourcesType)
        .and_then(|(_, _, fs)| fs.operators.first())
        .and_then(|o| o.values.first())
        .map(|v| v.value.as_str());
    for (j, field, fs) in &known {
        if *field != Field::EventCategory {
            field_rules(*field, fs, category, resource_type, &fs_at(at, *j), cx);
        }
    }
    Some(category)
}

/// A warning on what an event data store accepts and a telemetry rule may
/// not (`targets.md` W2).
fn eds_only(message: String, at: Pointer, span: crate::source::Span) -> Diagnostic {
    Diagnostic::warning("W2", message, at, span).with_hint(
        "no source states which fields telemetry rules take; event data stores take this one",
    )
}

/// W5: the minima botocore's telemetry-rule model lacks, checked as the
/// trail's botocore checks them (project checks, not botocore).
fn telemetry_minima(sel: &AdvancedEventSelector, at: &Pointer, cx: &mut Cx<'_>) {
    let error = |message: String, at: Pointer, span| {
        Diagnostic::service("W5", Provenance::Project, message, at, span)
            .with_hint("a project check: botocore's telemetry-rule model sets no minimum here, but CloudTrail's selector language needs one")
    };
    if let Some(fsl) = &sel.field_selectors {
        if fsl.value.is_empty() {
            cx.sink.error(error(
                "FieldSelectors must hold at least one field selector.".into(),
                at.key("FieldSelectors"),
                fsl.span,
            ));
        }
    }
    for (j, fs) in sel.field_selectors().iter().enumerate() {
        let fat = fs_at(at, j);
        if let Some(f) = fs.field.as_ref().filter(|f| f.value.is_empty()) {
            cx.sink.error(error(
                "Field must not be empty.".into(),
                fat.key("Field"),
                f.span,
            ));
        }
        for op in &fs.operators {
            if op.values.is_empty() {
                cx.sink.error(error(
                    format!("{} must hold at least one value.", op.operator),
                    fat.key(op.operator.as_str()),
                    op.span,
                ));
            }
            for (k, v) in op.values.iter().enumerate() {
                if v.value.is_empty() {
                    cx.sink.error(error(
                        format!("Values of {} must not be empty.", op.operator),
                        fat.key(op.operator.as_str()).index(k),
                        v.span,
                    ));
                }
            }
        }
    }
}

/// `targets.md` T-U1 (project choice): one event data store holds one kind
/// of event, so its selectors' categories must all belong to one kind.
fn store_kinds(list: &SelectorList<AdvancedEventSelector>, cx: &mut Cx<'_>) {
    fn kind(c: Category) -> u8 {
        match c {
            Category::Management | Category::Data | Category::NetworkActivity => 0,
            Category::Insight => 1,
            Category::ConfigurationItem => 2,
            Category::Evidence => 3,
            Category::ActivityAuditLog => 4,
        }
    }
    let seen: Vec<(usize, Category)> = cx
        .categories
        .iter()
        .filter_map(|(i, c)| c.map(|c| (*i, c)))
        .collect();
    let Some(&(_, first)) = seen.first() else {
        return;
    };
    if let Some(&(i, other)) = seen.iter().find(|(_, c)| kind(*c) != kind(first)) {
        cx.sink.error(
            Diagnostic::service(
                "T-U1",
                Provenance::Project,
                format!("Event data store selectors mix event categories of different store kinds: {first}, {other}."),
                Pointer::root().index(i),
                list.items[i].span,
            )
            .with_hint("an event data store holds CloudTrail events (Management, Data, NetworkActivity), or Insight, ConfigurationItem, Evidence or ActivityAuditLog events alone; use one store per kind"),
        );
    }
}

/// A5 (§10 R7, R8) and A6 (§10 R9). Returns the category when valid.
fn category(
    fields: &[FieldSelector],
    at: &Pointer,
    cx: &mut Cx<'_>,
    sel: &AdvancedEventSelector,
) -> Option<Category> {
    let Some((j, fs)) = fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.field_name() == "eventCategory")
    else {
        cx.sink.error(
            Diagnostic::service(
                "A5",
                Provenance::Verbatim,
                "The following fields are required: [eventCategory].",
                at.key("FieldSelectors"),
                sel.field_selectors.as_ref().map_or(sel.span, |f| f.span),
            )
            .with_hint("add {\"Field\": \"eventCategory\", \"Equals\": [\"Management\"]} (or Data, or NetworkActivity)"),
        );
        return None;
    };
    let at = fs_at(at, j);
    let mut ok = true;
    for op in &fs.operators {
        if op.operator != Operator::Equals {
            cx.sink.error(
                Diagnostic::service(
                    "A5-op",
                    Provenance::Verbatim,
                    "Only the following operators are valid with the eventCategory field: [Equals].",
                    at.key(op.operator.as_str()),
                    op.key_span,
                )
                .with_hint("eventCategory takes only Equals"),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let values: Vec<_> = fs
        .operators
        .iter()
        .flat_map(|o| o.values.iter().enumerate())
        .collect();
    let mut category = None;
    let takes = cx.catalog.categories(cx.target).to_vec();
    let names: Vec<&str> = takes.iter().map(|c| c.as_str()).collect();
    for (k, v) in &values {
        match Category::from_api(&v.value).filter(|c| takes.contains(c)) {
            Some(c) => category = category.or(Some(c)),
            None if cx.target == Target::TelemetryRule
                && Category::from_api(&v.value).is_some() =>
            {
                // W1 (project choice): the rule feeds CloudWatch, which
                // takes management and data events only.
                cx.sink.error(
                    Diagnostic::service(
                        "W1",
                        Provenance::Project,
                        "CloudWatch telemetry rules ingest only Management and Data CloudTrail events.",
                        at.key("Equals").index(*k),
                        v.span,
                    )
                    .with_hint(format!("{} events need a trail or an event data store", v.value)),
                );
                return None;
            }
            None => {
                let hint = match Category::from_api(&v.value) {
                    Some(c) => format!(
                        "{c} is valid for CloudTrail Lake event data stores, not for {}",
                        cx.target.plural()
                    ),
                    None => did_you_mean(&v.value, names.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| {
                            format!("{} take {}", cx.target.plural(), names.join(", "))
                        }),
                };
                cx.sink.error(
                    Diagnostic::service(
                        "A6",
                        Provenance::Verbatim,
                        "The eventCategory field value is not valid.",
                        at.key("Equals").index(*k),
                        v.span,
                    )
                    .with_hint(hint),
                );
                return None;
            }
        }
    }
    if values.len() > 1 {
        // Spec U8: several categories in one selector are rejected.
        let (k, v) = values[1];
        cx.sink.error(
            Diagnostic::service(
                "A6-multi",
                Provenance::Derived,
                "The eventCategory field value is not valid.",
                at.key("Equals").index(k),
                v.span,
            )
            .with_hint("one category per selector: write one selector for each category"),
        );
        return None;
    }
    category
}

fn field_rules(
    field: Field,
    fs: &FieldSelector,
    category: Category,
    resource_type: Option<&str>,
    at: &Pointer,
    cx: &mut Cx<'_>,
) {
    let target = cx.target;
    let allowed = &cx.catalog.rule(target, field, category).operators;
    for op in &fs.operators {
        if !allowed.contains(&op.operator)
            && target == Target::TelemetryRule
            && cx
                .catalog
                .rule(Target::EventDataStore, field, category)
                .operators
                .contains(&op.operator)
        {
            cx.sink.warn(eds_only(
                format!("{} on {field} in {category} selectors is accepted by event data stores, not confirmed for telemetry rules", op.operator),
                at.key(op.operator.as_str()),
                op.key_span,
            ));
        } else if !allowed.contains(&op.operator) {
            let list: Vec<&str> = allowed.iter().map(|o| o.as_str()).collect();
            let hint = match (field, category) {
                (Field::ReadOnly, _) => "readOnly takes only Equals".to_string(),
                (Field::EventSource, Category::Management) => {
                    "in Management selectors eventSource takes only NotEquals, with kms.amazonaws.com or rdsdata.amazonaws.com".to_string()
                }
                (Field::ResourcesType, _) => "resources.type takes only Equals, with one type".to_string(),
                _ => format!("{field} takes only {} in {category} selectors", list.join(", ")),
            };
            cx.sink.error(
                Diagnostic::service(
                    "A10-op",
                    Provenance::Derived,
                    format!(
                        "Only the following operators are valid with the {field} field: [{}].",
                        list.join(", ")
                    ),
                    at.key(op.operator.as_str()),
                    op.key_span,
                )
                .with_hint(hint),
            );
        }
    }
    let mut n_values = 0;
    for op in &fs.operators {
        for (k, v) in op.values.iter().enumerate() {
            n_values += 1;
            let vat = at.key(op.operator.as_str()).index(k);
            if v.value.chars().count() > MAX_VALUE_LEN {
                cx.sink.error(Diagnostic::service(
                    "A-len",
                    Provenance::Project,
                    format!(
                        "Value {} for {field} is too long. The maximum length is {MAX_VALUE_LEN} characters.",
                        shorten(&v.value)
                    ),
                    vat.clone(),
                    v.span,
                ));
                continue;
            }
            let hint = value_error(field, category, op.operator, &v.value, resource_type, cx);
            let telemetry_source = target == Target::TelemetryRule
                && field == Field::EventSource
                && category == Category::Management;
            if hint.is_some() && telemetry_source && !allowed.contains(&op.operator) {
                // The operator drew its W2 warning already.
            } else if hint.is_some() && telemetry_source {
                cx.sink.warn(eds_only(
                    format!("eventSource {} in Management selectors is accepted by event data stores, not confirmed for telemetry rules", shorten(&v.value)),
                    vat.clone(),
                    v.span,
                ));
            } else if let Some(hint) = hint {
                let (provenance, message) = match field {
                    Field::ErrorCode => (
                        Provenance::Verbatim,
                        "The errorCode field value is not valid.".to_string(),
                    ),
                    Field::ResourcesType => (
                        Provenance::Project,
                        format!("Value {} for resources.type is invalid.", shorten(&v.value)),
                    ),
                    Field::ResourcesArn => (
                        Provenance::Project,
                        format!("Value {} for resources.ARN is invalid.", shorten(&v.value)),
                    ),
                    _ => (
                        Provenance::Derived,
                        format!("The {field} field value is not valid."),
                    ),
                };
                cx.sink.error(
                    Diagnostic::service("A10", provenance, message, vat.clone(), v.span)
                        .with_hint(hint),
                );
            } else {
                value_warnings(
                    field,
                    op.operator,
                    &v.value,
                    resource_type,
                    &vat,
                    v.span,
                    cx,
                );
            }
        }
    }
    // Spec U8: one resource type per selector, one NetworkActivity source.
    let single = field == Field::ResourcesType
        || (field == Field::EventSource && category == Category::NetworkActivity);
    if !single || n_values < 2 {
        return;
    }
    let second = fs
        .operators
        .iter()
        .flat_map(|o| {
            o.values
                .iter()
                .enumerate()
                .map(move |(k, v)| (k, v, o.operator))
        })
        .nth(1);
    if let Some((k, v, op)) = second {
        cx.sink.error(
            Diagnostic::service(
                "A10-multi",
                Provenance::Derived,
                format!("The {field} field value is not valid."),
                at.key(op.as_str()).index(k),
                v.span,
            )
            .with_hint(format!(
                "one {field} value per selector: write one selector for each"
            )),
        );
    }
}

/// The hint for a value the service rejects, or `None` when it is valid.
fn value_error(
    field: Field,
    category: Category,
    operator: Operator,
    value: &str,
    resource_type: Option<&str>,
    cx: &Cx<'_>,
) -> Option<String> {
    let keeps = cx.sink.keeps_errors();
    let hint = match field {
        Field::ReadOnly => (!matches!(value, "true" | "false")).then(|| {
            if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") {
                format!("write \"{}\" in lowercase", value.to_ascii_lowercase())
            } else {
                "readOnly is \"true\" or \"false\"".to_string()
            }
        }),
        Field::ResourcesType => (!cx.catalog.is_resource_type(value)).then(|| {
            keeps
                .then(|| did_you_mean(value, cx.catalog.resource_types()))
                .flatten()
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    "not in ctsel's resource type catalogue; if AWS added it recently, pass --extra-resource-types".to_string()
                })
        }),
        // An event data store filters management events on any source.
        Field::EventSource
            if category == Category::Management && cx.target == Target::EventDataStore =>
        {
            None
        }
        Field::EventSource if category == Category::Management => {
            (!super::basic::EXCLUDABLE_SOURCES.contains(&value)).then(|| {
                "Management selectors can only exclude kms.amazonaws.com or rdsdata.amazonaws.com".to_string()
            })
        }
        Field::EventSource if category == Category::NetworkActivity => {
            (!cx.catalog.is_network_source(value)).then(|| {
                keeps
                    .then(|| did_you_mean(value, cx.catalog.network_sources()))
                    .flatten()
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        "not a network activity event source; if AWS added it recently, pass --extra-network-sources".to_string()
                    })
            })
        }
        Field::ErrorCode => (value != "VpceAccessDenied")
            .then(|| "errorCode takes only VpceAccessDenied".to_string()),
        Field::SessionCredentialFromConsole => (!matches!(value, "true" | "false"))
            .then(|| "sessionCredentialFromConsole is \"true\" or \"false\"".to_string()),
        Field::ResourcesArn if matches!(operator, Operator::Equals | Operator::NotEquals) => {
            let t = resource_type.unwrap_or("");
            (advanced_exact_arn(t, value) == ArnShape::NotAnArn).then(|| {
                format!("with {operator} the value must be a whole ARN of {t}; use StartsWith/NotStartsWith for prefixes")
            })
        }
        _ => None,
    };
    hint
}

fn value_warnings(
    field: Field,
    operator: Operator,
    value: &str,
    resource_type: Option<&str>,
    at: &Pointer,
    span: crate::source::Span,
    cx: &mut Cx<'_>,
) {
    if value.contains('*') {
        cx.sink.warn(
            Diagnostic::warning(
                "literal-star",
                format!(
                    "`*` in {} is a literal character, not a wildcard",
                    shorten(value)
                ),
                at.clone(),
                span,
            )
            .with_hint("use StartsWith or EndsWith for partial matches"),
        );
    }
    if field == Field::EventSource
        && cx.target == Target::EventDataStore
        && !value.ends_with(".amazonaws.com")
        && !matches!(operator, Operator::StartsWith | Operator::NotStartsWith)
    {
        // targets.md T-U4 (project choice): accepted, but likely a typo.
        cx.sink.warn(
            Diagnostic::warning(
                "event-source-shape",
                format!("{} does not look like an event source", shorten(value)),
                at.clone(),
                span,
            )
            .with_hint("event sources end in .amazonaws.com, e.g. ec2.amazonaws.com"),
        );
    }
    if field == Field::SessionCredentialFromConsole && value == "false" {
        cx.sink.warn(
            Diagnostic::warning(
                "session-credential-false",
                "records carry sessionCredentialFromConsole only when it is \"true\"",
                at.clone(),
                span,
            )
            .with_hint("to match events not from console sessions, use NotEquals [\"true\"]"),
        );
    }
    if field == Field::ResourcesArn && matches!(operator, Operator::Equals | Operator::NotEquals) {
        if let ArnShape::Unexpected(why) = advanced_exact_arn(resource_type.unwrap_or(""), value) {
            cx.sink.warn(
                Diagnostic::warning(
                    "arn-shape",
                    format!(
                        "{} does not look like an ARN of {}",
                        shorten(value),
                        resource_type.unwrap_or("the selected type")
                    ),
                    at.clone(),
                    span,
                )
                .with_hint(why),
            );
        }
    }
}

/// A1 (§10 R6): every value of every operator counts, the mandatory
/// eventCategory and resources.type values included.
fn total_values(list: &SelectorList<AdvancedEventSelector>, cx: &mut Cx<'_>) {
    let mut counted = 0usize;
    for (i, sel) in list.items.iter().enumerate() {
        for (j, fs) in sel.field_selectors().iter().enumerate() {
            for op in &fs.operators {
                if counted + op.values.len() <= MAX_VALUES {
                    counted += op.values.len();
                    continue;
                }
                let k = MAX_VALUES - counted;
                let at = fs_at(&Pointer::root().index(i), j)
                    .key(op.operator.as_str())
                    .index(k);
                if cx.target == Target::TelemetryRule {
                    // W4: no source gives telemetry rules a limit.
                    cx.sink.warn(
                        Diagnostic::warning(
                            "W4",
                            "more than 500 values over all selectors: trails and event data stores refuse that, and telemetry rules may too",
                            at,
                            op.values[k].span,
                        )
                        .with_hint("this is value 501; use shorter common prefixes with StartsWith"),
                    );
                    return;
                }
                cx.sink.error(
                    Diagnostic::service(
                        "A1",
                        Provenance::Verbatim,
                        "There are too many filters applied. The maximum allowed number of filters is 500.",
                        at,
                        op.values[k].span,
                    )
                    .with_hint("this is value 501 across all selectors (eventCategory and resources.type values count too); use shorter common prefixes with StartsWith"),
                );
                return;
            }
        }
    }
}
