//! Hostile input, through the real binary: bounded work (deep nesting, a
//! 100 MB line, a gzip bomb, huge selector files), bad bytes, and I/O
//! faults. Each case asserts the exit code, the message and — for filter —
//! that the counts add up. Children's peak memory is checked with
//! getrusage(RUSAGE_CHILDREN): no case may need more than 100 MB.

mod common;
use common::{ctsel, summary};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SEED: &str = "selectors/put-delete-all-but-one-bucket.json";
const MAX_RSS_KB: i64 = 100 * 1024;

/// Peak RSS (KB) of every child this test process has waited for.
fn children_peak_kb() -> i64 {
    // SAFETY: `getrusage` writes into the zeroed struct we pass; it has no
    // other effect.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut u);
        u.ru_maxrss
    }
}

fn rec(name: &str) -> String {
    format!(
        r#"{{"eventName":"{name}","resources":[{{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::data/k"}}],"eventCategory":"Data"}}"#
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn deep_nesting_is_an_error_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "[".repeat(100_000);
    let sel = write(dir.path(), "deep.json", deep.as_bytes());
    let out = ctsel()
        .args(["validate", "--format", "json"])
        .arg(&sel)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nesting deeper than 128 levels"));
    let line = format!("{{\"eventName\":{deep}\n{}\n", rec("PutObject"));
    let out = ctsel()
        .args(["match", "-s", SEED])
        .write_stdin(line.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().next().unwrap().contains("nesting too deep"),
        "{text}"
    );
    assert!(text.lines().nth(1).unwrap().contains("\"logged\""));
    for jobs in ["1", "2"] {
        let out = ctsel()
            .args(["filter", "--count", "--jobs", jobs, "-s", SEED])
            .write_stdin(line.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(summary(&out.stderr), [2, 1, 0, 0, 1]);
    }
    assert!(children_peak_kb() < MAX_RSS_KB);
}

#[test]
fn a_100_mb_line_is_skipped_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = std::fs::File::create(dir.path().join("big.ndjson")).unwrap();
    writeln!(f, "{}", rec("PutObject")).unwrap();
    let chunk = vec![b'x'; 1 << 20];
    f.write_all(b"{\"eventName\":\"").unwrap();
    for _ in 0..100 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\"}\n").unwrap();
    writeln!(f, "{}", rec("DeleteObject")).unwrap();
    drop(f);
    let path = dir.path().join("big.ndjson");
    let started = Instant::now();
    let out = ctsel()
        .args(["filter", "-s", SEED])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n{}\n", rec("PutObject"), rec("DeleteObject"))
    );
    assert_eq!(summary(&out.stderr), [3, 2, 0, 0, 1]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2: unparseable record: record of 104857616 bytes is larger than the 33554432-byte limit; skipped"), "{err}");
    let out = ctsel()
        .args(["match", "-s", SEED])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text
        .lines()
        .nth(1)
        .unwrap()
        .contains("larger than the 33554432-byte limit"));
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(children_peak_kb() < MAX_RSS_KB, "{} KB", children_peak_kb());
}

#[test]
fn a_gzip_bomb_streams_in_bounded_memory() {
    use flate2::write::GzEncoder;
    let dir = tempfile::tempdir().unwrap();
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::best());
    writeln!(e, "{}", rec("PutObject")).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..512 {
        e.write_all(&zeros).unwrap();
    }
    let bomb = e.finish().unwrap();
    assert!(
        bomb.len() < 1 << 20,
        "{} bytes inflate to 512 MB",
        bomb.len()
    );
    let path = write(dir.path(), "bomb.json.gz", &bomb);
    for jobs in ["1", "2"] {
        let out = ctsel()
            .args(["filter", "--count", "--jobs", jobs, "-s", SEED])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(String::from_utf8(out.stdout).unwrap(), "1\n");
        assert_eq!(summary(&out.stderr), [2, 1, 0, 0, 1]);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("larger than the 33554432-byte limit")
        );
    }
    assert!(children_peak_kb() < MAX_RSS_KB, "{} KB", children_peak_kb());
}

#[test]
fn bad_bytes_in_records() {
    let good = rec("PutObject");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "invalid UTF-8 in a string",
            "{\"eventName\":\"Put\u{e9}\"}"
                .to_string()
                .replace('é', "\u{1}")
                .into_bytes()
                .into_iter()
                .map(|b| if b == 1 { 0xff } else { b })
                .collect(),
        ),
        (
            "invalid UTF-8 outside strings",
            b"{\"eventName\":\"PutObject\"\xff}".to_vec(),
        ),
        (
            "lone surrogate",
            br#"{"eventName":"Put\ud800Object"}"#.to_vec(),
        ),
        ("NUL byte", b"{\"eventName\":\"Put\x00Object\"}".to_vec()),
        ("trailing garbage", format!("{good} garbage").into_bytes()),
        ("not an object", b"[1,2,3]".to_vec()),
    ];
    for (what, bad) in cases {
        let mut input = bad.clone();
        input.extend_from_slice(format!("\r\n{good}\r\n").as_bytes());
        let out = ctsel()
            .args(["filter", "-s", SEED])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{what}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            format!("{good}\n"),
            "{what}"
        );
        assert_eq!(summary(&out.stderr), [2, 1, 0, 0, 1], "{what}");
        let out = ctsel()
            .args(["match", "-s", SEED])
            .write_stdin(input)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.lines().next().unwrap().contains("\"unparseable\""),
            "{what}: {text}"
        );
    }
    // A number where a string is expected is an absent field, not an error.
    let numbers = r#"{"eventName":5,"eventCategory":"Data","resources":[{"type":"AWS::S3::Object","ARN":7}]}"#;
    let out = ctsel()
        .args(["match", "-s", SEED])
        .write_stdin(numbers)
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("\"not_logged\""));
    // A BOM starts the first line only.
    let out = ctsel()
        .args(["filter", "--count", "-s", SEED])
        .write_stdin(format!("\u{feff}{good}\n"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "1\n");
}

#[test]
fn bad_bytes_in_selector_files() {
    let cases: Vec<(&[u8], &str)> = vec![
        (b"[{\"ReadWriteType\": \"All\xff\"}]", "invalid UTF-8 byte sequence"),
        (b"[{\"ReadWriteType\": \"All\x00\"}]", "control character in string"),
        (b"[{\"ReadWriteType\": \"All\"}] trailing", "unexpected content after the JSON value"),
        (b"[{\"ReadWriteType\": 5}]", "Invalid type for parameter EventSelectors[0].ReadWriteType, value: 5, type: <class 'int'>, valid types: <class 'str'>"),
    ];
    for (bytes, message) in cases {
        let out = ctsel()
            .args(["validate", "--format", "json", "-"])
            .write_stdin(bytes.to_vec())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{message}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(message),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let out = ctsel()
        .args(["validate", "--format", "json", "-"])
        .write_stdin(r#"[{"ReadWriteType":"WriteOnly","ReadWriteType":"All"}]"#)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("duplicate key `ReadWriteType`"));
    let out = ctsel()
        .args(["validate", "--format", "json", "-"])
        .write_stdin(r#"[{"ReadWriteType":"\ud800"}]"#)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("lone surrogate escape replaced by U+FFFD")
    );
}

#[test]
fn unreadable_and_vanishing_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = ctsel()
        .args(["filter", "--count", "-s", SEED])
        .arg(dir.path())
        .arg("-")
        .write_stdin(rec("PutObject"))
        .output()
        .unwrap();
    // An empty directory holds no records; a directory as a file is unreadable.
    assert_eq!(out.status.code(), Some(0));
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let out = ctsel()
        .args(["match", "-s", SEED])
        .arg(&sub)
        .output()
        .unwrap();
    // A directory is walked: an empty one holds no records.
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());

    // A file removed while the run is busy with an earlier input: the FIFO
    // holds the run until the file is gone.
    let fifo = dir.path().join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let later = write(
        dir.path(),
        "later.ndjson",
        format!("{}\n", rec("PutObject")).as_bytes(),
    );
    let kept = write(
        dir.path(),
        "kept.ndjson",
        format!("{}\n", rec("PutObject")).as_bytes(),
    );
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ctsel"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["filter", "--count", "--jobs", "1", "-s", SEED])
        .arg(&fifo)
        .arg(&later)
        .arg(&kept)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    std::fs::remove_file(&later).unwrap();
    writeln!(w, "{}", rec("DeleteObject")).unwrap();
    drop(w);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "2\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("later.ndjson: no such file"), "{err}");
    assert_eq!(summary(&out.stderr), [2, 2, 0, 0, 0]);
}

#[test]
fn a_full_disk_on_output_is_a_clear_error() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let input = format!("{}\n", rec("PutObject")).repeat(100_000);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("ctsel"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["filter", "-s", SEED, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            let mut stdin = c.stdin.take().unwrap();
            std::thread::spawn(move || {
                let _ = stdin.write_all(input.as_bytes());
            });
            c.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot write output: No space left on device"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn sigint_prints_the_summary_so_far() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ctsel"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["filter", "--count", "--jobs", "1", "-s", SEED, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Feed a little, then stall (stdin stays open) and interrupt.
    let chunk = format!("{}\n", rec("PutObject")).repeat(50_000);
    stdin.write_all(chunk.as_bytes()).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(700));
    // SAFETY: sending SIGINT to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    assert_eq!(out.status.code(), Some(130));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("interrupted"), "{err}");
    let c = summary(&out.stderr);
    assert_eq!(c[0], c[1]);
    assert!(!err.contains("panicked"));
}
