//! A worker's state: the piece of results it is filling, and the
//! accounting of each decided record (counts, emitted bytes, verdicts).

use super::{Location, Options, Place, Report};
use crate::eval::Verdict;
use crate::record::ScanError;
use crate::record::{Decider, Emit};
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

pub(crate) struct Worker<'a, 'p> {
    pub(crate) decider: &'a mut Decider<'p>,
    pub(crate) options: &'a Options,
    pub(crate) piece: Piece,
    selectors: usize,
    send: &'a mut dyn FnMut(Piece) -> bool,
    stopped: bool,
}

impl<'a, 'p> Worker<'a, 'p> {
    pub(crate) fn new(
        decider: &'a mut Decider<'p>,
        options: &'a Options,
        selectors: usize,
        send: &'a mut dyn FnMut(Piece) -> bool,
    ) -> Worker<'a, 'p> {
        Worker {
            decider,
            options,
            piece: Piece::default(),
            selectors,
            send,
            stopped: false,
        }
    }
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
            let held = self.options.report.bytes().then(|| {
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
}

pub(crate) fn push_line(out: &mut Vec<u8>, rec: &[u8]) {
    out.extend_from_slice(rec);
    out.push(b'\n');
}
