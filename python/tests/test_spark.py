"""The Spark job (examples/spark/ctsel_spark.py) in local mode on the
vendored corpus laid out as CloudTrail writes it to S3: its counts equal
`ctsel stats` on the same tree, and its records equal `ctsel filter`'s."""

import gzip
import importlib.util
import json
import os
import sys

import pytest

from conftest import REPO, SELECTORS, run_cli

if os.environ.get("CTSEL_REQUIRE_SPARK"):
    import pyspark  # noqa: F401  (CI installs it; a missing pyspark fails there)
else:
    pytest.importorskip("pyspark")

JOB = REPO / "examples" / "spark" / "ctsel_spark.py"
FILES = [SELECTORS / "aws-docs-four-kinds.advanced.json",
         SELECTORS / "write-only-management.basic.json",
         SELECTORS / "s3-and-lambda-data-events.basic.json"]


def load_job():
    spec = importlib.util.spec_from_file_location("ctsel_spark", JOB)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tree(tmp_path_factory, corpus_records):
    """The corpus as an S3 sync of AWSLogs/: gzip log files of 40 records
    per account, region and five minutes, a digest file, and one
    truncated log file."""
    root = tmp_path_factory.mktemp("bucket")
    records = [json.loads(r) for r in corpus_records]
    for n, start in enumerate(range(0, len(records), 40)):
        account = ["111122223333", "444455556666"][n % 2]
        region = ["us-east-1", "eu-west-1", "ap-south-1"][n % 3]
        d = root / "AWSLogs" / account / "CloudTrail" / region / "2024" / "05" / f"{1 + n // 12:02d}"
        d.mkdir(parents=True, exist_ok=True)
        name = f"{account}_CloudTrail_{region}_20240501T{n % 24:02d}{(n * 5) % 60:02d}Z_{n:04x}.json.gz"
        (d / name).write_bytes(gzip.compress(
            json.dumps({"Records": records[start:start + 40]}).encode()))
    digest = root / "AWSLogs" / "111122223333" / "CloudTrail-Digest" / "us-east-1"
    digest.mkdir(parents=True)
    (digest / "d.json.gz").write_bytes(gzip.compress(b'{"digestStartTime": "x"}'))
    cut = gzip.compress(json.dumps({"Records": records[:200]}).encode())
    bad = root / "AWSLogs" / "111122223333" / "CloudTrail" / "us-east-1" / "2024" / "05" / "01"
    (bad / "111122223333_CloudTrail_us-east-1_20240501T2355Z_cut.json.gz").write_bytes(
        cut[: len(cut) * 2 // 3])
    return root


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The Python workers must be this interpreter, which has ctsel, not
    # whatever `python3` is first on PATH.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (SparkSession.builder.master("local[2]").appName("ctsel-test")
         .config("spark.ui.enabled", "false")
         .config("spark.driver.host", "127.0.0.1")
         .config("spark.sql.shuffle.partitions", "2")
         .getOrCreate())
    yield s
    s.stop()


@pytest.mark.parametrize("selectors", FILES, ids=[f.name for f in FILES])
def test_spark_counts_equal_ctsel_stats(spark, cli, tree, tmp_path, selectors):
    job = load_job()
    out = tmp_path / "out"
    counts = job.run(spark, selectors.read_bytes(), [str(tree)], str(out), min_partitions=4)
    cli_stats = json.loads(run_cli(cli, "stats", "--format", "json", "-s", selectors, tree,
                                   check_codes=(2,)).stdout)
    for k in ("records", "logged", "not_logged", "not_governed", "unparseable", "bytes",
              "by_category", "by_selector"):
        assert counts[k] == cli_stats[k], k
    assert counts["records"] > 1000 and counts["logged"] > 0
    # The truncated file is counted, with the records before the damage.
    assert len(counts["input_errors"]) == 1 and "_cut.json.gz" in counts["input_errors"][0]
    # What it wrote can be read back and queried.
    written = spark.read.json(str(out / "counts")).collect()[0].asDict(recursive=True)
    assert written["records"] == counts["records"]
    per = spark.read.json(str(out / "by_selector")).orderBy("index").collect()
    assert [r["logged"] for r in per] == [s["logged"] for s in cli_stats["by_selector"]]
    records = spark.read.parquet(str(out / "records"))
    assert records.count() == counts["logged"]
    filtered = run_cli(cli, "filter", "-s", selectors, tree, check_codes=(2,)).stdout
    assert sorted(r.record.encode() for r in records.select("record").collect()) == \
        sorted(filtered.splitlines())
    by_name = {r["eventName"] for r in records.select("eventName").distinct().collect()}
    assert by_name and None not in by_name


def test_spark_job_refuses_invalid_selectors_on_the_driver(spark, tree, tmp_path):
    import ctsel

    with pytest.raises(ctsel.InvalidSelectors, match="ReadWriteType"):
        load_job().run(spark, b'[{"ReadWriteType": "Al"}]', [str(tree)], str(tmp_path / "o"))
