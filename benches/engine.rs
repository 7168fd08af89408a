//! Per-record decision cost against the number of values in one field.
//! The trie program walks each field once, so 500 values must cost about
//! what 1 value costs (the acceptance bound is < 2x). The naive reference
//! interpreter is the baseline.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ctsel::record::RecordView;
use ctsel::{reference, Program, SelectorSet};
use ctsel::{AdvancedSelector, Field, FieldCondition, Operator};
use std::hint::black_box;

fn selectors(n: usize, field: Field, op: Operator) -> SelectorSet {
    let values: Vec<String> = (0..n)
        .map(|i| match field {
            Field::ResourcesArn => format!("arn:aws:s3:::bucket-{i:03}/"),
            _ => format!("Operation{i:03}"),
        })
        .collect();
    let eq = |f: Field, v: &str| FieldCondition {
        field: f,
        operators: vec![(Operator::Equals, vec![v.to_string()])],
    };
    SelectorSet::Advanced(vec![AdvancedSelector {
        name: None,
        field_selectors: vec![
            eq(Field::EventCategory, "Data"),
            eq(Field::ResourcesType, "AWS::S3::Object"),
            FieldCondition {
                field,
                operators: vec![(op, values)],
            },
        ],
    }])
}

const RECORD: &str = r#"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:session","arn":"arn:aws:sts::111122223333:assumed-role/app/session","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/app","accountId":"111122223333","userName":"app"},"attributes":{"creationDate":"2024-05-01T11:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2024-05-01T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.10","userAgent":"[aws-sdk-go-v2/1.25.0 os/linux lang/go#1.22 md/GOOS#linux]","requestParameters":{"bucketName":"bucket-250","Host":"bucket-250.s3.us-east-1.amazonaws.com","key":"reports/2024/05/01/data.parquet","x-amz-server-side-encryption":"aws:kms"},"responseElements":{"x-amz-server-side-encryption":"aws:kms","x-amz-version-id":"3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"},"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":10240,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"EXAMPLE","bytesTransferredOut":0},"requestID":"EXAMPLE123","eventID":"f8c9a7b6-0000-0000-0000-000000000000","readOnly":false,"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::bucket-250/reports/2024/05/01/data.parquet"},{"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::bucket-250"}],"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333","eventCategory":"Data","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"bucket-250.s3.us-east-1.amazonaws.com"}}"#;

fn bench(c: &mut Criterion) {
    let view = RecordView::parse(RECORD.as_bytes()).unwrap();
    let parsed = reference::parse_record(RECORD.as_bytes()).unwrap();
    for (name, field, op) in [
        (
            "arn-not-starts-with",
            Field::ResourcesArn,
            Operator::NotStartsWith,
        ),
        ("event-name-equals", Field::EventName, Operator::Equals),
    ] {
        let mut g = c.benchmark_group(format!("decide/{name}"));
        for n in [1usize, 500] {
            let set = selectors(n, field, op);
            let program = Program::new(&set);
            let mut run = program.run();
            g.bench_with_input(BenchmarkId::new("program", n), &n, |b, _| {
                b.iter(|| {
                    run.reset();
                    black_box(&view).feed(&mut run);
                    black_box(run.finish())
                })
            });
            g.bench_with_input(BenchmarkId::new("scan+program", n), &n, |b, _| {
                b.iter(|| black_box(program.decide_bytes(black_box(RECORD.as_bytes())).unwrap()))
            });
            g.bench_with_input(BenchmarkId::new("reference", n), &n, |b, _| {
                b.iter(|| black_box(reference::decide(&set, black_box(&parsed))))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
