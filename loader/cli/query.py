"""`qualgraph query` and `qualgraph stats`: SPARQL over a study, from traces or from RDF files.

Both follow every command's rule: 0 when they ran on data without errors, 1 when the traces
they read have error diagnostics (as `load` and `export`; -v lists them), 2 when they could not
run. RDF files have no diagnostics: 0 or 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pyoxigraph as ox
from rdflib import Literal
from rich.console import Console
from rich.table import Column, Table

from qualgraph.cli.common import (
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
from qualgraph.cli.server import checked_iri, client, retries_option, timeout_option
from qualgraph.errors import QualgraphError
from qualgraph.outputs.saturation import plot_saturation
from qualgraph.query.formats import FORMATS, rich_table
from qualgraph.query.named import (
    Answer,
    NamedQuery,
    catalogue,
    find_query,
    named_queries,
    parse_query,
    prepare,
    read_query_file,
    run,
)
from qualgraph.query.rows import Rows
from qualgraph.query.stats import StudyStats, study_stats
from qualgraph.rdf.emit import emit_ntriples
from qualgraph.rdf.export import FORMATS as RDF_FORMATS
from qualgraph.rdf.export import serialize
from qualgraph.rdf.rdf_files import RDF_SUFFIXES, load_rdf, rdf_format
from qualgraph.rdf.store import to_store
from qualgraph.study.load import TRACE_SUFFIXES, LoadedStudy
from qualgraph.study.summary import summarize

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


OUTPUT_FORMATS = [*FORMATS, *(f for f in RDF_FORMATS if f not in FORMATS)]
"""Rows (SELECT, ASK) in the table formats; triples (CONSTRUCT) in the RDF formats."""


def _show(answer: Answer, fmt: str, output: Path | None) -> None:
    """A rich table straight to a terminal (it fits the width); text everywhere else. An ASK
    answer is a one-cell table (`ask`: true or false), or SPARQL JSON's `boolean`; CONSTRUCT
    triples are RDF (Turtle unless an RDF format is named)."""
    if isinstance(answer, tuple):
        if fmt in FORMATS and fmt != "table":
            raise CommandError(
                f"a CONSTRUCT query makes triples: choose an RDF format ({', '.join(RDF_FORMATS)})"
            )
        write_output(serialize(list(answer), "turtle" if fmt == "table" else fmt), output)
        return
    if fmt not in FORMATS:
        raise CommandError(
            f"-f {fmt} is for CONSTRUCT queries; rows are shown as {', '.join(FORMATS)}"
        )
    if isinstance(answer, bool):
        if fmt == "json":
            write_output(json.dumps({"head": {}, "boolean": answer}, indent=2) + "\n", output)
            return
        answer = Rows(("ask",), ((Literal(answer),),))
    if fmt == "table" and output is None and sys.stdout.isatty():
        Console(highlight=False).print(rich_table(answer))
    else:
        write_output(FORMATS[fmt](answer), output)


@click.command()
@study_options
@click.option(
    "--sparql",
    metavar="TEXT",
    help="Run this SPARQL SELECT, ASK or CONSTRUCT query instead of a named one.",
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
    "-f",
    "--format",
    "fmt",
    type=click.Choice(OUTPUT_FORMATS),
    default="table",
    show_default=True,
    help="Rows as a table, CSV, TSV, SPARQL JSON or Markdown; CONSTRUCT triples as RDF.",
)
@output_option
@click.option(
    "--allow-service", is_flag=True, help="Let the query use SERVICE (it contacts other servers)."
)
@click.option(
    "--list", "list_queries", is_flag=True, help="List the named queries and their parameters."
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Query this SPARQL server instead of local files (see qualgraph push).",
)
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: query this study's graph (repeatable: several studies as one; "
    "default: every study on the server).",
)
@timeout_option(60.0)
@retries_option
def query(
    inputs: StudyInputs,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str,
    output: Path | None,
    allow_service: bool,
    list_queries: bool,
    endpoint: str | None,
    graphs: tuple[str, ...],
    timeout: float,
    retries: int,
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
    if graphs and endpoint is None:
        raise CommandError("--graph names a graph on a server: give --endpoint URL too")
    if endpoint is not None:
        _show(
            _remote(inputs, sparql, values, allow_service, endpoint, graphs, timeout, retries),
            fmt,
            output,
        )
        return
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


def _remote(
    inputs: StudyInputs,
    sparql: str | None,
    values: dict[str, str],
    allow_service: bool,
    endpoint: str,
    graphs: tuple[str, ...],
    timeout: float,
    retries: int,
) -> Answer:
    """The query run on the server, over the named graphs (or every study's graph there)."""
    from qualgraph.server.remote import Endpoints, run_remote  # see cli.server: not at every start

    names = tuple(checked_iri(g, "--graph") for g in graphs)
    try:
        if sparql is None and len(inputs.paths) == 1 and inputs.paths[0].suffix == ".rq":
            named = read_query_file(inputs.paths[0])
        elif sparql is None and len(inputs.paths) == 1:
            named = find_query(str(inputs.paths[0]))
        elif sparql is not None and not inputs.paths:
            named = parse_query(sparql, "--sparql", "--sparql")
        else:
            raise CommandError(
                "with --endpoint, give only the query (a NAME, a FILE.rq or --sparql TEXT): "
                "the study is on the server"
            )
        endpoints = Endpoints.from_url(endpoint)
        return run_remote(
            endpoints,
            named,
            values,
            names,
            allow_service=allow_service,
            client=client(timeout, retries),
        )
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc


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
