//! `ctsel match`: one verdict line per record.

use super::records::{per_record, shown, InputArgs};
use super::selectors::SelectorArgs;
use super::{Format, Output};
use ctsel::input::{Decided, Place, Report};
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    selectors: SelectorArgs,
    #[command(flatten)]
    input: InputArgs,
    /// Print the normalised form and the compiled program, then exit.
    #[arg(long)]
    dump: bool,
    /// Output: json (one object per record, the default) or human.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

#[derive(Serialize)]
struct Line<'a> {
    file: &'a str,
    record: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
    verdict: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    selectors: Option<&'a [u32]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assumed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// One record's verdict line.
fn line<'a>(d: &'a Decided<'a>) -> Line<'a> {
    let (line, offset) = match d.at.place {
        Place::Line(l) => (Some(l), None),
        Place::Offset(o) => (None, Some(o)),
    };
    let mut l = Line {
        file: d.source,
        record: d.at.index,
        line,
        offset,
        verdict: "unparseable",
        selectors: None,
        assumed: None,
        error: None,
    };
    match d.verdict {
        Ok(v) => {
            l.verdict = v.as_str();
            l.selectors = Some(v.selectors());
            l.assumed = Some(v.assumed());
        }
        Err(e) => l.error = Some(e),
    }
    l
}

fn human(d: &Decided<'_>) -> String {
    let at = match d.at.place {
        Place::Line(l) => format!("{}:{l}", shown(d.source)),
        Place::Offset(o) => format!("{}: record {} (byte {o})", shown(d.source), d.at.index),
    };
    match d.verdict {
        Ok(v) => {
            let by = if v.selectors().is_empty() {
                String::new()
            } else {
                let s: Vec<String> = v.selectors().iter().map(u32::to_string).collect();
                format!(" by selector {}", s.join(", "))
            };
            let assumed = if v.assumed() { " (assumed)" } else { "" };
            format!("{at}: {}{by}{assumed}\n", v.as_str().replace('_', " "))
        }
        Err(e) => format!("{at}: unparseable: {e}\n"),
    }
}

pub fn run(args: Args) -> u8 {
    let (_, program) = match args.selectors.load() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut out = Output::stdout();
    if args.dump {
        out.write(format!("{}\n{}", program.ir(), program).as_bytes());
        out.flush();
        return 0;
    }
    let reading = match args.input.reading(args.selectors.selectors == "-") {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut options = args.input.options(&reading);
    options.output = false;
    options.report = Report::Verdicts;
    let format = args.format.unwrap_or(Format::Json);
    per_record(
        &program,
        &reading,
        &options,
        &mut out,
        &mut |d, out| match format {
            Format::Json => {
                let mut text = serde_json::to_vec(&line(d)).unwrap_or_default();
                text.push(b'\n');
                out.write(&text);
            }
            Format::Human => out.write(human(d).as_bytes()),
        },
    )
}
