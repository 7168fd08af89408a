"""Program.decide gives the verdict `ctsel match` gives, for every record:
on the vendored corpus and on generated records, for every selector file
(and every resource of every template) in selectors/, and for generated
selector sets."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ctsel
from ctsel.testing import kind_of, record_texts_for, records_for, selector_sets

from conftest import SELECTORS, run_cli


def selector_subjects():
    """(path, resource) for every configuration shipped in selectors/."""
    paths = sorted(p for p in SELECTORS.glob("*.json"))
    paths += sorted((SELECTORS / "cloudformation").glob("*.yaml"))
    paths += sorted((SELECTORS / "cloudformation").glob("*.json"))
    paths += sorted(p / "plan.json" for p in (SELECTORS / "terraform").iterdir()
                    if (p / "plan.json").exists())
    paths += sorted((SELECTORS / "cdk" / "cdk.out").glob("*.template.json"))
    out = []
    for p in paths:
        r = ctsel.validate(p)
        names = r.resources or [None]
        out.extend((p, n) for n in names)
    return out


SUBJECTS = selector_subjects()


def cli_verdicts(cli, selectors, records_path, resource=None):
    args = ["match", "-s", selectors, records_path]
    if resource:
        args += ["--resource", resource]
    p = run_cli(cli, *args, check_codes=(0, 1, 2))
    if p.returncode == 2:
        return None
    return [json.loads(line) for line in p.stdout.splitlines()]


def same(verdict, line):
    if line["verdict"] == "unparseable":
        return verdict.outcome == "unparseable"
    return (verdict.outcome, verdict.selectors, verdict.assumed) == (
        line["verdict"], line["selectors"], line["assumed"])


def test_there_are_subjects():
    assert len(SUBJECTS) >= 40
    assert sum(1 for _, n in SUBJECTS if n) >= 25


def compiled(path, resource):
    try:
        return ctsel.compile(path, resource=resource)
    except (ctsel.InvalidSelectors, ValueError):
        return None


def check_against_cli(cli, directory, path, resource, program, records):
    data = directory / "records.ndjson"
    data.write_bytes(b"\n".join(records) + b"\n")
    lines = cli_verdicts(cli, path, data, resource)
    if program is None:
        assert lines is None, "the CLI decides with selectors the package refuses"
        return
    assert lines is not None, "the package decides with selectors the CLI refuses"
    verdicts = program.decide_many(records)
    assert len(verdicts) == len(lines) == len(records)
    for i, (v, line) in enumerate(zip(verdicts, lines)):
        assert same(v, line), (i, records[i][:300], v, line)
    # One record at a time, as a user's loop calls it.
    for r, line in list(zip(records, lines))[::7]:
        if line["verdict"] != "unparseable":
            assert same(program.decide(r), line)


IDS = [f"{p.parent.name}/{p.name}:{n or ''}" for p, n in SUBJECTS]


@pytest.mark.parametrize("path,resource", SUBJECTS, ids=IDS)
def test_shipped_selectors_on_the_corpus(cli, tmp_path, corpus_records, path, resource):
    check_against_cli(cli, tmp_path, path, resource, compiled(path, resource), corpus_records)


@pytest.mark.parametrize("path,resource", SUBJECTS, ids=IDS)
def test_shipped_selectors_on_generated_records(cli, tmp_path_factory, path, resource):
    program = compiled(path, resource)
    if program is None:
        pytest.skip("AWS rejects these selectors (the corpus test checks the CLI agrees)")

    @settings(max_examples=5, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(record_texts_for(program.selectors), min_size=1, max_size=60))
    def check(texts):
        records = [t.encode() for t in texts]
        check_against_cli(cli, tmp_path_factory.mktemp("gen"), path, resource, program, records)

    check()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(st.data())
def test_generated_sets_agree_with_the_cli(cli, tmp_path_factory, data):
    selectors = data.draw(selector_sets(), label="selectors")
    texts = data.draw(st.lists(record_texts_for(selectors), min_size=1, max_size=40),
                      label="records")
    d = tmp_path_factory.mktemp("case")
    (d / "sel.json").write_text(json.dumps(selectors))
    (d / "r.ndjson").write_text("\n".join(texts) + "\n")
    lines = run_cli(cli, "match", "--kind", kind_of(selectors), "-s", d / "sel.json",
                    d / "r.ndjson").stdout.splitlines()
    program = ctsel.compile(selectors, kind=kind_of(selectors))
    for text, line in zip(texts, lines):
        assert same(program.decide(text), json.loads(line)), text
    assert len(lines) == len(texts)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_dict_and_text_records_agree(data):
    selectors = data.draw(selector_sets())
    record = data.draw(records_for(selectors))
    program = ctsel.compile(selectors, kind=kind_of(selectors))
    assert program.decide(record) == program.decide(json.dumps(record))
