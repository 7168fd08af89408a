//! `ctsel route`: each route's output is exactly what `ctsel filter` prints
//! for its selectors; records no route logs go to --unmatched; every
//! record is accounted for.

mod common;

use common::ctsel;
use serde_json::Value;

const EVENTS: &str = "tests/corpus/events/aws-docs-current.ndjson";
const ROUTES: [(&str, &str); 3] = [
    ("mgmt", "selectors/write-only-management.basic.json"),
    ("s3", "selectors/all-s3-objects.basic.json"),
    ("four", "selectors/aws-docs-four-kinds.advanced.json"),
];

fn filter(selectors: &str, input: &str) -> Vec<u8> {
    ctsel()
        .args(["filter", "-q", "-s", selectors, input])
        .output()
        .unwrap()
        .stdout
}

#[test]
fn each_route_gets_what_filter_logs_and_the_rest_goes_unmatched() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = ctsel();
    cmd.args(["route", "--format", "json"]);
    for (name, sel) in ROUTES {
        cmd.arg("--route").arg(format!(
            "{name}={sel}:{}",
            dir.path().join(format!("{name}.ndjson")).display()
        ));
    }
    cmd.arg("--unmatched").arg(dir.path().join("rest.ndjson"));
    let out = cmd.arg(EVENTS).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stderr).unwrap();
    for (i, (name, sel)) in ROUTES.iter().enumerate() {
        let got = std::fs::read(dir.path().join(format!("{name}.ndjson"))).unwrap();
        assert_eq!(got, filter(sel, EVENTS), "route {name}");
        let lines = got.iter().filter(|b| **b == b'\n').count() as u64;
        assert_eq!(summary["routes"][i]["logged"], lines, "route {name}");
        assert_eq!(summary["routes"][i]["name"], *name);
    }
    // Unmatched: records no route's filter logs (not logged or not governed).
    let rest = std::fs::read(dir.path().join("rest.ndjson")).unwrap();
    let rest_lines: Vec<&[u8]> = rest
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert!(!rest_lines.is_empty());
    for (_, sel) in ROUTES {
        let logged = filter(sel, EVENTS);
        for l in &rest_lines {
            assert!(
                !logged.split(|b| *b == b'\n').any(|x| x == *l),
                "an unmatched record is logged by {sel}"
            );
        }
    }
    assert_eq!(summary["unmatched"], rest_lines.len() as u64);
    assert_eq!(
        summary["records"].as_u64().unwrap(),
        summary["logged"].as_u64().unwrap()
            + summary["unmatched"].as_u64().unwrap()
            + summary["unparseable"].as_u64().unwrap()
    );
}

#[test]
fn routes_file_stdin_and_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let routes = dir.path().join("routes.json");
    std::fs::write(
        &routes,
        format!(
            r#"{{"routes": [{{"name": "mgmt", "selectors": "{root}/{}", "output": "-"}}]}}"#,
            ROUTES[0].1
        ),
    )
    .unwrap();
    let input = std::fs::read(format!("{root}/{EVENTS}")).unwrap();
    let mut with_bad = input.clone();
    with_bad.extend_from_slice(b"not json\n");
    let out = ctsel()
        .args(["route", "--routes"])
        .arg(&routes)
        .arg("-")
        .write_stdin(with_bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, filter(ROUTES[0].1, EVENTS));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 unparseable"), "{err}");
}

#[test]
fn bad_routes_are_usage_errors() {
    for args in [
        vec!["route", EVENTS],
        vec!["route", "--route", "nocolon", EVENTS],
        vec![
            "route",
            "--route",
            "x=selectors/invalid/e1-six-selectors.basic.json:-",
            EVENTS,
        ],
        vec![
            "route",
            "--route",
            "x=selectors/write-only-management.basic.json:/nonexistent/dir/out",
            EVENTS,
        ],
    ] {
        let out = ctsel().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
