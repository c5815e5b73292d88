"""`qualgraph load` and `qualgraph export`: build the study graph, summarise or serialise it."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import Graph
from rich.console import Console
from rich.table import Table

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
from qualgraph.cli.server import checked_iri
from qualgraph.rdf.emit import emit_ntriples
from qualgraph.rdf.export import FORMATS, serialize
from qualgraph.rdf.terms import NTriples
from qualgraph.rdf.void import build_date, count, describe
from qualgraph.resources import ontology_graph
from qualgraph.study.summary import summarize


@click.command()
@study_options
def load(inputs: StudyInputs) -> None:
    """Load a study and summarise what it holds; diagnostics go to standard error.

    Example: qualgraph load traces/
    """
    loaded = inputs.load()
    summary = summarize(
        loaded.study, loaded.diagnostics, triples=len(emit_ntriples(loaded.study, inputs.base))
    )
    table = Table(title="qualgraph study", show_header=False)
    for label, value in summary.rows():
        table.add_row(label, value)
    Console(highlight=False).print(table)
    report_diagnostics(loaded.diagnostics, inputs.verbose)
    sys.exit(exit_status(loaded.diagnostics))


@click.command()
@study_options
@output_option
@click.option(
    "-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default="turtle", show_default=True
)
@click.option("--with-ontology", is_flag=True, help="Include the qualgraph ontology in the output.")
@click.option(
    "--void",
    "void_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a VoID/DCAT description of the study's dataset (Turtle) to this file.",
)
@click.option("--license", "license_iri", metavar="IRI", help="The license the description names.")
def export(
    inputs: StudyInputs,
    output: Path | None,
    fmt: str,
    with_ontology: bool,
    void_file: Path | None,
    license_iri: str | None,
) -> None:
    """Export the study graph as RDF (sorted, so the same study gives the same bytes).

    Example: qualgraph export traces/ -f turtle -o study.ttl
    """
    if license_iri:
        checked_iri(license_iri, "--license")
    loaded = inputs.load()
    identity = inputs.identity
    guard_output(output, read_files(loaded))
    data = emit_ntriples(loaded.study, identity.base)
    graphs: tuple[NTriples | Graph, ...] = (data, *([ontology_graph()] if with_ontology else []))
    write_output(serialize(graphs, fmt, base=identity.base, graph_name=identity.iri), output)
    if void_file is not None:
        guard_output(void_file, read_files(loaded))
        description = describe(identity, count(data), build_date(), license=license_iri)
        write_output(description.serialize(format="turtle"), void_file)
    report_diagnostics(loaded.diagnostics, inputs.verbose)
    sys.exit(exit_status(loaded.diagnostics))
