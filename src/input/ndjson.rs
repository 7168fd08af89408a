//! NDJSON: one record per line, read in chunks; blank lines are not
//! records, CRLF and surrounding spaces are accepted, and a line longer
//! than the record limit is counted and skipped without being held.

use super::buffer::{Buffer, Held};
use super::io_failure;
use super::map::Mapped;
use super::open::Counting;
use super::worker::Worker;
use super::{Place, Source};
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::sync::atomic::Ordering;

impl Worker<'_, '_> {
    /// The lines that start in `start..end` of a plain NDJSON file.
    pub(crate) fn range(&mut self, source: &Source, start: u64, end: u64) {
        let Source::File(p) = source else { return };
        let mut f = match File::open(p) {
            Ok(f) => f,
            Err(e) => return self.fail(io_failure(&e)),
        };
        // A line belongs to the range holding its first byte.
        let from = start.saturating_sub(1);
        let len = f.metadata().map_or(0, |m| m.len());
        let mapped = (self.options.map.is_some_and(|min| len >= min))
            .then(|| f.try_clone().ok().and_then(|g| Mapped::new(g, len)))
            .flatten();
        let mut buf = if let Some(map) = mapped {
            let progress = self.options.progress.clone();
            Buffer::held(
                Held::Map(map),
                from as usize,
                self.options.chunk,
                self.options.max_record,
                progress,
            )
        } else {
            if let Err(e) = f.seek(SeekFrom::Start(from)) {
                return self.fail(io_failure(&e));
            }
            let reader = Counting {
                inner: f,
                counter: self.options.progress.clone(),
            };
            Buffer::new(
                Box::new(reader),
                self.options.chunk,
                self.options.max_record,
                false,
            )
        };
        if start > 0 {
            // Drop the tail of the line that started before this range.
            loop {
                if let Some(k) = memchr::memchr(b'\n', buf.data()) {
                    buf.consume(k + 1);
                    break;
                }
                let n = buf.data().len();
                buf.consume(n);
                match buf.fill() {
                    Ok(0) => return self.flush(),
                    Ok(_) => {}
                    Err(e) => return self.fail(io_failure(&e)),
                }
            }
        }
        let pos = from + buf.offset();
        self.lines(&mut buf, Some(end), pos);
    }

    /// NDJSON: `limit` ends a range at the first line starting at or after
    /// it; `pos` is the file offset of the buffer's start.
    /// Line numbers are relative to the job; the collector adds the lines
    /// of the source's earlier pieces.
    pub(crate) fn lines(&mut self, buf: &mut Buffer, limit: Option<u64>, mut pos: u64) {
        // Lines already buffered (by container detection) are decided
        // before reading more: a slow writer's first record must not wait
        // for the second.
        let mut buffered = memchr::memchr(b'\n', buf.data()).is_some();
        loop {
            if self.should_stop() {
                return;
            }
            // A read error ends the input: what was decoded before it is
            // processed like any input, then the error is reported.
            // After a stop request only complete lines count: the last one
            // was cut by the stop, not by the input.
            let filled = if std::mem::take(&mut buffered) {
                Ok(1)
            } else {
                buf.fill()
            };
            let (eof, error) = match filled {
                Ok(0) => (true, None),
                Ok(_) => (false, None),
                Err(e) => (
                    !self.options.stop.load(Ordering::Relaxed),
                    Some(io_failure(&e)),
                ),
            };
            let data = buf.data();
            let complete = if eof {
                data.len()
            } else {
                match memchr::memrchr(b'\n', data) {
                    Some(k) => k + 1,
                    None if data.len() > self.options.max_record => {
                        match self.skip_long_line(buf) {
                            Some(consumed) => pos += consumed,
                            None => return,
                        }
                        continue;
                    }
                    // A line longer than the buffer: `fill` grows it when full.
                    // (Or a stop request, which the loop's start sees.)
                    None => continue,
                }
            };
            let mut i = 0;
            let mut go_on = true;
            let emit = self.emit();
            while i < complete {
                if limit.is_some_and(|l| pos + i as u64 >= l) {
                    go_on = false;
                    break;
                }
                let line = self.decider.decide_line(&data[..complete], i, emit);
                self.piece.lines += 1;
                let next = line.end + 1;
                if let Some(v) = line.verdict {
                    let at = Place::Line(self.piece.lines);
                    if !self.account(&data[line.record], v, at) {
                        go_on = false;
                        i = next;
                        break;
                    }
                }
                i = next;
            }
            let used = i.min(data.len());
            buf.consume(used);
            pos += used as u64;
            if let Some(e) = error {
                return self.fail(e);
            }
            if !go_on || eof {
                self.flush();
                return;
            }
            if self.piece.counts.records > 0 {
                self.maybe_flush();
            }
        }
    }

    /// Counts the line at the buffer's start as unparseable and discards
    /// it up to its end, reading on without holding it. Returns the bytes
    /// consumed, or `None` to stop.
    fn skip_long_line(&mut self, buf: &mut Buffer) -> Option<u64> {
        let mut len = 0u64;
        let mut consumed = 0u64;
        loop {
            // A line of endless bytes (`/dev/zero`) must not outlast a stop.
            if self.should_stop() {
                return None;
            }
            let data = buf.data();
            if let Some(k) = memchr::memchr(b'\n', data) {
                len += k as u64;
                consumed += k as u64 + 1;
                buf.consume(k + 1);
                break;
            }
            consumed += data.len() as u64;
            len += data.len() as u64;
            let n = data.len();
            buf.consume(n);
            match buf.fill() {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    self.fail(io_failure(&e));
                    return None;
                }
            }
        }
        buf.shrink();
        self.piece.lines += 1;
        let at = Place::Line(self.piece.lines);
        self.oversized(len, at).then_some(consumed)
    }
}
