//! Rules of event data stores beyond their selectors (`targets.md` §T1.2,
//! §T1.4, §T1.5): settings that constrain the categories, retention, the
//! selector count, and the context keys events are enriched with.
//!
//! No source quotes the service's words for most of these; those messages
//! are the project's and say so ([`Provenance::Project`]). The one recorded
//! from a real deployment (`MaxEventSize` missing) is verbatim.

use super::catalog::entries;
use super::Cx;
use crate::diagnostic::{Diagnostic, Provenance};
use crate::model::{Category, Document};
use crate::source::Pointer;

/// The exception CloudTrail declares for bad store parameters.
pub const INVALID_PARAMETER: &str = "InvalidParameterException";
/// The exception declared for PutEventConfiguration's combinations.
pub const INVALID_PARAMETER_COMBINATION: &str = "InvalidParameterCombinationException";

const REQUEST_CONTEXT_KEYS: &str = include_str!("catalog/request_context_keys.txt");

/// AWS documents five advanced selectors per store (L2).
pub const MAX_STORE_SELECTORS: usize = 5;

pub(super) fn check(doc: &Document, cx: &mut Cx<'_>) {
    let store = &doc.store;
    let categories: Vec<Category> = cx.categories.iter().filter_map(|(_, c)| *c).collect();
    // A store given no selectors logs all management events.
    let only_default = doc.advanced.is_none();
    let has = |c: Category| categories.contains(&c) || (only_default && c == Category::Management);

    if let Some(list) = &doc.advanced {
        if list.items.len() > MAX_STORE_SELECTORS {
            let message = format!(
                "AWS documents at most five advanced event selectors per event data store (found {}).",
                list.items.len()
            );
            let at = Pointer::root().index(MAX_STORE_SELECTORS);
            let span = list.items[MAX_STORE_SELECTORS].span;
            let hint = "the quota page names only the 500-value bound; --strict-eds-selector-count makes this an error";
            if cx.strict_store_selector_count {
                cx.sink.error(
                    Diagnostic::service("L2", Provenance::Project, message, at, span)
                        .with_hint(hint),
                );
            } else {
                cx.sink
                    .warn(Diagnostic::warning("L2", message, at, span).with_hint(hint));
            }
        }
    }

    if has(Category::ActivityAuditLog) {
        for (flag, name) in [
            (&store.multi_region, "MultiRegionEnabled"),
            (&store.organization, "OrganizationEnabled"),
        ] {
            if let Some(v) = flag.as_ref().filter(|v| v.value) {
                cx.sink.error(
                    Diagnostic::service(
                        "T1.2-aal",
                        Provenance::Project,
                        format!("An event data store for events from outside AWS must be for a single Region and a single account: {name} must be false."),
                        Pointer::root().key(name),
                        v.span,
                    )
                    .with_exception(INVALID_PARAMETER)
                    .with_hint("ActivityAuditLog stores cannot be multi-Region or organization stores"),
                );
            }
        }
    }

    if let Some(v) = store.start_ingestion.as_ref().filter(|v| !v.value) {
        let ok = [
            Category::Management,
            Category::Data,
            Category::ConfigurationItem,
        ];
        if let Some(c) = categories.iter().find(|c| !ok.contains(c)) {
            cx.sink.error(
                Diagnostic::service(
                    "T1.2-ingestion",
                    Provenance::Project,
                    format!("StartIngestion false is valid only for event data stores of Management, Data or ConfigurationItem events, not {c}."),
                    Pointer::root().key("StartIngestion"),
                    v.span,
                )
                .with_exception(INVALID_PARAMETER)
                .with_hint("create the store with ingestion started"),
            );
        }
    }

    if let Some(r) = &store.retention_period {
        let fixed = store
            .billing_mode
            .as_ref()
            .is_some_and(|b| b.value == "FIXED_RETENTION_PRICING");
        let max = if fixed { 2557 } else { 3653 };
        if !(7..=max).contains(&r.value) {
            cx.sink.error(
                Diagnostic::service(
                    "L4",
                    Provenance::Project,
                    format!(
                        "RetentionPeriod must be from 7 to {max} days{}; found {}.",
                        if fixed {
                            " with FIXED_RETENTION_PRICING"
                        } else {
                            ""
                        },
                        r.value
                    ),
                    Pointer::root().key("RetentionPeriod"),
                    r.span,
                )
                .with_exception(INVALID_PARAMETER)
                .with_hint("extendable retention pricing allows up to 3653 days, fixed up to 2557"),
            );
        }
    }

    context_keys(doc, cx);

    if store.creates && cx.lake_notice {
        let span = doc
            .advanced
            .as_ref()
            .map_or(crate::source::Span::new(0, 1), |l| {
                l.key_span.unwrap_or(l.span)
            });
        cx.sink.warn(
            Diagnostic::warning(
                "lake-closed",
                "CloudTrail Lake has been closed to new customers since 2026-05-31; creation succeeds only for existing CloudTrail Lake customers.",
                Pointer::root(),
                span,
            )
            .with_hint("ctsel cannot know the account's status; --no-lake-notice hides this"),
        );
    }
}

/// K1–K5: context key selectors and the event size they need.
fn context_keys(doc: &Document, cx: &mut Cx<'_>) {
    let store = &doc.store;
    let Some(list) = &store.context_key_selectors else {
        return;
    };
    let at = Pointer::root().key("ContextKeySelectors");
    let err = |rule: &'static str, provenance, message: String, at: Pointer, span, exception| {
        Diagnostic::service(rule, provenance, message, at, span).with_exception(exception)
    };
    if !list.value.is_empty() {
        match &store.max_event_size {
            Some(m) if m.value == "Large" => {}
            other => {
                // Verbatim for a missing MaxEventSize (a real deployment);
                // T-U7: the same text assumed for Standard.
                let (provenance, span) = match other {
                    None => (Provenance::Verbatim, list.span),
                    Some(m) => (Provenance::Derived, m.span),
                };
                cx.sink.error(
                    err(
                        "K1",
                        provenance,
                        "The request is not valid because a value for MaxEventSize is missing. You must set the value of MaxEventSize to Large before you can set values for ContextKeySelectors.".into(),
                        Pointer::root().key("MaxEventSize"),
                        span,
                        INVALID_PARAMETER_COMBINATION,
                    )
                    .with_hint("add MaxEventSize: Large (events up to 1 MB)"),
                );
            }
        }
    }
    if list.value.len() > 2 {
        cx.sink.error(err(
            "K2",
            Provenance::Project,
            format!(
                "At most 2 ContextKeySelectors are allowed; found {}.",
                list.value.len()
            ),
            at.index(2),
            list.value[2].span,
            INVALID_PARAMETER,
        ));
    }
    let known: Vec<&str> = entries(REQUEST_CONTEXT_KEYS).collect();
    let mut seen: Vec<&str> = Vec::new();
    for (i, sel) in list.value.iter().enumerate() {
        let sat = at.index(i);
        let ty = sel.type_.as_ref().map(|t| t.value.as_str());
        if let Some(t) = &sel.type_ {
            if !matches!(t.value.as_str(), "TagContext" | "RequestContext") {
                cx.sink.error(
                    err(
                        "K2",
                        Provenance::Project,
                        format!(
                            "ContextKeySelector Type {} is not valid: use TagContext or RequestContext.",
                            super::shorten(&t.value)
                        ),
                        sat.key("Type"),
                        t.span,
                        INVALID_PARAMETER,
                    ),
                );
            } else if seen.contains(&t.value.as_str()) {
                cx.sink.error(err(
                    "K4",
                    Provenance::Project,
                    "Each ContextKeySelector Type may appear once.".into(),
                    sat.key("Type"),
                    t.span,
                    INVALID_PARAMETER,
                ));
            } else {
                seen.push(&t.value);
            }
        }
        let Some(eq) = &sel.equals else { continue };
        if eq.value.is_empty() || eq.value.len() > 50 {
            cx.sink.error(err(
                "K3",
                Provenance::Project,
                format!(
                    "A ContextKeySelector takes 1 to 50 keys in Equals; found {}.",
                    eq.value.len()
                ),
                sat.key("Equals"),
                eq.span,
                INVALID_PARAMETER,
            ));
        }
        for (k, v) in eq.value.iter().enumerate() {
            let n = v.value.chars().count();
            let vat = sat.key("Equals").index(k);
            if !(1..=128).contains(&n) {
                cx.sink.error(err(
                    "K3",
                    Provenance::Project,
                    format!("A context key is 1 to 128 characters; found {n}."),
                    vat,
                    v.span,
                    INVALID_PARAMETER,
                ));
            } else if ty == Some("RequestContext") && !known.contains(&v.value.as_str()) {
                cx.sink.warn(
                    Diagnostic::warning(
                        "K5",
                        format!(
                            "{} is not one of the IAM global condition keys CloudTrail Lake documents for RequestContext",
                            super::shorten(&v.value)
                        ),
                        vat,
                        v.span,
                    )
                    .with_hint("documented keys include aws:PrincipalArn, aws:SourceIdentity and aws:RequestedRegion"),
                );
            }
        }
    }
}
