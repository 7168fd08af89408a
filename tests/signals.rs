//! SIGINT and SIGTERM end every run promptly, in every state a run can
//! wait in — an idle standard input, an endless line being skipped, a FIFO
//! with no writer, a large gzip being inflated, standard input being
//! spooled for `stats --compare` — with the summary of what was read and
//! exit 130 (SIGINT) or 143 (SIGTERM). Temporary files are removed.
#![cfg(unix)]

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SEL: &str = "selectors/write-only-management.basic.json";

fn ctsel(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ctsel"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.args(args);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

fn record(i: usize) -> String {
    format!("{{\"eventCategory\":\"Management\",\"readOnly\":false,\"eventName\":\"CreateUser\",\"eventID\":\"{i}\"}}\n")
}

/// Sends `signal` and waits; (exit code, stdout, stderr, seconds until exit).
fn signal_and_wait(mut child: Child, signal: i32) -> (Option<i32>, String, String, f64) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let sent = Instant::now();
    loop {
        if let Some(_status) = child.try_wait().unwrap() {
            break;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(10),
            "the run did not end after the signal"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let secs = sent.elapsed().as_secs_f64();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        secs,
    )
}

#[test]
fn idle_stdin_ends_at_once_with_the_records_read_so_far() {
    for (cmd, signal, code) in [
        ("filter", libc::SIGINT, 130),
        ("match", libc::SIGINT, 130),
        ("filter", libc::SIGTERM, 143),
        ("match", libc::SIGTERM, 143),
        ("explain", libc::SIGINT, 130),
    ] {
        let mut child = ctsel(&[cmd, "-s", SEL, "--format", "json"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        for i in 0..12 {
            stdin.write_all(record(i).as_bytes()).unwrap();
        }
        stdin.flush().unwrap();
        // The writer stays open and quiet: every record must be out before
        // the signal, as a streaming stage owes its reader.
        std::thread::sleep(Duration::from_millis(400));
        let (status, out, err, secs) = signal_and_wait(child, signal);
        drop(stdin);
        assert_eq!(status, Some(code), "{cmd}: {err}");
        assert!(secs < 1.0, "{cmd}: {secs:.3} s after the signal");
        assert!(
            err.contains("12 records read") || err.contains("\"records\":12,"),
            "{cmd}: {err}"
        );
        assert_eq!(
            out.lines().count(),
            12,
            "{cmd}: every record was written before the signal: {out}"
        );
    }
}

#[test]
fn an_endless_line_being_skipped_ends_at_once() {
    let child = ctsel(&[
        "filter",
        "-s",
        SEL,
        "--max-record-size",
        "4096",
        "/dev/zero",
    ])
    .stdin(Stdio::null())
    .spawn()
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let (status, _, err, secs) = signal_and_wait(child, libc::SIGINT);
    assert_eq!(status, Some(130), "{err}");
    assert!(secs < 1.0, "{secs:.3} s");
    assert!(err.contains("records read"), "{err}");
}

#[test]
fn a_fifo_without_a_writer_ends_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for (signal, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let child = ctsel(&["filter", "-s", SEL, fifo.to_str().unwrap()])
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let (status, _, err, secs) = signal_and_wait(child, signal);
        assert_eq!(status, Some(code), "{err}");
        assert!(secs < 1.0, "{secs:.3} s");
        assert!(err.contains("0 records read"), "{err}");
    }
}

#[test]
fn inflating_a_large_gzip_ends_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ndjson.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let line = record(0);
    let block = line.repeat(8192);
    for _ in 0..400 {
        e.write_all(block.as_bytes()).unwrap();
    }
    std::fs::write(&path, e.finish().unwrap()).unwrap();
    for jobs in ["1", "2"] {
        let child = ctsel(&[
            "filter",
            "--count",
            "-j",
            jobs,
            "-s",
            SEL,
            path.to_str().unwrap(),
        ])
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
        std::thread::sleep(Duration::from_millis(150));
        let (status, _, err, secs) = signal_and_wait(child, libc::SIGTERM);
        // A fast machine may finish first; otherwise the run ends at once.
        if status == Some(0) {
            continue;
        }
        assert_eq!(status, Some(143), "{err}");
        assert!(secs < 1.0, "{secs:.3} s");
        assert!(err.contains("records read"), "{err}");
    }
}

#[test]
fn the_spooled_stdin_of_stats_compare_is_removed_on_a_signal() {
    let tmp = tempfile::tempdir().unwrap();
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let mut child = ctsel(&[
            "stats",
            "-s",
            SEL,
            "--compare",
            "selectors/all-s3-objects.basic.json",
            "-",
        ])
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(record(0).as_bytes()).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let spooled = std::fs::read_dir(tmp.path()).unwrap().count();
        assert_eq!(spooled, 1, "standard input is being spooled to a file");
        let (status, _, err, secs) = signal_and_wait(child, signal);
        drop(stdin);
        assert!(matches!(status, Some(130 | 143)), "{err}");
        assert!(secs < 1.0, "{secs:.3} s");
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "the spool is removed"
        );
    }
}
