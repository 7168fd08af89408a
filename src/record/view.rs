//! A borrowed view of the record fields selectors read.

use super::scan::{scan, Key, Scalar, ScanError, Sink};
use crate::compile::Program;
use crate::eval::{Run, Verdict};
use crate::model::Field;
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
    /// Scalar fields by their position in [`Field::ALL`] (`resources.*`
    /// unused).
    fields: [Option<Cow<'a, str>>; Field::ALL.len()],
    /// Members met so far, by field position; `managementEvent` after them.
    seen: u16,
    /// `managementEvent`, when a boolean.
    pub management_event: Option<bool>,
    /// Object elements of the first top-level `resources` array.
    pub resources: SmallVec<[ResourceView<'a>; 2]>,
}

/// The string form spec §3.5 compares for `field`, or `None` (absent).
pub(crate) fn normalise(field: Field, value: Scalar<'_>) -> Option<Cow<'_, str>> {
    match (field, value) {
        (Field::ReadOnly, Scalar::Str(s)) => Some(if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_lowercase())
        } else {
            s
        }),
        (Field::ReadOnly | Field::SessionCredentialFromConsole, Scalar::Bool(b)) => {
            Some(Cow::Borrowed(if b { "true" } else { "false" }))
        }
        (_, Scalar::Str(s)) => Some(s),
        _ => None,
    }
}

impl<'a> Sink<'a> for RecordView<'a> {
    fn scalar(&mut self, key: Key, value: Scalar<'a>) {
        // The first occurrence wins: a later duplicate is ignored.
        let (i, field) = match key {
            Key::Field(f) => (f.index(), Some(f)),
            Key::ManagementEvent => (Field::ALL.len(), None),
        };
        if self.seen & (1 << i) != 0 {
            return;
        }
        self.seen |= 1 << i;
        match field {
            Some(f) => self.fields[i] = normalise(f, value),
            None => {
                if let Scalar::Bool(b) = value {
                    self.management_event = Some(b);
                }
            }
        }
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
        self.fields[field.index()].as_deref()
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
