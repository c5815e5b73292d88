"""Map a node of the study graph back to the trace file and line it was read from.

Every node derived from a file has prov:wasDerivedFrom its document (which has qg:filePath) and
qg:startLine. A code has no line of its own: it is placed at its first definition, or, when it
is never defined, at its first use (a statement mentioning it, a grounding, a claim). "First"
means the earliest document in study order (qg:position), then the earliest line.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from .namespaces import OA, QG

Location = tuple[str, int]

_USES = (QG.mentions, OA.hasBody, QG.claimedCode)


class Locator:
    """Finds locations in one graph, caching documents (position, path)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._documents: dict[Node, tuple[int, str] | None] = {}

    def locate(self, node: Node) -> Location | None:
        own = self._own(node)
        if own is not None:
            return own[1:]
        for candidates in (
            self.graph.objects(node, QG.definedBy),
            (user for predicate in _USES for user in self.graph.subjects(predicate, node)),
        ):
            found = [place for place in map(self._own, candidates) if place is not None]
            if found:
                return min(found)[1:]
        return None

    def _own(self, node: Node) -> tuple[int, str, int] | None:
        """(document position, file, line) of a node that carries provenance itself."""
        documents = [d for d in map(self._document, self.graph.objects(node, PROV.wasDerivedFrom)) if d]
        lines = [line.toPython() for line in self.graph.objects(node, QG.startLine)]
        if not documents:
            return None
        position, path = min(documents)
        return position, path, min((int(line) for line in lines), default=0)

    def _document(self, node: Node) -> tuple[int, str] | None:
        if node not in self._documents:
            path = self.graph.value(node, QG.filePath) if isinstance(node, URIRef) else None
            position = self.graph.value(node, QG.position)
            self._documents[node] = (
                (int(position.toPython()) if position is not None else 0, str(path)) if path is not None else None
            )
        return self._documents[node]
