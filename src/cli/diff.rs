//! `ctsel diff A B`: records one configuration logs and the other does not.

use super::input::{describe, Input};
use super::selectors::{load, SelectorArgs};
use super::{out, Format};
use ctsel::diff::{diff, DiffOptions};
use ctsel::event::ndjson::LineReader;
use serde_json::json;
use std::io::BufReader;

#[derive(clap::Args)]
pub struct Args {
    /// The first selector file.
    a: String,
    /// The second selector file.
    b: String,
    /// Also compare on these NDJSON records (e.g. real logs).
    #[arg(long, value_name = "FILE")]
    records: Vec<String>,
    /// Generated records to compare on.
    #[arg(long, default_value_t = 20_000)]
    samples: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn selector_args(file: &str) -> SelectorArgs {
    SelectorArgs {
        selectors: file.to_string(),
        kind: None,
        allow_invalid: false,
        extra_resource_types: Vec::new(),
    }
}

pub fn run(args: Args) -> u8 {
    let (a, _) = match load(&selector_args(&args.a)) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (b, _) = match load(&selector_args(&args.b)) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut given = Vec::new();
    for f in &args.records {
        let input = Input::parse(f);
        let reader = match input.open() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("ctsel: {}: {}", input.display(), describe(&e));
                return 2;
            }
        };
        let mut lines =
            LineReader::with_limit(BufReader::new(reader), ctsel::stream::DEFAULT_MAX_RECORD);
        while let Ok(Some(l)) = lines.next_line() {
            if l.oversized.is_none() {
                given.push(l.bytes.to_vec());
            }
        }
    }
    let report = diff(
        &a,
        &b,
        &given,
        &DiffOptions {
            samples: args.samples,
            ..DiffOptions::default()
        },
    );
    match args.format {
        Format::Json => {
            let w: Vec<_> = report
                .witnesses
                .iter()
                .map(|w| json!({"record": w.record, "a": w.a.as_str(), "b": w.b.as_str(), "given": w.given}))
                .collect();
            out(&format!(
                "{}\n",
                json!({"equivalent": report.equivalent(), "generated": report.generated, "given": report.given, "witnesses": w})
            ));
        }
        Format::Human => {
            let mut s = String::new();
            if report.equivalent() {
                s.push_str(&format!(
                    "equivalent on {} generated records and {} given records\n",
                    report.generated, report.given
                ));
            } else {
                for w in &report.witnesses {
                    s.push_str(&format!(
                        "{}: {} {}, {} {}\n  {}\n",
                        if w.given { "given record" } else { "record" },
                        args.a,
                        w.a.as_str().replace('_', " "),
                        args.b,
                        w.b.as_str().replace('_', " "),
                        w.record
                    ));
                }
            }
            out(&s);
        }
    }
    u8::from(!report.equivalent())
}
