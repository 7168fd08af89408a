//! The semantic difference between two selector configurations: concrete
//! records that one logs and the other does not, or a proof that there are
//! none. The proof and its witnesses come from [`crate::contain`]; this
//! module adds the user's own records, and a sampling search kept as an
//! independent cross-check of the proof.
//!
//! Sampled records are built from both configurations' own values: every operand,
//! and near misses around it (one character more, one less, another first
//! character, an object key under an S3 prefix). A deterministic generator
//! draws records from these candidates; each record the two programs
//! decide differently is minimised by dropping members (and resource
//! elements) while the difference remains.

use crate::compile::Program;
use crate::contain::AnalysisError;
use crate::eval::Verdict;
use crate::ir::{Ir, Pattern};
use crate::model::{Field, SelectorSet};
use crate::record::RecordView;
use serde_json::{json, Map, Value};

/// How hard to look.
#[derive(Clone, Debug)]
pub struct DiffOptions {
    /// Generated records to try as well, as a cross-check of the proof (0:
    /// none; the proof alone decides).
    pub samples: usize,
    /// Generator seed (the search is deterministic for a seed).
    pub seed: u64,
    /// Most witnesses reported.
    pub max_witnesses: usize,
}

impl Default for DiffOptions {
    fn default() -> DiffOptions {
        DiffOptions {
            samples: 0,
            seed: 1,
            max_witnesses: 5,
        }
    }
}

/// A record the two configurations decide differently.
#[derive(Clone, Debug)]
pub struct Witness {
    /// The record.
    pub record: Value,
    /// The first configuration's verdict.
    pub a: Verdict,
    /// The second configuration's verdict.
    pub b: Verdict,
    /// The record came from the user's records, not the generator.
    pub given: bool,
}

impl Witness {
    /// `{"record", "a", "b", "assumed", "given"}`, the verdicts as
    /// `logged`/`not_logged`/`not_governed`, as `ctsel diff --format json`
    /// prints it.
    pub fn to_json(&self) -> Value {
        json!({"record": self.record, "a": self.a.as_str(), "b": self.b.as_str(),
               "assumed": self.a.assumed() || self.b.assumed(), "given": self.given})
    }
}

/// The outcome of a comparison.
#[derive(Clone, Debug, Default)]
pub struct DiffReport {
    /// Records decided differently: the proof's witnesses (both ways,
    /// smallest first), then given records.
    pub witnesses: Vec<Witness>,
    /// The verdict is a proof over every record ([`diff`]), not the absence
    /// of a difference among those tried ([`Differ::generated`]).
    pub proved: bool,
    /// Generated records compared.
    pub generated: usize,
    /// Given records compared.
    pub given: usize,
    /// Given records decided differently (all of them, not only those kept
    /// as witnesses).
    pub given_differing: usize,
}

impl DiffReport {
    /// True when no record tells the configurations apart: proved so when
    /// [`DiffReport::proved`], else none of those tried did.
    pub fn equivalent(&self) -> bool {
        self.witnesses.is_empty()
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        if v.is_empty() {
            None
        } else {
            v.get(self.below(v.len()))
        }
    }
}

/// Values around a pattern: the operand, near misses, and for prefixes a
/// value under it.
fn around(p: &Pattern, out: &mut Vec<String>) {
    let o = p.operand();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    push(o.to_string());
    push(format!("{o}x"));
    push(format!("x{o}"));
    let mut cut = o.to_string();
    cut.pop();
    push(cut);
    if let Pattern::Prefix(_) = p {
        push(format!("{o}key/object"));
    }
    if let Pattern::Suffix(_) = p {
        push(format!("prefix/{o}"));
    }
}

struct Candidates {
    scalars: Vec<(Field, Vec<String>)>,
    types: Vec<String>,
    arns: Vec<String>,
}

fn candidates(irs: &[&Ir]) -> Candidates {
    let mut scalars: Vec<(Field, Vec<String>)> = Field::ALL
        .iter()
        .filter(|f| !matches!(f, Field::ResourcesType | Field::ResourcesArn))
        .map(|f| (*f, Vec::new()))
        .collect();
    let mut types = vec!["AWS::S3::Bucket".to_string()];
    let mut arns = Vec::new();
    for ir in irs {
        for s in &ir.selectors {
            for c in &s.conditions {
                if let Some((_, v)) = scalars.iter_mut().find(|(f, _)| *f == c.field) {
                    for p in c.test.select.iter().chain(&c.test.deselect) {
                        around(p, v);
                    }
                }
            }
            for r in s.resource.iter() {
                for t in &r.types {
                    for p in t.select.iter().chain(&t.deselect) {
                        if !types.contains(&p.operand().to_string()) {
                            types.push(p.operand().to_string());
                        }
                    }
                }
                for t in &r.arns {
                    for p in t.select.iter().chain(&t.deselect) {
                        around(p, &mut arns);
                    }
                }
            }
        }
    }
    for (f, v) in &mut scalars {
        let defaults: &[&str] = match f {
            Field::EventCategory => &["Management", "Data", "NetworkActivity"],
            Field::ReadOnly => &["true", "false"],
            Field::SessionCredentialFromConsole => &["true"],
            _ => &[],
        };
        for d in defaults {
            if !v.contains(&d.to_string()) {
                v.push(d.to_string());
            }
        }
    }
    Candidates {
        scalars,
        types,
        arns,
    }
}

fn generate(c: &Candidates, rng: &mut Rng) -> Value {
    let mut r = Map::new();
    for (f, values) in &c.scalars {
        // Each member is absent now and then: absence matters (U13, U15).
        if rng.below(10) < 3 {
            continue;
        }
        let Some(v) = rng.pick(values) else { continue };
        let v = match f {
            Field::ReadOnly => json!(v == "true"),
            _ => json!(v),
        };
        match f {
            Field::UserIdentityArn => {
                r.insert("userIdentity".into(), json!({ "arn": v }));
            }
            f => {
                r.insert(f.as_str().into(), v);
            }
        }
    }
    if !c.types.is_empty() && rng.below(10) < 8 {
        let n = 1 + rng.below(2);
        let mut elements = Vec::new();
        for _ in 0..n {
            let mut e = Map::new();
            if let Some(t) = rng.pick(&c.types) {
                e.insert("type".into(), json!(t));
            }
            if rng.below(10) < 9 {
                if let Some(a) = rng.pick(&c.arns) {
                    e.insert("ARN".into(), json!(a));
                }
            }
            elements.push(Value::Object(e));
        }
        r.insert("resources".into(), Value::Array(elements));
    }
    Value::Object(r)
}

fn decide(p: &Program, record: &Value) -> Option<Verdict> {
    let text = record.to_string();
    RecordView::parse(text.as_bytes())
        .ok()
        .map(|v| p.decide(&v))
}

fn differs(a: &Verdict, b: &Verdict) -> bool {
    a.as_str() != b.as_str()
}

/// Drops members and resource elements while the verdicts still differ.
fn minimise(pa: &Program, pb: &Program, mut record: Value) -> Value {
    loop {
        let mut changed = false;
        let keys: Vec<String> = record
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for k in keys {
            let mut smaller = record.clone();
            if let Some(m) = smaller.as_object_mut() {
                m.remove(&k);
            }
            if let (Some(a), Some(b)) = (decide(pa, &smaller), decide(pb, &smaller)) {
                if differs(&a, &b) {
                    record = smaller;
                    changed = true;
                }
            }
        }
        let n = record["resources"].as_array().map_or(0, Vec::len);
        for i in (0..n).rev() {
            let mut smaller = record.clone();
            if let Some(items) = smaller["resources"].as_array_mut() {
                items.remove(i);
            }
            if let (Some(a), Some(b)) = (decide(pa, &smaller), decide(pb, &smaller)) {
                if differs(&a, &b) {
                    record = smaller;
                    changed = true;
                }
            }
        }
        if !changed {
            return record;
        }
    }
}

/// Compares two configurations: on generated records, then on real ones
/// fed one at a time (so that a large log need not be held).
///
/// # Examples
///
/// ```
/// use ctsel::{DiffOptions, Differ};
/// use ctsel::{parse_str, validate, ParseOptions, ValidateOptions};
///
/// let set = |t: &str| validate(&parse_str("s", t, &ParseOptions::default()).unwrap(), &ValidateOptions::default()).unwrap().selectors;
/// let all = set(r#"[{"ReadWriteType": "All"}]"#);
/// let writes = set(r#"[{"ReadWriteType": "WriteOnly"}]"#);
/// let d = Differ::new(&all, &writes);
/// let mut report = d.generated(&DiffOptions::default());
/// d.given(&mut report, br#"{"eventCategory":"Management","readOnly":true}"#, 5);
/// assert!(!report.equivalent());
/// assert!(report.witnesses.iter().any(|w| w.given));
/// ```
pub struct Differ {
    pa: Program,
    pb: Program,
}

impl Differ {
    /// Compiles both configurations.
    pub fn new(a: &SelectorSet, b: &SelectorSet) -> Differ {
        Differ {
            pa: Program::new(a),
            pb: Program::new(b),
        }
    }

    /// Decides the question for every record: the proof's witnesses both
    /// ways (none when equivalent). With [`DiffOptions::samples`], a
    /// sampling search runs too and must agree.
    ///
    /// # Errors
    ///
    /// As [`diff`].
    pub fn proved(&self, options: &DiffOptions) -> Result<DiffReport, AnalysisError> {
        let proof = crate::contain::equivalent_compiled(&self.pa, &self.pb)?;
        let mut witnesses: Vec<Witness> = proof.only_a.into_iter().chain(proof.only_b).collect();
        witnesses.sort_by_key(|w| w.record.to_string().len());
        let mut report = DiffReport {
            witnesses,
            proved: true,
            ..DiffReport::default()
        };
        if options.samples > 0 {
            let sampled = self.generated(options);
            report.generated = sampled.generated;
            if let (true, Some(w)) = (report.equivalent(), sampled.witnesses.first()) {
                return Err(AnalysisError::new(
                    w.record.clone(),
                    "sampling found a difference between configurations proved equivalent",
                ));
            }
        }
        Ok(report)
    }

    /// Checks that no given record contradicts a proof of equivalence.
    ///
    /// # Errors
    ///
    /// As [`diff`].
    pub fn consistent(&self, report: &DiffReport) -> Result<(), AnalysisError> {
        match report.witnesses.iter().find(|w| w.given) {
            Some(w) if report.proved && !report.witnesses.iter().any(|w| !w.given) => {
                Err(AnalysisError::new(
                    w.record.clone(),
                    "a given record is decided differently by configurations proved equivalent",
                ))
            }
            _ => Ok(()),
        }
    }

    /// Searches generated records for differences (a sample, not a proof).
    pub fn generated(&self, options: &DiffOptions) -> DiffReport {
        let (pa, pb) = (&self.pa, &self.pb);
        let c = candidates(&[pa.ir(), pb.ir()]);
        let mut rng = Rng(options.seed | 1);
        let mut report = DiffReport::default();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..options.samples {
            report.generated += 1;
            let record = generate(&c, &mut rng);
            let (Some(va), Some(vb)) = (decide(pa, &record), decide(pb, &record)) else {
                continue;
            };
            if !differs(&va, &vb) || report.witnesses.len() >= options.max_witnesses * 4 {
                continue;
            }
            let small = minimise(pa, pb, record);
            // The same record with its members in another order is the
            // same witness.
            if !seen.insert(canonical(&small)) {
                continue;
            }
            if let (Some(a), Some(b)) = (decide(pa, &small), decide(pb, &small)) {
                report.witnesses.push(Witness {
                    record: small,
                    a,
                    b,
                    given: false,
                });
            }
        }
        // Smallest first; at most `max_witnesses`.
        report.witnesses.sort_by_key(|w| w.record.to_string().len());
        report.witnesses.truncate(options.max_witnesses);
        report
    }

    /// Compares one real record (unparseable ones are skipped); keeps at
    /// most `max_witnesses` given witnesses, and counts every record.
    pub fn given(&self, report: &mut DiffReport, bytes: &[u8], max_witnesses: usize) {
        let Ok(view) = RecordView::parse(bytes) else {
            return;
        };
        report.given += 1;
        let (va, vb) = (self.pa.decide(&view), self.pb.decide(&view));
        if !differs(&va, &vb) {
            return;
        }
        report.given_differing += 1;
        if report.witnesses.iter().filter(|w| w.given).count() < max_witnesses {
            let record = serde_json::from_slice(bytes).unwrap_or(Value::Null);
            report.witnesses.push(Witness {
                record,
                a: va,
                b: vb,
                given: true,
            });
        }
    }
}

/// A value's text with object keys sorted, to compare records whatever
/// their member order.
fn canonical(v: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&m[k])))
                        .collect(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(v).to_string()
}

/// Decides whether two configurations log the same records, and compares
/// them on `given` records (record bytes; unparseable ones are skipped).
/// The answer is proved; with [`DiffOptions::samples`], a sampling search
/// checks the proof too.
///
/// # Examples
///
/// ```
/// use ctsel::{diff, parse_str, validate, DiffOptions, ParseOptions, ValidateOptions};
///
/// let set = |t: &str| -> Result<_, Box<dyn std::error::Error>> {
///     Ok(validate(&parse_str("s", t, &ParseOptions::default())?, &ValidateOptions::default())?.selectors)
/// };
/// let all = set(r#"[{"ReadWriteType": "All"}]"#)?;
/// let both = set(r#"[{"ReadWriteType": "ReadOnly"}, {"ReadWriteType": "WriteOnly"}]"#)?;
/// let report = diff(&all, &both, &[], &DiffOptions::default())?;
/// assert!(report.equivalent() && report.proved);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`AnalysisError`] when a compiled program does not confirm a witness of
/// the proof, or sampling finds a difference the proof ruled out: either
/// would be a defect in ctsel.
pub fn diff(
    a: &SelectorSet,
    b: &SelectorSet,
    given: &[Vec<u8>],
    options: &DiffOptions,
) -> Result<DiffReport, AnalysisError> {
    let d = Differ::new(a, b);
    let mut report = d.proved(options)?;
    for bytes in given {
        d.given(&mut report, bytes, options.max_witnesses);
    }
    d.consistent(&report)?;
    Ok(report)
}
