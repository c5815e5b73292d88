"""The three forms a term takes, and the conversions between them.

N-Triples strings are what the emitter writes and Oxigraph reads; Oxigraph terms are what the
store answers with; rdflib terms are the library's API (and pySHACL's input).

A large study has millions of triples. Made as rdflib terms they are costly (URIRef validation,
Literal casting, Python-level hashing); as strings (`<iri>`, `"text"`, `"5"^^<…#integer>`) they
are an order of magnitude cheaper, hash in C, and reach Oxigraph as one N-Triples
text that it parses outside the GIL. rdflib terms are made only for API users (`to_rdflib`).

Terms are written exactly as Oxigraph prints them, so a triple has one spelling whichever way
it came in, and sorting the lines gives the same canonical order as sorting Oxigraph triples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, cast, overload

import pyoxigraph as ox
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DefinedNamespace
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
XSD_BOOLEAN = "<http://www.w3.org/2001/XMLSchema#boolean>"

NTriple = tuple[str, str, str]

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""Any term Oxigraph gives back (pyoxigraph names no union of them)."""

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
_ESCAPES |= {chr(c): f"\\u{c:04X}" for c in [*range(32), 127] if chr(c) not in _ESCAPES}
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: str) -> str:
    """A plain (xsd:string) literal. Scans and replacements in C, which were twice as fast as
    one regular expression on quote-like text; the rare other control characters (which make a
    string unprintable, as do some harmless characters) go through a regular expression."""
    if not value.isprintable():
        value = (
            value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if not value.isprintable():
            value = _OTHER_CONTROLS.sub(_escape, value)
    elif '"' in value or "\\" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"'


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


@lru_cache(maxsize=100_000)
def integer(value: int) -> str:
    """xsd:integer literals, made once each: line numbers repeat across a study."""
    return f'"{value}"{"^^"}{XSD_INTEGER}'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^{XSD_BOOLEAN}'


def lexical(term: str) -> str:
    """The text of a literal term as written by `literal` or `integer` (escapes undone)."""
    if "\\" in term:
        return ox_term(term).value
    return term[1 : term.rindex('"')]


@lru_cache(maxsize=100_000)
def term(node: Node) -> str:
    """An rdflib term in N-Triples form (vocabulary constants, values of lookup tables)."""
    return str(_to_ox(node))


@lru_cache(maxsize=500_000)
def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


@lru_cache(maxsize=500_000)
def _to_rdflib(term: object) -> Node | None:
    """A pyoxigraph term as an rdflib term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # rdflib keeps plain strings without a datatype
        # as stored: rdflib would rewrite an ill-typed "none"^^xsd:boolean as "false"
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


class _ToOx(Protocol):
    """`to_ox`'s types: an IRI gives a NamedNode, a blank node a BlankNode, a literal a Literal."""

    @overload
    def __call__(self, term: URIRef, /) -> ox.NamedNode: ...
    @overload
    def __call__(self, term: BNode, /) -> ox.BlankNode: ...
    @overload
    def __call__(self, term: Literal, /) -> ox.Literal: ...
    @overload
    def __call__(self, term: Node, /) -> ox.NamedNode | ox.BlankNode | ox.Literal: ...


to_ox = cast(_ToOx, _to_ox)
"""An rdflib term as a pyoxigraph term (the cached function itself: no extra call per term)."""


class _ToRdflib(Protocol):
    """`to_rdflib`'s types: a term gives a term, None (an unbound variable) gives None."""

    @overload
    def __call__(self, term: None, /) -> None: ...
    @overload
    def __call__(self, term: OxTerm, /) -> Node: ...
    @overload
    def __call__(self, term: OxTerm | None, /) -> Node | None: ...


to_rdflib = cast(_ToRdflib, _to_rdflib)
"""A pyoxigraph term as an rdflib term (the cached function itself: no extra call per term)."""


class NTriplesNamespace:
    """`QG.Quote`-style access to a namespace's terms in N-Triples form, each made once."""

    def __init__(self, namespace: Namespace | type[DefinedNamespace]) -> None:
        self._namespace = str(namespace)

    def __getattr__(self, name: str) -> str:
        """Called once per term: the term is then an instance attribute, which Python finds
        without calling this (the emitter looks terms up millions of times)."""
        if name.startswith("__"):
            raise AttributeError(name)
        value = iri(self._namespace + name)
        setattr(self, name, value)
        return value


def ox_term(text: str) -> ox.NamedNode | ox.Literal:
    """One N-Triples term as an Oxigraph term (parsed by Oxigraph, escapes and all)."""
    (quad,) = ox.parse(f"<urn:x:s> <urn:x:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES)
    return quad.object


RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass(frozen=True)
class Selection:
    """Triples whose predicate is in `predicates`, and rdf:type triples whose class is in
    `classes` (N-Triples terms)."""

    predicates: frozenset[str]
    classes: frozenset[str]


def document(triples: Iterable[NTriple], keep: Selection | None = None) -> bytes:
    """`triples` as an N-Triples document, optionally only those `keep` selects."""
    if keep is not None:
        predicates, classes = keep.predicates, keep.classes
        triples = [
            t for t in triples if t[1] in predicates or (t[1] == RDF_TYPE and t[2] in classes)
        ]
    return "".join([f"{s} {p} {o} .\n" for s, p, o in triples]).encode("utf-8")


@dataclass(frozen=True)
class NTriples:
    """The triples of a graph in N-Triples form, each once, in the order they were made."""

    triples: list[NTriple]

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self) -> Iterator[NTriple]:
        return iter(self.triples)

    def text(self) -> bytes:
        """The N-Triples document."""
        return document(self.triples)

    def sorted_text(self) -> bytes:
        """The document with its lines sorted (and each once): the canonical order of `export`."""
        return "".join(sorted({f"{s} {p} {o} .\n" for s, p, o in self.triples})).encode("utf-8")

    def to_rdflib(self) -> list[tuple[Node, Node, Node]]:
        """The triples as rdflib terms (parsed by Oxigraph, converted once per distinct term)."""
        return [
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            for q in ox.parse(self.text(), format=ox.RdfFormat.N_TRIPLES)
        ]

    @classmethod
    def from_rdflib(cls, triples: Iterable[tuple[Node, Node, Node]]) -> NTriples:
        """rdflib triples (a Graph or a list) in N-Triples form, duplicates dropped."""
        return cls(list(dict.fromkeys((term(s), term(p), term(o)) for s, p, o in triples)))
