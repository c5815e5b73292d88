"""Load RDF files written earlier (by `qualgraph export` or any tool) into an Oxigraph store.

Queries then need not reload the traces. Files are parsed by Oxigraph (about 15x faster than
rdflib); quads of named graphs (TriG, N-Quads) are merged into the default graph, so a query
sees one study whatever the syntax it was saved in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError

RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}
"""Explicit, because Oxigraph reads `.txt` as N-Triples and `.txt` is also a trace suffix."""


def rdf_format(path: Path) -> ox.RdfFormat | None:
    """The RDF syntax a file name says, or None for anything else (a trace, a folder)."""
    return RDF_SUFFIXES.get(path.suffix.lower())


def load_rdf(paths: Sequence[Path]) -> ox.Store:
    """One store holding every triple of `paths` in its default graph."""
    store = ox.Store()
    for path in paths:
        fmt = rdf_format(path)
        if fmt is None:
            raise InputError(f"{path}: not an RDF file name ({', '.join(RDF_SUFFIXES)})")
        try:
            store.load(path=path, format=fmt)
        except OSError as exc:
            raise InputError(f"{path}: cannot read the file: {exc.strerror or str(exc)}") from exc
        except SyntaxError as exc:
            raise InputError(f"{path}: not valid {fmt.name}: {exc.msg}") from exc
    for graph in list(store.named_graphs()):
        store.extend(
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            for q in store.quads_for_pattern(None, None, None, graph)
        )
        store.remove_graph(graph)
    return store
