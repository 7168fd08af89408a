//! CloudTrail log files: `{"Records":[…]}` documents, compact or
//! pretty-printed, one after another, streamed element by element.
//!
//! A document is a log file when one of its top-level keys is `Records`
//! (CloudTrail writes it first; other writers may not): its other members
//! are skipped. `Records` that is not an array is an error: such a file is
//! not a log file, and reading it as one record would decide the wrapper.

use super::buffer::{value_end, Buffer};
use super::worker::Worker;
use super::Place;
use super::{io_failure, Failure, InputErrorKind};
use std::io;

/// `Some(true)` when the text starts a `{"Records": …}` document,
/// `Some(false)` when it starts something else, `None` when it is too short
/// to tell.
pub(crate) fn detect(head: &[u8]) -> Option<bool> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut i = skip_ws(head, 0);
    match head.get(i) {
        None => return None,
        Some(b'{') => i += 1,
        Some(_) => return Some(false),
    }
    i = skip_ws(head, i);
    let rest = head.get(i..)?;
    if rest.len() < 9 {
        return if b"\"Records\"".starts_with(rest) {
            None
        } else {
            Some(false)
        };
    }
    Some(rest.starts_with(b"\"Records\""))
}

fn skip_ws(d: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = d.get(i) {
        i += 1;
    }
    i
}

/// True when the complete object `d` has a top-level member `"Records"`
/// (a log file whose writer put other members first).
pub(crate) fn has_records_member(d: &[u8]) -> bool {
    let mut i = skip_ws(d, 0);
    if d.get(i) != Some(&b'{') {
        return false;
    }
    i += 1;
    loop {
        i = skip_ws(d, i);
        match d.get(i) {
            Some(b',') => {
                i += 1;
                continue;
            }
            Some(b'"') => {}
            _ => return false,
        }
        let Some(key_end) = value_end(d, i) else {
            return false;
        };
        if &d[i..key_end] == b"\"Records\"" {
            return true;
        }
        i = skip_ws(d, key_end);
        if d.get(i) != Some(&b':') {
            return false;
        }
        i = skip_ws(d, i + 1);
        let Some(end) = value_end(d, i) else {
            return false;
        };
        i = end;
    }
}

impl Worker<'_, '_> {
    /// `{"Records":[…]}` documents, one after another.
    pub(crate) fn log_files(&mut self, buf: &mut Buffer) {
        loop {
            match self.log_file(buf) {
                Ok(true) => {}
                Ok(false) => break,
                Err(message) => {
                    self.fail(message);
                    return;
                }
            }
            if self.should_stop() {
                return;
            }
        }
        self.flush();
    }

    /// One document; Ok(false) at a clean end of input.
    fn log_file(&mut self, buf: &mut Buffer) -> Result<bool, Failure> {
        let eio = |e: io::Error| io_failure(&e);
        if !buf.skip_ws().map_err(eio)? {
            return Ok(false);
        }
        let start = buf.offset();
        if buf.next_byte() != Some(b'{') {
            return Err((
                InputErrorKind::NotALogFile,
                format!("expected a CloudTrail log file object at byte {start}"),
            ));
        }
        buf.consume(1);
        let malformed = |buf: &Buffer| {
            (
                InputErrorKind::NotALogFile,
                format!("malformed log file at byte {}", buf.offset()),
            )
        };
        let mut seen_records = false;
        // Members other than "Records" are skipped; "Records" is streamed.
        loop {
            buf.skip_ws().map_err(eio)?;
            match buf.next_byte() {
                Some(b'}') => {
                    buf.consume(1);
                    if !seen_records {
                        return Err((
                            InputErrorKind::NotALogFile,
                            format!("the document at byte {start} has no Records array: not a CloudTrail log file"),
                        ));
                    }
                    return Ok(true);
                }
                Some(b',') => {
                    buf.consume(1);
                    continue;
                }
                Some(b'"') => {}
                _ => return Err(malformed(buf)),
            }
            let key = buf
                .take_string()
                .map_err(eio)?
                .ok_or_else(|| malformed(buf))?;
            buf.skip_ws().map_err(eio)?;
            if buf.next_byte() != Some(b':') {
                return Err(malformed(buf));
            }
            buf.consume(1);
            buf.skip_ws().map_err(eio)?;
            if key != b"Records" {
                buf.skip_value()
                    .map_err(eio)?
                    .ok_or_else(|| malformed(buf))?;
                continue;
            }
            if buf.next_byte() != Some(b'[') {
                let what = match buf.next_byte() {
                    Some(b'{') => "an object",
                    Some(b'"') => "a string",
                    Some(b'n') => "null",
                    _ => "not an array",
                };
                return Err((
                    InputErrorKind::NotALogFile,
                    format!(
                        "Records is {what}, not an array: not a CloudTrail log file (byte {})",
                        buf.offset()
                    ),
                ));
            }
            seen_records = true;
            buf.consume(1);
            if !self.elements(buf)? {
                return Ok(false);
            }
        }
    }

    /// The elements of a `Records` array, up to and including its `]`;
    /// Ok(false) to stop.
    fn elements(&mut self, buf: &mut Buffer) -> Result<bool, Failure> {
        let eio = |e: io::Error| io_failure(&e);
        let max = self.options.max_record;
        loop {
            if self.should_stop() {
                return Ok(false);
            }
            buf.skip_ws().map_err(eio)?;
            match buf.next_byte() {
                Some(b']') => {
                    buf.consume(1);
                    return Ok(true);
                }
                Some(b',') => {
                    buf.consume(1);
                    continue;
                }
                None => {
                    return Err((
                        InputErrorKind::Truncated,
                        format!(
                            "log file ends inside the Records array (byte {})",
                            buf.offset()
                        ),
                    ));
                }
                Some(_) => {}
            }
            let offset = buf.offset();
            let complete = buf.element_len(max).map_err(eio)?;
            if complete.is_none() && buf.data().len() > max {
                let len = skip_element(buf).map_err(eio)?;
                // The elements after it are read as usual; a file that ends
                // inside it is reported by the next round.
                if !self.oversized(len, Place::Offset(offset)) {
                    return Ok(false);
                }
                continue;
            }
            let (len, ok) = match complete {
                Some(n) => (n, true),
                None => (buf.data().len(), false),
            };
            let element = &buf.data()[..len];
            let index = self.piece.counts.records;
            // Raw line breaks can only be whitespace in JSON: they become
            // spaces, so that the output stays one record per line. Only a
            // pretty-printed element is copied for that; CloudTrail's own
            // compact files are decided in place.
            let keep = if memchr::memchr2(b'\n', b'\r', element).is_none() {
                self.record(element, Place::Offset(offset))
            } else {
                let mut rec = element.to_vec();
                for b in rec.iter_mut() {
                    if *b == b'\n' || *b == b'\r' {
                        *b = b' ';
                    }
                }
                self.record(&rec, Place::Offset(offset))
            };
            buf.consume(len);
            if !ok {
                return Err((
                    InputErrorKind::Truncated,
                    format!("log file ends inside record {index} (byte {offset})"),
                ));
            }
            if !keep {
                return Ok(false);
            }
            self.maybe_flush();
        }
    }
}

/// Discards one over-long element without holding it, tracking brackets and
/// strings across reads; its length. At the end of input it stops (the
/// caller reports the truncation).
fn skip_element(buf: &mut Buffer) -> io::Result<u64> {
    let mut depth = 0u32;
    let mut in_string = false;
    let mut escaped = false;
    let mut len = 0u64;
    loop {
        let d = buf.data();
        let mut end = None;
        for (k, &b) in d.iter().enumerate() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                    if depth == 0 {
                        end = Some(k + 1);
                        break;
                    }
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = Some(k + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        let n = end.unwrap_or(d.len());
        len += n as u64;
        buf.consume(n);
        if end.is_some() {
            buf.shrink();
            return Ok(len);
        }
        if buf.fill()? == 0 {
            return Ok(len);
        }
    }
}
