"""Type stubs for ctsel's extension module (see ``ctsel`` for the API)."""

import os
from typing import IO, Any, Iterable, Optional, Sequence, Union

_Selectors = Union[str, bytes, "os.PathLike[str]", list, dict]
_Record = Union[bytes, str, dict]
_Paths = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]

__version__: str

class Diagnostic:
    """One finding of validation."""

    severity: str
    exception: str
    message: str
    verbatim: bool
    provenance: str
    rule: str
    pointer: str
    line: Optional[int]
    column: Optional[int]
    hint: Optional[str]
    file: str
    resource: Optional[str]
    path: Optional[str]

class ValidationResult:
    """What ``ctsel.validate`` returns; true when valid."""

    valid: bool
    errors: list[Diagnostic]
    warnings: list[Diagnostic]
    format: Optional[str]
    kind: Optional[str]
    resources: list[str]
    suppressed: int
    def __bool__(self) -> bool: ...

class Verdict:
    """Whether a trail logs one record; true when logged."""

    logged: bool
    outcome: str
    category: Optional[str]
    selectors: list[int]
    assumed: bool
    error: Optional[str]
    def __bool__(self) -> bool: ...

class Stats:
    """Counts over a run: records == logged + not_logged + not_governed + unparseable."""

    records: int
    logged: int
    not_logged: int
    not_governed: int
    unparseable: int
    bytes: int
    per_selector: list[int]
    by_category: dict[str, tuple[int, int]]
    unparseable_records: list[tuple[str, int, Optional[int], Optional[int], str]]
    input_errors: list[tuple[str, str, str]]
    skipped: list[tuple[str, str]]
    selector_names: list[Optional[str]]
    def as_dict(self) -> dict[str, Any]: ...

class FilterResult:
    """What ``Program.filter_files`` returns."""

    output: Optional[bytes]
    stats: Stats

class Finding:
    """One lint finding."""

    id: str
    severity: str
    message: str
    pointer: str
    line: int
    column: int
    fix: str

class Program:
    """A compiled selector set: immutable and thread-safe."""

    @property
    def kind(self) -> str: ...
    @property
    def selector_count(self) -> int: ...
    @property
    def selectors(self) -> list[dict[str, Any]]: ...
    @property
    def resource(self) -> Optional[str]: ...
    def decide(self, record: _Record) -> Verdict:
        """Decide one record; raises ``ctsel.UnparseableRecord`` if it is not a JSON object."""
    def decide_many(self, records: Iterable[_Record]) -> list[Verdict]:
        """Decide many records without the GIL; unparseable ones get outcome ``unparseable``."""
    def filter(
        self, data: Union[bytes, str], *, invert: bool = False, strict: bool = False, jobs: int = 1
    ) -> bytes:
        """The logged records of NDJSON, a log file or gzip bytes, one per line, without the GIL."""
    def filter_with_stats(
        self,
        data: Union[bytes, str],
        *,
        invert: bool = False,
        strict: bool = False,
        jobs: int = 1,
        errors: str = "raise",
    ) -> FilterResult:
        """As ``filter``, with the counts."""
    def filter_files(
        self,
        paths: _Paths,
        output: Union[None, str, "os.PathLike[str]", IO[bytes]] = None,
        *,
        invert: bool = False,
        strict: bool = False,
        jobs: Optional[int] = None,
        errors: str = "raise",
    ) -> FilterResult:
        """Filter files and directories as ``ctsel filter`` does."""
    def stats(self, paths: _Paths, *, jobs: Optional[int] = None, errors: str = "raise") -> Stats:
        """Count as ``ctsel stats`` does."""
    def explain(self, record: _Record) -> dict[str, Any]:
        """Why a record is (not) logged."""

def validate(selectors: _Selectors, options: Optional[dict] = None) -> ValidationResult: ...
def compile(selectors: _Selectors, options: Optional[dict] = None) -> Program: ...
def explain(selectors: _Selectors, record: _Record, options: Optional[dict] = None) -> dict[str, Any]: ...
def lint(selectors: _Selectors, options: Optional[dict] = None, log_bucket: Optional[str] = None) -> list[Finding]: ...
def convert(selectors: _Selectors, options: Optional[dict] = None) -> list[dict[str, Any]]: ...
def diff(
    a: _Selectors,
    b: _Selectors,
    options: Optional[dict] = None,
    samples: int = 0,
    records: Optional[Sequence[_Record]] = None,
) -> dict[str, Any]: ...
def contains(a: _Selectors, b: _Selectors, options: Optional[dict] = None) -> dict[str, Any]: ...
def equivalent(a: _Selectors, b: _Selectors, options: Optional[dict] = None) -> dict[str, Any]: ...
def requirements(partition: str = "aws") -> list[dict[str, Any]]: ...
def covers(
    requirement: Any,
    configurations: Sequence[_Selectors],
    options: Optional[dict] = None,
    trails: Optional[Sequence[Any]] = None,
    partition: str = "aws",
) -> dict[str, Any]: ...
