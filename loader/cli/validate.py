"""`qualgraph validate`: load a study, run the SHACL shapes, report every finding at file:line.

Exit codes: 0 nothing at or above --fail-on, 1 a finding at or above it (violations and loader
errors by default), 2 the command could not run (bad arguments, unreadable input, a shapes file
that cannot be read or run). The report goes to standard output (or -o FILE), the one-line
summary to standard error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import Severity
from ..emit import emit_ntriples
from ..errors import QualgraphError
from ..report import FORMATS, Compactor, Report, merge
from ..shapes import load_shapes
from ..study import display_name
from ..validate import ENGINES, Validation
from .common import CommandError, StudyInputs, output_option, study_options, write_output

_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


@click.command(name="validate")
@study_options
@output_option
@click.option(
    "--shapes",
    "extra_shapes",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A shapes file (Turtle) of the study's own rules, added to the bundled ones (repeatable).",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True
)
@click.option(
    "--fail-on",
    type=click.Choice(list(_LEVELS)),
    default="error",
    show_default=True,
    help="Exit 1 on a finding at least this severe (error: SHACL violations, loader errors).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=ENGINES[0],
    show_default=True,
    help="SHACL engine (pyshacl: the reference implementation, slower).",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let shapes use SERVICE or a remote JSON-LD @context (they contact other servers).",
)
def validate_command(
    inputs: StudyInputs,
    output: Path | None,
    extra_shapes: tuple[Path, ...],
    fmt: str,
    fail_on: str,
    engine: str,
    allow_service: bool,
) -> None:
    """Check that every code is grounded in a quote, and the rest of the shapes, at file:line.

    Merges the loader's diagnostics and the SHACL results into one report. Notes (info) are
    listed with -v or --fail-on info.

    Example: qualgraph validate traces/ --format github
    """
    try:
        # Made first, so that its footprint is worked out while the study loads.
        shapes = load_shapes(extra_shapes, allow_service=allow_service)
        run = Validation(shapes, engine, allow_service=allow_service)
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    loaded = inputs.load()
    base = inputs.base
    try:
        validation = run.report(emit_ntriples(loaded.study, base, sink=run.add))
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    threshold = _LEVELS[fail_on]
    report = Report(
        findings=merge(loaded.diagnostics, validation, Compactor(base)),
        files=tuple(display_name(path) for path in loaded.files),
        engine=engine,
        fail_on=threshold,
        show=Severity.INFO if inputs.verbose or threshold == Severity.INFO else Severity.WARNING,
        base=base,
    )
    color = output is None and fmt == "text" and sys.stdout.isatty()
    text = FORMATS[fmt](report, color)
    if text or output is not None:
        write_output(text, output)
    click.echo(report.summary(), err=True)
    sys.exit(1 if report.failed else 0)
