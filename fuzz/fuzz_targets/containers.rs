//! The stream reader (NDJSON, {"Records":[...]}, gzip, truncated gzip):
//! never panics, accounts for every record, and prints only records the
//! reference logs.
#![no_main]

use ctsel::input::{filter, Event, Flow, Options, Source};
use ctsel::{parse_str, reference, validate, Program};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Some((&how, body)) = data.split_first() else { return };
    let bytes: Vec<u8> = if how & 1 == 1 {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let _ = e.write_all(body);
        let mut z = e.finish().unwrap_or_default();
        if how & 2 == 2 {
            let keep = z.len() * usize::from(how >> 2) / 64;
            z.truncate(keep);
        }
        z
    } else {
        body.to_vec()
    };
    let text = include_str!("../../selectors/put-delete-all-but-one-bucket.json");
    let doc = parse_str("seed", text, &Default::default()).expect("seed parses");
    let set = validate(&doc, &Default::default()).expect("seed is valid").selectors;
    let program = Program::new(&set);
    let mut options = Options::default();
    options.jobs = 1 + usize::from(how & 4 == 4);
    options.chunk = 4096;
    options.max_record = 1 << 16;
    options.rejects = true;
    let mut out = Vec::new();
    let counts = filter(&program, &[Source::Memory("fuzz".into(), Arc::from(bytes))], &options, &mut |e| {
        if let Event::Output(b) = e {
            out.extend_from_slice(b);
        }
        Flow::Continue
    });
    assert!(counts.balanced(), "{counts:?}");
    let mut printed = 0;
    for line in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        printed += 1;
        let v = reference::decide_bytes(&set, line).expect("printed records parse");
        assert!(v.is_logged());
    }
    assert_eq!(printed, counts.logged);
});
