#!/usr/bin/env python3
"""The Python package against the CLI, side by side in one run.

Usage: python3 benches/python_filter.py [MEGABYTES] [RUNS]

Needs the package installed (`pip install ./python`). Builds the release
CLI, generates the deterministic NDJSON file of benches/generate.rs
(100 MB by default), and times in turn, RUNS rounds, best of each:

  ctsel filter --count --jobs 1 FILE        (the CLI, a whole process)
  Program.filter(data)                      (data: the file's bytes, read before)
  Program.filter_files(FILE)                (the package reading the file itself)

with the seed selector selectors/put-delete-all-but-one-bucket.json, and
checks that all three find the same records. Then the per-record cost of
Program.decide (one call per record, from Python) and of
Program.decide_many, against the CLI's per-record time.
"""

import os
import resource
import subprocess
import sys
import time

import ctsel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SELECTOR = os.path.join(ROOT, "selectors", "put-delete-all-but-one-bucket.json")


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    mb = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "ctsel",
                    "--example", "generate"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    cli = os.path.join(target, "release", "ctsel")
    path = os.path.join(target, f"bench-{mb}mb.ndjson")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            subprocess.run([os.path.join(target, "release", "examples", "generate"), str(mb)],
                           stdout=f, check=True)
    with open(path, "rb") as f:
        data = f.read()
    size = len(data)
    program = ctsel.compile(SELECTOR)
    expected = program.filter(data).count(b"\n")

    def cli_run():
        p = subprocess.run([cli, "filter", "--count", "--jobs", "1", "-s", SELECTOR, path],
                           capture_output=True, check=True)
        return int(p.stdout)

    plan = [
        ("ctsel filter --count --jobs 1", cli_run, cpu_children),
        ("Program.filter(data)", lambda: program.filter(data).count(b"\n"), cpu_self),
        ("Program.filter_files(FILE)",
         lambda: program.filter_files(path, jobs=1).output.count(b"\n"), cpu_self),
    ]
    best = {}
    for _ in range(runs):
        for name, fn, cpu in plan:
            c0, t0 = cpu(), time.perf_counter()
            found = fn()
            wall, used = time.perf_counter() - t0, cpu() - c0
            if found != expected:
                sys.exit(f"{name} found {found} records, expected {expected}")
            if name not in best or wall < best[name][0]:
                best[name] = (wall, used)
    base = best[plan[0][0]][0]
    print(f"{mb} MB ({size:,} bytes), {expected:,} records logged, best of {runs}, "
          f"load {os.getloadavg()[0]:.2f}")
    print("| call | seconds | MB/s | CPU s per GB | x CLI |")
    print("|---|---|---|---|---|")
    for name, _, _ in plan:
        wall, used = best[name]
        print(f"| `{name}` | {wall:.4f} | {size / wall / 1e6:,.0f} | {used / size * 1e9:.2f} | "
              f"{wall / base:.2f} |")

    lines = data.splitlines()[:20000]
    n = len(lines)
    per_cli = base / data.count(b"\n")
    t0 = time.perf_counter()
    for line in lines:
        program.decide(line)
    one = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    program.decide_many(lines)
    many = (time.perf_counter() - t0) / n
    print(f"\nper record ({n:,} records of {sum(map(len, lines)) // n} bytes): "
          f"CLI {per_cli * 1e6:.2f} us, Program.decide {one * 1e6:.2f} us "
          f"(+{(one - per_cli) * 1e6:.2f} us), Program.decide_many {many * 1e6:.2f} us")


if __name__ == "__main__":
    main()
