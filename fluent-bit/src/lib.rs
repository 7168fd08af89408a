//! ctsel as a Fluent Bit WASM filter (`filter_wasm`): it keeps the
//! CloudTrail records a trail with the built-in selectors would log.
//!
//! The contract: the exported function takes the tag (pointer, length),
//! the record's time (seconds, nanoseconds) and the record as JSON
//! (pointer, length), and returns a pointer to a NUL-terminated JSON
//! string, the record to pass on, or to an empty string to drop it.
//!
//! The returned text lives in a buffer the module owns until the next
//! call, so it is valid after the function returns (a pointer into a
//! `String` dropped at return would not be). The compiled program is built
//! on the first call and kept. A record that is not a JSON object is passed
//! on unchanged: a filter must not lose what it cannot read.

use ctsel::{parse_str, validate, ParseOptions, Program, ValidateOptions, Verdict};
use std::cell::RefCell;
use std::sync::OnceLock;

const SELECTORS: &str = include_str!(concat!(env!("OUT_DIR"), "/selectors.json"));

static PROGRAM: OnceLock<Program> = OnceLock::new();

thread_local! {
    /// The text returned by the last call, NUL-terminated.
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The program of the built-in selectors (validated by the build).
pub fn program() -> &'static Program {
    PROGRAM.get_or_init(|| {
        let set = parse_str("selectors.json", SELECTORS, &ParseOptions::default())
            .ok()
            .and_then(|doc| validate(&doc, &ValidateOptions::default()).ok())
            .map(|v| v.selectors);
        // The build validated these selectors; were they somehow refused,
        // deciding nothing would drop every record, so keep them all.
        set.map_or_else(
            || Program::new(&ctsel::SelectorSet::trail_default()),
            |s| Program::new(&s),
        )
    })
}

/// What the filter does with a record: `Some(bytes)` to pass it on.
pub fn decide(record: &[u8]) -> Option<&[u8]> {
    match program().decide_bytes(record) {
        Ok(Verdict::Logged { .. }) | Err(_) => Some(record),
        Ok(_) => None,
    }
}

/// Memory for a host to write the tag and record into.
#[no_mangle]
pub extern "C" fn ctsel_alloc(len: u32) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len as usize);
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// Frees memory from [`ctsel_alloc`].
///
/// # Safety
///
/// `ptr` and `len` must come from one call of `ctsel_alloc`, freed once.
#[no_mangle]
pub unsafe extern "C" fn ctsel_free(ptr: *mut u8, len: u32) {
    if !ptr.is_null() {
        // SAFETY: the caller passes what `ctsel_alloc` returned for `len`.
        drop(unsafe { Vec::from_raw_parts(ptr, 0, len as usize) });
    }
}

/// The `filter_wasm` function (`Function_Name ctsel_filter`).
///
/// # Safety
///
/// `record` must point to `record_len` readable bytes (the tag is not
/// read). The result is valid until the next call.
#[no_mangle]
pub unsafe extern "C" fn ctsel_filter(
    _tag: *const u8,
    _tag_len: u32,
    _time_sec: u32,
    _time_nsec: u32,
    record: *const u8,
    record_len: u32,
) -> *const u8 {
    let bytes: &[u8] = if record.is_null() {
        &[]
    } else {
        // SAFETY: the host passes a buffer of `record_len` bytes.
        unsafe { std::slice::from_raw_parts(record, record_len as usize) }
    };
    OUT.with(|out| {
        let mut out = out.borrow_mut();
        out.clear();
        if let Some(keep) = decide(bytes) {
            out.extend_from_slice(keep);
        }
        out.push(0);
        out.as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_records_pass_and_others_drop() {
        let keep = br#"{"eventCategory":"Management","readOnly":true}"#;
        let drop = br#"{"eventCategory":"Data","resources":[]}"#;
        // SAFETY: both buffers are live for the calls.
        let kept =
            unsafe { ctsel_filter(std::ptr::null(), 0, 0, 0, keep.as_ptr(), keep.len() as u32) };
        let text = unsafe { std::ffi::CStr::from_ptr(kept.cast()) };
        assert_eq!(text.to_bytes(), keep);
        let dropped =
            unsafe { ctsel_filter(std::ptr::null(), 0, 0, 0, drop.as_ptr(), drop.len() as u32) };
        let text = unsafe { std::ffi::CStr::from_ptr(dropped.cast()) };
        assert!(text.to_bytes().is_empty());
    }
}
