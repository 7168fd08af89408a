//! The selector model: AWS's own shapes and member names, each value keeping
//! the span it came from.
//!
//! A [`Document`] is what [`crate::parse`] produces from any of the three
//! input shapes. Members that had the wrong JSON type are `None` here and the
//! problem is recorded as a structural (botocore, "Layer A") diagnostic on the
//! document, so that the model never holds a value of the wrong type.

use crate::diagnostic::Diagnostic;
use crate::source::{SourceText, Span};
use std::fmt;

/// A value together with the span of its JSON text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// Which of the two selector families a list holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SelectorKind {
    /// `EventSelectors`: ReadWriteType, IncludeManagementEvents, DataResources.
    Basic,
    /// `AdvancedEventSelectors`: named lists of field selectors.
    Advanced,
}

impl SelectorKind {
    /// `"basic"` or `"advanced"`, as printed in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            SelectorKind::Basic => "basic",
            SelectorKind::Advanced => "advanced",
        }
    }

    /// The API parameter name: `EventSelectors` or `AdvancedEventSelectors`.
    pub fn parameter(self) -> &'static str {
        match self {
            SelectorKind::Basic => "EventSelectors",
            SelectorKind::Advanced => "AdvancedEventSelectors",
        }
    }
}

impl fmt::Display for SelectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where selectors are deployed: each takes its own categories, fields and
/// limits (`targets.md` §T1, §T2), although the selector language is one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Target {
    /// A trail (`PutEventSelectors`).
    #[default]
    Trail,
    /// A CloudTrail Lake event data store (`CreateEventDataStore`,
    /// `UpdateEventDataStore`).
    EventDataStore,
    /// A CloudWatch telemetry rule that enables CloudTrail
    /// (`CreateTelemetryRule` and its organization form).
    TelemetryRule,
}

impl Target {
    /// The three, in the order of the CLI's `--target`.
    pub const ALL: [Target; 3] = [Target::Trail, Target::EventDataStore, Target::TelemetryRule];

    /// The CLI spelling: `trail`, `event-data-store`, `telemetry-rule`.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Trail => "trail",
            Target::EventDataStore => "event-data-store",
            Target::TelemetryRule => "telemetry-rule",
        }
    }

    /// Parses the CLI spelling (`eds` is accepted for the event data store).
    pub fn from_name(s: &str) -> Option<Target> {
        match s {
            "eds" => Some(Target::EventDataStore),
            _ => Target::ALL.into_iter().find(|t| t.as_str() == s),
        }
    }

    /// How messages name the target: `trails`, `event data stores`, …
    pub fn plural(self) -> &'static str {
        match self {
            Target::Trail => "trails",
            Target::EventDataStore => "event data stores",
            Target::TelemetryRule => "telemetry rules",
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An event data store's settings that selector rules depend on
/// (`targets.md` §T1.2, §T1.4, §T1.5); each is present only where the
/// input carries it (a request body, a template, a plan).
#[derive(Clone, Debug, Default)]
pub struct StoreSettings {
    /// The input creates the store (a create request, a template or plan
    /// resource), rather than updating or describing it.
    pub creates: bool,
    /// `MultiRegionEnabled`.
    pub multi_region: Option<Spanned<bool>>,
    /// `OrganizationEnabled`.
    pub organization: Option<Spanned<bool>>,
    /// `RetentionPeriod`, in days.
    pub retention_period: Option<Spanned<i64>>,
    /// `BillingMode`.
    pub billing_mode: Option<Spanned<String>>,
    /// `StartIngestion` (Terraform's `suspend`, negated).
    pub start_ingestion: Option<Spanned<bool>>,
    /// `MaxEventSize` (`PutEventConfiguration`; a template's store property).
    pub max_event_size: Option<Spanned<String>>,
    /// `ContextKeySelectors`, with the list's span.
    pub context_key_selectors: Option<Spanned<Vec<ContextKeySelector>>>,
}

/// One `ContextKeySelectors` element: which context to enrich events with.
#[derive(Clone, Debug, Default)]
pub struct ContextKeySelector {
    /// `Type`: `TagContext` or `RequestContext`.
    pub type_: Option<Spanned<String>>,
    /// `Equals`: the tag keys or condition keys.
    pub equals: Option<Spanned<Vec<Spanned<String>>>>,
    /// Span of the object.
    pub span: Span,
}

/// The JSON shape a selector document arrived in (spec §1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentShape {
    /// A bare array, as given to `put-event-selectors --event-selectors` or
    /// `--advanced-event-selectors`.
    CliList,
    /// A PutEventSelectors request body: `{"TrailName": …, "EventSelectors": […]}`.
    Request,
    /// A GetEventSelectors response: `{"TrailARN": …, …}`.
    GetResponse,
}

/// A parsed selector document.
#[derive(Clone, Debug)]
pub struct Document {
    /// The input text, for positions and rendering.
    pub source: SourceText,
    /// The shape it arrived in.
    pub shape: DocumentShape,
    /// `TrailName` (request form) or `TrailARN` (response form).
    pub trail: Option<Spanned<String>>,
    /// The basic selector list, when present.
    pub basic: Option<SelectorList<EventSelector>>,
    /// The advanced selector list, when present.
    pub advanced: Option<SelectorList<AdvancedEventSelector>>,
    /// Structural (botocore) errors and parse-time warnings, in report order.
    pub structural: Vec<Diagnostic>,
    /// Where the selectors go: given, or inferred from the document.
    pub target: Target,
    /// An event data store's settings, when the document carries any.
    pub store: StoreSettings,
}

impl Document {
    /// Which kind of selectors the document holds: the kind of its one
    /// non-empty list, or of its one list. `None` when it holds no list, or
    /// two non-empty ones (which validation rejects).
    pub fn kind(&self) -> Option<SelectorKind> {
        match (&self.basic, &self.advanced) {
            (Some(_), None) => Some(SelectorKind::Basic),
            (None, Some(_)) => Some(SelectorKind::Advanced),
            (Some(b), Some(a)) => match (b.items.is_empty(), a.items.is_empty()) {
                (false, true) => Some(SelectorKind::Basic),
                (true, _) => Some(SelectorKind::Advanced),
                (false, false) => None,
            },
            (None, None) => None,
        }
    }
}

/// A selector list and where it sits in the document.
#[derive(Clone, Debug)]
pub struct SelectorList<T> {
    /// The selectors, in order.
    pub items: Vec<T>,
    /// Span of the array.
    pub span: Span,
    /// Span of the `"EventSelectors"`/`"AdvancedEventSelectors"` key, when the
    /// list is a member of an object.
    pub key_span: Option<Span>,
}

/// `ReadWriteType` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReadWriteType {
    /// Read-only events (record `readOnly` true).
    ReadOnly,
    /// Write events (record `readOnly` false).
    WriteOnly,
    /// Both.
    All,
}

impl ReadWriteType {
    /// Parses the case-sensitive API spelling.
    pub fn from_api(s: &str) -> Option<ReadWriteType> {
        match s {
            "ReadOnly" => Some(ReadWriteType::ReadOnly),
            "WriteOnly" => Some(ReadWriteType::WriteOnly),
            "All" => Some(ReadWriteType::All),
            _ => None,
        }
    }

    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadWriteType::ReadOnly => "ReadOnly",
            ReadWriteType::WriteOnly => "WriteOnly",
            ReadWriteType::All => "All",
        }
    }
}

/// A basic `EventSelector`. Absent members take the defaults of spec §1.2.
#[derive(Clone, Debug, Default)]
pub struct EventSelector {
    /// Span of the selector object.
    pub span: Span,
    /// `ReadWriteType`, as written (enum membership is a service-side check).
    pub read_write_type: Option<Spanned<String>>,
    /// `IncludeManagementEvents`.
    pub include_management_events: Option<Spanned<bool>>,
    /// `DataResources`.
    pub data_resources: Option<Spanned<Vec<DataResource>>>,
    /// `ExcludeManagementEventSources`.
    pub exclude_management_event_sources: Option<Spanned<Vec<Spanned<String>>>>,
}

impl EventSelector {
    /// `IncludeManagementEvents`, defaulting to true.
    pub fn includes_management_events(&self) -> bool {
        self.include_management_events
            .as_ref()
            .is_none_or(|b| b.value)
    }

    /// The data resources, empty when absent.
    pub fn data_resources(&self) -> &[DataResource] {
        self.data_resources
            .as_ref()
            .map_or(&[], |d| d.value.as_slice())
    }

    /// The excluded management event sources, empty when absent.
    pub fn excluded_sources(&self) -> &[Spanned<String>] {
        self.exclude_management_event_sources
            .as_ref()
            .map_or(&[], |d| d.value.as_slice())
    }

    /// This selector with spans dropped. What validation would reject is
    /// read leniently: an unknown `ReadWriteType` as `All`, a data resource
    /// without a type is dropped. On a valid selector nothing is lost.
    pub fn to_selector(&self) -> BasicSelector {
        BasicSelector {
            read_write_type: self
                .read_write_type
                .as_ref()
                .and_then(|r| ReadWriteType::from_api(&r.value))
                .unwrap_or(ReadWriteType::All),
            include_management_events: self.includes_management_events(),
            data_resources: self
                .data_resources()
                .iter()
                .filter_map(|d| {
                    Some(BasicDataResource {
                        type_: d.type_.as_ref()?.value.clone(),
                        values: d.values().iter().map(|v| v.value.clone()).collect(),
                    })
                })
                .collect(),
            exclude_management_event_sources: self
                .excluded_sources()
                .iter()
                .map(|v| v.value.clone())
                .collect(),
        }
    }
}

/// A basic `DataResource`.
#[derive(Clone, Debug, Default)]
pub struct DataResource {
    /// Span of the object.
    pub span: Span,
    /// `Type`.
    pub type_: Option<Spanned<String>>,
    /// `Values`.
    pub values: Option<Spanned<Vec<Spanned<String>>>>,
}

impl DataResource {
    /// The values, empty when absent.
    pub fn values(&self) -> &[Spanned<String>] {
        self.values.as_ref().map_or(&[], |v| v.value.as_slice())
    }
}

/// An `AdvancedEventSelector`.
#[derive(Clone, Debug, Default)]
pub struct AdvancedEventSelector {
    /// Span of the selector object.
    pub span: Span,
    /// `Name`: descriptive only.
    pub name: Option<Spanned<String>>,
    /// `FieldSelectors`; `None` only when missing or of the wrong type.
    pub field_selectors: Option<Spanned<Vec<FieldSelector>>>,
}

impl AdvancedEventSelector {
    /// The field selectors, empty when absent.
    pub fn field_selectors(&self) -> &[FieldSelector] {
        self.field_selectors
            .as_ref()
            .map_or(&[], |v| v.value.as_slice())
    }

    /// This selector with spans dropped; field selectors on unknown fields
    /// (which validation rejects) are dropped. On a valid selector nothing
    /// is lost.
    pub fn to_selector(&self) -> AdvancedSelector {
        AdvancedSelector {
            name: self.name.as_ref().map(|n| n.value.clone()),
            field_selectors: self
                .field_selectors()
                .iter()
                .filter_map(|f| Some(f.to_condition(Field::from_api(f.field_name())?)))
                .collect(),
        }
    }
}

/// An `AdvancedFieldSelector`: a field and its operator lists.
#[derive(Clone, Debug, Default)]
pub struct FieldSelector {
    /// Span of the object.
    pub span: Span,
    /// `Field`.
    pub field: Option<Spanned<String>>,
    /// Operator lists in source order. Empty lists from a GetEventSelectors
    /// response are dropped.
    pub operators: Vec<OperatorValues>,
}

impl FieldSelector {
    /// The field name, or `""` when missing.
    pub fn field_name(&self) -> &str {
        self.field.as_ref().map_or("", |f| f.value.as_str())
    }

    /// This field selector as a [`FieldCondition`] on `field`, spans dropped.
    pub fn to_condition(&self, field: Field) -> FieldCondition {
        FieldCondition {
            field,
            operators: self
                .operators
                .iter()
                .map(|o| {
                    (
                        o.operator,
                        o.values.iter().map(|v| v.value.clone()).collect(),
                    )
                })
                .collect(),
        }
    }
}

/// One operator list of a field selector, e.g. `"Equals": ["Data"]`.
#[derive(Clone, Debug)]
pub struct OperatorValues {
    /// The operator.
    pub operator: Operator,
    /// Span of the operator's key.
    pub key_span: Span,
    /// Span of the array.
    pub span: Span,
    /// The values.
    pub values: Vec<Spanned<String>>,
}

/// The six advanced operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    /// Value equals.
    Equals,
    /// Value starts with.
    StartsWith,
    /// Value ends with.
    EndsWith,
    /// DESELECT: value equals.
    NotEquals,
    /// DESELECT: value starts with.
    NotStartsWith,
    /// DESELECT: value ends with.
    NotEndsWith,
}

impl Operator {
    /// All operators in API member order.
    pub const ALL: [Operator; 6] = [
        Operator::Equals,
        Operator::StartsWith,
        Operator::EndsWith,
        Operator::NotEquals,
        Operator::NotStartsWith,
        Operator::NotEndsWith,
    ];

    /// The API member name.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "Equals",
            Operator::StartsWith => "StartsWith",
            Operator::EndsWith => "EndsWith",
            Operator::NotEquals => "NotEquals",
            Operator::NotStartsWith => "NotStartsWith",
            Operator::NotEndsWith => "NotEndsWith",
        }
    }

    /// Parses an API member name.
    pub fn from_api(s: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// True for the DESELECT operators (`Not…`).
    pub fn is_negative(self) -> bool {
        matches!(
            self,
            Operator::NotEquals | Operator::NotStartsWith | Operator::NotEndsWith
        )
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The event categories selectors govern. Trails take the first three;
/// event data stores all seven (the last four only select a whole kind of
/// store, `targets.md` §T1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Control-plane API calls, sign-ins, service events.
    Management,
    /// Resource operations (S3 objects, Lambda invocations, …).
    Data,
    /// VPC endpoint activity.
    NetworkActivity,
    /// Insights events (an Insights destination event data store).
    Insight,
    /// AWS Config configuration items.
    ConfigurationItem,
    /// Audit Manager evidence.
    Evidence,
    /// Events from outside AWS (integrations).
    ActivityAuditLog,
}

impl Category {
    /// All seven, in the order of spec §2.4.3 and `targets.md` §T1.2.
    pub const ALL: [Category; 7] = [
        Category::Management,
        Category::Data,
        Category::NetworkActivity,
        Category::Insight,
        Category::ConfigurationItem,
        Category::Evidence,
        Category::ActivityAuditLog,
    ];

    /// The record and selector spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Management => "Management",
            Category::Data => "Data",
            Category::NetworkActivity => "NetworkActivity",
            Category::Insight => "Insight",
            Category::ConfigurationItem => "ConfigurationItem",
            Category::Evidence => "Evidence",
            Category::ActivityAuditLog => "ActivityAuditLog",
        }
    }

    /// Parses the case-sensitive spelling.
    pub fn from_api(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The one table of fields: the enum, its API spelling, and where a
/// CloudTrail record holds the field — a top-level member (with its name as
/// bytes, for the record readers' key dispatch), a member of the top-level
/// `userIdentity` object, or the `resources` array. Adding a field is one row
/// here, the reference interpreter, and the field matrix data file.
macro_rules! field_table {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $place:ident $(($bytes:literal))?; )*) => {
        /// The eleven fields advanced selectors may name (spec §2.4.2 A3).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Field {
            $( $(#[$doc])* $variant, )*
        }

        impl Field {
            /// All fields, in the order the API reference lists them.
            pub const ALL: [Field; 0 $(+ { let _ = $name; 1 })*] = [$(Field::$variant),*];

            /// The API spelling (case matters: `resources.ARN`, `userIdentity.arn`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Field::$variant => $name, )*
                }
            }

            /// The field a top-level record member of this name holds.
            #[inline]
            pub(crate) fn of_member(name: &[u8]) -> Option<Field> {
                match name {
                    $( $( $bytes => Some(Field::$variant), )? )*
                    _ => None,
                }
            }

            /// The field's position in [`Field::ALL`].
            #[inline]
            pub(crate) fn index(self) -> usize {
                self as usize
            }
        }
    };
}

field_table! {
    /// `eventCategory`
    EventCategory = "eventCategory", member(b"eventCategory");
    /// `eventSource`
    EventSource = "eventSource", member(b"eventSource");
    /// `eventName`
    EventName = "eventName", member(b"eventName");
    /// `eventType`
    EventType = "eventType", member(b"eventType");
    /// `readOnly`
    ReadOnly = "readOnly", member(b"readOnly");
    /// `resources.type`
    ResourcesType = "resources.type", resources;
    /// `resources.ARN`
    ResourcesArn = "resources.ARN", resources;
    /// `errorCode`
    ErrorCode = "errorCode", member(b"errorCode");
    /// `sessionCredentialFromConsole`
    SessionCredentialFromConsole = "sessionCredentialFromConsole", member(b"sessionCredentialFromConsole");
    /// `userIdentity.arn`
    UserIdentityArn = "userIdentity.arn", user_identity;
    /// `vpcEndpointId`
    VpcEndpointId = "vpcEndpointId", member(b"vpcEndpointId");
}

impl Field {
    /// Parses the API spelling.
    pub fn from_api(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Selectors that passed validation, without spans: what the compiler and
/// the reference interpreter consume.
///
/// Both kinds can also be built by hand (an embedder that holds selectors in
/// its own types); the decision program is defined for any value of this
/// type, valid or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectorSet {
    /// Basic selectors, in order.
    Basic(Vec<BasicSelector>),
    /// Advanced selectors, in order.
    Advanced(Vec<AdvancedSelector>),
}

impl SelectorSet {
    /// The kind.
    pub fn kind(&self) -> SelectorKind {
        match self {
            SelectorSet::Basic(_) => SelectorKind::Basic,
            SelectorSet::Advanced(_) => SelectorKind::Advanced,
        }
    }

    /// Number of selectors.
    pub fn len(&self) -> usize {
        match self {
            SelectorSet::Basic(v) => v.len(),
            SelectorSet::Advanced(v) => v.len(),
        }
    }

    /// True when there are no selectors.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The selector a trail has when selectors were never put (spec §3.3):
    /// all read and write management events.
    pub fn trail_default() -> SelectorSet {
        SelectorSet::Basic(vec![BasicSelector::default()])
    }
}

/// A validated basic selector with defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasicSelector {
    /// `ReadWriteType`.
    pub read_write_type: ReadWriteType,
    /// `IncludeManagementEvents`.
    pub include_management_events: bool,
    /// `DataResources`.
    pub data_resources: Vec<BasicDataResource>,
    /// `ExcludeManagementEventSources`.
    pub exclude_management_event_sources: Vec<String>,
}

impl Default for BasicSelector {
    fn default() -> BasicSelector {
        BasicSelector {
            read_write_type: ReadWriteType::All,
            include_management_events: true,
            data_resources: Vec::new(),
            exclude_management_event_sources: Vec::new(),
        }
    }
}

/// A validated basic data resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasicDataResource {
    /// `Type`: one of the three basic types.
    pub type_: String,
    /// `Values`: full or partial ARNs.
    pub values: Vec<String>,
}

/// A validated advanced selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdvancedSelector {
    /// `Name`.
    pub name: Option<String>,
    /// `FieldSelectors`.
    pub field_selectors: Vec<FieldCondition>,
}

/// A validated field selector: a known field and its non-empty operator lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldCondition {
    /// The field.
    pub field: Field,
    /// Operator lists in source order.
    pub operators: Vec<(Operator, Vec<String>)>,
}

impl SelectorSet {
    /// The selectors as the JSON list `put-event-selectors` takes
    /// (`--event-selectors` or `--advanced-event-selectors`), every member
    /// written out.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{json, Map, Value};
        match self {
            SelectorSet::Basic(v) => Value::Array(
                v.iter()
                    .map(|s| {
                        json!({
                            "ReadWriteType": s.read_write_type.as_str(),
                            "IncludeManagementEvents": s.include_management_events,
                            "DataResources": s.data_resources.iter().map(|d| json!({
                                "Type": d.type_,
                                "Values": d.values,
                            })).collect::<Vec<_>>(),
                            "ExcludeManagementEventSources": s.exclude_management_event_sources,
                        })
                    })
                    .collect(),
            ),
            SelectorSet::Advanced(v) => Value::Array(
                v.iter()
                    .map(|s| {
                        let mut o = Map::new();
                        if let Some(n) = &s.name {
                            o.insert("Name".into(), Value::String(n.clone()));
                        }
                        let fields = s
                            .field_selectors
                            .iter()
                            .map(|f| {
                                let mut m = Map::new();
                                m.insert("Field".into(), Value::String(f.field.as_str().into()));
                                for (op, values) in &f.operators {
                                    m.insert(op.as_str().into(), json!(values));
                                }
                                Value::Object(m)
                            })
                            .collect();
                        o.insert("FieldSelectors".into(), Value::Array(fields));
                        Value::Object(o)
                    })
                    .collect(),
            ),
        }
    }
}
