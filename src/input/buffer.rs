//! A read buffer over a stream, compacted as it is consumed, that grows to
//! hold one record and never past the record limit; or a window over a
//! mapped file, which moves along it without copying.

use super::inflate::Inflated;
use super::map::Mapped;
use super::open::{again, is_stopped};
use crate::record::skip::skip_container;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

enum Bytes {
    Read {
        r: Box<dyn Read + Send>,
        buf: Vec<u8>,
    },
    /// The whole input in memory; `start..end` index it directly.
    Held {
        held: Held,
        progress: Option<Arc<AtomicU64>>,
    },
}

/// An input held whole: a mapped file, a gzip file inflated whole, or an
/// embedder's bytes.
pub(crate) enum Held {
    Map(Mapped),
    Inflated(Inflated),
    Shared(bytes::Bytes),
}

impl Held {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Held::Map(m) => m.bytes(),
            Held::Inflated(i) => i.bytes(),
            Held::Shared(b) => b,
        }
    }

    /// The bytes as a stream (for the streaming gzip decoder).
    pub(crate) fn reader(self) -> Box<dyn std::io::Read + Send> {
        match self {
            Held::Map(m) => Box::new(m.reader()),
            Held::Inflated(i) => Box::new(std::io::Cursor::new(i.bytes().to_vec())),
            Held::Shared(b) => Box::new(std::io::Cursor::new(b)),
        }
    }
}

pub(crate) struct Buffer {
    bytes: Bytes,
    start: usize,
    end: usize,
    chunk: usize,
    max: usize,
    consumed: u64,
    eof: bool,
    /// Return from `fill` after one read that brought bytes, rather than
    /// reading on until a chunk is full: a slow writer's record is decided
    /// as soon as it arrives.
    streaming: bool,
    /// A read error, kept: `fill` returns the bytes read before it first,
    /// then this error on every later call, so nothing decoded before
    /// damage (a bad CRC, a truncated member) is lost.
    error: Option<io::Error>,
}

impl Buffer {
    pub(crate) fn new(
        r: Box<dyn Read + Send>,
        chunk: usize,
        max: usize,
        streaming: bool,
    ) -> Buffer {
        Buffer {
            bytes: Bytes::Read {
                r,
                buf: vec![0; chunk.max(4096)],
            },
            start: 0,
            end: 0,
            chunk: chunk.max(4096),
            max,
            consumed: 0,
            eof: false,
            streaming,
            error: None,
        }
    }

    /// A window over `held` from byte `at`, moved on by `chunk` bytes per
    /// `fill`. No record limit applies to holding: the bytes are there
    /// already (the readers still skip records over the limit).
    pub(crate) fn held(
        held: Held,
        at: usize,
        chunk: usize,
        max: usize,
        progress: Option<Arc<AtomicU64>>,
    ) -> Buffer {
        let at = at.min(held.bytes().len());
        Buffer {
            bytes: Bytes::Held { held, progress },
            start: at,
            end: at,
            chunk: chunk.max(4096),
            max,
            consumed: 0,
            eof: false,
            streaming: false,
            error: None,
        }
    }

    pub(crate) fn data(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Read { buf, .. } => &buf[self.start..self.end],
            Bytes::Held { held, .. } => &held.bytes()[self.start..self.end],
        }
    }

    pub(crate) fn consume(&mut self, n: usize) {
        self.start += n;
        self.consumed += n as u64;
    }

    /// Bytes consumed since the start of the stream.
    pub(crate) fn offset(&self) -> u64 {
        self.consumed
    }

    /// Doubles the buffer, but never past the record limit plus a chunk:
    /// a longer record is skipped, not held.
    fn grow(buf: &mut Vec<u8>, max: usize, chunk: usize) {
        let new = (buf.len() * 2)
            .min(max.saturating_add(chunk))
            .max(buf.len() + 1);
        buf.resize(new, 0);
    }

    /// Returns to the initial size after an oversized record.
    pub(crate) fn shrink(&mut self) {
        let Bytes::Read { buf, .. } = &mut self.bytes else {
            return;
        };
        if buf.len() > self.chunk && self.end - self.start <= self.chunk {
            buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            buf.truncate(self.chunk);
            buf.shrink_to_fit();
        }
    }

    /// Reads more (moving the unconsumed bytes to the front first); the
    /// number of new bytes, 0 at the end.
    pub(crate) fn fill(&mut self) -> io::Result<usize> {
        if let Some(e) = &self.error {
            return Err(again(e));
        }
        if self.eof {
            return Ok(0);
        }
        let (r, buf) = match &mut self.bytes {
            Bytes::Read { r, buf } => (r, buf),
            Bytes::Held { held, progress } => {
                let len = held.bytes().len();
                let to = (self.end + self.chunk).min(len);
                let ready = match held {
                    Held::Map(map) => {
                        map.release_before(self.start);
                        map.prepare(self.end..to)
                    }
                    Held::Inflated(_) | Held::Shared(_) => Ok(()),
                };
                if let Err(shrunk) = ready {
                    let readable = shrunk.readable.max(self.end).min(to);
                    let e = io::Error::from(shrunk);
                    self.eof = true;
                    self.error = Some(again(&e));
                    let n = readable - self.end;
                    self.end = readable;
                    return if n == 0 { Err(e) } else { Ok(n) };
                }
                let n = to - self.end;
                self.end = to;
                self.eof = to == len;
                if let Some(c) = progress {
                    c.fetch_add(n as u64, Ordering::Relaxed);
                }
                return Ok(n);
            }
        };
        if self.start > 0 {
            buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == buf.len() {
            Self::grow(buf, self.max, self.chunk);
        }
        let mut total = 0;
        while self.end < buf.len() && total < self.chunk {
            match r.read(&mut buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.end += n;
                    total += n;
                    if self.streaming {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted && !is_stopped(&e) => {}
                Err(e) => {
                    self.eof = true;
                    self.error = Some(again(&e));
                    if total == 0 {
                        return Err(e);
                    }
                    break;
                }
            }
        }
        Ok(total)
    }

    pub(crate) fn next_byte(&self) -> Option<u8> {
        self.data().first().copied()
    }

    /// Skips whitespace, reading as needed; false at the end of input.
    pub(crate) fn skip_ws(&mut self) -> io::Result<bool> {
        loop {
            let k = self
                .data()
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
            match k {
                Some(k) => {
                    self.consume(k);
                    return Ok(true);
                }
                None => {
                    let n = self.data().len();
                    self.consume(n);
                    if self.fill()? == 0 {
                        return Ok(false);
                    }
                }
            }
        }
    }

    /// Makes sure a whole value is buffered and returns its length: an
    /// object or array by bracket matching, a string, or a scalar. `None`
    /// when the input ends first, or when more than `limit` bytes are
    /// buffered without the value ending.
    pub(crate) fn element_len(&mut self, limit: usize) -> io::Result<Option<usize>> {
        loop {
            let found = value_end(self.data(), 0);
            if found.is_some() || self.data().len() > limit {
                return Ok(found);
            }
            if self.fill()? == 0 {
                return Ok(None);
            }
        }
    }

    pub(crate) fn take_string(&mut self) -> io::Result<Option<Vec<u8>>> {
        let Some(n) = self.element_len(self.max)? else {
            return Ok(None);
        };
        let s = self.data()[1..n - 1].to_vec();
        self.consume(n);
        Ok(Some(s))
    }

    pub(crate) fn skip_value(&mut self) -> io::Result<Option<()>> {
        let Some(n) = self.element_len(self.max)? else {
            return Ok(None);
        };
        self.consume(n);
        Ok(Some(()))
    }
}

/// The end of the JSON value starting at `d[i]` (after whitespace), when it
/// is complete in `d`: brackets matched, strings closed. Not a validator.
pub(crate) fn value_end(d: &[u8], i: usize) -> Option<usize> {
    match d.get(i)? {
        b'{' | b'[' => skip_container(d, i),
        b'"' => {
            let mut j = i + 1;
            loop {
                match memchr::memchr2(b'"', b'\\', d.get(j..)?) {
                    Some(k) if d[j + k] == b'"' => break Some(j + k + 1),
                    Some(k) => j += k + 2,
                    None => break None,
                }
            }
        }
        _ => {
            let k = d[i..]
                .iter()
                .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))?;
            (k > 0).then_some(i + k)
        }
    }
}
