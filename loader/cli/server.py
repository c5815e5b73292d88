"""`qualgraph push`: put a study on a SPARQL server, in its own named graph.

`qualgraph query --endpoint` (in `query`) reads it back. The protocols, credentials and retries
are `remote`'s; this module turns options into its calls and its errors into exit code 2.
"""

from __future__ import annotations

# `remote` (urllib.request and the email package under it, ~15 ms) is imported where a command
# talks to a server, not at every command's start.
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import click
import pyoxigraph as ox

from qualgraph.cli.common import (
    CommandError,
    StudyInputs,
    exit_status,
    report_diagnostics,
    study_options,
)
from qualgraph.errors import QualgraphError
from qualgraph.rdf.emit import emit_ntriples
from qualgraph.rdf.terms import NTriples
from qualgraph.rdf.void import build_date, count, describe
from qualgraph.resources import ontology_graph

if TYPE_CHECKING:
    from qualgraph.server.remote import Client, Endpoints

ONTOLOGY_GRAPH = "https://w3id.org/qualgraph/ontology"
"""The graph `--with-ontology` fills: the ontology's own IRI."""

endpoint_option = click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The SPARQL server: Oxigraph's root (http://127.0.0.1:7878), a Fuseki dataset, or a "
    "query endpoint ending in /query or /sparql.",
)


def timeout_option(default: float) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`--timeout`: a server may take a minute to store a large study (Oxigraph took 76 s for
    495,000 triples on a busy machine, see docs/design.md), a query answers sooner."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=default,
        show_default=True,
        help="Seconds to wait for the server's answer to each request.",
    )


retries_option = click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Retries after a connection error or a 5xx answer, pausing 0.5 s, 1 s, 2 s...",
)


def client(timeout: float, retries: int) -> Client:
    """A client that logs each retry on standard error (never the credentials)."""
    from qualgraph.server.remote import Client, Policy

    return Client(
        Policy(attempts=retries + 1, timeout=timeout), log=lambda line: click.echo(line, err=True)
    )


def checked_iri(value: str, option: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError as exc:
        raise CommandError(f"{option} {value!r} is not a valid IRI: {exc}") from exc


def _lines(*parts: NTriples) -> Callable[[], Iterator[str]]:
    def lines() -> Iterator[str]:
        for part in parts:
            for s, p, o in part:
                yield f"{s} {p} {o} .\n"

    return lines


def _refuse_another_study(endpoints: Endpoints, graph: str, codebook: str, sender: Client) -> None:
    """Two studies must not share a graph: a push would silently replace the other one."""
    from qualgraph.server.remote import codebooks_in

    found = [book for book in codebooks_in(endpoints, graph, sender) if book != codebook]
    if found:
        raise CommandError(
            f"the graph <{graph}> on the server holds another study (<{found[0]}>), not "
            f"<{codebook}>: push to another --graph or with another --base, or pass "
            "--replace-other to replace it"
        )


@click.command()
@study_options
@endpoint_option
@click.option(
    "--graph", metavar="IRI", help="The named graph to replace (default: the study's IRI)."
)
@click.option(
    "--with-ontology",
    is_flag=True,
    help=f"Also replace the graph <{ONTOLOGY_GRAPH}> with the ontology.",
)
@click.option(
    "--store-url", metavar="URL", help="The graph store endpoint (default: ENDPOINT/store)."
)
@click.option("--update-url", metavar="URL", help="The update endpoint (default: ENDPOINT/update).")
@click.option(
    "--license", "license_iri", metavar="IRI", help="The study's license, for its description."
)
@click.option(
    "--replace-other",
    is_flag=True,
    help="Replace the graph even when it holds another study (by default that is refused).",
)
@timeout_option(300.0)
@retries_option
def push(
    inputs: StudyInputs,
    endpoint: str,
    graph: str | None,
    with_ontology: bool,
    store_url: str | None,
    update_url: str | None,
    license_iri: str | None,
    replace_other: bool,
    timeout: float,
    retries: int,
) -> None:
    """Replace the study's named graph on a SPARQL server with the study and its description.

    Uses the SPARQL 1.1 Graph Store Protocol (one PUT, streamed in chunks), or SPARQL 1.1
    Update where the server has no graph store. Credentials: QUALGRAPH_USER and
    QUALGRAPH_PASSWORD, QUALGRAPH_TOKEN, or a netrc entry for the server's host.

    Example: qualgraph push traces/ --endpoint http://127.0.0.1:7878
    """
    from qualgraph.server.remote import Endpoints, push_graph

    identity = inputs.identity
    name = checked_iri(graph or identity.iri, "--graph")
    if license_iri:
        checked_iri(license_iri, "--license")
    try:
        endpoints = Endpoints.from_url(endpoint, store=store_url, update=update_url)
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    loaded = inputs.load()
    data = emit_ntriples(loaded.study, identity.base)
    facts = count(data)
    description = NTriples.from_rdflib(describe(identity, facts, build_date(), license=license_iri))
    total = len(data) + len(description)
    sender = client(timeout, retries)
    started = time.perf_counter()
    try:
        if not replace_other:
            _refuse_another_study(endpoints, name, identity.base + "codebook", sender)
        pushed = push_graph(endpoints, name, _lines(data, description), total, sender)
        if with_ontology:
            ontology = NTriples.from_rdflib(ontology_graph())
            push_graph(endpoints, ONTOLOGY_GRAPH, _lines(ontology), len(ontology), sender)
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(
        f"pushed {pushed.triples} triples to <{pushed.graph}> by {pushed.protocol} "
        f"({pushed.chunks} chunk{'s' if pushed.chunks != 1 else ''}, "
        f"{time.perf_counter() - started:.1f} s)"
        + (f"; the ontology to <{ONTOLOGY_GRAPH}>" if with_ontology else "")
    )
    report_diagnostics(loaded.diagnostics, inputs.verbose)
    sys.exit(exit_status(loaded.diagnostics))
