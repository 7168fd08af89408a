//! The reorder window between the decision threads and the in-order
//! collector.
//!
//! Workers finish jobs out of order; the caller must see pieces in input
//! order. Pieces wait here until the collector reaches their job, and the
//! bytes waiting are bounded: a worker whose piece would overflow the window
//! waits — unless its job is the one the collector is on, which may always
//! add (so the window cannot deadlock, and the collector never starves).
//! Per-job state exists only while a job has pieces waiting, so a million
//! small files cost nothing up front.

use super::worker::Piece;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Bytes of decided output that may wait for the collector, over all jobs.
/// (See the module documentation.)
pub const WINDOW_BYTES: usize = 16 << 20;

/// What a piece costs in the window: its bytes plus a fixed overhead, so
/// that many empty pieces are bounded too.
fn cost(p: &Piece) -> usize {
    p.size() + 256
}

struct State {
    waiting: BTreeMap<usize, VecDeque<Piece>>,
    /// Jobs whose worker has finished (their last piece is in `waiting`).
    finished: std::collections::BTreeSet<usize>,
    /// The job the collector is on.
    head: usize,
    bytes: usize,
    /// The collector stopped: workers give up.
    closed: bool,
}

pub(crate) struct Window {
    jobs: usize,
    state: Mutex<State>,
    /// Signalled when a piece arrives or a job finishes.
    arrived: Condvar,
    /// Signalled when the collector takes a piece or moves on.
    room: Condvar,
}

impl Window {
    pub(crate) fn new(jobs: usize) -> Window {
        Window {
            jobs,
            state: Mutex::new(State {
                waiting: BTreeMap::new(),
                finished: std::collections::BTreeSet::new(),
                head: 0,
                bytes: 0,
                closed: false,
            }),
            arrived: Condvar::new(),
            room: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A worker that panicked while holding the lock leaves the state
        // as consistent as before its call: go on with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a piece of `job`; false when the collector has stopped.
    pub(crate) fn send(&self, job: usize, piece: Piece) -> bool {
        let c = cost(&piece);
        let mut s = self.lock();
        while !s.closed && job != s.head && s.bytes > 0 && s.bytes + c > WINDOW_BYTES {
            s = self.room.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        if s.closed {
            return false;
        }
        s.bytes += c;
        s.waiting.entry(job).or_default().push_back(piece);
        drop(s);
        self.arrived.notify_all();
        true
    }

    /// Marks `job` done: the collector moves past it once it is drained.
    pub(crate) fn finish(&self, job: usize) {
        self.lock().finished.insert(job);
        self.arrived.notify_all();
    }

    /// The next piece in input order, with its job; `None` when every job
    /// is done.
    pub(crate) fn next(&self) -> Option<(usize, Piece)> {
        let mut s = self.lock();
        loop {
            if s.head >= self.jobs || s.closed {
                return None;
            }
            let head = s.head;
            let piece = s.waiting.get_mut(&head).and_then(VecDeque::pop_front);
            if let Some(p) = piece {
                s.bytes -= cost(&p);
                if s.waiting.get(&head).is_some_and(VecDeque::is_empty) {
                    s.waiting.remove(&head);
                }
                drop(s);
                self.room.notify_all();
                return Some((head, p));
            }
            if s.finished.remove(&head) {
                s.head += 1;
                self.room.notify_all();
                continue;
            }
            s = self.arrived.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The collector stops: waiting workers give up, and later sends fail.
    pub(crate) fn close(&self) {
        let mut s = self.lock();
        s.closed = true;
        s.waiting.clear();
        s.bytes = 0;
        drop(s);
        self.room.notify_all();
        self.arrived.notify_all();
    }
}
