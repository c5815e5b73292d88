"""A study's validation outcome: the loader's diagnostics and the SHACL results merged into one
report, the rule policy applied and the baseline compared. The CLI and `qualgraph.api` both
make their report here, so that a program gets exactly what `qualgraph validate` prints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rdflib import Graph

from qualgraph.codes import DIAGNOSTIC_HELP
from qualgraph.diagnostics import Diagnostic, Severity
from qualgraph.shacl.baseline import Entry, compare
from qualgraph.shacl.report import Compactor, Finding, Report, RulePolicy, merge
from qualgraph.shacl.results import ValidationReport
from qualgraph.shacl.sarif import shape_rules


@dataclass(frozen=True)
class Outcome:
    """The report, and what it was made from: `merged` (every finding, before the rule policy),
    `every` (after it, before the baseline: what `--write-baseline` records)."""

    report: Report
    merged: tuple[Finding, ...]
    every: tuple[Finding, ...]

    @property
    def known_rules(self) -> list[str]:
        """Every rule a `select`/`ignore` name may refer to: shapes, loader codes, findings."""
        return [*self.report.rules, *DIAGNOSTIC_HELP, *(f.rule for f in self.merged)]


def outcome(
    diagnostics: Iterable[Diagnostic],
    validation: ValidationReport,
    shapes: Graph,
    files: Sequence[str],
    *,
    base: str,
    claimants: Mapping[str, str] | None = None,
    rules: RulePolicy | None = None,
    baseline: Sequence[Entry] | None = None,
    fail_on: Severity = Severity.ERROR,
    show: Severity = Severity.WARNING,
    started: datetime | None = None,
    seconds: float = 0.0,
) -> Outcome:
    """Merge, apply `rules`, compare with `baseline` (None: none) and make the report."""
    compact = Compactor(base)
    merged = merge(diagnostics, validation, compact, claimants)
    findings = every = (rules or RulePolicy()).apply(merged)
    gone: tuple[str, ...] = ()
    suppressed = 0
    if baseline is not None:
        comparison = compare(findings, baseline)
        findings, suppressed = comparison.new, comparison.suppressed
        gone = tuple(entry.describe() for entry in comparison.gone)
    report = Report(
        findings=findings,
        files=tuple(files),
        engine=validation.engine,
        fail_on=fail_on,
        show=show,
        base=base,
        baselined=baseline is not None,
        suppressed=suppressed,
        gone=gone,
        rules=shape_rules(shapes, compact),
        started=started,
        seconds=seconds,
    )
    return Outcome(report, merged, every)
