//! The reference interpreter: spec §3 read literally, over a parsed
//! [`serde_json::Value`], with no trie, no compilation and no code shared
//! with the compiler or the evaluator. It is slow and meant to be
//! obviously right; the compiled program is tested against it.
//!
//! Basic selectors are evaluated as §3.4 states them; advanced ones as
//! §3.5. The `assumed` flag follows [`Verdict::assumed`]: a basic selector
//! counts as its management part and one part per data resource, as §3.4's
//! "Management record: … / Data record: … ∃ DR" reads.

use crate::eval::Verdict;
use crate::model::{AdvancedSelector, BasicSelector, Field, Operator, ReadWriteType, SelectorSet};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use smallvec::SmallVec;

/// Parses one record as the reference reads it: `serde_json`, with the
/// first occurrence of a repeated key winning, and a JSON object required.
///
/// # Errors
/// Returns `serde_json`'s message, or "not a JSON object".
pub fn parse_record(bytes: &[u8]) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = FirstWins::deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    if v.0.is_object() {
        Ok(v.0)
    } else {
        Err("not a JSON object".to_string())
    }
}

struct FirstWins(Value);

impl<'de> Deserialize<'de> for FirstWins {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FirstWins, D::Error> {
        d.deserialize_any(FirstWinsVisitor)
    }
}

struct FirstWinsVisitor;

impl<'de> Visitor<'de> for FirstWinsVisitor {
    type Value = FirstWins;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<FirstWins, E> {
        Ok(FirstWins(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<FirstWins, E> {
        Ok(FirstWins(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<FirstWins, E> {
        Ok(FirstWins(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<FirstWins, E> {
        Ok(FirstWins(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<FirstWins, E> {
        Ok(FirstWins(Value::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<FirstWins, E> {
        Ok(FirstWins(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<FirstWins, E> {
        Ok(FirstWins(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FirstWins, A::Error> {
        let mut v = Vec::new();
        while let Some(FirstWins(x)) = seq.next_element()? {
            v.push(x);
        }
        Ok(FirstWins(Value::Array(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FirstWins, A::Error> {
        let mut m = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let FirstWins(v) = map.next_value()?;
            m.entry(k).or_insert(v);
        }
        Ok(FirstWins(Value::Object(m)))
    }
}

// ---- reading the record (spec §3.2, §3.5 "Field value extraction") ----

fn string<'a>(r: &'a Value, key: &str) -> Option<&'a str> {
    r.get(key).and_then(Value::as_str)
}

/// Spec §3.2; the bool says the category was inferred (rule 5).
fn category(r: &Value) -> (String, bool) {
    if let Some(c) = string(r, "eventCategory") {
        return (c.to_string(), false);
    }
    let t = string(r, "eventType");
    if t == Some("AwsCloudTrailInsight") {
        return ("Insight".into(), false);
    }
    if t == Some("AwsVpceEvent") || t == Some("AwsVpceEvents") {
        return ("NetworkActivity".into(), false);
    }
    if let Some(m) = r.get("managementEvent").and_then(Value::as_bool) {
        return (if m { "Management" } else { "Data" }.into(), false);
    }
    let source = string(r, "eventSource");
    let s3_object = resources(r)
        .iter()
        .any(|(t, _)| t.as_deref() == Some("AWS::S3::Object"));
    let invoke = string(r, "eventName").is_some_and(|n| n.starts_with("Invoke"));
    if (source == Some("s3.amazonaws.com") && s3_object)
        || (source == Some("lambda.amazonaws.com") && invoke)
    {
        ("Data".into(), true)
    } else {
        ("Management".into(), true)
    }
}

/// `readOnly` as a string, and whether it was missing (then `"false"`, U13).
fn read_only(r: &Value) -> (String, bool) {
    match r.get("readOnly") {
        Some(Value::Bool(b)) => (b.to_string(), false),
        Some(Value::String(s)) => (s.to_lowercase(), false),
        _ => ("false".into(), true),
    }
}

/// The object elements of `resources`: (type, ARN else ARNPrefix).
fn resources(r: &Value) -> Vec<(Option<String>, Option<String>)> {
    let Some(Value::Array(items)) = r.get("resources") else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|e| e.is_object())
        .map(|e| {
            let t = string(e, "type").map(String::from);
            let arn = string(e, "ARN")
                .or_else(|| string(e, "ARNPrefix"))
                .map(String::from);
            (t, arn)
        })
        .collect()
}

/// A scalar field's value for an advanced field selector.
fn scalar(r: &Value, field: Field, category: &str) -> (Option<String>, bool) {
    match field {
        Field::EventCategory => (Some(category.to_string()), false),
        Field::ReadOnly => {
            let (v, missing) = read_only(r);
            (Some(v), missing)
        }
        Field::SessionCredentialFromConsole => match r.get("sessionCredentialFromConsole") {
            Some(Value::String(s)) => (Some(s.clone()), false),
            Some(Value::Bool(b)) => (Some(b.to_string()), false),
            _ => (None, false),
        },
        Field::UserIdentityArn => (
            r.get("userIdentity")
                .filter(|u| u.is_object())
                .and_then(|u| string(u, "arn"))
                .map(String::from),
            false,
        ),
        f => (string(r, f.as_str()).map(String::from), false),
    }
}

// ---- one field selector (spec §3.5) ----

fn op_hits(op: Operator, value: &str, operand: &str) -> bool {
    match op {
        Operator::Equals | Operator::NotEquals => value == operand,
        Operator::StartsWith | Operator::NotStartsWith => value.starts_with(operand),
        Operator::EndsWith | Operator::NotEndsWith => value.ends_with(operand),
    }
}

/// (holds, relied on an assumption) for operator lists on a value; the
/// `assumed_value` flag marks a value that was itself assumed.
fn field_holds(
    ops: &[(Operator, Vec<String>)],
    value: Option<&str>,
    assumed_value: bool,
) -> (bool, bool) {
    let positives: Vec<(Operator, &String)> = ops
        .iter()
        .filter(|(o, _)| !o.is_negative())
        .flat_map(|(o, vs)| vs.iter().map(move |v| (*o, v)))
        .collect();
    let negatives: Vec<(Operator, &String)> = ops
        .iter()
        .filter(|(o, _)| o.is_negative())
        .flat_map(|(o, vs)| vs.iter().map(move |v| (*o, v)))
        .collect();
    match value {
        // U15: an absent field satisfies no SELECT and no DESELECT value.
        None => (
            positives.is_empty(),
            positives.is_empty() && !negatives.is_empty(),
        ),
        Some(v) => {
            let select = positives.is_empty() || positives.iter().any(|(o, x)| op_hits(*o, v, x));
            let deselect = negatives.iter().any(|(o, x)| op_hits(*o, v, x));
            (select && !deselect, assumed_value)
        }
    }
}

/// A part of the trail's selectors that matches on its own: (origin,
/// matches, relied on an assumption, failed only because of one).
struct Part {
    origin: usize,
    matches: bool,
    assumed: bool,
    failed_on_assumption: bool,
}

/// Combines (holds, assumed) results of an AND.
fn conjunction(origin: usize, results: &[(bool, bool)]) -> Part {
    let matches = results.iter().all(|(h, _)| *h);
    let assumed = results.iter().any(|(_, a)| *a);
    let failed_on_assumption = !matches && results.iter().filter(|(h, _)| !h).all(|(_, a)| *a);
    Part {
        origin,
        matches,
        assumed,
        failed_on_assumption,
    }
}

fn advanced(i: usize, s: &AdvancedSelector, r: &Value, category: &str) -> Part {
    let mut results = Vec::new();
    let mut type_ops = Vec::new();
    let mut arn_ops = Vec::new();
    for f in &s.field_selectors {
        match f.field {
            Field::ResourcesType => type_ops.push(&f.operators),
            Field::ResourcesArn => arn_ops.push(&f.operators),
            field => {
                let (v, assumed_value) = scalar(r, field, category);
                results.push(field_holds(&f.operators, v.as_deref(), assumed_value));
            }
        }
    }
    if !type_ops.is_empty() || !arn_ops.is_empty() {
        // §3.5: the ARN test applies to elements of the selected type; an
        // element must pass both.
        let mut any = false;
        let mut clean = false;
        for (t, arn) in resources(r) {
            let mut ok = true;
            let mut assumed = false;
            for ops in &type_ops {
                let (h, a) = field_holds(ops, t.as_deref(), false);
                ok &= h;
                assumed |= a;
            }
            for ops in &arn_ops {
                let (h, a) = field_holds(ops, arn.as_deref(), false);
                ok &= h;
                assumed |= a;
            }
            any |= ok;
            clean |= ok && !assumed;
        }
        results.push((any, any && !clean));
    }
    conjunction(i, &results)
}

/// §3.4 `value_match`.
fn value_match(type_: &str, v: &str, arn: Option<&str>) -> bool {
    let all_prefix = v.strip_prefix("arn:").and_then(|rest| {
        let (p, service) = rest.split_once(':')?;
        let partition_ok = p == "aws"
            || p.strip_prefix("aws-").is_some_and(|x| {
                x.split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
            });
        partition_ok.then_some((p, service))
    });
    match type_ {
        "AWS::S3::Object" => match all_prefix {
            Some((p, "s3" | "s3:::")) => {
                arn.is_some_and(|a| a.starts_with(&format!("arn:{p}:s3:::")))
            }
            _ => arn.is_some_and(|a| a.starts_with(v)),
        },
        "AWS::Lambda::Function" if matches!(all_prefix, Some((_, "lambda"))) => true,
        "AWS::DynamoDB::Table" if matches!(all_prefix, Some((_, "dynamodb"))) => true,
        _ => arn == Some(v),
    }
}

fn basic(i: usize, s: &BasicSelector, r: &Value, category: &str, out: &mut Vec<Part>) {
    let (ro, missing) = read_only(r);
    let rw = match s.read_write_type {
        ReadWriteType::All => (true, false),
        ReadWriteType::ReadOnly => (ro == "true", missing),
        ReadWriteType::WriteOnly => (ro == "false", missing),
    };
    if s.include_management_events {
        let mut results = vec![(category == "Management", false), rw];
        if !s.exclude_management_event_sources.is_empty() {
            results.push(match string(r, "eventSource") {
                Some(src) => (
                    !s.exclude_management_event_sources.iter().any(|e| e == src),
                    false,
                ),
                None => (true, true),
            });
        }
        out.push(conjunction(i, &results));
    }
    for dr in &s.data_resources {
        if dr.values.is_empty() {
            continue;
        }
        let hit = resources(r).iter().any(|(t, arn)| {
            t.as_deref() == Some(dr.type_.as_str())
                && dr
                    .values
                    .iter()
                    .any(|v| value_match(&dr.type_, v, arn.as_deref()))
        });
        out.push(conjunction(
            i,
            &[(category == "Data", false), rw, (hit, false)],
        ));
    }
}

/// Decides a parsed record, reading the spec literally.
///
/// # Examples
///
/// ```
/// use ctsel::{reference, Program, SelectorSet};
///
/// let set = SelectorSet::trail_default();
/// let record = serde_json::json!({"eventCategory": "Management", "readOnly": true});
/// let oracle = reference::decide(&set, &record);
/// let compiled = Program::new(&set).decide_bytes(record.to_string().as_bytes())?;
/// assert_eq!(oracle, compiled);
/// # Ok::<(), ctsel::ScanError>(())
/// ```
pub fn decide(set: &SelectorSet, record: &Value) -> Verdict {
    let (category, inferred) = category(record);
    if category == "Insight" {
        return Verdict::NotGoverned;
    }
    let mut parts = Vec::new();
    match set {
        SelectorSet::Basic(v) => {
            for (i, s) in v.iter().enumerate() {
                basic(i, s, record, &category, &mut parts);
            }
        }
        SelectorSet::Advanced(v) => {
            for (i, s) in v.iter().enumerate() {
                parts.push(advanced(i, s, record, &category));
            }
        }
    }
    let mut selectors: SmallVec<[u32; 4]> = parts
        .iter()
        .filter(|p| p.matches)
        .map(|p| p.origin as u32)
        .collect();
    selectors.sort_unstable();
    selectors.dedup();
    if selectors.is_empty() {
        Verdict::NotLogged {
            assumed: inferred || parts.iter().any(|p| p.failed_on_assumption),
        }
    } else {
        Verdict::Logged {
            selectors: selectors.into_iter().collect(),
            assumed: inferred || !parts.iter().any(|p| p.matches && !p.assumed),
        }
    }
}

/// Parses and decides a record's bytes.
///
/// # Errors
/// Returns the parse error when the bytes are not a JSON object.
pub fn decide_bytes(set: &SelectorSet, bytes: &[u8]) -> Result<Verdict, String> {
    Ok(decide(set, &parse_record(bytes)?))
}
