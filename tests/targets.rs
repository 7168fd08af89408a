//! Event data stores and telemetry rules (`targets.md` §T1, §T2): one case
//! per rule there, each with the exception, message, pointer and provenance
//! of its first finding, and an accepted neighbour where the rule has one.

use ctsel::{
    check, default_store_selector, parse_str, read_selector_file, Diagnostic, ParseOptions,
    Provenance, Report, SelectorSet, Target, ValidateOptions,
};
use Provenance::{Derived, Project, Verbatim};

const IEE: &str = "InvalidEventSelectorsException";
const PVE: &str = "ParamValidationError";
const IPE: &str = "InvalidParameterException";
const VE: &str = "ValidationException";

fn report_with(target: Option<Target>, json: &str, options: &ValidateOptions) -> Report {
    let parse = ParseOptions {
        target,
        ..ParseOptions::default()
    };
    let doc = parse_str("case.json", json, &parse).expect("case is JSON");
    if let Some(t) = target {
        assert_eq!(doc.target, t);
    }
    let (report, set) = check(&doc, options);
    assert_eq!(report.is_valid(), set.is_some(), "{json}");
    report
}

fn report(target: Option<Target>, json: &str) -> Report {
    report_with(target, json, &ValidateOptions::default())
}

const EDS: Option<Target> = Some(Target::EventDataStore);
const RULE: Option<Target> = Some(Target::TelemetryRule);

fn first(r: &Report) -> &Diagnostic {
    r.errors.first().expect("an error")
}

fn rejects(
    target: Option<Target>,
    json: &str,
    (rule, exception, message, pointer, provenance): (&str, &str, &str, &str, Provenance),
) {
    let r = report(target, json);
    let e = first(&r);
    assert_eq!(e.rule, rule, "{json}\n{e:?}");
    assert_eq!(e.exception, exception, "{json}");
    assert_eq!(e.message, message, "{json}");
    assert_eq!(e.pointer.as_str(), pointer, "{json}");
    assert_eq!(e.provenance, provenance, "{json}");
}

fn accepts(target: Option<Target>, json: &str) -> Report {
    let r = report(target, json);
    assert!(r.is_valid(), "{json}\n{:?}", r.errors);
    r
}

fn warns(r: &Report, rule: &str) -> bool {
    r.warnings.iter().any(|w| w.rule == rule)
}

fn selector(fields: &str) -> String {
    format!(r#"[{{"FieldSelectors": [{fields}]}}]"#)
}

const MGMT: &str = r#"{"Field": "eventCategory", "Equals": ["Management"]}"#;

// ---- T1.1 shapes and the target they imply --------------------------------

#[test]
fn t1_1_request_and_response_bodies_name_an_event_data_store() {
    for json in [
        r#"{"Name": "store-1", "AdvancedEventSelectors": []}"#,
        r#"{"EventDataStore": "store-1", "AdvancedEventSelectors": []}"#,
        r#"{"EventDataStoreArn": "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/x", "AdvancedEventSelectors": []}"#,
        r#"{"ARN": "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/x", "AdvancedEventSelectors": [], "Status": "ENABLED"}"#,
    ] {
        let doc = parse_str("case.json", json, &ParseOptions::default()).unwrap();
        assert_eq!(doc.target, Target::EventDataStore, "{json}");
    }
    // A bare list says nothing: a trail's unless the caller says otherwise.
    let doc = parse_str("case.json", "[]", &ParseOptions::default()).unwrap();
    assert_eq!(doc.target, Target::Trail);
}

#[test]
fn t1_1_create_requires_a_name_and_knows_no_basic_selectors() {
    rejects(
        None,
        r#"{"AdvancedEventSelectors": [], "MultiRegionEnabled": true}"#,
        (
            "layer-a",
            PVE,
            "Missing required parameter in input: \"Name\"",
            "",
            Verbatim,
        ),
    );
    let r = report(None, r#"{"Name": "store-1", "EventSelectors": []}"#);
    assert!(first(&r).message.starts_with(
        "Unknown parameter in input: \"EventSelectors\", must be one of: Name, AdvancedEventSelectors"
    ));
    rejects(
        None,
        r#"{"Name": "st"}"#,
        (
            "layer-a",
            PVE,
            "Invalid length for parameter Name, value: 2, valid min length: 3",
            "/Name",
            Verbatim,
        ),
    );
}

#[test]
fn t1_1_a_store_without_selectors_logs_all_management_events() {
    let doc = parse_str("c.json", r#"{"Name": "store-1"}"#, &ParseOptions::default()).unwrap();
    let (r, set) = check(&doc, &ValidateOptions::default());
    assert!(r.is_valid());
    assert_eq!(
        set,
        Some(SelectorSet::Advanced(vec![default_store_selector()]))
    );
}

#[test]
fn l5_basic_selectors_are_for_trails_only() {
    let basic = r#"[{"ReadWriteType": "All"}]"#;
    rejects(
        EDS,
        basic,
        (
            "L5",
            IEE,
            "Event data stores accept only AdvancedEventSelectors.",
            "",
            Project,
        ),
    );
    rejects(
        RULE,
        basic,
        (
            "L5",
            VE,
            "CloudWatch telemetry rules accept only AdvancedEventSelectors.",
            "",
            Project,
        ),
    );
}

// ---- T1.2 categories --------------------------------------------------------

#[test]
fn t1_2_the_four_store_kinds_select_by_category_alone() {
    for c in [
        "Insight",
        "ConfigurationItem",
        "Evidence",
        "ActivityAuditLog",
    ] {
        let only = selector(&format!(
            r#"{{"Field": "eventCategory", "Equals": ["{c}"]}}"#
        ));
        accepts(EDS, &only);
        // The same selector is not a trail's (spec §10 R9, verbatim there).
        let trail = report(None, &only);
        assert_eq!(first(&trail).rule, "A6");
        assert_eq!(first(&trail).provenance, Verbatim);
        let with = selector(&format!(
            r#"{{"Field": "eventCategory", "Equals": ["{c}"]}}, {{"Field": "readOnly", "Equals": ["true"]}}"#
        ));
        rejects(
            EDS,
            &with,
            (
                "A7",
                IEE,
                &format!("The following field is not allowed when the eventCategory field value equals {c}: readOnly."),
                "/0/FieldSelectors/1/Field",
                Derived,
            ),
        );
    }
}

#[test]
fn t_u1_one_store_holds_one_kind_of_event() {
    let json = r#"[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
                   {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["ConfigurationItem"]}]}]"#;
    rejects(
        EDS,
        json,
        (
            "T-U1",
            IEE,
            "Event data store selectors mix event categories of different store kinds: Management, ConfigurationItem.",
            "/1",
            Project,
        ),
    );
    // Management, Data and NetworkActivity are one kind.
    accepts(
        EDS,
        r#"[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]"#,
    );
}

#[test]
fn t_u2_an_unknown_category_reuses_the_trail_message_flagged_derived() {
    rejects(
        EDS,
        &selector(r#"{"Field": "eventCategory", "Equals": ["Managment"]}"#),
        (
            "A6",
            IEE,
            "The eventCategory field value is not valid.",
            "/0/FieldSelectors/0/Equals/0",
            Derived,
        ),
    );
}

#[test]
fn t1_2_activity_audit_log_stores_are_single_region_single_account() {
    let aal =
        r#"[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["ActivityAuditLog"]}]}]"#;
    for flag in ["MultiRegionEnabled", "OrganizationEnabled"] {
        rejects(
            None,
            &format!(r#"{{"Name": "ext-1", "AdvancedEventSelectors": {aal}, "{flag}": true}}"#),
            (
                "T1.2-aal",
                IPE,
                &format!("An event data store for events from outside AWS must be for a single Region and a single account: {flag} must be false."),
                &format!("/{flag}"),
                Project,
            ),
        );
    }
    accepts(
        None,
        &format!(
            r#"{{"Name": "ext-1", "AdvancedEventSelectors": {aal}, "MultiRegionEnabled": false, "OrganizationEnabled": false}}"#
        ),
    );
}

#[test]
fn t1_2_ingestion_may_start_stopped_only_for_three_categories() {
    let with = |c: &str| {
        format!(
            r#"{{"Name": "s-1", "StartIngestion": false, "AdvancedEventSelectors": [{{"FieldSelectors": [{{"Field": "eventCategory", "Equals": ["{c}"]}}]}}]}}"#
        )
    };
    rejects(
        None,
        &with("Insight"),
        (
            "T1.2-ingestion",
            IPE,
            "StartIngestion false is valid only for event data stores of Management, Data or ConfigurationItem events, not Insight.",
            "/StartIngestion",
            Project,
        ),
    );
    accepts(None, &with("ConfigurationItem"));
    accepts(None, &with("Management"));
}

// ---- T1.3 the matrix --------------------------------------------------------

#[test]
fn t1_3_management_events_filter_on_more_fields_in_a_store() {
    let json = selector(&format!(
        r#"{MGMT}, {{"Field": "eventSource", "Equals": ["ec2.amazonaws.com"]}},
           {{"Field": "eventName", "StartsWith": ["Describe"]}}, {{"Field": "eventType", "NotEquals": ["AwsServiceEvent"]}},
           {{"Field": "userIdentity.arn", "NotStartsWith": ["arn:aws:sts::111122223333:assumed-role/ci"]}},
           {{"Field": "sessionCredentialFromConsole", "Equals": ["true"]}}"#
    ));
    accepts(EDS, &json);
    // A trail refuses eventName in management selectors (spec §10 R10).
    assert_eq!(first(&report(None, &json)).rule, "A7");
    rejects(
        EDS,
        &selector(&format!(
            r#"{MGMT}, {{"Field": "sessionCredentialFromConsole", "StartsWith": ["t"]}}"#
        )),
        (
            "A10-op",
            IEE,
            "Only the following operators are valid with the sessionCredentialFromConsole field: [Equals, NotEquals].",
            "/0/FieldSelectors/1/StartsWith",
            Derived,
        ),
    );
}

#[test]
fn t1_3_network_activity_loses_user_identity_arn_in_a_store() {
    let json = selector(
        r#"{"Field": "eventCategory", "Equals": ["NetworkActivity"]}, {"Field": "eventSource", "Equals": ["kms.amazonaws.com"]},
           {"Field": "userIdentity.arn", "Equals": ["arn:aws:iam::111122223333:role/r"]}"#,
    );
    accepts(None, &json);
    rejects(
        EDS,
        &json,
        (
            "A7",
            IEE,
            "The following field is not allowed when the eventCategory field value equals NetworkActivity: userIdentity.arn.",
            "/0/FieldSelectors/2/Field",
            Derived,
        ),
    );
}

#[test]
fn t1_3_inherited_rules_hold_with_derived_provenance() {
    // A8: Data needs resources.type (verbatim on trails, derived here).
    rejects(
        EDS,
        &selector(r#"{"Field": "eventCategory", "Equals": ["Data"]}"#),
        (
            "A8",
            IEE,
            "The following selectors are required when the eventCategory field value equals Data: [resources.type].",
            "/0/FieldSelectors",
            Derived,
        ),
    );
    // errorCode takes only VpceAccessDenied.
    rejects(
        EDS,
        &selector(
            r#"{"Field": "eventCategory", "Equals": ["NetworkActivity"]}, {"Field": "eventSource", "Equals": ["s3.amazonaws.com"]},
               {"Field": "errorCode", "Equals": ["AccessDenied"]}"#,
        ),
        (
            "A10",
            IEE,
            "The errorCode field value is not valid.",
            "/0/FieldSelectors/2/Equals/0",
            Derived,
        ),
    );
}

#[test]
fn t_u4_any_management_event_source_is_taken_with_a_warning_on_odd_ones() {
    let r = accepts(
        EDS,
        &selector(&format!(
            r#"{MGMT}, {{"Field": "eventSource", "NotEquals": ["ec2"]}}"#
        )),
    );
    assert!(warns(&r, "event-source-shape"));
    let r = accepts(
        EDS,
        &selector(&format!(
            r#"{MGMT}, {{"Field": "eventSource", "NotEquals": ["ec2.amazonaws.com"]}}"#
        )),
    );
    assert!(!warns(&r, "event-source-shape"));
}

// ---- T1.4 counts and limits -------------------------------------------------

fn many_values(n: usize) -> String {
    let values: Vec<String> = (0..n).map(|i| format!("\"Get{i}\"")).collect();
    selector(&format!(
        r#"{MGMT}, {{"Field": "eventName", "Equals": [{}]}}"#,
        values.join(",")
    ))
}

#[test]
fn l1_five_hundred_values_in_all() {
    accepts(EDS, &many_values(499));
    rejects(
        EDS,
        &many_values(500),
        (
            "A1",
            IEE,
            "There are too many filters applied. The maximum allowed number of filters is 500.",
            "/0/FieldSelectors/1/Equals/499",
            Derived,
        ),
    );
}

#[test]
fn l2_more_than_five_selectors_is_a_warning_unless_strict() {
    let six = format!(
        "[{}]",
        vec![format!(r#"{{"FieldSelectors": [{MGMT}]}}"#); 6].join(",")
    );
    let r = accepts(EDS, &six);
    assert!(warns(&r, "L2"));
    let strict = ValidateOptions {
        strict_store_selector_count: true,
        ..ValidateOptions::default()
    };
    let r = report_with(EDS, &six, &strict);
    assert_eq!(first(&r).rule, "L2");
    assert_eq!(
        first(&r).message,
        "AWS documents at most five advanced event selectors per event data store (found 6)."
    );
    assert_eq!(first(&r).pointer.as_str(), "/5");
}

#[test]
fn l4_retention_follows_the_billing_mode() {
    let with = |extra: &str| format!(r#"{{"Name": "s-1", {extra}}}"#);
    rejects(
        None,
        &with(r#""RetentionPeriod": 3654"#),
        (
            "L4",
            IPE,
            "RetentionPeriod must be from 7 to 3653 days; found 3654.",
            "/RetentionPeriod",
            Project,
        ),
    );
    accepts(None, &with(r#""RetentionPeriod": 3653"#));
    rejects(
        None,
        &with(r#""RetentionPeriod": 3000, "BillingMode": "FIXED_RETENTION_PRICING""#),
        (
            "L4",
            IPE,
            "RetentionPeriod must be from 7 to 2557 days with FIXED_RETENTION_PRICING; found 3000.",
            "/RetentionPeriod",
            Project,
        ),
    );
    // The minimum is botocore's.
    rejects(
        None,
        &with(r#""RetentionPeriod": 6"#),
        (
            "layer-a",
            PVE,
            "Invalid value for parameter RetentionPeriod, value: 6, valid min value: 7",
            "/RetentionPeriod",
            Verbatim,
        ),
    );
}

// ---- T1.5 context keys (a template's store carries them) --------------------

fn store_template(props: &str) -> Report {
    let t = format!(
        r#"{{"Resources": {{"Store": {{"Type": "AWS::CloudTrail::EventDataStore", "Properties": {{"Name": "store-1", {props}}}}}}}}}"#
    );
    let file = read_selector_file("t.json", t.as_bytes(), &ParseOptions::default()).unwrap();
    assert_eq!(file.resources.len(), 1);
    assert_eq!(file.resources[0].document.target, Target::EventDataStore);
    file.resources[0].check(&ValidateOptions::default()).0
}

const K1: &str = "The request is not valid because a value for MaxEventSize is missing. You must set the value of MaxEventSize to Large before you can set values for ContextKeySelectors.";

#[test]
fn k1_context_keys_need_large_events() {
    let keys =
        r#""ContextKeySelectors": [{"Type": "RequestContext", "Equals": ["aws:PrincipalArn"]}]"#;
    let r = store_template(keys);
    assert_eq!(first(&r).rule, "K1");
    assert_eq!(first(&r).message, K1);
    assert_eq!(first(&r).provenance, Verbatim);
    assert_eq!(first(&r).exception, "InvalidParameterCombinationException");
    let r = store_template(&format!(r#"{keys}, "MaxEventSize": "Standard""#));
    assert_eq!(first(&r).message, K1);
    assert_eq!(first(&r).provenance, Derived);
    assert_eq!(
        first(&r).pointer.as_str(),
        "/Resources/Store/Properties/MaxEventSize"
    );
    assert!(store_template(&format!(r#"{keys}, "MaxEventSize": "Large""#)).is_valid());
}

#[test]
fn k2_to_k4_context_key_selector_shapes() {
    let large = r#""MaxEventSize": "Large""#;
    let sel = |t: &str, keys: &str| format!(r#"{{"Type": "{t}", "Equals": [{keys}]}}"#);
    let r = store_template(&format!(
        r#"{large}, "ContextKeySelectors": [{}, {}, {}]"#,
        sel("TagContext", "\"a\""),
        sel("RequestContext", "\"aws:userid\""),
        sel("TagContext", "\"b\"")
    ));
    assert_eq!(first(&r).rule, "K2");
    assert_eq!(
        first(&r).message,
        "At most 2 ContextKeySelectors are allowed; found 3."
    );
    let r = store_template(&format!(
        r#"{large}, "ContextKeySelectors": [{}]"#,
        sel("ResourceContext", "\"a\"")
    ));
    assert_eq!(
        first(&r).message,
        "ContextKeySelector Type ResourceContext is not valid: use TagContext or RequestContext."
    );
    let fifty_one: Vec<String> = (0..51).map(|i| format!("\"k{i}\"")).collect();
    let r = store_template(&format!(
        r#"{large}, "ContextKeySelectors": [{}]"#,
        sel("TagContext", &fifty_one.join(","))
    ));
    assert_eq!(first(&r).rule, "K3");
    let long = format!("\"{}\"", "k".repeat(129));
    let r = store_template(&format!(
        r#"{large}, "ContextKeySelectors": [{}]"#,
        sel("TagContext", &long)
    ));
    assert_eq!(
        first(&r).message,
        "A context key is 1 to 128 characters; found 129."
    );
    let r = store_template(&format!(
        r#"{large}, "ContextKeySelectors": [{}, {}]"#,
        sel("TagContext", "\"a\""),
        sel("TagContext", "\"b\"")
    ));
    assert_eq!(first(&r).rule, "K4");
    assert_eq!(
        first(&r).message,
        "Each ContextKeySelector Type may appear once."
    );
}

#[test]
fn k5_undocumented_request_context_keys_warn() {
    let r = store_template(
        r#""MaxEventSize": "Large", "ContextKeySelectors": [{"Type": "RequestContext", "Equals": ["eventName", "aws:PrincipalArn"]}]"#,
    );
    assert!(r.is_valid());
    let k5: Vec<_> = r.warnings.iter().filter(|w| w.rule == "K5").collect();
    assert_eq!(k5.len(), 1);
    assert_eq!(
        k5[0].pointer.as_str(),
        "/Resources/Store/Properties/ContextKeySelectors/0/Equals/0"
    );
}

// ---- T1.6 ------------------------------------------------------------------

#[test]
fn t1_6_creating_a_store_notes_that_lake_is_closed() {
    let create = accepts(None, r#"{"Name": "store-1"}"#);
    assert!(warns(&create, "lake-closed"));
    let update = accepts(None, r#"{"EventDataStore": "store-1"}"#);
    assert!(!warns(&update, "lake-closed"));
    let quiet = ValidateOptions {
        lake_notice: false,
        ..ValidateOptions::default()
    };
    assert!(!warns(
        &report_with(None, r#"{"Name": "store-1"}"#, &quiet),
        "lake-closed"
    ));
}

// ---- T2 telemetry rules -----------------------------------------------------

fn rule_request(selectors: &str) -> String {
    format!(
        r#"{{"RuleName": "ct", "Rule": {{"ResourceType": "AWS::CloudTrail", "TelemetryType": "Logs",
            "DestinationConfiguration": {{"DestinationType": "cloud-watch-logs",
              "CloudtrailParameters": {{"AdvancedEventSelectors": {selectors}}}}}}}}}"#
    )
}

#[test]
fn t2_1_a_rule_request_names_its_selectors_by_the_whole_path() {
    let doc = parse_str("r.json", &rule_request("[]"), &ParseOptions::default()).unwrap();
    assert_eq!(doc.target, Target::TelemetryRule);
    rejects(
        None,
        &rule_request(r#"[{"FieldSelectors": [{"Equals": ["Data"]}]}]"#),
        (
            "layer-a",
            PVE,
            "Missing required parameter in Rule.DestinationConfiguration.CloudtrailParameters.AdvancedEventSelectors[0].FieldSelectors[0]: \"Field\"",
            "/0/FieldSelectors/0",
            Verbatim,
        ),
    );
    // A bare list given as a rule's is named the same way.
    let r = report(RULE, r#"[{"FieldSelectors": [{"Equals": ["Data"]}]}]"#);
    assert!(first(&r).message.contains(
        "Rule.DestinationConfiguration.CloudtrailParameters.AdvancedEventSelectors[0].FieldSelectors[0]"
    ));
}

#[test]
fn w1_only_management_and_data_events() {
    rejects(
        RULE,
        &selector(
            r#"{"Field": "eventCategory", "Equals": ["NetworkActivity"]}, {"Field": "eventSource", "Equals": ["s3.amazonaws.com"]}"#,
        ),
        (
            "W1",
            VE,
            "CloudWatch telemetry rules ingest only Management and Data CloudTrail events.",
            "/0/FieldSelectors/0/Equals/0",
            Project,
        ),
    );
    accepts(RULE, &selector(MGMT));
}

#[test]
fn w2_fields_only_stores_confirm_are_warnings() {
    let r = accepts(
        RULE,
        &selector(&format!(
            r#"{MGMT}, {{"Field": "eventName", "Equals": ["ConsoleLogin"]}}, {{"Field": "eventSource", "Equals": ["ec2.amazonaws.com"]}}"#
        )),
    );
    let w2: Vec<_> = r.warnings.iter().filter(|w| w.rule == "W2").collect();
    assert_eq!(w2.len(), 2, "{w2:?}");
    // A field no target takes is still an error.
    rejects(
        RULE,
        &selector(&format!(r#"{MGMT}, {{"Field": "vpcEndpointId", "Equals": ["vpce-1"]}}"#)),
        (
            "A7",
            VE,
            "The following field is not allowed when the eventCategory field value equals Management: vpcEndpointId.",
            "/0/FieldSelectors/1/Field",
            Project,
        ),
    );
}

#[test]
fn w3_resource_types_and_arns_as_for_trails() {
    let r = report(
        RULE,
        &selector(
            r#"{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Objects"]}"#,
        ),
    );
    assert_eq!(first(&r).rule, "A10");
    assert_eq!(
        first(&r).message,
        "Value AWS::S3::Objects for resources.type is invalid."
    );
    assert_eq!(first(&r).exception, VE);
}

#[test]
fn w4_five_hundred_values_is_a_warning() {
    let json = selector(&format!(
        r#"{{"Field": "eventCategory", "Equals": ["Data"]}}, {{"Field": "resources.type", "Equals": ["AWS::S3::Object"]}},
           {{"Field": "resources.ARN", "StartsWith": [{}]}}"#,
        (0..499)
            .map(|i| format!("\"arn:aws:s3:::b{i}/\""))
            .collect::<Vec<_>>()
            .join(",")
    ));
    let r = accepts(RULE, &json);
    assert!(warns(&r, "W4"));
    assert_eq!(first(&report(None, &json)).rule, "A1");
}

#[test]
fn w5_the_minima_botocore_lacks_are_project_errors() {
    // botocore's telemetry model has no minimum: no ParamValidationError.
    for (json, message) in [
        (
            r#"[{"FieldSelectors": []}]"#,
            "FieldSelectors must hold at least one field selector.",
        ),
        (
            r#"[{"FieldSelectors": [{"Field": "eventCategory", "Equals": []}]}]"#,
            "Equals must hold at least one value.",
        ),
        (
            r#"[{"FieldSelectors": [{"Field": "eventCategory", "Equals": [""]}]}]"#,
            "Values of Equals must not be empty.",
        ),
        (
            r#"[{"FieldSelectors": [{"Field": "", "Equals": ["x"]}, {"Field": "eventCategory", "Equals": ["Data"]}]}]"#,
            "Field must not be empty.",
        ),
    ] {
        let r = report(RULE, json);
        assert_eq!(first(&r).rule, "W5", "{json}: {:?}", r.errors);
        assert_eq!(first(&r).message, message);
        assert_eq!(first(&r).exception, VE);
        // The same document is botocore's to refuse on a trail.
        assert_eq!(first(&report(None, json)).exception, PVE, "{json}");
    }
}

#[test]
fn w6_no_selector_count_limit() {
    let seven = format!(
        "[{}]",
        vec![format!(r#"{{"FieldSelectors": [{MGMT}]}}"#); 7].join(",")
    );
    let r = accepts(RULE, &seven);
    assert!(!warns(&r, "L2"));
}

#[test]
fn telemetry_rules_in_templates_are_checked_at_their_place() {
    let t = r#"{"Resources": {
      "Logs": {"Type": "AWS::ObservabilityAdmin::OrganizationTelemetryRule", "Properties": {"RuleName": "ct",
        "Rule": {"ResourceType": "AWS::CloudTrail", "TelemetryType": "Logs",
          "DestinationConfiguration": {"CloudtrailParameters": {"AdvancedEventSelectors": [
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Insight"]}]}]}}}}},
      "Vpc": {"Type": "AWS::ObservabilityAdmin::TelemetryRule", "Properties": {"RuleName": "vpc",
        "Rule": {"ResourceType": "AWS::EC2::VPC", "TelemetryType": "Logs"}}}}}"#;
    let file = read_selector_file("t.json", t.as_bytes(), &ParseOptions::default()).unwrap();
    // The VPC rule has nothing of CloudTrail's.
    assert_eq!(file.resources.len(), 1);
    let (r, _) = file.resources[0].check(&ValidateOptions::default());
    assert_eq!(first(&r).rule, "W1");
    assert_eq!(
        first(&r).pointer.as_str(),
        "/Resources/Logs/Properties/Rule/DestinationConfiguration/CloudtrailParameters/AdvancedEventSelectors/0/FieldSelectors/0/Equals/0"
    );
}
