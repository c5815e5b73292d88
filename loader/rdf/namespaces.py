"""Namespaces and the one place data IRIs are minted.

Data IRIs live under a study base IRI the user can set (`--base`). They are readable and
anchored on what a researcher recognises: the source id, the trace file, the line.
"""

from __future__ import annotations

from functools import cache, lru_cache
from urllib.parse import quote

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from qualgraph.rdf.terms import NTriplesNamespace


class _CachedNamespace(Namespace):
    """A Namespace that makes each term once: emitting a study asks for them ~10^5 times."""

    @cache  # noqa: B019 - namespaces live as long as the process
    def term(self, name: str) -> URIRef:
        return super().term(name)

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.term(name)

    def __getitem__(self, key: str) -> URIRef:  # type: ignore[override]  # a term, never a slice of the IRI
        return self.term(key)


QG = _CachedNamespace("https://w3id.org/qualgraph/ontology#")
OA = _CachedNamespace("http://www.w3.org/ns/oa#")
DEFAULT_BASE = "https://w3id.org/qualgraph/study/"

qg, oa, rdf, rdfs = (
    NTriplesNamespace(QG),
    NTriplesNamespace(OA),
    NTriplesNamespace(RDF),
    NTriplesNamespace(RDFS),
)
prov, dcterms, skos = NTriplesNamespace(PROV), NTriplesNamespace(DCTERMS), NTriplesNamespace(SKOS)
"""The same vocabularies in N-Triples form (`qg.Quote` is "<…#Quote>"), as the emitter writes."""

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "qg": QG,
    "oa": OA,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}


def data_prefixes(base: str) -> dict[str, str]:
    """Prefixes for the study's own nodes, so Turtle reads `code:end_to_end`, `source:s25`."""
    base = Iris(base).base
    return {
        "study": base,
        "code": base + "code/",
        "source": base + "source/",
        "document": base + "document/",
    }


def bind_prefixes(graph: Graph, base: str) -> None:
    """Bind the vocabulary and data prefixes on an rdflib graph."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    for prefix, iri in data_prefixes(base).items():
        graph.bind(prefix, Namespace(iri), replace=True)


@lru_cache(maxsize=100_000)
def _segment(text: str) -> str:
    return quote(text, safe="-_.~", errors="surrogateescape")  # a file name's non-UTF-8 bytes


class Iris:
    """Mints every data IRI of a study under `base`, as rdflib URIRefs."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base

    def _make(self, text: str) -> URIRef:
        return URIRef(text)

    def _text(self, node: URIRef) -> str:
        return str(node)

    def codebook(self) -> URIRef:
        return self._make(self.base + "codebook")

    def source(self, source_id: str) -> URIRef:
        return self._make(f"{self.base}source/{_segment(source_id)}")

    def code(self, identifier: str) -> URIRef:
        return self._make(f"{self.base}code/{_segment(identifier)}")

    def document(self, slug: str) -> URIRef:
        return self._make(f"{self.base}document/{_segment(slug)}")

    def part(self, parent: URIRef, *steps: object) -> URIRef:
        """A node inside a document or another node: `<parent>/segment/3`, `<parent>/quote/37`."""
        return self._make(self._text(parent) + "".join("/" + _segment(str(s)) for s in steps))


class NTriplesIris(Iris):
    """The same IRIs in N-Triples form (`<…>`), as the emitter writes them."""

    def _make(self, text: str) -> str:  # type: ignore[override]
        return f"<{text}>"

    def _text(self, node: str) -> str:
        return node[1:-1]

    def part(self, parent: str, *steps: object) -> str:  # type: ignore[override]
        """As `Iris.part`, without unwrapping: the emitter calls this ~10^6 times."""
        return parent[:-1] + self.tail(*steps)

    def tail(self, *steps: object) -> str:
        """What `part` appends to its parent (without its `>`): `/grounding/reuse>`, for a loop
        that makes the same part of many parents."""
        return _tail(steps)


@lru_cache(maxsize=100_000)
def _tail(steps: tuple[object, ...]) -> str:
    """Cached: a study's parts are a few kinds at a few thousand line numbers, made millions of
    times (`("quote", 37)` in every trace with a quote on line 37)."""
    return "".join(["/" + _segment(str(step)) for step in steps]) + ">"
