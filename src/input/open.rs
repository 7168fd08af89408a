//! Opening sources: files, standard input, bytes in memory; the
//! compression a source uses, from its magic bytes; a read-ahead thread for
//! sources that may block or that are slow to decode.

use super::map::Mapped;
use super::Source;
use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

/// An I/O error in words, without Rust's `(os error N)` suffix.
pub(crate) fn describe(e: &io::Error) -> String {
    if let Some(shrunk) = e
        .get_ref()
        .and_then(|r| r.downcast_ref::<super::map::Shrunk>())
    {
        return shrunk.to_string();
    }
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

/// The error a read returns when a stop was requested. Not of kind
/// `Interrupted`, which `std`'s read helpers retry for ever.
#[derive(Debug)]
struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped")
    }
}

impl std::error::Error for Stopped {}

fn stopped() -> io::Error {
    io::Error::other(Stopped)
}

/// The same error once more (`io::Error` is not `Clone`); a stop stays a
/// stop.
pub(crate) fn again(e: &io::Error) -> io::Error {
    if is_stopped(e) {
        stopped()
    } else if let Some(s) = e
        .get_ref()
        .and_then(|r| r.downcast_ref::<super::map::Shrunk>())
    {
        io::Error::from(*s)
    } else {
        io::Error::new(e.kind(), e.to_string())
    }
}

/// True for the error a read returns when a stop was requested.
pub(crate) fn is_stopped(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|r| r.is::<Stopped>())
}

/// How a source's bytes are encoded, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Plain,
    Gzip,
    /// Recognised, but not decoded: named in the error.
    Unsupported(&'static str),
}

pub(crate) fn encoding(head: &[u8]) -> Encoding {
    if head.starts_with(&[0x1f, 0x8b]) {
        Encoding::Gzip
    } else if head.starts_with(b"BZh") && head.get(3).is_some_and(|b| (b'1'..=b'9').contains(b)) {
        Encoding::Unsupported("bzip2")
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Encoding::Unsupported("zstd")
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Encoding::Unsupported("xz")
    } else {
        Encoding::Plain
    }
}

/// An opened source.
pub(crate) enum Opened {
    /// A stream, and its size when it is a regular file or bytes.
    Stream(Box<dyn Read + Send>, Option<u64>),
    /// A large regular file, mapped.
    Mapped(Mapped),
    /// Bytes in memory.
    Memory(bytes::Bytes),
}

/// Opens a source for reading. Standard input is read by a thread, so
/// that a stop request (SIGINT) is noticed while it is quiet; with
/// `streaming`, whatever one read returns is handed on at once. With
/// `map`, a regular file of at least that many bytes is mapped rather
/// than read.
pub(crate) fn open(
    source: &Source,
    stop: &Arc<AtomicBool>,
    streaming: bool,
    map: Option<u64>,
) -> io::Result<Opened> {
    match source {
        Source::Stdin => Ok(Opened::Stream(
            Box::new(ReadAhead::spawn(
                Box::new(io::stdin()),
                Some(stop.clone()),
                streaming,
                false,
            )),
            None,
        )),
        Source::Memory(_, bytes) => Ok(Opened::Memory(bytes.clone())),
        Source::File(p) => {
            let meta = std::fs::metadata(p)?;
            if meta.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            if is_fifo(&meta) {
                // Opening a FIFO blocks until a writer comes, and reading it
                // may block for ever: both happen in the reading thread, so
                // that a stop request is seen (a blocked open cannot be
                // cancelled, so that thread is not joined).
                return Ok(Opened::Stream(
                    Box::new(ReadAhead::spawn(
                        Box::new(OpenOnRead(Some(p.clone()), None)),
                        Some(stop.clone()),
                        true,
                        false,
                    )),
                    None,
                ));
            }
            let f = File::open(p)?;
            if meta.is_file() && map.is_some_and(|min| meta.len() >= min) {
                // Mapping needs the file's own descriptor: its size is
                // read again from it, since the file may have changed
                // since `metadata`.
                let len = f.metadata()?.len();
                match Mapped::new(f.try_clone()?, len) {
                    Some(m) => return Ok(Opened::Mapped(m)),
                    None => return Ok(Opened::Stream(Box::new(f), Some(len))),
                }
            }
            Ok(Opened::Stream(Box::new(f), Some(meta.len())))
        }
    }
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// A file opened by its first read.
struct OpenOnRead(Option<std::path::PathBuf>, Option<File>);

impl Read for OpenOnRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(p) = self.0.take() {
            self.1 = Some(File::open(p)?);
        }
        match &mut self.1 {
            Some(f) => f.read(buf),
            None => Ok(0),
        }
    }
}

/// Reads a source and counts bytes for progress.
pub(crate) struct Counting<R> {
    pub(crate) inner: R,
    pub(crate) counter: Option<Arc<AtomicU64>>,
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

/// Bytes handed from the read-ahead thread at a time (at most).
const AHEAD_CHUNK: usize = 1 << 20;

/// A reader fed by a thread that reads ahead (inflating, for gzip) into a
/// few bounded buffers.
pub(crate) struct ReadAhead {
    rx: Option<Receiver<io::Result<Vec<u8>>>>,
    /// The producer: joined on drop when `joinable`, so that no thread
    /// outlives the run. Not for standard input: a read blocked on a
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
    /// `streaming`: send whatever one read returns, rather than waiting for
    /// a full chunk (a slow pipe's records must not wait for more).
    pub(crate) fn spawn(
        mut inner: Box<dyn Read + Send>,
        stop: Option<Arc<AtomicBool>>,
        streaming: bool,
        joinable: bool,
    ) -> ReadAhead {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(4);
        let thread = std::thread::spawn(move || {
            // One scratch buffer, reused; only the bytes read are copied out.
            let mut scratch = vec![0u8; if streaming { 256 << 10 } else { AHEAD_CHUNK }];
            loop {
                let mut n = 0;
                let result = loop {
                    if n == scratch.len() || (streaming && n > 0) {
                        break Ok(());
                    }
                    match inner.read(&mut scratch[n..]) {
                        Ok(0) => break Ok(()),
                        Ok(k) => n += k,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                let end = n == 0 || result.is_err();
                if n > 0 && tx.send(Ok(scratch[..n].to_vec())).is_err() {
                    return;
                }
                if let Err(e) = result {
                    let _ = tx.send(Err(e));
                }
                if end {
                    return;
                }
            }
        });
        ReadAhead {
            rx: Some(rx),
            thread: Some(thread),
            joinable,
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
                    match rx.recv_timeout(std::time::Duration::from_millis(20)) {
                        Ok(v) => break Ok(v),
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break Err(()),
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                            if stop.load(Ordering::Relaxed) {
                                return Err(stopped());
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
