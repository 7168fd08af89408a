//! The record side of every command that decides records: inputs (files,
//! directories, `-`), `--jobs`, `--max-record-size`, `--line-buffered`,
//! and the messages every such command prints alike.

use super::Output;
use ctsel::input::{
    expand, filter, Counts, Decided, Event, Flow, Options, Source, DEFAULT_MAX_RECORD,
};
use ctsel::Program;

/// The most decision threads: four per CPU (at least 16, at most 256).
/// More only cost memory: each thread holds its read buffer, its pieces
/// and, with glibc, a malloc arena.
pub fn max_jobs() -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    (4 * cpus).clamp(16, 256)
}

#[derive(clap::Args, Clone, Debug)]
pub struct InputArgs {
    /// NDJSON or CloudTrail log files (`{"Records":[…]}`), plain or gzip, or
    /// directories of them (walked recursively); - or nothing for standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Decision threads (default: one per CPU; at most four per CPU, and at
    /// least 16 are allowed).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Largest record held in memory, in bytes; a longer one is counted as
    /// unparseable and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_RECORD)]
    pub max_record_size: usize,
    /// Decide and write each record as soon as it arrives (the default when
    /// standard input is a pipe or a terminal).
    #[arg(long)]
    pub line_buffered: bool,
    /// Read files with read() only, never map them (for files that grow
    /// while being read: a mapped file is read to the size it had when
    /// mapped). Files of 1 MiB and more are mapped by default.
    #[arg(long)]
    pub no_mmap: bool,
}

/// The sources to read, after the walk's messages were printed.
pub struct Reading {
    pub sources: Vec<Source>,
    /// Files inside directories not read (digests, hidden, special files).
    pub skipped: usize,
    /// Entries that could not be looked at (each reported).
    pub walk_errors: usize,
}

impl InputArgs {
    /// Expands the inputs. `selectors_from_stdin`: the selectors were
    /// read from `-`, so standard input cannot hold records too.
    pub fn reading(&self, selectors_from_stdin: bool) -> Result<Reading, u8> {
        let args: Vec<&str> = if self.inputs.is_empty() {
            vec!["-"]
        } else {
            self.inputs.iter().map(String::as_str).collect()
        };
        let e = expand(&args);
        if selectors_from_stdin && e.sources.contains(&Source::Stdin) {
            eprintln!("ctsel: standard input holds the selectors (-s -), so it cannot hold the records too; name the record files");
            return Err(2);
        }
        for s in &e.skipped {
            if !matches!(s.why, "digest" | "hidden") {
                eprintln!(
                    "ctsel: {}: skipped: {}",
                    shown(&s.path.display().to_string()),
                    match s.why {
                        "fifo" => "a FIFO inside a directory (name it to read it)",
                        "socket" => "a socket",
                        "duplicate" => "a second link to a file already read",
                        _ => "a device",
                    }
                );
            }
        }
        for m in &e.errors {
            eprintln!("ctsel: {}", shown(m));
        }
        Ok(Reading {
            skipped: e.skipped.len(),
            walk_errors: e.errors.len(),
            sources: e.sources,
        })
    }

    pub fn jobs(&self) -> usize {
        let n = self
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        let max = max_jobs();
        if n > max {
            eprintln!("ctsel: --jobs {n}: using {max}, the most ctsel starts on this machine (four per CPU)");
        }
        n.min(max)
    }

    /// Reading options shared by every command.
    pub fn options(&self, reading: &Reading) -> Options {
        let mut o = Options::default();
        o.jobs = self.jobs();
        o.stop = super::interrupt_flag();
        o.max_record = self.max_record_size.max(1);
        if self.no_mmap {
            o.map = None;
        }
        // Only a named input can be a FIFO (a walk skips them), so only the
        // arguments are looked at, not every file of a tree.
        let named = self.inputs.iter().map(|a| match a.as_str() {
            "-" => Source::Stdin,
            a => Source::File(a.strip_prefix("file://").unwrap_or(a).into()),
        });
        o.streaming = self.line_buffered
            || (self.inputs.is_empty() && is_live(&Source::Stdin))
            || named.into_iter().any(|s| is_live(&s));
        let _ = reading;
        o
    }
}

/// Standard input from a pipe or a terminal, or a FIFO: records arrive
/// when their writer sends them, and each must be handed on at once.
fn is_live(s: &Source) -> bool {
    match s {
        Source::Stdin => stdin_is_live(),
        #[cfg(unix)]
        Source::File(p) => {
            use std::os::unix::fs::FileTypeExt;
            std::fs::metadata(p).is_ok_and(|m| m.file_type().is_fifo())
        }
        _ => false,
    }
}

#[cfg(unix)]
fn stdin_is_live() -> bool {
    use std::io::IsTerminal;
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;
    if std::io::stdin().is_terminal() {
        return true;
    }
    std::io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_socket())
}

#[cfg(not(unix))]
fn stdin_is_live() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
}

/// A name as it may be printed on a terminal: control characters (a
/// newline, an escape sequence in a file name) are escaped.
pub fn shown(name: &str) -> String {
    if !name.chars().any(char::is_control) {
        return name.to_string();
    }
    name.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The run of a command that writes something per record (`match`,
/// `explain`): each record's verdict goes to `each`, which writes to `out`;
/// when streaming, each record's output is flushed at once. Input errors
/// are reported, a signal prints the counts so far; the exit code.
pub fn per_record(
    program: &Program,
    reading: &Reading,
    options: &Options,
    out: &mut Output,
    each: &mut dyn FnMut(&Decided<'_>, &mut Output),
) -> u8 {
    let streaming = options.streaming;
    let mut code = u8::from(reading.walk_errors > 0) * 2;
    let counts = filter(program, &reading.sources, options, &mut |e| {
        match &e {
            Event::Record(d) => {
                each(d, out);
                if streaming {
                    out.flush();
                }
            }
            other => code = code.max(source_event(other)),
        }
        if out.has_failed() {
            Flow::Stop
        } else {
            Flow::Continue
        }
    });
    if let Err(e) = out.try_flush() {
        return super::output_failed(&e);
    }
    if super::signal_exit().is_some() {
        eprint!("{}", counts_line(&counts));
    }
    super::ended_by_signal().unwrap_or(code)
}

/// Messages every deciding command prints alike about its inputs; the
/// exit code they call for.
pub fn source_event(event: &Event<'_>) -> u8 {
    match event {
        Event::SourceError {
            source, message, ..
        } => {
            eprintln!("ctsel: {}: {message}", shown(source));
            2
        }
        Event::SourceWarning { source, message } => {
            eprintln!("ctsel: {}: warning: {message}", shown(source));
            0
        }
        _ => 0,
    }
}

/// The summary's first line: every record accounted for.
pub fn counts_line(c: &Counts) -> String {
    format!(
        "ctsel: {} records read: {} logged, {} not logged, {} not governed, {} unparseable\n",
        c.records, c.logged, c.not_logged, c.not_governed, c.unparseable
    )
}
