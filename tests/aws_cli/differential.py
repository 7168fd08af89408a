#!/usr/bin/env python3
"""ctsel's client-side layer against the real AWS CLI and botocore.

Usage: python3 tests/aws_cli/differential.py CTSEL_BINARY [N] [--seed S]

Generates N selector documents (default 2,000; a new seed each run unless
--seed or CTSEL_DIFF_SEED gives one, printed so a failure can be re-run),
then checks each in two views:

  cli  the real `aws cloudtrail put-event-selectors --event-selectors DOC`
       (or --advanced-event-selectors), run in-process by awscli's own
       driver with fake credentials and --endpoint-url http://127.0.0.1:9:
       "Parameter validation failed:" and its lines when the CLI refuses,
       a refused connection when it accepted the document and would have
       sent it. Against `ctsel validate --client cli`.
  sdk  botocore's ParamValidator on {"TrailName": ..., <list>: DOC}, as
       boto3 and --cli-input-json check it. Against `ctsel validate
       --client sdk`.

The structural verdict and every message (botocore's text, in botocore's
order) must be equal. Exits 1 on the first disagreement, with the document.
"""

import contextlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time

BASIC = ["ReadWriteType", "IncludeManagementEvents", "DataResources", "ExcludeManagementEventSources"]
ADVANCED_FIELDS = ["eventCategory", "eventName", "resources.type", "resources.ARN", "readOnly", "eventSource",
                   "eventType", "sessionCredentialFromConsole", "userIdentity.arn", "errorCode", "vpcEndpointId"]
OPS = ["Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith"]


def junk(r):
    """A value of a random JSON type."""
    return r.choice([
        lambda: r.choice(["", "x", "All", "it's", "a\"b", "\u00e9", "AWS::S3::Object"]),
        lambda: r.randint(-3, 300),
        lambda: r.choice([1.5, 0.0, 1e3]),
        lambda: r.choice([True, False]),
        lambda: None,
        lambda: [],
        lambda: [r.choice(["a", 1, None])],
        lambda: {},
        lambda: {"k": r.choice(["v", 2, [1]])},
    ])()


def maybe(r, p, good, bad=None):
    """`good()` mostly; with probability p a junk value (or `bad()`)."""
    if r.random() < p:
        return bad() if bad else junk(r)
    return good()


def strings(r, p, n=3):
    return maybe(r, p, lambda: [maybe(r, p / 2, lambda: r.choice(["arn:aws:s3:::b/", "Data", "Management", "x", ""]))
                                for _ in range(r.randint(0, n))])


def with_extras(r, p, obj, known):
    """Unknown or misspelled members, and dropped ones."""
    if r.random() < p:
        obj[r.choice(["Extra", "readWriteType", "Fields", "equals", "Values ", "X"])] = junk(r)
    if r.random() < p and obj:
        del obj[r.choice(list(obj))]
    return obj


def basic_selector(r, p):
    obj = {}
    if r.random() < 0.7:
        obj["ReadWriteType"] = maybe(r, p, lambda: r.choice(["All", "ReadOnly", "WriteOnly", "all"]))
    if r.random() < 0.6:
        obj["IncludeManagementEvents"] = maybe(r, p, lambda: r.choice([True, False]))
    if r.random() < 0.6:
        obj["DataResources"] = maybe(r, p, lambda: [
            maybe(r, p, lambda: with_extras(r, p, {
                "Type": maybe(r, p, lambda: "AWS::S3::Object"),
                "Values": strings(r, p),
            }, ["Type", "Values"]))
            for _ in range(r.randint(0, 3))])
    if r.random() < 0.3:
        obj["ExcludeManagementEventSources"] = strings(r, p)
    keys = list(obj)
    r.shuffle(keys)
    return with_extras(r, p, {k: obj[k] for k in keys}, BASIC)


def advanced_selector(r, p):
    obj = {}
    if r.random() < 0.6:
        obj["Name"] = maybe(r, p, lambda: r.choice(["", "n", "Log all"]))
    obj["FieldSelectors"] = maybe(r, p, lambda: [
        maybe(r, p, lambda: with_extras(r, p, dict(
            [("Field", maybe(r, p, lambda: r.choice(ADVANCED_FIELDS)))]
            + [(op, strings(r, p)) for op in r.sample(OPS, r.randint(0, 2))]), ["Field"] + OPS))
        for _ in range(r.randint(0, 4))])
    return with_extras(r, p, obj, ["Name", "FieldSelectors"])


def document(r):
    """(kind, JSON text): a bare list, now and then a lone object."""
    kind = r.choice(["basic", "advanced"])
    p = r.choice([0.0, 0.05, 0.15, 0.3])
    make = basic_selector if kind == "basic" else advanced_selector
    items = [make(r, p) for _ in range(r.randint(0, 3))]
    value = items[0] if items and r.random() < 0.2 else items
    return kind, json.dumps(value, ensure_ascii=r.random() < 0.5)


PARAM = {"basic": ("EventSelectors", "--event-selectors"),
         "advanced": ("AdvancedEventSelectors", "--advanced-event-selectors")}


def cli_view(driver, kind, text):
    """The CLI's validation lines; [] when it accepted and tried to send."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = driver.main(["cloudtrail", "put-event-selectors", "--trail-name", "t", PARAM[kind][1], text,
                          "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"])
    out = err.getvalue()
    if "Parameter validation failed:" in out:
        return out.split("Parameter validation failed:", 1)[1].strip().split("\n")
    if "Could not connect to the endpoint URL" in out:
        return []
    raise SystemExit(f"unexpected CLI outcome (exit {rc}) for {text}:\n{out}")


def sdk_view(validator, shape, kind, text):
    report = validator.validate({"TrailName": "t", PARAM[kind][0]: json.loads(text)}, shape)
    if not report.has_errors():
        return []
    return report.generate_report().split("\n")


def ctsel_view(binary, client, kinds, files):
    """Structural messages per file, from one `ctsel validate` run per kind."""
    out = {}
    for kind in ("basic", "advanced"):
        batch = [f for f in files if kinds[f] == kind]
        for start in range(0, len(batch), 500):
            chunk = batch[start:start + 500]
            p = subprocess.run([binary, "validate", "--all", "--format", "json", "--client", client,
                                "--kind", kind, "--input-format", "cli", *chunk], capture_output=True, text=True)
            lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
            if len(lines) != len(chunk):
                raise SystemExit(f"ctsel printed {len(lines)} results for {len(chunk)} files:\n{p.stderr}")
            for f, v in zip(chunk, lines):
                out[f] = [e["message"] for e in v["errors"] if e["exception"] == "ParamValidationError"]
    return out


def main():
    args = sys.argv[1:]
    seed = os.environ.get("CTSEL_DIFF_SEED")
    if "--seed" in args:
        i = args.index("--seed")
        seed = args[i + 1]
        del args[i:i + 2]
    seed = int(seed) if seed else int(time.time())
    binary = args[0]
    n = int(args[1]) if len(args) > 1 else 2000
    os.environ.update(AWS_ACCESS_KEY_ID="AKIAFAKE", AWS_SECRET_ACCESS_KEY="fake", AWS_MAX_ATTEMPTS="1",
                      AWS_RETRY_MODE="standard", AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    import awscli
    import botocore
    from awscli.clidriver import create_clidriver
    from botocore.session import get_session
    from botocore.validate import ParamValidator
    print(f"seed {seed}: {n} documents; aws-cli {awscli.__version__}, botocore {botocore.__version__}")
    driver = create_clidriver()
    shape = get_session().get_service_model("cloudtrail").operation_model("PutEventSelectors").input_shape
    validator = ParamValidator()
    r = random.Random(seed)
    with tempfile.TemporaryDirectory() as d:
        docs, kinds = {}, {}
        for i in range(n):
            kind, text = document(r)
            f = os.path.join(d, f"doc{i:05}.json")
            with open(f, "w", encoding="utf-8") as fh:
                fh.write(text)
            docs[f], kinds[f] = text, kind
        views = {"cli": lambda f: cli_view(driver, kinds[f], docs[f]),
                 "sdk": lambda f: sdk_view(validator, shape, kinds[f], docs[f])}
        for client, theirs in views.items():
            ours = ctsel_view(binary, client, kinds, list(docs))
            refused = 0
            for f in docs:
                want = theirs(f)
                refused += bool(want)
                if ours[f] != want:
                    print(f"DISAGREE ({client} view, {kinds[f]}, seed {seed}): {docs[f]}")
                    print("  theirs:", *want, sep="\n    ")
                    print("  ctsel: ", *ours[f], sep="\n    ")
                    sys.exit(1)
            print(f"{client}: {n} documents agree ({refused} refused, {n - refused} accepted)")


if __name__ == "__main__":
    main()
