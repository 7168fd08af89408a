"""Decide every CloudTrail record of an S3-layout tree of log files on Spark.

Reads ``AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/*.json.gz``
(or any tree of CloudTrail log files, NDJSON or gzip) with
``binaryFiles``, decides every record with the ``ctsel`` wheel on the
executors, and writes:

* ``OUTPUT/records/``: the logged records as Parquet, one row per record:
  ``record`` (its JSON text, as CloudTrail wrote it), ``selectors`` (the
  indices of the selectors that log it), ``file``, and ``eventTime``,
  ``eventSource``, ``eventName``, ``eventCategory``, ``awsRegion``,
  ``recipientAccountId`` taken from it, so that it can be queried at once
  (``SELECT eventName, count(*) FROM parquet.`OUTPUT/records` GROUP BY 1``);
* ``OUTPUT/counts/``: one JSON object with the accounting of ``ctsel stats``
  (``records = logged + not_logged + not_governed + unparseable``) and
  ``files`` and ``input_errors``;
* ``OUTPUT/by_selector/``: one JSON object per selector: ``index``,
  ``name``, ``logged``.

As ``ctsel stats`` does, digest files (under ``CloudTrail-Digest``) and
hidden files are not read. A damaged file (a truncated gzip) is counted in
``input_errors`` with the records read before the damage; it does not fail
the job.

Usage::

    spark-submit --py-files ... examples/spark/ctsel_spark.py \\
        --selectors selectors.json --output s3://bucket/ctsel-out \\
        s3://bucket/AWSLogs/111122223333/CloudTrail/

The selectors are validated on the driver before any executor starts: a
set AWS would reject fails the job with AWS's message.
"""

from __future__ import annotations

import argparse
import json
import warnings
from typing import Iterable, Iterator, List, Optional, Tuple

COUNTS = ("records", "logged", "not_logged", "not_governed", "unparseable", "bytes")
COLUMNS = ("eventTime", "eventSource", "eventName", "eventCategory", "awsRegion",
           "recipientAccountId")

# One compiled program per executor process, reused by every partition.
_PROGRAMS: dict = {}


def _program(selectors: bytes, options: dict):
    import ctsel

    key = (selectors, json.dumps(options, sort_keys=True))
    if key not in _PROGRAMS:
        _PROGRAMS[key] = ctsel.compile(selectors, **options)
    return _PROGRAMS[key]


def readable(path: str) -> bool:
    """What ``ctsel stats`` reads inside a directory: not digests, not
    hidden files."""
    parts = path.rstrip("/").split("/")
    return "CloudTrail-Digest" not in parts and not parts[-1].startswith(".")


def decide_files(selectors: bytes, options: dict,
                 files: Iterable[Tuple[str, bytes]]) -> Iterator[tuple]:
    """For each ``(path, content)``: ``(path, counts, rows)``, where
    ``rows`` are the logged records as ``(record, selectors)``."""
    program = _program(selectors, options)
    for path, content in files:
        with warnings.catch_warnings():
            # Unparseable records and damaged inputs are counted below.
            warnings.simplefilter("ignore")
            result = program.filter_with_stats(content, errors="warn")
        s = result.stats
        lines = result.output.splitlines()
        verdicts = program.decide_many(lines)
        rows = [(line.decode("utf-8", "replace"), list(v.selectors))
                for line, v in zip(lines, verdicts)]
        counts = {k: getattr(s, k) for k in COUNTS}
        counts["per_selector"] = list(s.per_selector)
        counts["by_category"] = {k: list(v) for k, v in s.by_category.items()}
        counts["input_errors"] = [f"{path}: {m}" for _, _, m in s.input_errors]
        counts["files"] = 1
        yield path, counts, rows


def add(a: dict, b: dict) -> dict:
    """Sum of two counts."""
    out = {k: a[k] + b[k] for k in COUNTS + ("files",)}
    n = max(len(a["per_selector"]), len(b["per_selector"]))
    pa = a["per_selector"] + [0] * (n - len(a["per_selector"]))
    pb = b["per_selector"] + [0] * (n - len(b["per_selector"]))
    out["per_selector"] = [x + y for x, y in zip(pa, pb)]
    cats = {k: list(v) for k, v in a["by_category"].items()}
    for k, (r, logged) in b["by_category"].items():
        e = cats.setdefault(k, [0, 0])
        e[0] += r
        e[1] += logged
    out["by_category"] = cats
    out["input_errors"] = (a["input_errors"] + b["input_errors"])[:1000]
    return out


def run(spark, selectors: bytes, inputs: List[str], output: str, *,
        options: Optional[dict] = None, min_partitions: Optional[int] = None) -> dict:
    """Runs the job; returns the counts it wrote to ``OUTPUT/counts``."""
    import ctsel
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    options = options or {}
    # Fail on the driver, with AWS's message, before any executor starts.
    program = ctsel.compile(selectors, **options)
    names = [s.get("Name") for s in program.selectors]
    sc = spark.sparkContext
    sc._jsc.hadoopConfiguration().set(
        "mapreduce.input.fileinputformat.input.dir.recursive", "true")
    files = sc.binaryFiles(",".join(inputs), minPartitions=min_partitions)
    decided = (files.filter(lambda pc: readable(pc[0]))
               .mapPartitions(lambda it: decide_files(selectors, options, it))
               .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        schema = StructType([
            StructField("record", StringType(), False),
            StructField("selectors", ArrayType(IntegerType()), False),
            StructField("file", StringType(), False),
        ])
        rows = decided.flatMap(lambda d: [(r, s, d[0]) for r, s in d[2]])
        records = spark.createDataFrame(rows, schema)
        for c in COLUMNS:
            records = records.withColumn(c, F.get_json_object("record", f"$.{c}"))
        records.write.mode("overwrite").parquet(f"{output}/records")
        empty = {k: 0 for k in COUNTS + ("files",)}
        empty.update(per_selector=[0] * len(names), by_category={}, input_errors=[])
        totals = decided.map(lambda d: d[1]).fold(empty, add)
    finally:
        decided.unpersist()
    by_selector = [{"index": i, "name": n, "logged": totals["per_selector"][i]}
                   for i, n in enumerate(names)]
    counts = {k: v for k, v in totals.items() if k != "per_selector"}
    counts["by_category"] = {k: {"records": r, "logged": logged}
                             for k, (r, logged) in totals["by_category"].items()}
    counts["by_selector"] = by_selector
    spark.read.json(sc.parallelize([json.dumps(counts)], 1)) \
        .write.mode("overwrite").json(f"{output}/counts")
    spark.createDataFrame(by_selector, "index INT, name STRING, logged LONG") \
        .coalesce(1).write.mode("overwrite").json(f"{output}/by_selector")
    return counts


def _read_selectors(spark, path: str) -> bytes:
    if "://" in path and not path.startswith("file://"):
        return spark.sparkContext.binaryFiles(path).first()[1]
    if path.startswith("file://"):
        path = path[len("file://"):]
    with open(path, "rb") as f:
        return f.read()


def main(argv: Optional[List[str]] = None) -> int:
    from pyspark.sql import SparkSession

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", help="log file trees (s3://, hdfs:// or local paths)")
    ap.add_argument("--selectors", required=True, help="the selector file (local or s3://)")
    ap.add_argument("--output", required=True, help="where records/, counts/, by_selector/ go")
    ap.add_argument("--resource", help="the template resource, when the file holds several")
    ap.add_argument("--target", help="trail (default), event-data-store or telemetry-rule")
    ap.add_argument("--allow-invalid", action="store_true")
    ap.add_argument("--partitions", type=int, help="minimum input partitions")
    args = ap.parse_args(argv)
    spark = SparkSession.builder.appName("ctsel").getOrCreate()
    options = {k: v for k, v in (("resource", args.resource), ("target", args.target),
                                  ("allow_invalid", args.allow_invalid or None)) if v}
    counts = run(spark, _read_selectors(spark, args.selectors), args.inputs, args.output,
                 options=options, min_partitions=args.partitions)
    print(json.dumps({k: counts[k] for k in COUNTS + ("files",)}))
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
