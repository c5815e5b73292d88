"""Map a node of the study graph back to the file and line it was read from.

Every node derived from a file has prov:wasDerivedFrom its document (which has qg:filePath) and
qg:startLine. A code has no line of its own: it is placed at its first definition, or, when it
is never defined, at its first use (a statement mentioning it, a grounding, a claim). "First"
is the earliest document in study order (qg:position), then the earliest line.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.term import Node

from .store import to_ox

Location = tuple[str, int | None]

_SELECT = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX qg: <https://w3id.org/qualgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?node ?file ?position ?line WHERE {
"""
_AT = (
    "prov:wasDerivedFrom ?document ; qg:startLine ?line . "
    "?document qg:filePath ?file ; qg:position ?position . } "
    "ORDER BY ?position ?line LIMIT 1"
)

_STEPS: tuple[tuple[str, ...], ...] = (
    (_SELECT + "?node " + _AT,),
    (_SELECT + "?node qg:definedBy ?carrier . ?carrier " + _AT,),
    tuple(
        _SELECT + f"?carrier {use} ?node . ?carrier " + _AT
        for use in ("qg:mentions", "oa:hasBody", "qg:claimedCode")
    ),
)
"""Where to look, in order; the first step that finds a place wins, the earliest place in it
(each query returns its earliest place; a code used in thousands of files sorts them in Oxigraph).
Each query is one basic graph pattern: Oxigraph pushes a substituted ?node into a plain pattern,
but plans a UNION or an OPTIONAL around it as if ?node were unbound (100x slower)."""


_FIELD = (
    _SELECT.replace("SELECT ?node", "SELECT ?node ?key")
    + "?field qg:fieldOf ?node ; qg:fieldKey ?key ; "
    + _AT
)
"""The line of a source's `## key` header field (?node and ?key are substituted, so projected)."""


class Locator:
    """Locates nodes in one store, a few small queries per distinct node."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._cache: dict[Node, Location | None] = {}

    def locate(self, node: Node) -> Location | None:
        if node not in self._cache:
            self._cache[node] = self._find(node)
        return self._cache[node]

    def locate_field(self, node: Node, key: str) -> Location | None:
        """Where the header field `key` of source `node` was written, if it was."""
        substitutions = {ox.Variable("node"): to_ox(node), ox.Variable("key"): ox.Literal(key)}
        for row in self.store.query(_FIELD, substitutions=substitutions):
            return row["file"].value, int(row["line"].value)
        return None

    def _find(self, node: Node) -> Location | None:
        substitutions = {ox.Variable("node"): to_ox(node)}
        for step in _STEPS:
            places = [
                (int(row["position"].value), int(row["line"].value), row["file"].value)
                for query in step
                for row in self.store.query(query, substitutions=substitutions)
            ]
            if places:
                _, line, file = min(places)
                return file, line
        return None
