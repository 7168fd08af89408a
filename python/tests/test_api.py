"""The Python API: its names, its types, and its errors."""

import concurrent.futures
import gzip
import io
import json
import pathlib
import warnings

import pytest

import ctsel

from conftest import SELECTORS, run_cli

MGMT_READ = {"eventCategory": "Management", "readOnly": True, "eventName": "ListBuckets",
             "eventSource": "s3.amazonaws.com"}
MGMT_WRITE = {"eventCategory": "Management", "readOnly": False, "eventName": "CreateUser",
              "eventSource": "iam.amazonaws.com"}
WRITE_ONLY = SELECTORS / "write-only-management.basic.json"
FOUR_KINDS = SELECTORS / "aws-docs-four-kinds.advanced.json"


def ndjson(*records) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


# validate


def test_validate_valid_text_path_and_data():
    text = '[{"ReadWriteType": "All"}]'
    for given in (text, text.encode(), [{"ReadWriteType": "All"}], WRITE_ONLY, str(WRITE_ONLY)):
        r = ctsel.validate(given)
        assert r.valid and bool(r), given
        assert r.errors == [] and r.format == "api"
        assert r.kind == "basic"


def test_validate_error_carries_every_field():
    r = ctsel.validate('[{"ReadWriteType": "Al"}]')
    assert not r.valid
    (d,) = r.errors
    assert d.exception == "InvalidEventSelectorsException"
    assert d.message == "Value Al for ReadWriteType is invalid."
    assert d.verbatim is (d.provenance == "verbatim")
    assert d.provenance in ("verbatim", "derived", "project")
    assert d.pointer == "/0/ReadWriteType"
    assert (d.line, d.column) == (1, 20)
    assert "All" in d.hint
    assert d.rule
    assert d.severity == "error"
    assert "InvalidEventSelectorsException" in str(d) and "<string>:1:20" in str(d)


def test_validate_get_event_selectors_response_as_a_dict():
    # What boto3's get_event_selectors() returns, passed straight in.
    response = {"TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
                "AdvancedEventSelectors": [{"Name": "m", "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Management"]}]}]}
    r = ctsel.validate(response)
    assert r.valid and r.kind == "advanced"


def test_validate_syntax_error_is_a_result_not_an_exception():
    r = ctsel.validate('[{"ReadWriteType": ')
    assert not r.valid and r.format is None
    assert r.errors[0].exception == "JSONDecodeError"


def test_validate_report_all_and_suppressed():
    bad = '[{"ReadWriteType": "Al"}, {"ReadWriteType": "Bo"}]'
    first = ctsel.validate(bad)
    every = ctsel.validate(bad, report_all=True)
    assert len(first.errors) == 1 and first.suppressed == 1
    assert len(every.errors) == 2


def test_validate_target_event_data_store():
    store = [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["ConfigurationItem"]}]}]
    assert not ctsel.validate(store).valid
    assert ctsel.validate(store, target="event-data-store").valid


def test_validate_template_names_resources():
    path = SELECTORS / "cloudformation"
    templates = sorted(path.glob("*.yaml"))
    assert templates
    r = ctsel.validate(templates[0])
    assert r.format == "cloudformation"
    assert r.resources


def test_validate_bad_arguments():
    with pytest.raises(FileNotFoundError):
        ctsel.validate("no-such-file.json")
    with pytest.raises(FileNotFoundError):
        ctsel.validate(pathlib.Path("no/such/file.json"))
    with pytest.raises(TypeError, match="selectors are given as"):
        ctsel.validate(42)
    with pytest.raises(ValueError, match="target='lake'"):
        ctsel.validate("[]", target="lake")
    with pytest.raises(ValueError, match="not an AWS partition"):
        ctsel.validate("[]", partition="mars")


# compile


def test_compile_raises_invalid_selectors_with_diagnostics():
    with pytest.raises(ctsel.InvalidSelectors) as e:
        ctsel.compile('[{"ReadWriteType": "Al"}]')
    assert isinstance(e.value, ValueError) and isinstance(e.value, ctsel.Error)
    assert e.value.errors[0].exception == "InvalidEventSelectorsException"
    assert "Value Al for ReadWriteType is invalid." in str(e.value)


def test_compile_not_a_document_raises():
    with pytest.raises(ctsel.InvalidSelectors) as e:
        ctsel.compile("{not json")
    assert e.value.errors[0].exception == "JSONDecodeError"


def test_compile_allow_invalid():
    store = [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]},
                                 {"Field": "eventSource", "Equals": ["s3.amazonaws.com"]}]}]
    with pytest.raises(ctsel.InvalidSelectors):
        ctsel.compile(store)
    p = ctsel.compile(store, allow_invalid=True)
    assert p.decide(MGMT_READ).logged
    assert not p.decide(MGMT_WRITE).logged


def test_compile_template_needs_a_resource_when_several():
    many = [t for t in sorted((SELECTORS / "cloudformation").glob("*.yaml"))
            if len(ctsel.validate(t).resources) > 1 and ctsel.validate(t).valid]
    assert many, "a shipped template with several valid resources"
    with pytest.raises(ValueError, match="choose one with resource="):
        ctsel.compile(many[0])
    name = ctsel.validate(many[0]).resources[0]
    p = ctsel.compile(many[0], resource=name)
    assert p.resource == name
    with pytest.raises(ValueError, match="no such resource"):
        ctsel.compile(many[0], resource="NoSuchId")


def test_program_is_immutable_and_described():
    p = ctsel.compile(FOUR_KINDS)
    assert p.kind == "advanced" and p.selector_count == 4
    assert p.selectors[0]["Name"] == "Log readOnly and writeOnly management events"
    assert "selectors=4" in repr(p)
    with pytest.raises(AttributeError):
        p.kind = "basic"


# decide


def test_decide_bytes_str_and_dict_agree():
    p = ctsel.compile(WRITE_ONLY)
    for record in (MGMT_WRITE, json.dumps(MGMT_WRITE), json.dumps(MGMT_WRITE).encode()):
        v = p.decide(record)
        assert v.logged and bool(v) and v.outcome == "logged"
        assert v.selectors == [0] and v.category == "Management" and v.assumed is False
    v = p.decide(MGMT_READ)
    assert not v.logged and v.outcome == "not_logged"


def test_decide_insight_is_not_governed():
    v = ctsel.compile(WRITE_ONLY).decide({"eventCategory": "Insight"})
    assert v.outcome == "not_governed" and not v.logged


def test_decide_assumed_when_read_only_is_missing():
    v = ctsel.compile(WRITE_ONLY).decide({"eventCategory": "Management"})
    assert v.logged and v.assumed


def test_decide_wrong_type_and_malformed_record():
    p = ctsel.compile(WRITE_ONLY)
    with pytest.raises(TypeError, match="a record is bytes, str or dict, not int"):
        p.decide(7)
    with pytest.raises(TypeError):
        p.decide({"eventName": object()})
    with pytest.raises(ctsel.UnparseableRecord) as e:
        p.decide(b'{"eventName": ')
    assert isinstance(e.value, ValueError)
    assert e.value.offset is not None
    with pytest.raises(ctsel.UnparseableRecord):
        p.decide("[1, 2]")


def test_decide_many_counts_unparseable_records():
    p = ctsel.compile(WRITE_ONLY)
    vs = p.decide_many([json.dumps(MGMT_WRITE).encode(), b"not json", MGMT_READ])
    assert [v.outcome for v in vs] == ["logged", "unparseable", "not_logged"]
    assert vs[1].error and not vs[1].logged
    assert vs[0] == p.decide(MGMT_WRITE)


def test_program_is_shared_by_threads():
    p = ctsel.compile(WRITE_ONLY)
    records = [json.dumps(MGMT_WRITE if i % 3 else MGMT_READ).encode() for i in range(3000)]
    expected = [v.logged for v in p.decide_many(records)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: [v.logged for v in p.decide_many(records)], range(8)))
    assert all(r == expected for r in results)
    assert sum(expected) == 2000


# filter


def test_filter_ndjson_log_file_and_gzip_agree():
    p = ctsel.compile(WRITE_ONLY)
    lines = ndjson(MGMT_WRITE, MGMT_READ, MGMT_WRITE)
    logfile = json.dumps({"Records": [MGMT_WRITE, MGMT_READ, MGMT_WRITE]}).encode()
    out = p.filter(lines)
    assert out.count(b"\n") == 2
    assert p.filter(logfile).count(b"\n") == 2
    assert p.filter(gzip.compress(lines)) == out
    assert p.filter(lines.decode()) == out
    assert p.filter(lines, invert=True).count(b"\n") == 1
    assert p.filter(lines, jobs=2) == out


def test_filter_unparseable_records_are_counted_and_warned():
    p = ctsel.compile(WRITE_ONLY)
    data = ndjson(MGMT_WRITE) + b"{broken\n" + ndjson(MGMT_WRITE)
    with pytest.warns(ctsel.UnparseableRecordWarning, match="line 2"):
        out = p.filter(data)
    assert out.count(b"\n") == 2
    with pytest.raises(ctsel.UnparseableRecord) as e:
        p.filter(data, strict=True)
    assert e.value.line == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = p.filter_with_stats(data)
    s = r.stats
    assert (s.records, s.logged, s.unparseable) == (3, 2, 1)
    assert s.records == s.logged + s.not_logged + s.not_governed + s.unparseable
    assert s.unparseable_records[0][2] == 2


def test_filter_wrong_type():
    with pytest.raises(TypeError, match="data is bytes or str"):
        ctsel.compile(WRITE_ONLY).filter(12)


@pytest.mark.filterwarnings("ignore::ctsel.UnparseableRecordWarning")
def test_truncated_gzip_raises_input_error_with_what_was_read(tmp_path):
    p = ctsel.compile(WRITE_ONLY)
    whole = gzip.compress(ndjson(*[MGMT_WRITE] * 2000))
    cut = whole[: len(whole) // 2]
    with pytest.raises(ctsel.InputError) as e:
        p.filter(cut)
    assert isinstance(e.value, OSError)
    assert e.value.kind == "truncated"
    assert 0 < e.value.stats.records < 2000
    f = tmp_path / "cut.json.gz"
    f.write_bytes(cut)
    with pytest.raises(ctsel.InputError) as e:
        p.filter_files(f)
    assert e.value.source == str(f)
    with pytest.warns(ctsel.InputWarning):
        r = p.filter_files(f, errors="warn")
    assert r.stats.input_errors[0][1] == "truncated"
    assert r.stats.records == e.value.stats.records


def test_filter_files_missing_file_and_bad_paths(tmp_path):
    p = ctsel.compile(WRITE_ONLY)
    with pytest.raises(FileNotFoundError):
        p.filter_files(tmp_path / "missing.ndjson")
    with pytest.raises(FileNotFoundError):
        p.stats([tmp_path / "missing.ndjson"])
    with pytest.raises(TypeError):
        p.filter_files(3)
    with pytest.raises(ValueError, match="errors="):
        p.stats(tmp_path, errors="ignore")


def test_filter_files_outputs(tmp_path):
    p = ctsel.compile(WRITE_ONLY)
    tree = tmp_path / "AWSLogs" / "111122223333" / "CloudTrail" / "us-east-1"
    tree.mkdir(parents=True)
    for i in range(3):
        (tree / f"f{i}.json.gz").write_bytes(
            gzip.compress(json.dumps({"Records": [MGMT_WRITE, MGMT_READ]}).encode()))
    digest = tmp_path / "AWSLogs" / "111122223333" / "CloudTrail-Digest"
    digest.mkdir()
    (digest / "d.json.gz").write_bytes(gzip.compress(b"{}"))
    r = p.filter_files(tmp_path)
    assert r.output.count(b"\n") == 3 and r.stats.records == 6
    assert any(why == "digest" for _, why in r.stats.skipped)
    out = tmp_path / "out.ndjson"
    r2 = p.filter_files(tmp_path / "AWSLogs", out)
    assert r2.output is None and out.read_bytes() == r.output
    buf = io.BytesIO()
    p.filter_files(str(tmp_path / "AWSLogs"), buf, jobs=2)
    assert buf.getvalue() == r.output


def test_stats_equals_cli(cli, tmp_path):
    data = tmp_path / "e.ndjson"
    data.write_bytes(ndjson(MGMT_WRITE, MGMT_READ, {"eventCategory": "Insight"}) + b"nope\n")
    p = ctsel.compile(FOUR_KINDS)
    with pytest.warns(ctsel.UnparseableRecordWarning):
        s = p.stats(data)
    got = s.as_dict()
    want = json.loads(run_cli(cli, "stats", "--format", "json", "-s", FOUR_KINDS, data).stdout)
    for k in ("records", "logged", "not_logged", "not_governed", "unparseable", "bytes",
              "by_selector", "by_category"):
        assert got[k] == want[k], k


# explain, lint, convert, diff


def test_explain():
    e = ctsel.explain(WRITE_ONLY, MGMT_READ)
    assert e["verdict"] == "not_logged"
    assert ctsel.compile(WRITE_ONLY).explain(MGMT_WRITE)["verdict"] == "logged"


def test_lint_finds_and_refuses():
    dup = [{"ReadWriteType": "All", "IncludeManagementEvents": True},
           {"ReadWriteType": "All", "IncludeManagementEvents": True}]
    findings = ctsel.lint(dup)
    assert findings and all(f.id.startswith("CT") for f in findings)
    assert findings[0].line >= 1 and findings[0].fix
    with pytest.raises(ctsel.InvalidSelectors):
        ctsel.lint('[{"ReadWriteType": "Al"}]')


def test_convert_validates_and_is_equivalent():
    advanced = ctsel.convert(WRITE_ONLY)
    assert ctsel.validate(advanced, kind="advanced").valid
    d = ctsel.diff(WRITE_ONLY, advanced, samples=2000)
    assert d["equivalent"] and d["proved"]
    with pytest.raises(ValueError, match="already advanced"):
        ctsel.convert(FOUR_KINDS)


def test_diff_finds_witnesses():
    d = ctsel.diff('[{"ReadWriteType": "All"}]', WRITE_ONLY, samples=2000)
    assert not d["equivalent"]
    w = d["witnesses"][0]
    assert w["a"] == "logged" and w["b"] == "not_logged"
    assert ctsel.compile(WRITE_ONLY).decide(w["record"]).outcome == w["b"]


def test_testing_strategies_are_valid():
    hypothesis = pytest.importorskip("hypothesis")
    from ctsel.testing import kind_of, selector_sets

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(selector_sets())
    def check(s):
        r = ctsel.validate(s, kind=kind_of(s))
        assert r.valid, r.errors[:1]
    check()


def test_contains_equivalent_and_covers_are_proved():
    all_ = '[{"ReadWriteType": "All"}]'
    reads = '[{"ReadWriteType": "ReadOnly"}]'
    c = ctsel.contains(all_, WRITE_ONLY)
    assert c["contains"] and c["proved"] and not c["witnesses"]
    c = ctsel.contains(WRITE_ONLY, all_)
    assert not c["contains"]
    w = c["witnesses"][0]["record"]
    assert ctsel.compile(WRITE_ONLY).decide(w).outcome == "not_logged"
    assert ctsel.compile(all_).decide(w).outcome == "logged"
    e = ctsel.equivalent(all_, [{"ReadWriteType": "ReadOnly"}, {"ReadWriteType": "WriteOnly"}])
    assert e["equivalent"] and not e["only_a"] and not e["only_b"]
    ids = [r["id"] for r in ctsel.requirements()]
    assert "securityhub:CloudTrail.1" in ids
    alone = ctsel.covers("securityhub:CloudTrail.1", [reads])
    assert not alone["covered"] and alone["witnesses"]
    together = ctsel.covers("securityhub:CloudTrail.1", [reads, WRITE_ONLY],
                            trails=[{"trailList": [{"IsMultiRegionTrail": True}]}])
    assert together["covered"]
    assert {c["property"]: c["status"] for c in together["trail_checks"]} == {
        "multi_region": "pass", "logging": "not_checked"}
    assert ctsel.covers(all_, [reads, WRITE_ONLY])["covered"]
