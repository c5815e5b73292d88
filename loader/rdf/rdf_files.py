"""Load RDF files written earlier (by `qualgraph export` or any tool) into an Oxigraph store.

Queries then need not reload the traces. Files are parsed by Oxigraph (about 15x faster than
rdflib); quads of named graphs (TriG, N-Quads) are merged into the default graph, so a query
sees one study whatever the syntax it was saved in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF

from qualgraph.errors import InputError
from qualgraph.rdf.namespaces import QG

RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".turtle": ox.RdfFormat.TURTLE,
}
"""Explicit, because Oxigraph reads `.txt` as N-Triples and `.txt` is also a trace suffix."""


def rdf_format(path: Path) -> ox.RdfFormat | None:
    """The RDF syntax a file name says, or None for anything else (a trace, a folder)."""
    return RDF_SUFFIXES.get(path.suffix.lower())


MAX_ENTITIES = 100
MAX_ENTITY_LENGTH = 2_000
_DOCTYPE_PREFIX = 1_000_000
_ENTITY = re.compile(
    r"<!ENTITY\s+(%\s*)?([^\s]+)\s+(?:(SYSTEM|PUBLIC)\b|\"([^\"]*)\"|'([^']*)')", re.S
)
_REFERENCE = re.compile(r"[&%][A-Za-z_:][\w.:-]*;")


def check_xml_entities(path: Path) -> None:
    """Refuse RDF/XML whose DTD could expand without bound before a parser sees it.

    Oxigraph's RDF/XML parser expands entities as it reads: the 964-byte "billion laughs" file
    (ten entities of ten references each) did not finish in 20 s. Entities naming other
    entities, external entities, more than `MAX_ENTITIES` of them or longer than
    `MAX_ENTITY_LENGTH` are refused; plain prefix entities (`<!ENTITY xsd "http://...#">`),
    which real RDF/XML uses, are read."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_DOCTYPE_PREFIX).decode("utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file: {exc.strerror or str(exc)}") from exc
    start = head.find("<!DOCTYPE")
    if start < 0:
        return
    end = head.find("]>", start)
    subset = head[start : end if end >= 0 else len(head)]
    entities = _ENTITY.findall(subset)
    refused = None
    if len(entities) > MAX_ENTITIES:
        refused = f"{len(entities)} XML entities (at most {MAX_ENTITIES} are read)"
    for _percent, name, external, double, single in entities:
        value = double or single
        if external:
            refused = (
                f"the XML entity {name} is external ({external}); external entities are not read"
            )
        elif _REFERENCE.search(value):
            refused = (
                f"the XML entity {name} refers to another entity; nested entities are not read"
            )
        elif len(value) > MAX_ENTITY_LENGTH:
            refused = (
                f"the XML entity {name} is {len(value)} characters long "
                f"(at most {MAX_ENTITY_LENGTH} are read)"
            )
        if refused:
            break
    if refused:
        raise InputError(f"{path}: {refused}")


def load_rdf(paths: Sequence[Path]) -> ox.Store:
    """One store holding every triple of `paths` in its default graph.

    Two files holding the same study (the same codebook IRI: two exports made with the same
    base) are an error that names both, since merging them would mix their nodes."""
    store: ox.Store | None = None
    studies: dict[str, Path] = {}
    for path in paths:
        loaded = _load_file(path)
        for quad in loaded.quads_for_pattern(None, _TYPE, _CODEBOOK, None):
            if isinstance(quad.subject, ox.Triple):  # RDF-star: a quoted triple is no codebook
                continue
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
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml_entities(path)
    store = ox.Store()
    try:
        store.load(path=path, format=fmt)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file: {exc.strerror or str(exc)}") from exc
    except SyntaxError as exc:
        raise InputError(f"{path}: not valid {fmt.name}: {exc.msg}") from exc
    return store
