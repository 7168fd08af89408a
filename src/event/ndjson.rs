//! NDJSON, one record per line, read line by line in bounded memory (the
//! longest line).

use std::io::{self, BufRead};

/// One non-blank line.
#[derive(Debug)]
pub struct Line<'a> {
    /// 1-based line number.
    pub line: u64,
    /// 0-based index among the non-blank lines.
    pub record: u64,
    /// The line without its line ending (empty when `oversized`).
    pub bytes: &'a [u8],
    /// The line was longer than the reader's limit: its bytes were
    /// discarded, and this is its length.
    pub oversized: Option<u64>,
}

/// Reads non-blank lines; strips `\n`, `\r\n` and a UTF-8 BOM on the first
/// line.
pub struct LineReader<R> {
    r: R,
    buf: Vec<u8>,
    line: u64,
    record: u64,
    max: usize,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps a buffered reader.
    pub fn new(r: R) -> LineReader<R> {
        LineReader::with_limit(r, usize::MAX)
    }

    /// Wraps a buffered reader; lines longer than `max` bytes are reported
    /// as oversized and not held in memory.
    pub fn with_limit(r: R, max: usize) -> LineReader<R> {
        LineReader {
            r,
            buf: Vec::new(),
            line: 0,
            record: 0,
            max,
        }
    }

    /// Reads one line into `buf`, or counts it when longer than `max`;
    /// (bytes read, oversized length).
    fn read_line(&mut self) -> io::Result<(usize, Option<u64>)> {
        let mut total = 0usize;
        let mut over: Option<u64> = None;
        loop {
            let avail = match self.r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok((total, over));
            }
            let (take, done) = match memchr::memchr(b'\n', avail) {
                Some(k) => (k + 1, true),
                None => (avail.len(), false),
            };
            match &mut over {
                Some(n) => *n += take as u64,
                None if self.buf.len() + take > self.max => {
                    over = Some((self.buf.len() + take) as u64);
                    self.buf = Vec::new();
                }
                None => self.buf.extend_from_slice(&avail[..take]),
            }
            total += take;
            self.r.consume(take);
            if done {
                return Ok((total, over));
            }
        }
    }

    /// The next non-blank line, or `None` at the end.
    ///
    /// # Errors
    /// Returns the reader's I/O error.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        loop {
            self.buf.clear();
            let (n, over) = self.read_line()?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            if over.is_some() {
                self.record += 1;
                return Ok(Some(Line {
                    line: self.line,
                    record: self.record - 1,
                    bytes: &[],
                    oversized: over,
                }));
            }
            let mut b = self.buf.as_slice();
            if self.line == 1 {
                b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
            }
            let b = trim_line_end(b);
            if b.iter().all(|c| matches!(c, b' ' | b'\t' | b'\r')) {
                continue;
            }
            let start = self.buf.len() - trim_start_len(&self.buf, b);
            let end = start + b.len();
            self.record += 1;
            return Ok(Some(Line {
                line: self.line,
                record: self.record - 1,
                bytes: &self.buf[start..end],
                oversized: None,
            }));
        }
    }
}

fn trim_line_end(b: &[u8]) -> &[u8] {
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    b.strip_suffix(b"\r").unwrap_or(b)
}

// Where `sub` (a subslice of `buf`) starts, counted from the end of `buf`.
fn trim_start_len(buf: &[u8], sub: &[u8]) -> usize {
    buf.len() - (sub.as_ptr() as usize - buf.as_ptr() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_records_bom_crlf_blank() {
        let data = b"\xEF\xBB\xBF{\"a\":1}\r\n\r\n  \n{\"b\":2}\n{\"c\":3}";
        let mut r = LineReader::new(&data[..]);
        let mut got = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            got.push((
                l.line,
                l.record,
                String::from_utf8(l.bytes.to_vec()).unwrap(),
            ));
        }
        assert_eq!(
            got,
            [
                (1, 0, "{\"a\":1}".to_string()),
                (4, 1, "{\"b\":2}".to_string()),
                (5, 2, "{\"c\":3}".to_string())
            ]
        );
    }

    #[test]
    fn oversized_lines_are_counted_not_held() {
        let mut data = vec![b'x'; 10_000];
        data.extend_from_slice(b"\n{}\n");
        let mut r = LineReader::with_limit(std::io::BufReader::with_capacity(64, &data[..]), 100);
        let first = r.next_line().unwrap().unwrap();
        assert_eq!((first.line, first.oversized), (1, Some(10_001)));
        let second = r.next_line().unwrap().unwrap();
        assert_eq!(
            (second.line, second.record, second.bytes, second.oversized),
            (2, 1, &b"{}"[..], None)
        );
        assert!(r.next_line().unwrap().is_none());
    }
}
