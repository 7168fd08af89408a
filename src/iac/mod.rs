//! Selector files as users keep them: an AWS API document (one target), or
//! a CloudFormation template (or CDK's synthesized `*.template.json`)
//! holding any number of resources with selectors (one target each, named
//! by logical id).
//!
//! This stage sits between the JSON reader and the shape converter: it
//! finds each resource's selector members, resolves the intrinsic
//! functions in them as far as the template decides them, and hands the
//! converter an API-shaped tree whose spans still point into the original
//! file. Everything after it (validation, lint, compile) is unchanged, and
//! every diagnostic keeps its line and column in the user's file; its JSON
//! pointer is recomputed from the template's root.

mod hcl;
mod intrinsic;
mod terraform;

use crate::diagnostic::{Diagnostic, Layer, Provenance, Severity};
use crate::model::{Document, DocumentShape, SelectorSet, Target};
use crate::parse::json::{Member, Node, Value};
use crate::parse::{self, ParseError, ParseOptions};
use crate::source::{Pointer, SourceText, Span};
use crate::validate::{check, Report, ValidateOptions};
use std::sync::Arc;

/// The exception name of a finding about the file itself (what it is, not
/// what AWS would say of its selectors).
pub const UNSUPPORTED_INPUT: &str = "UnsupportedInput";

/// What kind of file a selector file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileFormat {
    /// A selector list, a request body or a response (see [`DocumentShape`]).
    Api,
    /// A CloudFormation template in JSON, including CDK's synthesized ones.
    CloudFormation,
    /// A Terraform plan (`terraform show -json`), or state.
    TerraformPlan,
    /// Terraform sources: a `.tf` file, or a directory of them.
    Terraform,
}

impl FileFormat {
    /// The name used in output: `api`, `cloudformation`, `terraform-plan`,
    /// `terraform`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Api => "api",
            FileFormat::CloudFormation => "cloudformation",
            FileFormat::TerraformPlan => "terraform-plan",
            FileFormat::Terraform => "terraform",
        }
    }
}

/// The resource types that hold selectors, and where their selectors go.
const RESOURCE_TYPES: [(&str, Target); 4] = [
    ("AWS::CloudTrail::Trail", Target::Trail),
    ("AWS::CloudTrail::EventDataStore", Target::EventDataStore),
    (
        "AWS::ObservabilityAdmin::TelemetryRule",
        Target::TelemetryRule,
    ),
    (
        "AWS::ObservabilityAdmin::OrganizationTelemetryRule",
        Target::TelemetryRule,
    ),
];

/// An event data store's properties that its handler sends, and the
/// request member each becomes (`targets.md` §T3.2).
const STORE_PROPERTIES: [(&str, &str); 9] = [
    ("AdvancedEventSelectors", "AdvancedEventSelectors"),
    ("MultiRegionEnabled", "MultiRegionEnabled"),
    ("OrganizationEnabled", "OrganizationEnabled"),
    ("RetentionPeriod", "RetentionPeriod"),
    (
        "TerminationProtectionEnabled",
        "TerminationProtectionEnabled",
    ),
    ("BillingMode", "BillingMode"),
    ("IngestionEnabled", "StartIngestion"),
    ("ContextKeySelectors", "ContextKeySelectors"),
    ("MaxEventSize", "MaxEventSize"),
];

/// One set of selectors to check: a whole API document, or one resource.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The resource's logical id; `None` for an API document.
    pub name: Option<String>,
    /// The resource type (`AWS::CloudTrail::Trail`); `None` for an API document.
    pub resource_type: Option<String>,
    /// The selectors as an API document, spans into the original file.
    pub document: Document,
    /// Resolution notes: values assumed or unknown until deploy.
    pub notes: Vec<Diagnostic>,
    /// Spans of selector values unknown until deploy.
    unknown: Vec<Span>,
    /// Spans of other placeholders (a trail name the template leaves to
    /// CloudFormation): nothing is reported on them.
    hidden: Vec<Span>,
    /// The file's tree, for pointers from its root; `None` for an API
    /// document, whose pointers are already relative to its list.
    root: Option<Arc<Node>>,
    /// A Terraform resource's attribute values, for Terraform's names of
    /// the places findings are at.
    values: Option<Arc<Node>>,
}

/// A selector file read: its format and its targets.
#[derive(Clone, Debug)]
pub struct SelectorFile {
    /// What kind of file it is.
    pub format: FileFormat,
    /// The targets found, in file order.
    pub resources: Vec<Resource>,
    /// Findings about the file itself (an unsupported format, a template
    /// without selectors).
    pub notes: Vec<Diagnostic>,
    /// The file's text, for rendering `notes`.
    pub source: SourceText,
}

fn file_note(severity: Severity, message: String, span: Span) -> Diagnostic {
    Diagnostic {
        severity,
        layer: Layer::Advice,
        exception: UNSUPPORTED_INPUT,
        message,
        provenance: Provenance::Project,
        rule: "input",
        pointer: Pointer::root(),
        span,
        hint: None,
    }
}

fn member<'n>(node: &'n Node, key: &str) -> Option<&'n Member> {
    match &node.value {
        Value::Object(ms) => ms.iter().rev().find(|m| m.key == key),
        _ => None,
    }
}

/// The file's format, from its content.
fn detect(root: &Node) -> FileFormat {
    let Value::Object(_) = &root.value else {
        return FileFormat::Api;
    };
    let resources = member(root, "Resources").map(|m| &m.value);
    let typed_resources = match resources.map(|r| &r.value) {
        Some(Value::Object(rs)) => rs.iter().any(|r| member(&r.value, "Type").is_some()),
        _ => false,
    };
    if member(root, "AWSTemplateFormatVersion").is_some() || typed_resources {
        return FileFormat::CloudFormation;
    }
    if member(root, "format_version").is_some()
        && ["terraform_version", "planned_values", "resource_changes"]
            .iter()
            .any(|k| member(root, k).is_some())
    {
        return FileFormat::TerraformPlan;
    }
    FileFormat::Api
}

/// Reads a selector file of any supported format.
///
/// `options.format` forces the format instead of detecting it;
/// `options.params` gives CloudFormation parameters (`--param`).
///
/// # Errors
/// As [`crate::parse_bytes`]: text that is not JSON, or too large.
///
/// # Examples
/// ```
/// use ctsel::{read_selector_file, FileFormat, ParseOptions, ValidateOptions};
/// let template = r#"{"Resources": {"Trail": {"Type": "AWS::CloudTrail::Trail",
///   "Properties": {"EventSelectors": [{"ReadWriteType": "Everything"}]}}}}"#;
/// let file = read_selector_file("t.json", template.as_bytes(), &ParseOptions::default())?;
/// assert_eq!(file.format, FileFormat::CloudFormation);
/// let (report, _) = file.resources[0].check(&ValidateOptions::default());
/// assert_eq!(report.errors[0].pointer.as_str(), "/Resources/Trail/Properties/EventSelectors/0/ReadWriteType");
/// # Ok::<(), ctsel::ParseError>(())
/// ```
pub fn read_selector_file(
    name: &str,
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<SelectorFile, ParseError> {
    let tf = options.format == Some(FileFormat::Terraform)
        || (options.format.is_none() && name.ends_with(".tf"));
    if tf {
        return terraform_source(name, bytes, options);
    }
    let yaml = matches!(options.format, None | Some(FileFormat::CloudFormation));
    let (source, root, notes) = parse::parse_node(name, bytes, options, yaml)?;
    let format = options.format.unwrap_or_else(|| detect(&root));
    let mut file = SelectorFile {
        format,
        resources: Vec::new(),
        notes: Vec::new(),
        source: source.clone(),
    };
    match format {
        FileFormat::Api => {
            let document = parse::convert(source, &root, options, notes);
            file.resources.push(Resource {
                name: None,
                resource_type: None,
                document,
                notes: Vec::new(),
                unknown: Vec::new(),
                hidden: Vec::new(),
                root: None,
                values: None,
            });
        }
        FileFormat::TerraformPlan => {
            file.notes.extend(notes);
            terraform::plan(&mut file, source, root, options);
        }
        FileFormat::CloudFormation => cloudformation(&mut file, source, root, options, notes),
        FileFormat::Terraform => unreachable!("read above"),
    }
    Ok(file)
}

/// Reads a selector file or a directory of Terraform sources (with the
/// local child modules they call).
///
/// # Errors
/// As [`read_selector_file`]; a directory that cannot be read, or a `.tf`
/// file in it that is not HCL.
pub fn read_selector_path(
    path: &std::path::Path,
    options: &ParseOptions,
) -> Result<SelectorFile, ParseError> {
    let name = path.display().to_string();
    if !path.is_dir() {
        let bytes = std::fs::read(path).map_err(|e| ParseError::io(&name, &e.to_string()))?;
        return read_selector_file(&name, &bytes, options);
    }
    if let Some(file) = cdk_out(path, options)? {
        return Ok(file);
    }
    let files = hcl::read_dir(path, options.max_bytes).map_err(|m| ParseError::io(&name, &m))?;
    let mut file = SelectorFile {
        format: FileFormat::Terraform,
        resources: Vec::new(),
        notes: Vec::new(),
        source: SourceText::new(name, ""),
    };
    hcl::module(
        &mut file,
        &files,
        Some(path),
        "",
        Default::default(),
        options,
        0,
    );
    no_resources(&mut file, &terraform::RESOURCE_TYPES.map(|(t, _)| t));
    Ok(file)
}

/// A `cdk.out` directory (no `.tf` files, some `*.template.json`): every
/// synthesized template, as one file of resources named
/// `Stack.template.json: LogicalId`.
fn cdk_out(
    dir: &std::path::Path,
    options: &ParseOptions,
) -> Result<Option<SelectorFile>, ParseError> {
    let name = dir.display().to_string();
    let entries: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ParseError::io(&name, &e.to_string()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    if entries
        .iter()
        .any(|p| p.extension().is_some_and(|x| x == "tf"))
    {
        return Ok(None);
    }
    let mut templates: Vec<_> = entries
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".template.json"))
        .collect();
    if templates.is_empty() {
        return Ok(None);
    }
    templates.sort();
    let mut out = SelectorFile {
        format: FileFormat::CloudFormation,
        resources: Vec::new(),
        notes: Vec::new(),
        source: SourceText::new(name, ""),
    };
    let forced = ParseOptions {
        format: Some(FileFormat::CloudFormation),
        ..options.clone()
    };
    for t in templates {
        let stack = t
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut file = read_selector_path(&t, &forced)?;
        for r in &mut file.resources {
            r.name = Some(format!("{stack}: {}", r.name.as_deref().unwrap_or("")));
        }
        out.resources.append(&mut file.resources);
        out.notes.extend(
            file.notes
                .into_iter()
                .filter(|n| n.severity == Severity::Error),
        );
    }
    Ok(Some(out))
}

/// One `.tf` file: child modules are not followed (their directory is
/// not known); [`read_selector_path`] on the directory follows them.
fn terraform_source(
    name: &str,
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<SelectorFile, ParseError> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| ParseError::io(name, &format!("not UTF-8: {e}")))?;
    if text.len() > options.max_bytes {
        return Err(ParseError::io(
            name,
            &format!("larger than {} bytes", options.max_bytes),
        ));
    }
    let tf = hcl::parse(name, text).map_err(|(offset, m)| {
        ParseError::at(
            SourceText::new(name, text),
            offset,
            format!("not valid HCL: {m}"),
        )
    })?;
    let source = SourceText::new(name, text);
    let mut file = SelectorFile {
        format: FileFormat::Terraform,
        resources: Vec::new(),
        notes: Vec::new(),
        source,
    };
    let dir = std::path::Path::new(name)
        .parent()
        .filter(|_| std::path::Path::new(name).is_file());
    hcl::module(&mut file, &[tf], dir, "", Default::default(), options, 0);
    no_resources(&mut file, &terraform::RESOURCE_TYPES.map(|(t, _)| t));
    Ok(file)
}

fn no_resources(file: &mut SelectorFile, types: &[&str]) {
    if file.resources.is_empty() {
        file.notes.push(file_note(
            Severity::Warning,
            format!(
                "no resource with CloudTrail selectors here (looked for {})",
                types.join(", ")
            ),
            Span::new(0, 0),
        ));
    }
}

fn cloudformation(
    file: &mut SelectorFile,
    source: SourceText,
    root: Node,
    options: &ParseOptions,
    notes: Vec<Diagnostic>,
) {
    let root = Arc::new(root);
    file.notes.extend(notes);
    let resources = match member(&root, "Resources").map(|m| &m.value) {
        Some(Node {
            value: Value::Object(rs),
            ..
        }) => rs.clone(),
        _ => {
            file.notes.push(file_note(
                Severity::Error,
                "a CloudFormation template needs a `Resources` object".into(),
                root.span,
            ));
            return;
        }
    };
    let partition = options.partition.as_deref().unwrap_or("aws");
    for r in &resources {
        let ty = match member(&r.value, "Type").map(|m| &m.value.value) {
            Some(Value::String(t)) => t.clone(),
            _ => continue,
        };
        let Some(&(_, target)) = RESOURCE_TYPES.iter().find(|(t, _)| *t == ty) else {
            continue;
        };
        let base = Pointer::root()
            .key("Resources")
            .key(&r.key)
            .key("Properties");
        let props = member(&r.value, "Properties").map(|m| &m.value);
        let mut resolver = intrinsic::Resolver::new(intrinsic::Context {
            root: &root,
            params: &options.params,
            partition,
        });
        let name_key = match target {
            Target::Trail => "TrailName",
            Target::EventDataStore => "Name",
            Target::TelemetryRule => "RuleName",
        };
        // The request the resource's handler would make: its name where
        // the template gives it (a placeholder otherwise), then its
        // selector members.
        let mut members = Vec::new();
        let (name, mut hidden) = resource_name(&mut resolver, props, name_key, &base, r.key_span);
        members.push(name);
        let synthesized = match target {
            Target::Trail => {
                for key in ["EventSelectors", "AdvancedEventSelectors"] {
                    if let Some(m) = props.and_then(|p| member(p, key)) {
                        // CDK writes `EventSelectors: []` for a trail
                        // without selectors; the handler sends nothing then.
                        if matches!(&m.value.value, Value::Array(a) if a.is_empty()) {
                            continue;
                        }
                        members.push(Member {
                            key: key.into(),
                            key_span: m.key_span,
                            value: resolver.value(&m.value, key, &base.key(key)),
                        });
                    }
                }
                if members.len() == 1 {
                    let span = props.map_or(r.value.span, |p| p.span);
                    resolver.notes.push(default_trail_selector_note(span));
                    members.push(default_trail_selectors(span));
                }
                members
            }
            Target::EventDataStore => {
                for (property, key) in STORE_PROPERTIES {
                    let Some(m) = props.and_then(|p| member(p, property)) else {
                        continue;
                    };
                    let before = resolver.unknown.len();
                    let value = resolver.value(&m.value, key, &base.key(property));
                    // A setting unknown until deploy (an `Fn::If`, a
                    // parameter without default) is left out: the rules
                    // that need it do not run.
                    if property != "AdvancedEventSelectors" && resolver.unknown.len() > before {
                        hidden.extend(resolver.unknown.drain(before..));
                        continue;
                    }
                    members.push(Member {
                        key: key.into(),
                        key_span: m.key_span,
                        value,
                    });
                }
                members
            }
            Target::TelemetryRule => {
                match rule_selectors(&mut resolver, props, &base) {
                    RuleSelectors::NotCloudTrail => continue,
                    RuleSelectors::Missing => {}
                    RuleSelectors::Found(m) => members.push(m),
                }
                members
            }
        };
        let span = props.map_or(r.value.span, |p| p.span);
        let synthesized = match target {
            // botocore sees the rule's selectors three structures deep.
            Target::TelemetryRule => rule_request(synthesized, span),
            _ => Node {
                span,
                value: Value::Object(synthesized),
            },
        };
        let unknown = resolver.unknown;
        let api = ParseOptions {
            shape: Some(DocumentShape::Request),
            client: parse::Client::Sdk,
            target: Some(target),
            ..options.clone()
        };
        let mut document = parse::convert_resource(source.clone(), &synthesized, &api);
        drop_unknown_values(&mut document, &unknown);
        file.resources.push(Resource {
            name: Some(r.key.clone()),
            resource_type: Some(ty),
            document,
            notes: resolver.notes,
            unknown,
            hidden,
            root: Some(root.clone()),
            values: None,
        });
    }
    if file.resources.is_empty() {
        file.notes.push(file_note(
            Severity::Warning,
            format!(
                "no resource with CloudTrail selectors in this template (looked for {})",
                RESOURCE_TYPES.map(|(t, _)| t).join(", ")
            ),
            Span::new(root.span.start as usize, root.span.start as usize + 1),
        ));
    }
}

/// A trail given no selectors keeps AWS's default: all management
/// events, read and write. That is what is checked.
fn default_trail_selectors(span: Span) -> Member {
    let at = |key: &str, value: Value| Member {
        key: key.into(),
        key_span: span,
        value: Node { span, value },
    };
    let default = vec![
        at("ReadWriteType", Value::String("All".into())),
        at("IncludeManagementEvents", Value::Bool(true)),
    ];
    at(
        "EventSelectors",
        Value::Array(vec![Node {
            span,
            value: Value::Object(default),
        }]),
    )
}

fn default_trail_selector_note(span: Span) -> Diagnostic {
    Diagnostic::warning(
        "default-selector",
        "no selectors: the trail keeps AWS's default (all management events, read and write)",
        Pointer::root(),
        Span::new(span.start as usize, span.start as usize + 1),
    )
}

/// The resource's name member: resolved from the template, or a
/// placeholder at the logical id when the template leaves the name to
/// CloudFormation. Returns the spans nothing may be reported on (the
/// placeholder's, a name unknown until deploy).
fn resource_name(
    resolver: &mut intrinsic::Resolver<'_>,
    props: Option<&Node>,
    key: &str,
    base: &Pointer,
    logical_id: Span,
) -> (Member, Vec<Span>) {
    let given = props.and_then(|p| member(p, key));
    let value = match given {
        Some(m) => resolver.value(&m.value, key, &base.key(key)),
        None => Node {
            span: logical_id,
            value: Value::String(intrinsic::UNKNOWN.into()),
        },
    };
    let unknown = match (&value.value, given) {
        (Value::String(s), Some(_)) => s == intrinsic::UNKNOWN,
        (_, given) => given.is_none(),
    };
    // An unknown name is not an unknown selector value: the selectors can
    // still be compiled; only what is said of the name is hidden.
    let mut hidden: Vec<Span> = std::mem::take(&mut resolver.unknown);
    if unknown {
        hidden.push(logical_id);
    }
    let m = Member {
        key: key.into(),
        key_span: given.map_or(logical_id, |m| m.key_span),
        value,
    };
    (m, hidden)
}

enum RuleSelectors {
    /// The rule is not for CloudTrail.
    NotCloudTrail,
    /// A CloudTrail rule without selectors.
    Missing,
    Found(Member),
}

/// A telemetry rule's `Rule.DestinationConfiguration.CloudtrailParameters
/// .AdvancedEventSelectors`, resolved.
fn rule_selectors(
    resolver: &mut intrinsic::Resolver<'_>,
    props: Option<&Node>,
    base: &Pointer,
) -> RuleSelectors {
    let rule = props.and_then(|p| member(p, "Rule")).map(|m| &m.value);
    let resource_type = rule
        .and_then(|r| member(r, "ResourceType"))
        .map(|m| &m.value.value);
    let params = rule
        .and_then(|r| member(r, "DestinationConfiguration"))
        .and_then(|d| member(&d.value, "CloudtrailParameters"));
    match (resource_type, params) {
        (Some(Value::String(t)), None) if t != "AWS::CloudTrail" => RuleSelectors::NotCloudTrail,
        (_, None) => RuleSelectors::Missing,
        (_, Some(p)) => match member(&p.value, "AdvancedEventSelectors") {
            None => RuleSelectors::Missing,
            Some(m) => {
                let at = base
                    .key("Rule")
                    .key("DestinationConfiguration")
                    .key("CloudtrailParameters")
                    .key("AdvancedEventSelectors");
                RuleSelectors::Found(Member {
                    key: m.key.clone(),
                    key_span: m.key_span,
                    value: resolver.value(&m.value, "AdvancedEventSelectors", &at),
                })
            }
        },
    }
}

/// `{"RuleName": …, "Rule": {"TelemetryType": "Logs", "DestinationConfiguration":
/// {"CloudtrailParameters": {"AdvancedEventSelectors": […]}}}}` from the name
/// and the selectors: the request a CloudTrail rule's handler sends.
fn rule_request(mut members: Vec<Member>, span: Span) -> Node {
    let wrap = |key: &str, inner: Vec<Member>| Member {
        key: key.into(),
        key_span: span,
        value: Node {
            span,
            value: Value::Object(inner),
        },
    };
    let selectors: Vec<Member> = members.drain(1..).collect();
    let telemetry_type = Member {
        key: "TelemetryType".into(),
        key_span: span,
        value: Node {
            span,
            value: Value::String("Logs".into()),
        },
    };
    let destination = if selectors.is_empty() {
        Vec::new()
    } else {
        vec![wrap(
            "DestinationConfiguration",
            vec![wrap("CloudtrailParameters", selectors)],
        )]
    };
    let mut rule = vec![telemetry_type];
    rule.extend(destination);
    members.push(wrap("Rule", rule));
    Node {
        span,
        value: Value::Object(members),
    }
}

fn inside(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Removes the placeholders of unknown values from value lists that keep
/// a known value, so that the known ones are checked as a list (a
/// placeholder alone stays: an empty list would be an error of its own).
fn drop_unknown_values(doc: &mut Document, unknown: &[Span]) {
    let is_unknown = |s: Span| unknown.iter().any(|u| inside(*u, s));
    let prune = |values: &mut Vec<crate::model::Spanned<String>>| {
        if values.iter().any(|v| !is_unknown(v.span)) {
            values.retain(|v| !is_unknown(v.span));
        }
    };
    if let Some(list) = &mut doc.basic {
        for sel in &mut list.items {
            if let Some(ex) = &mut sel.exclude_management_event_sources {
                prune(&mut ex.value);
            }
            for dr in sel
                .data_resources
                .iter_mut()
                .flat_map(|d| d.value.iter_mut())
            {
                if let Some(v) = &mut dr.values {
                    prune(&mut v.value);
                }
            }
        }
    }
    if let Some(list) = &mut doc.advanced {
        for sel in &mut list.items {
            for fs in sel
                .field_selectors
                .iter_mut()
                .flat_map(|f| f.value.iter_mut())
            {
                for op in &mut fs.operators {
                    prune(&mut op.values);
                }
            }
        }
    }
}

/// The JSON pointer, from the file's root, of the innermost node holding
/// `span`.
fn pointer_at(root: &Node, span: Span) -> Pointer {
    let mut at = Pointer::root();
    let mut node = root;
    'down: loop {
        match &node.value {
            Value::Object(ms) => {
                // A YAML short tag's object spans no more than its
                // argument: a finding on the whole stays on the object, as
                // it does in the JSON form.
                if node.span == span && ms.iter().all(|m| m.value.span == span) {
                    return at;
                }
                for m in ms.iter().rev() {
                    if inside(m.value.span, span) || m.key_span == span {
                        at = at.key(&m.key);
                        if m.key_span == span {
                            return at;
                        }
                        node = &m.value;
                        continue 'down;
                    }
                }
                return at;
            }
            Value::Array(items) => {
                for (i, n) in items.iter().enumerate() {
                    if inside(n.span, span) {
                        at = at.index(i);
                        node = n;
                        continue 'down;
                    }
                }
                return at;
            }
            _ => return at,
        }
    }
}

/// Why a selector file gives no one resource to decide records with
/// ([`SelectorFile::choose`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Choice {
    /// The file itself is in error (the notes say why).
    Unreadable(Vec<Diagnostic>),
    /// No resource in the file has selectors.
    None,
    /// Several have, and none was named: their names.
    Several(Vec<String>),
    /// The named one is not among them: the names there are.
    NoSuch(Vec<String>),
}

/// Why a resource's selectors cannot decide records
/// ([`Resource::decidable`]), with the report that says so.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Refusal {
    /// Some value is known only at deploy time.
    Unknown(Report),
    /// The AWS CLI would refuse the selectors before sending them.
    Structural(Report),
    /// AWS would reject them (and `allow_invalid` was not given).
    Rejected(Report),
}

impl SelectorFile {
    /// The one resource a record-side command decides with: the API
    /// document, the file's only resource, or the one named `resource`.
    ///
    /// # Errors
    /// [`Choice`] says why there is not exactly one.
    pub fn choose(self, resource: Option<&str>) -> Result<Resource, Choice> {
        let errors: Vec<Diagnostic> = self
            .notes
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        if !errors.is_empty() {
            return Err(Choice::Unreadable(errors));
        }
        let names = |rs: &[Resource]| rs.iter().filter_map(|r| r.name.clone()).collect();
        let mut resources = self.resources;
        if let Some(id) = resource {
            return match resources.iter().position(|r| r.name.as_deref() == Some(id)) {
                Some(i) => Ok(resources.swap_remove(i)),
                None => Err(Choice::NoSuch(names(&resources))),
            };
        }
        match resources.len() {
            1 => Ok(resources.remove(0)),
            0 => Err(Choice::None),
            _ => Err(Choice::Several(names(&resources))),
        }
    }
}

impl Resource {
    /// The selector set to decide records with, checked with every
    /// service error reported: the validated set, or with `allow_invalid`
    /// the set as written when AWS rejects it only on service rules.
    ///
    /// # Errors
    /// [`Refusal`] says why the selectors cannot decide, with the report.
    pub fn decidable(
        &self,
        options: &ValidateOptions,
        allow_invalid: bool,
    ) -> Result<(SelectorSet, Report), Refusal> {
        let all = ValidateOptions {
            report_all: true,
            ..options.clone()
        };
        let (report, set) = self.check(&all);
        if let Some(set) = set {
            return Ok((set, report));
        }
        if (report.is_valid() || allow_invalid) && self.has_unknown_values() {
            return Err(Refusal::Unknown(report));
        }
        let structural = report
            .errors
            .iter()
            .any(|d| d.exception == crate::diagnostic::PARAM_VALIDATION_ERROR);
        if structural {
            return Err(Refusal::Structural(report));
        }
        match crate::validate::lenient(&self.document).filter(|_| allow_invalid) {
            Some(set) => Ok((set, report)),
            None => Err(Refusal::Rejected(report)),
        }
    }
}

impl Resource {
    /// Validates the target as AWS would its resource's request.
    ///
    /// Values unknown until deploy are not checked, and nothing is
    /// reported on them but the note that says so; the set is `None` then,
    /// since it cannot be compiled as deployed.
    ///
    /// # Examples
    /// See [`read_selector_file`].
    pub fn check(&self, options: &ValidateOptions) -> (Report, Option<SelectorSet>) {
        // With unknown values, every error is found first, and those on
        // unknown values are then dropped.
        let all = ValidateOptions {
            report_all: options.report_all || !self.unknown.is_empty() || !self.hidden.is_empty(),
            ..options.clone()
        };
        let (mut report, set) = check(&self.document, &all);
        let hidden = |d: &Diagnostic| {
            self.unknown
                .iter()
                .chain(&self.hidden)
                .any(|u| inside(*u, d.span))
        };
        report.errors.retain(|d| !hidden(d));
        report.warnings.retain(|d| !hidden(d));
        // AWS stops at the first service error: the first that is not on
        // an unknown value.
        if !options.report_all && all.report_all {
            if let Some(i) = report.errors.iter().position(|d| d.layer == Layer::Service) {
                report.suppressed += report.errors.len() - i - 1;
                report.errors.truncate(i + 1);
            }
        }
        let mut warnings = self.notes.clone();
        warnings.append(&mut report.warnings);
        report.warnings = warnings;
        if let Some(root) = &self.root {
            for d in report.errors.iter_mut().chain(report.warnings.iter_mut()) {
                d.pointer = pointer_at(root, d.span);
            }
        }
        // An error hidden on a placeholder (a trail name left to
        // CloudFormation) leaves the selectors themselves valid.
        let set = match set {
            None if report.is_valid() => crate::validate::lenient(&self.document),
            set => set,
        };
        let set = set.filter(|_| self.unknown.is_empty());
        (report, set)
    }

    /// Where a finding sits, as Terraform names it: the resource's address
    /// and the attribute path, set elements named by their field
    /// (`module.a.aws_cloudtrail.t: advanced_event_selector[0].field_selector{field="eventCategory"}.starts_with[0]`).
    /// `None` for other formats.
    pub fn terraform_path(&self, d: &Diagnostic) -> Option<String> {
        let values = self.values.as_ref()?;
        let path = terraform::path(values, d.span);
        let name = self.name.as_deref().unwrap_or("");
        Some(if path.is_empty() {
            name.to_string()
        } else {
            format!("{name}: {path}")
        })
    }

    /// True when some value is unknown until deploy.
    pub fn has_unknown_values(&self) -> bool {
        !self.unknown.is_empty()
    }
}
