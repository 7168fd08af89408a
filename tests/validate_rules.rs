//! A property holds: every validation rule of spec §2 and §10 rejects its
//! failing case with the expected exception, message and pointer, and
//! accepts its passing neighbour. Verbatim AWS messages are compared to the
//! byte. One line per case.

use ctsel::{check, parse_str, ParseOptions, Provenance, ValidateOptions};

/// Expected first error: (rule, exception, message, pointer, provenance).
type Expect = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Provenance,
);

const IEE: &str = "InvalidEventSelectorsException";
const PVE: &str = "ParamValidationError";
use Provenance::{Derived, Project, Verbatim};

fn first_error(json: &str) -> Option<ctsel::Diagnostic> {
    let doc = parse_str("case.json", json, &ParseOptions::default()).expect("case is JSON");
    let (report, set) = check(&doc, &ValidateOptions::default());
    assert_eq!(report.is_valid(), set.is_some());
    report.errors.into_iter().next()
}

fn rejects(json: &str, (rule, exception, message, pointer, provenance): Expect) {
    let Some(e) = first_error(json) else {
        panic!("accepted, expected {rule}: {json}")
    };
    assert_eq!(e.rule, rule, "{json}\n{e:?}");
    assert_eq!(e.exception, exception, "{json}");
    assert_eq!(e.message, message, "{json}");
    assert_eq!(e.pointer.as_str(), pointer, "{json}");
    assert_eq!(e.provenance, provenance, "{json}");
}

fn accepts(json: &str) {
    if let Some(e) = first_error(json) {
        panic!("rejected {json}\n{e:?}");
    }
}

const MGMT: &str = r#"{"Field":"eventCategory","Equals":["Management"]}"#;
const DATA_S3: &str = r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}"#;

fn adv(fields: &str) -> String {
    format!(r#"[{{"Name":"n","FieldSelectors":[{fields}]}}]"#)
}

fn bucket_values(n: usize) -> String {
    (0..n)
        .map(|i| format!("\"arn:aws:s3:::b{i}/\""))
        .collect::<Vec<_>>()
        .join(",")
}

// ---- Layer A (spec §2.1) ----

#[test]
fn layer_a_missing_trail_name() {
    rejects(
        r#"{"EventSelectors":[{}]}"#,
        (
            "layer-a",
            PVE,
            r#"Missing required parameter in input: "TrailName""#,
            "",
            Verbatim,
        ),
    );
    accepts(r#"{"TrailName":"my-trail","EventSelectors":[{}]}"#);
}

#[test]
fn layer_a_missing_field_selectors_and_field() {
    rejects(
        r#"[{"Name":"x"}]"#,
        (
            "layer-a",
            PVE,
            r#"Missing required parameter in AdvancedEventSelectors[0]: "FieldSelectors""#,
            "/0",
            Verbatim,
        ),
    );
    rejects(
        r#"[{"FieldSelectors":[{"Equals":["Management"]}]}]"#,
        (
            "layer-a",
            PVE,
            r#"Missing required parameter in AdvancedEventSelectors[0].FieldSelectors[0]: "Field""#,
            "/0/FieldSelectors/0",
            Verbatim,
        ),
    );
    accepts(&adv(MGMT));
}

#[test]
fn layer_a_min_lengths() {
    rejects(
        r#"[{"FieldSelectors":[]}]"#,
        ("layer-a", PVE, "Invalid length for parameter AdvancedEventSelectors[0].FieldSelectors, value: 0, valid min length: 1", "/0/FieldSelectors", Verbatim),
    );
    rejects(
        r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":[]}]}]"#,
        ("layer-a", PVE, "Invalid length for parameter AdvancedEventSelectors[0].FieldSelectors[0].Equals, value: 0, valid min length: 1", "/0/FieldSelectors/0/Equals", Verbatim),
    );
    rejects(
        r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":[""]}]}]"#,
        ("layer-a", PVE, "Invalid length for parameter AdvancedEventSelectors[0].FieldSelectors[0].Equals[0], value: 0, valid min length: 1", "/0/FieldSelectors/0/Equals/0", Verbatim),
    );
    rejects(
        r#"[{"FieldSelectors":[{"Field":"","Equals":["x"]}]}]"#,
        ("layer-a", PVE, "Invalid length for parameter AdvancedEventSelectors[0].FieldSelectors[0].Field, value: 0, valid min length: 1", "/0/FieldSelectors/0/Field", Verbatim),
    );
    // Name may be empty (spec U20).
    accepts(&format!(r#"[{{"Name":"","FieldSelectors":[{MGMT}]}}]"#));
}

#[test]
fn layer_a_unknown_parameters() {
    rejects(
        r#"[{"FieldSelectors":[{"Field":"eventCategory","Equal":["Management"]}]}]"#,
        (
            "layer-a",
            PVE,
            r#"Unknown parameter in AdvancedEventSelectors[0].FieldSelectors[0]: "Equal", must be one of: Field, Equals, StartsWith, EndsWith, NotEquals, NotStartsWith, NotEndsWith"#,
            "/0/FieldSelectors/0/Equal",
            Verbatim,
        ),
    );
    rejects(
        r#"[{"ReadWriteType":"All","Foo":1}]"#,
        (
            "layer-a",
            PVE,
            r#"Unknown parameter in EventSelectors[0]: "Foo", must be one of: ReadWriteType, IncludeManagementEvents, DataResources, ExcludeManagementEventSources"#,
            "/0/Foo",
            Verbatim,
        ),
    );
}

#[test]
fn layer_a_wrong_types() {
    rejects(
        r#"[{"IncludeManagementEvents":"true"}]"#,
        ("layer-a", PVE, "Invalid type for parameter EventSelectors[0].IncludeManagementEvents, value: true, type: <class 'str'>, valid types: <class 'bool'>", "/0/IncludeManagementEvents", Verbatim),
    );
    rejects(
        r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":"arn:aws:s3"}]}]"#,
        ("layer-a", PVE, "Invalid type for parameter EventSelectors[0].DataResources[0].Values, value: arn:aws:s3, type: <class 'str'>, valid types: <class 'list'>, <class 'tuple'>", "/0/DataResources/0/Values", Verbatim),
    );
    rejects(
        r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":[true]}]}]"#,
        ("layer-a", PVE, "Invalid type for parameter AdvancedEventSelectors[0].FieldSelectors[0].Equals[0], value: True, type: <class 'bool'>, valid types: <class 'str'>", "/0/FieldSelectors/0/Equals/0", Verbatim),
    );
}

#[test]
fn layer_a_reports_every_problem_together_in_botocore_order() {
    let doc = parse_str(
        "x",
        r#"[{"Bad":1,"FieldSelectors":[{"Field":"","Equals":[]}]}]"#,
        &ParseOptions::default(),
    )
    .unwrap();
    let (report, _) = check(&doc, &ValidateOptions::default());
    let lines: Vec<&str> = report.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        lines,
        [
            r#"Unknown parameter in AdvancedEventSelectors[0]: "Bad", must be one of: Name, FieldSelectors"#,
            "Invalid length for parameter AdvancedEventSelectors[0].FieldSelectors[0].Field, value: 0, valid min length: 1",
            "Invalid length for parameter AdvancedEventSelectors[0].FieldSelectors[0].Equals, value: 0, valid min length: 1",
        ]
    );
}

// ---- Common rules (spec §2.2) ----

#[test]
fn b1_both_kinds() {
    rejects(
        &format!(r#"{{"TrailName":"t-1","EventSelectors":[{{}}],"AdvancedEventSelectors":[{{"FieldSelectors":[{MGMT}]}}]}}"#),
        ("B1", IEE, "You can select events by using either EventSelectors or AdvancedEventSelectors, but not both.", "", Verbatim),
    );
    // A get-event-selectors response may carry both keys with one empty.
    accepts(&format!(
        r#"{{"TrailARN":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t","EventSelectors":[],"AdvancedEventSelectors":[{{"FieldSelectors":[{MGMT}]}}]}}"#
    ));
}

#[test]
fn b2_neither_kind() {
    rejects(
        r#"{"TrailName":"my-trail"}"#,
        (
            "B2",
            IEE,
            "Specify a valid number of event selectors (1 to 5) for a trail.",
            "",
            Project,
        ),
    );
}

#[test]
fn b3_trail_name() {
    rejects(
        r#"{"TrailName":"ab","EventSelectors":[{}]}"#,
        ("B3", "InvalidTrailNameException", "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.", "", Project),
    );
    rejects(
        r#"{"TrailName":"a..b","EventSelectors":[{}]}"#,
        (
            "B3",
            "InvalidTrailNameException",
            "Trail name cannot contain consecutive special characters.",
            "",
            Project,
        ),
    );
    rejects(
        r#"{"TrailName":"arn:aws:cloudtrail:us-east-1:1:trail/t","EventSelectors":[{}]}"#,
        (
            "B3",
            "CloudTrailARNInvalidException",
            "arn:aws:cloudtrail:us-east-1:1:trail/t is not a valid trail ARN.",
            "",
            Project,
        ),
    );
    accepts(
        r#"{"TrailName":"arn:aws:cloudtrail:us-east-1:111122223333:trail/my-trail","EventSelectors":[{}]}"#,
    );
    accepts(r#"{"TrailName":"My_Trail-1.prod","EventSelectors":[{}]}"#);
}

// ---- Basic rules (spec §2.3) ----

#[test]
fn e1_selector_count() {
    rejects(
        "[{},{},{},{},{},{}]",
        (
            "E1",
            IEE,
            "Specify a valid number of event selectors (1 to 5) for a trail.",
            "/5",
            Project,
        ),
    );
    rejects(
        "[]",
        (
            "E1",
            IEE,
            "Specify a valid number of event selectors (1 to 5) for a trail.",
            "",
            Project,
        ),
    );
    accepts("[{},{},{},{},{}]");
    accepts("[{}]");
}

#[test]
fn e2_read_write_type() {
    rejects(
        r#"[{"ReadWriteType":"read-only"}]"#,
        (
            "E2",
            IEE,
            "Value read-only for ReadWriteType is invalid.",
            "/0/ReadWriteType",
            Project,
        ),
    );
    for ok in ["ReadOnly", "WriteOnly", "All"] {
        accepts(&format!(r#"[{{"ReadWriteType":"{ok}"}}]"#));
    }
}

#[test]
fn e3_data_resource_type() {
    rejects(
        r#"[{"DataResources":[{"Type":"AWS::SQS::Queue","Values":["arn:aws:sqs:us-east-1:111122223333:q"]}]}]"#,
        (
            "E3",
            IEE,
            "Value AWS::SQS::Queue for DataResources.Type is invalid.",
            "/0/DataResources/0/Type",
            Verbatim,
        ),
    );
    for t in [
        "AWS::S3::Object",
        "AWS::Lambda::Function",
        "AWS::DynamoDB::Table",
    ] {
        accepts(&format!(
            r#"[{{"DataResources":[{{"Type":"{t}","Values":[]}}]}}]"#
        ));
    }
}

#[test]
fn e4_data_resource_values() {
    for bad in [
        "arn:aws:s3:::data-bucket",
        "arn:aws:s3:::*",
        "arn:aws:s3:::*/*",
        "bucket-name/",
    ] {
        rejects(
            &format!(
                r#"[{{"DataResources":[{{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::ok/","{bad}"]}}]}}]"#
            ),
            (
                "E4",
                IEE,
                Box::leak(
                    format!("Value {bad} for DataResources.Values is invalid.").into_boxed_str(),
                ),
                "/0/DataResources/0/Values/1",
                Verbatim,
            ),
        );
    }
    rejects(
        r#"[{"DataResources":[{"Type":"AWS::Lambda::Function","Values":["arn:aws:lambda:*"]}]}]"#,
        (
            "E4",
            IEE,
            "Value arn:aws:lambda:* for DataResources.Values is invalid.",
            "/0/DataResources/0/Values/0",
            Verbatim,
        ),
    );
    for ok in [
        "arn:aws:s3",
        "arn:aws:s3:::",
        "arn:aws:s3:::b/",
        "arn:aws:s3:::b/prefix",
        "arn:aws-cn:s3:::b/",
    ] {
        accepts(&format!(
            r#"[{{"DataResources":[{{"Type":"AWS::S3::Object","Values":["{ok}"]}}]}}]"#
        ));
    }
    accepts(
        r#"[{"DataResources":[{"Type":"AWS::Lambda::Function","Values":["arn:aws:lambda","arn:aws:lambda:us-west-2:111111111111:function:helloworld"]}]}]"#,
    );
    accepts(
        r#"[{"DataResources":[{"Type":"AWS::DynamoDB::Table","Values":["arn:aws:dynamodb:us-east-1:111122223333:table/Music"]}]}]"#,
    );
}

#[test]
fn e5_two_hundred_fifty_values() {
    let over = (0..5)
        .map(|s| {
            format!(
                r#"{{"DataResources":[{{"Type":"AWS::S3::Object","Values":[{}]}}]}}"#,
                bucket_values(if s == 0 { 51 } else { 50 })
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    rejects(
        &format!("[{over}]"),
        (
            "E5",
            IEE,
            "Specify a valid number of DataResources.Values (0 to 250) for all your selectors",
            "/4/DataResources/0/Values/49",
            Verbatim,
        ),
    );
    let at = (0..5)
        .map(|_| {
            format!(
                r#"{{"DataResources":[{{"Type":"AWS::S3::Object","Values":[{}]}}]}}"#,
                bucket_values(50)
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    accepts(&format!("[{at}]"));
    // "All" forms are not counted (spec U5): arn:aws:s3 plus 250 prefixes.
    accepts(&format!(
        r#"[{{"DataResources":[{{"Type":"AWS::S3::Object","Values":["arn:aws:s3",{}]}}]}}]"#,
        bucket_values(250)
    ));
}

#[test]
fn e6_excluded_sources() {
    rejects(
        r#"[{"ExcludeManagementEventSources":["kms.amazonaws.com","s3.amazonaws.com"]}]"#,
        (
            "E6",
            IEE,
            "Value s3.amazonaws.com for ExcludeManagementEventSources is invalid.",
            "/0/ExcludeManagementEventSources/1",
            Project,
        ),
    );
    accepts(r#"[{"ExcludeManagementEventSources":["kms.amazonaws.com","rdsdata.amazonaws.com"]}]"#);
    accepts(r#"[{"ExcludeManagementEventSources":[]}]"#);
}

#[test]
fn e7_management_off_needs_data_resources() {
    let msg = "Invalid combination of parameters in EventSelectors. When includeManagementEvents is false, DataResources must not be empty";
    rejects(
        r#"[{"IncludeManagementEvents":false}]"#,
        ("E7", IEE, msg, "/0/IncludeManagementEvents", Verbatim),
    );
    rejects(
        r#"[{"IncludeManagementEvents":false,"DataResources":[]}]"#,
        ("E7", IEE, msg, "/0/IncludeManagementEvents", Verbatim),
    );
    // Counted per element, not per value (Stratus Red Team).
    accepts(
        r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::S3::Object","Values":[]}]}]"#,
    );
}

// ---- Advanced rules (spec §2.4, §10) ----

#[test]
fn a1_five_hundred_values() {
    let sel = |n: usize| {
        format!(
            r#"{DATA_S3},{{"Field":"resources.ARN","StartsWith":[{}]}}"#,
            bucket_values(n)
        )
    };
    let two = |a: usize, b: usize| {
        format!(
            r#"[{{"FieldSelectors":[{}]}},{{"FieldSelectors":[{}]}}]"#,
            sel(a),
            sel(b)
        )
    };
    rejects(
        &two(248, 249),
        (
            "A1",
            IEE,
            "There are too many filters applied. The maximum allowed number of filters is 500.",
            "/1/FieldSelectors/2/StartsWith/248",
            Verbatim,
        ),
    );
    accepts(&two(248, 248));
}

#[test]
fn a4_operator_required() {
    rejects(
        &adv(&format!(r#"{MGMT},{{"Field":"readOnly"}}"#)),
        (
            "A4",
            IEE,
            "At least one operator is required for the readOnly field.",
            "/0/FieldSelectors/1",
            Project,
        ),
    );
}

#[test]
fn a5_event_category_required_and_equals_only() {
    rejects(
        &adv(r#"{"Field":"readOnly","Equals":["true"]}"#),
        (
            "A5",
            IEE,
            "The following fields are required: [eventCategory].",
            "/0/FieldSelectors",
            Verbatim,
        ),
    );
    rejects(
        &adv(r#"{"Field":"eventCategory","StartsWith":["Man"]}"#),
        (
            "A5-op",
            IEE,
            "Only the following operators are valid with the eventCategory field: [Equals].",
            "/0/FieldSelectors/0/StartsWith",
            Verbatim,
        ),
    );
    accepts(&adv(&format!(
        r#"{MGMT},{{"Field":"readOnly","Equals":["true"]}}"#
    )));
}

#[test]
fn a6_event_category_value() {
    rejects(
        &adv(r#"{"Field":"eventCategory","Equals":["ConfigurationItem"]}"#),
        (
            "A6",
            IEE,
            "The eventCategory field value is not valid.",
            "/0/FieldSelectors/0/Equals/0",
            Verbatim,
        ),
    );
    rejects(
        &adv(r#"{"Field":"eventCategory","Equals":["Management","Data"]}"#),
        (
            "A6-multi",
            IEE,
            "The eventCategory field value is not valid.",
            "/0/FieldSelectors/0/Equals/1",
            Derived,
        ),
    );
    accepts(&adv(
        r#"{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["ec2.amazonaws.com"]}"#,
    ));
}

#[test]
fn a7_field_category_matrix() {
    rejects(
        &adv(&format!(r#"{MGMT},{{"Field":"eventName","Equals":["CreateUser"]}}"#)),
        ("A7", IEE, "The following field is not allowed when the eventCategory field value equals Management: eventName.", "/0/FieldSelectors/1/Field", Verbatim),
    );
    rejects(
        &adv(&format!(r#"{MGMT},{{"Field":"cdkpfNoSuchField","Equals":["x"]}}"#)),
        ("A7", IEE, "The following field is not allowed when the eventCategory field value equals Management: cdkpfNoSuchField.", "/0/FieldSelectors/1/Field", Verbatim),
    );
    rejects(
        &adv(&format!(r#"{DATA_S3},{{"Field":"errorCode","Equals":["VpceAccessDenied"]}}"#)),
        ("A7", IEE, "The following field is not allowed when the eventCategory field value equals Data: errorCode.", "/0/FieldSelectors/2/Field", Derived),
    );
    rejects(
        &adv(&format!(r#"{DATA_S3},{{"Field":"eventTypeName","Equals":["x"]}}"#)),
        ("A7", IEE, "The following field is not allowed when the eventCategory field value equals Data: eventTypeName.", "/0/FieldSelectors/2/Field", Derived),
    );
    accepts(&adv(&format!(
        r#"{DATA_S3},{{"Field":"eventName","Equals":["PutObject"]}},{{"Field":"eventSource","Equals":["s3.amazonaws.com"]}},{{"Field":"eventType","Equals":["AwsApiCall"]}},{{"Field":"userIdentity.arn","StartsWith":["arn:aws:iam::"]}},{{"Field":"sessionCredentialFromConsole","NotEquals":["true"]}},{{"Field":"readOnly","Equals":["false"]}}"#
    )));
    accepts(&adv(
        r#"{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["kms.amazonaws.com"]},{"Field":"eventName","Equals":["ListKeys"]},{"Field":"vpcEndpointId","NotEquals":["vpce-1"]},{"Field":"userIdentity.arn","EndsWith":["Admin"]}"#,
    ));
}

#[test]
fn a8_data_requires_one_resources_type() {
    rejects(
        &adv(r#"{"Field":"eventCategory","Equals":["Data"]}"#),
        ("A8", IEE, "The following selectors are required when the eventCategory field value equals Data: [resources.type].", "/0/FieldSelectors", Verbatim),
    );
    rejects(
        &adv(&format!(r#"{DATA_S3},{{"Field":"resources.type","Equals":["AWS::Lambda::Function"]}}"#)),
        ("A8-dup", IEE, "A duplicate event selector was found for at least one field. Only one selector is allowed per field.", "/0/FieldSelectors/2/Field", Verbatim),
    );
    rejects(
        &adv(&format!(r#"{DATA_S3},{{"Field":"eventName","Equals":["a"]}},{{"Field":"eventName","Equals":["b"]}}"#)),
        ("A8-dup", IEE, "A duplicate event selector was found for at least one field. Only one selector is allowed per field.", "/0/FieldSelectors/3/Field", Derived),
    );
    rejects(
        &adv(
            r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object","AWS::Lambda::Function"]}"#,
        ),
        (
            "A10-multi",
            IEE,
            "The resources.type field value is not valid.",
            "/0/FieldSelectors/1/Equals/1",
            Derived,
        ),
    );
    accepts(&adv(
        r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Lambda::Function"]}"#,
    ));
}

#[test]
fn a9_network_requires_event_source() {
    rejects(
        &adv(r#"{"Field":"eventCategory","Equals":["NetworkActivity"]}"#),
        ("A9", IEE, "The following selectors are required when the eventCategory field value equals NetworkActivity: [eventSource].", "/0/FieldSelectors", Verbatim),
    );
    rejects(
        &adv(
            r#"{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["ec2.amazonaws.com","kms.amazonaws.com"]}"#,
        ),
        (
            "A10-multi",
            IEE,
            "The eventSource field value is not valid.",
            "/0/FieldSelectors/1/Equals/1",
            Derived,
        ),
    );
    rejects(
        &adv(
            r#"{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["iam.amazonaws.com"]}"#,
        ),
        (
            "A10",
            IEE,
            "The eventSource field value is not valid.",
            "/0/FieldSelectors/1/Equals/0",
            Derived,
        ),
    );
}

#[test]
fn a10_operator_restrictions() {
    rejects(
        &adv(&format!(
            r#"{MGMT},{{"Field":"readOnly","StartsWith":["t"]}}"#
        )),
        (
            "A10-op",
            IEE,
            "Only the following operators are valid with the readOnly field: [Equals].",
            "/0/FieldSelectors/1/StartsWith",
            Derived,
        ),
    );
    rejects(
        &adv(&format!(
            r#"{MGMT},{{"Field":"eventSource","Equals":["kms.amazonaws.com"]}}"#
        )),
        (
            "A10-op",
            IEE,
            "Only the following operators are valid with the eventSource field: [NotEquals].",
            "/0/FieldSelectors/1/Equals",
            Derived,
        ),
    );
    rejects(
        &adv(&format!(r#"{DATA_S3},{{"Field":"sessionCredentialFromConsole","StartsWith":["t"]}}"#)),
        ("A10-op", IEE, "Only the following operators are valid with the sessionCredentialFromConsole field: [Equals, NotEquals].", "/0/FieldSelectors/2/StartsWith", Derived),
    );
    // Both excludable sources in one list (spec U9).
    accepts(&adv(&format!(
        r#"{MGMT},{{"Field":"eventSource","NotEquals":["kms.amazonaws.com","rdsdata.amazonaws.com"]}}"#
    )));
}

#[test]
fn a10_value_rules() {
    rejects(
        &adv(
            r#"{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["ec2.amazonaws.com"]},{"Field":"errorCode","Equals":["AccessDenied"]}"#,
        ),
        (
            "A10",
            IEE,
            "The errorCode field value is not valid.",
            "/0/FieldSelectors/2/Equals/0",
            Verbatim,
        ),
    );
    rejects(
        &adv(&format!(
            r#"{MGMT},{{"Field":"readOnly","Equals":["TRUE"]}}"#
        )),
        (
            "A10",
            IEE,
            "The readOnly field value is not valid.",
            "/0/FieldSelectors/1/Equals/0",
            Derived,
        ),
    );
    rejects(
        &adv(&format!(
            r#"{MGMT},{{"Field":"eventSource","NotEquals":["s3.amazonaws.com"]}}"#
        )),
        (
            "A10",
            IEE,
            "The eventSource field value is not valid.",
            "/0/FieldSelectors/1/NotEquals/0",
            Derived,
        ),
    );
    rejects(
        &adv(
            r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Objects"]}"#,
        ),
        (
            "A10",
            IEE,
            "Value AWS::S3::Objects for resources.type is invalid.",
            "/0/FieldSelectors/1/Equals/0",
            Project,
        ),
    );
    rejects(
        &adv(&format!(
            r#"{DATA_S3},{{"Field":"resources.ARN","NotEquals":["my-bucket/"]}}"#
        )),
        (
            "A10",
            IEE,
            "Value my-bucket/ for resources.ARN is invalid.",
            "/0/FieldSelectors/2/NotEquals/0",
            Project,
        ),
    );
    rejects(
        &adv(&format!(
            r#"{DATA_S3},{{"Field":"eventName","Equals":["{}"]}}"#,
            "x".repeat(2049)
        )),
        (
            "A-len",
            IEE,
            Box::leak(
                format!(
                    "Value {}... for eventName is too long. The maximum length is 2048 characters.",
                    "x".repeat(77)
                )
                .into_boxed_str(),
            ),
            "/0/FieldSelectors/2/Equals/0",
            Project,
        ),
    );
    accepts(&adv(&format!(
        r#"{DATA_S3},{{"Field":"eventName","Equals":["{}"]}}"#,
        "x".repeat(2048)
    )));
    accepts(&adv(&format!(
        r#"{DATA_S3},{{"Field":"resources.ARN","StartsWith":["data-bucket"]}}"#
    )));
    accepts(&adv(
        r#"{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["ec2.amazonaws.com"]},{"Field":"errorCode","Equals":["VpceAccessDenied"]}"#,
    ));
}

#[test]
fn stop_at_first_unless_all() {
    let json = r#"[{"ReadWriteType":"x"},{"ReadWriteType":"y"}]"#;
    let doc = parse_str("x", json, &ParseOptions::default()).unwrap();
    let (first, _) = check(&doc, &ValidateOptions::default());
    assert_eq!(first.errors.len(), 1);
    assert_eq!(first.suppressed, 1);
    let all = ValidateOptions {
        report_all: true,
        ..ValidateOptions::default()
    };
    let (every, _) = check(&doc, &all);
    assert_eq!(every.errors.len(), 2);
    assert_eq!(every.errors[1].pointer.as_str(), "/1/ReadWriteType");
}

#[test]
fn warnings_do_not_fail_validation() {
    let cases = [
        (
            r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::b/*"]}]}]"#,
            "literal-star",
        ),
        (
            r#"[{"IncludeManagementEvents":false,"ExcludeManagementEventSources":["kms.amazonaws.com"],"DataResources":[{"Type":"AWS::S3::Object","Values":[]}]}]"#,
            "exclude-without-management",
        ),
        (
            &adv(&format!(
                r#"{DATA_S3},{{"Field":"sessionCredentialFromConsole","Equals":["false"]}}"#
            )),
            "session-credential-false",
        ),
        (
            &adv(
                r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Lambda::Function"]},{"Field":"resources.ARN","Equals":["arn:aws:lambda:us-east-2:111122223333:function/MyLambdaFunction"]}"#,
            ),
            "arn-shape",
        ),
        (
            &adv(&format!(
                r#"{DATA_S3},{{"Field":"eventName","Equals":["*"]}}"#
            )),
            "literal-star",
        ),
    ];
    for (json, rule) in cases {
        let doc = parse_str("x", json, &ParseOptions::default()).unwrap();
        let (report, set) = check(&doc, &ValidateOptions::default());
        assert!(
            report.is_valid() && set.is_some(),
            "{json}: {:?}",
            report.errors
        );
        assert!(
            report.warnings.iter().any(|w| w.rule == rule),
            "{json}: {:?}",
            report.warnings
        );
    }
}

#[test]
fn hints_help() {
    let hint = |json: &str| first_error(json).and_then(|e| e.hint).unwrap_or_default();
    assert_eq!(
        hint(
            r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::data-bucket"]}]}]"#
        ),
        "bucket ARNs need a trailing slash: arn:aws:s3:::data-bucket/"
    );
    assert_eq!(
        hint(&adv(&format!(
            r#"{MGMT},{{"Field":"readOnly","NotEquals":["true"]}}"#
        ))),
        "readOnly takes only Equals"
    );
    assert!(hint(&adv(&format!(
        r#"{DATA_S3},{{"Field":"eventname","Equals":["x"]}}"#
    )))
    .contains("`eventName`"));
    assert!(
        hint(r#"[{"FieldSelectors":[{"Field":"eventCategory","Equal":["Data"]}]}]"#)
            .contains("`Equals`")
    );
    assert!(hint(&adv(r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Objet"]}"#)).contains("AWS::S3::Object"));
    assert!(hint(r#"[{"ReadWriteType":"readonly"}]"#).contains("`ReadOnly`"));
}

#[test]
fn extra_resource_types_extend_the_catalogue() {
    let json = adv(
        r#"{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Brand::New"]}"#,
    );
    assert!(first_error(&json).is_some());
    let mut options = ValidateOptions::default();
    options.catalog.add_resource_types(["AWS::Brand::New"]);
    let doc = parse_str("x", &json, &ParseOptions::default()).unwrap();
    assert!(check(&doc, &options).0.is_valid());
}

#[test]
fn a_million_values_are_rejected_at_the_501st() {
    // Linear work: one pass to parse, one to check; the count rule stops at 501.
    let values: Vec<String> = (0..1_000_000).map(|i| format!("\"v{i:07}\"")).collect();
    let json = adv(&format!(
        r#"{DATA_S3},{{"Field":"eventName","StartsWith":[{}]}}"#,
        values.join(",")
    ));
    assert!(json.len() > 10_000_000);
    rejects(
        &json,
        (
            "A1",
            IEE,
            "There are too many filters applied. The maximum allowed number of filters is 500.",
            "/0/FieldSelectors/2/StartsWith/498",
            Verbatim,
        ),
    );
    let basic: Vec<String> = (0..1_000_000)
        .map(|i| format!("\"arn:aws:s3:::b/{i}\""))
        .collect();
    rejects(
        &format!(
            r#"[{{"DataResources":[{{"Type":"AWS::S3::Object","Values":[{}]}}]}}]"#,
            basic.join(",")
        ),
        (
            "E5",
            IEE,
            "Specify a valid number of DataResources.Values (0 to 250) for all your selectors",
            "/0/DataResources/0/Values/250",
            Verbatim,
        ),
    );
}

#[test]
fn a2_no_limit_on_the_number_of_advanced_selectors() {
    // The User Guide puts 16 advanced selectors in one call; only the
    // 500-value total bounds them (its failing side is A1).
    let many: Vec<String> = (0..100)
        .map(|i| format!(r#"{{"Name":"s{i}","FieldSelectors":[{MGMT}]}}"#))
        .collect();
    accepts(&format!("[{}]", many.join(",")));
    let too_many: Vec<String> = (0..501)
        .map(|i| format!(r#"{{"Name":"s{i}","FieldSelectors":[{MGMT}]}}"#))
        .collect();
    rejects(
        &format!("[{}]", too_many.join(",")),
        (
            "A1",
            IEE,
            "There are too many filters applied. The maximum allowed number of filters is 500.",
            "/500/FieldSelectors/0/Equals/0",
            Verbatim,
        ),
    );
}
