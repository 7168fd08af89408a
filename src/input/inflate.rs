//! Whole-file inflate for the gzip files CloudTrail writes: one member of
//! a few KB to a few MB, whose trailer gives the inflated size. libdeflate
//! inflates a buffer held in memory faster than a streaming inflater, and
//! a small file needs no streaming. Everything else (a multi-member file,
//! a damaged or truncated one, a trailer that does not fit, a file too
//! large for the memory budget) is left to the streaming decoder, which
//! reads it as before.

#[cfg(not(target_family = "wasm"))]
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Inflated bytes held at once by all jobs together: a file is inflated
/// whole only while this budget has room for it, so the memory this path
/// takes does not grow with `--jobs`.
#[cfg(not(target_family = "wasm"))]
const BUDGET: usize = 64 << 20;

/// A compressed file larger than this is streamed, whatever its trailer.
pub(crate) const WHOLE_MAX: u64 = 16 << 20;

static HELD: AtomicUsize = AtomicUsize::new(0);

/// Inflated bytes, counted against the budget until dropped.
pub(crate) struct Inflated {
    bytes: Vec<u8>,
    reserved: usize,
}

impl Inflated {
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for Inflated {
    fn drop(&mut self) {
        HELD.fetch_sub(self.reserved, Ordering::AcqRel);
    }
}

#[cfg(not(target_family = "wasm"))]
struct Decompressor(*mut libdeflate_sys::libdeflate_decompressor);

#[cfg(not(target_family = "wasm"))]
impl Drop for Decompressor {
    fn drop(&mut self) {
        // SAFETY: allocated by `libdeflate_alloc_decompressor`, freed once.
        unsafe { libdeflate_sys::libdeflate_free_decompressor(self.0) }
    }
}

#[cfg(not(target_family = "wasm"))]
thread_local! {
    static DECOMPRESSOR: RefCell<Option<Decompressor>> = const { RefCell::new(None) };
}

#[cfg(not(target_family = "wasm"))]
fn reserve(n: usize) -> bool {
    HELD.fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
        (held + n <= BUDGET).then_some(held + n)
    })
    .is_ok()
}

/// Without libdeflate (WebAssembly) every file is streamed.
#[cfg(target_family = "wasm")]
pub(crate) fn whole(_gz: &[u8]) -> Option<Inflated> {
    None
}

/// Inflates `gz` when it is exactly one gzip member, intact, whose
/// trailer's size fits the budget; `None` otherwise, for the streaming
/// decoder to read (and report on) as usual.
#[cfg(not(target_family = "wasm"))]
pub(crate) fn whole(gz: &[u8]) -> Option<Inflated> {
    if gz.len() < 18 || gz.len() as u64 > WHOLE_MAX {
        return None;
    }
    let size = u32::from_le_bytes(gz[gz.len() - 4..].try_into().ok()?) as usize;
    // One more byte than the trailer says, so that a trailer smaller than
    // the data (a multi-member file, whose trailer is its last member's)
    // cannot fill the buffer exactly by chance.
    let room = size.checked_add(1)?;
    if !reserve(room) {
        return None;
    }
    let mut out = Inflated {
        bytes: vec![0; room],
        reserved: room,
    };
    let (mut used, mut made) = (0usize, 0usize);
    let result = DECOMPRESSOR.with(|d| {
        let mut d = d.borrow_mut();
        if d.is_none() {
            // SAFETY: plain allocation; null means out of memory.
            let p = unsafe { libdeflate_sys::libdeflate_alloc_decompressor() };
            if p.is_null() {
                return None;
            }
            *d = Some(Decompressor(p));
        }
        let d = d.as_ref()?;
        // SAFETY: the pointers and lengths describe live buffers; libdeflate
        // writes at most `out.len()` bytes and reports what it used.
        Some(unsafe {
            libdeflate_sys::libdeflate_gzip_decompress_ex(
                d.0,
                gz.as_ptr().cast(),
                gz.len(),
                out.bytes.as_mut_ptr().cast(),
                out.bytes.len(),
                &mut used,
                &mut made,
            )
        })
    })?;
    // libdeflate checks the member's CRC and size; the whole input must be
    // that one member, or the rest is left to the streaming decoder.
    if result != libdeflate_sys::libdeflate_result_LIBDEFLATE_SUCCESS
        || used != gz.len()
        || made != size
    {
        return None;
    }
    out.bytes.truncate(made);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn one_member_is_inflated_whole() {
        let data = b"{\"Records\":[]}\n".repeat(1000);
        let out = whole(&gzip(&data)).expect("inflated");
        assert_eq!(out.bytes(), &data[..]);
    }

    #[test]
    fn everything_else_is_left_to_the_stream() {
        let data = b"{\"a\":1}\n".repeat(100);
        let one = gzip(&data);
        // Two members: the trailer is the second's, the input is not used up.
        let two = [one.clone(), one.clone()].concat();
        assert!(whole(&two).is_none());
        // Two members of which the first is the larger.
        let two = [gzip(&data.repeat(3)), one.clone()].concat();
        assert!(whole(&two).is_none());
        // Truncated, a flipped bit, trailing garbage.
        assert!(whole(&one[..one.len() - 1]).is_none());
        let mut bad = one.clone();
        let mid = bad.len() / 2;
        bad[mid] ^= 0x10;
        assert!(whole(&bad).is_none());
        assert!(whole(&[one.clone(), b"garbage".to_vec()].concat()).is_none());
        // A trailer claiming more than the budget.
        let mut big = one.clone();
        let n = big.len();
        big[n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(whole(&big).is_none());
    }

    #[test]
    fn reservations_are_returned() {
        // 100 rounds of 2 MiB would exhaust the budget thirty times over
        // if a success or a failure kept its reservation.
        let one = gzip(&vec![b'x'; 2 << 20]);
        let two = [one.clone(), one.clone()].concat();
        for _ in 0..100 {
            assert!(whole(&one).is_some());
            assert!(whole(&two).is_none());
        }
    }
}
