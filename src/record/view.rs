//! A borrowed view of the record fields selectors read.

use super::scan::{scan, Key, Scalar, ScanError, Sink};
use crate::eval::{Run, Verdict};
use crate::model::Field;
use crate::Program;
use smallvec::SmallVec;
use std::borrow::Cow;

/// One element of a record's `resources`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResourceView<'a> {
    /// `type`, when a string.
    pub type_: Option<Cow<'a, str>>,
    /// `ARN` when a string, else `ARNPrefix` when a string.
    pub arn: Option<Cow<'a, str>>,
}

/// The fields of a CloudTrail record that selectors read, borrowed from the
/// record's bytes where no unescaping was needed.
///
/// Values are normalised as spec §3.5 says: `readOnly` is its string form
/// (`true`/`false` from a boolean, a string lowercased), a boolean
/// `sessionCredentialFromConsole` is stringified, and members of other JSON
/// types are absent. A repeated key: the first occurrence wins.
///
/// # Examples
///
/// ```
/// use ctsel::{Field, Program, RecordView, SelectorSet};
///
/// let record = br#"{"eventCategory":"Management","readOnly":false,"eventName":"CreateUser"}"#;
/// let view = RecordView::parse(record)?;
/// assert_eq!(view.get(Field::EventName), Some("CreateUser"));
/// let program = Program::new(&SelectorSet::trail_default());
/// assert!(program.decide(&view).is_logged());
///
/// let err = RecordView::parse(b"[1, 2]").unwrap_err();
/// assert_eq!(err.kind(), ctsel::ScanErrorKind::NotAnObject);
/// # Ok::<(), ctsel::ScanError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordView<'a> {
    /// Scalar fields by [`Field`] position (`resources.*` unused).
    fields: [Option<Cow<'a, str>>; 11],
    seen: u16,
    /// `managementEvent`, when a boolean.
    pub management_event: Option<bool>,
    /// Object elements of the first top-level `resources` array.
    pub resources: SmallVec<[ResourceView<'a>; 2]>,
}

fn slot(key: Key) -> usize {
    match key {
        Key::EventCategory => 0,
        Key::EventSource => 1,
        Key::EventName => 2,
        Key::EventType => 3,
        Key::ReadOnly => 4,
        Key::ErrorCode => 7,
        Key::SessionCredentialFromConsole => 8,
        Key::UserIdentityArn => 9,
        Key::VpcEndpointId => 10,
        Key::ManagementEvent => 5,
    }
}

/// The string form spec §3.5 compares for `key`, or `None` (absent).
pub(crate) fn normalise(key: Key, value: Scalar<'_>) -> Option<Cow<'_, str>> {
    match (key, value) {
        (Key::ReadOnly, Scalar::Str(s)) => Some(if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_lowercase())
        } else {
            s
        }),
        (Key::ReadOnly | Key::SessionCredentialFromConsole, Scalar::Bool(b)) => {
            Some(Cow::Borrowed(if b { "true" } else { "false" }))
        }
        (_, Scalar::Str(s)) => Some(s),
        _ => None,
    }
}

impl<'a> Sink<'a> for RecordView<'a> {
    fn scalar(&mut self, key: Key, value: Scalar<'a>) {
        let i = slot(key);
        if self.seen & (1 << i) != 0 {
            return;
        }
        self.seen |= 1 << i;
        if key == Key::ManagementEvent {
            if let Scalar::Bool(b) = value {
                self.management_event = Some(b);
            }
            return;
        }
        self.fields[i] = normalise(key, value);
    }

    fn resource(&mut self, type_: Option<Cow<'a, str>>, arn: Option<Cow<'a, str>>) {
        self.resources.push(ResourceView { type_, arn });
    }
}

impl<'a> RecordView<'a> {
    /// Scans a record (one JSON object).
    ///
    /// # Errors
    /// Returns [`ScanError`] when the bytes are not a JSON object.
    pub fn parse(bytes: &'a [u8]) -> Result<RecordView<'a>, ScanError> {
        let mut v = RecordView::default();
        scan(bytes, &mut v)?;
        Ok(v)
    }

    /// A scalar field's normalised value (`None` for `resources.*`).
    pub fn get(&self, field: Field) -> Option<&str> {
        let i = match field {
            Field::EventCategory => 0,
            Field::EventSource => 1,
            Field::EventName => 2,
            Field::EventType => 3,
            Field::ReadOnly => 4,
            Field::ErrorCode => 7,
            Field::SessionCredentialFromConsole => 8,
            Field::UserIdentityArn => 9,
            Field::VpcEndpointId => 10,
            Field::ResourcesType | Field::ResourcesArn => return None,
        };
        self.fields[i].as_deref()
    }

    /// Feeds the view to a run.
    pub fn feed(&self, run: &mut Run<'_>) {
        for field in crate::model::Field::ALL {
            if let Some(v) = self.get(field) {
                run.scalar(field, v);
            }
        }
        if let Some(m) = self.management_event {
            run.management_event(m);
        }
        for r in &self.resources {
            run.resource(r.type_.as_deref(), r.arn.as_deref());
        }
    }
}

impl Program {
    /// Decides a record.
    ///
    /// # Examples
    ///
    /// ```
    /// use ctsel::{parse_str, validate, ParseOptions, Program, RecordView, ValidateOptions};
    ///
    /// let text = r#"[{"ReadWriteType": "WriteOnly"}]"#;
    /// let doc = parse_str("sel.json", text, &ParseOptions::default())?;
    /// let set = validate(&doc, &ValidateOptions::default())?.selectors;
    /// let program = Program::new(&set);
    /// let write = RecordView::parse(br#"{"eventCategory":"Management","readOnly":false}"#)?;
    /// let read = RecordView::parse(br#"{"eventCategory":"Management","readOnly":true}"#)?;
    /// assert_eq!(program.decide(&write).selectors(), [0]);
    /// assert!(!program.decide(&read).is_logged());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(&self, view: &RecordView<'_>) -> Verdict {
        let mut run = self.run();
        view.feed(&mut run);
        run.finish()
    }

    /// Scans and decides a record's bytes.
    ///
    /// # Errors
    /// Returns [`ScanError`] when the bytes are not a JSON object.
    pub fn decide_bytes(&self, bytes: &[u8]) -> Result<Verdict, ScanError> {
        Ok(self.decide(&RecordView::parse(bytes)?))
    }
}
