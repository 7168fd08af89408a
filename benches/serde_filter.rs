//! A plain serde_json filter as a baseline for `benches/compare.py`: each
//! line into a struct that borrows only the fields the seed selector reads.

use serde::Deserialize;
use std::io::{BufRead, BufReader};

#[derive(Deserialize)]
struct Resource<'a> {
    #[serde(rename = "type", borrow)]
    type_: Option<&'a str>,
    #[serde(rename = "ARN", borrow)]
    arn: Option<&'a str>,
}

#[derive(Deserialize)]
struct Record<'a> {
    #[serde(rename = "eventCategory", borrow)]
    category: Option<&'a str>,
    #[serde(rename = "eventName", borrow)]
    name: Option<&'a str>,
    #[serde(borrow, default)]
    resources: Vec<Resource<'a>>,
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: serde_filter FILE");
    let r = BufReader::with_capacity(1 << 20, std::fs::File::open(path).expect("open"));
    let mut n = 0u64;
    for line in r.split(b'\n') {
        let line = line.expect("read");
        let Ok(rec) = serde_json::from_slice::<Record>(&line) else {
            continue;
        };
        let hit = rec.category == Some("Data")
            && matches!(rec.name, Some("PutObject" | "DeleteObject"))
            && rec.resources.iter().any(|e| {
                e.type_ == Some("AWS::S3::Object")
                    && !e
                        .arn
                        .unwrap_or("")
                        .starts_with("arn:aws:s3:::amzn-s3-demo-bucket/")
            });
        n += u64::from(hit);
    }
    println!("{n}");
}
