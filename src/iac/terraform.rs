//! Terraform: a plan (`terraform show -json`) or `.tf` sources.
//!
//! Both arrive here as one resource's attribute values in Terraform's own
//! shape (`event_selector`, `field_selector`, snake-case operators), with
//! values unknown until apply already replaced by placeholders whose spans
//! the caller knows. [`request`] then maps them onto the API request the
//! provider would send, following its expand functions (`targets.md`
//! §T3.4–§T3.6): defaults the provider always sends are filled in, empty
//! lists are dropped (the provider never sends them), `name` is `""` when
//! unset, and a trail with no selector blocks keeps AWS's default.

use super::intrinsic::UNKNOWN;

/// What stands for an attribute a plan leaves absent because the provider
/// computes it (event data store blocks are Optional + Computed): no
/// condition, unless nothing else is known of the block.
const COMPUTED: &str = "<computed by the provider>";

/// The top-level attributes that become part of the request; unknowns
/// elsewhere (`arn`, `id`, `tags_all`) are not the selectors' business.
const RELEVANT: [&str; 11] = [
    "name",
    "event_selector",
    "advanced_event_selector",
    "multi_region_enabled",
    "organization_enabled",
    "retention_period",
    "termination_protection_enabled",
    "billing_mode",
    "suspend",
    "rule_name",
    "rule",
];
use super::{file_note, member, rule_request, Resource, SelectorFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{DocumentShape, Target};
use crate::parse::json::{Member, Node, Value};
use crate::parse::{self, ParseOptions};
use crate::source::{Pointer, SourceText, Span};
use std::sync::Arc;

/// The Terraform resource types that hold selectors, and their target.
pub(super) const RESOURCE_TYPES: [(&str, Target); 4] = [
    ("aws_cloudtrail", Target::Trail),
    ("aws_cloudtrail_event_data_store", Target::EventDataStore),
    (
        "aws_observabilityadmin_telemetry_rule",
        Target::TelemetryRule,
    ),
    (
        "aws_observabilityadmin_telemetry_rule_for_organization",
        Target::TelemetryRule,
    ),
];

/// Terraform's operator attributes and the API's names for them.
const OPERATORS: [(&str, &str); 6] = [
    ("equals", "Equals"),
    ("starts_with", "StartsWith"),
    ("ends_with", "EndsWith"),
    ("not_equals", "NotEquals"),
    ("not_starts_with", "NotStartsWith"),
    ("not_ends_with", "NotEndsWith"),
];

pub(super) fn target_of(ty: &str) -> Option<Target> {
    RESOURCE_TYPES
        .iter()
        .find(|(t, _)| *t == ty)
        .map(|(_, target)| *target)
}

fn node(span: Span, value: Value) -> Node {
    Node { span, value }
}

fn text(s: &str, span: Span) -> Node {
    node(span, Value::String(s.to_string()))
}

fn put(out: &mut Vec<Member>, key: &str, value: Node) {
    out.push(Member {
        key: key.into(),
        key_span: value.span,
        value,
    });
}

/// The elements of a block list or list attribute: none for `null`, `[]`
/// or an absent attribute; a placeholder stands for a list of unknown
/// length, as one unknown element.
fn items(v: Option<&Node>) -> Vec<&Node> {
    match v.map(|n| &n.value) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::String(s)) if s == UNKNOWN => v.into_iter().collect(),
        // COMPUTED, null, absent: nothing.
        _ => Vec::new(),
    }
}

fn get<'n>(v: &'n Node, key: &str) -> Option<&'n Node> {
    member(v, key)
        .map(|m| &m.value)
        .filter(|n| !matches!(n.value, Value::Null))
}

/// A string list the provider sends only when non-empty.
fn strings(v: Option<&Node>) -> Option<Node> {
    let v = v?;
    let list = items(Some(v));
    (!list.is_empty()).then(|| node(v.span, Value::Array(list.into_iter().cloned().collect())))
}

fn advanced(selectors: &[&Node], fields_key: &str, unknown: &mut Vec<Span>) -> Node {
    let mut out = Vec::new();
    for s in selectors {
        let mut sel = Vec::new();
        // The provider always sends a name, "" when unset.
        put(
            &mut sel,
            "Name",
            get(s, "name").cloned().unwrap_or_else(|| text("", s.span)),
        );
        let mut fields = Vec::new();
        for f in items(get(s, fields_key)) {
            let mut fs = Vec::new();
            if let Some(field) = get(f, "field") {
                put(&mut fs, "Field", field.clone());
            }
            let mut computed = None;
            for (tf, api) in OPERATORS {
                if let Some(list) = strings(get(f, tf)) {
                    put(&mut fs, api, list);
                } else if let Some(c) = get(f, tf).filter(|n| is_text(n, COMPUTED)) {
                    computed = computed.or(Some(c.span));
                }
            }
            // Operators the plan leaves to the provider, and none known:
            // the condition is unknown, not missing.
            if let (Some(span), true) = (computed, fs.len() <= 1) {
                unknown.push(span);
                put(
                    &mut fs,
                    "Equals",
                    node(span, Value::Array(vec![text(UNKNOWN, span)])),
                );
            }
            fields.push(node(f.span, Value::Object(fs)));
        }
        let span = get(s, fields_key).map_or(s.span, |f| f.span);
        put(&mut sel, "FieldSelectors", node(span, Value::Array(fields)));
        out.push(node(s.span, Value::Object(sel)));
    }
    let span = selectors.first().map_or(Span::default(), |s| s.span);
    node(span, Value::Array(out))
}

/// The API request for a resource of type `ty` with attribute `values`;
/// `None` when it holds no CloudTrail selectors (a telemetry rule for
/// another resource type). Notes say what the mapping assumed.
pub(super) fn request(
    ty: &str,
    values: &Node,
    notes: &mut Vec<Diagnostic>,
    unknown: &mut Vec<Span>,
) -> Option<Node> {
    let span = values.span;
    let mut out = Vec::new();
    let target = target_of(ty)?;
    let name_key = match target {
        Target::Trail => "TrailName",
        Target::EventDataStore => "Name",
        Target::TelemetryRule => "RuleName",
    };
    let name_attr = if target == Target::TelemetryRule {
        "rule_name"
    } else {
        "name"
    };
    put(
        &mut out,
        name_key,
        get(values, name_attr)
            .cloned()
            .unwrap_or_else(|| text(UNKNOWN, span)),
    );
    match target {
        Target::Trail => {
            let basic = items(get(values, "event_selector"));
            let adv = items(get(values, "advanced_event_selector"));
            if !basic.is_empty() {
                let mut list = Vec::new();
                for s in &basic {
                    let mut sel = Vec::new();
                    let or = |k: &str, v: Value| get(s, k).cloned().unwrap_or(node(s.span, v));
                    put(
                        &mut sel,
                        "ReadWriteType",
                        or("read_write_type", Value::String("All".into())),
                    );
                    put(
                        &mut sel,
                        "IncludeManagementEvents",
                        or("include_management_events", Value::Bool(true)),
                    );
                    if let Some(ex) = strings(get(s, "exclude_management_event_sources")) {
                        put(&mut sel, "ExcludeManagementEventSources", ex);
                    }
                    let drs: Vec<Node> = items(get(s, "data_resource"))
                        .into_iter()
                        .map(|d| {
                            let mut dr = Vec::new();
                            if let Some(t) = get(d, "type") {
                                put(&mut dr, "Type", t.clone());
                            }
                            let values = get(d, "values")
                                .map(|v| {
                                    node(
                                        v.span,
                                        Value::Array(items(Some(v)).into_iter().cloned().collect()),
                                    )
                                })
                                .unwrap_or_else(|| node(d.span, Value::Array(Vec::new())));
                            put(&mut dr, "Values", values);
                            node(d.span, Value::Object(dr))
                        })
                        .collect();
                    if !drs.is_empty() {
                        let dspan = get(s, "data_resource").map_or(s.span, |d| d.span);
                        put(&mut sel, "DataResources", node(dspan, Value::Array(drs)));
                    }
                    list.push(node(s.span, Value::Object(sel)));
                }
                let lspan = get(values, "event_selector").map_or(span, |n| n.span);
                put(&mut out, "EventSelectors", node(lspan, Value::Array(list)));
            }
            if !adv.is_empty() {
                let mut list = advanced(&adv, "field_selector", unknown);
                list.span = get(values, "advanced_event_selector").map_or(span, |n| n.span);
                put(&mut out, "AdvancedEventSelectors", list);
            }
            if basic.is_empty() && adv.is_empty() {
                // PutEventSelectors is not called: the trail keeps AWS's
                // default, which is what is checked.
                notes.push(super::default_trail_selector_note(span));
                out.push(super::default_trail_selectors(span));
            }
        }
        Target::EventDataStore => {
            let adv = items(get(values, "advanced_event_selector"));
            if !adv.is_empty() {
                let mut list = advanced(&adv, "field_selector", unknown);
                list.span = get(values, "advanced_event_selector").map_or(span, |n| n.span);
                put(&mut out, "AdvancedEventSelectors", list);
            }
            for (tf, api) in [
                ("multi_region_enabled", "MultiRegionEnabled"),
                ("organization_enabled", "OrganizationEnabled"),
                ("retention_period", "RetentionPeriod"),
                (
                    "termination_protection_enabled",
                    "TerminationProtectionEnabled",
                ),
                ("billing_mode", "BillingMode"),
            ] {
                if let Some(v) = get(values, tf).filter(|v| !is_unknown(v)) {
                    put(&mut out, api, v.clone());
                }
            }
            // `suspend` is the provider's negation of StartIngestion.
            if let Some(Node {
                span,
                value: Value::Bool(b),
            }) = get(values, "suspend")
            {
                put(&mut out, "StartIngestion", node(*span, Value::Bool(!b)));
            }
        }
        Target::TelemetryRule => {
            let rule = items(get(values, "rule")).into_iter().next()?;
            if let Some(Value::String(t)) = get(rule, "resource_type").map(|n| &n.value) {
                if t != "AWS::CloudTrail" && t != UNKNOWN {
                    return None;
                }
            }
            let params = items(get(rule, "destination_configuration"))
                .into_iter()
                .next()
                .and_then(|d| items(get(d, "cloudtrail_parameters")).into_iter().next());
            if let Some(p) = params {
                let adv = items(get(p, "advanced_event_selectors"));
                let mut list = advanced(&adv, "field_selectors", unknown);
                list.span = get(p, "advanced_event_selectors").map_or(p.span, |n| n.span);
                put(&mut out, "AdvancedEventSelectors", list);
            }
            // The members synthesized around the selectors sit at a
            // zero-width place of their own, which the caller hides.
            return Some(rule_request(out, synthesized(span)));
        }
    }
    Some(node(span, Value::Object(out)))
}

fn synthesized(span: Span) -> Span {
    Span::new(span.start as usize, span.start as usize)
}

fn is_unknown(v: &Node) -> bool {
    is_text(v, UNKNOWN)
}

fn is_text(v: &Node, t: &str) -> bool {
    matches!(&v.value, Value::String(s) if s == t)
}

/// A resource's values turned into a checked [`Resource`].
#[allow(clippy::too_many_arguments)]
pub(super) fn resource(
    address: String,
    ty: &str,
    values: Node,
    source: SourceText,
    root: Option<Arc<Node>>,
    mut unknown: Vec<Span>,
    mut notes: Vec<Diagnostic>,
    options: &ParseOptions,
) -> Option<Resource> {
    let target = target_of(ty)?;
    let request = request(ty, &values, &mut notes, &mut unknown)?;
    let api = ParseOptions {
        shape: Some(DocumentShape::Request),
        client: parse::Client::Sdk,
        target: Some(target),
        ..options.clone()
    };
    let mut document = parse::convert_resource(source, &request, &api);
    super::drop_unknown_values(&mut document, &unknown);
    // A name Terraform leaves to apply (or a telemetry rule's synthesized
    // members) is not the selectors' business.
    let mut hidden = Vec::new();
    if let Value::Object(ms) = &request.value {
        for m in ms {
            if matches!(m.key.as_str(), "TrailName" | "Name" | "RuleName") && is_unknown(&m.value) {
                hidden.push(m.value.span);
            }
        }
    }
    if target == Target::TelemetryRule {
        hidden.push(synthesized(values.span));
    }
    Some(Resource {
        name: Some(address),
        resource_type: Some(ty.to_string()),
        document,
        notes,
        unknown,
        hidden,
        root,
        values: Some(Arc::new(values)),
    })
}

/// Reads a plan: each resource created or updated, from `resource_changes`
/// (its `after`, with `after_unknown` marking what apply decides), or from
/// `planned_values` when there are no changes listed (a state file's
/// `values` too).
pub(super) fn plan(
    file: &mut SelectorFile,
    source: SourceText,
    root: Node,
    options: &ParseOptions,
) {
    let root = Arc::new(root);
    let changes = member(&root, "resource_changes").map(|m| &m.value);
    let mut found = 0;
    if let Some(Node {
        value: Value::Array(changes),
        ..
    }) = changes
    {
        for rc in changes {
            let (Some(ty), Some(address)) = (str_member(rc, "type"), str_member(rc, "address"))
            else {
                continue;
            };
            if target_of(ty).is_none() {
                continue;
            }
            let Some(change) = member(rc, "change").map(|m| &m.value) else {
                continue;
            };
            let actions: Vec<&str> = match member(change, "actions").map(|m| &m.value.value) {
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|n| match &n.value {
                        Value::String(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if !actions.iter().any(|a| matches!(*a, "create" | "update")) {
                continue;
            }
            let Some(after) = member(change, "after").map(|m| &m.value) else {
                continue;
            };
            let mut unknown = Vec::new();
            let after_unknown = member(change, "after_unknown").map(|m| &m.value);
            let computed = target_of(ty) == Some(Target::EventDataStore);
            let values = merge_top(after, after_unknown, computed, &mut unknown);
            let mut notes = Vec::new();
            if !unknown.is_empty() {
                notes.push(Diagnostic::warning(
                    "unresolved",
                    format!("{address}: {} value(s) are known only after apply; the rules that need them are not checked", unknown.len()),
                    Pointer::root(),
                    unknown[0],
                ));
            }
            found += 1;
            if let Some(r) = resource(
                address.to_string(),
                ty,
                values,
                source.clone(),
                Some(root.clone()),
                unknown,
                notes,
                options,
            ) {
                file.resources.push(r);
            }
        }
    }
    if changes.is_none() {
        let values = member(&root, "planned_values")
            .or_else(|| member(&root, "values"))
            .map(|m| &m.value)
            .and_then(|v| member(v, "root_module"))
            .map(|m| &m.value);
        if let Some(module) = values {
            planned(file, &source, &root, module, options, &mut found);
        }
    }
    if found == 0 {
        file.notes.push(file_note(
            Severity::Warning,
            format!(
                "no resource with CloudTrail selectors is created or updated by this plan (looked for {})",
                RESOURCE_TYPES.map(|(t, _)| t).join(", ")
            ),
            Span::new(root.span.start as usize, root.span.start as usize + 1),
        ));
    }
}

/// `planned_values.root_module` and its `child_modules`, depth first.
fn planned(
    file: &mut SelectorFile,
    source: &SourceText,
    root: &Arc<Node>,
    module: &Node,
    options: &ParseOptions,
    found: &mut usize,
) {
    if let Some(Value::Array(rs)) = member(module, "resources").map(|m| &m.value.value) {
        for r in rs {
            let (Some(ty), Some(address)) = (str_member(r, "type"), str_member(r, "address"))
            else {
                continue;
            };
            let Some(values) = member(r, "values").map(|m| &m.value) else {
                continue;
            };
            if target_of(ty).is_none() {
                continue;
            }
            *found += 1;
            if let Some(res) = resource(
                address.to_string(),
                ty,
                values.clone(),
                source.clone(),
                Some(root.clone()),
                Vec::new(),
                Vec::new(),
                options,
            ) {
                file.resources.push(res);
            }
        }
    }
    if let Some(Value::Array(children)) = member(module, "child_modules").map(|m| &m.value.value) {
        for c in children {
            planned(file, source, root, c, options, found);
        }
    }
}

fn str_member<'n>(n: &'n Node, key: &str) -> Option<&'n str> {
    match member(n, key).map(|m| &m.value.value) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// [`merge_unknown`] over the attributes that become the request.
fn merge_top(after: &Node, unknown: Option<&Node>, computed: bool, spans: &mut Vec<Span>) -> Node {
    let (
        Value::Object(ms),
        Some(Node {
            value: Value::Object(us),
            ..
        }),
    ) = (&after.value, unknown)
    else {
        return after.clone();
    };
    let keep = |k: &str| RELEVANT.contains(&k);
    let relevant_u = Node {
        span: unknown.map_or(after.span, |u| u.span),
        value: Value::Object(us.iter().filter(|m| keep(&m.key)).cloned().collect()),
    };
    let relevant_a = Node {
        span: after.span,
        value: Value::Object(ms.iter().filter(|m| keep(&m.key)).cloned().collect()),
    };
    merge_unknown(&relevant_a, Some(&relevant_u), computed, spans)
}

/// `after` with a placeholder wherever `after_unknown` says apply decides
/// the value: an unknown leaf or list is absent from `after` (or null),
/// and `true` in `after_unknown`. Where the provider computes what is
/// absent (`computed`), an absent member is [`COMPUTED`], not unknown.
fn merge_unknown(
    after: &Node,
    unknown: Option<&Node>,
    computed: bool,
    spans: &mut Vec<Span>,
) -> Node {
    let Some(u) = unknown else {
        return after.clone();
    };
    if let Value::Bool(true) = u.value {
        if computed && matches!(after.value, Value::Null) {
            return text(COMPUTED, u.span);
        }
        spans.push(u.span);
        return text(UNKNOWN, u.span);
    }
    match (&after.value, &u.value) {
        (Value::Object(ms), Value::Object(us)) => {
            let mut out: Vec<Member> = ms
                .iter()
                .map(|m| {
                    let mu = us.iter().find(|x| x.key == m.key).map(|x| &x.value);
                    Member {
                        key: m.key.clone(),
                        key_span: m.key_span,
                        value: merge_unknown(&m.value, mu, computed, spans),
                    }
                })
                .collect();
            // Unknown members absent from `after` altogether.
            for x in us {
                if matches!(x.value.value, Value::Bool(true)) && !ms.iter().any(|m| m.key == x.key)
                {
                    let placeholder = if computed {
                        COMPUTED
                    } else {
                        spans.push(x.value.span);
                        UNKNOWN
                    };
                    out.push(Member {
                        key: x.key.clone(),
                        key_span: x.key_span,
                        value: text(placeholder, x.value.span),
                    });
                }
            }
            node(after.span, Value::Object(out))
        }
        (Value::Array(items), Value::Array(us)) => node(
            after.span,
            Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| merge_unknown(n, us.get(i), computed, spans))
                    .collect(),
            ),
        ),
        _ => after.clone(),
    }
}

/// Where `span` sits in a resource's values, as Terraform names it, with
/// set elements (`field_selector`) named by their field, since their
/// order is the set's, not the source's:
/// `advanced_event_selector[0].field_selector{field="resources.type"}.equals[0]`.
pub(super) fn path(values: &Node, span: Span) -> String {
    let mut out = String::new();
    let mut n = values;
    let mut parent_key = "";
    'down: loop {
        match &n.value {
            Value::Object(ms) => {
                for m in ms {
                    if super::inside(m.value.span, span) && m.value.span != n.span {
                        if !out.is_empty() {
                            out.push('.');
                        }
                        out.push_str(&m.key);
                        parent_key = &m.key;
                        n = &m.value;
                        continue 'down;
                    }
                }
                return out;
            }
            Value::Array(items) => {
                // A block list of one block in a source spans no more
                // than the block: a finding on the list stays there.
                if span == n.span {
                    return out;
                }
                for (i, item) in items.iter().enumerate() {
                    if super::inside(item.span, span) {
                        let field = matches!(parent_key, "field_selector" | "field_selectors")
                            .then(|| str_member(item, "field"))
                            .flatten();
                        match field {
                            Some(f) => out.push_str(&format!("{{field={f:?}}}")),
                            None => out.push_str(&format!("[{i}]")),
                        }
                        n = item;
                        continue 'down;
                    }
                }
                return out;
            }
            _ => return out,
        }
    }
}
