"""`qualgraph query` and `qualgraph stats`: SPARQL over a study, from traces or from RDF files.

Both follow every command's rule: 0 when they ran on data without errors, 1 when the traces
they read have error diagnostics (as `load` and `export`; -v lists them), 2 when they could not
run. RDF files have no diagnostics: 0 or 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox
from rich.console import Console
from rich.table import Column, Table

from ..emit import emit_ntriples
from ..errors import QualgraphError
from ..query import (
    NamedQuery,
    catalogue,
    find_query,
    named_queries,
    parse_query,
    prepare,
    read_query_file,
    run,
)
from ..rdf_input import RDF_SUFFIXES, load_rdf, rdf_format
from ..saturation import plot_saturation
from ..stats import StudyStats, study_stats
from ..store import Rows, to_store
from ..study import TRACE_SUFFIXES, LoadedStudy
from ..summary import summarize
from ..tables import FORMATS, rich_table
from .common import (
    CommandError,
    StudyInputs,
    exit_status,
    guard_output,
    output_option,
    read_files,
    report_diagnostics,
    study_options,
    write_output,
)

_INPUT_SUFFIXES = set(RDF_SUFFIXES) | TRACE_SUFFIXES
_NO_QUERY = (
    "name a query (qualgraph query --list shows them), give a FILE.rq, or pass --sparql TEXT"
)


def study_store(inputs: StudyInputs) -> tuple[ox.Store, LoadedStudy | None]:
    """An Oxigraph store of the study: RDF files are loaded as they are, traces are loaded and
    emitted. The two are not mixed: a study is read from its traces or from an export of them."""
    paths = inputs.study_paths
    rdf = [p for p in paths if rdf_format(p) is not None]
    if not rdf:
        loaded = inputs.load()
        return to_store(emit_ntriples(loaded.study, inputs.base)), loaded
    traces = [p for p in paths if rdf_format(p) is None]
    if traces:
        raise CommandError(
            f"cannot mix RDF files ({rdf[0]}) with trace files or folders ({traces[0]}); "
            "query the RDF files alone, or the traces alone"
        )
    if inputs.model_paths:
        raise CommandError("--model applies to traces; an RDF file already holds its model")
    try:
        return load_rdf(rdf), None
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc


def _split(paths: tuple[Path, ...], sparql: str | None) -> tuple[tuple[Path, ...], NamedQuery]:
    """The inputs and the query: --sparql TEXT, or the last argument (a NAME or a FILE.rq)."""
    if sparql is not None:
        if any(p.suffix == ".rq" for p in paths):
            raise CommandError("give either --sparql TEXT or a query, not both")
        return paths, parse_query(sparql, "--sparql", "--sparql")
    if not paths:
        raise CommandError(_NO_QUERY)
    *inputs, last = paths
    if last.suffix == ".rq":
        return tuple(inputs), read_query_file(last)
    if str(last) not in named_queries() and (
        last.is_dir() or last.suffix.lower() in _INPUT_SUFFIXES
    ):
        raise CommandError(_NO_QUERY)
    return tuple(inputs), find_query(str(last))


def _values(params: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep or not name:
            raise CommandError(f"--param takes NAME=VALUE, got {param!r}")
        if name in values:
            raise CommandError(f"--param {name} is given twice")
        values[name] = value
    return values


def _show(rows: Rows, fmt: str, output: Path | None) -> None:
    """A rich table straight to a terminal (it fits the width); text everywhere else."""
    if fmt == "table" and output is None and sys.stdout.isatty():
        Console(highlight=False).print(rich_table(rows))
    else:
        write_output(FORMATS[fmt](rows), output)


@click.command()
@study_options
@click.option(
    "--sparql", metavar="TEXT", help="Run this SPARQL SELECT query instead of a named one."
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query parameter (repeatable); codes and sources by identifier or IRI.",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default="table", show_default=True
)
@output_option
@click.option(
    "--allow-service", is_flag=True, help="Let the query use SERVICE (it contacts other servers)."
)
@click.option(
    "--list", "list_queries", is_flag=True, help="List the named queries and their parameters."
)
def query(
    inputs: StudyInputs,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str,
    output: Path | None,
    allow_service: bool,
    list_queries: bool,
) -> None:
    """Run a named query, a FILE.rq, or --sparql TEXT over a study.

    The last argument names the query; the arguments before it are trace files or folders
    (default: seeds/) or RDF files written earlier (.ttl .nt .nq .trig .jsonld .rdf).
    Diagnostics are shown only with -v (qualgraph load shows them).

    Example: qualgraph query traces/ evidence --param code=end_to_end -f markdown
    """
    if list_queries:
        _show(catalogue(), fmt, output)
        return
    values = _values(params)
    try:
        paths, named = _split(inputs.paths, sparql)
        prepare(named, values, allow_service=allow_service)
        store, loaded = study_store(inputs.with_paths(paths))
        rows = run(store, named, values, allow_service=allow_service)
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    guard_output(output, read_files(loaded) if loaded else list(paths))
    _show(rows, fmt, output)
    _finish(inputs, loaded)


def _finish(inputs: StudyInputs, loaded: LoadedStudy | None) -> None:
    """Diagnostics with -v, and the exit code every command gives for the same data."""
    if loaded is None:
        return
    if inputs.verbose:
        report_diagnostics(loaded.diagnostics, inputs.verbose)
    sys.exit(exit_status(loaded.diagnostics))


def _overview(result: StudyStats) -> Table:
    table = Table(title="qualgraph study statistics", show_header=False)
    for label, value in result.rows():
        table.add_row(label, value)
    return table


def _saturation(result: StudyStats) -> Table:
    table = Table(
        Column("#", justify="right"),
        "source",
        Column("new codes", justify="right"),
        Column("codes", justify="right"),
        "introduced",
        title="saturation (coding order)",
    )
    for row in result.saturation:
        table.add_row(
            str(row.position),
            row.source,
            str(row.new_codes),
            str(row.codes),
            " ".join(row.introduced),
        )
    return table


@click.command()
@study_options
@click.option(
    "--plot",
    "plots",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the saturation plot into FILE (.svg or .png; repeatable).",
)
def stats(inputs: StudyInputs, plots: tuple[Path, ...]) -> None:
    """Summarise a study on one screen, then its saturation table.

    Sources by type, quotes, codes by kind, groundings, decisions and options, impacts,
    diagnostics; then, per source in coding order, the codes it introduces. --plot draws the
    cumulative new codes over the coding order, marking the sources that add none.

    Example: qualgraph stats traces/ --plot saturation.svg
    """
    store, loaded = study_store(inputs)
    summary = summarize(loaded.study, loaded.diagnostics) if loaded else None
    try:
        result = study_stats(store, summary)
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    console = Console(highlight=False)
    console.print(_overview(result))
    console.print(_saturation(result))
    for plot in plots:
        try:
            plot_saturation(result.saturation, plot)
        except QualgraphError as exc:
            raise CommandError(str(exc)) from exc
    _finish(inputs, loaded)
