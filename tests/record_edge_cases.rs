//! Two implementations agree on the edges of JSON: the record scanner
//! accepts exactly what the reference's serde_json accepts, and reads the
//! same values (escapes, duplicates, nesting, odd types).

use ctsel::record::RecordView;
use ctsel::{reference, Field, Program, SelectorSet};

fn both(text: &[u8]) -> (bool, bool) {
    (
        RecordView::parse(text).is_ok(),
        reference::parse_record(text).is_ok(),
    )
}

#[test]
fn acceptance_matches_serde_json() {
    let nested = |n: usize| format!("{{\"a\":{}1{}}}", "[".repeat(n), "]".repeat(n));
    let cases: Vec<Vec<u8>> = vec![
        br#"{"a":1e400}"#.to_vec(),
        br#"{"a":-1e400}"#.to_vec(),
        br#"{"a":1e308}"#.to_vec(),
        br#"{"a":123456789012345678901234567890}"#.to_vec(),
        format!(r#"{{"a":1{}}}"#, "0".repeat(400)).into_bytes(),
        br#"{"a":-0,"b":1.5E+3,"c":0.0e-0}"#.to_vec(),
        br#"{"a":01}"#.to_vec(),
        br#"{"a":"\ud800"}"#.to_vec(),
        br#"{"a":"\udc00"}"#.to_vec(),
        br#"{"a":"\ud83d\ude00"}"#.to_vec(),
        br#"{"a":"\ud83d\u0041"}"#.to_vec(),
        br#"{"a":"\x"}"#.to_vec(),
        b"{\"a\":\"\x00\"}".to_vec(),
        b"{\"a\":\"\xff\"}".to_vec(),
        b"\xEF\xBB\xBF{}".to_vec(),
        b"{} x".to_vec(),
        b"{}\r".to_vec(),
        b" \t{ } ".to_vec(),
        b"[1]".to_vec(),
        b"\"x\"".to_vec(),
        b"".to_vec(),
        b"{\"a\":tru}".to_vec(),
        b"{\"a\":[1,]}".to_vec(),
        b"{,}".to_vec(),
        nested(125).into_bytes(),
        nested(126).into_bytes(),
        nested(127).into_bytes(),
    ];
    for c in cases {
        let (scanner, serde) = both(&c);
        assert_eq!(scanner, serde, "{}", String::from_utf8_lossy(&c));
    }
}

#[test]
fn values_are_read_alike() {
    let r = br#"{"eventName":"Put\u004fbject","eventName":"Later","requestParameters":{"eventSource":"decoy"},
        "eventSource":"s3.amazon\u0061ws.com","readOnly":"True","sessionCredentialFromConsole":true,
        "userIdentity":{"sessionContext":{"arn":"decoy"},"arn":"arn:aws:iam::1:user\/a"},
        "resources":[{"ARN":"arn:aws:s3:::b\/k","type":"AWS::S3::Object","ARN":"dup"},"x",{"ARNPrefix":"arn:aws:s3:::b/"}],
        "resources":[{"type":"AWS::SNS::Topic"}]}"#;
    let v = RecordView::parse(r).unwrap();
    assert_eq!(v.get(Field::EventName), Some("PutObject"));
    assert_eq!(v.get(Field::EventSource), Some("s3.amazonaws.com"));
    assert_eq!(v.get(Field::ReadOnly), Some("true"));
    assert_eq!(v.get(Field::SessionCredentialFromConsole), Some("true"));
    assert_eq!(v.get(Field::UserIdentityArn), Some("arn:aws:iam::1:user/a"));
    assert_eq!(v.resources.len(), 2);
    assert_eq!(v.resources[0].arn.as_deref(), Some("arn:aws:s3:::b/k"));
    assert_eq!(v.resources[1].arn.as_deref(), Some("arn:aws:s3:::b/"));
    assert_eq!(v.resources[1].type_, None);
    let parsed = reference::parse_record(r).unwrap();
    assert_eq!(parsed["eventName"], "PutObject");
    assert_eq!(parsed["resources"][0]["ARN"], "arn:aws:s3:::b/k");
}

#[test]
fn first_of_repeated_keys_decides_in_both_engines() {
    let set: SelectorSet = {
        let doc = ctsel::parse_str(
            "s",
            r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"eventName","Equals":["PutObject"]}]}]"#,
            &Default::default(),
        )
        .unwrap();
        ctsel::validate(&doc, &Default::default())
            .unwrap()
            .selectors
    };
    let p = Program::new(&set);
    let first_hits = br#"{"eventCategory":"Data","eventName":"PutObject","eventName":"GetObject","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k"}]}"#;
    let first_misses = br#"{"eventCategory":"Data","eventName":"GetObject","eventName":"PutObject","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k"}]}"#;
    assert!(p.decide_bytes(first_hits).unwrap().is_logged());
    assert!(reference::decide_bytes(&set, first_hits)
        .unwrap()
        .is_logged());
    assert!(!p.decide_bytes(first_misses).unwrap().is_logged());
    assert!(!reference::decide_bytes(&set, first_misses)
        .unwrap()
        .is_logged());
}
