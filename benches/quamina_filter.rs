//! The quamina crate (0.7, the Rust port of Tim Bray's quamina) as a peer
//! for `benches/compare.py`: counts the records the seed selector logs.
//!
//! quamina has no "anything-but prefix", so it matches the positive part
//! (category, resource type, event name) and its candidates (about 3%) are
//! checked for the ARN exclusion with serde_json. quamina does the bulk.

use std::io::{BufRead, BufReader};

fn main() {
    let path = std::env::args().nth(1).expect("usage: quamina_filter FILE");
    let mut q = quamina::Quamina::<String>::new();
    q.add_pattern(
        "seed".to_string(),
        r#"{"eventCategory":["Data"],"eventName":["PutObject","DeleteObject"],"resources":{"type":["AWS::S3::Object"]}}"#,
    )
    .expect("pattern");
    let r = BufReader::with_capacity(1 << 20, std::fs::File::open(path).expect("open"));
    let mut n = 0u64;
    for line in r.split(b'\n') {
        let line = line.expect("read");
        if line.is_empty() || !q.has_matches(&line).unwrap_or(false) {
            continue;
        }
        let v: serde_json::Value = serde_json::from_slice(&line).expect("json");
        let ok = v["resources"].as_array().is_some_and(|rs| {
            rs.iter().any(|e| {
                e["type"] == "AWS::S3::Object"
                    && !e["ARN"]
                        .as_str()
                        .unwrap_or("")
                        .starts_with("arn:aws:s3:::amzn-s3-demo-bucket/")
            })
        });
        n += u64::from(ok);
    }
    println!("{n}");
}
