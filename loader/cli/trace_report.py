"""`qualgraph trace-report`: per source, the claimed codes its own quotes ground, and the rest."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import Literal

from qualgraph.cli.common import (
    StudyInputs,
    exit_status,
    guard_output,
    output_option,
    read_files,
    report_diagnostics,
    study_options,
    write_output,
)
from qualgraph.query.formats import FORMATS
from qualgraph.query.rows import Rows
from qualgraph.study.grounding import EvidenceReport, evidence_report

COLUMNS = ("source", "claimed", "grounded", "ungrounded", "ungrounded codes")


def report_rows(report: EvidenceReport) -> Rows:
    """One row per source plus a study total; ungrounded codes are listed by kind."""
    rows = []
    for source in report.sources:
        listed = "; ".join(
            f"{kind}: {', '.join(codes)}" for kind, codes in source.ungrounded_by_kind().items()
        )
        rows.append(
            (
                source.source_id,
                len(source.claimed),
                len(source.grounded),
                len(source.ungrounded),
                listed,
            )
        )
    by_kind = "; ".join(f"{kind}: {count}" for kind, count in report.ungrounded_by_kind().items())
    rows.append(("total", report.claims, report.grounded, report.ungrounded, by_kind))
    return Rows(COLUMNS, tuple(tuple(Literal(value) for value in row) for row in rows))


@click.command("trace-report")
@study_options
@output_option
@click.option(
    "-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default="table", show_default=True
)
def trace_report(inputs: StudyInputs, output: Path | None, fmt: str) -> None:
    """Per source: claimed codes (add-codes lists and the model), grounded and ungrounded ones.

    A claim is grounded when a segment of the claiming source's own trace quotes the source and
    names the code. Markdown output is ready for a paper's appendix.

    Example: qualgraph trace-report traces/ --model model/ -f markdown -o appendix.md
    """
    loaded = inputs.load()
    guard_output(output, read_files(loaded))
    write_output(FORMATS[fmt](report_rows(evidence_report(loaded.study))), output)
    report_diagnostics(loaded.diagnostics, inputs.verbose)
    sys.exit(exit_status(loaded.diagnostics))
