#!/usr/bin/env python3
"""Side-by-side filter throughput on one generated file and one selector.

Usage: python3 benches/compare.py [MEGABYTES] [RUNS] [--no-trees]

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
filter found the same number of records. Then, unless --no-trees: three
trees of .json.gz log files in the S3 layout (3,000 x 5, 5,000 x 50 and
250 x 1,000 records) against `zcat -r`, default jobs and --jobs 1, and
--jobs 2 against --jobs 1 on a 1 GB file, each with CPU-seconds per GB.
"""

import gzip
import os
import resource
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


def cpu_of_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def round_robin(plan, runs):
    """Times each command of `plan` (name, cmd) in turn, `runs` rounds:
    {name: (best wall seconds, CPU seconds of that run, output)}."""
    best = {}
    for _ in range(runs):
        for name, cmd in plan:
            c0, t0 = cpu_of_children(), time.perf_counter()
            out = run(cmd)
            wall, cpu = time.perf_counter() - t0, cpu_of_children() - c0
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu, out)
    return best


def make_tree(root, files, per_file, source):
    """An S3 sync of AWSLogs: one .json.gz log file per account, region and
    five minutes, `per_file` records each, from the lines of `source`.
    Returns the bytes of records inflated."""
    done = os.path.join(root, "done")
    if os.path.exists(done):
        return int(open(done).read())
    with open(source, "rb") as f:
        lines = [l.rstrip(b"\n") for _, l in zip(range(files * per_file), f)]
    k = 0
    total = 0
    for i in range(files):
        day = 1 + i // 288
        minute = (i % 288) * 5
        d = os.path.join(root, "AWSLogs", "111122223333", "CloudTrail", "us-east-1",
                         "2026", "11", f"{day:02d}")
        os.makedirs(d, exist_ok=True)
        recs = [lines[(k + j) % len(lines)] for j in range(per_file)]
        k += per_file
        name = f"111122223333_CloudTrail_us-east-1_202611{day:02d}T{minute // 60:02d}{minute % 60:02d}Z_{i:05d}.json.gz"
        with gzip.open(os.path.join(d, name), "wb", compresslevel=6) as g:
            g.write(b'{"Records":[' + b",".join(recs) + b"]}")
        total += sum(len(r) for r in recs)
    with open(done, "w") as f:
        f.write(str(total))
    return total


def trees_and_big(ctsel, bin_dir, runs):
    """The inputs users have: trees of small log files, and one large file
    on every core."""
    cpus = os.cpu_count()
    big = os.path.join(ROOT, "target", "bench-1000mb.ndjson")
    if not os.path.exists(big):
        with open(big, "wb") as f:
            subprocess.run([os.path.join(bin_dir, "examples", "generate"), "1000"], stdout=f, check=True)
    source = os.path.join(ROOT, "target", "bench-100mb.ndjson")
    print()
    print(f"trees of .json.gz log files (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/), best of {runs}, "
          f"round-robin; CPU = user + sys of the best run")
    print(f"{'tree':22} {'command':34} {'seconds':>8} {'CPU s':>7} {'CPU s/GB':>9} {'x --jobs 1':>10}")
    for files, per in [(3000, 5), (5000, 50), (250, 1000)]:
        root = os.path.join(ROOT, "target", f"tree-{files}x{per}")
        inflated = make_tree(root, files, per, source)
        plan = [
            ("zcat -r > /dev/null", f"zcat -r {root}/AWSLogs > /dev/null"),
            (f"ctsel filter --count (default, {cpus} jobs)", [ctsel, "filter", "--count", "-s", SELECTOR, root]),
            ("ctsel filter --count --jobs 1", [ctsel, "filter", "--count", "--jobs", "1", "-s", SELECTOR, root]),
        ]
        best = round_robin(plan, runs)
        one = best[plan[2][0]][0]
        for name, _ in plan:
            wall, cpu, _ = best[name]
            print(f"{files} x {per:<14} {name:34} {wall:8.3f} {cpu:7.3f} {cpu / (inflated / 1e9):9.2f} {wall / one:10.2f}")
        zc, dflt = best[plan[0][0]][0], best[plan[1][0]][0]
        goal = "never > 1" if per == 5 else "goal <= 0.65"
        print(f"{'':22} default vs --jobs 1: {dflt / one:.2f}x the time ({goal}); "
              f"vs zcat -r: {zc / dflt:.1f}x faster (goal >= 2)")
        if best[plan[1][0]][2] != best[plan[2][0]][2]:
            sys.exit("default and --jobs 1 disagree on the count")
    plan = [
        ("ctsel filter --count --jobs 1 (1 GB)", [ctsel, "filter", "--count", "--jobs", "1", "-s", SELECTOR, big]),
        ("ctsel filter --count --jobs 2 (1 GB)", [ctsel, "filter", "--count", "--jobs", "2", "-s", SELECTOR, big]),
    ]
    run(["cat", big], stdout=subprocess.DEVNULL)
    best = round_robin(plan, runs)
    size = os.path.getsize(big)
    print()
    for name, _ in plan:
        wall, cpu, n = best[name]
        print(f"{name:42} {wall:8.3f} s {cpu:7.3f} CPU s {cpu / (size / 1e9):6.2f} CPU s/GB  matched {n}")
    print(f"--jobs 2 vs --jobs 1 on 1 GB: {best[plan[1][0]][0] / best[plan[0][0]][0]:.2f}x the time (goal <= 0.65)")


def best(cmd, runs, stdin=None):
    times = []
    out = ""
    for _ in range(runs):
        t = time.perf_counter()
        out = run(cmd, stdin)
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    mb = int(args[0]) if len(args) > 0 else 100
    runs = int(args[1]) if len(args) > 1 else 7
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
    print(f"ctsel --jobs 1 vs wc -l: {t1 / t_wc:.2f}x the time (goal <= 1.6, stretch 1.3)")
    print(f"ctsel --jobs 1 vs quamina: {tq / t1:.1f}x faster (goal >= 3)")
    print(f"ctsel on gzip vs zcat: {t_zcat / tg:.1f}x faster (--jobs 1: {t_zcat / tg1:.1f}x; goal >= 3 with --jobs 1)")
    if len(counts) != 1:
        sys.exit(f"filters disagree on the number of matches: {counts}")
    print("all filters agree on the number of matches")
    if "--no-trees" not in sys.argv:
        trees_and_big(ctsel, bin_dir, max(3, runs // 3))


if __name__ == "__main__":
    main()
