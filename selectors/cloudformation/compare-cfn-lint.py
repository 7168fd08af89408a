#!/usr/bin/env python3
"""Prints the README's table: what cfn-lint and ctsel report on each
CloudFormation fixture here (the YAML form).

    python3 selectors/cloudformation/compare-cfn-lint.py target/release/ctsel

cfn-lint must be on PATH. A fixture named invalid-* holds one mistake AWS
rejects; valid-* holds none (cfn-lint's findings there are its own).
"""

import json
import pathlib
import subprocess
import sys


def cfn_lint(path):
    out = subprocess.run(
        ["cfn-lint", "--format", "json", str(path)],
        capture_output=True, text=True, check=False,
    ).stdout
    found = [m for m in json.loads(out or "[]") if m["Level"] == "Error"]
    return [f'{m["Rule"]["Id"]} {m["Message"]}' for m in found]


def ctsel(binary, path):
    out = subprocess.run(
        [binary, "validate", "--format", "json", str(path)],
        capture_output=True, text=True, check=False,
    ).stdout
    errors = []
    for line in out.splitlines():
        report = json.loads(line)
        for e in report["errors"][:1]:
            errors.append(f'{report.get("resource", "")}: {e["exception"]}: {e["message"]}')
    return errors


def cell(findings):
    if not findings:
        return "—"
    text = "; ".join(findings)
    return (text[:90] + "…" if len(text) > 90 else text).replace("|", "\\|")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/ctsel"
    here = pathlib.Path(__file__).resolve().parent
    version = subprocess.run(["cfn-lint", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"| fixture | {version} errors | ctsel first error |")
    print("|---|---|---|")
    for path in sorted(here.glob("*.yaml")):
        print(f"| `{path.name}` | {cell(cfn_lint(path))} | {cell(ctsel(binary, path))} |")


if __name__ == "__main__":
    main()
