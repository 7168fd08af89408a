//! `ctsel filter`: the records a trail would log, at speed.

use super::input::describe;
use super::selectors::{load, SelectorArgs};
use super::Output;
use ctsel::event::fast::Mode;
use ctsel::stream::{filter, Counts, Event, Flow, Options, Source};
use ctsel::SelectorSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    selectors: SelectorArgs,
    /// Print the records that are not logged instead.
    #[arg(long)]
    invert: bool,
    /// Print only the number of matching records.
    #[arg(long)]
    count: bool,
    /// Decision threads (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
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
    /// Largest record held in memory, in bytes; a longer one is counted as
    /// unparseable and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = ctsel::stream::DEFAULT_MAX_RECORD)]
    max_record_size: usize,
    /// NDJSON or CloudTrail log files, plain or gzip, or directories of them
    /// (walked recursively); - or nothing for standard input.
    #[arg(value_name = "INPUT")]
    inputs: Vec<String>,
}

/// Files under `path` in name order; digest files are not records.
pub(super) fn expand(arg: &str, out: &mut Vec<Source>, skipped: &mut u64) -> Result<(), String> {
    if arg == "-" {
        out.push(Source::Stdin);
        return Ok(());
    }
    let path = PathBuf::from(arg.strip_prefix("file://").unwrap_or(arg));
    if !path.is_dir() {
        out.push(Source::File(path));
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&path).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("{arg}: {e}"))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let p = entry.path();
        let name = p.to_string_lossy();
        if name.contains("CloudTrail-Digest")
            || p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            *skipped += 1;
            continue;
        }
        out.push(Source::File(p.to_path_buf()));
    }
    Ok(())
}

pub fn run(args: Args) -> u8 {
    let (set, program) = match load(&args.selectors) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut sources = Vec::new();
    let mut skipped = 0;
    let inputs = if args.inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        args.inputs.clone()
    };
    for i in &inputs {
        if let Err(e) = expand(i, &mut sources, &mut skipped) {
            eprintln!("ctsel: {e}");
            return 2;
        }
    }
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
    let options = Options {
        mode: if args.validate {
            Mode::Validate
        } else {
            Mode::Fast
        },
        invert: args.invert,
        output: !args.count,
        rejects: rejects.is_some(),
        strict: args.strict,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1),
        progress: Some(progress.clone()),
        stop: super::interrupt_flag(),
        max_record: args.max_record_size.max(1),
        ..Options::default()
    };
    let bar = progress_bar(&sources, progress);
    let started = Instant::now();
    let mut out = Output::stdout();
    let mut code = 0u8;
    let mut shown = 0u64;
    let mut reject_error = None;
    let counts = filter(&program, &sources, &options, &mut |event| match event {
        Event::Output(bytes) => {
            out.write(bytes);
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
                eprintln!("ctsel: {source}: {at}: unparseable record: {message}");
                code = 1;
                return Flow::Stop;
            }
            shown += 1;
            if shown <= 10 && !args.quiet {
                eprintln!("ctsel: {source}: {at}: unparseable record: {message}");
            }
            Flow::Continue
        }
        Event::SourceError { source, message } => {
            eprintln!("ctsel: {source}: {message}");
            code = code.max(2);
            Flow::Continue
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(e) = reject_error {
        eprintln!("ctsel: --rejects: cannot write: {e}");
        code = 2;
    }
    if let Some(mut w) = rejects {
        if let Err(e) = w.flush() {
            eprintln!("ctsel: --rejects: cannot write: {}", describe(&e));
            code = 2;
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
    out.flush();
    let interrupted = super::interrupted();
    if !args.quiet || interrupted {
        summary(
            &counts,
            &set,
            started.elapsed().as_secs_f64(),
            skipped,
            shown,
        );
    }
    if interrupted {
        eprintln!("ctsel: interrupted; the counts above cover the records read so far");
        return super::EXIT_INTERRUPTED;
    }
    code
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

fn summary(c: &Counts, set: &SelectorSet, secs: f64, skipped: u64, shown: u64) {
    let mut s = format!(
        "ctsel: {} records read: {} logged, {} not logged, {} not governed, {} unparseable\n",
        c.records, c.logged, c.not_logged, c.not_governed, c.unparseable
    );
    if c.unparseable > shown.min(10) && shown > 10 {
        s.push_str(&format!(
            "ctsel: ({} unparseable records not listed)\n",
            shown - 10
        ));
    }
    for (i, n) in c.per_selector.iter().enumerate() {
        let name = match set {
            SelectorSet::Advanced(v) => v.get(i).and_then(|s| s.name.clone()),
            SelectorSet::Basic(_) => None,
        };
        let name = name.map(|n| format!(" ({n})")).unwrap_or_default();
        s.push_str(&format!("ctsel: selector {i}{name}: {n} logged\n"));
    }
    if skipped > 0 {
        s.push_str(&format!(
            "ctsel: {skipped} digest or hidden files skipped\n"
        ));
    }
    let mb = c.bytes as f64 / 1e6;
    s.push_str(&format!(
        "ctsel: {mb:.1} MB in {secs:.3} s ({:.0} MB/s)\n",
        if secs > 0.0 { mb / secs } else { 0.0 }
    ));
    eprint!("{s}");
}
