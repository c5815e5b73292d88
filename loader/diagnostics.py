"""Diagnostics: typed findings about the input, collected across the whole study, never raised.

Rendered like compiler messages (`file:line: severity[code]: message`) so editors and CI
logs link straight to the trace line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


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
        return f"{where}: {self.severity}[{self.code}]: {self.message}"


def info(file: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, line, Severity.INFO, code, message)


def warning(file: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, line, Severity.WARNING, code, message)


def error(file: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(file, line, Severity.ERROR, code, message)
