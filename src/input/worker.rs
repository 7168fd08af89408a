//! One job: open its source, pick the container reader, decide each record
//! and account for it in pieces that the collector puts in order.

use super::buffer::Buffer;
use super::open::{encoding, open, Counting, Encoding, ReadAhead};
use super::{
    io_failure, logfile, Extent, InputErrorKind, Job, Location, Options, Place, Report, Source,
};
use crate::eval::Verdict;
use crate::record::ScanError;
use crate::record::{Decider, Emit, Mode};
use crate::Program;
use std::io::{self, Read};
use std::sync::atomic::Ordering;

/// One record's verdict, kept for [`Report::Verdicts`]; locations are
/// relative to the job's start until the collector fixes them.
pub(crate) struct Held {
    pub(crate) at: Location,
    pub(crate) verdict: Result<Verdict, String>,
    /// The record's bytes in [`Piece::held`].
    pub(crate) bytes: Option<std::ops::Range<usize>>,
}

/// One job's results so far.
#[derive(Default)]
pub(crate) struct Piece {
    pub(crate) out: Vec<u8>,
    pub(crate) rejects: Vec<u8>,
    pub(crate) counts: super::Counts,
    pub(crate) bad: Vec<(Location, String)>,
    pub(crate) decided: Vec<Held>,
    pub(crate) held: Vec<u8>,
    /// Lines started in this piece (NDJSON), for numbering ranges.
    pub(crate) lines: u64,
    pub(crate) warning: Option<String>,
    pub(crate) error: Option<super::Failure>,
}

impl Piece {
    /// Bytes held: a piece is handed on before it grows past a bound.
    pub(crate) fn size(&self) -> usize {
        self.out.len() + self.rejects.len() + self.held.len() + self.decided.len() * 64
    }
}

/// A piece is handed on once it holds this much (or this many records).
const PIECE_BYTES: usize = 1 << 20;
const PIECE_RECORDS: u64 = 4096;

/// Runs one job, handing pieces to `send`; `send` returns false to stop.
pub(crate) fn run_job(
    program: &Program,
    sources: &[Source],
    job: &Job,
    options: &Options,
    send: &mut dyn FnMut(Piece) -> bool,
) {
    let source = &sources[job.source];
    let mode = if options.categories || options.report != Report::Emitted {
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
        Extent::Whole => match open(source, &options.stop, options.streaming) {
            Ok(r) => w.whole(r, source),
            Err(e) => w.fail(io_failure(&e)),
        },
        Extent::Range(start, end) => w.range(source, *start, *end),
    }
}

pub(crate) struct Worker<'a, 'p> {
    pub(crate) decider: &'a mut Decider<'p>,
    pub(crate) options: &'a Options,
    pub(crate) piece: Piece,
    selectors: usize,
    send: &'a mut dyn FnMut(Piece) -> bool,
    stopped: bool,
}

impl Worker<'_, '_> {
    pub(crate) fn flush(&mut self) {
        let piece = std::mem::take(&mut self.piece);
        if !(self.send)(piece) {
            self.stopped = true;
        }
    }

    /// Hands the piece on when it is large, or at once when streaming.
    pub(crate) fn maybe_flush(&mut self) {
        let p = &self.piece;
        if p.size() > PIECE_BYTES
            || p.counts.records >= PIECE_RECORDS
            || (self.options.streaming && p.counts.records > 0)
        {
            self.flush();
        }
    }

    pub(crate) fn should_stop(&self) -> bool {
        self.stopped || self.options.stop.load(Ordering::Relaxed)
    }

    pub(crate) fn fail(&mut self, failure: super::Failure) {
        // A read ended by a stop request is not a damaged input.
        if !self.options.stop.load(Ordering::Relaxed) {
            self.piece.error = Some(failure);
        }
        self.flush();
    }

    pub(crate) fn emit(&self) -> Emit {
        if self.options.invert {
            Emit::NotLogged
        } else {
            Emit::Logged
        }
    }

    /// Where the next record is, relative to the job's start.
    pub(crate) fn here(&self, place: Place) -> Location {
        Location {
            index: self.piece.counts.records,
            place,
        }
    }

    /// Decides one record; returns false when the job must stop (strict).
    pub(crate) fn record(&mut self, bytes: &[u8], place: Place) -> bool {
        let v = self.decider.decide(bytes, self.emit());
        self.account(bytes, v, place)
    }

    /// Counts a record that was too large to hold; false when the job must
    /// stop (strict).
    pub(crate) fn oversized(&mut self, len: u64, place: Place) -> bool {
        let at = self.here(place);
        let message = format!(
            "record of {len} bytes is larger than the {}-byte limit; skipped",
            self.options.max_record
        );
        let c = &mut self.piece.counts;
        c.records += 1;
        c.unparseable += 1;
        c.bytes += len;
        if self.options.report != Report::Emitted {
            self.piece.decided.push(Held {
                at,
                verdict: Err(message.clone()),
                bytes: None,
            });
        }
        self.piece.bad.push((at, message));
        !self.options.strict
    }

    /// Counts and emits a decided record; false when the job must stop.
    pub(crate) fn account(
        &mut self,
        bytes: &[u8],
        verdict: Result<Verdict, ScanError>,
        place: Place,
    ) -> bool {
        let at = self.here(place);
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
        let keep = match &verdict {
            Ok(v) => {
                let emitted = match v {
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
                self.piece.bad.push((at, e.to_string()));
                !self.options.strict
            }
        };
        if self.options.report != Report::Emitted {
            let held = (self.options.report == Report::VerdictsAndBytes).then(|| {
                let start = self.piece.held.len();
                self.piece.held.extend_from_slice(bytes);
                start..self.piece.held.len()
            });
            self.piece.decided.push(Held {
                at,
                verdict: verdict.map_err(|e| e.to_string()),
                bytes: held,
            });
        }
        keep
    }

    /// A whole source: plain or gzip, NDJSON or log files.
    fn whole(&mut self, reader: Box<dyn Read + Send>, source: &Source) {
        let mut r = Counting {
            inner: reader,
            counter: self.options.progress.clone(),
        };
        let mut head = Vec::with_capacity(8);
        if let Err(e) = (&mut r).take(6).read_to_end(&mut head) {
            return self.fail(io_failure(&e));
        }
        let head_kind = head.clone();
        let reader: Box<dyn Read + Send> = match encoding(&head) {
            Encoding::Gzip => {
                let gz = flate2::read::MultiGzDecoder::new(io::Cursor::new(head).chain(r));
                // Inflate is the slowest stage: a large file gets a thread of
                // its own. A small one (a CloudTrail log file is a few KB)
                // does not: a thread per file costs more than it saves, and
                // many files already keep every core busy.
                if self.options.jobs > 1
                    && !self.options.streaming
                    && size_hint(source).is_none_or(|n| n > READ_AHEAD_MIN)
                {
                    Box::new(ReadAhead::spawn(Box::new(gz), None, false, true))
                } else {
                    Box::new(gz)
                }
            }
            Encoding::Unsupported(kind) => {
                return self.fail((
                    InputErrorKind::Unsupported,
                    format!("{kind}-compressed, which ctsel does not read; decompress it first (ctsel reads gzip)"),
                ));
            }
            Encoding::Plain => Box::new(io::Cursor::new(head).chain(r)),
        };
        // A small plain file (a log file of a few records) needs no full
        // chunk: its buffer is its size.
        let chunk = match (encoding(&head_kind), size_hint(source)) {
            (Encoding::Plain, Some(n)) => self.options.chunk.min(n as usize + 1),
            _ => self.options.chunk,
        };
        let mut buf = Buffer::new(
            reader,
            chunk,
            self.options.max_record,
            self.options.streaming,
        );
        // Read only until the container is known: a slow writer's first
        // record must not wait for more. A read error here is kept by the
        // buffer and returned after the bytes before it, read as usual.
        while logfile::detect(buf.data()).is_none() {
            if !matches!(buf.fill(), Ok(n) if n > 0) {
                break;
            }
        }
        if buf.data().starts_with(b"\xEF\xBB\xBF") {
            buf.consume(3);
        }
        let log_file = match logfile::detect(buf.data()) {
            Some(true) => true,
            // CloudTrail writes `Records` first, other writers may not: the
            // first object decides (it is held anyway, as the first record).
            Some(false) if buf.data().first() == Some(&b'{') => {
                match buf.element_len(self.options.max_record) {
                    Ok(Some(n)) => logfile::has_records_member(&buf.data()[..n]),
                    _ => false,
                }
            }
            _ => false,
        };
        if log_file {
            self.log_files(&mut buf);
        } else {
            self.lines(&mut buf, None, 0);
        }
    }
}

/// The smallest compressed input that gets an inflate thread of its own.
const READ_AHEAD_MIN: u64 = 1 << 20;

fn size_hint(source: &Source) -> Option<u64> {
    match source {
        Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        Source::Memory(_, b) => Some(b.len() as u64),
        Source::Stdin => None,
    }
}

pub(crate) fn push_line(out: &mut Vec<u8>, rec: &[u8]) {
    out.extend_from_slice(rec);
    out.push(b'\n');
}
