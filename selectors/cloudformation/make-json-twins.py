#!/usr/bin/env python3
"""Writes the JSON twin of every CloudFormation YAML template here.

Each `NAME.yaml` becomes `NAME.json`: the same template in CloudFormation's
JSON form, with every short-form tag (`!Ref`, `!Sub`, `!GetAtt A.B`, ...)
written as its long form, as `aws cloudformation` and cfn-flip do. The
twins let a test check that ctsel finds the same things in both forms.

Run it after editing a YAML fixture (needs PyYAML):

    python3 selectors/cloudformation/make-json-twins.py
"""

import json
import pathlib

import yaml


class Loader(yaml.SafeLoader):
    """A safe loader that reads CloudFormation's short-form tags."""


def _long_form(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        # The first dot separates the logical id; the rest is the attribute.
        logical_id, _, attribute = value.partition(".")
        value = [logical_id, attribute]
    return {"Fn::" + suffix: value}


Loader.add_multi_constructor("!", _long_form)


def main():
    here = pathlib.Path(__file__).resolve().parent
    for source in sorted(here.glob("*.yaml")):
        template = yaml.load(source.read_text(), Loader=Loader)
        twin = source.with_suffix(".json")
        twin.write_text(json.dumps(template, indent=2) + "\n")
        print(f"{source.name} -> {twin.name}")


if __name__ == "__main__":
    main()
