//! JSON tree → typed model, checking the API shapes as botocore does.
//!
//! botocore's messages name parameters by their path in the request
//! (`AdvancedEventSelectors[0].FieldSelectors[1].Equals`) and print offending
//! values with Python's `str()`; both are reproduced here so that the text
//! matches what `aws cloudtrail put-event-selectors` prints.

use super::json::{Member, Node, Value};
use super::Client;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::{
    AdvancedEventSelector, ContextKeySelector, DataResource, Document, DocumentShape,
    EventSelector, FieldSelector, Operator, OperatorValues, SelectorKind, SelectorList, Spanned,
    StoreSettings, Target,
};
use crate::source::{Pointer, SourceText, Span};
use std::collections::HashMap;

const REQUEST_MEMBERS: [&str; 3] = ["TrailName", "EventSelectors", "AdvancedEventSelectors"];
const RESPONSE_MEMBERS: [&str; 3] = ["TrailARN", "EventSelectors", "AdvancedEventSelectors"];
/// CreateEventDataStore's input members (botocore's order).
const CREATE_STORE_MEMBERS: [&str; 10] = [
    "Name",
    "AdvancedEventSelectors",
    "MultiRegionEnabled",
    "OrganizationEnabled",
    "RetentionPeriod",
    "TerminationProtectionEnabled",
    "TagsList",
    "KmsKeyId",
    "StartIngestion",
    "BillingMode",
];
/// UpdateEventDataStore's input members.
const UPDATE_STORE_MEMBERS: [&str; 9] = [
    "EventDataStore",
    "Name",
    "AdvancedEventSelectors",
    "MultiRegionEnabled",
    "OrganizationEnabled",
    "RetentionPeriod",
    "TerminationProtectionEnabled",
    "KmsKeyId",
    "BillingMode",
];
/// Members a template's event data store adds to the request: the
/// handler sends them with PutEventConfiguration.
const STORE_CONFIGURATION_MEMBERS: [&str; 2] = ["ContextKeySelectors", "MaxEventSize"];
const TAG_MEMBERS: [&str; 2] = ["Key", "Value"];
const CONTEXT_KEY_MEMBERS: [&str; 2] = ["Type", "Equals"];
/// Where a telemetry rule keeps its selectors, from the request's root.
const RULE_PATH: [&str; 3] = ["Rule", "DestinationConfiguration", "CloudtrailParameters"];
const RULE_MEMBERS: [&str; 9] = [
    "ResourceType",
    "TelemetryType",
    "TelemetrySourceTypes",
    "DestinationConfiguration",
    "Scope",
    "SelectionCriteria",
    "AllowFieldUpdates",
    "Regions",
    "AllRegions",
];
const DESTINATION_MEMBERS: [&str; 9] = [
    "DestinationType",
    "DestinationPattern",
    "RetentionInDays",
    "VPCFlowLogParameters",
    "CloudtrailParameters",
    "ELBLoadBalancerLoggingParameters",
    "WAFLoggingParameters",
    "LogDeliveryParameters",
    "MskMonitoringParameters",
];
const BASIC_MEMBERS: [&str; 4] = [
    "ReadWriteType",
    "IncludeManagementEvents",
    "DataResources",
    "ExcludeManagementEventSources",
];
const DATA_RESOURCE_MEMBERS: [&str; 2] = ["Type", "Values"];
const ADVANCED_MEMBERS: [&str; 2] = ["Name", "FieldSelectors"];
const FIELD_SELECTOR_MEMBERS: [&str; 7] = [
    "Field",
    "Equals",
    "StartsWith",
    "EndsWith",
    "NotEquals",
    "NotStartsWith",
    "NotEndsWith",
];

/// Where we are: botocore's parameter name and our pointer.
#[derive(Clone)]
struct At {
    name: String,
    pointer: Pointer,
}

impl At {
    fn key(&self, key: &str) -> At {
        At {
            name: if self.name.is_empty() {
                key.to_string()
            } else {
                format!("{}.{}", self.name, key)
            },
            pointer: self.pointer.key(key),
        }
    }

    fn index(&self, i: usize) -> At {
        At {
            name: format!("{}[{}]", self.name, i),
            pointer: self.pointer.index(i),
        }
    }

    /// botocore's `_get_name`: the empty name is "input".
    fn display(&self) -> &str {
        if self.name.is_empty() {
            "input"
        } else {
            &self.name
        }
    }
}

struct Conv {
    shape: DocumentShape,
    target: Target,
    /// The target's client model has no minimum lengths on field selectors
    /// (telemetry rules): those checks are the service's, not botocore's.
    loose: bool,
    /// The document is a template's resource, which may carry settings the
    /// API takes in another call.
    template: bool,
    /// Objects print as the AWS CLI prints a flag value's (`OrderedDict`).
    ordered: bool,
    diags: Vec<Diagnostic>,
    /// Duplicate-key warnings given so far: past `MAX_DUPLICATE_WARNINGS`
    /// they are counted, not kept (a file may repeat a key a million times).
    duplicates: usize,
}

/// The most duplicate-key warnings kept, as validation keeps at most 1,000
/// warnings.
const MAX_DUPLICATE_WARNINGS: usize = 1000;

/// How to read a tree: what the caller knows of it.
pub(super) struct Reading {
    pub kind: Option<SelectorKind>,
    pub client: Client,
    pub shape: Option<DocumentShape>,
    pub target: Option<Target>,
    pub template: bool,
}

/// Converts a parsed JSON document into the model.
pub(super) fn convert(
    source: SourceText,
    root: &Node,
    reading: Reading,
    notes: Vec<Diagnostic>,
) -> Document {
    let Reading {
        kind: forced,
        client,
        shape,
        target,
        template,
    } = reading;
    let shape = shape.unwrap_or_else(|| detect_shape(root));
    let target = target.unwrap_or_else(|| detect_target(root, shape));
    // A bare list is what the CLI's `--event-selectors` flag takes; a
    // request body arrives through `--cli-input-json` or an SDK, parsed
    // without the ordered hook and without the flag's list wrapping.
    let flag = client == Client::Cli && shape == DocumentShape::CliList;
    let mut c = Conv {
        shape,
        target,
        loose: target == Target::TelemetryRule,
        template,
        ordered: flag,
        diags: notes,
        duplicates: 0,
    };
    let mut doc = Document {
        source,
        shape,
        trail: None,
        basic: None,
        advanced: None,
        structural: Vec::new(),
        target,
        store: StoreSettings::default(),
    };
    match shape {
        DocumentShape::CliList => {
            let kind = forced.unwrap_or_else(|| detect_kind(root));
            let at = At {
                name: c.list_name(kind),
                pointer: Pointer::root(),
            };
            if let Value::Object(_) = root.value {
                if flag {
                    // The CLI wraps a lone object given for a list-typed
                    // flag into a one-element list (only at the top:
                    // nested objects are checked as they are).
                    c.single_object(&mut doc, kind, root, &at);
                } else {
                    let d = c.invalid_type(root, &at, &["list", "tuple"]);
                    c.diags.push(d.with_hint(
                        "wrap the selector in [ ]: the parameter is a list of selectors",
                    ));
                }
            } else {
                c.set_list(&mut doc, kind, root, None, &at);
            }
        }
        DocumentShape::Request | DocumentShape::GetResponse => match target {
            Target::Trail => c.envelope(&mut doc, root, forced),
            Target::EventDataStore => c.store_envelope(&mut doc, root),
            Target::TelemetryRule => c.rule_envelope(&mut doc, root),
        },
    }
    if c.duplicates > MAX_DUPLICATE_WARNINGS {
        c.diags.push(Diagnostic::warning(
            "duplicate-key",
            format!(
                "{} more duplicate keys not listed",
                c.duplicates - MAX_DUPLICATE_WARNINGS
            ),
            Pointer::root(),
            root.span,
        ));
    }
    doc.structural = c.diags;
    doc
}

fn detect_shape(root: &Node) -> DocumentShape {
    let Value::Object(members) = &root.value else {
        return DocumentShape::CliList;
    };
    let has = |k: &str| members.iter().any(|m| m.key == k);
    if has("TrailARN") || has("EventDataStoreArn") || (has("ARN") && !has("FieldSelectors")) {
        DocumentShape::GetResponse
    } else if REQUEST_MEMBERS.iter().any(|k| has(k))
        || ["EventDataStore", "RuleName", "RuleIdentifier", "Rule"]
            .iter()
            // Members only a store has (not Name, not AdvancedEventSelectors).
            .chain(&CREATE_STORE_MEMBERS[2..])
            .any(|k| has(k))
        || (has("Name") && !has("FieldSelectors"))
    {
        DocumentShape::Request
    } else if BASIC_MEMBERS
        .iter()
        .chain(&ADVANCED_MEMBERS)
        .any(|k| has(k))
    {
        DocumentShape::CliList
    } else {
        DocumentShape::Request
    }
}

/// Where an envelope's selectors go, from its members: an event data store
/// names itself (`Name`, `EventDataStore`, `EventDataStoreArn`), a
/// telemetry rule has a `Rule`; anything else is a trail. A bare list says
/// nothing, and is a trail's unless the caller says otherwise.
fn detect_target(root: &Node, shape: DocumentShape) -> Target {
    let Value::Object(members) = &root.value else {
        return Target::Trail;
    };
    if shape == DocumentShape::CliList {
        return Target::Trail;
    }
    let has = |k: &str| members.iter().any(|m| m.key == k);
    if has("TrailName") || has("TrailARN") {
        Target::Trail
    } else if has("Rule") || has("RuleName") || has("RuleIdentifier") {
        Target::TelemetryRule
    } else if ["EventDataStore", "EventDataStoreArn", "ARN"]
        .iter()
        .chain(&CREATE_STORE_MEMBERS)
        .any(|k| *k != "AdvancedEventSelectors" && has(k))
    {
        Target::EventDataStore
    } else {
        Target::Trail
    }
}

/// The kind of a bare list from its elements' keys: the first element with a
/// distinguishing key decides; basic when none has one.
fn detect_kind(root: &Node) -> SelectorKind {
    let elements: &[Node] = match &root.value {
        Value::Array(items) => items,
        _ => std::slice::from_ref(root),
    };
    for e in elements {
        if let Value::Object(members) = &e.value {
            let mut basic = false;
            let mut advanced = false;
            for m in members {
                basic |= BASIC_MEMBERS.contains(&m.key.as_str());
                advanced |= ADVANCED_MEMBERS.contains(&m.key.as_str());
            }
            match (basic, advanced) {
                (true, false) => return SelectorKind::Basic,
                (false, true) => return SelectorKind::Advanced,
                _ => {}
            }
        }
    }
    SelectorKind::Basic
}

/// Python's `str()` of a JSON value, as botocore prints it after `value:`.
/// `ordered`: objects are `OrderedDict`s, as the AWS CLI parses flag values
/// (`json.loads` with `object_pairs_hook=OrderedDict`; printed as Python
/// 3.11 and earlier print them, which is the CLI's Python on this image).
fn py_str(node: &Node, ordered: bool) -> String {
    match &node.value {
        Value::String(s) => s.clone(),
        _ => py_repr(node, ordered),
    }
}

/// Python's `repr()` of a JSON value (strings quoted as Python does).
fn py_repr(node: &Node, ordered: bool) -> String {
    match &node.value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.clone(),
        Value::String(s) => py_repr_str(s),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(|n| py_repr(n, ordered)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(members) if ordered => {
            let parts: Vec<String> = effective(members)
                .0
                .iter()
                .map(|m| format!("({}, {})", py_repr_str(&m.key), py_repr(&m.value, true)))
                .collect();
            if parts.is_empty() {
                "OrderedDict()".into()
            } else {
                format!("OrderedDict([{}])", parts.join(", "))
            }
        }
        Value::Object(members) => {
            let parts: Vec<String> = effective(members)
                .0
                .iter()
                .map(|m| format!("{}: {}", py_repr_str(&m.key), py_repr(&m.value, false)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn py_type(node: &Node, ordered: bool) -> &'static str {
    match &node.value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.contains(['.', 'e', 'E']) => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) if ordered => "<class 'collections.OrderedDict'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

/// The members Python's `json.loads` would keep: for a repeated key, the last
/// value at the first key's position. Returns the repeated keys' earlier
/// occurrences too, for warnings.
fn effective(members: &[Member]) -> (Vec<&Member>, Vec<&Member>) {
    let mut out: Vec<&Member> = Vec::with_capacity(members.len());
    let mut shadowed = Vec::new();
    let mut pos: HashMap<&str, usize> = HashMap::new();
    for m in members {
        if let Some(&i) = pos.get(m.key.as_str()) {
            shadowed.push(out[i]);
            out[i] = m;
        } else {
            pos.insert(&m.key, out.len());
            out.push(m);
        }
    }
    (out, shadowed)
}

impl Conv {
    fn invalid_type(&self, node: &Node, at: &At, valid: &[&str]) -> Diagnostic {
        let valid: Vec<String> = valid.iter().map(|t| format!("<class '{t}'>")).collect();
        Diagnostic::structural(
            format!(
                "Invalid type for parameter {}, value: {}, type: {}, valid types: {}",
                at.display(),
                py_str(node, self.ordered),
                py_type(node, self.ordered),
                valid.join(", ")
            ),
            at.pointer.clone(),
            node.span,
        )
    }

    fn check_min_len(&mut self, len: usize, min: usize, node: &Node, at: &At) -> bool {
        if len < min {
            self.diags.push(Diagnostic::structural(
                format!(
                    "Invalid length for parameter {}, value: {}, valid min length: {}",
                    at.display(),
                    len,
                    min
                ),
                at.pointer.clone(),
                node.span,
            ));
            return false;
        }
        true
    }

    /// Checks an object against a structure shape: required members, then
    /// unknown members, then returns the known ones in order for the caller
    /// to convert.
    fn structure<'n>(
        &mut self,
        node: &'n Node,
        at: &At,
        members: &[&str],
        required: &[&str],
        wrong_kind_members: &[&str],
    ) -> Option<Vec<&'n Member>> {
        let Value::Object(raw) = &node.value else {
            let d = self.invalid_type(node, at, &["dict"]);
            self.diags.push(d);
            return None;
        };
        let (eff, shadowed) = effective(raw);
        for m in shadowed {
            self.duplicates += 1;
            if self.duplicates > MAX_DUPLICATE_WARNINGS {
                continue;
            }
            self.diags.push(
                Diagnostic::warning(
                    "duplicate-key",
                    format!("duplicate key `{}`: only the last one is sent", m.key),
                    at.pointer.key(&m.key),
                    m.key_span,
                )
                .with_hint("the AWS CLI, like Python's json module, keeps the last value of a repeated key; remove the earlier one"),
            );
        }
        for r in required {
            if !eff.iter().any(|m| m.key == *r) {
                self.diags.push(Diagnostic::structural(
                    format!("Missing required parameter in {}: \"{}\"", at.display(), r),
                    at.pointer.clone(),
                    Span::new(node.span.start as usize, node.span.start as usize + 1),
                ));
            }
        }
        let mut known = Vec::with_capacity(eff.len());
        for m in eff {
            if members.contains(&m.key.as_str()) {
                known.push(m);
                continue;
            }
            let d = Diagnostic::structural(
                format!(
                    "Unknown parameter in {}: \"{}\", must be one of: {}",
                    at.display(),
                    m.key,
                    members.join(", ")
                ),
                at.pointer.key(&m.key),
                m.key_span,
            );
            let hint = if wrong_kind_members.contains(&m.key.as_str()) {
                Some(format!(
                    "`{}` belongs to the other kind of selector; one list cannot mix basic and advanced selectors",
                    m.key
                ))
            } else {
                did_you_mean(&m.key, members.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
            };
            self.diags.push(d.with_hint_opt(hint));
        }
        Some(known)
    }

    fn string(&mut self, node: &Node, at: &At, min: usize) -> Option<Spanned<String>> {
        let Value::String(s) = &node.value else {
            let d = self.invalid_type(node, at, &["str"]);
            self.diags.push(d);
            return None;
        };
        if !self.check_min_len(s.chars().count(), min, node, at) {
            return None;
        }
        Some(Spanned::new(s.clone(), node.span))
    }

    fn boolean(&mut self, node: &Node, at: &At) -> Option<Spanned<bool>> {
        match node.value {
            Value::Bool(b) => Some(Spanned::new(b, node.span)),
            _ => {
                let d = self.invalid_type(node, at, &["bool"]);
                self.diags.push(d);
                None
            }
        }
    }

    /// An integer parameter, with botocore's range check (its minimum
    /// only; the maximum is the service's).
    fn integer(&mut self, node: &Node, at: &At, min: i64) -> Option<Spanned<i64>> {
        let n = match &node.value {
            Value::Number(n) => n.parse::<i64>().ok(),
            // Python's bool is an int: botocore lets it through.
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        };
        let Some(n) = n else {
            let d = self.invalid_type(node, at, &["int"]);
            self.diags.push(d);
            return None;
        };
        if n < min {
            self.diags.push(Diagnostic::structural(
                format!(
                    "Invalid value for parameter {}, value: {}, valid min value: {}",
                    at.display(),
                    n,
                    min
                ),
                at.pointer.clone(),
                node.span,
            ));
            return None;
        }
        Some(Spanned::new(n, node.span))
    }

    fn list<'n>(&mut self, node: &'n Node, at: &At, min: usize) -> Option<&'n [Node]> {
        let Value::Array(items) = &node.value else {
            let d = self.invalid_type(node, at, &["list", "tuple"]);
            self.diags.push(d);
            return None;
        };
        if !self.check_min_len(items.len(), min, node, at) {
            return None;
        }
        Some(items)
    }

    fn string_list(
        &mut self,
        node: &Node,
        at: &At,
        min_len: usize,
        min_item: usize,
    ) -> Option<Vec<Spanned<String>>> {
        let items = self.list(node, at, min_len)?;
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.string(item, &at.index(i), min_item) {
                Some(s) => out.push(s),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn envelope(&mut self, doc: &mut Document, root: &Node, forced: Option<SelectorKind>) {
        let at = At {
            name: String::new(),
            pointer: Pointer::root(),
        };
        let known = if self.shape == DocumentShape::Request {
            self.structure(root, &at, &REQUEST_MEMBERS, &["TrailName"], &[])
        } else {
            self.response_members(root)
        };
        let Some(known) = known else { return };
        for m in known {
            match m.key.as_str() {
                "TrailName" | "TrailARN" => {
                    doc.trail = self.string(&m.value, &at.key(&m.key), 0);
                }
                "EventSelectors" => {
                    self.member_list(doc, SelectorKind::Basic, m);
                }
                "AdvancedEventSelectors" => {
                    self.member_list(doc, SelectorKind::Advanced, m);
                }
                _ => {}
            }
        }
        if let Some(kind) = forced {
            if doc.kind().is_some_and(|k| k != kind) {
                self.diags.push(Diagnostic::warning(
                    "kind",
                    format!("--kind {kind} ignored: the document names its selector list"),
                    Pointer::root(),
                    Span::new(root.span.start as usize, root.span.start as usize + 1),
                ));
            }
        }
    }

    /// A selector list that is a member of the document's root: named by
    /// its key, with pointers relative to the list.
    fn member_list(&mut self, doc: &mut Document, kind: SelectorKind, m: &Member) {
        let list_at = At {
            name: m.key.clone(),
            pointer: Pointer::root(),
        };
        self.set_list(doc, kind, &m.value, Some(m.key_span), &list_at);
    }

    /// botocore's name for the selector list: a telemetry rule's sits deep
    /// in the request, and messages name it by the whole path.
    fn list_name(&self, kind: SelectorKind) -> String {
        if self.target == Target::TelemetryRule {
            format!("{}.{}", RULE_PATH.join("."), kind.parameter())
        } else {
            kind.parameter().to_string()
        }
    }

    /// An event data store's request (Create or Update) or response: the
    /// selectors, and the settings selector rules depend on.
    fn store_envelope(&mut self, doc: &mut Document, root: &Node) {
        let at = At {
            name: String::new(),
            pointer: Pointer::root(),
        };
        let has =
            |k: &str| matches!(&root.value, Value::Object(ms) if ms.iter().any(|m| m.key == k));
        let known = if self.shape == DocumentShape::GetResponse {
            let Value::Object(raw) = &root.value else {
                return;
            };
            // Output, not input: members not read here are ignored.
            Some(effective(raw).0)
        } else {
            let update = has("EventDataStore");
            let mut members: Vec<&str> = if update {
                UPDATE_STORE_MEMBERS.to_vec()
            } else {
                CREATE_STORE_MEMBERS.to_vec()
            };
            if self.template {
                members.extend(STORE_CONFIGURATION_MEMBERS);
            }
            doc.store.creates = !update;
            let required = if update { "EventDataStore" } else { "Name" };
            self.structure(root, &at, &members, &[required], &["EventSelectors"])
        };
        let Some(known) = known else { return };
        for m in known {
            let mat = at.key(&m.key);
            let store = &mut doc.store;
            match m.key.as_str() {
                "Name" | "EventDataStore" if self.shape == DocumentShape::Request => {
                    self.string(&m.value, &mat, 3);
                }
                "KmsKeyId" if self.shape == DocumentShape::Request => {
                    self.string(&m.value, &mat, 1);
                }
                "AdvancedEventSelectors" => {
                    self.member_list(doc, SelectorKind::Advanced, m);
                }
                "MultiRegionEnabled" => store.multi_region = self.boolean(&m.value, &mat),
                "OrganizationEnabled" => store.organization = self.boolean(&m.value, &mat),
                "StartIngestion" => store.start_ingestion = self.boolean(&m.value, &mat),
                "TerminationProtectionEnabled" if self.shape == DocumentShape::Request => {
                    self.boolean(&m.value, &mat);
                }
                "RetentionPeriod" => store.retention_period = self.integer(&m.value, &mat, 7),
                "BillingMode" => store.billing_mode = self.string(&m.value, &mat, 0),
                "MaxEventSize" => store.max_event_size = self.string(&m.value, &mat, 0),
                "TagsList" if self.shape == DocumentShape::Request => {
                    if let Some(items) = self.list(&m.value, &mat, 0) {
                        for (i, t) in items.iter().enumerate() {
                            let tat = mat.index(i);
                            if let Some(ms) = self.structure(t, &tat, &TAG_MEMBERS, &["Key"], &[]) {
                                for tm in ms {
                                    let min = usize::from(tm.key == "Key");
                                    self.string(&tm.value, &tat.key(&tm.key), min);
                                }
                            }
                        }
                    }
                }
                "ContextKeySelectors" => {
                    if let Some(items) = self.list(&m.value, &mat, 0) {
                        let list = items
                            .iter()
                            .enumerate()
                            .map(|(i, n)| self.context_key_selector(n, &mat.index(i)))
                            .collect();
                        doc.store.context_key_selectors = Some(Spanned::new(list, m.value.span));
                    }
                }
                _ => {}
            }
        }
    }

    fn context_key_selector(&mut self, node: &Node, at: &At) -> ContextKeySelector {
        let mut out = ContextKeySelector {
            span: node.span,
            ..ContextKeySelector::default()
        };
        if let Some(ms) = self.structure(node, at, &CONTEXT_KEY_MEMBERS, &["Type", "Equals"], &[]) {
            for m in ms {
                let mat = at.key(&m.key);
                if m.key == "Type" {
                    out.type_ = self.string(&m.value, &mat, 0);
                } else {
                    out.equals = self
                        .string_list(&m.value, &mat, 0, 0)
                        .map(|v| Spanned::new(v, m.value.span));
                }
            }
        }
        out
    }

    /// A telemetry rule's Create or Update request: the structures on the
    /// way to `CloudtrailParameters` are checked as botocore checks them;
    /// the rule's other parameters are not selector matters.
    fn rule_envelope(&mut self, doc: &mut Document, root: &Node) {
        let at = At {
            name: String::new(),
            pointer: Pointer::root(),
        };
        let has =
            |k: &str| matches!(&root.value, Value::Object(ms) if ms.iter().any(|m| m.key == k));
        let (members, required): (&[&str], &[&str]) = if has("RuleIdentifier") {
            (&["RuleIdentifier", "Rule"], &["RuleIdentifier", "Rule"])
        } else {
            (&["RuleName", "Rule", "Tags"], &["RuleName", "Rule"])
        };
        let Some(known) = self.structure(root, &at, members, required, &[]) else {
            return;
        };
        let Some(rule) = known.iter().find(|m| m.key == "Rule") else {
            return;
        };
        let rat = at.key("Rule");
        let Some(rule) = self.structure(&rule.value, &rat, &RULE_MEMBERS, &["TelemetryType"], &[])
        else {
            return;
        };
        let Some(dest) = rule.iter().find(|m| m.key == "DestinationConfiguration") else {
            return;
        };
        let dat = rat.key("DestinationConfiguration");
        let Some(dest) = self.structure(&dest.value, &dat, &DESTINATION_MEMBERS, &[], &[]) else {
            return;
        };
        let Some(params) = dest.iter().find(|m| m.key == "CloudtrailParameters") else {
            return;
        };
        let pat = dat.key("CloudtrailParameters");
        let Some(params) = self.structure(
            &params.value,
            &pat,
            &["AdvancedEventSelectors"],
            &["AdvancedEventSelectors"],
            &["EventSelectors"],
        ) else {
            return;
        };
        for m in params {
            let list_at = At {
                name: pat.key(&m.key).name,
                pointer: Pointer::root(),
            };
            self.set_list(
                doc,
                SelectorKind::Advanced,
                &m.value,
                Some(m.key_span),
                &list_at,
            );
        }
    }

    /// A GetEventSelectors response is output, not botocore input: unknown
    /// members are ignored with a warning (`ResponseMetadata` from boto3
    /// silently).
    fn response_members<'n>(&mut self, root: &'n Node) -> Option<Vec<&'n Member>> {
        let Value::Object(raw) = &root.value else {
            return None;
        };
        let (eff, _) = effective(raw);
        let mut known = Vec::new();
        for m in eff {
            if RESPONSE_MEMBERS.contains(&m.key.as_str()) {
                known.push(m);
            } else if m.key != "ResponseMetadata" {
                self.diags.push(Diagnostic::warning(
                    "unknown-member",
                    format!(
                        "unknown member `{}` in a get-event-selectors response is ignored",
                        m.key
                    ),
                    Pointer::root(),
                    m.key_span,
                ));
            }
        }
        Some(known)
    }

    fn set_list(
        &mut self,
        doc: &mut Document,
        kind: SelectorKind,
        node: &Node,
        key_span: Option<Span>,
        at: &At,
    ) {
        let Some(items) = self.list(node, at, 0) else {
            return;
        };
        match kind {
            SelectorKind::Basic => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| self.basic_selector(n, &at.index(i)))
                    .collect();
                doc.basic = Some(SelectorList {
                    items,
                    span: node.span,
                    key_span,
                });
            }
            SelectorKind::Advanced => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| self.advanced_selector(n, &at.index(i)))
                    .collect();
                doc.advanced = Some(SelectorList {
                    items,
                    span: node.span,
                    key_span,
                });
            }
        }
    }

    /// A lone selector object as the CLI's flag reads it: the first
    /// element of a one-element list. Its names carry the `[0]` botocore
    /// prints; its pointer is the object's own place in the file.
    fn single_object(&mut self, doc: &mut Document, kind: SelectorKind, node: &Node, at: &At) {
        let at = At {
            name: format!("{}[0]", at.name),
            pointer: at.pointer.clone(),
        };
        fn one<T>(item: T, node: &Node) -> Option<SelectorList<T>> {
            Some(SelectorList {
                items: vec![item],
                span: node.span,
                key_span: None,
            })
        }
        match kind {
            SelectorKind::Basic => doc.basic = one(self.basic_selector(node, &at), node),
            SelectorKind::Advanced => doc.advanced = one(self.advanced_selector(node, &at), node),
        }
    }

    fn basic_selector(&mut self, node: &Node, at: &At) -> EventSelector {
        let mut sel = EventSelector {
            span: node.span,
            ..EventSelector::default()
        };
        let Some(known) = self.structure(node, at, &BASIC_MEMBERS, &[], &ADVANCED_MEMBERS) else {
            return sel;
        };
        for m in known {
            let at = at.key(&m.key);
            match m.key.as_str() {
                "ReadWriteType" => sel.read_write_type = self.string(&m.value, &at, 0),
                "IncludeManagementEvents" => {
                    sel.include_management_events = self.boolean(&m.value, &at);
                }
                "DataResources" => {
                    if let Some(items) = self.list(&m.value, &at, 0) {
                        let drs = items
                            .iter()
                            .enumerate()
                            .map(|(i, n)| self.data_resource(n, &at.index(i)))
                            .collect();
                        sel.data_resources = Some(Spanned::new(drs, m.value.span));
                    }
                }
                "ExcludeManagementEventSources" => {
                    sel.exclude_management_event_sources = self
                        .string_list(&m.value, &at, 0, 0)
                        .map(|v| Spanned::new(v, m.value.span));
                }
                _ => {}
            }
        }
        sel
    }

    fn data_resource(&mut self, node: &Node, at: &At) -> DataResource {
        let mut dr = DataResource {
            span: node.span,
            ..DataResource::default()
        };
        let Some(known) = self.structure(node, at, &DATA_RESOURCE_MEMBERS, &[], &[]) else {
            return dr;
        };
        for m in known {
            let at = at.key(&m.key);
            match m.key.as_str() {
                "Type" => dr.type_ = self.string(&m.value, &at, 0),
                "Values" => {
                    dr.values = self
                        .string_list(&m.value, &at, 0, 0)
                        .map(|v| Spanned::new(v, m.value.span));
                }
                _ => {}
            }
        }
        dr
    }

    fn advanced_selector(&mut self, node: &Node, at: &At) -> AdvancedEventSelector {
        let mut sel = AdvancedEventSelector {
            span: node.span,
            ..AdvancedEventSelector::default()
        };
        let Some(known) = self.structure(
            node,
            at,
            &ADVANCED_MEMBERS,
            &["FieldSelectors"],
            &BASIC_MEMBERS,
        ) else {
            return sel;
        };
        for m in known {
            let at = at.key(&m.key);
            match m.key.as_str() {
                "Name" => sel.name = self.string(&m.value, &at, 0),
                "FieldSelectors" => {
                    let min = usize::from(!self.loose);
                    if let Some(items) = self.list(&m.value, &at, min) {
                        let fs = items
                            .iter()
                            .enumerate()
                            .map(|(i, n)| self.field_selector(n, &at.index(i)))
                            .collect();
                        sel.field_selectors = Some(Spanned::new(fs, m.value.span));
                    }
                }
                _ => {}
            }
        }
        sel
    }

    fn field_selector(&mut self, node: &Node, at: &At) -> FieldSelector {
        let mut fs = FieldSelector {
            span: node.span,
            ..FieldSelector::default()
        };
        let Some(known) = self.structure(node, at, &FIELD_SELECTOR_MEMBERS, &["Field"], &[]) else {
            return fs;
        };
        for m in known {
            let at = at.key(&m.key);
            let min = usize::from(!self.loose);
            if m.key == "Field" {
                fs.field = self.string(&m.value, &at, min);
                continue;
            }
            let Some(operator) = Operator::from_api(&m.key) else {
                continue;
            };
            // Older get-event-selectors output lists unused operators as
            // `[]`; that form is output, not input, so they mean nothing.
            if self.shape == DocumentShape::GetResponse
                && matches!(&m.value.value, Value::Array(a) if a.is_empty())
            {
                continue;
            }
            let empty = matches!(&m.value.value, Value::Array(a) if a.is_empty());
            let before = self.diags.len();
            let values = self.string_list(&m.value, &at, min, min);
            if empty {
                if let Some(d) = self.diags.get_mut(before) {
                    d.hint = Some(format!(
                        "remove the empty {}; older get-event-selectors output lists unused operators as [], but put-event-selectors refuses them",
                        m.key
                    ));
                }
            }
            if let Some(values) = values {
                fs.operators.push(OperatorValues {
                    operator,
                    key_span: m.key_span,
                    span: m.value.span,
                    values,
                });
            }
        }
        fs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_reprs_match_botocore_output() {
        let (n, _) =
            crate::parse::json::parse(r#"{"a": [true, null, 1.5, "it's"], "b": "x"}"#).unwrap();
        assert_eq!(
            py_str(&n, false),
            r#"{'a': [True, None, 1.5, "it's"], 'b': 'x'}"#
        );
        assert_eq!(py_type(&n, false), "<class 'dict'>");
        assert_eq!(
            py_str(&n, true),
            r#"OrderedDict([('a', [True, None, 1.5, "it's"]), ('b', 'x')])"#
        );
        assert_eq!(py_type(&n, true), "<class 'collections.OrderedDict'>");
        let (e, _) = super::super::json::parse(r#"{"a": {}}"#).unwrap();
        assert_eq!(py_str(&e, true), "OrderedDict([('a', OrderedDict())])");
    }

    #[test]
    fn repeated_keys_keep_first_position_last_value() {
        let (n, _) = crate::parse::json::parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        let Value::Object(m) = &n.value else { panic!() };
        let (eff, shadowed) = effective(m);
        assert_eq!(
            eff.iter().map(|m| m.key.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(eff[0].value.value, Value::Number("3".into()));
        assert_eq!(shadowed.len(), 1);
    }
}
