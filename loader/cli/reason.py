"""`qualgraph reason`: check the decision model against the ontology with an OWL reasoner."""

from __future__ import annotations

import sys

import click

from qualgraph.cli.common import (
    CommandError,
    StudyInputs,
    exit_status,
    report_diagnostics,
    study_options,
)
from qualgraph.diagnostics import printable
from qualgraph.errors import QualgraphError
from qualgraph.rdf.emit import emit
from qualgraph.reason import reason as run_reasoner


@click.command()
@study_options
def reason(inputs: StudyInputs) -> None:
    """Run the HermiT reasoner (owlready2, needs Java) over the codes and links of a study.

    Exits 1 when the decision model contradicts the ontology (for example a force used as the
    option of a decision) and names the links that do, or when the traces have error
    diagnostics (as every command does).

    Example: qualgraph reason traces/
    """
    loaded = inputs.load()
    try:
        report = run_reasoner(emit(loaded.study, inputs.base))
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    report_diagnostics(loaded.diagnostics, inputs.verbose)
    verdict = "consistent" if report.consistent else "INCONSISTENT"
    click.echo(
        f"decision model: {verdict} ({report.individuals} individuals, {report.seconds:.1f} s)"
    )
    for name, count in report.inferred.items():
        click.echo(f"  inferred {name}: {count}")
    for conflict in report.conflicts:
        where = f"{conflict.file}:{conflict.line}: " if conflict.file else ""
        click.echo(printable(f"{where}{conflict.message}"))
    sys.exit(1 if not report.consistent else exit_status(loaded.diagnostics))
