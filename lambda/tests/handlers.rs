//! Each handler called directly with events built as AWS builds them, and
//! the S3 handler against a real S3 API on loopback (moto's server).

use aws_lambda_events::event::cloudwatch_logs::LogsEvent;
use aws_lambda_events::event::firehose::KinesisFirehoseEvent;
use aws_lambda_events::event::s3::S3Event;
use base64::Engine;
use ctsel_lambda::{Stage, DROPPED, OK, PROCESSING_FAILED};
use serde_json::{json, Value};
use std::io::Write;

const SELECTORS: &str = "../selectors/write-only-management.basic.json";
const EVENTS: &str = "../tests/corpus/events/aws-docs-current.ndjson";

fn stage() -> Stage {
    let text = std::fs::read_to_string(SELECTORS).unwrap();
    Stage::new(SELECTORS, &text).unwrap()
}

fn records() -> Vec<String> {
    std::fs::read_to_string(EVENTS)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// The compiled program's verdict, the oracle each handler must follow.
fn logs(stage: &Stage, record: &str) -> bool {
    stage
        .program()
        .decide_bytes(record.as_bytes())
        .unwrap()
        .is_logged()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn firehose_keeps_record_ids_and_marks_each_record() {
    let stage = stage();
    let mut recs = records();
    recs.push("not json".into());
    let event: KinesisFirehoseEvent = serde_json::from_value(json!({
        "invocationId": "inv-1",
        "deliveryStreamArn": "arn:aws:firehose:us-east-1:111122223333:deliverystream/ct",
        "region": "us-east-1",
        "records": recs.iter().enumerate().map(|(i, r)| json!({
            "recordId": format!("rec-{i}"),
            "approximateArrivalTimestamp": 1_700_000_000_000i64,
            "data": b64(format!("{r}\n").as_bytes()),
        })).collect::<Vec<_>>(),
    }))
    .unwrap();
    let response = stage.firehose(&event);
    assert_eq!(response.records.len(), recs.len());
    let (mut ok, mut dropped) = (0, 0);
    for (i, (r, text)) in response.records.iter().zip(&recs).enumerate() {
        assert_eq!(r.record_id.as_deref(), Some(format!("rec-{i}").as_str()));
        let want = match stage.program().decide_bytes(text.as_bytes()) {
            Ok(v) if v.is_logged() => OK,
            Ok(_) => DROPPED,
            Err(_) => PROCESSING_FAILED,
        };
        assert_eq!(r.result.as_deref(), Some(want), "record {i}");
        match want {
            DROPPED => {
                dropped += 1;
                assert!(r.data.is_empty());
            }
            _ => {
                ok += usize::from(want == OK);
                assert_eq!(r.data.0, format!("{text}\n").into_bytes());
            }
        }
    }
    assert!(ok > 0 && dropped > 0);
    // The response is never larger than the request.
    let size = |v: &Value| v.to_string().len();
    let request = serde_json::to_value(&event).unwrap();
    let reply = serde_json::to_value(&response).unwrap();
    assert!(size(&reply) <= size(&request));
    assert_eq!(
        reply["records"][recs.len() - 1]["result"],
        PROCESSING_FAILED
    );
}

#[test]
fn cloudwatch_logs_batches_are_decoded_and_filtered() {
    let stage = stage();
    let recs = records();
    let data = json!({
        "messageType": "DATA_MESSAGE", "owner": "111122223333",
        "logGroup": "aws-cloudtrail-logs", "logStream": "111122223333_CloudTrail_us-east-1",
        "subscriptionFilters": ["ctsel"],
        "logEvents": recs.iter().enumerate().map(|(i, r)| json!({
            "id": i.to_string(), "timestamp": 1_700_000_000_000i64 + i as i64, "message": r,
        })).collect::<Vec<_>>(),
    });
    let text = json!({"awslogs": {"data": b64(&gzip(data.to_string().as_bytes()))}}).to_string();
    let event: LogsEvent = serde_json::from_str(&text).unwrap();
    let (logged, summary) = stage.cloudwatch_logs(&event);
    let want: Vec<&String> = recs.iter().filter(|r| logs(&stage, r)).collect();
    let got: Vec<&str> = std::str::from_utf8(&logged).unwrap().lines().collect();
    assert_eq!(got.len(), want.len());
    assert!(got.iter().zip(&want).all(|(g, w)| g == w));
    assert_eq!(summary["records"], recs.len());
    assert_eq!(summary["logged"], want.len());
}

#[test]
fn a_bad_selector_set_fails_the_cold_start() {
    let err = Stage::new(
        "CTSEL_SELECTORS",
        r#"[{"ReadWriteType": "WriteOnly"}, {}, {}, {}, {}, {}]"#,
    )
    .err()
    .unwrap();
    assert!(
        err.contains("InvalidEventSelectorsException") || err.contains("5"),
        "{err}"
    );
}

/// moto's S3 server on a free loopback port, stopped when dropped.
struct Moto(std::process::Child, String);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn moto() -> Option<Moto> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = std::process::Command::new("python3")
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let m = Moto(child, format!("http://127.0.0.1:{port}"));
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(m);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    None
}

#[tokio::test]
async fn s3_object_created_filters_a_log_file_into_the_destination() {
    let Some(server) = moto() else {
        assert!(
            std::env::var("CTSEL_REQUIRE_MOTO").as_deref() != Ok("1"),
            "moto's server is required (pip install 'moto[server]')"
        );
        eprintln!("SKIPPED: moto server unavailable");
        return;
    };
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .endpoint_url(&server.1)
        .force_path_style(true)
        .build();
    let client = aws_sdk_s3::Client::from_conf(config);
    for b in ["trail-logs", "siem"] {
        client.create_bucket().bucket(b).send().await.unwrap();
    }
    // A CloudTrail log file as CloudTrail writes it: {"Records": [...]}, gzip.
    let recs = records();
    let file = format!("{{\"Records\":[{}]}}", recs.join(","));
    let key = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/01/111122223333_CloudTrail_us-east-1_20240101T0000Z_a b.json.gz";
    client
        .put_object()
        .bucket("trail-logs")
        .key(key)
        .body(gzip(file.as_bytes()).into())
        .send()
        .await
        .unwrap();
    // The notification S3 sends: the key URL-encoded, `+` for a space.
    let text = json!({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
        "eventTime": "2024-01-01T00:05:00.000Z", "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:AROAEXAMPLE:cloudtrail"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "ctsel",
               "bucket": {"name": "trail-logs", "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                          "arn": "arn:aws:s3:::trail-logs"},
               "object": {"key": key.replace(' ', "+"), "size": 1024,
                          "eTag": "d41d8cd98f00b204e9800998ecf8427e", "sequencer": "0055AED6DCD90281E5"}}
    }]})
    .to_string();
    let event: S3Event = serde_json::from_str(&text).unwrap();
    let stage = stage();
    let done = stage
        .s3_object_created(&client, &event, "siem", "filtered/")
        .await
        .unwrap();
    assert_eq!(done.len(), 1);
    let got = client
        .get_object()
        .bucket("siem")
        .key(format!("filtered/{key}.ndjson"))
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .into_bytes();
    let want: Vec<Value> = recs
        .iter()
        .filter(|r| logs(&stage, r))
        .map(|r| serde_json::from_str(r).unwrap())
        .collect();
    let got: Vec<Value> = std::str::from_utf8(&got)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    assert_eq!(done[0]["logged"], want.len());
    assert_eq!(done[0]["records"], recs.len());
}
