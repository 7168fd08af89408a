//! `ctsel filter`: the records a trail would log, at speed.

use super::input::describe;
use super::records::{counts_line, shown, source_event, InputArgs, Reading};
use super::selectors::SelectorArgs;
use super::{Format, Output};
use ctsel::input::{filter, Counts, Event, Flow, Source};
use ctsel::record::Mode;
use ctsel::SelectorSet;
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    selectors: SelectorArgs,
    #[command(flatten)]
    input: InputArgs,
    /// Print the records that are not logged instead.
    #[arg(long)]
    invert: bool,
    /// Print only the number of matching records.
    #[arg(long)]
    count: bool,
    /// Fail (exit 1) at the first unparseable record, naming its file and line.
    #[arg(long)]
    strict: bool,
    /// Write unparseable records to FILE, one per line.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// Check every byte of every record (by default a record is read only
    /// until it cannot be logged; everything printed is always checked).
    #[arg(long)]
    validate: bool,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// The summary on stderr: human, or json (one object).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
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
    let mut rejects = match &args.rejects {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Some(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("ctsel: --rejects {}: {}", p.display(), describe(&e));
                return 2;
            }
        },
        None => None,
    };
    let progress = Arc::new(AtomicU64::new(0));
    let mut options = args.input.options(&reading);
    options.mode = if args.validate {
        Mode::Validate
    } else {
        Mode::Fast
    };
    options.invert = args.invert;
    options.output = !args.count;
    options.rejects = rejects.is_some();
    options.strict = args.strict;
    options.progress = Some(progress.clone());
    let streaming = options.streaming;
    let bar = progress_bar(&reading.sources, progress);
    let started = Instant::now();
    let mut out = Output::stdout();
    let mut code = u8::from(reading.walk_errors > 0) * 2;
    let mut shown_bad = 0u64;
    let mut reject_error = None;
    let counts = filter(
        &program,
        &reading.sources,
        &options,
        &mut |event| match event {
            Event::Output(bytes) => {
                out.write(bytes);
                if streaming {
                    out.flush();
                }
                Flow::Continue
            }
            Event::Rejects(bytes) => {
                if let Some(w) = rejects.as_mut() {
                    if let Err(e) = w.write_all(bytes) {
                        reject_error = Some(describe(&e));
                        return Flow::Stop;
                    }
                }
                Flow::Continue
            }
            Event::Unparseable {
                source,
                at,
                message,
            } => {
                if args.strict {
                    eprintln!(
                        "ctsel: {}: {at}: unparseable record: {message}",
                        shown(source)
                    );
                    code = code.max(1);
                    return Flow::Stop;
                }
                shown_bad += 1;
                if shown_bad <= 10 && !args.quiet {
                    eprintln!(
                        "ctsel: {}: {at}: unparseable record: {message}",
                        shown(source)
                    );
                }
                Flow::Continue
            }
            other => {
                code = code.max(source_event(&other));
                Flow::Continue
            }
        },
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut failed_output = false;
    if let Some(e) = reject_error {
        eprintln!("ctsel: --rejects: cannot write: {e}");
        failed_output = true;
    }
    if let Some(mut w) = rejects {
        if let Err(e) = w.flush() {
            eprintln!("ctsel: --rejects: cannot write: {}", describe(&e));
            failed_output = true;
        }
    }
    if args.count {
        let n = if args.invert {
            counts.not_logged
        } else {
            counts.logged
        };
        out.write(format!("{n}\n").as_bytes());
    }
    // The summary goes out even when standard output cannot be written.
    let write_error = out.try_flush().err();
    let signal = super::signal_exit();
    if !args.quiet || signal.is_some() || write_error.is_some() {
        summary(
            &counts,
            &set,
            started.elapsed().as_secs_f64(),
            &reading,
            shown_bad,
            args.format,
        );
    }
    if let Some(e) = write_error {
        return super::output_failed(&e);
    }
    if failed_output {
        return super::EXIT_OUTPUT;
    }
    super::ended_by_signal().unwrap_or(code)
}

fn progress_bar(sources: &[Source], done: Arc<AtomicU64>) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || sources.contains(&Source::Stdin) {
        return None;
    }
    let total: u64 = sources
        .iter()
        .filter_map(|s| match s {
            Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Source::Memory(_, b) => Some(b.len() as u64),
            Source::Stdin => None,
        })
        .sum();
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
    ) {
        bar.set_style(style);
    }
    let b = bar.clone();
    std::thread::spawn(move || {
        while !b.is_finished() {
            b.set_position(done.load(Ordering::Relaxed));
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    });
    Some(bar)
}

/// Selector names, for summaries.
pub(super) fn selector_names(set: &SelectorSet) -> Vec<Option<String>> {
    match set {
        SelectorSet::Advanced(v) => v.iter().map(|s| s.name.clone()).collect(),
        SelectorSet::Basic(v) => v.iter().map(|_| None).collect(),
    }
}

fn summary(c: &Counts, set: &SelectorSet, secs: f64, r: &Reading, shown: u64, format: Format) {
    let names = selector_names(set);
    let mb = c.bytes as f64 / 1e6;
    let rate = if secs > 0.0 { mb / secs } else { 0.0 };
    if format == Format::Json {
        let v = json!({
            "records": c.records, "logged": c.logged, "not_logged": c.not_logged,
            "not_governed": c.not_governed, "unparseable": c.unparseable,
            "by_selector": c.per_selector.iter().enumerate().map(|(i, n)| json!({"index": i, "name": names.get(i).cloned().flatten(), "logged": n})).collect::<Vec<_>>(),
            "bytes": c.bytes, "seconds": secs, "files": r.sources.len(),
            "skipped_files": r.skipped, "walk_errors": r.walk_errors,
        });
        eprintln!("{v}");
        return;
    }
    let mut s = counts_line(c);
    if shown > 10 {
        s.push_str(&format!(
            "ctsel: ({} unparseable records not listed)\n",
            shown - 10
        ));
    }
    for (i, n) in c.per_selector.iter().enumerate() {
        let name = names
            .get(i)
            .cloned()
            .flatten()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        s.push_str(&format!("ctsel: selector {i}{name}: {n} logged\n"));
    }
    if r.skipped > 0 {
        s.push_str(&format!(
            "ctsel: {} file{} skipped (digests, hidden or special files)\n",
            r.skipped,
            if r.skipped == 1 { "" } else { "s" }
        ));
    }
    s.push_str(&format!(
        "ctsel: {mb:.1} MB in {secs:.3} s ({rate:.0} MB/s)\n"
    ));
    eprint!("{s}");
}
