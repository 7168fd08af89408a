//! One job: open its source, recognise its encoding and container, and hand
//! it to the reader for that container (NDJSON lines or log-file elements).

use super::buffer::{Buffer, Held};
use super::inflate::{self, Inflated, WHOLE_MAX};
use super::open::{encoding, open, Counting, Encoding, Opened, ReadAhead};
use super::worker::{Piece, Worker};
use super::{io_failure, logfile, Extent, InputErrorKind, Job, Options, Report, Source};
use crate::compile::Program;
use crate::record::{Decider, Mode};
use std::io::{self, Read};

/// Runs one job, handing pieces to `send`; `send` returns false to stop.
pub(crate) fn run_job(
    program: &Program,
    sources: &[Source],
    job: &Job,
    options: &Options,
    send: &mut dyn FnMut(Piece) -> bool,
) {
    let source = &sources[job.source];
    // Per-record verdicts and categories are promised exact for every
    // record, so those reports read every byte; the routers' report keeps
    // the caller's mode.
    let exact = !matches!(
        options.report,
        Report::Emitted | Report::FastVerdictsAndBytes
    );
    let mode = if options.categories || exact {
        Mode::Validate
    } else {
        options.mode
    };
    let mut decider = Decider::new(program, mode);
    let mut w = Worker::new(&mut decider, options, program.selector_count(), send);
    match &job.extent {
        Extent::Whole => match open(source, &options.stop, options.streaming, options.map) {
            Ok(Opened::Stream(r, size)) => w.whole(r, size, true),
            Ok(Opened::Mapped(m)) => w.held(Held::Map(m)),
            Ok(Opened::Memory(b)) => w.held(Held::Shared(b)),
            Err(e) => w.fail(io_failure(&e)),
        },
        Extent::Range(start, end) => w.range(source, *start, *end),
    }
}

impl Worker<'_, '_> {
    /// A whole source: plain or gzip, NDJSON or log files. With
    /// `try_whole`, a small gzip file is first inflated whole.
    fn whole(&mut self, reader: Box<dyn Read + Send>, size: Option<u64>, try_whole: bool) {
        let mut r = Counting {
            inner: reader,
            counter: self.options.progress.clone(),
        };
        let mut head = Vec::with_capacity(8);
        if let Err(e) = (&mut r).take(6).read_to_end(&mut head) {
            return self.fail(io_failure(&e));
        }
        let kind = encoding(&head);
        let reader: Box<dyn Read + Send> = match kind {
            Encoding::Gzip => {
                let mut compressed: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(r));
                if let Some(n) =
                    size.filter(|&n| try_whole && !self.options.streaming && n <= WHOLE_MAX)
                {
                    let mut gz = Vec::with_capacity(n as usize + 1);
                    let read = compressed.read_to_end(&mut gz);
                    if read.is_ok() {
                        if let Some(bytes) = inflate::whole(&gz) {
                            return self.inflated(bytes);
                        }
                    }
                    // Damaged, multi-member, too large, or a read error:
                    // the streaming decoder reads what arrived as usual,
                    // then meets the error.
                    let rest: Box<dyn Read + Send> = match read {
                        Ok(_) => Box::new(io::empty()),
                        Err(e) => Box::new(Failed(Some(e))),
                    };
                    compressed = Box::new(io::Cursor::new(gz).chain(rest));
                }
                let gz = flate2::read::MultiGzDecoder::new(compressed);
                // Inflate is the slowest stage: a large file gets a thread of
                // its own. A small one (a CloudTrail log file is a few KB)
                // does not: a thread per file costs more than it saves, and
                // many files already keep every core busy.
                if self.options.jobs > 1
                    && !self.options.streaming
                    && size.is_none_or(|n| n > READ_AHEAD_MIN)
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
        // A small file (a log file of a few records) needs no full chunk:
        // a plain one gets its size, a gzip one a few times its compressed
        // size (CloudTrail JSON inflates about tenfold; the buffer grows
        // if that is not enough). Zeroing 256 KiB per file was a tenth of
        // the time on a tree of small log files.
        let chunk = match (kind, size) {
            (Encoding::Plain, Some(n)) => self.options.chunk.min(n as usize + 1),
            (Encoding::Gzip, Some(n)) => self.options.chunk.min((n as usize).saturating_mul(16)),
            _ => self.options.chunk,
        };
        let buf = Buffer::new(
            reader,
            chunk,
            self.options.max_record,
            self.options.streaming,
        );
        self.container(buf);
    }

    /// A mapped file or bytes in memory: plain bytes are decided where
    /// they are; gzip is inflated from them.
    fn held(&mut self, held: Held) {
        let bytes = held.bytes();
        let len = bytes.len() as u64;
        match encoding(&bytes[..bytes.len().min(6)]) {
            Encoding::Plain => {
                let buf = Buffer::held(
                    held,
                    0,
                    self.options.chunk,
                    self.options.max_record,
                    self.options.progress.clone(),
                );
                self.container(buf);
            }
            Encoding::Gzip if len <= WHOLE_MAX => match inflate::whole(bytes) {
                Some(inflated) => self.inflated(inflated),
                None => self.whole(held.reader(), Some(len), false),
            },
            _ => self.whole(held.reader(), Some(len), false),
        }
    }

    fn inflated(&mut self, bytes: Inflated) {
        let buf = Buffer::held(
            Held::Inflated(bytes),
            0,
            self.options.chunk,
            self.options.max_record,
            None,
        );
        self.container(buf);
    }

    /// Recognises the container (NDJSON or log files) and reads it.
    fn container(&mut self, mut buf: Buffer) {
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

/// A read error, returned after the bytes read before it.
struct Failed(Option<io::Error>);

impl Read for Failed {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}
