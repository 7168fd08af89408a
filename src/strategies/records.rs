//! Records aimed at a selector set: its own operands, near misses (one
//! character more, one less, a different first character), shared prefixes
//! and suffixes, Object and Bucket resource elements in either order,
//! missing fields, odd shapes (`resources` as an object, elements without an
//! ARN), and decoy keys nested in `requestParameters`.
//!
//! [`record_text_for`] also varies how the same record is written: escaped
//! characters (`\/`, `\u0041`), whitespace, key order and repeated keys.
//! Repeated keys are written after the first, which wins (README).

use super::{
    pool, EVENT_NAMES, EVENT_SOURCES, EVENT_TYPES, RESOURCE_TYPES, USER_ARNS, VPC_ENDPOINTS,
};
use crate::ir::Ir;
use crate::model::{Field, SelectorSet};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

/// Operands of a set's conditions on `field` (resources' ARNs for
/// `resources.ARN`, types for `resources.type`).
fn operands(ir: &Ir, field: Field) -> Vec<String> {
    let mut out = Vec::new();
    for s in &ir.selectors {
        let tests: Vec<&crate::ir::Test> = match field {
            Field::ResourcesType => s.resource.iter().flat_map(|r| &r.types).collect(),
            Field::ResourcesArn => s.resource.iter().flat_map(|r| &r.arns).collect(),
            f => s
                .conditions
                .iter()
                .filter(|c| c.field == f)
                .map(|c| &c.test)
                .collect(),
        };
        for t in tests {
            out.extend(
                t.select
                    .iter()
                    .chain(&t.deselect)
                    .map(|p| p.operand().to_string()),
            );
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A value near `anchors` or from `fallback`.
fn near(anchors: Vec<String>, fallback: Vec<String>) -> BoxedStrategy<String> {
    let mut all = anchors.clone();
    all.extend(fallback);
    if all.is_empty() {
        all.push("x".into());
    }
    let anchored = if anchors.is_empty() {
        all.clone()
    } else {
        anchors
    };
    (select(anchored), select(all), 0u8..9, 0usize..12)
        .prop_map(|(a, other, mode, n)| {
            let chars: Vec<char> = a.chars().collect();
            let cut = n.min(chars.len());
            match mode {
                0 | 1 => a,
                2 => format!("{a}x"),
                3 => chars[..chars.len().saturating_sub(1)].iter().collect(),
                4 => format!("x{a}"),
                5 => format!("{}{}", chars[..cut].iter().collect::<String>(), "zz"),
                6 => format!("{a}/key"),
                7 => other,
                _ => format!("{other}{a}"),
            }
        })
        .boxed()
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A record (as a JSON value) aimed at `set`.
pub fn record_for(set: &SelectorSet) -> BoxedStrategy<Value> {
    let ir = Ir::lower(set);
    let field = |f: Field, fallback: Vec<String>| {
        proptest::option::weighted(0.85, near(operands(&ir, f), fallback))
    };
    let mut types = operands(&ir, Field::ResourcesType);
    types.extend(owned(RESOURCE_TYPES));
    types.push("AWS::S3::Bucket".into());
    let mut arn_pool = pool(Field::ResourcesArn, "AWS::S3::Object");
    arn_pool.extend(pool(Field::ResourcesArn, "AWS::Lambda::Function"));
    arn_pool.extend(pool(Field::ResourcesArn, "AWS::DynamoDB::Table"));
    let element = (
        proptest::option::weighted(0.95, select(types)),
        near(operands(&ir, Field::ResourcesArn), arn_pool),
        0u8..10,
    )
        .prop_map(|(t, arn, shape)| {
            let mut e = Map::new();
            match shape {
                0 => return json!("not an object"),
                1 => {
                    e.insert("ARNPrefix".into(), json!(arn));
                }
                2 => {}
                3 => {
                    e.insert("arn".into(), json!(arn));
                }
                _ => {
                    e.insert("ARN".into(), json!(arn));
                }
            }
            if shape % 3 == 0 {
                e.insert("accountId".into(), json!("111122223333"));
            }
            if let Some(t) = t {
                e.insert("type".into(), json!(t));
            }
            Value::Object(e)
        });
    let resources =
        (proptest::collection::vec(element, 0..=3), 0u8..12).prop_map(|(mut items, shape)| {
            match shape {
                0 => None,
                1 => Some(json!({"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::logs/a"})),
                _ => {
                    // An S3 object element comes with its bucket, in either order.
                    if let Some(Value::Object(first)) = items.first() {
                        if first.get("type") == Some(&json!("AWS::S3::Object")) {
                            if let Some(arn) = first.get("ARN").and_then(Value::as_str) {
                                let bucket = arn.split('/').next().unwrap_or(arn).to_string();
                                let b = json!({"type": "AWS::S3::Bucket", "ARN": bucket});
                                if shape % 2 == 0 {
                                    items.push(b);
                                } else {
                                    items.insert(0, b);
                                }
                            }
                        }
                    }
                    Some(Value::Array(items))
                }
            }
        });
    let categories = select(vec![
        Some("Management"),
        Some("Management"),
        Some("Data"),
        Some("Data"),
        Some("NetworkActivity"),
        Some("Insight"),
        None,
        None,
    ]);
    (
        (
            categories,
            field(Field::EventSource, owned(EVENT_SOURCES)),
            field(Field::EventName, owned(EVENT_NAMES)),
            field(Field::EventType, owned(EVENT_TYPES)),
            0u8..8,
            proptest::option::weighted(0.3, proptest::bool::ANY),
        ),
        (
            field(Field::ErrorCode, owned(&["VpceAccessDenied", "AccessDenied"])),
            field(Field::VpcEndpointId, owned(VPC_ENDPOINTS)),
            field(Field::UserIdentityArn, owned(USER_ARNS)),
            0u8..6,
            resources,
            any::<bool>(),
        ),
    )
        .prop_map(
            |((category, source, name, etype, read_only, mgmt), (error, vpce, user, session, resources, decoy))| {
                let mut r = Map::new();
                r.insert("eventVersion".into(), json!(if category.is_some() { "1.08" } else { "1.05" }));
                if let Some(u) = user {
                    r.insert("userIdentity".into(), json!({"type": "AssumedRole", "arn": u, "sessionContext": {"attributes": {"mfaAuthenticated": "false"}}}));
                }
                r.insert("eventTime".into(), json!("2024-05-01T12:00:00Z"));
                if let Some(s) = source {
                    r.insert("eventSource".into(), json!(s));
                }
                if let Some(n) = name {
                    r.insert("eventName".into(), json!(n));
                }
                if let Some(e) = error {
                    r.insert("errorCode".into(), json!(e));
                }
                if decoy {
                    r.insert(
                        "requestParameters".into(),
                        json!({"eventName": "PutObject", "eventCategory": "Data", "readOnly": true,
                               "resources": [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::logs/decoy"}],
                               "userIdentity": {"arn": "arn:aws:iam::111122223333:user/decoy"}}),
                    );
                }
                match read_only {
                    0..=2 => {
                        r.insert("readOnly".into(), json!(read_only == 0));
                    }
                    3 => {
                        r.insert("readOnly".into(), json!(["True", "false", "TRUE"][read_only as usize % 3]));
                    }
                    4 => {
                        r.insert("readOnly".into(), Value::Null);
                    }
                    _ => {}
                }
                if let Some(res) = resources {
                    r.insert("resources".into(), res);
                }
                if let Some(t) = etype {
                    r.insert("eventType".into(), json!(t));
                }
                if let Some(m) = mgmt {
                    r.insert("managementEvent".into(), json!(m));
                }
                match session {
                    0 => {
                        r.insert("sessionCredentialFromConsole".into(), json!("true"));
                    }
                    1 => {
                        r.insert("sessionCredentialFromConsole".into(), json!(true));
                    }
                    _ => {}
                }
                if let Some(v) = vpce {
                    r.insert("vpcEndpointId".into(), json!(v));
                }
                if let Some(c) = category {
                    r.insert("eventCategory".into(), json!(c));
                }
                Value::Object(r)
            },
        )
        .boxed()
}

/// A record aimed at `set`, written as one line of JSON text with varied
/// escapes, whitespace, key order and (sometimes) a repeated key.
pub fn record_text_for(set: &SelectorSet) -> BoxedStrategy<String> {
    (record_for(set), any::<u64>())
        .prop_map(|(v, seed)| write(&v, seed))
        .boxed()
}

/// A selector set and a record text aimed at it.
pub fn case() -> impl Strategy<Value = (SelectorSet, String)> {
    super::selector_set().prop_flat_map(|set| {
        let text = record_text_for(&set);
        (Just(set), text)
    })
}

/// Writes `v` as one line, varying its form by `seed`: `\/` and `\uXXXX`
/// escapes, spaces and tabs between tokens, shuffled top-level keys, and a
/// repeated top-level key (written last, so the first occurrence keeps its
/// value).
pub fn write(v: &Value, seed: u64) -> String {
    let mut w = Writer {
        out: String::new(),
        rng: seed | 1,
    };
    w.top(v);
    w.out
}

struct Writer {
    out: String,
    rng: u64,
}

impl Writer {
    fn next(&mut self) -> u64 {
        // xorshift64: deterministic for a seed, no dependency.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }

    fn chance(&mut self, in_8: u64) -> bool {
        self.next() % 8 < in_8
    }

    fn space(&mut self) {
        match self.next() % 10 {
            0 => self.out.push(' '),
            1 => self.out.push_str(" \t "),
            _ => {}
        }
    }

    fn top(&mut self, v: &Value) {
        let Value::Object(m) = v else {
            self.value(v);
            return;
        };
        let mut keys: Vec<&String> = m.keys().collect();
        if self.chance(3) {
            for i in (1..keys.len()).rev() {
                let j = (self.next() % (i as u64 + 1)) as usize;
                keys.swap(i, j);
            }
        }
        self.space();
        self.out.push('{');
        for (n, k) in keys.iter().enumerate() {
            if n > 0 {
                self.out.push(',');
            }
            self.member(k, &m[k.as_str()]);
        }
        if !keys.is_empty() && self.chance(1) {
            let k = keys[(self.next() % keys.len() as u64) as usize];
            self.out.push(',');
            self.member(k, &json!("a later duplicate that must lose"));
        }
        self.out.push('}');
        self.space();
    }

    fn member(&mut self, k: &str, v: &Value) {
        self.space();
        self.string(k);
        self.space();
        self.out.push(':');
        self.space();
        self.value(v);
        self.space();
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Object(m) => {
                self.out.push('{');
                for (n, (k, x)) in m.iter().enumerate() {
                    if n > 0 {
                        self.out.push(',');
                    }
                    self.member(k, x);
                }
                self.out.push('}');
            }
            Value::Array(a) => {
                self.out.push('[');
                for (n, x) in a.iter().enumerate() {
                    if n > 0 {
                        self.out.push(',');
                    }
                    self.space();
                    self.value(x);
                    self.space();
                }
                self.out.push(']');
            }
            Value::String(s) => self.string(s),
            other => self.out.push_str(&other.to_string()),
        }
    }

    fn string(&mut self, s: &str) {
        let escape_some = self.chance(2);
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                c if (c as u32) < 0x20 => self.out.push_str(&format!("\\u{:04x}", c as u32)),
                '/' if escape_some && self.chance(4) => self.out.push_str("\\/"),
                c if escape_some && self.chance(2) => {
                    let mut buf = [0u16; 2];
                    for unit in c.encode_utf16(&mut buf) {
                        self.out.push_str(&format!("\\u{unit:04X}"));
                    }
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_text_parses_back_to_the_same_value_without_duplicates() {
        let v = json!({"a": "x/y\"z", "b": [1, {"c": "😀é"}], "eventName": "PutObject"});
        for seed in 0..200 {
            let text = write(&v, seed);
            assert!(!text.contains('\n'));
            let back = crate::reference::parse_record(text.as_bytes()).unwrap();
            assert_eq!(back, v, "{text}");
        }
    }
}
