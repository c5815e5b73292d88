"""Serialise a graph deterministically: the same study gives byte-identical output.

Triples are copied into a fresh graph in sorted order first, so every serializer sees the same
insertion order; Turtle and N-Triples are additionally sorted by rdflib / by line.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef

from .namespaces import PREFIXES

FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "trig": "trig",
}
"""Format names offered to the user → rdflib serializer names."""

SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf", "trig": ".trig"}


def canonical(graph: Graph) -> Graph:
    """A copy of `graph` whose triples were added in sorted order, with the same prefixes."""
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(graph):
        copy.add(triple)
    return copy


def serialize(graph: Graph, fmt: str = "turtle", graph_name: str | None = None) -> str:
    """Serialise `graph` in one of FORMATS; TriG puts it in the named graph `graph_name`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    ordered = canonical(graph)
    if fmt == "trig":
        dataset = Dataset()
        for prefix, namespace in ordered.namespaces():
            dataset.bind(prefix, namespace, replace=True)
        named = dataset.graph(URIRef(graph_name or "urn:qualgraph:study"))
        for triple in ordered:
            named.add(triple)
        return dataset.serialize(format="trig")
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return ordered.serialize(format="json-ld", context=context, sort_keys=True, indent=1)
    text = ordered.serialize(format=FORMATS[fmt])
    if fmt == "ntriples":
        return "".join(sorted(text.splitlines(keepends=True)))
    return text
