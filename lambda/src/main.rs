//! The Lambda function: `CTSEL_HANDLER` picks the stage (`firehose`, `s3`
//! or `cloudwatch-logs`); the selectors are validated before the runtime
//! starts, so a bad set fails the cold start with AWS's message.

use aws_lambda_events::event::cloudwatch_logs::LogsEvent;
use aws_lambda_events::event::firehose::KinesisFirehoseEvent;
use aws_lambda_events::event::s3::S3Event;
use ctsel_lambda::Stage;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::{json, Value};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let stage = Arc::new(Stage::from_env()?);
    let handler = std::env::var("CTSEL_HANDLER").unwrap_or_else(|_| "firehose".into());
    match handler.as_str() {
        "firehose" => {
            run(service_fn(move |e: LambdaEvent<KinesisFirehoseEvent>| {
                let stage = stage.clone();
                async move { Ok::<_, Error>(stage.firehose(&e.payload)) }
            }))
            .await
        }
        "cloudwatch-logs" => {
            run(service_fn(move |e: LambdaEvent<LogsEvent>| {
                let stage = stage.clone();
                async move {
                    let (logged, mut summary) = stage.cloudwatch_logs(&e.payload);
                    summary["records_logged"] =
                        json!(String::from_utf8_lossy(&logged).lines().collect::<Vec<_>>());
                    Ok::<Value, Error>(summary)
                }
            }))
            .await
        }
        "s3" => {
            let destination = std::env::var("CTSEL_DESTINATION_BUCKET")
                .map_err(|_| "the s3 handler needs CTSEL_DESTINATION_BUCKET")?;
            let prefix = std::env::var("CTSEL_DESTINATION_PREFIX").unwrap_or_default();
            let config = aws_config::load_from_env().await;
            let client = Arc::new(aws_sdk_s3::Client::new(&config));
            run(service_fn(move |e: LambdaEvent<S3Event>| {
                let (stage, client) = (stage.clone(), client.clone());
                let (destination, prefix) = (destination.clone(), prefix.clone());
                async move {
                    let done = stage
                        .s3_object_created(&client, &e.payload, &destination, &prefix)
                        .await?;
                    Ok::<Value, Error>(json!({ "objects": done }))
                }
            }))
            .await
        }
        other => {
            Err(format!("CTSEL_HANDLER={other}: expected firehose, s3 or cloudwatch-logs").into())
        }
    }
}
