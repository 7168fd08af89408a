//! The exact containment procedure against brute force: random small
//! configurations over a tiny alphabet, and every record over that
//! alphabet enumerated and decided by the compiled program.
//!
//! Operands are `""`, `"a"` and `"b"`; record values are every string of
//! length up to 2 over `{a, b, x}`, and absence. That set is complete for
//! such operands: every combination of atoms a string can satisfy, one of
//! these satisfies (`x` stands for the characters no operand uses).
//! Records carry no resource element, one, or two, so the procedure's
//! "one element suffices" is tested too, not assumed. `readOnly` is
//! absent, a boolean, or a string that reads as one.

use ctsel::{
    basic_to_advanced, contains, covers, equivalent, AdvancedSelector, BasicDataResource,
    BasicSelector, DiffOptions, Differ, Field, FieldCondition, Operator, Program, ReadWriteType,
    SelectorSet,
};
use serde_json::{json, Map, Value};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Clone>(&mut self, v: &[T]) -> T {
        v[self.below(v.len())].clone()
    }
}

const OPERANDS: [&str; 3] = ["a", "b", ""];
const TYPES: [&str; 2] = ["AWS::S3::Object", "AWS::Lambda::Function"];
const OPS: [Operator; 6] = [
    Operator::Equals,
    Operator::StartsWith,
    Operator::EndsWith,
    Operator::NotEquals,
    Operator::NotStartsWith,
    Operator::NotEndsWith,
];

fn strings() -> Vec<String> {
    let mut out = vec![String::new()];
    for a in ["a", "b", "x"] {
        out.push(a.to_string());
        for b in ["a", "b", "x"] {
            out.push(format!("{a}{b}"));
        }
    }
    out
}

fn operands(rng: &mut Rng) -> Vec<String> {
    let mut v: Vec<String> = (0..1 + rng.below(2))
        .map(|_| rng.pick(&OPERANDS).to_string())
        .collect();
    v.dedup();
    v
}

fn string_condition(rng: &mut Rng, field: Field) -> FieldCondition {
    let mut operators: Vec<(Operator, Vec<String>)> = Vec::new();
    for _ in 0..1 + rng.below(2) {
        let op = rng.pick(&OPS);
        if operators.iter().all(|(o, _)| *o != op) {
            operators.push((op, operands(rng)));
        }
    }
    FieldCondition { field, operators }
}

fn equals(field: Field, values: &[&str]) -> FieldCondition {
    FieldCondition {
        field,
        operators: vec![(
            Operator::Equals,
            values.iter().map(|v| v.to_string()).collect(),
        )],
    }
}

fn advanced_selector(rng: &mut Rng) -> AdvancedSelector {
    let data = rng.chance(50);
    let mut fs = vec![equals(
        Field::EventCategory,
        &[if data { "Data" } else { "Management" }],
    )];
    if rng.chance(40) {
        fs.push(equals(Field::ReadOnly, &[rng.pick(&["true", "false"])]));
    }
    if rng.chance(50) {
        fs.push(string_condition(rng, Field::EventSource));
    }
    if data {
        let t = rng.pick(&TYPES);
        fs.push(if rng.chance(80) {
            equals(Field::ResourcesType, &[t])
        } else {
            FieldCondition {
                field: Field::ResourcesType,
                operators: vec![(Operator::NotEquals, vec![t.to_string()])],
            }
        });
        if rng.chance(70) {
            fs.push(string_condition(rng, Field::ResourcesArn));
        }
    }
    AdvancedSelector {
        name: None,
        field_selectors: fs,
    }
}

fn basic_selector(rng: &mut Rng) -> BasicSelector {
    let mut data_resources = Vec::new();
    for _ in 0..rng.below(3) {
        let type_ = rng.pick(&TYPES).to_string();
        // The Lambda "all functions" form adds no operand; S3's would add
        // `arn:aws:s3:::`, outside the alphabet.
        let forms: &[&str] = if type_ == "AWS::Lambda::Function" {
            &["a", "b", "arn:aws:lambda"]
        } else {
            &["a", "b"]
        };
        let mut values: Vec<String> = (0..1 + rng.below(2))
            .map(|_| rng.pick(forms).to_string())
            .collect();
        values.dedup();
        data_resources.push(BasicDataResource { type_, values });
    }
    BasicSelector {
        read_write_type: rng.pick(&[
            ReadWriteType::All,
            ReadWriteType::ReadOnly,
            ReadWriteType::WriteOnly,
        ]),
        include_management_events: rng.chance(60),
        exclude_management_event_sources: if rng.chance(30) {
            vec![rng.pick(&["a", "b"]).to_string()]
        } else {
            Vec::new()
        },
        data_resources,
    }
}

fn random_set(rng: &mut Rng, basic: bool) -> SelectorSet {
    let n = 1 + rng.below(3);
    if basic {
        SelectorSet::Basic((0..n).map(|_| basic_selector(rng)).collect())
    } else {
        SelectorSet::Advanced((0..n).map(|_| advanced_selector(rng)).collect())
    }
}

fn any_set(rng: &mut Rng) -> SelectorSet {
    let basic = rng.chance(35);
    random_set(rng, basic)
}

/// A rewrite that logs the same records: reorder, repeat, split a
/// `readOnly` list, add a narrowed copy, or convert basic to advanced.
fn same_records(rng: &mut Rng, set: &SelectorSet) -> SelectorSet {
    match set {
        SelectorSet::Basic(v) => {
            if rng.chance(50) {
                if let Ok(adv) = basic_to_advanced(v) {
                    return SelectorSet::Advanced(adv);
                }
            }
            let mut v = v.clone();
            v.reverse();
            if rng.chance(50) {
                let copy = v[0].clone();
                v.push(copy);
            }
            SelectorSet::Basic(v)
        }
        SelectorSet::Advanced(v) => {
            let mut v = v.clone();
            match rng.below(3) {
                0 => v.reverse(),
                1 if v[0]
                    .field_selectors
                    .iter()
                    .all(|f| f.field != Field::ReadOnly) =>
                {
                    // Its read and its write halves, beside it: each is
                    // narrower, so the union is unchanged.
                    let mut reads = v[0].clone();
                    let mut writes = v[0].clone();
                    reads
                        .field_selectors
                        .push(equals(Field::ReadOnly, &["true"]));
                    writes
                        .field_selectors
                        .push(equals(Field::ReadOnly, &["false"]));
                    v.push(reads);
                    v.push(writes);
                }
                _ => {
                    let mut narrowed = v[0].clone();
                    narrowed
                        .field_selectors
                        .push(string_condition(rng, Field::EventName));
                    v.push(narrowed);
                }
            }
            SelectorSet::Advanced(v)
        }
    }
}

/// A small change that usually changes what is logged.
fn mutated(rng: &mut Rng, set: &SelectorSet) -> SelectorSet {
    match set {
        SelectorSet::Basic(v) => {
            let mut v = v.clone();
            let i = rng.below(v.len());
            match rng.below(3) {
                0 => v[i].include_management_events = !v[i].include_management_events,
                1 => v[i].read_write_type = ReadWriteType::All,
                _ => {
                    v[i].data_resources.pop();
                }
            }
            SelectorSet::Basic(v)
        }
        SelectorSet::Advanced(v) => {
            let mut v = v.clone();
            let i = rng.below(v.len());
            let s = &mut v[i];
            let k = rng.below(s.field_selectors.len());
            match rng.below(3) {
                0 if s.field_selectors[k].field != Field::EventCategory => {
                    s.field_selectors.remove(k);
                }
                // Only free-string fields change operator: the others
                // take Equals in valid selectors, and their operands
                // are outside the alphabet.
                1 if matches!(
                    s.field_selectors[k].field,
                    Field::EventSource | Field::ResourcesArn
                ) =>
                {
                    let f = &mut s.field_selectors[k];
                    if let Some((op, _)) = f.operators.first_mut() {
                        *op = rng.pick(&OPS);
                    }
                }
                _ if matches!(
                    s.field_selectors[k].field,
                    Field::EventSource | Field::ResourcesArn
                ) =>
                {
                    if let Some((_, values)) = s.field_selectors[k].operators.first_mut() {
                        let extra = rng.pick(&OPERANDS).to_string();
                        if !values.contains(&extra) {
                            values.push(extra);
                        }
                    }
                }
                _ => {
                    v.remove(i);
                    if v.is_empty() {
                        v.push(advanced_selector(rng));
                    }
                }
            }
            SelectorSet::Advanced(v)
        }
    }
}

/// Every record over the alphabet: category, readOnly, eventSource and
/// zero, one or two resource elements.
fn records() -> Vec<Vec<u8>> {
    let values = strings();
    let mut opt: Vec<Option<String>> = vec![None];
    opt.extend(values.iter().cloned().map(Some));
    let categories = [
        None,
        Some("Management"),
        Some("Data"),
        Some("Insight"),
        Some("x"),
    ];
    // readOnly is a boolean in CloudTrail records; a string reads as its
    // lowercase. Other strings are malformed and outside the space the
    // procedure proves over (see `contain`).
    let read_only = [
        None,
        Some(json!(true)),
        Some(json!(false)),
        Some(json!("TRUE")),
    ];
    let mut types: Vec<Option<&str>> = vec![None, Some("x")];
    types.extend(TYPES.iter().map(|t| Some(*t)));
    let element = |t: Option<&str>, a: &Option<String>| {
        let mut e = Map::new();
        if let Some(t) = t {
            e.insert("type".into(), json!(t));
        }
        if let Some(a) = a {
            e.insert("ARN".into(), json!(a));
        }
        Value::Object(e)
    };
    let mut lists: Vec<Option<Vec<Value>>> = vec![None];
    let mut singles = Vec::new();
    for t in &types {
        for a in &opt {
            singles.push(element(*t, a));
        }
    }
    lists.extend(singles.iter().map(|e| Some(vec![e.clone()])));
    // Two elements: every pair of typed elements with a short ARN.
    let typed: Vec<&Value> = singles
        .iter()
        .filter(|e| {
            e.get("type").is_some_and(|t| t != "x")
                && e.get("ARN")
                    .and_then(Value::as_str)
                    .is_some_and(|a| a.len() == 1)
        })
        .collect();
    for x in &typed {
        for y in &typed {
            lists.push(Some(vec![(*x).clone(), (*y).clone()]));
        }
    }
    let mut out = Vec::new();
    for c in &categories {
        for r in &read_only {
            for s in &opt {
                for l in &lists {
                    let mut m = Map::new();
                    if let Some(c) = c {
                        m.insert("eventCategory".into(), json!(c));
                    }
                    if let Some(r) = r {
                        m.insert("readOnly".into(), r.clone());
                    }
                    if let Some(s) = s {
                        m.insert("eventSource".into(), json!(s));
                    }
                    if let Some(l) = l {
                        m.insert("resources".into(), Value::Array(l.clone()));
                    }
                    out.push(Value::Object(m).to_string().into_bytes());
                }
            }
        }
    }
    out
}

fn logged(set: &SelectorSet, records: &[Vec<u8>]) -> Vec<bool> {
    let p = Program::new(set);
    records
        .iter()
        .map(|r| {
            p.decide_bytes(r)
                .expect("generated records parse")
                .is_logged()
        })
        .collect()
}

fn subset(b: &[bool], a: &[bool]) -> bool {
    b.iter().zip(a).all(|(x, y)| !x || *y)
}

fn confirmed<T>(r: Result<T, ctsel::AnalysisError>, a: &SelectorSet, b: &SelectorSet) -> T {
    r.unwrap_or_else(|e| panic!("{e}\na = {}\nb = {}", a.to_json(), b.to_json()))
}

fn pairs() -> usize {
    std::env::var("CTSEL_BRUTE_FORCE_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

#[test]
fn containment_agrees_with_brute_force() {
    let records = records();
    assert!(records.len() > 10_000, "{}", records.len());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut equal, mut unequal, mut one_way) = (0, 0, 0);
    for case in 0..pairs() {
        let a = any_set(&mut rng);
        let b = match rng.below(10) {
            0..=3 => same_records(&mut rng, &a),
            4..=6 => mutated(&mut rng, &a),
            _ => any_set(&mut rng),
        };
        let (la, lb) = (logged(&a, &records), logged(&b, &records));
        let brute = (subset(&lb, &la), subset(&la, &lb));
        let proved = (
            confirmed(contains(&a, &b), &a, &b).holds(),
            confirmed(contains(&b, &a), &b, &a).holds(),
        );
        assert_eq!(
            proved,
            brute,
            "case {case}: (a ⊇ b, b ⊇ a) proved {proved:?}, brute force {brute:?}\na = {}\nb = {}",
            a.to_json(),
            b.to_json()
        );
        let eq = equivalent(&a, &b).expect("confirmed");
        assert_eq!(eq.holds(), brute.0 && brute.1);
        match brute {
            (true, true) => {
                equal += 1;
                // The sampling search must never find what the proof rules out.
                let report = Differ::new(&a, &b).generated(&DiffOptions {
                    samples: 300,
                    ..DiffOptions::default()
                });
                assert!(
                    report.equivalent(),
                    "case {case}: sampling found {:?}",
                    report.witnesses[0].record
                );
            }
            (true, false) | (false, true) => one_way += 1,
            (false, false) => unequal += 1,
        }
    }
    // Coverage guard: both answers, and one-way containment, occur often.
    let n = pairs();
    assert!(equal * 5 >= n, "only {equal} of {n} pairs equivalent");
    assert!(
        unequal * 5 >= n,
        "only {unequal} of {n} pairs differ both ways"
    );
    assert!(
        one_way * 20 >= n,
        "only {one_way} of {n} pairs contained one way"
    );
}

#[test]
fn coverage_of_a_union_agrees_with_brute_force() {
    let records = records();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut covered, mut uncovered, mut only_together) = (0, 0, 0);
    for case in 0..pairs() / 2 {
        let req = any_set(&mut rng);
        let c1 = mutated(&mut rng, &req);
        let c2 = if rng.chance(50) {
            mutated(&mut rng, &req)
        } else {
            any_set(&mut rng)
        };
        let (lr, l1, l2) = (
            logged(&req, &records),
            logged(&c1, &records),
            logged(&c2, &records),
        );
        let union: Vec<bool> = l1.iter().zip(&l2).map(|(x, y)| *x || *y).collect();
        let brute = subset(&lr, &union);
        let proved = covers(&req, &[&c1, &c2]).expect("confirmed").covered();
        assert_eq!(
            proved,
            brute,
            "case {case}\nrequirement = {}\nc1 = {}\nc2 = {}",
            req.to_json(),
            c1.to_json(),
            c2.to_json()
        );
        if brute {
            covered += 1;
            if !subset(&lr, &l1) && !subset(&lr, &l2) {
                only_together += 1;
            }
        } else {
            uncovered += 1;
        }
    }
    assert!(
        covered >= 10 && uncovered >= 10,
        "{covered} covered, {uncovered} not"
    );
    assert!(only_together >= 1, "no case covered only by the union");
}
