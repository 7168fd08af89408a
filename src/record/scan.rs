//! The record scanner: one pass over a record's bytes that decodes only the
//! members selectors read and skips the rest without building values.
//!
//! Only top-level keys count: `requestParameters` and `responseElements`
//! often hold keys named `eventName`, `resources` or `readOnly`, and a nested
//! value is skipped structurally (strings with escaped quotes, nested
//! brackets), never searched. Strings the engine reads are unescaped
//! (`\"`, `\/`, `\u0041`); the others are only checked.
//!
//! The scanner accepts exactly the records `serde_json` accepts (the
//! reference interpreter parses with it): strict RFC 8259 JSON, valid UTF-8,
//! no lone surrogate escapes, nesting at most [`MAX_DEPTH`] containers deep,
//! and a JSON object at the top. A repeated key: the first occurrence wins
//! (documented in the README; the reference does the same).

use crate::model::Field;
use std::borrow::Cow;

/// Deepest container nesting accepted, as in `serde_json` (its recursion
/// limit of 128 rejects the 128th nested container).
pub const MAX_DEPTH: usize = 127;

/// Why a record is unparseable, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanError {
    /// Byte offset in the record.
    pub offset: usize,
    /// What is wrong.
    pub message: &'static str,
}

/// What kind of problem made a record unparseable, for callers that
/// branch on it (the message says more).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScanErrorKind {
    /// Valid JSON, but not an object at the top.
    NotAnObject,
    /// More nested containers than `serde_json` accepts (127).
    TooDeep,
    /// A number outside `f64`'s range.
    NumberOutOfRange,
    /// A string with a control character, a bad escape or a lone surrogate.
    BadString,
    /// The record ends before its object does.
    Truncated,
    /// Anything else that is not JSON (a bad literal, a missing comma,
    /// bytes after the record).
    Syntax,
}

impl ScanError {
    /// The kind of problem.
    pub fn kind(&self) -> ScanErrorKind {
        match self.message {
            "not a JSON object" => ScanErrorKind::NotAnObject,
            "nesting too deep" => ScanErrorKind::TooDeep,
            "number out of range" => ScanErrorKind::NumberOutOfRange,
            "unterminated string"
            | "control character in string"
            | "lone surrogate in \\u escape"
            | "invalid escape"
            | "invalid UTF-8" => ScanErrorKind::BadString,
            "unexpected end of record" => ScanErrorKind::Truncated,
            _ => ScanErrorKind::Syntax,
        }
    }
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for ScanError {}

/// A top-level member the engine reads: a field of the field table, or
/// `managementEvent` (which tells the category of a record without
/// `eventCategory`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    /// A field (`userIdentity.arn` for the `arn` of the top-level
    /// `userIdentity`).
    Field(Field),
    /// `managementEvent`
    ManagementEvent,
}

/// The [`Key`] a top-level member name stands for.
#[inline]
pub(crate) fn top_key(k: &[u8]) -> Option<Key> {
    match Field::of_member(k) {
        Some(f) => Some(Key::Field(f)),
        None if k == b"managementEvent" => Some(Key::ManagementEvent),
        None => None,
    }
}

/// A scalar the scanner found for a [`Key`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scalar<'a> {
    /// A string, unescaped.
    Str(Cow<'a, str>),
    /// `true` or `false`.
    Bool(bool),
    /// Any other JSON value (number, null, object, array).
    Other,
}

/// The members of a `resources` element the engine reads. The first
/// occurrence of each counts; a value that is not a string is absent.
#[derive(Default)]
pub(crate) struct ResourceSlots<'a> {
    type_: Option<Option<Cow<'a, str>>>,
    arn: Option<Option<Cow<'a, str>>>,
    prefix: Option<Option<Cow<'a, str>>>,
}

impl<'a> ResourceSlots<'a> {
    /// True for `type`, `ARN` and `ARNPrefix`.
    pub(crate) fn reads(key: &[u8]) -> bool {
        matches!(key, b"type" | b"ARN" | b"ARNPrefix")
    }

    /// Records a member's value, unless an earlier occurrence did.
    pub(crate) fn set(&mut self, key: &[u8], value: Scalar<'a>) {
        let slot = match key {
            b"type" => &mut self.type_,
            b"ARN" => &mut self.arn,
            b"ARNPrefix" => &mut self.prefix,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(match value {
                Scalar::Str(v) => Some(v),
                _ => None,
            });
        }
    }

    /// The element's type, and its ARN: `ARN`, else `ARNPrefix` (spec U17).
    pub(crate) fn finish(self) -> (Option<Cow<'a, str>>, Option<Cow<'a, str>>) {
        (
            self.type_.flatten(),
            self.arn.flatten().or(self.prefix.flatten()),
        )
    }
}

/// Receives what the scanner finds, in record order.
pub(crate) trait Sink<'a> {
    /// A top-level member of interest (every occurrence; the sink decides
    /// that the first wins).
    fn scalar(&mut self, key: Key, value: Scalar<'a>);
    /// One object element of the first top-level `resources` array.
    fn resource(&mut self, type_: Option<Cow<'a, str>>, arn: Option<Cow<'a, str>>);
    /// Asked after each top-level member: true stops the scan early; the
    /// rest of the record is then not checked.
    fn done(&self) -> bool {
        false
    }
}

/// Scans one record.
///
/// # Errors
/// Returns where and why the record is not a JSON object.
pub fn scan<'a>(bytes: &'a [u8], sink: &mut impl Sink<'a>) -> Result<(), ScanError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Err(ScanError {
                offset: e.valid_up_to(),
                message: "invalid UTF-8",
            })
        }
    };
    let mut s = Scanner {
        b: bytes,
        i: 0,
        text: Some(text),
    };
    s.ws();
    if s.peek() != Some(b'{') {
        return Err(s.err("not a JSON object"));
    }
    if s.top_object(sink)? {
        return Ok(());
    }
    s.ws();
    if s.i < s.b.len() {
        return Err(s.err("unexpected content after the record"));
    }
    Ok(())
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    /// The record as text when it was checked to be UTF-8 as a whole:
    /// strings are then sliced from it instead of being checked again.
    text: Option<&'a str>,
}

/// Reads the string starting at `b[i]` (a quote), checking its escapes and
/// UTF-8; returns it and the index after its closing quote.
pub(crate) fn string_at(b: &[u8], i: usize) -> Result<(Cow<'_, str>, usize), ScanError> {
    let mut s = Scanner { b, i, text: None };
    let v = s.string()?;
    Ok((v, s.i))
}

impl<'a> Scanner<'a> {
    fn err(&self, message: &'static str) -> ScanError {
        ScanError {
            offset: self.i,
            message,
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8, message: &'static str) -> Result<(), ScanError> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(message))
        }
    }

    /// Iterates an object's members, calling `member` with the raw key (or
    /// decoded when escaped) positioned at the value. Returns true when the
    /// sink stopped the scan (only at the top level).
    fn object(
        &mut self,
        depth: usize,
        mut member: impl FnMut(&mut Self, Cow<'a, str>, usize) -> Result<bool, ScanError>,
    ) -> Result<bool, ScanError> {
        let depth = depth + 1;
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        self.i += 1; // '{'
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(false);
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a string key"));
            }
            let key = self.string()?;
            self.expect(b':', "expected `:` after a key")?;
            self.ws();
            if member(self, key, depth)? {
                return Ok(true);
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(false);
                }
                _ => return Err(self.err("expected `,` or `}`")),
            }
        }
    }

    fn top_object(&mut self, sink: &mut impl Sink<'a>) -> Result<bool, ScanError> {
        let mut resources_seen = false;
        let mut user_seen = false;
        self.object(0, |s, key, depth| {
            if let Some(k) = top_key(key.as_bytes()) {
                let v = s.scalar_value(depth)?;
                sink.scalar(k, v);
            } else if key == "userIdentity" && !user_seen && s.peek() == Some(b'{') {
                user_seen = true;
                let mut arn_seen = false;
                s.object(depth, |s, key, depth| {
                    if key == "arn" && !arn_seen {
                        arn_seen = true;
                        let v = s.scalar_value(depth)?;
                        sink.scalar(Key::Field(Field::UserIdentityArn), v);
                    } else {
                        s.skip(depth)?;
                    }
                    Ok(false)
                })?;
            } else if key == "resources" && !resources_seen && s.peek() == Some(b'[') {
                resources_seen = true;
                s.resources(depth, sink)?;
            } else {
                if key == "userIdentity" {
                    user_seen = true;
                } else if key == "resources" {
                    resources_seen = true;
                }
                s.skip(depth)?;
            }
            Ok(sink.done())
        })
    }

    fn resources(&mut self, depth: usize, sink: &mut impl Sink<'a>) -> Result<(), ScanError> {
        self.array(depth, |s, depth| {
            if s.peek() != Some(b'{') {
                return s.skip(depth);
            }
            let mut slots = ResourceSlots::default();
            s.object(depth, |s, key, depth| {
                if ResourceSlots::reads(key.as_bytes()) {
                    let v = s.scalar_value(depth)?;
                    slots.set(key.as_bytes(), v);
                } else {
                    s.skip(depth)?;
                }
                Ok(false)
            })?;
            let (type_, arn) = slots.finish();
            sink.resource(type_, arn);
            Ok(())
        })
    }

    fn array(
        &mut self,
        depth: usize,
        mut element: impl FnMut(&mut Self, usize) -> Result<(), ScanError>,
    ) -> Result<(), ScanError> {
        let depth = depth + 1;
        if depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        self.i += 1; // '['
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            element(self, depth)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected `,` or `]`")),
            }
        }
    }

    fn scalar_value(&mut self, depth: usize) -> Result<Scalar<'a>, ScanError> {
        match self.peek() {
            Some(b'"') => Ok(Scalar::Str(self.string()?)),
            Some(b't') => {
                self.literal(b"true")?;
                Ok(Scalar::Bool(true))
            }
            Some(b'f') => {
                self.literal(b"false")?;
                Ok(Scalar::Bool(false))
            }
            _ => {
                self.skip(depth)?;
                Ok(Scalar::Other)
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), ScanError> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.err("invalid literal"))
        }
    }

    /// Skips one value, checking it.
    fn skip(&mut self, depth: usize) -> Result<(), ScanError> {
        match self.peek() {
            Some(b'{') => self
                .object(depth, |s, _, depth| s.skip(depth).map(|_| false))
                .map(|_| ()),
            Some(b'[') => self.array(depth, |s, depth| s.skip(depth)),
            Some(b'"') => self.skip_string(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            None => Err(self.err("unexpected end of record")),
            Some(_) => Err(self.err("expected a JSON value")),
        }
    }

    fn number(&mut self) -> Result<(), ScanError> {
        let start = self.i;
        self.number_grammar()?;
        // serde_json rejects a number whose f64 value overflows; so must we.
        // Short numbers without an exponent cannot overflow.
        let text = &self.b[start..self.i];
        if text.len() > 300 || text.iter().any(|b| matches!(b, b'e' | b'E')) {
            let finite = std::str::from_utf8(text)
                .ok()
                .and_then(|t| t.parse::<f64>().ok())
                .is_some_and(f64::is_finite);
            if !finite {
                self.i = start;
                return Err(self.err("number out of range"));
            }
        }
        Ok(())
    }

    fn number_grammar(&mut self) -> Result<(), ScanError> {
        match crate::json::number_end(self.b, self.i) {
            Ok(end) => {
                self.i = end;
                Ok(())
            }
            Err((at, _)) => {
                self.i = at;
                Err(self.err("invalid number"))
            }
        }
    }

    /// Finds the end of the string starting at `self.i` (a quote); returns
    /// whether it has escapes. Checks control characters and escapes.
    fn string_end(&mut self) -> Result<bool, ScanError> {
        self.i += 1;
        let mut escaped = false;
        loop {
            let Some(k) = super::skip::string_stop(self.b, self.i) else {
                self.i = self.b.len();
                return Err(self.err("unterminated string"));
            };
            self.i = k;
            if self.b[k] < 0x20 {
                return Err(self.err("control character in string"));
            }
            if self.b[self.i] == b'"' {
                self.i += 1;
                return Ok(escaped);
            }
            escaped = true;
            self.escape(None)?;
        }
    }

    fn skip_string(&mut self) -> Result<(), ScanError> {
        self.string_end().map(|_| ())
    }

    /// Reads a string, borrowing it when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, ScanError> {
        let start = self.i + 1;
        let escaped = self.string_end()?;
        let raw_end = self.i - 1;
        let text = self.text;
        let b = self.b;
        // A slice between quotes and backslashes lies on character
        // boundaries, so slicing checked text needs no second check.
        let utf8 = move |from: usize, to: usize| -> Result<&'a str, ScanError> {
            let bad = |offset| ScanError {
                offset,
                message: "invalid UTF-8",
            };
            match text {
                Some(t) => t.get(from..to).ok_or_else(|| bad(from)),
                None => std::str::from_utf8(&b[from..to]).map_err(|e| bad(from + e.valid_up_to())),
            }
        };
        if !escaped {
            return utf8(start, raw_end).map(Cow::Borrowed);
        }
        let mut out = String::with_capacity(raw_end - start);
        let mut sub = Scanner {
            b: self.b,
            i: start,
            text: self.text,
        };
        loop {
            let rest = &sub.b[sub.i..];
            let k = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
            out.push_str(utf8(sub.i, sub.i + k)?);
            sub.i += k;
            if sub.peek() != Some(b'\\') {
                return Ok(Cow::Owned(out));
            }
            sub.escape(Some(&mut out))?;
        }
    }

    /// Reads one escape at `self.i` (a backslash), appending it to `out`.
    fn escape(&mut self, out: Option<&mut String>) -> Result<(), ScanError> {
        use crate::json::{simple_escape, unicode_escape};
        let c = match self.b.get(self.i + 1) {
            Some(b'u') => {
                let (c, next) =
                    unicode_escape(self.b, self.i).map_err(|(offset, _)| ScanError {
                        offset,
                        message: "invalid \\u escape",
                    })?;
                // serde_json rejects lone surrogates; so must we.
                let c = c.ok_or_else(|| self.err("lone surrogate in \\u escape"))?;
                self.i = next;
                c
            }
            Some(&x) => {
                let c = simple_escape(x).ok_or_else(|| self.err("invalid escape"))?;
                self.i += 2;
                c
            }
            None => return Err(self.err("invalid escape")),
        };
        if let Some(out) = out {
            out.push(c);
        }
        Ok(())
    }
}
