"""The exceptions and warnings of the ctsel package.

Each exception derives from :class:`Error` and from the built-in class a
Python user would catch for the same problem: bad selectors and bad
records are ``ValueError``, inputs that cannot be read are ``OSError``.
"""

from __future__ import annotations


class Error(Exception):
    """Base class of every exception ctsel raises on purpose."""


class InvalidSelectors(Error, ValueError):
    """Selectors AWS would reject (or that are not a selector document).

    ``errors`` and ``warnings`` are lists of :class:`ctsel.Diagnostic`,
    each naming AWS's exception, its message and the place.
    """

    errors: list
    warnings: list

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.errors = []
        self.warnings = []


class UnparseableRecord(Error, ValueError):
    """A record that is not a JSON object.

    ``offset`` is the byte offset of the problem in the record; for a
    record read from an input, ``source``, ``index`` and ``line`` or
    ``offset`` say where it is.
    """

    source: "str | None" = None
    index: "int | None" = None
    line: "int | None" = None
    offset: "int | None" = None


class InputError(Error, OSError):
    """An input that could not be read to its end: a truncated or damaged
    gzip file, a log file cut inside its ``Records`` array, a compression
    ctsel does not read.

    ``source`` names the input, ``kind`` says what happened (``truncated``,
    ``damaged``, ``unsupported``, ``not-a-log-file``, ``io:…``), and
    ``stats`` holds the counts of everything read, including the records
    before the damage.
    """

    source: "str | None" = None
    kind: "str | None" = None
    stats: object = None

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnparseableRecordWarning(UserWarning):
    """Some records of a batch were unparseable; they were counted and
    skipped (pass ``strict=True`` to raise instead)."""


class InputWarning(UserWarning):
    """An input could not be read to its end; what was read was processed
    (``errors="warn"``)."""
