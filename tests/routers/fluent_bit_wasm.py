#!/usr/bin/env python3
"""The Fluent Bit WASM filter's contract, driven by wasmtime as Fluent Bit
drives it: the tag and the record written into the module's memory, the
exported function called with (tag, tag_len, time_sec, time_nsec, record,
record_len), and the NUL-terminated string at the returned pointer read
back: the record to keep, or empty to drop it.

Every record of the input goes through the module; its decisions must be
exactly `ctsel match`'s for the selectors built into it, and a kept record
must come back unchanged. The returned text is read after a later
allocation and call have run, so a pointer into freed memory would show.

usage: fluent_bit_wasm.py MODULE.wasm CTSEL SELECTORS RECORDS
"""

import json
import subprocess
import sys

import wasmtime


def main():
    module_path, ctsel, selectors, records = sys.argv[1:5]
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    module = wasmtime.Module.from_file(engine, module_path)
    instance = wasmtime.Instance(store, module, [])
    exports = instance.exports(store)
    memory, alloc, free, run = (exports[n] for n in
                                ("memory", "ctsel_alloc", "ctsel_free", "ctsel_filter"))

    def put(data):
        ptr = alloc(store, len(data))
        memory.write(store, data, ptr)
        return ptr

    def read_c_string(ptr):
        out = bytearray()
        while True:
            chunk = memory.read(store, ptr + len(out), ptr + len(out) + 256)
            end = chunk.find(b"\0")
            if end >= 0:
                return bytes(out + chunk[:end])
            out += chunk

    with open(records, "rb") as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    verdicts = [json.loads(l)["verdict"] for l in subprocess.run(
        [ctsel, "match", "-s", selectors, records], check=True,
        capture_output=True).stdout.splitlines()]
    assert len(verdicts) == len(lines), (len(verdicts), len(lines))
    tag = b"aws.cloudtrail"
    kept = dropped = 0
    for i, (line, verdict) in enumerate(zip(lines, verdicts)):
        t, r = put(tag), put(line)
        result = run(store, t, len(tag), 1_700_000_000, 0, r, len(line))
        free(store, t, len(tag))
        free(store, r, len(line))
        # Another allocation and call before reading the previous result
        # would clobber it if it pointed into freed memory; the contract is
        # that it stays valid until the next call, so read it now, then
        # check that a fresh allocation did not change it.
        text = read_c_string(result)
        scratch = put(b"x" * len(line))
        assert read_c_string(result) == text, f"record {i}: result changed by an allocation"
        free(store, scratch, len(line))
        logged = verdict in ("logged", "unparseable")
        if logged:
            assert text == line, f"record {i}: kept record changed"
            kept += 1
        else:
            assert text == b"", f"record {i}: {verdict} record kept"
            dropped += 1
    assert kept and dropped, (kept, dropped)
    print(f"fluent-bit wasm filter: {kept} kept, {dropped} dropped of {len(lines)}, "
          "exactly as ctsel match decides")
    return 0


if __name__ == "__main__":
    sys.exit(main())
