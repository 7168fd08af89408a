#!/usr/bin/env python3
"""Streaming latency: a slow writer sends one record every 100 ms to
`ctsel filter` and `ctsel match` through a pipe; each output line is timed
from the moment its record's newline was written.

Usage: python3 benches/latency.py [RECORDS] [INTERVAL_MS]

Prints, per command, the median and maximum latency in milliseconds and
checks them against the goal (median under 50 ms, maximum under 200 ms);
exits 1 when a goal is missed. Builds the release binary first.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SELECTORS = os.path.join(ROOT, "selectors", "write-only-management.basic.json")


def record(i):
    # A write management event: logged by the selectors above.
    return json.dumps({
        "eventVersion": "1.08", "eventCategory": "Management", "readOnly": False,
        "eventSource": "iam.amazonaws.com", "eventName": "CreateUser", "eventID": f"id-{i}",
    }).encode() + b"\n"


def measure(cmd, n, interval):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    sent = {}
    latencies = []

    def reader():
        for k, _line in enumerate(iter(p.stdout.readline, b"")):
            t = time.perf_counter()
            if k in sent:
                latencies.append((t - sent[k]) * 1000)

    th = threading.Thread(target=reader)
    th.start()
    time.sleep(0.3)  # start-up is not latency
    for i in range(n):
        sent[i] = time.perf_counter()
        p.stdin.write(record(i))
        p.stdin.flush()
        time.sleep(interval / 1000)
    p.stdin.close()
    p.wait()
    th.join()
    return latencies


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 100
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "ctsel"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "ctsel")
    ok = True
    for name, cmd in [
        ("filter", [exe, "filter", "-q", "-s", SELECTORS]),
        ("match", [exe, "match", "-s", SELECTORS]),
    ]:
        lat = measure(cmd, n, interval)
        if len(lat) != n:
            print(f"{name}: {len(lat)} of {n} records came out")
            ok = False
            continue
        med, worst = statistics.median(lat), max(lat)
        good = med < 50 and worst < 200
        ok &= good
        print(f"{name:7} {n} records, one every {interval:.0f} ms: median {med:.2f} ms, max {worst:.2f} ms "
              f"({'meets' if good else 'MISSES'} the goal: median < 50 ms, max < 200 ms)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
