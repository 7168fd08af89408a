//! The stream reader (NDJSON, {"Records":[...]}, gzip, truncated gzip):
//! never panics, accounts for every record, prints only records the
//! reference logs, and keeps the records decoded before damage; from
//! memory and from a mapped file alike.
#![no_main]

use ctsel::input::{filter, Event, Flow, Options, Source};
use ctsel::{parse_str, reference, validate, Program};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

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
    let gz_bytes = bytes.clone();
    let mut options = Options::default();
    options.jobs = 1 + usize::from(how & 4 == 4);
    options.chunk = 4096;
    options.max_record = 1 << 16;
    options.rejects = true;
    // Bit 3: a file on disk, mapped whatever its size (the mapped window,
    // range jobs over a mapping, gzip inflated from a mapping).
    let _dir;
    let source = if how & 8 == 8 {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("fuzz.input");
        std::fs::write(&path, &bytes).expect("write");
        options.map = Some(1);
        _dir = dir;
        Source::File(path)
    } else {
        Source::Memory("fuzz".into(), bytes.to_vec().into())
    };
    let mut out = Vec::new();
    let counts = filter(&program, &[source], &options, &mut |e| {
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
    if how & 3 == 3 {
        // A truncated gzip: every NDJSON line that inflates before the damage
        // is counted. (The engine reads with other buffer sizes, so the last
        // inflate call's worth, at most a window, is not required.)
        let mut prefix = Vec::new();
        let mut d = flate2::read::MultiGzDecoder::new(std::io::Cursor::new(&gz_bytes));
        let mut chunk = [0u8; 4096];
        while let Ok(n) = std::io::Read::read(&mut d, &mut chunk) {
            if n == 0 {
                break;
            }
            prefix.extend_from_slice(&chunk[..n]);
        }
        if !prefix.windows(9).any(|w| w == b"\"Records\"") && !prefix.starts_with(b"\xEF\xBB\xBF") {
            let sure = prefix.len().saturating_sub(1 << 16);
            let lines = prefix[..sure]
                .split(|b| *b == b'\n')
                .filter(|l| l.iter().any(|b| !b" \t\r".contains(b)))
                .count()
                .saturating_sub(1);
            assert!(counts.records as usize >= lines, "{} records counted, {lines} decoded before the damage", counts.records);
        }
    }
});
