"""Load RDF files written earlier (by `qualgraph export` or any tool) into an Oxigraph store.

Queries then need not reload the traces. Files are parsed by Oxigraph (about 15x faster than
rdflib); quads of named graphs (TriG, N-Quads) are merged into the default graph, so a query
sees one study whatever the syntax it was saved in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF

from .errors import InputError
from .namespaces import QG

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
    """One store holding every triple of `paths` in its default graph.

    Two files holding the same study (the same codebook IRI: two exports made with the same
    base) are an error that names both, since merging them would mix their nodes."""
    store: ox.Store | None = None
    studies: dict[str, Path] = {}
    for path in paths:
        loaded = _load_file(path)
        for quad in loaded.quads_for_pattern(None, _TYPE, _CODEBOOK, None):
            study = quad.subject.value.removesuffix("codebook")
            if study in studies and studies[study] != path:
                raise InputError(
                    f"{studies[study]} and {path} both hold the study <{study}>: their IRIs "
                    "collide; export one of them again with another --base"
                )
            studies[study] = path
        if store is None:
            store = loaded
        else:
            store.bulk_extend(loaded)
    store = store if store is not None else ox.Store()
    for graph in list(store.named_graphs()):
        store.extend(
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            for q in store.quads_for_pattern(None, None, None, graph)
        )
        store.remove_graph(graph)
    return store


_TYPE = ox.NamedNode(str(RDF.type))
_CODEBOOK = ox.NamedNode(str(QG.Codebook))


def _load_file(path: Path) -> ox.Store:
    fmt = rdf_format(path)
    if fmt is None:
        raise InputError(f"{path}: not an RDF file name ({', '.join(RDF_SUFFIXES)})")
    store = ox.Store()
    try:
        store.load(path=path, format=fmt)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file: {exc.strerror or str(exc)}") from exc
    except SyntaxError as exc:
        raise InputError(f"{path}: not valid {fmt.name}: {exc.msg}") from exc
    return store
