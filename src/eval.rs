//! The hot path: a [`Program`] × a record → [`Verdict`].
//!
//! A [`Run`] takes the record's fields in any order, as a scanner meets
//! them: each scalar field is one trie walk that settles every condition on
//! it, and a failed condition kills the selectors that need it. When no
//! selector is left alive ([`Run::is_decided`]) the record cannot be logged
//! and a scanner may stop reading it. [`Run::finish`] treats fields never
//! given as absent (spec §3.5, U13, U15) and derives the category when the
//! record has no `eventCategory` (spec §3.2).
//!
//! A `Run` owns its scratch space and is reused across records with
//! [`Run::reset`], so deciding a record does not allocate.

use crate::compile::{field_index, Bits, MaskTest, Matcher, Program, FIELDS};
use crate::model::Field;
use smallvec::SmallVec;

/// The indices of the selectors that log a record, ascending: a slice of
/// `u32` (most records match one or two, so they are kept inline).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Selectors(SmallVec<[u32; 4]>);

impl std::ops::Deref for Selectors {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        &self.0
    }
}

impl std::fmt::Debug for Selectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl FromIterator<u32> for Selectors {
    /// Sorted and without repeats, whatever the order given.
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Selectors {
        let mut v: SmallVec<[u32; 4]> = iter.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        Selectors(v)
    }
}

impl<'a> IntoIterator for &'a Selectors {
    type Item = &'a u32;
    type IntoIter = std::slice::Iter<'a, u32>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Whether a trail with the program's selectors logs a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Some selector matches.
    Logged {
        /// Indices of the matching selectors in the source set, ascending.
        selectors: Selectors,
        /// An UNCERTAIN rule influenced the outcome (see [`Verdict::assumed`]).
        assumed: bool,
    },
    /// No selector matches.
    NotLogged {
        /// An UNCERTAIN rule influenced the outcome.
        assumed: bool,
    },
    /// An Insight record: event selectors do not decide it (spec §3.1).
    NotGoverned,
}

impl Verdict {
    /// True for [`Verdict::Logged`].
    pub fn is_logged(&self) -> bool {
        matches!(self, Verdict::Logged { .. })
    }

    /// True when the outcome rests on a project choice where AWS is silent:
    /// a missing `readOnly` read as `false` (U13), a category inferred for
    /// an old record (U18), or an absent field passing a DESELECT-only
    /// condition (U15). Precisely: for `Logged`, every matching selector
    /// relied on one; for `NotLogged`, some selector failed only on
    /// conditions that relied on one; an inferred category always counts.
    pub fn assumed(&self) -> bool {
        match self {
            Verdict::Logged { assumed, .. } | Verdict::NotLogged { assumed } => *assumed,
            Verdict::NotGoverned => false,
        }
    }

    /// `"logged"`, `"not_logged"` or `"not_governed"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Logged { .. } => "logged",
            Verdict::NotLogged { .. } => "not_logged",
            Verdict::NotGoverned => "not_governed",
        }
    }

    /// The matching selectors (empty unless logged).
    pub fn selectors(&self) -> &[u32] {
        match self {
            Verdict::Logged { selectors, .. } => selectors,
            _ => &[],
        }
    }
}

// Condition states.
const UNSET: u8 = 0;
const HELD: u8 = 1;
const HELD_ASSUMED: u8 = 2;
const FAILED: u8 = 3;
const FAILED_ASSUMED: u8 = 4;

/// What §3.2 needs to derive a category when `eventCategory` is absent.
#[derive(Clone, Copy, Debug, Default)]
struct Fallback {
    insight_type: bool,
    vpce_type: bool,
    management_event: Option<bool>,
    source_s3: bool,
    source_lambda: bool,
    name_invoke: bool,
    s3_object: bool,
}

/// One record's evaluation in progress. Create with [`Program::run`].
///
/// Fields may be fed in any order, as a streaming reader meets them; once
/// [`Run::is_decided`] is true no later field can change the verdict, so a
/// reader may stop there. A `Run` is reused across records with
/// [`Run::reset`].
///
/// # Examples
///
/// ```
/// use ctsel::{Field, Program, SelectorSet};
///
/// let program = Program::new(&SelectorSet::trail_default());
/// let mut run = program.run();
/// run.scalar(Field::EventCategory, "Management");
/// run.scalar(Field::ReadOnly, "true");
/// assert!(run.finish().is_logged());
///
/// run.reset();
/// run.scalar(Field::EventCategory, "Data");
/// assert!(run.is_decided()); // no management selector can match a data event
/// assert!(!run.finish().is_logged());
/// ```
#[derive(Clone, Debug)]
pub struct Run<'p> {
    p: &'p Program,
    cond: Vec<u8>,
    res: Vec<u8>,
    dead: Bits,
    alive: usize,
    seen: u32,
    category: Option<bool>,
    /// The category the verdict used: given, or derived in `finish`.
    category_name: Option<&'static str>,
    fallback: Fallback,
    atoms: SmallVec<[u32; 16]>,
    type_atoms: SmallVec<[u32; 8]>,
}

impl Program {
    /// A reusable evaluation for this program.
    pub fn run(&self) -> Run<'_> {
        Run {
            p: self,
            cond: vec![UNSET; self.conds.len()],
            res: vec![0; self.res_conds.len()],
            dead: Bits::default(),
            alive: self.sels.len(),
            seen: 0,
            category: None,
            category_name: None,
            fallback: Fallback::default(),
            atoms: SmallVec::new(),
            type_atoms: SmallVec::new(),
        }
    }
}

fn walk(m: &Matcher, value: &[u8], out: &mut SmallVec<impl smallvec::Array<Item = u32>>) {
    out.clear();
    m.walk(value, &mut |a| out.push(a));
}

/// (holds, relies on an assumption) for one test on a value or its absence.
#[inline]
fn test(t: &MaskTest, value: Option<&[u32]>) -> (bool, bool) {
    match value {
        Some(atoms) => {
            let sel = !t.has_select || atoms.iter().any(|a| t.select.get(*a as usize));
            let desel = t.has_deselect && atoms.iter().any(|a| t.deselect.get(*a as usize));
            (sel && !desel, false)
        }
        // Spec U15: an absent field fails every SELECT and satisfies no
        // DESELECT; a DESELECT-only test then holds by assumption.
        None => (!t.has_select, !t.has_select && t.has_deselect),
    }
}

impl<'p> Run<'p> {
    /// Clears the state for the next record.
    pub fn reset(&mut self) {
        self.cond.iter_mut().for_each(|c| *c = UNSET);
        self.res.iter_mut().for_each(|r| *r = 0);
        self.dead.clear();
        self.alive = self.p.sels.len();
        self.seen = 0;
        self.category = None;
        self.category_name = None;
        self.fallback = Fallback::default();
    }

    /// After [`Run::finish`]: the record's category as the verdict used it
    /// (its `eventCategory`, or the category derived by spec §3.2);
    /// `"other"` for an `eventCategory` string outside the four.
    pub fn category(&self) -> Option<&'static str> {
        self.category_name
    }

    /// True when no selector can match any more: the record is not logged
    /// (or not governed), whatever the rest of it says.
    #[inline]
    pub fn is_decided(&self) -> bool {
        self.alive == 0
    }

    /// True when the record may yet turn out to be an Insight record (not
    /// governed) rather than not logged: its `eventCategory` says Insight,
    /// or it has none yet and its `eventType` says Insight.
    pub fn insight_possible(&self) -> bool {
        match self.category {
            Some(insight) => insight,
            None => self.fallback.insight_type,
        }
    }

    fn kill(&mut self, users: &[u32]) {
        for &u in users {
            if !self.dead.get(u as usize) {
                self.dead.set(u as usize);
                self.alive -= 1;
            }
        }
    }

    /// Gives a scalar field's value in its string form (`readOnly` and
    /// `sessionCredentialFromConsole` booleans as `"true"`/`"false"`,
    /// `readOnly` strings lowercased). Only the first value of a field
    /// counts: a repeated key is ignored (first wins, as in the scanner).
    pub fn scalar(&mut self, field: Field, value: &str) {
        self.scalar_bytes(field, value.as_bytes());
    }

    /// As [`Run::scalar`], for a value's raw bytes. Bytes that are not
    /// UTF-8 match no pattern a valid selector has, byte for byte, so the
    /// fast scanner need not check them before deciding.
    pub fn scalar_bytes(&mut self, field: Field, value: &[u8]) {
        let fi = field_index(field);
        if self.seen & (1 << fi) != 0 {
            return;
        }
        self.seen |= 1 << fi;
        match field {
            Field::EventCategory => {
                self.category = Some(value == b"Insight");
                self.category_name = Some(match value {
                    b"Management" => "Management",
                    b"Data" => "Data",
                    b"NetworkActivity" => "NetworkActivity",
                    b"Insight" => "Insight",
                    _ => "other",
                });
            }
            Field::EventType => {
                self.fallback.insight_type = value == b"AwsCloudTrailInsight";
                self.fallback.vpce_type = matches!(value, b"AwsVpceEvent" | b"AwsVpceEvents");
            }
            Field::EventSource => {
                self.fallback.source_s3 = value == b"s3.amazonaws.com";
                self.fallback.source_lambda = value == b"lambda.amazonaws.com";
            }
            Field::EventName => self.fallback.name_invoke = value.starts_with(b"Invoke"),
            _ => {}
        }
        self.settle_bytes(fi, Some(value), false);
    }

    /// Records that a field's first occurrence had no usable value (another
    /// JSON type): it is absent, and later occurrences are ignored.
    pub fn absent(&mut self, field: Field) {
        let fi = field_index(field);
        if self.seen & (1 << fi) != 0 {
            return;
        }
        self.seen |= 1 << fi;
        match field {
            // The category is derived at the end (spec §3.2).
            Field::EventCategory => {}
            Field::ReadOnly => self.settle(fi, Some("false"), true),
            _ => self.settle(fi, None, false),
        }
    }

    fn settle(&mut self, fi: usize, value: Option<&str>, assumed_value: bool) {
        self.settle_bytes(fi, value.map(str::as_bytes), assumed_value);
    }

    fn settle_bytes(&mut self, fi: usize, value: Option<&[u8]>, assumed_value: bool) {
        let p = self.p;
        let conds = &p.by_field[fi];
        if conds.is_empty() {
            return;
        }
        let mut atoms = std::mem::take(&mut self.atoms);
        if let Some(v) = value {
            walk(&p.matchers[fi], v, &mut atoms);
        }
        for &c in conds {
            let cond = &p.conds[c as usize];
            let (holds, assumed) = test(&cond.test, value.map(|_| atoms.as_slice()));
            let assumed = assumed || assumed_value;
            self.cond[c as usize] = match (holds, assumed) {
                (true, false) => HELD,
                (true, true) => HELD_ASSUMED,
                (false, false) => FAILED,
                (false, true) => FAILED_ASSUMED,
            };
            if !holds {
                self.kill(&cond.users);
            }
        }
        self.atoms = atoms;
    }

    /// Gives the record's `managementEvent` boolean.
    pub fn management_event(&mut self, value: bool) {
        if self.fallback.management_event.is_none() {
            self.fallback.management_event = Some(value);
        }
    }

    /// Gives one element of `resources`: its `type` and its ARN (`ARN`, else
    /// `ARNPrefix`), each when it is a string.
    pub fn resource(&mut self, type_: Option<&str>, arn: Option<&str>) {
        if type_ == Some("AWS::S3::Object") {
            self.fallback.s3_object = true;
        }
        let p = self.p;
        if p.res_conds.is_empty() {
            return;
        }
        let mut types = std::mem::take(&mut self.type_atoms);
        let mut arns = std::mem::take(&mut self.atoms);
        if let Some(t) = type_ {
            walk(&p.res_types, t.as_bytes(), &mut types);
        }
        if let Some(a) = arn {
            walk(&p.res_arns, a.as_bytes(), &mut arns);
        }
        for (i, rc) in p.res_conds.iter().enumerate() {
            if self.res[i] == HELD {
                continue;
            }
            let mut ok = true;
            let mut assumed = false;
            for t in &rc.types {
                let (h, a) = test(t, type_.map(|_| types.as_slice()));
                ok &= h;
                assumed |= a;
            }
            for t in &rc.arns {
                let (h, a) = test(t, arn.map(|_| arns.as_slice()));
                ok &= h;
                assumed |= a;
            }
            if ok {
                self.res[i] = if assumed { HELD_ASSUMED } else { HELD };
            }
        }
        self.type_atoms = types;
        self.atoms = arns;
    }

    /// Spec §3.2: (category, inferred).
    fn derived_category(&self) -> (&'static str, bool) {
        let f = &self.fallback;
        if f.insight_type {
            ("Insight", false)
        } else if f.vpce_type {
            ("NetworkActivity", false)
        } else if let Some(m) = f.management_event {
            (if m { "Management" } else { "Data" }, false)
        } else if (f.source_s3 && f.s3_object) || (f.source_lambda && f.name_invoke) {
            ("Data", true)
        } else {
            ("Management", true)
        }
    }

    /// Settles everything not given and returns the verdict.
    pub fn finish(&mut self) -> Verdict {
        let mut inferred = false;
        let insight = match self.category {
            Some(insight) => insight,
            None => {
                let (c, inf) = self.derived_category();
                inferred = inf;
                self.category_name = Some(c);
                self.settle(field_index(Field::EventCategory), Some(c), false);
                c == "Insight"
            }
        };
        if insight {
            return Verdict::NotGoverned;
        }
        for field in Field::ALL {
            let fi = field_index(field);
            if self.seen & (1 << fi) != 0 || field == Field::EventCategory {
                continue;
            }
            if field == Field::ReadOnly {
                // Spec U13: a missing readOnly reads as false, by assumption.
                self.settle(fi, Some("false"), true);
            } else {
                self.settle(fi, None, false);
            }
        }
        let p = self.p;
        for (i, rc) in p.res_conds.iter().enumerate() {
            if self.res[i] == 0 {
                self.kill(&rc.users);
            }
        }
        let mut selectors: SmallVec<[u32; 4]> = SmallVec::new();
        let mut clean_match = false;
        let mut assumption_failure = false;
        for (si, s) in p.sels.iter().enumerate() {
            let res_state = s.res.map_or(HELD, |r| self.res[r as usize]);
            if self.dead.get(si) {
                let mut failed_clean = res_state == 0;
                let mut failed_assumed = false;
                for &c in &s.conds {
                    match self.cond[c as usize] {
                        FAILED => failed_clean = true,
                        FAILED_ASSUMED => failed_assumed = true,
                        _ => {}
                    }
                }
                assumption_failure |= failed_assumed && !failed_clean;
                continue;
            }
            let assumed = res_state == HELD_ASSUMED
                || s.conds
                    .iter()
                    .any(|&c| self.cond[c as usize] == HELD_ASSUMED);
            clean_match |= !assumed;
            // Several branches share an origin (a basic selector's data
            // resources): repeats go after sorting, not by a search per
            // push, which would be quadratic in the selectors that match.
            selectors.push(s.origin);
        }
        if selectors.is_empty() {
            Verdict::NotLogged {
                assumed: inferred || assumption_failure,
            }
        } else {
            selectors.sort_unstable();
            selectors.dedup();
            Verdict::Logged {
                selectors: Selectors(selectors),
                assumed: inferred || !clean_match,
            }
        }
    }
}

const _: () = assert!(FIELDS <= 32, "Run::seen is a u32 bit set");
