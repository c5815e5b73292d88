"""Map nodes of the study graph back to the file and line they were read from.

Every node derived from a file has prov:wasDerivedFrom its document (which has qg:filePath and
qg:position) and qg:startLine. A code has no line of its own: it is placed at its first
definition, or, when it is never defined, at its first use (a statement mentioning it, a
grounding, a claim). "First" is the earliest document in study order, then the earliest line.

The places are read from the triples themselves, in two passes for all the nodes of a report at
once, rather than from the store: validation loads only the triples its shapes look at, and
provenance is a third of a study's triples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from qualgraph.rdf.namespaces import oa, prov, qg
from qualgraph.rdf.terms import NTriples, lexical

Location = tuple[str, int | None]

DERIVED_FROM, START_LINE = prov.wasDerivedFrom, qg.startLine
FILE_PATH, POSITION, FIELD_OF, FIELD_KEY = qg.filePath, qg.position, qg.fieldOf, qg.fieldKey
DEFINED_BY = qg.definedBy
USES = frozenset({qg.mentions, oa.hasBody, qg.claimedCode})
_PLACE = frozenset({DERIVED_FROM, START_LINE, FIELD_KEY})
_FIRST = _PLACE | USES | {FILE_PATH, DEFINED_BY, FIELD_OF}  # what the first pass reads


class Locator:
    """The places of `nodes` (N-Triples terms) in `triples`, and of their header fields."""

    def __init__(self, triples: NTriples, nodes: Iterable[str]) -> None:
        wanted = set(nodes)
        # Two passes, each one comprehension with cheap set tests (~0.1 s per million triples):
        # the triples about or pointing at the nodes, and the documents' paths; then the places
        # of the nodes that carry them, and the documents' positions.
        first = [
            t
            for t in triples
            if t[1] in _FIRST and (t[0] in wanted or t[2] in wanted or t[1] == FILE_PATH)
        ]
        definers: dict[str, list[str]] = defaultdict(list)
        users: dict[str, list[str]] = defaultdict(list)
        fields: dict[str, str] = {}
        paths: dict[str, str] = {}
        for s, p, o in first:
            if p == FILE_PATH:
                paths[s] = o
            elif p == DEFINED_BY and s in wanted:
                definers[s].append(o)
            elif p == FIELD_OF and o in wanted:
                fields[s] = o
            elif p in USES and o in wanted:
                users[o].append(s)
        carriers = {c for found in (definers, users) for cs in found.values() for c in cs}
        carriers |= fields.keys()
        second = [
            t
            for t in triples
            if (t[1] in _PLACE and t[0] in carriers) or (t[1] == POSITION and t[0] in paths)
        ]
        places = [t for t in first if t[0] in wanted and t[1] in _PLACE] + second
        files = self._files = {
            s: (int(lexical(o)), lexical(paths[s])) for s, p, o in second if p == POSITION
        }
        # Comprehensions rather than one loop: an undefined code used in every trace of a large
        # study has hundreds of thousands of users. A node's document is the first it was
        # derived from that is a known file (reversed: in a dict the last key written wins);
        # its start line stays a term until it is compared.
        self._documents = {s: o for s, p, o in reversed(places) if p == DERIVED_FROM and o in files}
        self._lines = {s: o for s, p, o in places if p == START_LINE}
        keys = {s: lexical(o) for s, p, o in places if p == FIELD_KEY}
        self._definers, self._users = definers, users
        self._fields: dict[tuple[str, str], list[str]] = defaultdict(list)
        for field, source in fields.items():
            if field in keys:
                self._fields[source, keys[field]].append(field)

    def locate(self, node: str) -> Location | None:
        """Where `node` was written; for a code, its first definition, else its first use."""
        for step in ([node], self._definers.get(node, ()), self._users.get(node, ())):
            if (found := self._first(step)) is not None:
                return found
        return None

    def locate_field(self, node: str, key: str) -> Location | None:
        """Where the header field `key` of source `node` was first written, if it was."""
        return self._first(self._fields.get((node, key), ()))

    def _first(self, nodes: Iterable[str]) -> Location | None:
        """The earliest place of `nodes`: the first document in study order, then the first
        line (read only for the nodes in that document)."""
        documents, lines, files = self._documents, self._lines, self._files
        placed = [
            (files[document][0], node)
            for node in nodes
            if node in lines and (document := documents.get(node)) is not None
        ]
        if not placed:
            return None
        first = min(position for position, _ in placed)
        line, node = min(
            (int(lexical(lines[node])), node) for position, node in placed if position == first
        )
        return files[documents[node]][1], line
