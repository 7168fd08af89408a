//! `ctsel match`: one verdict line per NDJSON record.

use super::input::{describe, Input};
use super::selectors::{load, SelectorArgs};
use super::Output;
use ctsel::event::ndjson::LineReader;
use ctsel::event::RecordView;
use serde::Serialize;
use std::io::BufReader;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    selectors: SelectorArgs,
    /// Print the normalised form and the compiled program, then exit.
    #[arg(long)]
    dump: bool,
    /// Largest record held in memory, in bytes; a longer line is reported
    /// as unparseable and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = ctsel::stream::DEFAULT_MAX_RECORD)]
    max_record_size: usize,
    /// NDJSON files (or - for standard input, the default).
    #[arg(value_name = "INPUT")]
    inputs: Vec<String>,
}

#[derive(Serialize)]
struct Line<'a> {
    file: &'a str,
    record: u64,
    line: u64,
    verdict: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    selectors: Option<&'a [u32]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assumed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub fn run(args: Args) -> u8 {
    let (_, program) = match load(&args.selectors) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut out = Output::stdout();
    if args.dump {
        out.write(format!("{}\n{}", program.ir(), program).as_bytes());
        out.flush();
        return 0;
    }
    let inputs = if args.inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        args.inputs
    };
    let mut code = 0;
    let mut run = program.run();
    let stop = super::interrupt_flag();
    for arg in inputs {
        let input = Input::parse(&arg);
        let name = input.display();
        let reader = match input.open() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("ctsel: {name}: {}", describe(&e));
                code = 2;
                continue;
            }
        };
        let mut lines = LineReader::with_limit(
            BufReader::with_capacity(1 << 16, reader),
            args.max_record_size,
        );
        loop {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                out.flush();
                eprintln!("ctsel: interrupted");
                return super::EXIT_INTERRUPTED;
            }
            let l = match lines.next_line() {
                Ok(Some(l)) => l,
                Ok(None) => break,
                Err(e) => {
                    eprintln!("ctsel: {name}: {}", describe(&e));
                    code = 2;
                    break;
                }
            };
            let mut line = Line {
                file: &name,
                record: l.record,
                line: l.line,
                verdict: "unparseable",
                selectors: None,
                assumed: None,
                error: None,
            };
            if let Some(n) = l.oversized {
                line.error = Some(format!(
                    "record of {n} bytes is larger than the {}-byte limit; skipped",
                    args.max_record_size
                ));
                let mut text = serde_json::to_vec(&line).unwrap_or_default();
                text.push(b'\n');
                out.write(&text);
                continue;
            }
            let verdict = RecordView::parse(l.bytes).map(|v| {
                run.reset();
                v.feed(&mut run);
                run.finish()
            });
            match &verdict {
                Ok(v) => {
                    line.verdict = v.as_str();
                    line.selectors = Some(v.selectors());
                    line.assumed = Some(v.assumed());
                }
                Err(e) => line.error = Some(e.to_string()),
            }
            let mut text = serde_json::to_vec(&line).unwrap_or_default();
            text.push(b'\n');
            out.write(&text);
        }
    }
    out.flush();
    code
}
