//! `ctsel explain`: why each record is (not) logged.

use super::input::{describe, Input};
use super::selectors::{load, SelectorArgs};
use super::{Format, Output};
use ctsel::event::ndjson::LineReader;
use ctsel::event::RecordView;
use ctsel::explain::{explain, Explanation};
use ctsel::SelectorSet;
use serde_json::json;
use std::io::BufReader;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    selectors: SelectorArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// NDJSON records (or - for standard input, the default).
    #[arg(value_name = "RECORD_FILE")]
    input: Option<String>,
}

fn human(e: &Explanation, set: &SelectorSet, record: u64, line: u64) -> String {
    let by = if e.matched.is_empty() {
        String::new()
    } else {
        let m: Vec<String> = e.matched.iter().map(|i| i.to_string()).collect();
        format!(" by selector {}", m.join(", "))
    };
    let mut s = format!(
        "record {record} (line {line}): {}{by}{}; category {}\n",
        e.verdict.replace('_', " "),
        if e.assumed {
            " (assumed: a project choice where AWS is silent decided it)"
        } else {
            ""
        },
        e.category.unwrap_or("?")
    );
    for sel in &e.selectors {
        let name = match set {
            SelectorSet::Advanced(v) => v
                .get(sel.index)
                .and_then(|x| x.name.clone())
                .map(|n| format!(" {n:?}"))
                .unwrap_or_default(),
            SelectorSet::Basic(_) => String::new(),
        };
        s.push_str(&format!(
            "  selector {}{name}: {}\n",
            sel.index,
            if sel.matched { "matched" } else { "no match" }
        ));
        for (k, part) in sel.parts.iter().enumerate() {
            if sel.parts.len() > 1 {
                s.push_str(&format!(
                    "    part {k}: {}\n",
                    if part.matched { "matched" } else { "no match" }
                ));
            }
            for c in &part.conditions {
                let mark = if c.held { "holds " } else { "fails " };
                let value = match c.value.as_deref() {
                    None => "absent".to_string(),
                    Some(v) if c.field == "resources" => v.to_string(),
                    Some(v) => format!("{v:?}"),
                };
                let why = match (&c.select, &c.deselect) {
                    (_, Some(d)) => format!(" (hit {d})"),
                    (Some(m), None) => format!(" (matched {m})"),
                    (None, None) => String::new(),
                };
                let assumed = if c.assumed { " [assumed]" } else { "" };
                s.push_str(&format!(
                    "      {mark} {} = {value}{why}{assumed}; wants {}\n",
                    c.field, c.wants
                ));
            }
        }
    }
    s
}

pub fn run(args: Args) -> u8 {
    let (set, program) = match load(&args.selectors) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let input = Input::parse(args.input.as_deref().unwrap_or("-"));
    let name = input.display();
    let reader = match input.open() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ctsel: {name}: {}", describe(&e));
            return 2;
        }
    };
    let mut lines = LineReader::with_limit(
        BufReader::with_capacity(1 << 16, reader),
        ctsel::stream::DEFAULT_MAX_RECORD,
    );
    let mut out = Output::stdout();
    loop {
        let l = match lines.next_line() {
            Ok(Some(l)) => l,
            Ok(None) => break,
            Err(e) => {
                eprintln!("ctsel: {name}: {}", describe(&e));
                out.flush();
                return 2;
            }
        };
        let parsed = match l.oversized {
            Some(n) => Err(format!(
                "record of {n} bytes is larger than the limit; skipped"
            )),
            None => RecordView::parse(l.bytes).map_err(|e| e.to_string()),
        };
        let text = match (parsed, args.format) {
            (Ok(view), Format::Json) => {
                let e = explain(&program, &view);
                let mut v = serde_json::to_value(&e).unwrap_or_default();
                v["file"] = json!(name);
                v["record"] = json!(l.record);
                v["line"] = json!(l.line);
                format!("{v}\n")
            }
            (Ok(view), Format::Human) => human(&explain(&program, &view), &set, l.record, l.line),
            (Err(e), Format::Json) => format!(
                "{}\n",
                json!({"file": name, "record": l.record, "line": l.line, "verdict": "unparseable", "error": e, "selectors": []})
            ),
            (Err(e), Format::Human) => {
                format!("record {} (line {}): unparseable: {e}\n", l.record, l.line)
            }
        };
        out.write(text.as_bytes());
    }
    out.flush();
    0
}
