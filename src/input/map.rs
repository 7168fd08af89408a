//! Regular files mapped into memory rather than read: the records are
//! decided where the page cache holds them, without the kernel's copy
//! into a read buffer (a sixth of single-job time on large NDJSON).
//!
//! A mapped file that shrinks (truncated by its writer, or a log rotated
//! in place) would make the next access past its new end raise SIGBUS and
//! kill the process. Two guards keep that from happening:
//!
//! - Before each window of the file is handed on, its pages are populated
//!   with `MADV_POPULATE_READ` where the kernel has it (a missing page is
//!   then an `EFAULT`, not a signal) and the file's size is checked, so a
//!   shrink found there ends the source with an error after the bytes
//!   that still exist.
//! - A file can still shrink between that check and the access. A SIGBUS
//!   handler, installed with the first mapping, recognises faults inside
//!   a registered mapping, maps zero pages over the rest of it so the
//!   access completes, and marks the mapping; the next window reports the
//!   error. A fault anywhere else goes to the handler that was there
//!   before (the default one kills the process as usual).
//!
//! Bytes read as zeros in that window end up in a record counted as
//! unparseable, so nothing is dropped silently, and the source's error
//! names the shrink.

use std::fs::File;
use std::io;

/// Files smaller than this are read by default: mapping and unmapping
/// cost more than copying a few pages.
pub(crate) const MAP_MIN: u64 = 1 << 20;

/// A read-only mapping of a whole regular file.
pub(crate) struct Mapped {
    #[cfg(unix)]
    map: memmap2::Mmap,
    #[cfg(unix)]
    slot: usize,
    file: File,
    len: u64,
    /// Pages before this offset were released.
    released: usize,
}

impl Mapped {
    /// Maps `file` of `len` bytes; `None` where mapping is not possible
    /// (no free guard slot, an `mmap` failure, a non-Unix system), and the
    /// caller reads instead.
    pub(crate) fn new(file: File, len: u64) -> Option<Mapped> {
        imp::map(file, len)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        #[cfg(unix)]
        {
            &self.map
        }
        #[cfg(not(unix))]
        {
            &[]
        }
    }

    /// Drops the pages before `offset` from this process's resident set
    /// (they stay in the page cache): a reader moving along the mapping
    /// holds only its window, as a reader with a buffer would.
    pub(crate) fn release_before(&mut self, offset: usize) {
        imp::release_before(self, offset)
    }

    /// Prepares `range` of the mapping to be read. An error when the file
    /// has shrunk below the range's end, or a fault was caught in it; the
    /// bytes before the new end can still be read.
    pub(crate) fn prepare(&self, range: std::ops::Range<usize>) -> Result<(), Shrunk> {
        imp::prepare(self, range)
    }
}

/// Reads a mapping as a stream (for a decoder over it).
pub(crate) struct MapReader {
    map: Mapped,
    pos: usize,
}

impl Mapped {
    pub(crate) fn reader(self) -> MapReader {
        MapReader { map: self, pos: 0 }
    }
}

impl io::Read for MapReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.map.release_before(self.pos);
        let len = self.map.bytes().len();
        let to = (self.pos + out.len()).min(len);
        if let Err(s) = self.map.prepare(self.pos..to) {
            let to = s.readable.clamp(self.pos, to);
            if to == self.pos {
                return Err(s.into());
            }
            out[..to - self.pos].copy_from_slice(&self.map.bytes()[self.pos..to]);
            let n = to - self.pos;
            self.pos = to;
            return Ok(n);
        }
        let n = to - self.pos;
        out[..n].copy_from_slice(&self.map.bytes()[self.pos..to]);
        self.pos = to;
        Ok(n)
    }
}

/// The file is shorter than it was when mapped.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shrunk {
    /// The bytes that can still be read (the file's size now).
    pub(crate) readable: usize,
    pub(crate) was: u64,
}

impl std::fmt::Display for Shrunk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the file shrank to {} bytes while being read (it was {} bytes); the records before that point were read",
            self.readable, self.was
        )
    }
}

impl std::error::Error for Shrunk {}

impl From<Shrunk> for io::Error {
    fn from(s: Shrunk) -> io::Error {
        io::Error::new(io::ErrorKind::UnexpectedEof, s)
    }
}

#[cfg(unix)]
impl Drop for Mapped {
    fn drop(&mut self) {
        imp::release(self.slot);
    }
}

#[cfg(unix)]
mod imp {
    use super::{Mapped, Shrunk};
    use std::fs::File;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Once;

    /// One slot per live mapping: a job holds at most one, so this bounds
    /// the jobs that map at once; the others read.
    pub(super) const SLOTS: usize = 256;

    struct Slot {
        /// The mapping's address; 0 when free, 1 while being claimed.
        start: AtomicUsize,
        len: AtomicUsize,
        faulted: AtomicBool,
    }

    #[allow(clippy::declare_interior_mutable_const)]
    const FREE: Slot = Slot {
        start: AtomicUsize::new(0),
        len: AtomicUsize::new(0),
        faulted: AtomicBool::new(false),
    };
    static SLOT: [Slot; SLOTS] = [FREE; SLOTS];
    static INSTALL: Once = Once::new();
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    static PAGE: AtomicUsize = AtomicUsize::new(4096);
    /// The SIGBUS action before ours, to hand other faults to. Written
    /// once, before our handler is installed; only read after.
    static mut PREVIOUS: std::mem::MaybeUninit<libc::sigaction> = std::mem::MaybeUninit::uninit();

    extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
        // Only async-signal-safe work here: atomics and `mmap`.
        let addr = unsafe { (*info).si_addr() } as usize;
        let page = PAGE.load(Ordering::Relaxed);
        for s in &SLOT {
            let start = s.start.load(Ordering::Acquire);
            let len = s.len.load(Ordering::Acquire);
            if start > 1 && addr >= start && addr < start + len {
                let from = addr & !(page - 1);
                let to = (start + len).div_ceil(page) * page;
                // SAFETY: the range lies inside a mapping this module made
                // and still owns (the slot is released before unmapping);
                // replacing it with zero pages only changes what is read.
                let r = unsafe {
                    libc::mmap(
                        from as *mut libc::c_void,
                        to - from,
                        libc::PROT_READ,
                        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                        -1,
                        0,
                    )
                };
                if r != libc::MAP_FAILED {
                    s.faulted.store(true, Ordering::Release);
                    return;
                }
            }
        }
        // Not ours: put the previous action back and let the access fault
        // again under it, or call it directly when it is a function.
        unsafe {
            let prev = (*std::ptr::addr_of!(PREVIOUS)).assume_init_ref();
            let h = prev.sa_sigaction;
            if h == libc::SIG_DFL || h == libc::SIG_IGN {
                libc::sigaction(libc::SIGBUS, prev, std::ptr::null_mut());
            } else if prev.sa_flags & libc::SA_SIGINFO != 0 {
                let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    std::mem::transmute(h);
                f(sig, info, ctx);
            } else {
                let f: extern "C" fn(libc::c_int) = std::mem::transmute(h);
                f(sig);
            }
        }
    }

    fn install() -> bool {
        INSTALL.call_once(|| unsafe {
            let page = libc::sysconf(libc::_SC_PAGESIZE);
            if page > 0 {
                PAGE.store(page as usize, Ordering::Relaxed);
            }
            let mut prev: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut prev) != 0 {
                return;
            }
            (*std::ptr::addr_of_mut!(PREVIOUS)).write(prev);
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus
                as extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void)
                as libc::sighandler_t;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            if libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut()) == 0 {
                INSTALLED.store(true, Ordering::Release);
            }
        });
        INSTALLED.load(Ordering::Acquire)
    }

    fn claim() -> Option<usize> {
        SLOT.iter().position(|s| {
            s.start
                .compare_exchange(0, 1, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        })
    }

    pub(super) fn release(slot: usize) {
        let s = &SLOT[slot];
        s.len.store(0, Ordering::Release);
        s.faulted.store(false, Ordering::Release);
        s.start.store(0, Ordering::Release);
    }

    pub(super) fn map(file: File, len: u64) -> Option<Mapped> {
        let n = usize::try_from(len).ok().filter(|&n| n > 0)?;
        if !install() {
            return None;
        }
        let slot = claim()?;
        // SAFETY: the mapping is read-only and private to this process; a
        // change to the file under it shows as changed bytes (decided as
        // any bytes are), and a shrink is caught as described above.
        let map = match unsafe { memmap2::MmapOptions::new().len(n).map(&file) } {
            Ok(m) => m,
            Err(_) => {
                release(slot);
                return None;
            }
        };
        let _ = map.advise(memmap2::Advice::Sequential);
        let s = &SLOT[slot];
        s.len.store(n, Ordering::Release);
        s.start.store(map.as_ptr() as usize, Ordering::Release);
        Some(Mapped {
            map,
            slot,
            file,
            len,
            released: 0,
        })
    }

    pub(super) fn release_before(m: &mut Mapped, offset: usize) {
        let page = PAGE.load(Ordering::Relaxed);
        let base = m.map.as_ptr() as usize;
        // Whole pages only, and not for every small step.
        let to = (base + offset) & !(page - 1);
        let from = (base + m.released).next_multiple_of(page);
        if to < from + (4 << 20) {
            return;
        }
        // SAFETY: the pages lie inside the mapping and before everything
        // still read; for a read-only file mapping MADV_DONTNEED only
        // unmaps them, and a later access would read them in again.
        unsafe { libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_DONTNEED) };
        m.released = to - base;
    }

    pub(super) fn prepare(m: &Mapped, range: std::ops::Range<usize>) -> Result<(), Shrunk> {
        let shrunk = |readable: u64| Shrunk {
            readable: readable.min(m.len) as usize,
            was: m.len,
        };
        if SLOT[m.slot].faulted.load(Ordering::Acquire) {
            let now = m.file.metadata().map_or(0, |x| x.len());
            return Err(shrunk(now));
        }
        let now = m.file.metadata().map_or(m.len, |x| x.len());
        if now < range.end as u64 {
            return Err(shrunk(now));
        }
        if range.is_empty() {
            return Ok(());
        }
        // Populate the window's page tables in one call rather than a
        // fault per page; a page gone since the size check fails here
        // with EFAULT instead of raising SIGBUS. Kernels before 5.14 do
        // not know the advice, and the pages fault in as they are read.
        let page = PAGE.load(Ordering::Relaxed);
        let base = m.map.as_ptr() as usize;
        let from = (base + range.start) & !(page - 1);
        let to = base + range.end;
        // SAFETY: the range lies inside the mapping; the advice only
        // reads pages in.
        let r = unsafe { libc::madvise(from as *mut libc::c_void, to - from, MADV_POPULATE_READ) };
        if r != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EFAULT) {
            let now = m.file.metadata().map_or(0, |x| x.len());
            return Err(shrunk(now));
        }
        Ok(())
    }

    /// `MADV_POPULATE_READ` (Linux 5.14); the libc crate does not name it
    /// on every target.
    #[cfg(target_os = "linux")]
    const MADV_POPULATE_READ: libc::c_int = 22;
    #[cfg(not(target_os = "linux"))]
    const MADV_POPULATE_READ: libc::c_int = libc::MADV_WILLNEED;
}

#[cfg(not(unix))]
mod imp {
    use super::{Mapped, Shrunk};
    use std::fs::File;

    pub(super) fn map(_: File, _: u64) -> Option<Mapped> {
        None
    }

    pub(super) fn prepare(_: &Mapped, _: std::ops::Range<usize>) -> Result<(), Shrunk> {
        Ok(())
    }

    pub(super) fn release_before(_: &mut Mapped, _: usize) {}
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_of(len: usize) -> (tempfile::NamedTempFile, File) {
        let mut t = tempfile::NamedTempFile::new().unwrap();
        t.write_all(&vec![b'x'; len]).unwrap();
        t.flush().unwrap();
        let f = File::open(t.path()).unwrap();
        (t, f)
    }

    #[test]
    fn a_shrink_after_the_size_check_reads_zeros_and_is_reported() {
        let len = 3 << 20;
        let (t, f) = file_of(len);
        let m = Mapped::new(f, len as u64).expect("mapped");
        m.prepare(0..len).unwrap();
        assert_eq!(m.bytes()[len - 1], b'x');
        // The file shrinks under the mapping, after the window was
        // checked: the access past the new end would raise SIGBUS.
        t.as_file().set_len(4096).unwrap();
        let tail = std::hint::black_box(&m.bytes()[len - 1..]);
        assert_eq!(tail[0], 0, "the handler mapped zeros over the lost pages");
        assert_eq!(
            m.bytes()[0],
            b'x',
            "the bytes that still exist are untouched"
        );
        let e = m.prepare(len - 1..len).unwrap_err();
        assert_eq!((e.readable, e.was), (4096, len as u64));
    }

    #[test]
    fn a_shrink_before_a_window_is_found_by_the_size_check() {
        let len = 2 << 20;
        let (t, f) = file_of(len);
        let m = Mapped::new(f, len as u64).expect("mapped");
        t.as_file().set_len(len as u64 / 2).unwrap();
        m.prepare(0..len / 4).unwrap();
        let e = m.prepare(len / 4..len).unwrap_err();
        assert_eq!(e.readable, len / 2);
        let msg = io::Error::from(e).to_string();
        assert!(msg.contains("shrank to 1048576 bytes"), "{msg}");
    }

    #[test]
    fn released_slots_are_reused() {
        let (_t, f) = file_of(1 << 20);
        for _ in 0..(imp::SLOTS + 10) {
            let m = Mapped::new(f.try_clone().unwrap(), 1 << 20);
            assert!(m.is_some(), "a slot is freed when its mapping is dropped");
        }
    }
}
