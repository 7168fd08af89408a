//! ctsel as AWS Lambda router stages, over the library: a Kinesis Data
//! Firehose transformation, a function on S3 `ObjectCreated` events, and a
//! CloudWatch Logs subscription. The core crate does not depend on this
//! one.
//!
//! Selectors come from `CTSEL_SELECTORS` (the text) or
//! `CTSEL_SELECTORS_FILE` (a path; a file bundled with the function), and
//! are validated at cold start ([`Stage::from_env`]): a set AWS would
//! reject fails the start with AWS's message instead of dropping every
//! record.

use aws_lambda_events::event::cloudwatch_logs::LogsEvent;
use aws_lambda_events::event::firehose::{
    KinesisFirehoseEvent, KinesisFirehoseResponse, KinesisFirehoseResponseRecord,
};
use aws_lambda_events::event::s3::S3Event;
use ctsel::input::{filter, Event, Flow, Source};
use ctsel::{parse_str, validate, FilterOptions, ParseOptions, Program, ValidateOptions, Verdict};
use serde_json::{json, Value};

/// Firehose's result for a record kept, with its data unchanged.
pub const OK: &str = "Ok";
/// Firehose's result for a record the trail would not log.
pub const DROPPED: &str = "Dropped";
/// Firehose's result for a record that is not a JSON object.
pub const PROCESSING_FAILED: &str = "ProcessingFailed";

/// The compiled selectors a function decides with.
pub struct Stage {
    program: Program,
}

impl Stage {
    /// Validates selector text as `put-event-selectors` would.
    ///
    /// # Errors
    ///
    /// The validation report, with AWS's exception and message, when the
    /// selectors would be rejected or do not parse.
    pub fn new(name: &str, text: &str) -> Result<Stage, String> {
        let doc = parse_str(name, text, &ParseOptions::default()).map_err(|e| e.to_string())?;
        let set = validate(&doc, &ValidateOptions::default())
            .map_err(|r| format!("{name}: {r}"))?
            .selectors;
        Ok(Stage {
            program: Program::new(&set),
        })
    }

    /// The selectors of `CTSEL_SELECTORS`, else of the file
    /// `CTSEL_SELECTORS_FILE`.
    ///
    /// # Errors
    ///
    /// As [`Stage::new`]; also when neither variable is set or the file
    /// cannot be read.
    pub fn from_env() -> Result<Stage, String> {
        if let Ok(text) = std::env::var("CTSEL_SELECTORS") {
            return Stage::new("CTSEL_SELECTORS", &text);
        }
        let path = std::env::var("CTSEL_SELECTORS_FILE").map_err(|_| {
            "set CTSEL_SELECTORS (the selectors) or CTSEL_SELECTORS_FILE (a path)".to_string()
        })?;
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        Stage::new(&path, &text)
    }

    /// The compiled program.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// A Firehose data-transformation response: each record keeps its
    /// `recordId`; a logged record is `Ok` with its data unchanged, any
    /// other `Dropped`, an unparseable one `ProcessingFailed` (with its
    /// data, so that Firehose can deliver it to the error prefix).
    /// Dropped records carry no data, so the response is never larger
    /// than the request (both are bounded by Lambda's 6 MB).
    pub fn firehose(&self, event: &KinesisFirehoseEvent) -> KinesisFirehoseResponse {
        let mut response = KinesisFirehoseResponse::default();
        for r in &event.records {
            let data = &r.data.0;
            // Firehose records from CloudWatch Logs or a producer may end
            // with a newline; the record is the JSON before it.
            let text = data.strip_suffix(b"\n").unwrap_or(data);
            let (result, keep) = match self.program.decide_bytes(text) {
                Ok(Verdict::Logged { .. }) => (OK, true),
                Ok(_) => (DROPPED, false),
                Err(_) => (PROCESSING_FAILED, true),
            };
            let mut out = KinesisFirehoseResponseRecord::default();
            out.record_id = r.record_id.clone();
            out.result = Some(result.to_string());
            if keep {
                out.data.extend_from_slice(data);
            }
            response.records.push(out);
        }
        response
    }

    /// Filters one log file's bytes (a CloudTrail log file, NDJSON, gzip
    /// or not): the logged records as NDJSON, and the counts.
    pub fn filter_bytes(&self, name: &str, bytes: bytes::Bytes) -> (Vec<u8>, Value) {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let sources = [Source::Memory(name.to_string(), bytes)];
        let counts = filter(
            &self.program,
            &sources,
            &FilterOptions::default(),
            &mut |e| {
                match e {
                    Event::Output(b) => out.extend_from_slice(b),
                    Event::SourceError { message, .. } => errors.push(message.to_string()),
                    _ => {}
                }
                Flow::Continue
            },
        );
        let summary = json!({"records": counts.records, "logged": counts.logged,
            "not_logged": counts.not_logged, "not_governed": counts.not_governed,
            "unparseable": counts.unparseable, "errors": errors});
        (out, summary)
    }

    /// A CloudWatch Logs subscription's batch (already decoded from base64
    /// and gzip): each log event's message is one record. Returns the
    /// logged messages as NDJSON and the counts.
    pub fn cloudwatch_logs(&self, event: &LogsEvent) -> (Vec<u8>, Value) {
        let mut joined = Vec::new();
        for e in &event.aws_logs.data.log_events {
            joined.extend_from_slice(e.message.as_bytes());
            joined.push(b'\n');
        }
        self.filter_bytes(&event.aws_logs.data.log_stream, joined.into())
    }

    /// Handles S3 `ObjectCreated` notifications: fetches each new log
    /// file, filters it, and writes the logged records as NDJSON to
    /// `destination` under `prefix` + the source key + `.ndjson`. Returns
    /// one summary per object.
    ///
    /// # Errors
    ///
    /// The first S3 error, naming the bucket and key.
    pub async fn s3_object_created(
        &self,
        client: &aws_sdk_s3::Client,
        event: &S3Event,
        destination: &str,
        prefix: &str,
    ) -> Result<Vec<Value>, String> {
        let mut out = Vec::new();
        for r in &event.records {
            let (Some(bucket), Some(raw_key)) = (&r.s3.bucket.name, &r.s3.object.key) else {
                continue;
            };
            let key = event_key(raw_key);
            let object = client
                .get_object()
                .bucket(bucket)
                .key(&key)
                .send()
                .await
                .map_err(|e| format!("s3://{bucket}/{key}: {e}"))?;
            let body = object
                .body
                .collect()
                .await
                .map_err(|e| format!("s3://{bucket}/{key}: {e}"))?
                .into_bytes();
            let (logged, mut summary) = self.filter_bytes(&format!("s3://{bucket}/{key}"), body);
            let target = format!("{prefix}{key}.ndjson");
            client
                .put_object()
                .bucket(destination)
                .key(&target)
                .body(logged.into())
                .send()
                .await
                .map_err(|e| format!("s3://{destination}/{target}: {e}"))?;
            summary["source"] = json!(format!("s3://{bucket}/{key}"));
            summary["destination"] = json!(format!("s3://{destination}/{target}"));
            out.push(summary);
        }
        Ok(out)
    }
}

/// An S3 event's object key: URL-encoded, with `+` for a space.
pub fn event_key(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_are_decoded() {
        assert_eq!(
            event_key("AWSLogs/1/CloudTrail/a+b%3Dc.json.gz"),
            "AWSLogs/1/CloudTrail/a b=c.json.gz"
        );
    }

    #[test]
    fn invalid_selectors_fail_with_aws_message() {
        let err = Stage::new("env", r#"[{"ReadWriteType": "Al"}]"#).err();
        assert!(err.is_some_and(|e| e.contains("ReadWriteType")));
    }
}
