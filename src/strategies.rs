//! Public [proptest](mod@proptest) strategies for selectors (and, in [`records`], for
//! CloudTrail records aimed at them), so that users can test their own
//! configurations the way ctsel tests itself.
//!
//! Values are drawn from small pools on purpose: buckets, event names and
//! ARNs share prefixes and suffixes (`logs` / `logs-1`, `PutObject` /
//! `PutObjectAcl`), so that generated records land on, next to, and just
//! past the selectors' values, where matching bugs live.
//!
//! Every selector set these strategies produce passes [`crate::validate()`],
//! including sets at the 5-selector, 250-value and 500-value limits.
//!
//! ```
//! use ctsel::strategies::selector_set;
//! use proptest::prelude::*;
//!
//! proptest!(ProptestConfig::with_cases(8), |(set in selector_set())| {
//!     let json = set.to_json().to_string();
//!     let doc = ctsel::parse_str("gen", &json, &ctsel::ParseOptions {
//!         kind: Some(set.kind()),
//!         ..Default::default()
//!     }).unwrap();
//!     prop_assert!(ctsel::validate(&doc, &Default::default()).is_ok());
//! });
//! ```

pub mod records;

use crate::model::{
    AdvancedSelector, BasicDataResource, BasicSelector, Category, Field, FieldCondition, Operator,
    ReadWriteType, SelectorSet,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

/// Bucket names; several share prefixes.
pub const BUCKETS: &[&str] = &[
    "logs",
    "logs-1",
    "data",
    "data-bkt",
    "amzn-s3-demo-bucket",
    "bkt",
];
/// Object keys and key prefixes.
pub const KEYS: &[&str] = &["", "a", "a/b", "img/", "img/1.jpg", "x.gz", "deselect/1"];
/// Lambda function names.
pub const FUNCTIONS: &[&str] = &["fn", "fn2", "helloworld", "helloworld2"];
/// DynamoDB table names.
pub const TABLES: &[&str] = &["tab", "Music", "Music2"];
/// Event names; several share prefixes.
pub const EVENT_NAMES: &[&str] = &[
    "PutObject",
    "PutObjectAcl",
    "GetObject",
    "DeleteObject",
    "DeleteObjects",
    "Invoke",
    "InvokeAsync",
    "GetItem",
    "PutItem",
    "ListKeys",
    "Decrypt",
    "CreateUser",
    "Publish",
    "ConsoleLogin",
];
/// Event sources.
pub const EVENT_SOURCES: &[&str] = &[
    "s3.amazonaws.com",
    "lambda.amazonaws.com",
    "dynamodb.amazonaws.com",
    "kms.amazonaws.com",
    "rdsdata.amazonaws.com",
    "ec2.amazonaws.com",
    "iam.amazonaws.com",
    "sns.amazonaws.com",
    "signin.amazonaws.com",
];
/// NetworkActivity event sources used by the strategies (a subset of the catalogue).
pub const NETWORK_SOURCES: &[&str] = &[
    "kms.amazonaws.com",
    "ec2.amazonaws.com",
    "s3.amazonaws.com",
    "secretsmanager.amazonaws.com",
    "cloudtrail.amazonaws.com",
];
/// `userIdentity.arn` values.
pub const USER_ARNS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:user/alice2",
    "arn:aws:sts::111122223333:assumed-role/Admin/s",
    "arn:aws:sts::111122223333:assumed-role/HumanRole/x",
];
/// `vpcEndpointId` values.
pub const VPC_ENDPOINTS: &[&str] = &["vpce-1", "vpce-12", "vpce-abc"];
/// `eventType` values.
pub const EVENT_TYPES: &[&str] = &[
    "AwsApiCall",
    "AwsServiceEvent",
    "AwsConsoleAction",
    "AwsConsoleSignIn",
    "AwsVpceEvent",
];
/// `resources.type` values used by advanced strategies.
pub const RESOURCE_TYPES: &[&str] = &[
    "AWS::S3::Object",
    "AWS::Lambda::Function",
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::Stream",
    "AWS::SNS::Topic",
    "AWS::S3::AccessPoint",
];

/// Full ARNs of resources of `type_` built from the pools.
pub fn arns_of(type_: &str) -> Vec<String> {
    match type_ {
        "AWS::S3::Object" => BUCKETS
            .iter()
            .flat_map(|b| KEYS.iter().map(move |k| format!("arn:aws:s3:::{b}/{k}")))
            .collect(),
        "AWS::S3::Bucket" => BUCKETS.iter().map(|b| format!("arn:aws:s3:::{b}")).collect(),
        "AWS::Lambda::Function" => FUNCTIONS
            .iter()
            .map(|f| format!("arn:aws:lambda:us-east-1:111122223333:function:{f}"))
            .collect(),
        "AWS::DynamoDB::Table" => TABLES
            .iter()
            .map(|t| format!("arn:aws:dynamodb:us-east-1:111122223333:table/{t}"))
            .collect(),
        "AWS::DynamoDB::Stream" => TABLES
            .iter()
            .map(|t| format!("arn:aws:dynamodb:us-east-1:111122223333:table/{t}/stream/2024-01-01T00:00:00.000"))
            .collect(),
        "AWS::SNS::Topic" => ["alerts", "alerts-2"]
            .iter()
            .map(|t| format!("arn:aws:sns:us-east-1:111122223333:{t}"))
            .collect(),
        _ => ["ap", "ap-2"]
            .iter()
            .map(|a| format!("arn:aws:s3:us-east-1:111122223333:accesspoint/{a}"))
            .collect(),
    }
}

/// The pool of record values for a field (resources.ARN of `type_`).
pub fn pool(field: Field, type_: &str) -> Vec<String> {
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    match field {
        Field::EventName => own(EVENT_NAMES),
        Field::EventSource => own(EVENT_SOURCES),
        Field::EventType => own(EVENT_TYPES),
        Field::UserIdentityArn => own(USER_ARNS),
        Field::VpcEndpointId => own(VPC_ENDPOINTS),
        Field::ResourcesArn => arns_of(type_),
        Field::ReadOnly | Field::SessionCredentialFromConsole => own(&["true", "false"]),
        Field::ErrorCode => own(&["VpceAccessDenied", "AccessDenied"]),
        Field::ResourcesType => own(RESOURCE_TYPES),
        Field::EventCategory => own(&["Management", "Data", "NetworkActivity"]),
    }
}

/// A value for `op` drawn from `pool`: whole values for Equals/NotEquals,
/// non-empty prefixes or suffixes for the others.
fn operand(op: Operator, pool: Vec<String>) -> impl Strategy<Value = String> {
    (select(pool), 1usize..40).prop_map(move |(v, n)| {
        let chars: Vec<char> = v.chars().collect();
        let n = n.min(chars.len()).max(1);
        match shape(op) {
            0 => v,
            1 => chars[..n].iter().collect(),
            _ => chars[chars.len() - n..].iter().collect(),
        }
    })
}

/// 0 = whole value, 1 = prefix, 2 = suffix.
fn shape(op: Operator) -> u8 {
    match op {
        Operator::Equals | Operator::NotEquals => 0,
        Operator::StartsWith | Operator::NotStartsWith => 1,
        Operator::EndsWith | Operator::NotEndsWith => 2,
    }
}

/// One to three operators, each with one to three values from `pool`.
fn free_condition(
    field: Field,
    allowed: &'static [Operator],
    pool: Vec<String>,
) -> impl Strategy<Value = FieldCondition> {
    subsequence(allowed, 1..=allowed.len().min(3))
        .prop_flat_map(move |ops| {
            let lists: Vec<_> = ops
                .iter()
                .map(|op| {
                    let op = *op;
                    proptest::collection::vec(operand(op, pool.clone()), 1..=3)
                        .prop_map(move |vals| (op, vals))
                })
                .collect();
            lists
        })
        .prop_map(move |operators| FieldCondition { field, operators })
}

fn equals(field: Field, values: &[&str]) -> FieldCondition {
    FieldCondition {
        field,
        operators: vec![(
            Operator::Equals,
            values.iter().map(|s| s.to_string()).collect(),
        )],
    }
}

const ALL_OPS: &[Operator] = &Operator::ALL;
const EQ_NE: &[Operator] = &[Operator::Equals, Operator::NotEquals];

fn optional(
    s: impl Strategy<Value = FieldCondition> + 'static,
) -> BoxedStrategy<Option<FieldCondition>> {
    proptest::option::weighted(0.4, s).boxed()
}

/// A valid advanced selector of `category`.
pub fn advanced_selector_of(category: Category) -> BoxedStrategy<AdvancedSelector> {
    let head = equals(Field::EventCategory, &[category.as_str()]);
    let extras: BoxedStrategy<(Vec<FieldCondition>, Vec<Option<FieldCondition>>)> = match category {
        Category::Management => {
            let read_only = select(vec![vec!["true"], vec!["false"], vec!["true", "false"]])
                .prop_map(|v| equals(Field::ReadOnly, &v));
            let excl = subsequence(vec!["kms.amazonaws.com", "rdsdata.amazonaws.com"], 1..=2)
                .prop_map(|v| FieldCondition {
                    field: Field::EventSource,
                    operators: vec![(
                        Operator::NotEquals,
                        v.into_iter().map(String::from).collect(),
                    )],
                });
            (Just(vec![head]), vec![optional(read_only), optional(excl)]).boxed()
        }
        Category::Data => select(RESOURCE_TYPES)
            .prop_flat_map(move |t| {
                let fixed = vec![head.clone(), equals(Field::ResourcesType, &[t])];
                let read_only =
                    select(vec!["true", "false"]).prop_map(|v| equals(Field::ReadOnly, &[v]));
                let session = (select(EQ_NE), Just("true")).prop_map(|(op, v)| FieldCondition {
                    field: Field::SessionCredentialFromConsole,
                    operators: vec![(op, vec![v.to_string()])],
                });
                let free = |f: Field| optional(free_condition(f, ALL_OPS, pool(f, t)));
                (
                    Just(fixed),
                    vec![
                        optional(read_only),
                        free(Field::EventName),
                        free(Field::EventSource),
                        free(Field::EventType),
                        free(Field::UserIdentityArn),
                        free(Field::ResourcesArn),
                        optional(session),
                    ],
                )
            })
            .boxed(),
        Category::NetworkActivity => select(NETWORK_SOURCES)
            .prop_flat_map(move |s| {
                let fixed = vec![head.clone(), equals(Field::EventSource, &[s])];
                let error = Just(equals(Field::ErrorCode, &["VpceAccessDenied"]));
                let free = |f: Field| optional(free_condition(f, ALL_OPS, pool(f, "")));
                (
                    Just(fixed),
                    vec![
                        free(Field::EventName),
                        optional(error),
                        free(Field::VpcEndpointId),
                        free(Field::UserIdentityArn),
                    ],
                )
            })
            .boxed(),
        // Event data store kinds select by category alone.
        Category::Insight
        | Category::ConfigurationItem
        | Category::Evidence
        | Category::ActivityAuditLog => Just((vec![head], Vec::new())).boxed(),
    };
    (extras, any::<bool>(), any::<u32>())
        .prop_map(move |((mut fields, optional), named, seed)| {
            fields.extend(optional.into_iter().flatten());
            // Field order does not matter to AWS; vary it deterministically.
            let n = fields.len();
            fields.rotate_left(seed as usize % n);
            AdvancedSelector {
                name: named.then(|| format!("{category} selector {seed}")),
                field_selectors: fields,
            }
        })
        .boxed()
}

/// A valid advanced selector of any category.
pub fn advanced_selector() -> impl Strategy<Value = AdvancedSelector> {
    prop_oneof![
        2 => advanced_selector_of(Category::Management),
        5 => advanced_selector_of(Category::Data),
        2 => advanced_selector_of(Category::NetworkActivity),
    ]
}

fn advanced_values(v: &[AdvancedSelector]) -> usize {
    v.iter()
        .flat_map(|s| &s.field_selectors)
        .flat_map(|f| &f.operators)
        .map(|(_, vals)| vals.len())
        .sum()
}

/// A valid advanced selector set: one to six selectors, and in about one
/// case in eight, padded to exactly the 500-value limit.
pub fn advanced_selector_set() -> impl Strategy<Value = SelectorSet> {
    (
        proptest::collection::vec(advanced_selector(), 1..=6),
        proptest::bool::weighted(0.125),
    )
        .prop_map(|(mut v, pad)| {
            let used = advanced_values(&v);
            if pad && used + 3 <= advanced::MAX_VALUES {
                let n = advanced::MAX_VALUES - used - 2;
                v.push(AdvancedSelector {
                    name: Some("padding to the 500-value limit".into()),
                    field_selectors: vec![
                        equals(Field::EventCategory, &["Data"]),
                        equals(Field::ResourcesType, &["AWS::S3::Object"]),
                        FieldCondition {
                            field: Field::ResourcesArn,
                            operators: vec![(
                                Operator::StartsWith,
                                (0..n).map(|i| format!("arn:aws:s3:::pad-{i}/")).collect(),
                            )],
                        },
                    ],
                });
            }
            SelectorSet::Advanced(v)
        })
}

/// The "all" value of a basic type.
fn all_value(type_: &str) -> &'static str {
    match type_ {
        "AWS::S3::Object" => "arn:aws:s3",
        "AWS::Lambda::Function" => "arn:aws:lambda",
        _ => "arn:aws:dynamodb",
    }
}

/// A valid basic data resource: zero to four values, sometimes the "all" form.
pub fn basic_data_resource() -> impl Strategy<Value = BasicDataResource> {
    select(
        &[
            "AWS::S3::Object",
            "AWS::Lambda::Function",
            "AWS::DynamoDB::Table",
        ][..],
    )
    .prop_flat_map(|t| {
        let values: BoxedStrategy<String> = match t {
            "AWS::S3::Object" => prop_oneof![
                1 => select(vec!["arn:aws:s3".to_string(), "arn:aws:s3:::".to_string()]),
                6 => (select(BUCKETS), select(KEYS), 0usize..12).prop_map(|(b, k, n)| {
                    let k: String = k.chars().take(n).collect();
                    format!("arn:aws:s3:::{b}/{k}")
                }),
            ]
            .boxed(),
            _ => prop_oneof![
                1 => Just(all_value(t).to_string()),
                4 => select(arns_of(t)),
            ]
            .boxed(),
        };
        proptest::collection::vec(values, 0..=4).prop_map(move |values| BasicDataResource {
            type_: t.to_string(),
            values,
        })
    })
}

/// A valid basic selector.
pub fn basic_selector() -> impl Strategy<Value = BasicSelector> {
    (
        select(
            &[
                ReadWriteType::All,
                ReadWriteType::ReadOnly,
                ReadWriteType::WriteOnly,
            ][..],
        ),
        proptest::bool::weighted(0.6),
        proptest::collection::vec(basic_data_resource(), 0..=3),
        subsequence(vec!["kms.amazonaws.com", "rdsdata.amazonaws.com"], 0..=2),
    )
        .prop_map(|(rw, mgmt, drs, excl)| BasicSelector {
            read_write_type: rw,
            // E7: without management events a selector needs a DataResource.
            include_management_events: mgmt || drs.is_empty(),
            data_resources: drs,
            exclude_management_event_sources: excl.into_iter().map(String::from).collect(),
        })
}

fn basic_counted(v: &[BasicSelector]) -> usize {
    v.iter()
        .flat_map(|s| &s.data_resources)
        .flat_map(|d| &d.values)
        .filter(|x| {
            !matches!(
                x.as_str(),
                "arn:aws:s3" | "arn:aws:s3:::" | "arn:aws:lambda" | "arn:aws:dynamodb"
            )
        })
        .count()
}

/// A valid basic selector set: one to five selectors, and in about one case
/// in eight, padded to exactly the 250-value limit.
pub fn basic_selector_set() -> impl Strategy<Value = SelectorSet> {
    (
        proptest::collection::vec(basic_selector(), 1..=5),
        proptest::bool::weighted(0.125),
    )
        .prop_map(|(mut v, pad)| {
            let used = basic_counted(&v);
            if pad && used < basic::MAX_VALUES {
                v[0].data_resources.push(BasicDataResource {
                    type_: "AWS::S3::Object".into(),
                    values: (0..basic::MAX_VALUES - used)
                        .map(|i| format!("arn:aws:s3:::pad-{i}/"))
                        .collect(),
                });
            }
            SelectorSet::Basic(v)
        })
}

/// A valid selector set of either kind.
pub fn selector_set() -> impl Strategy<Value = SelectorSet> {
    prop_oneof![basic_selector_set(), advanced_selector_set()]
}

/// The limits the strategies respect, re-exported for tests.
pub mod basic {
    /// Counted `DataResources.Values` per trail.
    pub const MAX_VALUES: usize = 250;
}

/// The limits the strategies respect, re-exported for tests.
pub mod advanced {
    /// Condition values per trail.
    pub const MAX_VALUES: usize = 500;
}
