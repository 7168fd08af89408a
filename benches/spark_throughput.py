#!/usr/bin/env python3
"""Spark job throughput per core beside the CLI's, in one run.

Usage: python3 benches/spark_throughput.py [MEGABYTES] [RUNS]

Needs the package and pyspark installed. Lays the first MEGABYTES (default
50) of benches/generate.rs's records out as CloudTrail writes them to S3
(gzip log files of 1,000 records), then times, in turn, best of RUNS:
examples/spark/ctsel_spark.py in local[1] (one core; the session is started
before timing) and `ctsel stats --jobs 1` on the same tree. Both must
count the same records. Prints MB of inflated records per second per core.
"""

import gzip
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SELECTOR = os.path.join(ROOT, "selectors", "put-delete-all-but-one-bucket.json")


def main():
    mb = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "ctsel",
                    "--example", "generate"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    cli = os.path.join(target, "release", "ctsel")
    gen = subprocess.run([os.path.join(target, "release", "examples", "generate"), str(mb)],
                         capture_output=True, check=True).stdout
    lines = gen.splitlines()
    tmp = tempfile.mkdtemp(prefix="ctsel-spark-")
    tree = os.path.join(tmp, "AWSLogs")
    for n, start in enumerate(range(0, len(lines), 1000)):
        d = os.path.join(tree, "111122223333", "CloudTrail", "us-east-1", "2024", "05",
                         f"{1 + n // 288:02d}")
        os.makedirs(d, exist_ok=True)
        body = b'{"Records":[' + b",".join(lines[start:start + 1000]) + b"]}"
        with open(os.path.join(d, f"111122223333_CloudTrail_us-east-1_{n:05d}.json.gz"), "wb") as f:
            f.write(gzip.compress(body, 6))

    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable

    spec = importlib.util.spec_from_file_location("job", os.path.join(ROOT, "examples", "spark",
                                                                      "ctsel_spark.py"))
    job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(job)
    spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1").getOrCreate())
    selectors = open(SELECTOR, "rb").read()
    job.run(spark, selectors, [tree], os.path.join(tmp, "warm"))  # JVM and worker warm-up
    best = {}
    for i in range(runs):
        t0 = time.perf_counter()
        counts = job.run(spark, selectors, [tree], os.path.join(tmp, f"out{i}"))
        t = time.perf_counter() - t0
        best["spark"] = min(best.get("spark", t), t)
        t0 = time.perf_counter()
        out = subprocess.run([cli, "stats", "--format", "json", "--jobs", "1", "-s", SELECTOR, tree],
                             capture_output=True, check=True).stdout
        t = time.perf_counter() - t0
        best["cli"] = min(best.get("cli", t), t)
        stats = json.loads(out)
        assert (counts["records"], counts["logged"]) == (stats["records"], stats["logged"])
    size = counts["bytes"]
    spark.stop()
    print(f"{len(lines):,} records, {size / 1e6:.0f} MB inflated in {counts['files']} files, "
          f"best of {runs}, load {os.getloadavg()[0]:.2f}")
    for name, label in (("cli", "ctsel stats --jobs 1"), ("spark", "Spark job, local[1]")):
        print(f"| {label} | {best[name]:.2f} s | {size / best[name] / 1e6:,.0f} MB/s per core | "
              f"{best[name] / best['cli']:.2f}x |")


if __name__ == "__main__":
    main()
