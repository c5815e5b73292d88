"""What validation returns, whichever engine ran: typed SHACL results located at file:line."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from qualgraph.diagnostics import Severity
from qualgraph.shacl.shapes import ShapePath

LEVELS: dict[URIRef, Severity] = {
    SH.Violation: Severity.ERROR,
    SH.Warning: Severity.WARNING,
    SH.Info: Severity.INFO,
}
"""SHACL severities on the loader's scale; a custom severity counts as a violation."""


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult: which node broke which shape's rule, with what value, and where
    in the trace files that node was written (`file`, `line`; None when it has no provenance)."""

    focus: Node
    shape: Node
    shape_name: str
    component: URIRef
    path: ShapePath | None
    value: Node | None
    message: str
    severity: URIRef
    file: str | None = None
    line: int | None = None

    @property
    def level(self) -> Severity:
        return LEVELS.get(self.severity, Severity.ERROR)

    def key(self) -> tuple[str, str, str, str, str]:
        """The identity two engines must agree on: focus, shape, component, value, severity."""
        return (
            str(self.focus),
            str(self.shape),
            str(self.component),
            str(self.value),
            str(self.severity),
        )


@dataclass(frozen=True)
class ValidationReport:
    """All results in file and line order. `conforms` follows SHACL: no result of any severity.
    `timings` are seconds per shape (the Oxigraph engine measures them; pySHACL does not)."""

    results: tuple[ValidationResult, ...]
    engine: str
    timings: tuple[tuple[str, float], ...] = field(default=(), compare=False)

    @property
    def conforms(self) -> bool:
        return not self.results
