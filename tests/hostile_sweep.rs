//! The adversarial sweep's reproducers (tests/cases/hostile/), each at a
//! scale that runs in CI, and each failing on the code before the fixes:
//! memory bounded for every `--jobs`, diagnostics bounded, selector parsing
//! linear, nothing decoded lost from damaged gzip, log-file edge cases,
//! directory walks that report and go on, and the smaller defects. The
//! signal states are in `tests/signals.rs`.
#![cfg(unix)]

mod common;
use common::{ctsel, json_lines, summary};

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FOUR: &str = "selectors/aws-docs-four-kinds.advanced.json";
const ALL_MGMT: &str = "selectors/write-only-management.basic.json";
const CASES: &str = "tests/cases/hostile";

/// Runs the binary to its end; (exit code, stdout bytes, stderr, peak RSS
/// in KiB of that one process, seconds).
///
/// The peak is measured by `/usr/bin/time`, which forks the binary itself:
/// Linux carries a process's peak RSS through fork and exec, so a child
/// forked straight from this (large, multi-threaded) test process would
/// report the test's own peak.
fn measured(args: &[&str], stdin: Option<&[u8]>) -> (Option<i32>, usize, String, i64, f64) {
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut c = Command::new("/usr/bin/time");
    c.arg("-f").arg("%M").arg("-o").arg(report.path());
    c.arg(env!("CARGO_BIN_EXE_ctsel"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).args(args);
    c.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = c
        .spawn()
        .expect("/usr/bin/time (Debian's `time`) is installed");
    if let Some(bytes) = stdin {
        let mut w = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = w.write_all(&bytes);
        });
    }
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let counter = std::thread::spawn(move || {
        std::io::copy(&mut out, &mut std::io::sink()).unwrap_or(0) as usize
    });
    let errs = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let status = child.wait().unwrap();
    let secs = started.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(report.path()).unwrap();
    // `time` prints "Command exited with non-zero status N" first then.
    let rss: i64 = text
        .lines()
        .last()
        .unwrap_or("0")
        .trim()
        .parse()
        .unwrap_or(i64::MAX);
    (
        status.code(),
        counter.join().unwrap(),
        errs.join().unwrap(),
        rss,
        secs,
    )
}

// ---- Memory is bounded for every input and every --jobs ----

#[test]
fn workers_do_not_run_ahead_of_the_output() {
    // A slow gzip first, then files whose records are mostly printed: the
    // old code held every later file's output while the gzip inflated.
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/events");
    let mut corpus = Vec::new();
    for e in std::fs::read_dir(root).unwrap() {
        corpus.extend(std::fs::read(e.unwrap().path()).unwrap());
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for _ in 0..40 {
        gz.write_all(&corpus).unwrap();
    }
    std::fs::write(dir.path().join("000.ndjson.gz"), gz.finish().unwrap()).unwrap();
    let two = [corpus.as_slice(), corpus.as_slice()].concat();
    for i in 1..=40 {
        std::fs::write(dir.path().join(format!("{i:03}.ndjson")), &two).unwrap();
    }
    let d = dir.path().to_str().unwrap();
    let (code, printed, err, rss, _) = measured(&["filter", "-q", "-s", FOUR, "-j2", d], None);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        printed > 100 << 20,
        "most records are printed: {printed} bytes"
    );
    assert!(rss < 64 << 10, "peak RSS {rss} KiB with --jobs 2");
    let (_, printed1, _, _, _) = measured(&["filter", "-q", "-s", FOUR, "-j1", d], None);
    assert_eq!(printed, printed1, "the same output with one job");
}

#[test]
fn a_hundred_thousand_small_files_cost_little() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..100_000 {
        std::fs::write(
            dir.path().join(format!("{i:06}.ndjson")),
            b"{\"eventCategory\":\"Management\"}\n",
        )
        .unwrap();
    }
    let d = dir.path().to_str().unwrap();
    for jobs in ["2", "100000"] {
        let (code, _, err, rss, _) = measured(
            &["filter", "-q", "--count", "-s", FOUR, "-j", jobs, d],
            None,
        );
        assert_eq!(code, Some(0), "-j {jobs}: {err}");
        // With --jobs 2 the bound of the acceptance list; the clamped huge
        // --jobs (four threads per CPU, each with its buffers) a little more.
        let bound = if jobs == "2" { 64 << 10 } else { 128 << 10 };
        assert!(rss < bound, "-j {jobs}: peak RSS {rss} KiB");
        if jobs == "100000" {
            // A huge --jobs is clamped, with a message, not a panic.
            assert!(err.contains("--jobs 100000: using "), "{err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
}

// ---- Diagnostics stream, and each stays bounded ----

#[test]
fn one_line_files_with_many_errors_print_little() {
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<String> = (0..1000).map(|i| format!("\"K{i}\":true")).collect();
    let text = format!(
        "[{{\"ReadWriteType\":\"All\",{},\"Pad\":\"{}\"}}]",
        keys.join(","),
        "x".repeat(2_000_000)
    );
    let f = dir.path().join("one-line.json");
    std::fs::write(&f, text).unwrap();
    let f = f.to_str().unwrap();
    for args in [
        vec!["validate", "--all", f],
        vec!["lint", f],
        vec!["filter", "-s", f],
    ] {
        let (code, out, err, rss, _) = measured(&args, Some(b""));
        assert!(matches!(code, Some(1 | 2)), "{args:?}: {err}");
        let printed = out + err.len();
        assert!(
            printed < 4 << 20,
            "{args:?}: {printed} bytes of diagnostics"
        );
        assert!(rss < 64 << 10, "{args:?}: peak RSS {rss} KiB");
        assert!(
            out + err.len() > 1000 * 100,
            "{args:?}: every error is still shown"
        );
    }
}

// ---- Selector parsing is linear ----

#[test]
fn repeated_keys_cost_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let reps: Vec<&str> =
        std::iter::repeat_n("\"IncludeManagementEvents\":true", 200_000).collect();
    let f = dir.path().join("dup.json");
    std::fs::write(
        &f,
        format!("[{{\"ReadWriteType\":\"All\",{}}}]", reps.join(",")),
    )
    .unwrap();
    let f = f.to_str().unwrap();
    for format in ["json", "human"] {
        let (code, out, err, rss, secs) = measured(&["validate", "--format", format, f], None);
        assert_eq!(code, Some(0), "{err}");
        // The quadratic reader took 27 s in a release build; this one
        // takes about 0.1 s there (and a few times that in a test build).
        assert!(secs < 5.0, "{format}: {secs:.2} s");
        assert!(rss < 256 << 10, "{format}: peak RSS {rss} KiB");
        assert!(out < 2 << 20, "{format}: {out} bytes: warnings are capped");
    }
}

#[test]
fn many_invalid_selectors_decide_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let sels: Vec<String> = (0..40_000)
        .map(|i| format!("{{\"Name\":\"s{i}\",\"FieldSelectors\":[{{\"Field\":\"eventCategory\",\"Equals\":[\"Management\"]}}]}}"))
        .collect();
    let s = dir.path().join("many.json");
    std::fs::write(&s, format!("[{}]", sels.join(","))).unwrap();
    let s = s.to_str().unwrap();
    let record = "{\"eventCategory\":\"Management\",\"eventName\":\"X\"}\n";
    let time = |n: usize| {
        let records = record.repeat(n);
        let (code, out, err, _, secs) = measured(
            &[
                "filter",
                "-q",
                "--count",
                "-j1",
                "--allow-invalid",
                "-s",
                s,
                "-",
            ],
            Some(records.as_bytes()),
        );
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(out, n.to_string().len() + 1);
        secs
    };
    // Parsing and compiling 40,000 selectors cost the same in both runs;
    // the difference is 100 records' decisions, every selector matching.
    let per_record = (time(101) - time(1)) / 100.0;
    // Quadratic (the code before): about 70 ms a record here. Linear:
    // well under a millisecond.
    assert!(per_record < 0.010, "{:.1} ms per record", per_record * 1e3);
}

// ---- Nothing decoded is lost ----

#[test]
fn damaged_gzip_keeps_what_came_before() {
    for (file, message, records) in [
        (
            "gzip-bad-crc-small-member-loses-records.json.gz",
            "checksum",
            3,
        ),
        (
            "gzip-second-member-truncated-loses-first-member.json.gz",
            "unexpected end of data",
            4,
        ),
        (
            "gzip-trailing-garbage-small-member-loses-records.json.gz",
            "after the last complete gzip member",
            3,
        ),
    ] {
        let path = format!("{CASES}/{file}");
        let out = ctsel()
            .args(["filter", "-s", ALL_MGMT, &path])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&path) && err.contains(message),
            "{file}: {err}"
        );
        assert_eq!(
            summary(&out.stderr)[0],
            records,
            "{file}: records kept: {err}"
        );
        let m = ctsel()
            .args(["match", "-s", ALL_MGMT, &path])
            .output()
            .unwrap();
        assert_eq!(json_lines(&m.stdout).len() as u64, records, "{file}: match");
        assert_eq!(m.status.code(), Some(2), "{file}: match");
    }
}

// ---- Log files ----

#[test]
fn log_file_edge_cases() {
    // Records after an oversized element are still read.
    let path = format!("{CASES}/records-doc-oversized-element-hides-rest.json.gz");
    let out = ctsel()
        .args(["filter", "-s", ALL_MGMT, &path])
        .output()
        .unwrap();
    assert_eq!(
        summary(&out.stderr),
        [3, 2, 0, 0, 1],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `Records` not first: still a log file, never one record.
    let path = format!("{CASES}/records-doc-other-key-first-read-as-one-record.json");
    let m = ctsel().args(["match", "-s", FOUR, &path]).output().unwrap();
    let lines = json_lines(&m.stdout);
    assert_eq!(lines.len(), 2, "two records, not the wrapper");
    assert!(lines.iter().all(|l| l.get("offset").is_some()));
    // `Records` not an array: an error naming the file.
    let path = format!("{CASES}/records-doc-records-not-array-silently-empty.json");
    let out = ctsel()
        .args(["filter", "-s", FOUR, &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&path) && err.contains("not an array"), "{err}");
}

// ---- Directory walks ----

#[test]
fn symlinks_are_followed_once_and_special_files_named() {
    let dir = tempfile::tempdir().unwrap();
    let (tree, real) = (dir.path().join("tree"), dir.path().join("real"));
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::create_dir_all(&real).unwrap();
    std::fs::write(
        real.join("r.ndjson"),
        "{\"eventCategory\":\"Management\",\"eventName\":\"via-symlink\"}\n",
    )
    .unwrap();
    std::fs::write(
        tree.join("plain.ndjson"),
        "{\"eventCategory\":\"Management\",\"eventName\":\"plain\"}\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(real.join("r.ndjson"), tree.join("link.ndjson")).unwrap();
    std::os::unix::fs::symlink(&real, tree.join("dirlink")).unwrap();
    // A loop back to the tree itself.
    std::os::unix::fs::symlink(&tree, tree.join("loop")).unwrap();
    let fifo = std::ffi::CString::new(tree.join("pipe").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let out = ctsel()
        .args(["filter", "-s", FOUR])
        .arg(&tree)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("plain") && text.contains("via-symlink"),
        "{text}"
    );
    // Reached by the file link and by the directory link: read once.
    assert_eq!(text.matches("via-symlink").count(), 1, "{text}");
    assert!(err.contains("pipe: skipped: a FIFO"), "{err}");
    assert!(err.contains("symbolic link loop"), "{err}");
    assert_eq!(out.status.code(), Some(2), "the loop is an error: {err}");
}

#[test]
fn one_bad_entry_does_not_stop_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.ndjson");
    std::fs::write(
        &other,
        "{\"eventCategory\":\"Management\",\"eventName\":\"other-input\"}\n",
    )
    .unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    std::fs::write(
        tree.join("a.ndjson"),
        "{\"eventCategory\":\"Management\",\"eventName\":\"a\"}\n",
    )
    .unwrap();
    // A path longer than PATH_MAX, made with relative calls (the whole
    // path is too long for any one call).
    let status = Command::new("python3")
        .arg("-c")
        .arg("import os,sys\nos.chdir(sys.argv[1])\nfor i in range(45):\n    os.mkdir('L'*100); os.chdir('L'*100)\nopen('x.ndjson','w').write('{}\\n')")
        .arg(&tree)
        .status()
        .unwrap();
    assert!(status.success());
    let out = ctsel()
        .args(["filter", "-s", FOUR])
        .arg(&tree)
        .arg(&other)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("\"a\"") && text.contains("other-input"),
        "{text} {err}"
    );
    assert!(
        err.contains("records read"),
        "the summary is printed: {err}"
    );
    assert_eq!(out.status.code(), Some(2), "{err}");
    // The too-long path is reported (by the walk or when it is read).
    assert!(err.contains("LLLL"), "{err}");
}

// ---- The smaller defects ----

#[test]
fn the_smaller_defects() {
    let dir = tempfile::tempdir().unwrap();
    // Names are escaped on output.
    let odd = dir.path().join("a\nb\u{1b}[31m.ndjson");
    std::fs::write(&odd, "{\"eventCategory\":\"Management\"\n").unwrap();
    let out = ctsel()
        .args(["filter", "-s", FOUR])
        .arg(&odd)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a\\nb\\u{1b}[31m.ndjson"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "no raw escape reaches the terminal"
    );

    // A --rejects write failure is an output error (3).
    let out = ctsel()
        .args(["filter", "-s", FOUR, "--rejects", "/dev/full", "-"])
        .write_stdin("not json\n")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // /dev/full on stdout: exit 3, and the summary is still printed.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ctsel"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["filter", "-s", FOUR, "tests/corpus/events"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("No space left on device") && err.contains("records read"),
        "{err}"
    );

    // `-s -` with records on standard input too: refused.
    let out = ctsel()
        .args(["filter", "-s", "-"])
        .write_stdin("[{\"ReadWriteType\":\"All\"}]")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot hold the records too"));

    // bzip2 and zstd are recognised and refused by name.
    for (name, magic) in [
        ("x.bz2", b"BZh91AY&SY".as_slice()),
        ("x.zst", &[0x28, 0xb5, 0x2f, 0xfd, 0, 0]),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, magic).unwrap();
        let out = ctsel()
            .args(["filter", "-s", FOUR])
            .arg(&p)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("compressed, which ctsel does not read"),
            "{name}: {err}"
        );
        assert_eq!(
            summary(&out.stderr)[0],
            0,
            "{name}: not read as garbage lines"
        );
    }
    let _ = Duration::ZERO;
}
