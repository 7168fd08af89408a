//! Inputs the fuzzers found, kept as regression tests. The binary holds a
//! single `#[test]`: the harness runs tests on parallel threads, and the
//! thread count below must be this test's own.
//!
//! `containers-thread-outlives-filter`: a truncated gzip read with two
//! jobs. The inflate thread was detached and could outlive `filter()`
//! (LeakSanitizer reported its handle). It is now joined.
//!
//! `containers-scoped-thread-lingers`: the same path; LeakSanitizer then
//! reported a worker's thread-local channel context: `thread::scope` waits
//! for the workers' closures, not for their threads' exit, so thread-local
//! destructors could still run after `filter()` returned. The workers are
//! now joined natively.

use ctsel::input::{filter, Event, Flow, Options, Source};
use ctsel::{parse_str, validate, Program};
use std::io::Write;

/// The program of the seed selector, as the fuzz target uses it.
fn seed_program() -> Program {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/selectors/put-delete-all-but-one-bucket.json"
    ))
    .unwrap();
    let set = validate(
        &parse_str("seed", &text, &Default::default()).unwrap(),
        &Default::default(),
    )
    .unwrap()
    .selectors;
    Program::new(&set)
}

/// Threads of this process, once those already joined have left: a
/// thread that `pthread_join` has waited for can still be counted for a few
/// microseconds while the kernel takes it out of the thread group, so the
/// count is read until it stops falling, for at most 20 ms (a thread that
/// really outlives `filter` lives far longer: it is still inflating).
fn threads() -> usize {
    let mut n = threads_now();
    for _ in 0..20 {
        std::thread::sleep(std::time::Duration::from_millis(1));
        let m = threads_now();
        if m >= n {
            return m;
        }
        n = m;
    }
    n
}

fn threads_now() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// What the `containers` fuzz target does with its input.
fn run_like_the_fuzzer(data: &[u8]) -> ctsel::input::Counts {
    let (&how, body) = data.split_first().unwrap();
    let mut bytes = body.to_vec();
    if how & 1 == 1 {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(body).unwrap();
        bytes = e.finish().unwrap();
        if how & 2 == 2 {
            let keep = bytes.len() * usize::from(how >> 2) / 64;
            bytes.truncate(keep);
        }
    }
    let program = seed_program();
    let mut options = Options::default();
    options.jobs = 1 + usize::from(how & 4 == 4);
    options.chunk = 4096;
    options.max_record = 1 << 16;
    options.rejects = true;
    filter(
        &program,
        &[Source::Memory("fuzz".into(), bytes.to_vec().into())],
        &options,
        &mut |e: Event<'_>| {
            let _ = e;
            Flow::Continue
        },
    )
}

#[test]
fn no_thread_outlives_the_filter() {
    truncated_gzip_with_two_jobs();
    filter_stopped_early();
}

fn truncated_gzip_with_two_jobs() {
    let data = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cases/fuzz/containers-thread-outlives-filter"
    ))
    .unwrap();
    assert_eq!(data[0] & 5, 5, "gzip with two jobs");
    let before = threads();
    for _ in 0..20 {
        let counts = run_like_the_fuzzer(&data);
        assert!(counts.balanced());
    }
    assert_eq!(threads(), before, "a thread outlived filter()");
}

fn filter_stopped_early() {
    // A large gzip whose first record is unparseable: with `strict` the
    // consumer stops at once while the inflate thread is still busy.
    let mut body = b"not json\n".to_vec();
    for i in 0..400_000 {
        body.extend_from_slice(format!("{{\"eventName\":\"PutObject\",\"n\":{i}}}\n").as_bytes());
    }
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&body).unwrap();
    let gz: bytes::Bytes = e.finish().unwrap().into();
    let program = seed_program();
    let mut options = Options::default();
    options.jobs = 2;
    options.strict = true;
    let before = threads();
    let mut leaked = 0;
    for _ in 0..10 {
        let counts = filter(
            &program,
            &[Source::Memory("big.gz".into(), gz.clone())],
            &options,
            &mut |_| Flow::Continue,
        );
        assert_eq!(counts.unparseable, 1);
        leaked = leaked.max(threads().saturating_sub(before));
    }
    assert_eq!(leaked, 0, "an inflate thread outlived filter()");
}
