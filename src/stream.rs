//! Filtering streams of records: NDJSON files, CloudTrail log files
//! (`{"Records":[…]}`, concatenated documents too), gzip (detected by its
//! magic bytes, multi-member included), standard input.
//!
//! Work is split into jobs — one per input, and one per newline-aligned
//! range of a large uncompressed NDJSON file — run by `jobs` threads. Each
//! job sends its results in pieces through its own bounded channel, and the
//! caller's thread takes the jobs in input order, so output comes out in
//! input order while memory stays bounded: a few pieces per thread, plus
//! the largest single record.
//!
//! Every record is accounted for: `records = logged + not_logged +
//! not_governed + unparseable`, and damaged inputs (a truncated gzip, an
//! unreadable file) are reported, with everything decoded before the damage
//! still processed.

use crate::eval::Verdict;
use crate::event::fast::{Decider, Emit, Mode};
use crate::event::skip::skip_container;
use crate::Program;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

/// Where records come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
    /// Bytes in memory, with a name for messages (embedders, fuzzing).
    Memory(String, Arc<[u8]>),
}

impl Source {
    /// The name used in messages.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "-".to_string(),
            Source::File(p) => p.display().to_string(),
            Source::Memory(name, _) => name.clone(),
        }
    }
}

/// How to filter.
#[derive(Clone, Debug)]
pub struct Options {
    /// Fast (stop reading a record once it cannot be logged) or validating.
    pub mode: Mode,
    /// Emit the records that are not logged instead of the logged ones.
    pub invert: bool,
    /// Collect emitted records' bytes (false for `--count`).
    pub output: bool,
    /// Collect unparseable records' bytes (for `--rejects`).
    pub rejects: bool,
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
    /// Largest record read into memory. A longer NDJSON line is counted as
    /// unparseable and skipped without being held; a longer `Records`
    /// element ends its file with an error.
    pub max_record: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mode: Mode::Fast,
            invert: false,
            output: true,
            rejects: false,
            strict: false,
            jobs: 1,
            chunk: 256 << 10,
            progress: None,
            stop: Arc::new(AtomicBool::new(false)),
            max_record: DEFAULT_MAX_RECORD,
            categories: false,
        }
    }
}

/// Default [`Options::max_record`]: 32 MiB (CloudTrail caps events at 256 KB).
pub const DEFAULT_MAX_RECORD: usize = 32 << 20;

/// Record accounting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

/// Where an unparseable record is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// 1-based line of an NDJSON file.
    Line(u64),
    /// 0-based element of a `Records` array, and its byte offset in the
    /// (decompressed) file.
    Element {
        /// Index among the file's records.
        index: u64,
        /// Byte offset.
        offset: u64,
    },
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Line(l) => write!(f, "line {l}"),
            Location::Element { index, offset } => write!(f, "record {index} (byte {offset})"),
        }
    }
}

/// What the caller is given, in input order.
#[derive(Debug)]
pub enum Event<'a> {
    /// Emitted records, each followed by a newline.
    Output(&'a [u8]),
    /// Unparseable records' bytes, each followed by a newline.
    Rejects(&'a [u8]),
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
        /// Why.
        message: &'a str,
    },
}

/// The caller's answer to an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Continue,
    /// Stop everything now.
    Stop,
}

/// One job's results so far.
#[derive(Default)]
struct Piece {
    out: Vec<u8>,
    rejects: Vec<u8>,
    counts: Counts,
    bad: Vec<(Location, String)>,
    /// Lines started in this piece (NDJSON), for numbering ranges.
    lines: u64,
    error: Option<String>,
}

/// What part of a source a job reads.
#[derive(Clone, Debug)]
enum Extent {
    /// All of it (any container, compressed or not).
    Whole,
    /// The lines starting in this byte range of a plain NDJSON file.
    Range(u64, u64),
}

#[derive(Clone, Debug)]
struct Job {
    source: usize,
    extent: Extent,
}

/// Reads a source and counts bytes for progress.
struct Counting<R> {
    inner: R,
    counter: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(c) = &self.counter {
            c.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::UnexpectedEof => "unexpected end of data (truncated?)".into(),
        _ => {
            let s = e.to_string();
            s.find(" (os error")
                .map_or(s.clone(), |i| s[..i].to_string())
        }
    }
}

/// The message of the error a stopped read returns.
const STOPPED: &str = "stopped";

fn open(source: &Source, stop: &Arc<AtomicBool>) -> io::Result<Box<dyn Read + Send>> {
    match source {
        // Standard input may block indefinitely: read it in a thread so
        // that a stop request (SIGINT) is noticed.
        Source::Stdin => Ok(Box::new(ReadAhead::spawn_with_stop(
            Box::new(io::stdin()),
            Some(stop.clone()),
        ))),
        Source::Memory(_, bytes) => Ok(Box::new(io::Cursor::new(bytes.clone()))),
        Source::File(p) => {
            if p.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            Ok(Box::new(File::open(p)?))
        }
    }
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
            let mut head = [0u8; 512];
            let n = File::open(p)
                .and_then(|mut f| f.read(&mut head))
                .unwrap_or(0);
            head[..n].first() != Some(&0x1f) && detect_records(&head[..n]) == Some(false)
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

/// `Some(true)` when the text starts a `{"Records": …}` document,
/// `Some(false)` when it starts something else, `None` when it is too short
/// to tell.
fn detect_records(head: &[u8]) -> Option<bool> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut i = 0;
    let ws = |i: &mut usize| {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = head.get(*i) {
            *i += 1;
        }
    };
    ws(&mut i);
    match head.get(i) {
        None => return None,
        Some(b'{') => i += 1,
        Some(_) => return Some(false),
    }
    ws(&mut i);
    let rest = head.get(i..)?;
    if rest.len() < 9 {
        return if b"\"Records\"".starts_with(rest) {
            None
        } else {
            Some(false)
        };
    }
    Some(rest.starts_with(b"\"Records\""))
}

/// Filters `sources` with `program`, calling `sink` with events in input
/// order on the caller's thread. Returns the counts over everything read.
pub fn filter(
    program: &Program,
    sources: &[Source],
    options: &Options,
    sink: &mut dyn FnMut(Event<'_>) -> Flow,
) -> Counts {
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    let jobs = plan(sources, options);
    let mut total = Counts {
        per_selector: vec![0; program.selector_count()],
        ..Counts::default()
    };
    let mut lines_before: Vec<u64> = vec![0; sources.len()];
    let mut deliver = |job: &Job, piece: Piece, total: &mut Counts| -> Flow {
        total.add(&piece.counts);
        let name = &names[job.source];
        let mut flow = Flow::Continue;
        if !piece.out.is_empty() && sink(Event::Output(&piece.out)) == Flow::Stop {
            flow = Flow::Stop;
        }
        if !piece.rejects.is_empty() && sink(Event::Rejects(&piece.rejects)) == Flow::Stop {
            flow = Flow::Stop;
        }
        for (at, message) in &piece.bad {
            let at = match at {
                Location::Line(l) => Location::Line(l + lines_before[job.source]),
                other => other.clone(),
            };
            if sink(Event::Unparseable {
                source: name,
                at,
                message,
            }) == Flow::Stop
            {
                flow = Flow::Stop;
            }
        }
        lines_before[job.source] += piece.lines;
        if let Some(e) = &piece.error {
            if sink(Event::SourceError {
                source: name,
                message: e,
            }) == Flow::Stop
            {
                flow = Flow::Stop;
            }
        }
        flow
    };
    if options.jobs <= 1 {
        for job in &jobs {
            let mut stopped = false;
            run_job(program, sources, job, options, &mut |piece| {
                if deliver(job, piece, &mut total) == Flow::Stop {
                    options.stop.store(true, Ordering::Relaxed);
                    stopped = true;
                }
                !stopped
            });
            if stopped || options.stop.load(Ordering::Relaxed) {
                break;
            }
        }
        return total;
    }
    let channels: Vec<(SyncSender<Piece>, Receiver<Piece>)> =
        jobs.iter().map(|_| sync_channel(4)).collect();
    // Each job's sender is taken by the thread that runs the job and dropped
    // when it is done, which ends the collector's iteration over that job.
    let (senders, receivers): (Vec<_>, Vec<_>) = channels
        .into_iter()
        .map(|(tx, rx)| (std::sync::Mutex::new(Some(tx)), rx))
        .unzip();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let mut threads = Vec::new();
        for _ in 0..options.jobs.min(jobs.len()).max(1) {
            let senders = &senders;
            let jobs = &jobs;
            let next = &next;
            threads.push(scope.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(k) else { return };
                let tx = senders[k].lock().ok().and_then(|mut t| t.take());
                let Some(tx) = tx else { continue };
                run_job(program, sources, job, options, &mut |piece| {
                    tx.send(piece).is_ok()
                });
            }));
        }
        for (job, rx) in jobs.iter().zip(receivers) {
            let mut stop = false;
            for piece in rx.iter() {
                if deliver(job, piece, &mut total) == Flow::Stop {
                    stop = true;
                    break;
                }
            }
            if stop || options.stop.load(Ordering::Relaxed) {
                options.stop.store(true, Ordering::Relaxed);
                break;
            }
        }
        // Receivers of unfinished jobs are dropped by now, so their senders
        // fail and the threads end. Joining each thread (a native join)
        // also waits for its thread-local destructors: the scope alone
        // waits only for the closures, and no thread may outlive `filter`.
        for t in threads {
            let _ = t.join();
        }
    });
    total
}

/// Runs one job, handing pieces to `send`; `send` returns false to stop.
fn run_job(
    program: &Program,
    sources: &[Source],
    job: &Job,
    options: &Options,
    send: &mut dyn FnMut(Piece) -> bool,
) {
    let source = &sources[job.source];
    let reader = match open(source, &options.stop) {
        Ok(r) => r,
        Err(e) => {
            send(Piece {
                error: Some(describe(&e)),
                ..Piece::default()
            });
            return;
        }
    };
    let mode = if options.categories {
        Mode::Validate
    } else {
        options.mode
    };
    let mut decider = Decider::new(program, mode);
    let mut w = Worker {
        decider: &mut decider,
        options,
        piece: Piece::default(),
        selectors: program.selector_count(),
        send,
        stopped: false,
    };
    match &job.extent {
        Extent::Whole => w.whole(reader),
        Extent::Range(start, end) => w.range(source, *start, *end),
    }
}

struct Worker<'a, 'p> {
    decider: &'a mut Decider<'p>,
    options: &'a Options,
    piece: Piece,
    selectors: usize,
    send: &'a mut dyn FnMut(Piece) -> bool,
    stopped: bool,
}

impl Worker<'_, '_> {
    fn flush(&mut self) {
        let piece = std::mem::take(&mut self.piece);
        if !(self.send)(piece) {
            self.stopped = true;
        }
    }

    fn should_stop(&self) -> bool {
        self.stopped || self.options.stop.load(Ordering::Relaxed)
    }

    fn fail(&mut self, message: String) {
        // A read ended by a stop request is not a damaged input.
        if !self.options.stop.load(Ordering::Relaxed) {
            self.piece.error = Some(message);
        }
        self.flush();
    }

    fn emit(&self) -> Emit {
        if self.options.invert {
            Emit::NotLogged
        } else {
            Emit::Logged
        }
    }

    /// Decides one record; returns false when the job must stop (strict).
    fn record(&mut self, bytes: &[u8], at: impl FnOnce() -> Location) -> bool {
        let v = self.decider.decide(bytes, self.emit());
        self.account(bytes, v, at)
    }

    /// Counts and emits a decided record; false when the job must stop.
    fn account(
        &mut self,
        bytes: &[u8],
        verdict: Result<Verdict, crate::event::ScanError>,
        at: impl FnOnce() -> Location,
    ) -> bool {
        let c = &mut self.piece.counts;
        if c.per_selector.len() < self.selectors {
            c.per_selector.resize(self.selectors, 0);
        }
        c.records += 1;
        c.bytes += bytes.len() as u64;
        if self.options.categories {
            if let (Ok(v), Some(cat)) = (&verdict, self.decider.category()) {
                let e = c.by_category.entry(cat).or_default();
                e.0 += 1;
                e.1 += u64::from(v.is_logged());
            }
        }
        match verdict {
            Ok(v) => {
                let emitted = match &v {
                    Verdict::Logged { selectors, .. } => {
                        c.logged += 1;
                        for s in selectors {
                            if let Some(n) = c.per_selector.get_mut(*s as usize) {
                                *n += 1;
                            }
                        }
                        !self.options.invert
                    }
                    Verdict::NotLogged { .. } => {
                        c.not_logged += 1;
                        self.options.invert
                    }
                    Verdict::NotGoverned => {
                        c.not_governed += 1;
                        false
                    }
                };
                if emitted && self.options.output {
                    push_line(&mut self.piece.out, bytes);
                }
                true
            }
            Err(e) => {
                c.unparseable += 1;
                if self.options.rejects {
                    push_line(&mut self.piece.rejects, bytes);
                }
                self.piece.bad.push((at(), e.to_string()));
                !self.options.strict
            }
        }
    }

    fn whole(&mut self, reader: Box<dyn Read + Send>) {
        let mut r = Counting {
            inner: reader,
            counter: self.options.progress.clone(),
        };
        let mut head = Vec::with_capacity(512);
        if let Err(e) = (&mut r).take(2).read_to_end(&mut head) {
            return self.fail(describe(&e));
        }
        let reader: Box<dyn Read + Send> = if head.starts_with(&[0x1f, 0x8b]) {
            let gz = flate2::read::MultiGzDecoder::new(io::Cursor::new(head).chain(r));
            if self.options.jobs > 1 {
                // Inflate is the slowest stage: give it its own thread.
                Box::new(ReadAhead::spawn(Box::new(gz)))
            } else {
                Box::new(gz)
            }
        } else {
            Box::new(io::Cursor::new(head).chain(r))
        };
        let mut buf = Buffer::new(reader, self.options.chunk, self.options.max_record);
        if let Err(e) = buf.fill_at_least(512) {
            self.fail(describe(&e));
            return;
        }
        if buf.data().starts_with(b"\xEF\xBB\xBF") {
            buf.consume(3);
        }
        match detect_records(buf.data()) {
            Some(true) => self.records_docs(&mut buf),
            _ => self.lines(&mut buf, None, 0),
        }
    }

    fn range(&mut self, source: &Source, start: u64, end: u64) {
        let Source::File(p) = source else { return };
        let mut f = match File::open(p) {
            Ok(f) => f,
            Err(e) => return self.fail(describe(&e)),
        };
        // A line belongs to the range holding its first byte.
        let from = start.saturating_sub(1);
        if let Err(e) = f.seek(SeekFrom::Start(from)) {
            return self.fail(describe(&e));
        }
        let reader = Counting {
            inner: f,
            counter: self.options.progress.clone(),
        };
        let mut buf = Buffer::new(
            Box::new(reader),
            self.options.chunk,
            self.options.max_record,
        );
        if start > 0 {
            // Drop the tail of the line that started before this range.
            loop {
                if let Some(k) = memchr::memchr(b'\n', buf.data()) {
                    buf.consume(k + 1);
                    break;
                }
                let n = buf.data().len();
                buf.consume(n);
                match buf.fill() {
                    Ok(0) => return self.flush(),
                    Ok(_) => {}
                    Err(e) => return self.fail(describe(&e)),
                }
            }
        }
        let pos = from + buf.offset();
        self.lines(&mut buf, Some(end), pos);
    }

    /// NDJSON: `limit` ends a range at the first line starting at or after
    /// it; `pos` is the file offset of the buffer's start.
    /// Line locations are relative to the piece; the collector adds the
    /// lines of the source's earlier pieces.
    fn lines(&mut self, buf: &mut Buffer, limit: Option<u64>, mut pos: u64) {
        loop {
            if self.should_stop() {
                return;
            }
            // A read error ends the input: what was decoded before it is
            // processed like any input, then the error is reported.
            // After a stop request only complete lines count: the last one
            // was cut by the stop, not by the input.
            let (eof, error) = match buf.fill() {
                Ok(0) => (true, None),
                Ok(_) => (false, None),
                Err(e) => (
                    !self.options.stop.load(Ordering::Relaxed),
                    Some(describe(&e)),
                ),
            };
            let data = buf.data();
            let complete = if eof {
                data.len()
            } else {
                match memchr::memrchr(b'\n', data) {
                    Some(k) => k + 1,
                    None if data.len() > self.options.max_record => {
                        match self.oversized(buf) {
                            Some(consumed) => pos += consumed,
                            None => return,
                        }
                        continue;
                    }
                    // A line longer than the buffer: `fill` grows it when full.
                    None => continue,
                }
            };
            let mut i = 0;
            let mut go_on = true;
            let emit = self.emit();
            while i < complete {
                if limit.is_some_and(|l| pos + i as u64 >= l) {
                    go_on = false;
                    break;
                }
                let line = self.decider.decide_line(&data[..complete], i, emit);
                self.piece.lines += 1;
                let next = line.end + 1;
                if let Some(v) = line.verdict {
                    let at = self.piece.lines;
                    if !self.account(&data[line.record], v, || Location::Line(at)) {
                        go_on = false;
                        i = next;
                        break;
                    }
                }
                i = next;
            }
            let used = i.min(data.len());
            buf.consume(used);
            pos += used as u64;
            if let Some(e) = error {
                return self.fail(e);
            }
            if !go_on || eof {
                self.flush();
                return;
            }
            if self.piece.out.len() + self.piece.rejects.len() > (1 << 20)
                || self.piece.counts.records > 0
            {
                self.flush();
            }
        }
    }

    /// Counts the line at the buffer's start as unparseable and discards
    /// it up to its end, reading on without holding it. Returns the bytes
    /// consumed, or `None` to stop.
    fn oversized(&mut self, buf: &mut Buffer) -> Option<u64> {
        let limit = self.options.max_record;
        let mut len = 0u64;
        let mut consumed = 0u64;
        loop {
            let data = buf.data();
            if let Some(k) = memchr::memchr(b'\n', data) {
                len += k as u64;
                consumed += k as u64 + 1;
                buf.consume(k + 1);
                break;
            }
            consumed += data.len() as u64;
            len += data.len() as u64;
            let n = data.len();
            buf.consume(n);
            match buf.fill() {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    self.fail(describe(&e));
                    return None;
                }
            }
        }
        buf.shrink();
        let c = &mut self.piece.counts;
        c.records += 1;
        c.unparseable += 1;
        c.bytes += len;
        self.piece.lines += 1;
        let at = self.piece.lines;
        self.piece.bad.push((
            Location::Line(at),
            format!("record of {len} bytes is larger than the {limit}-byte limit; skipped"),
        ));
        (!self.options.strict).then_some(consumed)
    }

    /// `{"Records":[…]}` documents, one after another.
    fn records_docs(&mut self, buf: &mut Buffer) {
        let mut index = 0u64;
        loop {
            match self.records_doc(buf, &mut index) {
                Ok(true) => {}
                Ok(false) => break,
                Err(message) => {
                    self.fail(message);
                    return;
                }
            }
            if self.should_stop() {
                return;
            }
        }
        self.flush();
    }

    /// One document; Ok(false) at a clean end of input.
    fn records_doc(&mut self, buf: &mut Buffer, index: &mut u64) -> Result<bool, String> {
        let eio = |e: io::Error| describe(&e);
        if !buf.skip_ws().map_err(eio)? {
            return Ok(false);
        }
        if buf.next_byte() != Some(b'{') {
            return Err(format!(
                "expected a CloudTrail log file object at byte {}",
                buf.offset()
            ));
        }
        buf.consume(1);
        // Members before "Records" are skipped; "Records" is streamed.
        loop {
            buf.skip_ws().map_err(eio)?;
            match buf.next_byte() {
                Some(b'}') => {
                    buf.consume(1);
                    return Ok(true);
                }
                Some(b',') => {
                    buf.consume(1);
                    continue;
                }
                Some(b'"') => {}
                _ => return Err(format!("malformed log file at byte {}", buf.offset())),
            }
            let key = buf
                .take_string()
                .map_err(eio)?
                .ok_or_else(|| format!("malformed log file at byte {}", buf.offset()))?;
            buf.skip_ws().map_err(eio)?;
            if buf.next_byte() != Some(b':') {
                return Err(format!("malformed log file at byte {}", buf.offset()));
            }
            buf.consume(1);
            buf.skip_ws().map_err(eio)?;
            if key != b"Records" || buf.next_byte() != Some(b'[') {
                buf.skip_value()
                    .map_err(eio)?
                    .ok_or_else(|| format!("malformed log file at byte {}", buf.offset()))?;
                continue;
            }
            buf.consume(1);
            loop {
                if self.should_stop() {
                    return Ok(false);
                }
                buf.skip_ws().map_err(eio)?;
                match buf.next_byte() {
                    Some(b']') => {
                        buf.consume(1);
                        break;
                    }
                    Some(b',') => {
                        buf.consume(1);
                        continue;
                    }
                    None => {
                        return Err(format!(
                            "log file ends inside the Records array (byte {})",
                            buf.offset()
                        ));
                    }
                    Some(_) => {}
                }
                let offset = buf.offset();
                let complete = buf.element_len(self.options.max_record).map_err(eio)?;
                if complete.is_none() && buf.data().len() > self.options.max_record {
                    let i = *index;
                    let c = &mut self.piece.counts;
                    c.records += 1;
                    c.unparseable += 1;
                    self.piece.bad.push((
                        Location::Element { index: i, offset },
                        format!(
                            "record larger than the {}-byte limit",
                            self.options.max_record
                        ),
                    ));
                    return Err(format!("record {i} (byte {offset}) is larger than the {}-byte limit; the rest of the file is skipped", self.options.max_record));
                }
                let (len, ok) = match complete {
                    Some(n) => (n, true),
                    None => (buf.data().len(), false),
                };
                let mut rec = buf.data()[..len].to_vec();
                // Raw line breaks can only be whitespace in JSON: keep the
                // output one record per line.
                for b in rec.iter_mut() {
                    if *b == b'\n' || *b == b'\r' {
                        *b = b' ';
                    }
                }
                let i = *index;
                *index += 1;
                let keep = self.record(&rec, || Location::Element { index: i, offset });
                buf.consume(len);
                if !ok {
                    return Err(format!("log file ends inside record {i} (byte {offset})"));
                }
                if !keep {
                    return Ok(false);
                }
                if self.piece.out.len() > (1 << 20) || self.piece.counts.records >= 4096 {
                    self.flush();
                }
            }
        }
    }
}

/// A reader fed by a thread that reads ahead (inflating, for gzip) into a
/// few bounded buffers.
struct ReadAhead {
    rx: Option<Receiver<io::Result<Vec<u8>>>>,
    /// The producer: joined on drop when `joinable`, so that no thread
    /// outlives the filter. Not for standard input: a read blocked on a
    /// terminal cannot be cancelled.
    thread: Option<std::thread::JoinHandle<()>>,
    cur: Vec<u8>,
    pos: usize,
    /// Checked while waiting, so that a stop request ends a read that the
    /// source would block (a terminal, a quiet pipe).
    stop: Option<Arc<AtomicBool>>,
    joinable: bool,
}

impl ReadAhead {
    fn spawn(inner: Box<dyn Read + Send>) -> ReadAhead {
        let mut r = ReadAhead::spawn_with_stop(inner, None);
        r.joinable = true;
        r
    }

    fn spawn_with_stop(
        mut inner: Box<dyn Read + Send>,
        stop: Option<Arc<AtomicBool>>,
    ) -> ReadAhead {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(4);
        let thread = std::thread::spawn(move || loop {
            let mut buf = vec![0u8; 1 << 20];
            let mut n = 0;
            let result = loop {
                if n == buf.len() {
                    break Ok(());
                }
                match inner.read(&mut buf[n..]) {
                    Ok(0) => break Ok(()),
                    Ok(k) => n += k,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            };
            buf.truncate(n);
            let end = n == 0 || result.is_err();
            if n > 0 && tx.send(Ok(buf)).is_err() {
                return;
            }
            if let Err(e) = result {
                let _ = tx.send(Err(e));
            }
            if end {
                return;
            }
        });
        ReadAhead {
            rx: Some(rx),
            thread: Some(thread),
            joinable: false,
            cur: Vec::new(),
            pos: 0,
            stop,
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        // Dropping the receiver makes the producer's next send fail; it then
        // ends after the read in progress.
        drop(self.rx.take());
        if let Some(t) = self.thread.take() {
            if self.joinable {
                let _ = t.join();
            }
        }
    }
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.cur.len() {
            let Some(rx) = &self.rx else { return Ok(0) };
            let next = match &self.stop {
                None => rx.recv().map_err(|_| ()),
                Some(stop) => loop {
                    match rx.recv_timeout(std::time::Duration::from_millis(50)) {
                        Ok(v) => break Ok(v),
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break Err(()),
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                            if stop.load(Ordering::Relaxed) {
                                return Err(io::Error::new(io::ErrorKind::Interrupted, STOPPED));
                            }
                        }
                    }
                },
            };
            match next {
                Ok(Ok(v)) => {
                    self.cur = v;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(()) => return Ok(0),
            }
        }
        let n = out.len().min(self.cur.len() - self.pos);
        out[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn push_line(out: &mut Vec<u8>, rec: &[u8]) {
    out.extend_from_slice(rec);
    out.push(b'\n');
}

/// A read buffer over a stream, compacted as it is consumed.
struct Buffer {
    r: Box<dyn Read + Send>,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    chunk: usize,
    max: usize,
    consumed: u64,
    eof: bool,
}

impl Buffer {
    fn new(r: Box<dyn Read + Send>, chunk: usize, max: usize) -> Buffer {
        Buffer {
            r,
            buf: vec![0; chunk.max(4096)],
            start: 0,
            end: 0,
            chunk: chunk.max(4096),
            max,
            consumed: 0,
            eof: false,
        }
    }

    fn data(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.consumed += n as u64;
    }

    fn offset(&self) -> u64 {
        self.consumed
    }

    /// Doubles the buffer, but never past the record limit plus a chunk:
    /// a longer line is skipped, not held.
    fn grow(&mut self) {
        let new = (self.buf.len() * 2)
            .min(self.max.saturating_add(self.chunk))
            .max(self.buf.len() + 1);
        self.buf.resize(new, 0);
    }

    /// Returns to the initial size after an oversized record.
    fn shrink(&mut self) {
        if self.buf.len() > self.chunk && self.end - self.start <= self.chunk {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            self.buf.truncate(self.chunk);
            self.buf.shrink_to_fit();
        }
    }

    /// Reads more (moving the unconsumed bytes to the front first); the
    /// number of new bytes, 0 at the end.
    fn fill(&mut self) -> io::Result<usize> {
        if self.eof {
            return Ok(0);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            self.grow();
        }
        let mut total = 0;
        while self.end < self.buf.len() && total < self.chunk {
            match self.r.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.end += n;
                    total += n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted && e.to_string() != STOPPED => {}
                Err(e) => {
                    self.eof = true;
                    return Err(e);
                }
            }
        }
        Ok(total)
    }

    fn fill_at_least(&mut self, n: usize) -> io::Result<()> {
        while self.data().len() < n && self.fill()? > 0 {}
        Ok(())
    }

    fn next_byte(&self) -> Option<u8> {
        self.data().first().copied()
    }

    /// Skips whitespace, reading as needed; false at the end of input.
    fn skip_ws(&mut self) -> io::Result<bool> {
        loop {
            let k = self
                .data()
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
            match k {
                Some(k) => {
                    self.consume(k);
                    return Ok(true);
                }
                None => {
                    let n = self.data().len();
                    self.consume(n);
                    if self.fill()? == 0 {
                        return Ok(false);
                    }
                }
            }
        }
    }

    /// Makes sure a whole value is buffered and returns its length: an
    /// object or array by bracket matching, a string, or a scalar.
    fn element_len(&mut self, limit: usize) -> io::Result<Option<usize>> {
        loop {
            let d = self.data();
            let found = match d.first() {
                Some(b'{' | b'[') => skip_container(d, 0),
                Some(b'"') => {
                    let mut j = 1;
                    loop {
                        match memchr::memchr2(b'"', b'\\', &d[j.min(d.len())..]) {
                            Some(k) if d[j + k] == b'"' => break Some(j + k + 1),
                            Some(k) => j += k + 2,
                            None => break None,
                        }
                    }
                }
                Some(_) => d
                    .iter()
                    .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                    .filter(|k| *k > 0),
                None => None,
            };
            if found.is_some() || self.data().len() > limit {
                return Ok(found);
            }
            if self.fill()? == 0 {
                return Ok(None);
            }
        }
    }

    fn take_string(&mut self) -> io::Result<Option<Vec<u8>>> {
        let Some(n) = self.element_len(usize::MAX)? else {
            return Ok(None);
        };
        let s = self.data()[1..n - 1].to_vec();
        self.consume(n);
        Ok(Some(s))
    }

    fn skip_value(&mut self) -> io::Result<Option<()>> {
        let Some(n) = self.element_len(usize::MAX)? else {
            return Ok(None);
        };
        self.consume(n);
        Ok(Some(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_log_files() {
        assert_eq!(detect_records(br#"{"Records":[]}"#), Some(true));
        assert_eq!(
            detect_records(b"\xEF\xBB\xBF { \n \"Records\" : ["),
            Some(true)
        );
        assert_eq!(detect_records(br#"{"eventVersion":"1.08"}"#), Some(false));
        assert_eq!(detect_records(br#"{"Rec"#), None);
        assert_eq!(detect_records(b"[]"), Some(false));
        assert_eq!(detect_records(b"  "), None);
    }
}
