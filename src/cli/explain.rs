//! `ctsel explain`: why each record is (not) logged.

use super::records::{per_record, InputArgs};
use super::selectors::SelectorArgs;
use super::{Format, Output};
use ctsel::input::{Place, Report};
use ctsel::record::RecordView;
use ctsel::SelectorSet;
use ctsel::{explain, Explanation};
use serde_json::json;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    selectors: SelectorArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    input: InputArgs,
}

fn human(e: &Explanation, set: &SelectorSet, record: u64, place: &str) -> String {
    let by = if e.matched.is_empty() {
        String::new()
    } else {
        let m: Vec<String> = e.matched.iter().map(|i| i.to_string()).collect();
        format!(" by selector {}", m.join(", "))
    };
    let mut s = format!(
        "record {record} ({place}): {}{by}{}; category {}\n",
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
    let (set, program) = match args.selectors.load() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let reading = match args.input.reading(args.selectors.selectors == "-") {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut options = args.input.options(&reading);
    options.output = false;
    options.report = Report::VerdictsAndBytes;
    let mut out = Output::stdout();
    per_record(&program, &reading, &options, &mut out, &mut |d, out| {
        let (line, offset) = match d.at.place {
            Place::Line(l) => (Some(l), None),
            Place::Offset(o) => (None, Some(o)),
        };
        let parsed = match (d.verdict, d.bytes) {
            (Ok(_), Some(bytes)) => RecordView::parse(bytes).map_err(|e| e.to_string()),
            (Err(e), _) => Err(e.to_string()),
            (Ok(_), None) => Err("record not kept".to_string()),
        };
        let place = match d.at.place {
            Place::Line(l) => format!("line {l}"),
            Place::Offset(o) => format!("byte {o}"),
        };
        let text = match (parsed, args.format) {
            (Ok(view), Format::Json) => {
                let e = explain(&program, &view);
                let mut v = serde_json::to_value(&e).unwrap_or_default();
                v["file"] = json!(d.source);
                v["record"] = json!(d.at.index);
                if let Some(l) = line {
                    v["line"] = json!(l);
                }
                if let Some(o) = offset {
                    v["offset"] = json!(o);
                }
                format!("{v}\n")
            }
            (Ok(view), Format::Human) => human(&explain(&program, &view), &set, d.at.index, &place),
            (Err(e), Format::Json) => {
                let mut v = json!({"file": d.source, "record": d.at.index, "verdict": "unparseable", "error": e, "selectors": []});
                if let Some(l) = line {
                    v["line"] = json!(l);
                }
                if let Some(o) = offset {
                    v["offset"] = json!(o);
                }
                format!("{v}\n")
            }
            (Err(e), Format::Human) => {
                format!("record {} ({place}): unparseable: {e}\n", d.at.index)
            }
        };
        out.write(text.as_bytes());
    })
}
