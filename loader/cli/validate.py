"""`qualgraph validate`: load a study, run the SHACL shapes, report every finding at file:line.

Exit codes: 0 no new finding at or above --fail-on, 1 a new finding at or above it (violations
and loader errors by default; "new": not recorded in the baseline, when there is one), 2 the
command could not run (bad arguments, unreadable input, a configuration, baseline or shapes file
that cannot be read or run). The report goes to standard output (or -o FILE, and any number of
-o FORMAT=FILE for more reports from the same run), the one-line summary to standard error.
"""

from __future__ import annotations

import difflib
import os
import sys
import time
from datetime import datetime
from pathlib import Path

import click
from rdflib import Graph

from qualgraph.cli.common import (
    CommandError,
    StudyInputs,
    configured,
    guard_output,
    read_files,
    settings,
    study_options,
    write_output,
)
from qualgraph.diagnostics import Diagnostic, Severity, printable
from qualgraph.errors import QualgraphError
from qualgraph.rdf.emit import emit_ntriples
from qualgraph.rdf.rdf_files import load_rdf, rdf_format
from qualgraph.rdf.terms import NTriples
from qualgraph.shacl.baseline import read_baseline, write_baseline
from qualgraph.shacl.outcome import outcome
from qualgraph.shacl.report import (
    FORMATS,
    Finding,
    RulePolicy,
    attribute_claims,
    local_name,
    render_step_summary,
)
from qualgraph.shacl.results import ValidationReport
from qualgraph.shacl.shapes import load_shapes
from qualgraph.shacl.validate import ENGINES, Validation, validate
from qualgraph.study.load import display_name

_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


def _rules(values: tuple[str, ...]) -> tuple[str, ...]:
    """Rule names from repeated options, each possibly a comma-separated list."""
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


def _outputs(values: tuple[str, ...], fmt: str) -> tuple[Path | None, dict[str, Path]]:
    """`-o FILE` (the --format report) and `-o FORMAT=FILE` (more reports of the same run)."""
    main: Path | None = None
    extra: dict[str, Path] = {}
    for value in values:
        name, sep, file = value.partition("=")
        if sep and name in FORMATS:
            if not file:
                raise CommandError(f"-o {value}: give a file after {name}=")
            extra[name] = Path(file)
        elif main is not None:
            raise CommandError(
                f"-o {value}: the --format report already goes to {main}; "
                f"name more reports as FORMAT=FILE ({', '.join(FORMATS)})"
            )
        else:
            main = Path(value)
    return main, extra


@click.command(name="validate")
@study_options
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    metavar="[FORMAT=]FILE",
    help="Write the report to FILE instead of standard output; FORMAT=FILE (repeatable) writes "
    "another format from the same run, e.g. -o junit=report.xml -o sarif=qualgraph.sarif.",
)
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
@click.option(
    "--select",
    multiple=True,
    metavar="RULE[,RULE]",
    help="Report only these rules (shape names like ClaimGrounded, loader codes like "
    "undefined-name; repeatable).",
)
@click.option(
    "--ignore", multiple=True, metavar="RULE[,RULE]", help="Do not report these rules (repeatable)."
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fail only on findings this baseline file does not record; say which recorded ones "
    "are gone.",
)
@click.option("--no-baseline", is_flag=True, help="Ignore the baseline the configuration names.")
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record every finding of this run in FILE (then exit 0): the study's accepted state.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="List only the findings that fail the run, and the summary."
)
def validate_command(
    inputs: StudyInputs,
    outputs: tuple[str, ...],
    extra_shapes: tuple[Path, ...],
    fmt: str,
    fail_on: str,
    engine: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    baseline: Path | None,
    no_baseline: bool,
    write_baseline: Path | None,
    quiet: bool,
    allow_service: bool,
) -> None:
    """Check that every code is grounded in a quote, and the rest of the shapes, at file:line.

    Merges the loader's diagnostics and the SHACL results into one report. Notes (info) are
    listed with -v or --fail-on info. PATHS may instead be RDF files (an exported study, another
    tool's graph): the shapes then check that graph. Settings not given here come from the
    study's configuration (qualgraph config shows them).

    Example: qualgraph validate traces/ --baseline qualgraph-baseline.json -o sarif=qg.sarif
    """
    started, clock = datetime.now().astimezone(), time.perf_counter()
    config = settings()
    output, extra_outputs = _outputs(outputs, fmt)
    extra_shapes = tuple(configured("extra_shapes", extra_shapes, "shapes"))  # type: ignore[arg-type]
    threshold = _LEVELS[str(configured("fail_on", fail_on, "fail-on"))]
    engine = str(configured("engine", engine, "engine"))
    policy = RulePolicy(
        select=_rules(select) or tuple(config.get("select", ())),  # type: ignore[arg-type]
        ignore=_rules(ignore) + tuple(config.get("ignore", ())),  # type: ignore[arg-type]
        per_file_ignores=config.get("per-file-ignores", {}),  # type: ignore[arg-type]
        severity=config.get("severity", {}),  # type: ignore[arg-type]
    )
    if not no_baseline and baseline is None and write_baseline is None:
        baseline = config.get("baseline")  # type: ignore[assignment]
        if baseline is not None:
            baseline = Path(display_name(baseline))  # named as the user would write it
    recorded = None
    if baseline is not None:
        if not baseline.exists():
            raise CommandError(
                f"{baseline}: no such baseline; write it with --write-baseline {baseline}"
            )
        try:
            recorded = read_baseline(baseline)
        except QualgraphError as exc:
            raise CommandError(str(exc)) from exc
    try:
        shapes = load_shapes(extra_shapes, allow_service=allow_service)
        # Made first, so that its footprint is worked out while the study loads.
        run = (
            Validation(shapes, engine, allow_service=allow_service)
            if not _rdf_paths(inputs)
            else None
        )
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    base = inputs.base
    if run is None:
        validation, diagnostics, files, read = _validate_rdf(inputs, shapes, engine, allow_service)
        claimants: dict[str, str] = {}
    else:
        loaded = inputs.load()
        try:
            triples = emit_ntriples(loaded.study, base, sink=run.add)
            validation = run.report(triples)
        except QualgraphError as exc:
            raise CommandError(str(exc)) from exc
        diagnostics = loaded.diagnostics
        files = tuple(display_name(path) for path in loaded.files)
        read = read_files(loaded)
        claimants = attribute_claims(triples, loaded.study, base)
    read += [*extra_shapes, *([baseline] if baseline else [])]
    for target in (output, *extra_outputs.values(), write_baseline):
        guard_output(target, read)
    show = Severity.INFO if inputs.verbose or threshold == Severity.INFO else Severity.WARNING
    result = outcome(
        diagnostics,
        validation,
        shapes,
        files,
        base=base,
        claimants=claimants,
        rules=policy,
        baseline=recorded,
        fail_on=threshold,
        show=max(show, threshold) if quiet else show,
        started=started,
        seconds=time.perf_counter() - clock,
    )
    known = result.known_rules
    _check_rule_names(RulePolicy(_rules(select), _rules(ignore)), known, "--select/--ignore")
    _check_rule_names(
        RulePolicy(
            tuple(config.get("select", ())),  # type: ignore[arg-type]
            tuple(config.get("ignore", ())),  # type: ignore[arg-type]
            config.get("per-file-ignores", {}),  # type: ignore[arg-type]
            config.get("severity", {}),  # type: ignore[arg-type]
        ),
        known,
        config.label,
    )
    report, every, gone = result.report, result.every, result.report.gone
    if write_baseline is not None:
        count = write_baseline_file(write_baseline, every)  # all: not only the new ones
        click.echo(f"{report.summary()}; {count} findings recorded in {write_baseline}", err=True)
        sys.exit(0)
    color = output is None and fmt == "text" and sys.stdout.isatty()
    text = report.render(fmt, color)
    if text or output is not None:
        write_output(text, output)
    for extra_fmt, path in extra_outputs.items():
        write_output(report.render(extra_fmt), path)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        _append(Path(summary_file), render_step_summary(report))
    if gone and not quiet:
        for description in gone:
            click.echo(printable(f"{baseline}: gone (fixed): {description}"), err=True)
    click.echo(printable(report.summary()), err=True)
    sys.exit(1 if report.failed else 0)


def write_baseline_file(path: Path, findings: tuple[Finding, ...]) -> int:
    try:
        return write_baseline(path, findings)
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc


def _check_rule_names(policy: RulePolicy, rules: list[str], origin: str) -> None:
    """Exit 2 on a rule name no shape or loader code has: `select = ["ClaimGrouned"]` would
    otherwise select nothing and pass every study."""
    unknown = policy.unknown(rules)
    if unknown:
        names = sorted({name for rule in rules for name in (rule, local_name(rule))})
        close = difflib.get_close_matches(unknown[0], names, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise CommandError(
            f"{origin}: unknown rule {unknown[0]!r}{hint}; "
            "qualgraph validate -f sarif lists every rule"
        )


def _rdf_paths(inputs: StudyInputs) -> bool:
    """True when the inputs are RDF files (to validate as they are); mixing is refused."""
    paths = inputs.study_paths
    rdf = [p for p in paths if rdf_format(p) is not None]
    if rdf and len(rdf) < len(paths):
        other = next(p for p in paths if rdf_format(p) is None)
        raise CommandError(
            f"cannot mix RDF files ({rdf[0]}) with trace files or folders ({other}); "
            "validate the RDF files alone, or the traces alone"
        )
    return bool(rdf)


def _validate_rdf(
    inputs: StudyInputs, shapes: Graph, engine: str, allow_service: bool
) -> tuple[ValidationReport, tuple[Diagnostic, ...], tuple[str, ...], list[Path]]:
    """Validate RDF files as they are: no loader diagnostics; results located by the graph's
    own provenance (an exported study keeps it)."""
    paths = list(inputs.study_paths)
    if inputs.model_paths:
        raise CommandError("--model applies to traces; an RDF file already holds its model")
    for path in paths:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
    try:
        store = load_rdf(paths)
        triples = NTriples([(str(q.subject), str(q.predicate), str(q.object)) for q in store])
        validation = validate(triples, shapes, engine, allow_service=allow_service)
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    return validation, (), tuple(display_name(p) for p in paths), paths


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError as exc:
        raise CommandError(f"{path}: cannot write the step summary: {exc.strerror}") from exc
