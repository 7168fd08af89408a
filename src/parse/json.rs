//! A strict JSON reader (RFC 8259) that keeps the byte span of every value
//! and object key.
//!
//! General-purpose parsers forget where a value came from; diagnostics need
//! it for every element, so this small reader builds its own tree. It is used
//! for selector documents only (kilobytes, rarely megabytes); records go
//! through the scanner in `event`, which never builds a tree.
//!
//! Limits are part of the contract: nesting deeper than [`MAX_DEPTH`] is an
//! error rather than a stack overflow, and duplicate keys are kept in order
//! so that the caller can decide (and warn) which one wins.

use crate::json::{number_end, simple_escape, unicode_escape};
use crate::source::Span;

/// Deepest nesting of arrays and objects accepted. Selector documents nest
/// six levels; anything near this limit is not a selector document.
pub const MAX_DEPTH: usize = 128;

/// A JSON value with the span it occupies in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Bytes of the value, from its first to its last character.
    pub span: Span,
    /// The value.
    pub value: Value,
}

/// A JSON value. Numbers keep their source text: the validator only needs to
/// say that a number is not a string, and must print it as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, with escapes decoded.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object; members in source order, duplicates kept.
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The decoded key.
    pub key: String,
    /// Span of the key including its quotes.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// Why the input is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong, in lowercase prose.
    pub message: String,
}

/// Something legal but lossy the reader did, reported as a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonNote {
    /// Where it happened.
    pub span: Span,
    /// What happened.
    pub message: String,
}

/// Parses one JSON value that must fill `text` (surrounding whitespace
/// allowed).
///
/// # Errors
/// Returns the first syntax error, an over-deep nesting, or trailing content.
pub fn parse(text: &str) -> Result<(Node, Vec<JsonNote>), JsonError> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        notes: Vec::new(),
    };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("unexpected content after the JSON value"));
    }
    Ok((node, p.notes))
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    notes: Vec<JsonNote>,
}

impl Parser<'_> {
    fn err(&self, message: &str) -> JsonError {
        JsonError {
            offset: self.i,
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        let start = self.i;
        let value = match self.peek() {
            None => return Err(self.err("unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal(b"true", Value::Bool(true))?,
            Some(b'f') => self.literal(b"false", Value::Bool(false))?,
            Some(b'n') => self.literal(b"null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.err("expected a JSON value")),
        };
        Ok(Node {
            span: Span::new(start, self.i),
            value,
        })
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.err(&format!(
                "nesting deeper than {MAX_DEPTH} levels; a selector document needs six"
            )));
        }
        Ok(depth + 1)
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        let depth = self.enter(depth)?;
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a string key"));
            }
            let key_start = self.i;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.i);
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected `:` after the key"));
            }
            self.i += 1;
            self.ws();
            let value = self.value(depth)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.err("expected `,` or `}` in object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        let depth = self.enter(depth)?;
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.err("expected `,` or `]` in array")),
            }
        }
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Result<Value, JsonError> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.i;
        self.i = number_end(self.s, start).map_err(|(at, message)| JsonError {
            offset: at,
            message: message.to_string(),
        })?;
        // The slice is ASCII digits and signs, so it is valid UTF-8.
        let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        Ok(Value::Number(text))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            let rest = &self.s[self.i..];
            let Some(k) = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            else {
                self.i = open;
                return Err(self.err("unterminated string"));
            };
            // `text` came from a `&str` and we stop only at ASCII bytes, so
            // this slice lies on character boundaries.
            out.push_str(&String::from_utf8_lossy(&rest[..k]));
            self.i += k;
            match self.s[self.i] {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => self.escape(&mut out)?,
                _ => return Err(self.err("control character in string; escape it as \\u00XX")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let at = self.i;
        match self.s.get(at + 1) {
            Some(b'u') => {
                let (c, next) =
                    unicode_escape(self.s, at).map_err(|(offset, message)| JsonError {
                        offset,
                        message: message.to_string(),
                    })?;
                self.i = next;
                out.push(c.unwrap_or_else(|| {
                    self.notes.push(JsonNote {
                        span: Span::new(at, next),
                        message: "lone surrogate escape replaced by U+FFFD".to_string(),
                    });
                    '\u{FFFD}'
                }));
                Ok(())
            }
            Some(&x) if simple_escape(x).is_some() => {
                out.extend(simple_escape(x));
                self.i += 2;
                Ok(())
            }
            _ => {
                self.i += 1;
                Err(self.err("invalid escape sequence"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Node {
        match parse(s) {
            Ok((n, _)) => n,
            Err(e) => panic!("{s}: {e:?}"),
        }
    }

    #[test]
    fn spans_cover_values_and_keys() {
        let n = ok(r#" {"a" : [1, "x\"y"] } "#);
        assert_eq!(n.span, Span::new(1, 21));
        let Value::Object(m) = &n.value else { panic!() };
        assert_eq!(m[0].key_span, Span::new(2, 5));
        let Value::Array(items) = &m[0].value.value else {
            panic!()
        };
        assert_eq!(items[1].value, Value::String("x\"y".into()));
        assert_eq!(items[1].span, Span::new(12, 18));
    }

    #[test]
    fn escapes_decode() {
        assert_eq!(
            ok(r#""\u0041\/\ud83d\ude00""#).value,
            Value::String("A/😀".into())
        );
    }

    #[test]
    fn lone_surrogate_is_replaced_with_a_note() {
        let (n, notes) = parse(r#""a\ud800b""#).unwrap();
        assert_eq!(n.value, Value::String("a\u{FFFD}b".into()));
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn errors_carry_offsets() {
        assert_eq!(parse("[1,]").unwrap_err().offset, 3);
        assert_eq!(parse("[1] x").unwrap_err().offset, 4);
        assert_eq!(parse("\"abc").unwrap_err().offset, 0);
        assert!(parse("01").is_err());
        assert!(parse("[tru]").is_err());
        assert!(parse("NaN").is_err());
        assert!(parse("\"a\tb\"").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "[".repeat(100_000);
        let e = parse(&s).unwrap_err();
        assert!(e.message.contains("nesting deeper"), "{}", e.message);
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let Value::Object(m) = ok(r#"{"a":1,"a":2}"#).value else {
            panic!()
        };
        assert_eq!(m.len(), 2);
    }
}
