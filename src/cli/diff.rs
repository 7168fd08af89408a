//! `ctsel diff A B`: whether two configurations log the same records,
//! proved; when not, witness records both ways.

use super::records::{source_event, InputArgs};
use super::selectors::{load, CatalogArgs, Named};
use super::{out, Format};
use ctsel::input::{filter, Event, Flow, Report};
use ctsel::{DiffOptions, Differ, Witness};
use serde_json::json;

#[derive(clap::Args)]
pub struct Args {
    /// The first selector file (a path, file://path, or -).
    a: String,
    /// The second selector file.
    b: String,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Compare configurations AWS would reject too; structural errors still stop.
    #[arg(long)]
    allow_invalid: bool,
    /// Also compare on these records (NDJSON, log files, gzip, directories,
    /// or standard input as `-`): real logs that one configuration logs
    /// and the other does not are reported.
    #[arg(long, value_name = "INPUT")]
    records: Vec<String>,
    /// Also search this many generated records, as a cross-check of the
    /// proof (a disagreement is reported as an internal error).
    #[arg(long, default_value_t = 0)]
    samples: usize,
    /// Largest record held in memory, in bytes (for --records).
    #[arg(long, value_name = "BYTES", default_value_t = ctsel::input::DEFAULT_MAX_RECORD)]
    max_record_size: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn verdict(v: &ctsel::Verdict) -> String {
    let s = v.as_str().replace('_', " ");
    if v.assumed() {
        format!("{s} (assumed: a project choice where AWS is silent decided it)")
    } else {
        s
    }
}

pub fn run(args: Args) -> u8 {
    let named = |flag, file| Named { flag, file };
    let (a, _) = match load(&named("A", &args.a), &args.catalog, args.allow_invalid) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (b, _) = match load(&named("B", &args.b), &args.catalog, args.allow_invalid) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let options = DiffOptions {
        samples: args.samples,
        ..DiffOptions::default()
    };
    let differ = Differ::new(&a, &b);
    let mut report = match differ.proved(&options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ctsel: {e}");
            return 2;
        }
    };
    let mut code = 0;
    if !args.records.is_empty() {
        let input = InputArgs {
            inputs: args.records.clone(),
            jobs: None,
            max_record_size: args.max_record_size,
            line_buffered: false,
            no_mmap: false,
        };
        let reading = match input.reading(args.a == "-" || args.b == "-") {
            Ok(r) => r,
            Err(code) => return code,
        };
        code = u8::from(reading.walk_errors > 0) * 2;
        let mut read = input.options(&reading);
        read.output = false;
        read.report = Report::VerdictsAndBytes;
        // Program A reads; each record is compared under both.
        let program_a = ctsel::Program::new(&a);
        filter(&program_a, &reading.sources, &read, &mut |e| {
            match &e {
                Event::Record(d) => {
                    if let (Ok(_), Some(bytes)) = (d.verdict, d.bytes) {
                        differ.given(&mut report, bytes, options.max_witnesses);
                    }
                }
                other => code = code.max(source_event(other)),
            }
            Flow::Continue
        });
        if let Some(c) = super::ended_by_signal() {
            return c;
        }
    }
    if let Err(e) = differ.consistent(&report) {
        eprintln!("ctsel: {e}");
        return 2;
    }
    let equivalent = report.equivalent();
    match args.format {
        Format::Json => {
            let w: Vec<_> = report.witnesses.iter().map(Witness::to_json).collect();
            out(&format!(
                "{}\n",
                json!({"a": args.a, "b": args.b, "equivalent": equivalent,
                       "proved": report.proved,
                       "generated": report.generated, "given": report.given,
                       "given_differing": report.given_differing, "witnesses": w})
            ));
        }
        Format::Human => {
            let mut s = String::new();
            if equivalent {
                s.push_str("equivalent (proved): every record one logs, the other logs\n");
                if report.given > 0 {
                    s.push_str(&format!(
                        "{} given records, all decided alike\n",
                        report.given
                    ));
                }
            } else {
                let only = |a: bool| {
                    report
                        .witnesses
                        .iter()
                        .filter(|w| !w.given && w.a.is_logged() == a)
                        .count()
                };
                s.push_str(&format!(
                    "not equivalent (proved): {} witness(es) only A logs, {} only B logs\n",
                    only(true),
                    only(false)
                ));
                for w in &report.witnesses {
                    s.push_str(&format!(
                        "{}: A {} {}, B {} {}\n  {}\n",
                        if w.given { "given record" } else { "record" },
                        args.a,
                        verdict(&w.a),
                        args.b,
                        verdict(&w.b),
                        w.record
                    ));
                }
                if report.given_differing > 0 {
                    s.push_str(&format!(
                        "{} of {} given records are decided differently\n",
                        report.given_differing, report.given
                    ));
                }
            }
            out(&s);
        }
    }
    if code != 0 {
        return code;
    }
    u8::from(!equivalent)
}
