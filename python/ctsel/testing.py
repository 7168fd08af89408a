"""Hypothesis strategies for CloudTrail selectors and records, mirroring
the Rust crate's ``ctsel::strategies``, so that a test suite can check its
own selector handling the way ctsel checks itself.

Every selector set drawn here passes :func:`ctsel.validate`, including
sets at AWS's limits (5 basic selectors with 250 data-resource values, 5
advanced selectors with 500 condition values): about one set in eight is
padded to the limit. Values come from small pools on purpose: buckets,
event names and ARNs share prefixes and suffixes (``logs``/``logs-1``,
``PutObject``/``PutObjectAcl``), so that records aimed at a set land on,
next to and just past its values, where matching bugs live.

>>> from hypothesis import given
>>> from ctsel.testing import selector_sets, records_for
>>> import ctsel
>>> @given(selector_sets())
... def test_valid(selectors):
...     assert ctsel.validate(selectors).valid

Sets are Python data in AWS's JSON shape (a list of selectors); their kind
is told by their keys (``FieldSelectors`` is advanced), and
:func:`kind_of` says it.
"""

from __future__ import annotations

import json
import random
from typing import Any, Dict, List, Optional

try:
    from hypothesis import strategies as st
except ImportError as e:  # pragma: no cover - tells the user what to install
    raise ImportError(
        "ctsel.testing needs hypothesis: pip install 'ctsel[testing]' (or pip install hypothesis)"
    ) from e

__all__ = [
    "selector_sets",
    "basic_selector_sets",
    "advanced_selector_sets",
    "advanced_selectors",
    "basic_selectors",
    "records_for",
    "record_texts_for",
    "cases",
    "kind_of",
    "MAX_SELECTORS",
    "MAX_BASIC_VALUES",
    "MAX_ADVANCED_VALUES",
]

MAX_SELECTORS = 5
MAX_BASIC_VALUES = 250
MAX_ADVANCED_VALUES = 500

BUCKETS = ["logs", "logs-1", "data", "data-bkt", "amzn-s3-demo-bucket", "bkt"]
KEYS = ["", "a", "a/b", "img/", "img/1.jpg", "x.gz", "deselect/1"]
FUNCTIONS = ["fn", "fn2", "helloworld", "helloworld2"]
TABLES = ["tab", "Music", "Music2"]
EVENT_NAMES = [
    "PutObject", "PutObjectAcl", "GetObject", "DeleteObject", "DeleteObjects", "Invoke",
    "InvokeAsync", "GetItem", "PutItem", "ListKeys", "Decrypt", "CreateUser", "Publish",
    "ConsoleLogin",
]
EVENT_SOURCES = [
    "s3.amazonaws.com", "lambda.amazonaws.com", "dynamodb.amazonaws.com", "kms.amazonaws.com",
    "rdsdata.amazonaws.com", "ec2.amazonaws.com", "iam.amazonaws.com", "sns.amazonaws.com",
    "signin.amazonaws.com",
]
NETWORK_SOURCES = [
    "kms.amazonaws.com", "ec2.amazonaws.com", "s3.amazonaws.com",
    "secretsmanager.amazonaws.com", "cloudtrail.amazonaws.com",
]
USER_ARNS = [
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:user/alice2",
    "arn:aws:sts::111122223333:assumed-role/Admin/s",
    "arn:aws:sts::111122223333:assumed-role/HumanRole/x",
]
VPC_ENDPOINTS = ["vpce-1", "vpce-12", "vpce-abc"]
EVENT_TYPES = ["AwsApiCall", "AwsServiceEvent", "AwsConsoleAction", "AwsConsoleSignIn",
               "AwsVpceEvent"]
RESOURCE_TYPES = ["AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table",
                  "AWS::DynamoDB::Stream", "AWS::SNS::Topic", "AWS::S3::AccessPoint"]
OPERATORS = ["Equals", "NotEquals", "StartsWith", "NotStartsWith", "EndsWith", "NotEndsWith"]


def arns_of(type_: str) -> List[str]:
    """Full ARNs of resources of ``type_`` built from the pools."""
    if type_ == "AWS::S3::Object":
        return [f"arn:aws:s3:::{b}/{k}" for b in BUCKETS for k in KEYS]
    if type_ == "AWS::S3::Bucket":
        return [f"arn:aws:s3:::{b}" for b in BUCKETS]
    if type_ == "AWS::Lambda::Function":
        return [f"arn:aws:lambda:us-east-1:111122223333:function:{f}" for f in FUNCTIONS]
    if type_ == "AWS::DynamoDB::Table":
        return [f"arn:aws:dynamodb:us-east-1:111122223333:table/{t}" for t in TABLES]
    if type_ == "AWS::DynamoDB::Stream":
        return [f"arn:aws:dynamodb:us-east-1:111122223333:table/{t}/stream/2024-01-01T00:00:00.000"
                for t in TABLES]
    if type_ == "AWS::SNS::Topic":
        return [f"arn:aws:sns:us-east-1:111122223333:{t}" for t in ("alerts", "alerts-2")]
    return [f"arn:aws:s3:us-east-1:111122223333:accesspoint/{a}" for a in ("ap", "ap-2")]


def _pool(field: str, type_: str) -> List[str]:
    return {
        "eventName": EVENT_NAMES,
        "eventSource": EVENT_SOURCES,
        "eventType": EVENT_TYPES,
        "userIdentity.arn": USER_ARNS,
        "vpcEndpointId": VPC_ENDPOINTS,
    }.get(field) or arns_of(type_)


@st.composite
def _operand(draw, op: str, pool: List[str]) -> str:
    v = draw(st.sampled_from(pool))
    if op in ("Equals", "NotEquals"):
        return v
    n = max(1, min(draw(st.integers(1, 40)), len(v)))
    return v[:n] if op in ("StartsWith", "NotStartsWith") else v[len(v) - n:]


@st.composite
def _free_condition(draw, field: str, pool: List[str]) -> Dict[str, Any]:
    ops = draw(st.lists(st.sampled_from(OPERATORS), min_size=1, max_size=3, unique=True))
    cond: Dict[str, Any] = {"Field": field}
    for op in ops:
        cond[op] = draw(st.lists(_operand(op, pool), min_size=1, max_size=3))
    return cond


def _equals(field: str, values: List[str]) -> Dict[str, Any]:
    return {"Field": field, "Equals": list(values)}


@st.composite
def _maybe(draw, strategy) -> Optional[Dict[str, Any]]:
    return draw(strategy) if draw(st.integers(0, 9)) < 4 else None


@st.composite
def advanced_selectors(draw, category: Optional[str] = None) -> Dict[str, Any]:
    """A valid advanced selector of ``category`` (``Management``,
    ``Data`` or ``NetworkActivity``; drawn when not given)."""
    if category is None:
        category = draw(st.sampled_from(["Management"] * 2 + ["Data"] * 5 + ["NetworkActivity"] * 2))
    fields: List[Dict[str, Any]] = [_equals("eventCategory", [category])]
    extras: List[Optional[Dict[str, Any]]] = []
    if category == "Management":
        ro = draw(st.sampled_from([["true"], ["false"], ["true", "false"]]))
        extras.append(draw(_maybe(st.just(_equals("readOnly", ro)))))
        excl = draw(st.lists(st.sampled_from(["kms.amazonaws.com", "rdsdata.amazonaws.com"]),
                             min_size=1, max_size=2, unique=True))
        extras.append(draw(_maybe(st.just({"Field": "eventSource", "NotEquals": excl}))))
    elif category == "Data":
        t = draw(st.sampled_from(RESOURCE_TYPES))
        fields.append(_equals("resources.type", [t]))
        extras.append(draw(_maybe(st.sampled_from(["true", "false"]).map(
            lambda v: _equals("readOnly", [v])))))
        for f in ("eventName", "eventSource", "eventType", "userIdentity.arn", "resources.ARN"):
            extras.append(draw(_maybe(_free_condition(f, _pool(f, t)))))
        op = draw(st.sampled_from(["Equals", "NotEquals"]))
        extras.append(draw(_maybe(st.just({"Field": "sessionCredentialFromConsole", op: ["true"]}))))
    elif category == "NetworkActivity":
        s = draw(st.sampled_from(NETWORK_SOURCES))
        fields.append(_equals("eventSource", [s]))
        extras.append(draw(_maybe(_free_condition("eventName", EVENT_NAMES))))
        extras.append(draw(_maybe(st.just(_equals("errorCode", ["VpceAccessDenied"])))))
        extras.append(draw(_maybe(_free_condition("vpcEndpointId", VPC_ENDPOINTS))))
        extras.append(draw(_maybe(_free_condition("userIdentity.arn", USER_ARNS))))
    fields.extend(e for e in extras if e is not None)
    # Field order does not matter to AWS; vary it.
    k = draw(st.integers(0, len(fields) - 1))
    fields = fields[k:] + fields[:k]
    selector: Dict[str, Any] = {"FieldSelectors": fields}
    if draw(st.booleans()):
        selector = {"Name": f"{category} selector {draw(st.integers(0, 2**32 - 1))}", **selector}
    return selector


def _advanced_values(selectors: List[Dict[str, Any]]) -> int:
    return sum(len(v) for s in selectors for f in s["FieldSelectors"]
               for k, v in f.items() if k != "Field")


@st.composite
def advanced_selector_sets(draw) -> List[Dict[str, Any]]:
    """A valid advanced selector set: one to five selectors, and in about
    one case in eight a last one that pads the set to exactly 500 values."""
    selectors = draw(st.lists(advanced_selectors(), min_size=1, max_size=MAX_SELECTORS))
    used = _advanced_values(selectors)
    if draw(st.integers(0, 7)) == 0 and used + 3 <= MAX_ADVANCED_VALUES:
        if len(selectors) == MAX_SELECTORS:
            selectors.pop()
            used = _advanced_values(selectors)
        n = MAX_ADVANCED_VALUES - used - 2
        selectors.append({
            "Name": "padding to the 500-value limit",
            "FieldSelectors": [
                _equals("eventCategory", ["Data"]),
                _equals("resources.type", ["AWS::S3::Object"]),
                {"Field": "resources.ARN", "StartsWith": [f"arn:aws:s3:::pad-{i}/" for i in range(n)]},
            ],
        })
    return selectors


_ALL = {"AWS::S3::Object": "arn:aws:s3", "AWS::Lambda::Function": "arn:aws:lambda",
        "AWS::DynamoDB::Table": "arn:aws:dynamodb"}


@st.composite
def _data_resource(draw) -> Dict[str, Any]:
    t = draw(st.sampled_from(list(_ALL)))

    @st.composite
    def value(draw) -> str:
        if t == "AWS::S3::Object":
            if draw(st.integers(0, 6)) == 0:
                return draw(st.sampled_from(["arn:aws:s3", "arn:aws:s3:::"]))
            b, k = draw(st.sampled_from(BUCKETS)), draw(st.sampled_from(KEYS))
            return f"arn:aws:s3:::{b}/{k[:draw(st.integers(0, 11))]}"
        if draw(st.integers(0, 4)) == 0:
            return _ALL[t]
        return draw(st.sampled_from(arns_of(t)))

    return {"Type": t, "Values": draw(st.lists(value(), max_size=4))}


@st.composite
def basic_selectors(draw) -> Dict[str, Any]:
    """A valid basic selector."""
    rw = draw(st.sampled_from(["All", "ReadOnly", "WriteOnly"]))
    resources = draw(st.lists(_data_resource(), max_size=3))
    mgmt = draw(st.integers(0, 9)) < 6 or not resources
    excl = draw(st.lists(st.sampled_from(["kms.amazonaws.com", "rdsdata.amazonaws.com"]),
                         max_size=2, unique=True))
    s: Dict[str, Any] = {"ReadWriteType": rw, "IncludeManagementEvents": mgmt,
                         "DataResources": resources}
    if excl:
        s["ExcludeManagementEventSources"] = excl
    return s


def _basic_counted(selectors: List[Dict[str, Any]]) -> int:
    free = {"arn:aws:s3", "arn:aws:s3:::", "arn:aws:lambda", "arn:aws:dynamodb"}
    return sum(1 for s in selectors for d in s["DataResources"] for v in d["Values"]
               if v not in free)


@st.composite
def basic_selector_sets(draw) -> List[Dict[str, Any]]:
    """A valid basic selector set: one to five selectors, and in about one
    case in eight padded to exactly the 250-value limit."""
    selectors = draw(st.lists(basic_selectors(), min_size=1, max_size=MAX_SELECTORS))
    used = _basic_counted(selectors)
    if draw(st.integers(0, 7)) == 0 and used < MAX_BASIC_VALUES:
        selectors[0]["DataResources"].append({
            "Type": "AWS::S3::Object",
            "Values": [f"arn:aws:s3:::pad-{i}/" for i in range(MAX_BASIC_VALUES - used)],
        })
    return selectors


def selector_sets() -> st.SearchStrategy[List[Dict[str, Any]]]:
    """A valid selector set of either kind."""
    return st.one_of(basic_selector_sets(), advanced_selector_sets())


def kind_of(selectors: List[Dict[str, Any]]) -> str:
    """``advanced`` or ``basic``, as ctsel reads the set."""
    return "advanced" if any("FieldSelectors" in s for s in selectors) else "basic"


def _operands(selectors: List[Dict[str, Any]], field: str) -> List[str]:
    out = set()
    for s in selectors:
        for f in s.get("FieldSelectors", []):
            if f.get("Field") == field:
                for k, v in f.items():
                    if k != "Field":
                        out.update(v)
        if field == "resources.ARN":
            for d in s.get("DataResources", []):
                out.update(d.get("Values", []))
        if field == "resources.type":
            for d in s.get("DataResources", []):
                out.add(d.get("Type"))
        if field == "eventSource":
            out.update(s.get("ExcludeManagementEventSources", []))
    return sorted(x for x in out if isinstance(x, str))


@st.composite
def _near(draw, anchors: List[str], fallback: List[str]) -> str:
    pool = anchors + fallback or ["x"]
    a = draw(st.sampled_from(anchors or pool))
    other = draw(st.sampled_from(pool))
    mode, n = draw(st.integers(0, 8)), draw(st.integers(0, 11))
    return [a, a, a + "x", a[:-1], "x" + a, a[:n] + "zz", a + "/key", other, other + a][mode]


def _maybe_field(draw, selectors, field, fallback):
    if draw(st.integers(0, 99)) >= 85:
        return None
    return draw(_near(_operands(selectors, field), fallback))


@st.composite
def records_for(draw, selectors: List[Dict[str, Any]]) -> Dict[str, Any]:
    """A record (a ``dict``) aimed at ``selectors``: their own operands,
    near misses, shared prefixes and suffixes, S3 object and bucket
    elements in either order, missing fields, odd shapes, and decoy keys
    nested in ``requestParameters``."""
    types = _operands(selectors, "resources.type") + RESOURCE_TYPES + ["AWS::S3::Bucket"]
    arn_pool = arns_of("AWS::S3::Object") + arns_of("AWS::Lambda::Function") + arns_of("AWS::DynamoDB::Table")

    @st.composite
    def element(draw) -> Any:
        t = draw(st.sampled_from(types)) if draw(st.integers(0, 99)) < 95 else None
        arn = draw(_near(_operands(selectors, "resources.ARN"), arn_pool))
        shape = draw(st.integers(0, 9))
        if shape == 0:
            return "not an object"
        e: Dict[str, Any] = {}
        if shape == 1:
            e["ARNPrefix"] = arn
        elif shape == 3:
            e["arn"] = arn
        elif shape != 2:
            e["ARN"] = arn
        if shape % 3 == 0:
            e["accountId"] = "111122223333"
        if t is not None:
            e["type"] = t
        return e

    r: Dict[str, Any] = {}
    category = draw(st.sampled_from(["Management", "Management", "Data", "Data", "NetworkActivity",
                                     "Insight", None, None]))
    r["eventVersion"] = "1.08" if category else "1.05"
    user = _maybe_field(draw, selectors, "userIdentity.arn", USER_ARNS)
    if user is not None:
        r["userIdentity"] = {"type": "AssumedRole", "arn": user}
    r["eventTime"] = "2024-05-01T12:00:00Z"
    for key, field, fallback in (("eventSource", "eventSource", EVENT_SOURCES),
                                 ("eventName", "eventName", EVENT_NAMES),
                                 ("errorCode", "errorCode", ["VpceAccessDenied", "AccessDenied"])):
        v = _maybe_field(draw, selectors, field, fallback)
        if v is not None:
            r[key] = v
    if draw(st.booleans()):
        r["requestParameters"] = {
            "eventName": "PutObject", "eventCategory": "Data", "readOnly": True,
            "resources": [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::logs/decoy"}],
            "userIdentity": {"arn": "arn:aws:iam::111122223333:user/decoy"},
        }
    ro = draw(st.integers(0, 7))
    if ro <= 2:
        r["readOnly"] = ro == 0
    elif ro == 3:
        r["readOnly"] = draw(st.sampled_from(["True", "false", "TRUE"]))
    elif ro == 4:
        r["readOnly"] = None
    shape = draw(st.integers(0, 11))
    if shape == 1:
        r["resources"] = {"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::logs/a"}
    elif shape != 0:
        items = draw(st.lists(element(), max_size=3))
        if items and isinstance(items[0], dict) and items[0].get("type") == "AWS::S3::Object" \
                and isinstance(items[0].get("ARN"), str):
            bucket = {"type": "AWS::S3::Bucket", "ARN": items[0]["ARN"].split("/")[0]}
            if shape % 2 == 0:
                items.append(bucket)
            else:
                items.insert(0, bucket)
        r["resources"] = items
    etype = _maybe_field(draw, selectors, "eventType", EVENT_TYPES)
    if etype is not None:
        r["eventType"] = etype
    if draw(st.integers(0, 9)) < 3:
        r["managementEvent"] = draw(st.booleans())
    session = draw(st.integers(0, 5))
    if session == 0:
        r["sessionCredentialFromConsole"] = "true"
    elif session == 1:
        r["sessionCredentialFromConsole"] = True
    vpce = _maybe_field(draw, selectors, "vpcEndpointId", VPC_ENDPOINTS)
    if vpce is not None:
        r["vpcEndpointId"] = vpce
    if category:
        r["eventCategory"] = category
    return r


def _write(record: Dict[str, Any], seed: int) -> str:
    """One line of JSON for ``record``, its form varied by ``seed``:
    ``\\/`` and ``\\uXXXX`` escapes, spaces, shuffled keys."""
    rng = random.Random(seed)
    items = list(record.items())
    if rng.random() < 0.5:
        rng.shuffle(items)
    sep = (", ", ": ") if rng.random() < 0.3 else (",", ":")
    text = json.dumps(dict(items), separators=sep, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.3:
        text = text.replace("/", "\\/")
    if rng.random() < 0.2:
        text = text.replace('"A', '"\\u0041')
    return text


@st.composite
def record_texts_for(draw, selectors: List[Dict[str, Any]]) -> str:
    """A record aimed at ``selectors``, written as one line of JSON with
    varied escapes, whitespace and key order."""
    return _write(draw(records_for(selectors)), draw(st.integers(0, 2**63)))


@st.composite
def cases(draw):
    """A selector set and a record text aimed at it."""
    selectors = draw(selector_sets())
    return selectors, draw(record_texts_for(selectors))
