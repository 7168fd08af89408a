//! Exact containment: does one configuration log every record another
//! logs? Decided, not sampled; a "no" comes with witness records that the
//! compiled programs confirm.
//!
//! # Why a finite search is exact
//!
//! Every condition of the normalised form ([`crate::ir`]) is a boolean
//! combination of `Equals`, `StartsWith` and `EndsWith` atoms over one
//! value, or over its absence. Fields are independent of each other: an
//! explicit `eventCategory` wins over every member that category
//! inference reads, so any combination of field values is some record.
//! Two values that satisfy the same atoms satisfy the same conditions, so
//! one value per *profile* (the set of atoms it satisfies) suffices. For
//! the operands on one field, these candidates reach every profile:
//!
//! * absence (where the field can be absent);
//! * every `Equals` operand;
//! * for every prefix operand `p` (or the empty string) and every suffix
//!   operand `s` (or the empty string), the value `p + c + s`, where `c`
//!   occurs in no operand.
//!
//! A value `v` that is no `Equals` operand has the profile of `p + c + s`,
//! with `p` the longest prefix operand `v` starts with and `s` the longest
//! suffix operand it ends with: a prefix operand `q` is a prefix of
//! `p + c + s` iff it is a prefix of `p` (it cannot reach past `c`), iff
//! (being shorter than `p` when it is a prefix of `v`) it is a prefix of
//! `v`; suffixes likewise; and `p + c + s`, containing `c`, equals no
//! operand.
//!
//! Resources need one element at most. The selector that must log the
//! witness needs one element to pass its resource condition; every other
//! resource condition is "some element passes", so a further element can
//! only make a selector that must stay silent log. The element's `type`
//! and ARN are then two more fields.
//!
//! A record logged by one configuration and not another is therefore a
//! choice of one candidate per field such that one conjunction holds and
//! every conjunction of the other side has a failing condition. The search
//! branches on which condition fails, most constrained conjunction first,
//! and keeps per field the set of candidates still allowed; each condition
//! is one field's set of candidates, so the sets never need re-checking.
//!
//! Two field domains are narrower than "any string or absent", and their
//! candidates outside the domain are dropped (a domain's own values are
//! candidates, so nothing is lost): the category is never absent (it is
//! inferred) and never `Insight` (such records are not governed by
//! selectors); `readOnly` is `true` or `false`. CloudTrail writes it as a
//! boolean, a missing one reads as `false` (U13), and the strings `"true"`
//! and `"false"` read as the booleans. A record with another `readOnly`
//! string is malformed and outside the space proved over: without that
//! limit a ReadOnly and a WriteOnly selector would not together cover
//! "All", which no real record can tell apart.

use crate::compile::Program;
use crate::diff::Witness;
use crate::eval::Verdict;
use crate::ir::{Ir, IrSelector, Pattern, Test};
use crate::model::{Field, SelectorSet};
use serde_json::{Map, Value};
use std::fmt;

/// A set of candidate indices.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Set(Vec<u64>);

impl Set {
    fn empty(n: usize) -> Set {
        Set(vec![0; n.div_ceil(64)])
    }
    fn full(n: usize) -> Set {
        let mut s = Set::empty(n);
        for i in 0..n {
            s.insert(i);
        }
        s
    }
    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
    fn intersects(&self, o: &Set) -> bool {
        self.0.iter().zip(&o.0).any(|(a, b)| a & b != 0)
    }
    /// Some member of `self` is not in `o`.
    fn escapes(&self, o: &Set) -> bool {
        self.0.iter().zip(&o.0).any(|(a, b)| a & !b != 0)
    }
    fn and(&mut self, o: &Set) {
        self.0.iter_mut().zip(&o.0).for_each(|(a, b)| *a &= b);
    }
    fn and_not(&mut self, o: &Set) {
        self.0.iter_mut().zip(&o.0).for_each(|(a, b)| *a &= !b);
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, bits)| {
            (0..64)
                .filter(move |b| bits & (1 << b) != 0)
                .map(move |b| w * 64 + b)
        })
    }
}

/// The scalar fields (every field but the two of a resource element).
fn scalars() -> impl Iterator<Item = Field> {
    Field::ALL
        .into_iter()
        .filter(|f| !matches!(f, Field::ResourcesType | Field::ResourcesArn))
}

/// What a slot of the witness record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Scalar(Field),
    /// Whether the record has its one resource element.
    Present,
    Type,
    Arn,
}

fn slots() -> Vec<Slot> {
    scalars()
        .map(Slot::Scalar)
        .chain([Slot::Present, Slot::Type, Slot::Arn])
        .collect()
}

fn slot_index(slot: Slot) -> usize {
    let n = scalars().count();
    match slot {
        Slot::Scalar(f) => scalars().position(|g| g == f).unwrap_or(0),
        Slot::Present => n,
        Slot::Type => n + 1,
        Slot::Arn => n + 2,
    }
}

/// One candidate value.
#[derive(Clone, Debug)]
enum Candidate {
    Absent,
    /// An `Equals` operand.
    Exact(String),
    /// `prefixes[p] + c + suffixes[s]`.
    Between(usize, usize),
}

/// The candidates of one slot, built from every operand on it.
#[derive(Clone, Debug)]
struct Domain {
    candidates: Vec<Candidate>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    /// The character no operand contains.
    c: char,
}

impl Domain {
    fn new(slot: Slot, patterns: &[&Pattern]) -> Domain {
        let mut exact: Vec<String> = Vec::new();
        let mut prefixes = vec![String::new()];
        let mut suffixes = vec![String::new()];
        for p in patterns {
            let (list, s) = match p {
                Pattern::Equals(s) => (&mut exact, s),
                Pattern::Prefix(s) => (&mut prefixes, s),
                Pattern::Suffix(s) => (&mut suffixes, s),
            };
            if !list.contains(s) {
                list.push(s.clone());
            }
        }
        let c = "xzqjkwvy0123456789_-"
            .chars()
            .chain('\u{e000}'..='\u{f8ff}')
            .find(|c| !patterns.iter().any(|p| p.operand().contains(*c)))
            .unwrap_or('\u{10ffff}');
        let realisable = |v: &str| match slot {
            Slot::Scalar(Field::EventCategory) => v != "Insight",
            Slot::Scalar(Field::ReadOnly) => v == "true" || v == "false",
            _ => true,
        };
        let mut candidates = Vec::new();
        let absent_ok = !matches!(
            slot,
            Slot::Scalar(Field::EventCategory) | Slot::Scalar(Field::ReadOnly)
        );
        if absent_ok {
            candidates.push(Candidate::Absent);
        }
        if slot == Slot::Present {
            // Two candidates: no element, one element.
            return Domain {
                candidates: vec![Candidate::Absent, Candidate::Exact(String::new())],
                prefixes,
                suffixes,
                c,
            };
        }
        // Values real records have, so that witnesses read naturally;
        // more candidates never lose a profile.
        let natural: &[&str] = match slot {
            Slot::Scalar(Field::EventCategory) => &["Management", "Data", "NetworkActivity"],
            Slot::Scalar(Field::ReadOnly) => &["true", "false"],
            _ => &[],
        };
        for v in natural {
            if !exact.iter().any(|e| e == v) {
                exact.push(v.to_string());
            }
        }
        exact.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        candidates.extend(
            exact
                .into_iter()
                .filter(|v| realisable(v))
                .map(Candidate::Exact),
        );
        for (p, before) in prefixes.iter().enumerate() {
            for (s, after) in suffixes.iter().enumerate() {
                if realisable(&format!("{before}{c}{after}")) {
                    candidates.push(Candidate::Between(p, s));
                }
            }
        }
        Domain {
            candidates,
            prefixes,
            suffixes,
            c,
        }
    }

    fn value(&self, i: usize) -> Option<String> {
        match &self.candidates[i] {
            Candidate::Absent => None,
            Candidate::Exact(s) => Some(s.clone()),
            Candidate::Between(p, s) => Some(format!(
                "{}{}{}",
                self.prefixes[*p], self.c, self.suffixes[*s]
            )),
        }
    }

    /// The candidates that pass `test` (absent passes iff nothing is
    /// selected: U15). `Between` candidates are judged from the operand
    /// lists, not by building each string: a prefix pattern holds iff it is
    /// a prefix of the candidate's `p`, a suffix pattern iff it is a suffix
    /// of its `s`, and no `Equals` pattern holds.
    fn passing(&self, test: &Test) -> Set {
        let hits_p = |pats: &[Pattern]| -> Vec<bool> {
            self.prefixes
                .iter()
                .map(|p| {
                    pats.iter()
                        .any(|q| matches!(q, Pattern::Prefix(q) if p.starts_with(q.as_str())))
                })
                .collect()
        };
        let hits_s = |pats: &[Pattern]| -> Vec<bool> {
            self.suffixes
                .iter()
                .map(|s| {
                    pats.iter()
                        .any(|q| matches!(q, Pattern::Suffix(q) if s.ends_with(q.as_str())))
                })
                .collect()
        };
        let (sel_p, sel_s) = (hits_p(&test.select), hits_s(&test.select));
        let (des_p, des_s) = (hits_p(&test.deselect), hits_s(&test.deselect));
        let any = test.select.is_empty();
        let hit = |pats: &[Pattern], v: &str| {
            pats.iter().any(|q| match q {
                Pattern::Equals(x) => v == x,
                Pattern::Prefix(x) => v.starts_with(x.as_str()),
                Pattern::Suffix(x) => v.ends_with(x.as_str()),
            })
        };
        let mut set = Set::empty(self.candidates.len());
        for (i, c) in self.candidates.iter().enumerate() {
            let holds = match c {
                Candidate::Absent => any,
                Candidate::Exact(v) => (any || hit(&test.select, v)) && !hit(&test.deselect, v),
                Candidate::Between(p, s) => {
                    (any || sel_p[*p] || sel_s[*s]) && !des_p[*p] && !des_s[*s]
                }
            };
            if holds {
                set.insert(i);
            }
        }
        set
    }
}

/// One condition: the slot it reads and the candidates that pass it.
#[derive(Clone, Debug)]
struct Literal {
    slot: usize,
    passing: Set,
}

/// One conjunction of the normalised form, over candidates.
#[derive(Clone, Debug)]
struct Conjunction {
    literals: Vec<Literal>,
}

/// The candidates of every slot for a group of conjunctions, and those
/// conjunctions over them. Built once for the selectors being compared;
/// then any number of questions "a record that passes these and fails
/// those" are asked of it.
pub(crate) struct Space {
    slots: Vec<Slot>,
    domains: Vec<Domain>,
    conjunctions: Vec<Conjunction>,
}

fn tests_of(s: &IrSelector) -> Vec<(Slot, &Test)> {
    let mut out: Vec<(Slot, &Test)> = s
        .conditions
        .iter()
        .map(|c| (Slot::Scalar(c.field), &c.test))
        .collect();
    if let Some(r) = &s.resource {
        out.extend(r.types.iter().map(|t| (Slot::Type, t)));
        out.extend(r.arns.iter().map(|t| (Slot::Arn, t)));
    }
    out
}

impl Space {
    /// Candidates from every operand of `selectors`; conjunction `i` is
    /// `selectors[i]`.
    pub(crate) fn new(selectors: &[&IrSelector]) -> Space {
        let slots = slots();
        let mut patterns: Vec<Vec<&Pattern>> = vec![Vec::new(); slots.len()];
        for s in selectors {
            for (slot, t) in tests_of(s) {
                patterns[slot_index(slot)].extend(t.select.iter().chain(&t.deselect));
            }
        }
        let domains: Vec<Domain> = slots
            .iter()
            .zip(&patterns)
            .map(|(slot, p)| Domain::new(*slot, p))
            .collect();
        let present = slot_index(Slot::Present);
        let conjunctions = selectors
            .iter()
            .map(|s| {
                let mut literals: Vec<Literal> = tests_of(s)
                    .into_iter()
                    .map(|(slot, t)| {
                        let i = slot_index(slot);
                        Literal {
                            slot: i,
                            passing: domains[i].passing(t),
                        }
                    })
                    .collect();
                if s.resource.is_some() {
                    let mut passing = Set::empty(2);
                    passing.insert(1);
                    literals.push(Literal {
                        slot: present,
                        passing,
                    });
                }
                Conjunction { literals }
            })
            .collect();
        Space {
            slots,
            domains,
            conjunctions,
        }
    }

    /// A record that every conjunction in `pass` holds on and none in
    /// `fail` does, or `None` when there is none. With several `pass`
    /// conjunctions, their resource conditions must hold on the same
    /// element ("the same resources"). Each field of the record is the
    /// smallest candidate left: absent where it may be, else the shortest.
    pub(crate) fn find(&self, pass: &[usize], fail: &[usize]) -> Option<Value> {
        let mut state: Vec<Set> = self
            .domains
            .iter()
            .map(|d| Set::full(d.candidates.len()))
            .collect();
        for &i in pass {
            for l in &self.conjunctions[i].literals {
                state[l.slot].and(&l.passing);
            }
        }
        if state.iter().any(Set::is_empty) {
            return None;
        }
        let fail: Vec<&Conjunction> = fail.iter().map(|&i| &self.conjunctions[i]).collect();
        let mut done = vec![false; fail.len()];
        if !solve(&mut state, &fail, &mut done) {
            return None;
        }
        Some(self.record(&state))
    }

    fn record(&self, state: &[Set]) -> Value {
        let pick = |i: usize| -> Option<String> {
            let d = &self.domains[i];
            state[i]
                .iter()
                .min_by_key(|&k| {
                    // Absent, then an operand, then a made-up value; the
                    // shortest of each.
                    let rank = match d.candidates[k] {
                        Candidate::Absent => 0,
                        Candidate::Exact(_) => 1,
                        Candidate::Between(..) => 2,
                    };
                    (rank, d.value(k).map_or(0, |v| v.chars().count()))
                })
                .and_then(|k| d.value(k))
        };
        let mut r = Map::new();
        let mut element = None;
        for (i, slot) in self.slots.iter().enumerate() {
            match slot {
                Slot::Scalar(f) => {
                    let Some(v) = pick(i) else { continue };
                    let v = match (f, v.as_str()) {
                        (Field::ReadOnly, "true") => Value::Bool(true),
                        (Field::ReadOnly, "false") => Value::Bool(false),
                        _ => Value::String(v),
                    };
                    match f {
                        Field::UserIdentityArn => {
                            let mut u = Map::new();
                            u.insert("arn".into(), v);
                            r.insert("userIdentity".into(), Value::Object(u));
                        }
                        f => {
                            r.insert(f.as_str().into(), v);
                        }
                    }
                }
                Slot::Present => {
                    if pick(i).is_some() {
                        element = Some(Map::new());
                    }
                }
                Slot::Type | Slot::Arn => {}
            }
        }
        if let Some(mut e) = element {
            if let Some(t) = pick(slot_index(Slot::Type)) {
                e.insert("type".into(), Value::String(t));
            }
            if let Some(a) = pick(slot_index(Slot::Arn)) {
                e.insert("ARN".into(), Value::String(a));
            }
            r.insert("resources".into(), Value::Array(vec![Value::Object(e)]));
        }
        Value::Object(r)
    }
}

/// Narrows `state` until every conjunction in `fail` has a condition no
/// allowed candidate passes; false when that cannot be done.
fn solve(state: &mut [Set], fail: &[&Conjunction], done: &mut [bool]) -> bool {
    // The conjunction with the fewest ways to fail goes first: one with
    // none ends the branch at once.
    let mut best: Option<(usize, Vec<usize>)> = None;
    for (k, c) in fail.iter().enumerate() {
        if done[k] {
            continue;
        }
        let mut ways = Vec::new();
        let mut failed = false;
        for (li, l) in c.literals.iter().enumerate() {
            let s = &state[l.slot];
            if !s.intersects(&l.passing) {
                failed = true;
                break;
            }
            if s.escapes(&l.passing) {
                ways.push(li);
            }
        }
        if failed {
            continue;
        }
        if ways.is_empty() {
            return false;
        }
        if best.as_ref().is_none_or(|(_, w)| ways.len() < w.len()) {
            best = Some((k, ways));
        }
    }
    let Some((k, ways)) = best else {
        return true;
    };
    done[k] = true;
    for li in ways {
        let l = &fail[k].literals[li];
        let saved = state[l.slot].clone();
        state[l.slot].and_not(&l.passing);
        if solve(state, fail, done) {
            return true;
        }
        state[l.slot] = saved;
    }
    done[k] = false;
    false
}

/// A witness the compiled program did not decide as the procedure said:
/// a defect in ctsel, reported rather than trusted.
#[derive(Clone, Debug)]
pub struct AnalysisError {
    record: Value,
    expected: String,
}

impl AnalysisError {
    pub(crate) fn new(record: Value, expected: &str) -> AnalysisError {
        AnalysisError {
            record,
            expected: expected.to_string(),
        }
    }
}

impl fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "internal error: the compiled program does not confirm witness {} ({}); please report it",
            self.record, self.expected
        )
    }
}

impl std::error::Error for AnalysisError {}

fn decide(p: &Program, record: &Value) -> Verdict {
    // A record built from strings always parses; if it did not, the
    // verdict would not confirm it and the caller reports that.
    p.decide_bytes(record.to_string().as_bytes())
        .unwrap_or(Verdict::NotGoverned)
}

/// For every conjunction of `logs` that some record passes while no
/// conjunction of `silent` does, one such record.
fn uncovered(logs: &Ir, silent: &[&Ir]) -> Vec<Value> {
    let mut all: Vec<&IrSelector> = logs.selectors.iter().collect();
    let first_silent = all.len();
    for ir in silent {
        all.extend(ir.selectors.iter());
    }
    let space = Space::new(&all);
    let fail: Vec<usize> = (first_silent..all.len()).collect();
    let mut out: Vec<Value> = Vec::new();
    for i in 0..first_silent {
        if let Some(r) = space.find(&[i], &fail) {
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// Whether `a` logs every record `b` logs; when it does not, one witness
/// per selector of `b` that logs records `a` does not, each a record `b`
/// logs and `a` does not, as the compiled programs decide it.
#[derive(Clone, Debug, Default)]
pub struct Containment {
    /// Records `b` logs and `a` does not (`a`'s verdict in [`Witness::a`]).
    pub witnesses: Vec<Witness>,
}

impl Containment {
    /// True when every record `b` logs, `a` logs.
    pub fn holds(&self) -> bool {
        self.witnesses.is_empty()
    }
}

/// Decides whether `a` logs every record that `b` logs, for every record:
/// a proof, not a sample.
///
/// # Examples
///
/// ```
/// use ctsel::{contains, parse_str, validate, ParseOptions, ValidateOptions};
///
/// let set = |t: &str| -> Result<_, Box<dyn std::error::Error>> {
///     Ok(validate(&parse_str("s", t, &ParseOptions::default())?, &ValidateOptions::default())?.selectors)
/// };
/// let all = set(r#"[{"ReadWriteType": "All"}]"#)?;
/// let writes = set(r#"[{"ReadWriteType": "WriteOnly"}]"#)?;
/// assert!(contains(&all, &writes)?.holds());
/// let missing = contains(&writes, &all)?;
/// assert_eq!(missing.witnesses[0].record["readOnly"], true);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`AnalysisError`] if the compiled program does not confirm a witness,
/// which would be a defect in ctsel.
pub fn contains(a: &SelectorSet, b: &SelectorSet) -> Result<Containment, AnalysisError> {
    contains_compiled(&Program::new(a), &Program::new(b))
}

pub(crate) fn contains_compiled(pa: &Program, pb: &Program) -> Result<Containment, AnalysisError> {
    let mut witnesses = Vec::new();
    for record in uncovered(pb.ir(), &[pa.ir()]) {
        let (va, vb) = (decide(pa, &record), decide(pb, &record));
        if va.is_logged() || !vb.is_logged() {
            return Err(AnalysisError::new(
                record,
                "the second configuration logs it and the first does not",
            ));
        }
        witnesses.push(Witness {
            record,
            a: va,
            b: vb,
            given: false,
        });
    }
    Ok(Containment { witnesses })
}

/// Both directions of [`contains`].
#[derive(Clone, Debug, Default)]
pub struct Equivalence {
    /// Records only `a` logs.
    pub only_a: Vec<Witness>,
    /// Records only `b` logs.
    pub only_b: Vec<Witness>,
}

impl Equivalence {
    /// True when `a` and `b` log the same records.
    pub fn holds(&self) -> bool {
        self.only_a.is_empty() && self.only_b.is_empty()
    }
}

/// Decides whether `a` and `b` log exactly the same records.
///
/// # Examples
///
/// ```
/// use ctsel::{equivalent, parse_str, validate, ParseOptions, ValidateOptions};
///
/// let set = |t: &str| -> Result<_, Box<dyn std::error::Error>> {
///     Ok(validate(&parse_str("s", t, &ParseOptions::default())?, &ValidateOptions::default())?.selectors)
/// };
/// let all = set(r#"[{"ReadWriteType": "All"}]"#)?;
/// let both = set(r#"[{"ReadWriteType": "ReadOnly"}, {"ReadWriteType": "WriteOnly"}]"#)?;
/// assert!(equivalent(&all, &both)?.holds());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`contains`].
pub fn equivalent(a: &SelectorSet, b: &SelectorSet) -> Result<Equivalence, AnalysisError> {
    equivalent_compiled(&Program::new(a), &Program::new(b))
}

pub(crate) fn equivalent_compiled(
    pa: &Program,
    pb: &Program,
) -> Result<Equivalence, AnalysisError> {
    let only_b = contains_compiled(pa, pb)?.witnesses;
    let only_a = contains_compiled(pb, pa)?
        .witnesses
        .into_iter()
        .map(|w| Witness {
            a: w.b,
            b: w.a,
            ..w
        })
        .collect();
    Ok(Equivalence { only_a, only_b })
}

/// A record a requirement logs and no configuration does.
#[derive(Clone, Debug)]
pub struct Gap {
    /// The record.
    pub record: Value,
    /// The requirement's verdict (logged).
    pub requirement: Verdict,
    /// Each configuration's verdict (none logged), in order.
    pub configurations: Vec<Verdict>,
}

impl Gap {
    /// `{"record", "requirement", "configurations"}`, the verdicts as
    /// `logged`/`not_logged`, as `ctsel covers --format json` prints it.
    pub fn to_json(&self) -> Value {
        serde_json::json!({"record": self.record, "requirement": self.requirement.as_str(),
            "configurations": self.configurations.iter().map(Verdict::as_str).collect::<Vec<_>>()})
    }
}

/// Whether configurations together log every record a requirement does.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Records the requirement logs and no configuration does.
    pub gaps: Vec<Gap>,
}

impl Coverage {
    /// True when every record the requirement logs, some configuration logs.
    pub fn covered(&self) -> bool {
        self.gaps.is_empty()
    }
}

/// Decides whether the union of `configurations` (a region's trails
/// together) logs every record `requirement` logs.
///
/// # Examples
///
/// ```
/// use ctsel::{covers, parse_str, validate, ParseOptions, ValidateOptions};
///
/// let set = |t: &str| -> Result<_, Box<dyn std::error::Error>> {
///     Ok(validate(&parse_str("s", t, &ParseOptions::default())?, &ValidateOptions::default())?.selectors)
/// };
/// let required = set(r#"[{"ReadWriteType": "All"}]"#)?;
/// let reads = set(r#"[{"ReadWriteType": "ReadOnly"}]"#)?;
/// let writes = set(r#"[{"ReadWriteType": "WriteOnly"}]"#)?;
/// assert!(!covers(&required, &[&reads])?.covered());
/// assert!(covers(&required, &[&reads, &writes])?.covered());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`contains`].
pub fn covers(
    requirement: &SelectorSet,
    configurations: &[&SelectorSet],
) -> Result<Coverage, AnalysisError> {
    let pr = Program::new(requirement);
    let pcs: Vec<Program> = configurations.iter().map(|c| Program::new(c)).collect();
    let irs: Vec<&Ir> = pcs.iter().map(Program::ir).collect();
    let mut gaps = Vec::new();
    for record in uncovered(pr.ir(), &irs) {
        let requirement = decide(&pr, &record);
        let configurations: Vec<Verdict> = pcs.iter().map(|p| decide(p, &record)).collect();
        if !requirement.is_logged() || configurations.iter().any(Verdict::is_logged) {
            return Err(AnalysisError::new(
                record,
                "the requirement logs it and no configuration does",
            ));
        }
        gaps.push(Gap {
            record,
            requirement,
            configurations,
        });
    }
    Ok(Coverage { gaps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Condition, ResourceCondition};

    fn test(select: Vec<Pattern>, deselect: Vec<Pattern>) -> Test {
        Test { select, deselect }
    }

    fn name(t: Test) -> IrSelector {
        IrSelector {
            origin: 0,
            conditions: vec![Condition {
                field: Field::EventName,
                test: t,
            }],
            resource: None,
        }
    }

    #[test]
    fn between_candidates_have_the_profile_of_the_longest_operands() {
        let pats = [
            Pattern::Prefix("ab".into()),
            Pattern::Prefix("a".into()),
            Pattern::Suffix("b".into()),
            Pattern::Equals("ab".into()),
        ];
        let refs: Vec<&Pattern> = pats.iter().collect();
        let d = Domain::new(Slot::Scalar(Field::EventName), &refs);
        assert_eq!(d.c, 'x');
        let values: Vec<Option<String>> = (0..d.candidates.len()).map(|i| d.value(i)).collect();
        assert!(values.contains(&None));
        assert!(values.contains(&Some("ab".into())));
        assert!(values.contains(&Some("abxb".into())));
        assert!(values.contains(&Some("x".into())));
        // The fast judgement agrees with testing the strings themselves.
        let t = test(
            vec![Pattern::Prefix("ab".into())],
            vec![Pattern::Suffix("b".into())],
        );
        let set = d.passing(&t);
        for (i, v) in values.iter().enumerate() {
            let expect = v
                .as_deref()
                .is_some_and(|v| v.starts_with("ab") && !v.ends_with('b'));
            assert_eq!(set.iter().any(|k| k == i), expect, "{v:?}");
        }
    }

    #[test]
    fn a_prefix_is_not_covered_by_a_narrower_prefix() {
        let wide = name(test(vec![Pattern::Prefix("Get".into())], vec![]));
        let narrow = name(test(vec![Pattern::Prefix("GetObject".into())], vec![]));
        let space = Space::new(&[&wide, &narrow]);
        assert!(space.find(&[1], &[0]).is_none());
        let w = space.find(&[0], &[1]).unwrap();
        assert_eq!(w["eventName"], "Getx");
    }

    #[test]
    fn not_equals_is_not_not_starts_with() {
        let arn = |t: Test| IrSelector {
            origin: 0,
            conditions: vec![],
            resource: Some(ResourceCondition {
                types: vec![test(
                    vec![Pattern::Equals("AWS::S3::Object".into())],
                    vec![],
                )],
                arns: vec![t],
            }),
        };
        let not_equals = arn(test(
            vec![],
            vec![Pattern::Equals("arn:aws:s3:::b/".into())],
        ));
        let not_starts = arn(test(
            vec![],
            vec![Pattern::Prefix("arn:aws:s3:::b/".into())],
        ));
        let space = Space::new(&[&not_equals, &not_starts]);
        let w = space.find(&[0], &[1]).unwrap();
        assert_eq!(w["resources"][0]["ARN"], "arn:aws:s3:::b/x");
        // The one ARN NotEquals excludes, NotStartsWith excludes too.
        assert_eq!(space.find(&[1], &[0]), None);
    }

    #[test]
    fn an_empty_conjunction_cannot_fail() {
        let everything = IrSelector {
            origin: 0,
            conditions: vec![],
            resource: None,
        };
        let some = name(test(vec![Pattern::Equals("a".into())], vec![]));
        let space = Space::new(&[&everything, &some]);
        assert!(space.find(&[1], &[0]).is_none());
        assert!(space.find(&[0], &[1]).is_some());
    }

    #[test]
    fn insight_and_absent_category_are_not_candidates() {
        let pats = [Pattern::Equals("Insight".into())];
        let refs: Vec<&Pattern> = pats.iter().collect();
        let d = Domain::new(Slot::Scalar(Field::EventCategory), &refs);
        let values: Vec<Option<String>> = (0..d.candidates.len()).map(|i| d.value(i)).collect();
        assert_eq!(
            values,
            [
                Some("Data".into()),
                Some("Management".into()),
                Some("NetworkActivity".into()),
                Some("x".into())
            ]
        );
    }
}
