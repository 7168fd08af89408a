//! The normalised form: both selector kinds lowered to one shape.
//!
//! A trail logs a record iff some [`IrSelector`] holds (OR). An
//! `IrSelector` holds iff every [`Condition`] on a scalar field holds and its
//! [`ResourceCondition`], if any, holds (AND). A condition holds iff some
//! SELECT pattern matches (or there is none) and no DESELECT pattern matches
//! (spec §3.5).
//!
//! Basic selectors lower as spec §3.4 reads (one basic selector may become
//! several `IrSelector`s with the same `origin`):
//! * `IncludeManagementEvents` → a Management branch: `eventCategory` =
//!   Management, `readOnly` from `ReadWriteType`, and `eventSource`
//!   DESELECTs from `ExcludeManagementEventSources`;
//! * each `DataResource` with values → a Data branch: `eventCategory` = Data,
//!   `readOnly`, and a resource condition of type `Type` whose ARN starts
//!   with an S3 value, or equals a Lambda/DynamoDB value; the "all" forms
//!   drop the ARN test (S3: any `arn:<p>:s3:::` ARN).
//!
//! The lowering is total: it is defined for selector sets that did not pass
//! validation too (a repeated field is one more AND-ed condition), so that
//! the compiled program and the reference interpreter can be compared on
//! anything.

use crate::model::{
    AdvancedSelector, BasicSelector, Category, Field, Operator, ReadWriteType, SelectorSet,
};
use std::fmt;

/// A string test with its operand.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pattern {
    /// The value equals the operand.
    Equals(String),
    /// The value starts with the operand.
    Prefix(String),
    /// The value ends with the operand.
    Suffix(String),
}

impl Pattern {
    fn from_operator(op: Operator, value: &str) -> Pattern {
        match op {
            Operator::Equals | Operator::NotEquals => Pattern::Equals(value.to_string()),
            Operator::StartsWith | Operator::NotStartsWith => Pattern::Prefix(value.to_string()),
            Operator::EndsWith | Operator::NotEndsWith => Pattern::Suffix(value.to_string()),
        }
    }

    /// The operand.
    pub fn operand(&self) -> &str {
        match self {
            Pattern::Equals(s) | Pattern::Prefix(s) | Pattern::Suffix(s) => s,
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Equals(s) => write!(f, "= {s:?}"),
            Pattern::Prefix(s) => write!(f, "^ {s:?}"),
            Pattern::Suffix(s) => write!(f, "$ {s:?}"),
        }
    }
}

/// SELECT and DESELECT patterns on one value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Test {
    /// At least one must match, unless empty.
    pub select: Vec<Pattern>,
    /// None may match.
    pub deselect: Vec<Pattern>,
}

impl Test {
    fn add(&mut self, op: Operator, values: &[String]) {
        let target = if op.is_negative() {
            &mut self.deselect
        } else {
            &mut self.select
        };
        target.extend(values.iter().map(|v| Pattern::from_operator(op, v)));
    }

    fn equals(values: &[&str]) -> Test {
        Test {
            select: values
                .iter()
                .map(|v| Pattern::Equals(v.to_string()))
                .collect(),
            deselect: Vec::new(),
        }
    }
}

/// A test on one scalar record field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Condition {
    /// The field; never `resources.type` or `resources.ARN`.
    pub field: Field,
    /// What its value must satisfy.
    pub test: Test,
}

/// A test over the elements of `resources`: some element's `type` passes
/// every type test and its ARN (`ARN`, else `ARNPrefix`) every ARN test.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ResourceCondition {
    /// Tests on the element's `type` (one in valid selectors).
    pub types: Vec<Test>,
    /// Tests on the element's ARN.
    pub arns: Vec<Test>,
}

/// One conjunction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IrSelector {
    /// Index of the selector it came from.
    pub origin: usize,
    /// Scalar conditions, AND-ed.
    pub conditions: Vec<Condition>,
    /// The resource condition, if the selector tests `resources`.
    pub resource: Option<ResourceCondition>,
}

/// The normalised form of a selector set: a disjunction of conjunctions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ir {
    /// The conjunctions.
    pub selectors: Vec<IrSelector>,
    /// Number of selectors in the source set (origins are below this).
    pub origins: usize,
}

impl Ir {
    /// Lowers a selector set.
    pub fn lower(set: &SelectorSet) -> Ir {
        let mut selectors = Vec::new();
        match set {
            SelectorSet::Basic(v) => {
                for (i, s) in v.iter().enumerate() {
                    lower_basic(i, s, &mut selectors);
                }
            }
            SelectorSet::Advanced(v) => {
                for (i, s) in v.iter().enumerate() {
                    selectors.push(lower_advanced(i, s));
                }
            }
        }
        Ir {
            selectors,
            origins: set.len(),
        }
    }
}

impl Ir {
    /// Several selector sets as one: the selectors of `sets[k]` keep their
    /// order and are numbered after those of the sets before it, so a
    /// verdict's selector indices say which sets log a record.
    pub fn union(sets: &[&SelectorSet]) -> Ir {
        let mut selectors = Vec::new();
        let mut origins = 0;
        for set in sets {
            let ir = Ir::lower(set);
            selectors.extend(ir.selectors.into_iter().map(|mut s| {
                s.origin += origins;
                s
            }));
            origins += ir.origins;
        }
        Ir { selectors, origins }
    }
}

/// For a basic data-resource value that is a whole-type "all" form (spec
/// §2.6), the ARN prefix it stands for: `Some("arn:<p>:s3:::")` for S3,
/// `Some("")` (any ARN, or none) for Lambda and DynamoDB.
pub fn basic_all_form(type_: &str, value: &str) -> Option<String> {
    let rest = value.strip_prefix("arn:")?;
    let (partition, service) = rest.split_once(':')?;
    if !crate::validate::arn::is_partition(partition) {
        return None;
    }
    match (type_, service) {
        ("AWS::S3::Object", "s3" | "s3:::") => Some(format!("arn:{partition}:s3:::")),
        ("AWS::Lambda::Function", "lambda") | ("AWS::DynamoDB::Table", "dynamodb") => {
            Some(String::new())
        }
        _ => None,
    }
}

fn read_write(rw: ReadWriteType) -> Option<Condition> {
    let v = match rw {
        ReadWriteType::All => return None,
        ReadWriteType::ReadOnly => "true",
        ReadWriteType::WriteOnly => "false",
    };
    Some(Condition {
        field: Field::ReadOnly,
        test: Test::equals(&[v]),
    })
}

fn category(c: Category) -> Condition {
    Condition {
        field: Field::EventCategory,
        test: Test::equals(&[c.as_str()]),
    }
}

fn lower_basic(origin: usize, s: &BasicSelector, out: &mut Vec<IrSelector>) {
    let rw = read_write(s.read_write_type);
    if s.include_management_events {
        let mut conditions = vec![category(Category::Management)];
        conditions.extend(rw.clone());
        if !s.exclude_management_event_sources.is_empty() {
            conditions.push(Condition {
                field: Field::EventSource,
                test: Test {
                    select: Vec::new(),
                    deselect: s
                        .exclude_management_event_sources
                        .iter()
                        .map(|e| Pattern::Equals(e.clone()))
                        .collect(),
                },
            });
        }
        out.push(IrSelector {
            origin,
            conditions,
            resource: None,
        });
    }
    for dr in &s.data_resources {
        if dr.values.is_empty() {
            continue; // selects nothing (spec §1.3)
        }
        let mut arn = Test::default();
        let mut any_arn = false;
        for v in &dr.values {
            match basic_all_form(&dr.type_, v) {
                Some(p) if p.is_empty() => any_arn = true,
                Some(p) => arn.select.push(Pattern::Prefix(p)),
                None if dr.type_ == "AWS::S3::Object" => {
                    arn.select.push(Pattern::Prefix(v.clone()))
                }
                None => arn.select.push(Pattern::Equals(v.clone())),
            }
        }
        let mut conditions = vec![category(Category::Data)];
        conditions.extend(rw.clone());
        out.push(IrSelector {
            origin,
            conditions,
            resource: Some(ResourceCondition {
                types: vec![Test::equals(&[dr.type_.as_str()])],
                arns: if any_arn { Vec::new() } else { vec![arn] },
            }),
        });
    }
}

fn lower_advanced(origin: usize, s: &AdvancedSelector) -> IrSelector {
    let mut conditions = Vec::new();
    let mut resource = ResourceCondition::default();
    for f in &s.field_selectors {
        let mut test = Test::default();
        for (op, values) in &f.operators {
            test.add(*op, values);
        }
        match f.field {
            Field::ResourcesType => resource.types.push(test),
            Field::ResourcesArn => resource.arns.push(test),
            field => conditions.push(Condition { field, test }),
        }
    }
    let has_resource = !resource.types.is_empty() || !resource.arns.is_empty();
    IrSelector {
        origin,
        conditions,
        resource: has_resource.then_some(resource),
    }
}

impl fmt::Display for Ir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let test = |t: &Test| {
            let s: Vec<String> = t.select.iter().map(|p| p.to_string()).collect();
            let d: Vec<String> = t.deselect.iter().map(|p| format!("not {p}")).collect();
            [s.join(" | "), d.join(" & ")]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(" & ")
        };
        for s in &self.selectors {
            writeln!(f, "selector {}:", s.origin)?;
            for c in &s.conditions {
                writeln!(f, "  {}: {}", c.field, test(&c.test))?;
            }
            if let Some(r) = &s.resource {
                let types: Vec<String> = r.types.iter().map(test).collect();
                let arns: Vec<String> = r.arns.iter().map(test).collect();
                writeln!(
                    f,
                    "  some resource: type {} ; ARN {}",
                    types.join(" ; "),
                    if arns.is_empty() {
                        "any".into()
                    } else {
                        arns.join(" ; ")
                    }
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BasicDataResource;

    #[test]
    fn basic_selectors_lower_to_branches() {
        let set = SelectorSet::Basic(vec![BasicSelector {
            read_write_type: ReadWriteType::WriteOnly,
            include_management_events: true,
            exclude_management_event_sources: vec!["kms.amazonaws.com".into()],
            data_resources: vec![
                BasicDataResource {
                    type_: "AWS::S3::Object".into(),
                    values: vec!["arn:aws:s3:::b/".into(), "arn:aws:s3".into()],
                },
                BasicDataResource {
                    type_: "AWS::Lambda::Function".into(),
                    values: vec!["arn:aws:lambda".into()],
                },
                BasicDataResource {
                    type_: "AWS::DynamoDB::Table".into(),
                    values: vec![],
                },
            ],
        }]);
        let ir = Ir::lower(&set);
        assert_eq!(ir.selectors.len(), 3, "{ir}");
        assert!(ir.selectors.iter().all(|s| s.origin == 0));
        let mgmt = &ir.selectors[0];
        assert_eq!(mgmt.conditions.len(), 3);
        assert_eq!(
            mgmt.conditions[2].test.deselect,
            [Pattern::Equals("kms.amazonaws.com".into())]
        );
        let s3 = ir.selectors[1].resource.as_ref().unwrap();
        assert_eq!(
            s3.arns[0].select,
            [
                Pattern::Prefix("arn:aws:s3:::b/".into()),
                Pattern::Prefix("arn:aws:s3:::".into())
            ]
        );
        let lambda = ir.selectors[2].resource.as_ref().unwrap();
        assert!(lambda.arns.is_empty());
    }

    #[test]
    fn all_forms() {
        assert_eq!(
            basic_all_form("AWS::S3::Object", "arn:aws-cn:s3"),
            Some("arn:aws-cn:s3:::".into())
        );
        assert_eq!(
            basic_all_form("AWS::S3::Object", "arn:aws:s3:::"),
            Some("arn:aws:s3:::".into())
        );
        assert_eq!(basic_all_form("AWS::S3::Object", "arn:aws:s3:::b/"), None);
        assert_eq!(
            basic_all_form("AWS::Lambda::Function", "arn:aws:lambda"),
            Some(String::new())
        );
        assert_eq!(basic_all_form("AWS::Lambda::Function", "arn:aws:s3"), None);
    }
}
