//! The filter's fast path: decide a record reading as little of it as
//! possible, and stay exact about everything that is emitted or counted
//! as logged.
//!
//! The fast scan reads top-level members in record order, feeding each
//! field the program reads to a [`Run`], and skips everything else with the
//! SIMD block skipper (it does not check skipped bytes). As soon as no
//! selector can match, it stops: the record is not logged, and the rest of
//! it is never read — unless it could still be an Insight record (not
//! governed): when the rest of the line holds `Insight` or a backslash (an
//! escape could spell it), the fast scan reads the whole record.
//!
//! Exactness: a record the fast scan finds logged (or, with `--invert`, not
//! logged) is decided again by the validating scanner before it is emitted,
//! so the output and the `logged` count are exactly what `ctsel match` and
//! the reference give. Only a malformed record that the fast path does not
//! emit may be counted `not_logged` (or, for an Insight record,
//! `not_governed`) instead of `unparseable`; with [`Mode::Validate`] every
//! record takes the validating scanner.

use super::scan::{string_at, top_key, Key, ResourceSlots, ScanError};
use super::skip::{rest_of_line, skip_container_in_line};
use super::view::{normalise, RecordView};
use super::Scalar;
use crate::compile::Program;
use crate::eval::{Run, Verdict};
use crate::model::Field;
use std::borrow::Cow;

/// How much the fast path may skip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// Stop reading a record once it cannot be logged.
    #[default]
    Fast,
    /// Check every byte of every record with the validating scanner.
    Validate,
}

/// Which verdicts the caller will emit (and so must be exact).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// Logged records.
    Logged,
    /// Not-logged records (`--invert`).
    NotLogged,
}

/// Decides records for a filter, reusing its scratch space.
pub struct Decider<'p> {
    run: Run<'p>,
    reads_user: bool,
    mode: Mode,
}

/// One line of an NDJSON buffer, decided.
#[derive(Debug)]
pub struct Line {
    /// Index of the line's `\n` in the buffer (or the buffer's length).
    pub end: usize,
    /// The record: the line without surrounding spaces, tabs and `\r`.
    pub record: std::ops::Range<usize>,
    /// The verdict, or why the record is unparseable; `None` for a blank line.
    pub verdict: Option<Result<Verdict, ScanError>>,
}

impl<'p> Decider<'p> {
    /// A decider for `program`.
    pub fn new(program: &'p Program, mode: Mode) -> Decider<'p> {
        Decider {
            run: program.run(),
            reads_user: program.reads(Field::UserIdentityArn),
            mode,
        }
    }

    /// The category of the last record decided, when it was read in full
    /// (always in [`Mode::Validate`]).
    pub fn category(&self) -> Option<&'static str> {
        self.run.category()
    }

    /// Decides one record; the verdict is exact whenever it is logged or
    /// the kind `emit` names.
    ///
    /// # Errors
    /// Returns [`ScanError`] for an unparseable record.
    pub fn decide(&mut self, record: &[u8], emit: Emit) -> Result<Verdict, ScanError> {
        let line = self.decide_line(record, 0, emit);
        match line.verdict {
            Some(v) if line.end == record.len() => v,
            // A line break inside: not one record.
            _ => self.exact(record),
        }
    }

    /// Decides the line that starts at `buf[start]`.
    pub fn decide_line(&mut self, buf: &[u8], start: usize, emit: Emit) -> Line {
        let mut i = start;
        while let Some(b' ' | b'\t' | b'\r') = buf.get(i) {
            i += 1;
        }
        if i == buf.len() || buf[i] == b'\n' {
            return Line {
                end: i,
                record: i..i,
                verdict: None,
            };
        }
        if self.mode == Mode::Validate {
            let end = line_end(buf, i);
            let r = trimmed(buf, i, end);
            let v = self.exact(&buf[r.clone()]);
            return Line {
                end,
                record: r,
                verdict: Some(v),
            };
        }
        self.run.reset();
        match fast_scan(buf, i, &mut self.run, self.reads_user, true) {
            Some(Stop::Early(at)) => {
                let (end, suspicious) = rest_of_line(buf, at);
                let r = trimmed(buf, i, end);
                let v = if emit == Emit::NotLogged {
                    self.exact(&buf[r.clone()])
                } else if suspicious || self.run.insight_possible() {
                    self.settle_insight(buf, i, r.clone())
                } else {
                    Ok(Verdict::NotLogged { assumed: false })
                };
                Line {
                    end,
                    record: r,
                    verdict: Some(v),
                }
            }
            Some(Stop::End(at)) => {
                let mut j = at;
                while let Some(b' ' | b'\t' | b'\r') = buf.get(j) {
                    j += 1;
                }
                if j < buf.len() && buf[j] != b'\n' {
                    return self.fallback(buf, i);
                }
                let r = trimmed(buf, i, j);
                let v = self.run.finish();
                let emitted = match emit {
                    Emit::Logged => v.is_logged(),
                    Emit::NotLogged => matches!(v, Verdict::NotLogged { .. }),
                };
                let v = if emitted || v.is_logged() {
                    self.exact(&buf[r.clone()])
                } else {
                    Ok(v)
                };
                Line {
                    end: j,
                    record: r,
                    verdict: Some(v),
                }
            }
            None => self.fallback(buf, i),
        }
    }

    /// Not logged, but perhaps an Insight record (not governed): reads the
    /// whole record with the fast scan, which decodes `eventCategory` and
    /// `eventType` even when escaped. About 5× cheaper than the validating
    /// scanner, and as exact as the fast path's other not-logged verdicts.
    fn settle_insight(
        &mut self,
        buf: &[u8],
        i: usize,
        r: std::ops::Range<usize>,
    ) -> Result<Verdict, ScanError> {
        self.run.reset();
        if let Some(Stop::End(at)) = fast_scan(buf, i, &mut self.run, self.reads_user, false) {
            let v = self.run.finish();
            if at == r.end && !v.is_logged() {
                return Ok(v);
            }
        }
        self.exact(&buf[r])
    }

    fn fallback(&mut self, buf: &[u8], i: usize) -> Line {
        let end = line_end(buf, i);
        let r = trimmed(buf, i, end);
        let v = self.exact(&buf[r.clone()]);
        Line {
            end,
            record: r,
            verdict: Some(v),
        }
    }

    /// The validating scanner's verdict.
    fn exact(&mut self, record: &[u8]) -> Result<Verdict, ScanError> {
        let view = RecordView::parse(record)?;
        self.run.reset();
        view.feed(&mut self.run);
        Ok(self.run.finish())
    }
}

fn line_end(buf: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &buf[from..]).map_or(buf.len(), |k| from + k)
}

/// `start..end` without trailing spaces, tabs and `\r`.
fn trimmed(buf: &[u8], start: usize, mut end: usize) -> std::ops::Range<usize> {
    while end > start && matches!(buf[end - 1], b' ' | b'\t' | b'\r') {
        end -= 1;
    }
    start..end
}

/// Where the fast scan stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    /// No selector can match; the scan stopped before this index.
    Early(usize),
    /// The record's object ends before this index.
    End(usize),
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

type Fast<T> = Result<T, ()>;

impl<'a> Cursor<'a> {
    /// Skips spaces, tabs and `\r`; a line break ends the record, so it
    /// is not whitespace here.
    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// Index of the quote or backslash ending a string's plain run,
    /// starting at `from`; `Err` at a control character or the end.
    #[inline]
    fn plain_run(&self, from: usize) -> Fast<usize> {
        match super::skip::string_stop(self.b, from) {
            Some(j) if self.b[j] >= 0x20 => Ok(j),
            _ => Err(()),
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Fast<()> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(())
        }
    }

    /// A key: raw bytes when unescaped (the common case), else decoded.
    fn key(&mut self) -> Fast<Cow<'a, [u8]>> {
        self.ws();
        if self.peek() != Some(b'"') {
            return Err(());
        }
        let start = self.i + 1;
        let end = self.plain_run(start)?;
        if self.b[end] == b'"' {
            self.i = end + 1;
            return Ok(Cow::Borrowed(&self.b[start..end]));
        }
        let (s, next) = string_at(self.b, self.i).map_err(|_| ())?;
        self.i = next;
        Ok(match s {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        })
    }

    fn skip_string(&mut self) -> Fast<()> {
        let mut j = self.i + 1;
        loop {
            let k = self.plain_run(j)?;
            if self.b[k] == b'"' {
                self.i = k + 1;
                return Ok(());
            }
            j = k + 2;
            if j > self.b.len() {
                return Err(());
            }
        }
    }

    /// Skips a value without checking it.
    fn skip(&mut self) -> Fast<()> {
        self.ws();
        match self.peek() {
            Some(b'"') => self.skip_string(),
            Some(b'{' | b'[') => {
                self.i = skip_container_in_line(self.b, self.i).ok_or(())?;
                Ok(())
            }
            Some(_) => {
                let start = self.i;
                while let Some(c) = self.peek() {
                    if matches!(
                        c,
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'{' | b'['
                    ) {
                        break;
                    }
                    self.i += 1;
                }
                if self.i == start {
                    Err(())
                } else {
                    Ok(())
                }
            }
            None => Err(()),
        }
    }

    /// A top-level value for the evaluator: a plain string's raw bytes, or
    /// `None` to take the general path.
    #[inline]
    fn raw_string(&mut self) -> Fast<Option<&'a [u8]>> {
        self.ws();
        if self.peek() != Some(b'"') {
            return Ok(None);
        }
        let start = self.i + 1;
        let end = self.plain_run(start)?;
        if self.b[end] != b'"' {
            return Ok(None);
        }
        let raw = &self.b[start..end];
        // Non-UTF-8 bytes make the record unparseable: leave it to the
        // validating scanner (the ASCII test keeps the common case cheap).
        if !raw.is_ascii() && std::str::from_utf8(raw).is_err() {
            return Err(());
        }
        self.i = end + 1;
        Ok(Some(raw))
    }

    fn scalar(&mut self) -> Fast<Scalar<'a>> {
        self.ws();
        match self.peek() {
            Some(b'"') => {
                let start = self.i + 1;
                let end = self.plain_run(start)?;
                if self.b[end] == b'"' {
                    let s = std::str::from_utf8(&self.b[start..end]).map_err(|_| ())?;
                    self.i = end + 1;
                    return Ok(Scalar::Str(Cow::Borrowed(s)));
                }
                let (s, next) = string_at(self.b, self.i).map_err(|_| ())?;
                self.i = next;
                Ok(Scalar::Str(s))
            }
            Some(b't') if self.b[self.i..].starts_with(b"true") => {
                self.i += 4;
                Ok(Scalar::Bool(true))
            }
            Some(b'f') if self.b[self.i..].starts_with(b"false") => {
                self.i += 5;
                Ok(Scalar::Bool(false))
            }
            _ => {
                self.skip()?;
                Ok(Scalar::Other)
            }
        }
    }

    /// Iterates an object's members; `member` is called positioned at the
    /// value and returns true to stop.
    fn members(&mut self, mut member: impl FnMut(&mut Self, &[u8]) -> Fast<bool>) -> Fast<bool> {
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(false);
        }
        loop {
            let key = self.key()?;
            self.eat(b':')?;
            self.ws();
            if member(self, &key)? {
                return Ok(true);
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(false);
                }
                _ => return Err(()),
            }
        }
    }
}

/// Scans the record starting at `buf[start]` into `run`, never past its
/// line, stopping as soon as it is decided when `early`. `None`: not the
/// shape the fast path reads (or a line break inside); the caller asks the
/// validating scanner.
pub fn fast_scan(
    buf: &[u8],
    start: usize,
    run: &mut Run<'_>,
    reads_user: bool,
    early: bool,
) -> Option<Stop> {
    let mut c = Cursor { b: buf, i: start };
    let mut resources_seen = false;
    let mut user_seen = false;
    let stopped = c.members(|c, key| {
        if let Some(k) = top_key(key) {
            // Strings other fields compare byte for byte are taken raw;
            // `readOnly` and `sessionCredentialFromConsole` may be booleans.
            if let Key::Field(f) = k {
                if !matches!(f, Field::ReadOnly | Field::SessionCredentialFromConsole) {
                    if let Some(raw) = c.raw_string()? {
                        run.scalar_bytes(f, raw);
                        return Ok(early && run.is_decided());
                    }
                }
            }
            let v = c.scalar()?;
            match k {
                Key::ManagementEvent => {
                    if let Scalar::Bool(b) = v {
                        run.management_event(b);
                    }
                }
                Key::Field(f) => {
                    if let Some(v) = normalise(f, v) {
                        run.scalar(f, &v);
                    } else {
                        // A value of another type: the field is absent, but
                        // only its first occurrence counts.
                        run.absent(f);
                    }
                }
            }
        } else if key == b"userIdentity" && !user_seen {
            user_seen = true;
            if reads_user && c.peek() == Some(b'{') {
                let mut arn_seen = false;
                c.members(|c, key| {
                    if key == b"arn" && !arn_seen {
                        arn_seen = true;
                        match normalise(Field::UserIdentityArn, c.scalar()?) {
                            Some(v) => run.scalar(Field::UserIdentityArn, &v),
                            None => run.absent(Field::UserIdentityArn),
                        }
                    } else {
                        c.skip()?;
                    }
                    Ok(false)
                })?;
            } else {
                c.skip()?;
            }
        } else if key == b"resources" && !resources_seen {
            resources_seen = true;
            if c.peek() == Some(b'[') {
                resources(c, run)?;
            } else {
                c.skip()?;
            }
        } else {
            c.skip()?;
        }
        Ok(early && run.is_decided())
    });
    Some(if stopped.ok()? {
        Stop::Early(c.i)
    } else {
        Stop::End(c.i)
    })
}

fn resources(c: &mut Cursor<'_>, run: &mut Run<'_>) -> Fast<()> {
    c.i += 1; // '['
    c.ws();
    if c.peek() == Some(b']') {
        c.i += 1;
        return Ok(());
    }
    loop {
        c.ws();
        if c.peek() == Some(b'{') {
            let mut slots = ResourceSlots::default();
            c.members(|c, key| {
                if ResourceSlots::reads(key) {
                    let v = c.scalar()?;
                    slots.set(key, v);
                } else {
                    c.skip()?;
                }
                Ok(false)
            })?;
            let (type_, arn) = slots.finish();
            run.resource(type_.as_deref(), arn.as_deref());
        } else {
            c.skip()?;
        }
        c.ws();
        match c.peek() {
            Some(b',') => c.i += 1,
            Some(b']') => {
                c.i += 1;
                return Ok(());
            }
            _ => return Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_str, validate};

    fn seed() -> Program {
        let text = include_str!("../../selectors/put-delete-all-but-one-bucket.json");
        let doc = parse_str("seed", text, &Default::default()).unwrap();
        Program::new(&validate(&doc, &Default::default()).unwrap().selectors)
    }

    /// Records the seed selector rejects at `eventName`, long before their
    /// `eventCategory`: only the rest of the line can say Insight.
    #[test]
    fn records_stopped_early_keep_their_insight_category() {
        let program = seed();
        let cases = [
            // Plain, escaped, and escaped in the key.
            (
                r#"{"eventName":"X","eventCategory":"Insight"}"#,
                Verdict::NotGoverned,
            ),
            (
                r#"{"eventName":"X","eventCategory":"\u0049nsight"}"#,
                Verdict::NotGoverned,
            ),
            (
                r#"{"eventName":"X","event\u0043ategory":"Insight"}"#,
                Verdict::NotGoverned,
            ),
            // Only the event type says Insight.
            (
                r#"{"eventName":"X","eventType":"AwsCloudTrailInsight"}"#,
                Verdict::NotGoverned,
            ),
            // `Insight` or an escape elsewhere: still not logged.
            (
                r#"{"eventName":"X","requestParameters":{"note":"Insight","p":"{\"a\":1}"},"eventCategory":"Management"}"#,
                Verdict::NotLogged { assumed: false },
            ),
            // A first category wins over a later Insight one.
            (
                r#"{"eventName":"X","eventCategory":"Management","eventCategory":"Insight"}"#,
                Verdict::NotLogged { assumed: false },
            ),
        ];
        for (record, want) in cases {
            for emit in [Emit::Logged, Emit::NotLogged] {
                let mut fast = Decider::new(&program, Mode::Fast);
                let mut exact = Decider::new(&program, Mode::Validate);
                let line = fast.decide_line(record.as_bytes(), 0, emit);
                assert_eq!(line.end, record.len());
                assert_eq!(line.verdict.unwrap().unwrap(), want, "{record}");
                assert_eq!(
                    exact.decide(record.as_bytes(), emit).unwrap(),
                    want,
                    "{record}"
                );
            }
        }
    }
}
