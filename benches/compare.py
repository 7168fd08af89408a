#!/usr/bin/env python3
"""Side-by-side filter throughput on one generated file and one selector.

Usage: python3 benches/compare.py [MEGABYTES] [RUNS]

Builds what it needs (release), generates a deterministic NDJSON file
(benches/generate.rs) and its gzip, then times, best of RUNS, in this one run:

  wc -l                       (the floor: reading the file and counting lines)
  ctsel filter --count --jobs 1
  ctsel filter --count        (all cores)
  quamina (the quamina crate 0.7, benches/quamina_filter.rs)
  serde_json filter           (benches/serde_filter.rs)
  jq                          (when installed)
  zcat file.gz > /dev/null    and ctsel on file.gz

Prints MB/s and each time as a multiple of wc -l, and checks that every
filter found the same number of records.
"""

import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SELECTOR = os.path.join(ROOT, "selectors", "put-delete-all-but-one-bucket.json")


def run(cmd, stdin=None, stdout=subprocess.PIPE):
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as f:
        p = subprocess.run(cmd, stdin=f, stdout=stdout, stderr=subprocess.PIPE, shell=isinstance(cmd, str))
    if p.returncode != 0:
        sys.exit(f"failed: {cmd}\n{p.stderr.decode(errors='replace')}")
    return p.stdout.decode().strip() if stdout == subprocess.PIPE else ""


def best(cmd, runs, stdin=None):
    times = []
    out = ""
    for _ in range(runs):
        t = time.perf_counter()
        out = run(cmd, stdin)
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    mb = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "ctsel",
         "--example", "generate", "--example", "quamina_filter", "--example", "serde_filter"],
        cwd=ROOT, check=True)
    bin_dir = os.path.join(ROOT, "target", "release")
    data = os.path.join(ROOT, "target", f"bench-{mb}mb.ndjson")
    if not os.path.exists(data):
        with open(data, "wb") as f:
            subprocess.run([os.path.join(bin_dir, "examples", "generate"), str(mb)], stdout=f, check=True)
    gz = data + ".gz"
    if not os.path.exists(gz):
        with open(gz, "wb") as f:
            subprocess.run(["gzip", "-6", "-c", data], stdout=f, check=True)
    size = os.path.getsize(data)
    ctsel = os.path.join(bin_dir, "ctsel")
    run(["cat", data], stdout=subprocess.DEVNULL)  # warm the page cache

    plan = [
        ("wc -l", ["wc", "-l", data], None),
        ("ctsel filter --count --jobs 1", [ctsel, "filter", "--count", "--jobs", "1", "-s", SELECTOR, data], None),
        (f"ctsel filter --count --jobs {os.cpu_count()}", [ctsel, "filter", "--count", "-s", SELECTOR, data], None),
        ("quamina 0.7 (+ ARN post-filter)", [os.path.join(bin_dir, "examples", "quamina_filter"), data], None),
        ("serde_json filter", [os.path.join(bin_dir, "examples", "serde_filter"), data], None),
        ("zcat file.gz > /dev/null", f"zcat {gz} > /dev/null", None),
        ("ctsel filter --count --jobs 1 file.gz", [ctsel, "filter", "--count", "--jobs", "1", "-s", SELECTOR, gz], None),
        (f"ctsel filter --count --jobs {os.cpu_count()} file.gz", [ctsel, "filter", "--count", "-s", SELECTOR, gz], None),
    ]
    # Round-robin: every command is timed under the same background load.
    times = {name: [] for name, _, _ in plan}
    outs = {}
    for _ in range(runs):
        for name, cmd, _ in plan:
            t = time.perf_counter()
            outs[name] = run(cmd)
            times[name].append(time.perf_counter() - t)
    rows = []
    for name, _, _ in plan:
        n = outs[name] if name.startswith(("ctsel", "quamina", "serde")) else None
        rows.append((name, min(times[name]), n))
    if shutil.which("jq") and mb <= 200:
        jq = ('jq -c \'select(.eventCategory=="Data" and (.eventName=="PutObject" or .eventName=="DeleteObject") '
              'and any(.resources[]?; .type=="AWS::S3::Object" and ((.ARN // "") | startswith("arn:aws:s3:::amzn-s3-demo-bucket/") | not)))\' '
              f'{data} | wc -l')
        tj, nj = best(jq, 1)
        rows.insert(5, ("jq", tj, nj))
    t_wc = rows[0][1]
    t1 = rows[1][1]
    tq = rows[3][1]
    t_zcat = [t for name, t, _ in rows if name.startswith("zcat")][0]
    tg1 = rows[-2][1]
    tg = rows[-1][1]

    print(f"input: {size / 1e6:.1f} MB NDJSON ({os.path.getsize(gz) / 1e6:.1f} MB gzip), "
          f"selector {os.path.relpath(SELECTOR, ROOT)}, best of {runs}")
    print(f"{'command':42} {'seconds':>8} {'MB/s':>8} {'x wc -l':>8}  matched")
    for name, t, n in rows:
        print(f"{name:42} {t:8.4f} {size / 1e6 / t:8.0f} {t / t_wc:8.2f}  {n or ''}")
    counts = {n for _, _, n in rows if n}
    print(f"ctsel --jobs 1 vs wc -l: {t1 / t_wc:.2f}x the time (goal <= 2)")
    print(f"ctsel --jobs 1 vs quamina: {tq / t1:.1f}x faster (goal >= 3)")
    print(f"ctsel on gzip vs zcat: {t_zcat / tg:.1f}x faster (goal >= 3; --jobs 1: {t_zcat / tg1:.1f}x)")
    if len(counts) != 1:
        sys.exit(f"filters disagree on the number of matches: {counts}")
    print("all filters agree on the number of matches")


if __name__ == "__main__":
    main()
