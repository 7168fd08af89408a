#!/usr/bin/env python3
"""ctsel as an rsyslog omprog stage, end to end, with the real rsyslogd.

rsyslog tails an NDJSON file (imfile) and pipes each line to
`ctsel filter -s SELECTORS -` (omprog), whose standard output omprog
saves to a file. The records that arrive must be exactly those
`ctsel filter` logs from the same file, in order. ctsel runs without
--line-buffered, so its output is written only when rsyslog shuts down and
closes the pipe: a record lost on shutdown would show.

usage: rsyslog.py CTSEL SELECTORS RECORDS
Exit 0 on agreement; 1 on a difference; 77 (skipped) without rsyslogd,
unless CTSEL_REQUIRE_RSYSLOG=1.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def wait_for(predicate, seconds, what):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.1)
    raise SystemExit(f"rsyslog.py: timed out waiting for {what}")


def main():
    ctsel, selectors, records = (os.path.abspath(a) for a in sys.argv[1:4])
    rsyslogd = shutil.which("rsyslogd") or (
        "/usr/sbin/rsyslogd" if os.path.exists("/usr/sbin/rsyslogd") else None)
    if rsyslogd is None:
        if os.environ.get("CTSEL_REQUIRE_RSYSLOG") == "1":
            raise SystemExit("rsyslog.py: rsyslogd is required and not installed")
        print("SKIPPED: rsyslogd not installed")
        return 77
    expected = subprocess.run([ctsel, "filter", "-q", "-s", selectors, records],
                              check=True, capture_output=True).stdout
    with open(records, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as d:
        tail, out, state = (os.path.join(d, n) for n in ("in.ndjson", "out.ndjson", "state"))
        os.mkdir(state)
        open(tail, "wb").close()
        conf = os.path.join(d, "rsyslog.conf")
        with open(conf, "w") as f:
            f.write(f'''
global(workDirectory="{state}" maxMessageSize="300k")
module(load="imfile" mode="polling" PollingInterval="1")
module(load="omprog")
template(name="line" type="string" string="%msg%\\n")
ruleset(name="cloudtrail") {{
  action(type="omprog" binary="{ctsel} filter -q -s {selectors} -"
         output="{out}" template="line")
}}
input(type="imfile" File="{tail}" Tag="cloudtrail" ruleset="cloudtrail"
      PersistStateInterval="1")
''')
        daemon = subprocess.Popen([rsyslogd, "-n", "-f", conf, "-i", os.path.join(d, "pid")],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            # Records arrive in three bursts, as a log grows.
            third = max(1, len(lines) // 3)
            for k in range(0, len(lines), third):
                with open(tail, "ab") as f:
                    f.writelines(lines[k:k + third])
                time.sleep(0.3)
            size = os.path.getsize(tail)

            def read_all():
                for name in os.listdir(state):
                    if name.startswith("imfile-state"):
                        try:
                            with open(os.path.join(state, name)) as f:
                                return json.load(f).get("curr_offs") == size
                        except (OSError, ValueError):
                            return False
                return False

            wait_for(read_all, 60, "rsyslog to read the whole file")
        finally:
            daemon.send_signal(signal.SIGTERM)
            log = daemon.communicate(timeout=60)[0].decode(errors="replace")
        with open(out, "rb") as f:
            got = f.read()
    if got != expected:
        print(f"rsyslog.py: {len(got.splitlines())} records arrived, "
              f"{len(expected.splitlines())} expected\n{log}")
        return 1
    print(f"rsyslog omprog: {len(expected.splitlines())} of {len(lines)} records "
          "arrived, exactly those ctsel filter logs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
