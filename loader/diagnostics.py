"""Diagnostics: typed findings about the input, collected across the whole study, never raised.

Rendered like compiler messages (`file:line: severity[code]: message`) so editors and CI
logs link straight to the trace line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """`text` on one line with no terminal controls: a newline in a file name cannot forge a
    `file:1: error[...]` line, nor an ESC sequence reach the terminal (they are written `\\n`,
    `\\x1b`; bidirectional overrides too)."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    return _NAMED.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


class Severity(IntEnum):
    """Ordered so that `>=` means "at least as serious as"."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding: where (file, line), how serious, which kind (`code`), and what to do."""

    file: str
    line: int
    severity: Severity
    code: str
    message: str

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return printable(f"{where}: {self.severity}[{self.code}]: {self.message}")


def info(file: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, line, Severity.INFO, code, message)


def warning(file: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, line, Severity.WARNING, code, message)


def error(file: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, line, Severity.ERROR, code, message)
