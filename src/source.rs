//! Input text, byte spans, line/column positions and JSON pointers.
//!
//! Everything downstream of parsing talks about places in the input through
//! [`Span`]s (byte ranges) and [`Pointer`]s (RFC 6901 paths). Turning a span
//! into a 1-based line and column happens only here, so that every diagnostic
//! agrees on what "column" means: a count of Unicode scalar values, which is
//! what editors show.

use std::fmt;

/// A half-open byte range `start..end` in a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: saturate(start),
            end: saturate(end),
        }
    }

    /// The span as a `usize` range, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A 1-based line and column. The column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A named source text with a line index, so that byte offsets can be turned
/// into line and column in `O(log lines)` plus at most one block of
/// character counting (a minified one-line file has one very long line, and
/// thousands of diagnostics on it must not each count from its start).
#[derive(Clone, Debug)]
pub struct SourceText {
    name: String,
    text: String,
    line_starts: Vec<usize>,
    /// Characters before each `CHAR_BLOCK`-byte boundary.
    char_blocks: Vec<usize>,
}

const CHAR_BLOCK: usize = 4096;

/// Characters in `b`, which may start or end inside one: a character is a
/// byte that is not a UTF-8 continuation byte.
fn chars_in(b: &[u8]) -> usize {
    b.iter().filter(|&&x| (x & 0xC0) != 0x80).count()
}

impl SourceText {
    /// Wraps `text`, remembering `name` (usually a file path) for messages.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceText {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut char_blocks = vec![0];
        let mut total = 0;
        for block in text.as_bytes().chunks(CHAR_BLOCK) {
            total += chars_in(block);
            char_blocks.push(total);
        }
        SourceText {
            name: name.into(),
            text,
            line_starts,
            char_blocks,
        }
    }

    /// The name given at construction.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 0-based line holding byte `offset` (the last line past the end).
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset.min(self.text.len())) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The bytes of 0-based line `line`, without its line break; `None`
    /// past the last line.
    pub fn line_span(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        Some(start..end.max(start))
    }

    /// Characters in `text[..offset]` (`offset` on a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / CHAR_BLOCK;
        self.char_blocks[block] + chars_in(&self.text.as_bytes()[block * CHAR_BLOCK..offset])
    }

    /// Line and column of a byte offset. Offsets past the end map to the end.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let mut prefix_end = offset;
        while !self.text.is_char_boundary(prefix_end) {
            prefix_end -= 1;
        }
        let column = self.chars_before(prefix_end) - self.chars_before(start) + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }
}

/// An RFC 6901 JSON pointer such as `/0/DataResources/0/Values/1`.
///
/// Pointers in diagnostics are relative to the selector list, whatever shape
/// the document had, so the same mistake has the same pointer in a bare list
/// and in a `put-event-selectors` request body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The empty pointer: the whole selector list.
    pub fn root() -> Pointer {
        Pointer(String::new())
    }

    /// This pointer extended by an object key.
    pub fn key(&self, key: &str) -> Pointer {
        let mut s = String::with_capacity(self.0.len() + key.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        for c in key.chars() {
            match c {
                '~' => s.push_str("~0"),
                '/' => s.push_str("~1"),
                c => s.push(c),
            }
        }
        Pointer(s)
    }

    /// This pointer extended by an array index.
    pub fn index(&self, index: usize) -> Pointer {
        Pointer(format!("{}/{}", self.0, index))
    }

    /// The pointer text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let s = SourceText::new("t", "ab\nçd\n\nx");
        assert_eq!(s.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(s.line_col(3), LineCol { line: 2, column: 1 });
        // 'd' is after a two-byte 'ç'.
        assert_eq!(s.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(s.line_col(7), LineCol { line: 3, column: 1 });
        assert_eq!(s.line_col(8), LineCol { line: 4, column: 1 });
        assert_eq!(s.line_col(99), LineCol { line: 4, column: 2 });
    }

    #[test]
    fn columns_past_block_boundaries_count_characters() {
        // A long line of two-byte characters crossing many blocks.
        let text = format!("ab\n{}x", "é".repeat(10_000));
        let s = SourceText::new("t", text.as_str());
        let x = text.len() - 1;
        assert_eq!(
            s.line_col(x),
            LineCol {
                line: 2,
                column: 10_001
            }
        );
        for k in [0usize, 1, 2047, 2048, 2049, 4999] {
            let at = 3 + 2 * k;
            assert_eq!(s.line_col(at).column, k + 1, "character {k}");
        }
    }

    #[test]
    fn pointer_escapes_per_rfc6901() {
        let p = Pointer::root().index(0).key("a/b~c");
        assert_eq!(p.as_str(), "/0/a~1b~0c");
    }
}
