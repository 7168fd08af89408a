"""ctsel: AWS CloudTrail event selectors, exactly.

Validate selectors as AWS does (AWS's exception and message, plus the
place and a hint), compile them into a :class:`Program`, and decide for
every CloudTrail record whether a trail with those selectors logs it.

Selectors are given as text (``str`` starting with ``[`` or ``{``, or
spanning lines, or ``bytes``), as a path (any other ``str``, or an
``os.PathLike``: a selector file, a CloudFormation template, a Terraform
plan, ``.tf`` sources or a ``cdk.out`` directory), or as Python data (a
``list`` or ``dict``, such as boto3's ``get_event_selectors()`` response).

>>> import ctsel
>>> ctsel.validate('[{"ReadWriteType": "All"}]').valid
True
>>> program = ctsel.compile('[{"ReadWriteType": "All"}]')
>>> program.decide({"eventCategory": "Management", "readOnly": True}).logged
True
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Mapping, Optional, Union

from . import _ctsel
from ._ctsel import Diagnostic, FilterResult, Finding, Program, Stats, ValidationResult, Verdict
from ._errors import (
    Error,
    InputError,
    InputWarning,
    InvalidSelectors,
    UnparseableRecord,
    UnparseableRecordWarning,
)

__version__ = _ctsel.__version__

__all__ = [
    "validate",
    "compile",
    "explain",
    "lint",
    "convert",
    "diff",
    "contains",
    "equivalent",
    "covers",
    "requirements",
    "Program",
    "Verdict",
    "Stats",
    "FilterResult",
    "Diagnostic",
    "ValidationResult",
    "Finding",
    "Error",
    "InvalidSelectors",
    "UnparseableRecord",
    "InputError",
    "UnparseableRecordWarning",
    "InputWarning",
]

Selectors = Union[str, bytes, "os.PathLike[str]", list, dict]
Record = Union[bytes, str, dict]


def _options(
    target: Optional[str] = None,
    kind: Optional[str] = None,
    partition: Optional[str] = None,
    client: Optional[str] = None,
    input_format: Optional[str] = None,
    parameters: Optional[Mapping[str, str]] = None,
    variables: Optional[Mapping[str, str]] = None,
    resource: Optional[str] = None,
    extra_resource_types: Iterable[str] = (),
    extra_network_sources: Iterable[str] = (),
    strict_eds_selector_count: bool = False,
    lake_notice: bool = True,
    report_all: bool = False,
    allow_invalid: bool = False,
) -> dict:
    return {
        "target": target,
        "kind": kind,
        "partition": partition,
        "client": client,
        "input_format": input_format,
        "parameters": dict(parameters) if parameters is not None else None,
        "variables": dict(variables) if variables is not None else None,
        "resource": resource,
        "extra_resource_types": list(extra_resource_types),
        "extra_network_sources": list(extra_network_sources),
        "strict_eds_selector_count": strict_eds_selector_count,
        "lake_notice": lake_notice,
        "report_all": report_all,
        "allow_invalid": allow_invalid,
    }


def validate(selectors: Selectors, *, target: Optional[str] = None, kind: Optional[str] = None,
             partition: Optional[str] = None, client: str = "cli", input_format: str = "auto",
             parameters: Optional[Mapping[str, str]] = None,
             variables: Optional[Mapping[str, str]] = None,
             extra_resource_types: Iterable[str] = (), extra_network_sources: Iterable[str] = (),
             strict_eds_selector_count: bool = False, lake_notice: bool = True,
             report_all: bool = False) -> ValidationResult:
    """Validate selectors exactly as AWS would, as ``ctsel validate`` does.

    Returns a :class:`ValidationResult` with ``valid``, ``errors`` and
    ``warnings`` (lists of :class:`Diagnostic`). Every resource of a
    template or Terraform configuration is checked. Text that is not a
    selector document is a result with its syntax error, not an exception.

    ``target`` is ``"trail"``, ``"event-data-store"`` or
    ``"telemetry-rule"`` (default: what the document says, else trail);
    ``kind`` reads a bare list as ``"basic"`` or ``"advanced"``;
    ``client`` is ``"cli"`` (a lone selector object is a one-element list)
    or ``"sdk"``; ``input_format`` forces ``"cli"``, ``"request"``,
    ``"response"``, ``"cloudformation"``, ``"terraform-plan"`` or
    ``"terraform"``; ``parameters`` and ``variables`` give CloudFormation
    parameter and Terraform variable values. AWS stops at the first
    service error; ``report_all=True`` lists every one.

    Raises ``FileNotFoundError`` (or another ``OSError``) for a path that
    cannot be read, ``TypeError``/``ValueError`` for a bad argument.
    """
    return _ctsel.validate(selectors, _options(
        target=target, kind=kind, partition=partition, client=client,
        input_format=input_format, parameters=parameters, variables=variables,
        extra_resource_types=extra_resource_types,
        extra_network_sources=extra_network_sources,
        strict_eds_selector_count=strict_eds_selector_count, lake_notice=lake_notice,
        report_all=report_all))


def compile(selectors: Selectors, *, target: Optional[str] = None, kind: Optional[str] = None,
            partition: Optional[str] = None, client: str = "cli", input_format: str = "auto",
            parameters: Optional[Mapping[str, str]] = None,
            variables: Optional[Mapping[str, str]] = None, resource: Optional[str] = None,
            extra_resource_types: Iterable[str] = (), extra_network_sources: Iterable[str] = (),
            allow_invalid: bool = False) -> Program:
    """Validate and compile selectors into an immutable, thread-safe
    :class:`Program`.

    Raises :class:`InvalidSelectors` (with ``errors`` and ``warnings``)
    when AWS would reject them, unless ``allow_invalid=True`` (structural
    errors, which the AWS CLI refuses before sending, still raise). A file
    with several resources (a template) needs ``resource=`` naming one by
    logical id or address. Other options as :func:`validate`.
    """
    return _ctsel.compile(selectors, _options(
        target=target, kind=kind, partition=partition, client=client,
        input_format=input_format, parameters=parameters, variables=variables,
        resource=resource, extra_resource_types=extra_resource_types,
        extra_network_sources=extra_network_sources, allow_invalid=allow_invalid))


def explain(selectors: Selectors, record: Record, *, allow_invalid: bool = False,
            **options: Any) -> dict:
    """Why a record is (not) logged: the verdict, and for each selector
    each condition with the record's value and whether it held (the JSON
    of ``ctsel explain --format json``). Options as :func:`compile`."""
    return _ctsel.explain(selectors, record, _options(allow_invalid=allow_invalid, **options))


def lint(selectors: Selectors, *, log_bucket: Optional[str] = None, **options: Any) -> list:
    """Mistakes AWS accepts silently: a list of :class:`Finding` (rules
    ``CT001``…). Selectors AWS rejects raise :class:`InvalidSelectors`.
    ``log_bucket`` names the trail's own bucket (CT007). Options as
    :func:`compile`."""
    return _ctsel.lint(selectors, _options(**options), log_bucket)


def convert(selectors: Selectors, **options: Any) -> list:
    """Basic selectors as the advanced selector list that logs exactly
    the same records (ready for ``put_event_selectors(AdvancedEventSelectors=…)``).
    Raises ``ValueError`` for selectors that are already advanced."""
    return _ctsel.convert(selectors, _options(**options))


def diff(a: Selectors, b: Selectors, *, samples: int = 0,
         records: Optional[Iterable[Record]] = None, allow_invalid: bool = False,
         **options: Any) -> dict:
    """Whether two configurations log the same records, proved, as
    ``ctsel diff --format json`` reports it: ``equivalent``, ``proved``,
    and ``witnesses`` (both ways) each with the record and both verdicts.
    ``records`` adds real records to compare on; ``samples`` adds a
    sampling search as a cross-check."""
    return _ctsel.diff(a, b, _options(allow_invalid=allow_invalid, **options), samples,
                       list(records) if records is not None else None)


def contains(a: Selectors, b: Selectors, **options: Any) -> dict:
    """Whether ``a`` logs every record ``b`` logs, for every record (a
    proof, not a sample): ``{"contains": bool, "proved": True,
    "witnesses": [...]}``, each witness a record ``b`` logs and ``a`` does
    not, confirmed by the compiled programs."""
    return _ctsel.contains(a, b, _options(**options))


def equivalent(a: Selectors, b: Selectors, **options: Any) -> dict:
    """Whether ``a`` and ``b`` log exactly the same records, proved:
    ``{"equivalent": bool, "proved": True, "only_a": [...], "only_b": [...]}``."""
    return _ctsel.equivalent(a, b, _options(**options))


def requirements(partition: str = "aws") -> list:
    """The requirement pack entries (Security Hub, CIS, Prowler,
    ScoutSuite), each with its id, title, source and selectors."""
    return _ctsel.requirements(partition)


def covers(requirement: Selectors, configurations: Iterable[Selectors], *,
           trails: Optional[Iterable[Any]] = None, partition: str = "aws",
           **options: Any) -> dict:
    """Whether the configurations together (a region's trails) log every
    record ``requirement`` logs, proved, as ``ctsel covers --format json``
    reports it. ``requirement`` is a pack entry id (see
    :func:`requirements`) or selectors; ``trails`` are get-trail,
    describe-trails or get-trail-status documents for the trail properties
    a pack entry needs."""
    return _ctsel.covers(requirement, list(configurations), _options(**options),
                         list(trails) if trails is not None else None, partition)
