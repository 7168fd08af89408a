//! YAML text → the same tree of spanned nodes as the JSON reader gives,
//! for CloudFormation templates written in YAML.
//!
//! CloudFormation's short-form tags become the long forms a JSON template
//! writes (`!Ref X` is `{"Ref": "X"}`, `!GetAtt A.B` is
//! `{"Fn::GetAtt": "A.B"}`, `!Sub s` is `{"Fn::Sub": s}`), so that one
//! resolver serves both. Spans are byte offsets into the text, as in JSON.

use super::json::{Member, Node, Value};
use crate::source::Span;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// A YAML text that could not be read, and where.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub(crate) offset: usize,
    pub(crate) message: String,
}

/// Character index → byte offset (saphyr's markers count characters).
struct Offsets<'t> {
    text: &'t str,
    /// Byte offset of every character, when the text is not ASCII.
    table: Option<Vec<u32>>,
}

impl Offsets<'_> {
    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.text.len()),
            Some(t) => t.get(char_index).map_or(self.text.len(), |&b| b as usize),
        }
    }

    fn span(&self, s: saphyr::Marker, e: saphyr::Marker) -> Span {
        let start = self.byte(s.index());
        // A node's end marker can sit on the line after it; stop at the
        // last non-blank byte, so a caret covers the value only.
        let end = self.byte(e.index()).max(start);
        let trimmed = self.text[start..end].trim_end().len();
        Span::new(start, start + trimmed)
    }
}

/// Parses the first YAML document of `text`.
pub(crate) fn parse(text: &str) -> Result<Node, YamlError> {
    let docs = MarkedYaml::load_from_str(text).map_err(|e| YamlError {
        offset: text
            .char_indices()
            .nth(e.marker().index())
            .map_or(text.len(), |(b, _)| b),
        message: e.info().to_string(),
    })?;
    let offsets = Offsets {
        text,
        table: (!text.is_ascii()).then(|| text.char_indices().map(|(b, _)| b as u32).collect()),
    };
    let Some(doc) = docs.first() else {
        return Err(YamlError {
            offset: 0,
            message: "no YAML document".into(),
        });
    };
    let mut depth = 0;
    node(doc, &offsets, &mut depth).map_err(|message| YamlError { offset: 0, message })
}

/// The deepest nesting read (as the JSON reader's limit).
const MAX_DEPTH: usize = super::json::MAX_DEPTH;

fn node(y: &MarkedYaml<'_>, o: &Offsets<'_>, depth: &mut usize) -> Result<Node, String> {
    let span = o.span(y.span.start, y.span.end);
    *depth += 1;
    if *depth > MAX_DEPTH {
        return Err(format!("nesting deeper than {MAX_DEPTH} levels"));
    }
    let value = match &y.data {
        YamlData::Value(Scalar::Null) => Value::Null,
        YamlData::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        YamlData::Value(Scalar::Integer(i)) => Value::Number(i.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Value::Number(f.to_string()),
        YamlData::Value(Scalar::String(s)) => Value::String(s.to_string()),
        YamlData::Representation(s, _, _) => Value::String(s.to_string()),
        YamlData::Sequence(items) => Value::Array(
            items
                .iter()
                .map(|i| node(i, o, depth))
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Mapping(map) => {
            let mut members = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = match &k.data {
                    YamlData::Value(Scalar::String(s)) => s.to_string(),
                    YamlData::Representation(s, _, _) => s.to_string(),
                    YamlData::Value(Scalar::Integer(i)) => i.to_string(),
                    YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
                    _ => return Err("a mapping key that is not a scalar".into()),
                };
                members.push(Member {
                    key,
                    key_span: o.span(k.span.start, k.span.end),
                    value: node(v, o, depth)?,
                });
            }
            Value::Object(members)
        }
        YamlData::Tagged(tag, inner) => {
            let inner = node(inner, o, depth)?;
            *depth -= 1;
            return Ok(match long_form(&tag.handle, &tag.suffix) {
                Some(key) => Node {
                    span,
                    value: Value::Object(vec![Member {
                        key,
                        key_span: Span::new(span.start as usize, inner.span.start as usize),
                        value: inner,
                    }]),
                },
                // Another tag (`!!str`): the value as written.
                None => inner,
            });
        }
        YamlData::Alias(_) => return Err("YAML aliases are not read in templates".into()),
        YamlData::BadValue => return Err("a value saphyr could not read".into()),
    };
    *depth -= 1;
    Ok(Node { span, value })
}

/// The JSON key of a CloudFormation short-form tag.
fn long_form(handle: &str, suffix: &str) -> Option<String> {
    if handle != "!" {
        return None;
    }
    match suffix {
        "Ref" => Some("Ref".into()),
        "Condition" => Some("Condition".into()),
        "Sub" | "GetAtt" | "Join" | "If" | "ImportValue" | "Select" | "Split" | "FindInMap"
        | "Base64" | "Cidr" | "GetAZs" | "Equals" | "Not" | "And" | "Or" | "Length"
        | "ToJsonString" => Some(format!("Fn::{suffix}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tags_become_long_forms_with_spans_in_bytes() {
        let text = "é: 1\nR:\n  A: !Ref Param\n  B: !GetAtt Bucket.Arn\n  C: [!Sub 'arn:${AWS::Partition}:s3']\n";
        let root = parse(text).unwrap();
        let Value::Object(ms) = &root.value else {
            panic!()
        };
        let Value::Object(r) = &ms[1].value.value else {
            panic!()
        };
        let a = &r[0].value;
        assert_eq!(&text[a.span.range()], "!Ref Param");
        let Value::Object(f) = &a.value else { panic!() };
        assert_eq!(f[0].key, "Ref");
        assert_eq!(f[0].value.value, Value::String("Param".into()));
        let Value::Object(g) = &r[1].value.value else {
            panic!()
        };
        assert_eq!(g[0].key, "Fn::GetAtt");
        let Value::Array(c) = &r[2].value.value else {
            panic!()
        };
        let Value::Object(s) = &c[0].value else {
            panic!()
        };
        assert_eq!(s[0].key, "Fn::Sub");
        assert_eq!(&text[ms[1].key_span.range()], "R");
    }

    #[test]
    fn bad_yaml_names_its_place() {
        let e = parse("a: [1, 2\nb: c").expect_err("an error");
        assert!(e.offset > 0, "{}", e.message);
    }
}
