"""Shared fixtures: the repository, the ctsel CLI (the oracle the package
is checked against), and the vendored corpus."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus" / "events"
SELECTORS = REPO / "selectors"


def _cli() -> Path:
    given = os.environ.get("CTSEL_BIN")
    if given:
        return Path(given)
    subprocess.run(["cargo", "build", "--quiet", "--bin", "ctsel"], cwd=REPO, check=True)
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=REPO, check=True, capture_output=True, text=True).stdout)
    return Path(meta["target_directory"]) / "debug" / "ctsel"


@pytest.fixture(scope="session")
def cli() -> Path:
    path = _cli()
    assert path.exists(), f"no ctsel binary at {path}"
    return path


def run_cli(cli: Path, *args, check_codes=(0,)) -> subprocess.CompletedProcess:
    p = subprocess.run([str(cli), *map(str, args)], capture_output=True)
    assert p.returncode in check_codes, (args, p.returncode, p.stderr.decode(errors="replace"))
    return p


@pytest.fixture(scope="session")
def corpus_records() -> list:
    """Every vendored corpus record, as its NDJSON line."""
    out = []
    for f in sorted(CORPUS.glob("*.ndjson")):
        out.extend(line for line in f.read_bytes().splitlines() if line.strip())
    assert len(out) > 500
    return out
