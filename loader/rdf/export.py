"""Serialise a study graph deterministically: the same study gives byte-identical output.

Triples are put in canonical order (their N-Triples lines, sorted) and written by Oxigraph's
serialisers, which group a subject's triples and were measured ~150x faster than rdflib's Turtle
writer on a real study (0.1 s against 19.5 s for 154k triples).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from qualgraph.rdf.jsonld import compact
from qualgraph.rdf.namespaces import PREFIXES, data_prefixes
from qualgraph.rdf.store import Graphs
from qualgraph.rdf.terms import NTriples, to_rdflib
from qualgraph.read.controls import visible

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
"""Format names offered to the user → Oxigraph formats."""

SUFFIXES = {
    "turtle": ".ttl",
    "ntriples": ".nt",
    "jsonld": ".jsonld",
    "rdfxml": ".rdf",
    "trig": ".trig",
    "nquads": ".nq",
}


def sorted_triples(*graphs: Graphs) -> Iterator[ox.Triple]:
    """The triples of `graphs` as Oxigraph triples, each once, sorted by their N-Triples form.

    Made one at a time while the serialiser writes: a list of them cost ~200 bytes a triple
    (a 50 MB trace, 4.7 M triples, is ~1 GB), on top of the sorted text they are parsed from."""
    lines = NTriples(
        [t for g in graphs for t in (g if isinstance(g, NTriples) else NTriples.from_rdflib(g))]
    )
    text = lines.sorted_text()
    del lines
    return (quad.triple for quad in ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


def serialize(
    triples: Graphs | tuple[Graphs, ...],
    fmt: str = "turtle",
    base: str | None = None,
    graph_name: str | None = None,
) -> str:
    """Serialise `triples` (the emitter's NTriples, an rdflib Graph or triple list, or a tuple of
    them, merged) in one of FORMATS.

    `base` adds the study's data prefixes; TriG and N-Quads put everything in the named graph
    `graph_name` (the study's IRI, so that two studies' files merge into two graphs)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    graphs = triples if isinstance(triples, tuple) else (triples,)
    ordered: Iterable[ox.Triple] | Iterable[ox.Quad] = sorted_triples(*graphs)
    if fmt == "jsonld":  # compact, under the qualgraph context: see `jsonld`
        graph = Graph()
        for triple in ordered:
            graph.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )
        return compact(graph, base)
    if fmt in ("trig", "nquads"):
        name = ox.NamedNode(graph_name or "urn:qualgraph:study")
        ordered = (ox.Quad(t.subject, t.predicate, t.object, name) for t in ordered)
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    if base:
        prefixes |= data_prefixes(base)
    data = ox.serialize(ordered, format=FORMATS[fmt], prefixes=prefixes)  # no file: bytes
    text = (data or b"").decode("utf-8")
    return visible(text) if fmt == "rdfxml" else text  # XML cannot carry control characters
