//! Compiles the normalised form into a [`Program`]: per-field tries whose
//! one walk yields the satisfied patterns (atoms), conditions as atom masks,
//! and selectors as lists of conditions.
//!
//! The decision then costs one trie walk per record field the selectors
//! read, plus a few bit tests per condition, whatever the number of values:
//! a 500-value `NotStartsWith` list is one walk, not 500 comparisons.
//! Identical conditions in several selectors (every Data selector's
//! `eventCategory` test) are compiled once.

pub mod trie;

use crate::ir::{Ir, Pattern, Test};
use crate::model::{Field, SelectorSet};
use smallvec::SmallVec;
use std::collections::HashMap;
use std::fmt;
use trie::Trie;

/// A small bit set (two inline words: 128 members without allocating).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bits(SmallVec<[u64; 2]>);

impl Bits {
    pub(crate) fn set(&mut self, i: usize) {
        let w = i / 64;
        if self.0.len() <= w {
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << (i % 64);
    }

    #[inline]
    pub(crate) fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub(crate) fn clear(&mut self) {
        self.0.iter_mut().for_each(|w| *w = 0);
    }
}

/// Patterns on one value, compiled: atom `i` is `patterns[i]`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Matcher {
    forward: Trie,
    backward: Trie,
    pub(crate) patterns: Vec<Pattern>,
    index: HashMap<Pattern, u32>,
}

impl Matcher {
    fn atom(&mut self, p: &Pattern) -> u32 {
        if let Some(a) = self.index.get(p) {
            return *a;
        }
        let a = u32::try_from(self.patterns.len()).unwrap_or(u32::MAX);
        match p {
            Pattern::Equals(s) => self.forward.insert(s.bytes(), a, false),
            Pattern::Prefix(s) => self.forward.insert(s.bytes(), a, true),
            Pattern::Suffix(s) => self.backward.insert(s.bytes().rev(), a, true),
        }
        self.patterns.push(p.clone());
        self.index.insert(p.clone(), a);
        a
    }

    /// Calls `hit` for every atom `value` satisfies.
    #[inline]
    pub(crate) fn walk(&self, value: &[u8], hit: &mut impl FnMut(u32)) {
        self.forward.walk(value.iter().copied(), hit);
        if !self.backward.is_empty() {
            self.backward.walk(value.iter().rev().copied(), hit);
        }
    }
}

/// A SELECT/DESELECT test compiled to atom masks of one matcher.
#[derive(Clone, Debug, Default)]
pub(crate) struct MaskTest {
    pub(crate) select: Bits,
    pub(crate) deselect: Bits,
    pub(crate) has_select: bool,
    pub(crate) has_deselect: bool,
}

impl MaskTest {
    fn new(m: &mut Matcher, t: &Test) -> MaskTest {
        let mut out = MaskTest {
            has_select: !t.select.is_empty(),
            has_deselect: !t.deselect.is_empty(),
            ..MaskTest::default()
        };
        for p in &t.select {
            out.select.set(m.atom(p) as usize);
        }
        for p in &t.deselect {
            out.deselect.set(m.atom(p) as usize);
        }
        out
    }
}

/// A scalar condition.
#[derive(Clone, Debug)]
pub(crate) struct Cond {
    pub(crate) field: Field,
    pub(crate) test: MaskTest,
    /// Compiled selectors that require this condition.
    pub(crate) users: Vec<u32>,
}

/// A resource condition: some element passes every type and ARN test.
#[derive(Clone, Debug)]
pub(crate) struct ResCond {
    pub(crate) types: Vec<MaskTest>,
    pub(crate) arns: Vec<MaskTest>,
    pub(crate) users: Vec<u32>,
}

/// A compiled conjunction.
#[derive(Clone, Debug)]
pub(crate) struct Sel {
    pub(crate) origin: u32,
    pub(crate) conds: Vec<u32>,
    pub(crate) res: Option<u32>,
}

/// Number of scalar fields a program may read (all fields but `resources.*`).
pub(crate) const FIELDS: usize = Field::ALL.len();

pub(crate) fn field_index(f: Field) -> usize {
    f.index()
}

/// Selectors compiled into a decision program. Immutable, `Send + Sync`;
/// share one behind an `Arc` (or a reference) across threads.
///
/// # Examples
/// ```
/// use ctsel::{Program, SelectorSet, Verdict};
/// use ctsel::record::RecordView;
///
/// let program = Program::new(&SelectorSet::trail_default());
/// let record = br#"{"eventCategory":"Management","eventName":"RunInstances","readOnly":false}"#;
/// let view = RecordView::parse(record).unwrap();
/// assert!(matches!(program.decide(&view), Verdict::Logged { .. }));
/// ```
#[derive(Clone, Debug)]
pub struct Program {
    pub(crate) ir: Ir,
    pub(crate) matchers: Vec<Matcher>,
    /// Conditions on each field (by `field_index`), as indices into `conds`.
    pub(crate) by_field: [Vec<u32>; FIELDS],
    pub(crate) conds: Vec<Cond>,
    pub(crate) res_types: Matcher,
    pub(crate) res_arns: Matcher,
    pub(crate) res_conds: Vec<ResCond>,
    pub(crate) sels: Vec<Sel>,
    pub(crate) origins: usize,
}

impl Program {
    /// Compiles a selector set (valid or not: the program is defined for
    /// any set, see the normalised form in `ir`).
    pub fn new(set: &SelectorSet) -> Program {
        Program::from_ir(Ir::lower(set))
    }

    /// One program for several selector sets, each record decided once for
    /// all of them: the selectors of `sets[k]` are numbered after those of
    /// the sets before it (a router's routes). Conditions the sets share
    /// are compiled once.
    ///
    /// # Examples
    ///
    /// ```
    /// use ctsel::{Program, SelectorSet};
    ///
    /// let all = SelectorSet::trail_default();
    /// let program = Program::union(&[&all, &all]);
    /// let v = program.decide_bytes(br#"{"eventCategory":"Management"}"#)?;
    /// assert_eq!(v.selectors(), [0, 1]);
    /// # Ok::<(), ctsel::ScanError>(())
    /// ```
    pub fn union(sets: &[&SelectorSet]) -> Program {
        Program::from_ir(Ir::union(sets))
    }

    /// The program of a trail whose selectors were never set (spec §3.3).
    pub fn trail_default() -> Program {
        Program::new(&SelectorSet::trail_default())
    }

    /// Compiles a normalised form.
    pub fn from_ir(ir: Ir) -> Program {
        let mut matchers: Vec<Matcher> = (0..FIELDS).map(|_| Matcher::default()).collect();
        let mut by_field: [Vec<u32>; FIELDS] = Default::default();
        let mut conds: Vec<Cond> = Vec::new();
        let mut cond_index: HashMap<(Field, Test), u32> = HashMap::new();
        let mut res_types = Matcher::default();
        let mut res_arns = Matcher::default();
        let mut res_conds: Vec<ResCond> = Vec::new();
        let mut sels = Vec::with_capacity(ir.selectors.len());
        for (si, s) in ir.selectors.iter().enumerate() {
            let si = u32::try_from(si).unwrap_or(u32::MAX);
            let mut sel = Sel {
                origin: u32::try_from(s.origin).unwrap_or(u32::MAX),
                conds: Vec::with_capacity(s.conditions.len()),
                res: None,
            };
            for c in &s.conditions {
                let key = (c.field, c.test.clone());
                let id = match cond_index.get(&key) {
                    Some(id) => *id,
                    None => {
                        let fi = field_index(c.field);
                        let id = u32::try_from(conds.len()).unwrap_or(u32::MAX);
                        conds.push(Cond {
                            field: c.field,
                            test: MaskTest::new(&mut matchers[fi], &c.test),
                            users: Vec::new(),
                        });
                        by_field[fi].push(id);
                        cond_index.insert(key, id);
                        id
                    }
                };
                if !sel.conds.contains(&id) {
                    sel.conds.push(id);
                    conds[id as usize].users.push(si);
                }
            }
            if let Some(r) = &s.resource {
                let id = u32::try_from(res_conds.len()).unwrap_or(u32::MAX);
                res_conds.push(ResCond {
                    types: r
                        .types
                        .iter()
                        .map(|t| MaskTest::new(&mut res_types, t))
                        .collect(),
                    arns: r
                        .arns
                        .iter()
                        .map(|t| MaskTest::new(&mut res_arns, t))
                        .collect(),
                    users: vec![si],
                });
                sel.res = Some(id);
            }
            sels.push(sel);
        }
        Program {
            origins: ir.origins,
            ir,
            matchers,
            by_field,
            conds,
            res_types,
            res_arns,
            res_conds,
            sels,
        }
    }

    /// The normalised form the program was compiled from.
    pub fn ir(&self) -> &Ir {
        &self.ir
    }

    /// Number of selectors in the source set; verdict indices are below it.
    pub fn selector_count(&self) -> usize {
        self.origins
    }

    /// True when some selector tests `field` (`resources.type` and
    /// `resources.ARN` are read as one joint condition).
    pub fn reads(&self, field: Field) -> bool {
        !self.by_field[field_index(field)].is_empty()
    }
}

impl fmt::Display for Program {
    /// The compiled program, for debugging (`ctsel match --dump`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "program: {} source selectors, {} conjunctions, {} conditions, {} resource conditions",
            self.origins,
            self.sels.len(),
            self.conds.len(),
            self.res_conds.len()
        )?;
        let mut out = String::new();
        let dump_matcher = |name: &str, m: &Matcher, out: &mut String| {
            if m.patterns.is_empty() {
                return;
            }
            out.push_str(&format!(
                "  field {name}: {} atoms, trie {} nodes, suffix trie {} nodes\n",
                m.patterns.len(),
                m.forward.len(),
                m.backward.len()
            ));
            for (i, p) in m.patterns.iter().enumerate() {
                out.push_str(&format!("    atom {i}: {p}\n"));
            }
        };
        for field in Field::ALL {
            dump_matcher(field.as_str(), &self.matchers[field_index(field)], &mut out);
        }
        dump_matcher("resources.type", &self.res_types, &mut out);
        dump_matcher("resources.ARN", &self.res_arns, &mut out);
        f.write_str(&out)?;
        let mask = |t: &MaskTest| {
            let bits = |b: &Bits| {
                (0..b.0.len() * 64)
                    .filter(|i| b.get(*i))
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            format!(
                "select {{{}}} deselect {{{}}}",
                bits(&t.select),
                bits(&t.deselect)
            )
        };
        for (i, c) in self.conds.iter().enumerate() {
            writeln!(f, "  condition c{i}: {} {}", c.field, mask(&c.test))?;
        }
        for (i, r) in self.res_conds.iter().enumerate() {
            let types: Vec<String> = r.types.iter().map(mask).collect();
            let arns: Vec<String> = r.arns.iter().map(mask).collect();
            writeln!(
                f,
                "  resource condition r{i}: some element with type [{}] and ARN [{}]",
                types.join("; "),
                arns.join("; ")
            )?;
        }
        for (i, s) in self.sels.iter().enumerate() {
            let conds: Vec<String> = s.conds.iter().map(|c| format!("c{c}")).collect();
            let res = s.res.map(|r| format!(" & r{r}")).unwrap_or_default();
            writeln!(
                f,
                "  conjunction {i} (selector {}): {}{res}",
                s.origin,
                conds.join(" & ")
            )?;
        }
        Ok(())
    }
}
