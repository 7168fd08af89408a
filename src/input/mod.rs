//! Records in, in order, for every command: sources (files, directories,
//! standard input, bytes in memory) and containers (NDJSON, CloudTrail log
//! files `{"Records":[…]}`, gzip) become records, each decided by a
//! [`Program`] and accounted for.
//!
//! Work is split into jobs — one per input, and one per newline-aligned
//! range of a large uncompressed NDJSON file — run by `jobs` threads. Each
//! job hands its results in pieces (at most about 1 MiB each) to one
//! reorder window, and the caller's thread takes them in input order, so
//! output comes out in input order while memory stays bounded: at most
//! [`WINDOW_BYTES`] of results wait, plus one piece per thread and the
//! largest single record per thread.
//!
//! Every record is accounted for: `records = logged + not_logged +
//! not_governed + unparseable`, and damaged inputs (a truncated gzip, an
//! unreadable file) are reported, with everything decoded before the damage
//! still processed.
//!
//! A record is named by its source, its 0-based index among the source's
//! records, and its place: the 1-based line of an NDJSON file, or the byte
//! offset of a log file's element (in the decompressed bytes).

mod buffer;
mod inflate;
mod job;
mod logfile;
mod map;
mod ndjson;
mod open;
mod order;
mod walk;
mod worker;

pub use walk::{expand, Expanded, Skipped};

use crate::compile::Program;
use crate::eval::Verdict;
use crate::record::Mode;
use job::run_job;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use worker::Piece;

#[doc(inline)]
pub use order::WINDOW_BYTES;

/// Where records come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
    /// Bytes in memory, with a name for messages (embedders, fuzzing).
    /// They are decided in place, as a mapped file is: `Vec<u8>` converts
    /// with `.into()`, and [`bytes::Bytes::from_owner`] shares a buffer
    /// owned elsewhere (a Python `bytes` object) without a copy.
    Memory(String, bytes::Bytes),
}

impl Source {
    /// The name used in messages: a path, `-` for standard input.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "-".to_string(),
            Source::File(p) => p.display().to_string(),
            Source::Memory(name, _) => name.clone(),
        }
    }
}

/// What [`filter`] hands back for each record, besides the counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Report {
    /// Only the emitted records' bytes ([`Event::Output`]) and the
    /// unparseable ones ([`Event::Unparseable`]).
    #[default]
    Emitted,
    /// Also one [`Event::Record`] per record, with its verdict.
    Verdicts,
    /// As `Verdicts`, with each record's bytes.
    VerdictsAndBytes,
    /// As `VerdictsAndBytes`, read as fast as `Emitted` ([`Options::mode`]
    /// is kept): a logged verdict is exact, while a record that cannot be
    /// logged is not read past the point that decided it, so it may be
    /// unparseable further on and still count as not logged, as `ctsel
    /// filter` counts it. For routers, which need every record's bytes and
    /// the exact selectors of the logged ones.
    FastVerdictsAndBytes,
}

impl Report {
    /// Each record's bytes are kept for its [`Event::Record`].
    pub(crate) fn bytes(self) -> bool {
        matches!(
            self,
            Report::VerdictsAndBytes | Report::FastVerdictsAndBytes
        )
    }
}

/// How to read and decide.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Fast (stop reading a record once it cannot be logged) or validating.
    pub mode: Mode,
    /// Emit the records that are not logged instead of the logged ones.
    pub invert: bool,
    /// Collect emitted records' bytes (false for `--count`).
    pub output: bool,
    /// Collect unparseable records' bytes (for `--rejects`).
    pub rejects: bool,
    /// What to report per record.
    pub report: Report,
    /// Stop each job at its first unparseable record.
    pub strict: bool,
    /// Decision threads (1 = run on the caller's thread).
    pub jobs: usize,
    /// Bytes read at a time, and the size of ranges of large files.
    pub chunk: usize,
    /// Counts bytes read from disk (compressed for gzip), for progress.
    pub progress: Option<Arc<AtomicU64>>,
    /// Set to stop early (SIGINT, `--strict`); jobs stop at the next chunk.
    pub stop: Arc<AtomicBool>,
    /// Count records and logged records per category (reads every record
    /// in full, as [`Mode::Validate`]).
    pub categories: bool,
    /// Largest record read into memory. A longer NDJSON line or log-file
    /// element is counted as unparseable and skipped without being held.
    pub max_record: usize,
    /// Decide and hand on each record as soon as it is complete, rather
    /// than when a chunk is full (a pipe from a slow writer).
    pub streaming: bool,
    /// Map regular files of at least this many bytes (by default 1 MiB)
    /// into memory rather than read them, on Unix; `None` reads every
    /// file. The first mapping installs a SIGBUS handler
    /// (faults outside ctsel's mappings go to the previous handler), so
    /// that a file shrinking while mapped ends that source with an
    /// error, not the process. Bytes appended after a file is mapped are
    /// not read.
    pub map: Option<u64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mode: Mode::Fast,
            invert: false,
            output: true,
            rejects: false,
            report: Report::Emitted,
            strict: false,
            jobs: 1,
            chunk: 256 << 10,
            progress: None,
            stop: Arc::new(AtomicBool::new(false)),
            max_record: DEFAULT_MAX_RECORD,
            categories: false,
            streaming: false,
            map: Some(map::MAP_MIN),
        }
    }
}

/// Default [`Options::max_record`]: 32 MiB (CloudTrail caps events at 256 KB).
pub const DEFAULT_MAX_RECORD: usize = 32 << 20;

/// Record accounting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// Records read.
    pub records: u64,
    /// Logged.
    pub logged: u64,
    /// Not logged.
    pub not_logged: u64,
    /// Insight records (not governed by event selectors).
    pub not_governed: u64,
    /// Not a JSON object.
    pub unparseable: u64,
    /// Logged records per selector (a record can count for several).
    pub per_selector: Vec<u64>,
    /// Bytes of records read (after decompression).
    pub bytes: u64,
    /// Per category (with [`Options::categories`]): (records, logged).
    pub by_category: std::collections::BTreeMap<&'static str, (u64, u64)>,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.records += o.records;
        self.logged += o.logged;
        self.not_logged += o.not_logged;
        self.not_governed += o.not_governed;
        self.unparseable += o.unparseable;
        self.bytes += o.bytes;
        if self.per_selector.len() < o.per_selector.len() {
            self.per_selector.resize(o.per_selector.len(), 0);
        }
        for (a, b) in self.per_selector.iter_mut().zip(&o.per_selector) {
            *a += b;
        }
        for (k, (r, l)) in &o.by_category {
            let e = self.by_category.entry(k).or_default();
            e.0 += r;
            e.1 += l;
        }
    }

    /// True when every record is accounted for.
    pub fn balanced(&self) -> bool {
        self.records == self.logged + self.not_logged + self.not_governed + self.unparseable
    }
}

/// Where a record is in its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// 0-based index among the source's records (blank lines are not
    /// records).
    pub index: u64,
    /// Its line or byte offset.
    pub place: Place,
}

/// A record's place in its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// 1-based line of an NDJSON file.
    Line(u64),
    /// Byte offset of a log file's element, in the decompressed bytes.
    Offset(u64),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.place {
            Place::Line(l) => write!(f, "line {l}"),
            Place::Offset(o) => write!(f, "record {} (byte {o})", self.index),
        }
    }
}

/// One record's verdict, with [`Report::Verdicts`].
#[derive(Debug)]
pub struct Decided<'a> {
    /// Source name.
    pub source: &'a str,
    /// Where.
    pub at: Location,
    /// The verdict, or why the record is unparseable.
    pub verdict: Result<&'a Verdict, &'a str>,
    /// The record's bytes, with [`Report::VerdictsAndBytes`] or
    /// [`Report::FastVerdictsAndBytes`].
    pub bytes: Option<&'a [u8]>,
}

/// What the caller is given, in input order.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// Emitted records, each followed by a newline.
    Output(&'a [u8]),
    /// Unparseable records' bytes, each followed by a newline.
    Rejects(&'a [u8]),
    /// A record and its verdict ([`Report::Verdicts`]).
    Record(Decided<'a>),
    /// An unparseable record.
    Unparseable {
        /// Source name.
        source: &'a str,
        /// Where.
        at: Location,
        /// Why.
        message: &'a str,
    },
    /// An input could not be read to its end; what was read before was
    /// processed.
    SourceError {
        /// Source name.
        source: &'a str,
        /// What kind of problem.
        kind: InputErrorKind,
        /// Why.
        message: &'a str,
    },
    /// Something about an input that is not an error: its records were
    /// read, but the caller should know (a log file holding no `Records`).
    SourceWarning {
        /// Source name.
        source: &'a str,
        /// What.
        message: &'a str,
    },
}

/// Why an input could not be read to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputErrorKind {
    /// The operating system's error (no such file, permission denied, …).
    Io(std::io::ErrorKind),
    /// The input ends early: a truncated gzip member, a log file cut inside
    /// its `Records` array.
    Truncated,
    /// Compressed data that does not decode: a bad CRC, a corrupt member,
    /// trailing bytes after the last gzip member.
    Damaged,
    /// A compression ctsel does not read (bzip2, zstd, xz).
    Unsupported,
    /// A JSON document that is not a CloudTrail log file (`Records` missing
    /// or not an array), or a malformed log file.
    NotALogFile,
    /// A decision thread could not be started.
    Threads,
}

/// The kind and text of an input error.
pub(crate) type Failure = (InputErrorKind, String);

/// An I/O error as a [`Failure`]: gzip's damage and truncation are told
/// apart from the operating system's errors.
pub(crate) fn io_failure(e: &std::io::Error) -> Failure {
    use std::io::ErrorKind as K;
    let kind = match e.kind() {
        K::UnexpectedEof => InputErrorKind::Truncated,
        K::InvalidInput | K::InvalidData => InputErrorKind::Damaged,
        k => InputErrorKind::Io(k),
    };
    let mut message = open::describe(e);
    if message == "invalid gzip header" {
        // What follows a complete member is not another member.
        message = "bytes after the last complete gzip member are not gzip (trailing garbage, or a corrupt member); the records before them were read".into();
    } else if kind == InputErrorKind::Damaged && !message.contains("gzip") {
        message = format!("damaged gzip data: {message}");
    }
    (kind, message)
}

/// The caller's answer to an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Continue,
    /// Stop everything now.
    Stop,
}

/// What part of a source a job reads.
#[derive(Clone, Debug)]
pub(crate) enum Extent {
    /// All of it (any container, compressed or not).
    Whole,
    /// The lines starting in this byte range of a plain NDJSON file.
    Range(u64, u64),
}

#[derive(Clone, Debug)]
pub(crate) struct Job {
    source: usize,
    extent: Extent,
}

/// Plans jobs: large plain NDJSON files are split into ranges.
fn plan(sources: &[Source], options: &Options) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        let whole = Job {
            source: i,
            extent: Extent::Whole,
        };
        let Source::File(p) = s else {
            jobs.push(whole);
            continue;
        };
        let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let splittable = options.jobs > 1 && size > 2 * options.chunk as u64 && {
            use std::io::Read;
            let mut head = [0u8; 512];
            let n = std::fs::File::open(p)
                .and_then(|mut f| f.read(&mut head))
                .unwrap_or(0);
            open::encoding(&head[..n]) == open::Encoding::Plain
                && logfile::detect(&head[..n]) == Some(false)
        };
        if !splittable {
            jobs.push(whole);
            continue;
        }
        let ranges = (options.jobs * 4) as u64;
        let step = size.div_ceil(ranges).max(options.chunk as u64);
        let mut start = 0;
        while start < size {
            let end = (start + step).min(size);
            jobs.push(Job {
                source: i,
                extent: Extent::Range(start, end),
            });
            start = end;
        }
    }
    jobs
}

/// Turns each job's pieces into events with absolute locations: a range
/// job numbers its records and lines from its own start, and the pieces of
/// one source arrive in order, so the counts of the earlier pieces give the
/// offsets.
struct Collector<'s> {
    names: Vec<String>,
    records_before: Vec<u64>,
    lines_before: Vec<u64>,
    /// Sources whose error was reported: the ranges of one file (a file
    /// deleted mid-run) report it once.
    failed: Vec<bool>,
    total: Counts,
    sink: &'s mut dyn FnMut(Event<'_>) -> Flow,
}

impl Collector<'_> {
    fn deliver(&mut self, job: &Job, piece: Piece) -> Flow {
        let s = job.source;
        self.total.add(&piece.counts);
        let name = &self.names[s];
        let (records_before, lines_before) = (self.records_before[s], self.lines_before[s]);
        let absolute = |at: Location| Location {
            index: at.index + records_before,
            place: match at.place {
                Place::Line(l) => Place::Line(l + lines_before),
                other => other,
            },
        };
        let sink = &mut *self.sink;
        let mut flow = Flow::Continue;
        let mut send = |e: Event<'_>| {
            if sink(e) == Flow::Stop {
                flow = Flow::Stop;
            }
        };
        for d in &piece.decided {
            send(Event::Record(Decided {
                source: name,
                at: absolute(d.at),
                verdict: d.verdict.as_ref().map_err(String::as_str),
                bytes: d.bytes.clone().map(|r| &piece.held[r]),
            }));
        }
        if !piece.out.is_empty() {
            send(Event::Output(&piece.out));
        }
        if !piece.rejects.is_empty() {
            send(Event::Rejects(&piece.rejects));
        }
        for (at, message) in &piece.bad {
            send(Event::Unparseable {
                source: name,
                at: absolute(*at),
                message,
            });
        }
        if let Some(w) = &piece.warning {
            send(Event::SourceWarning {
                source: name,
                message: w,
            });
        }
        if let Some((kind, e)) = piece.error.as_ref().filter(|_| !self.failed[s]) {
            self.failed[s] = true;
            send(Event::SourceError {
                source: name,
                kind: *kind,
                message: e,
            });
        }
        self.records_before[s] += piece.counts.records;
        self.lines_before[s] += piece.lines;
        flow
    }
}

/// Reads `sources` in order, decides every record with `program`, and calls
/// `sink` with events in input order on the caller's thread. Returns the
/// counts over everything read.
///
/// # Examples
///
/// ```
/// use ctsel::input::{filter, Event, Flow, Options, Source};
/// use ctsel::{Program, SelectorSet};
///
/// let program = Program::new(&SelectorSet::trail_default());
/// let log = br#"{"Records":[{"eventCategory":"Management","readOnly":true},{"eventCategory":"Data"}]}"#;
/// let sources = [Source::Memory("log.json".into(), log.to_vec().into())];
/// let mut out = Vec::new();
/// let counts = filter(&program, &sources, &Options::default(), &mut |e| {
///     if let Event::Output(bytes) = e {
///         out.extend_from_slice(bytes);
///     }
///     Flow::Continue
/// });
/// assert_eq!((counts.records, counts.logged, counts.not_logged), (2, 1, 1));
/// assert_eq!(out, b"{\"eventCategory\":\"Management\",\"readOnly\":true}\n");
/// ```
pub fn filter(
    program: &Program,
    sources: &[Source],
    options: &Options,
    sink: &mut dyn FnMut(Event<'_>) -> Flow,
) -> Counts {
    let jobs = plan(sources, options);
    let mut c = Collector {
        names: sources.iter().map(Source::name).collect(),
        records_before: vec![0; sources.len()],
        lines_before: vec![0; sources.len()],
        failed: vec![false; sources.len()],
        total: Counts {
            per_selector: vec![0; program.selector_count()],
            ..Counts::default()
        },
        sink,
    };
    if options.jobs <= 1 {
        for job in &jobs {
            let mut stopped = false;
            run_job(program, sources, job, options, &mut |piece| {
                if c.deliver(job, piece) == Flow::Stop {
                    options.stop.store(true, Ordering::Relaxed);
                    stopped = true;
                }
                !stopped
            });
            if stopped || options.stop.load(Ordering::Relaxed) {
                break;
            }
        }
        return c.total;
    }
    let window = order::Window::new(jobs.len());
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let mut threads = Vec::new();
        for _ in 0..options.jobs.min(jobs.len()).max(1) {
            let (jobs, next, window) = (&jobs, &next, &window);
            let spawned = std::thread::Builder::new().spawn_scoped(scope, move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(k) else { return };
                run_job(program, sources, job, options, &mut |piece| {
                    window.send(k, piece)
                });
                window.finish(k);
            });
            match spawned {
                Ok(t) => threads.push(t),
                // The threads already started take every job.
                Err(_) if !threads.is_empty() => break,
                Err(e) => {
                    let message = format!("cannot start a decision thread: {e}");
                    (c.sink)(Event::SourceError {
                        source: "-",
                        kind: InputErrorKind::Threads,
                        message: &message,
                    });
                    return;
                }
            }
        }
        while let Some((k, piece)) = window.next() {
            if c.deliver(&jobs[k], piece) == Flow::Stop || options.stop.load(Ordering::Relaxed) {
                options.stop.store(true, Ordering::Relaxed);
                break;
            }
        }
        // Workers blocked on a full window, or about to send, give up; the
        // threads end after their current read. Joining each thread (a
        // native join) also waits for its thread-local destructors: the
        // scope alone waits only for the closures, and no thread may
        // outlive `filter`.
        window.close();
        for t in threads {
            let _ = t.join();
        }
    });
    c.total
}
