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

from .namespaces import oa, prov, qg
from .terms import NTriples, lexical

Location = tuple[str, int | None]
_Place = tuple[int, int, str]  # (document position, line, file): ordered as "first"

DERIVED_FROM, START_LINE = prov.wasDerivedFrom, qg.startLine
FILE_PATH, POSITION, FIELD_OF, FIELD_KEY = qg.filePath, qg.position, qg.fieldOf, qg.fieldKey
DEFINED_BY = qg.definedBy
USES = frozenset({qg.mentions, oa.hasBody, qg.claimedCode})
_DOCUMENT = frozenset({FILE_PATH, POSITION})
_PLACE = frozenset({DERIVED_FROM, START_LINE, FIELD_KEY})
_READ = _DOCUMENT | _PLACE | USES | {DEFINED_BY, FIELD_OF}  # every predicate a place is read from


class Locator:
    """The places of `nodes` (N-Triples terms) in `triples`, and of their header fields."""

    def __init__(self, triples: NTriples, nodes: Iterable[str]) -> None:
        wanted = set(nodes)
        # Two passes, each one comprehension with cheap set tests (~0.1 s per million triples):
        # the triples about or pointing at the nodes, and the documents; then those of carriers.
        first = [
            t
            for t in triples
            if t[1] in _READ and (t[0] in wanted or t[2] in wanted or t[1] in _DOCUMENT)
        ]
        definers: dict[str, list[str]] = defaultdict(list)
        users: dict[str, list[str]] = defaultdict(list)
        fields: dict[str, str] = {}
        documents: dict[str, dict[str, str]] = defaultdict(dict)
        for s, p, o in first:
            if p in _DOCUMENT:
                documents[s][p] = o
            elif p == DEFINED_BY and s in wanted:
                definers[s].append(o)
            elif p == FIELD_OF and o in wanted:
                fields[s] = o
            elif p in USES and o in wanted:
                users[o].append(s)
        carriers = {c for found in (definers, users) for cs in found.values() for c in cs}
        carriers |= fields.keys()
        second = [t for t in triples if t[1] in _PLACE and t[0] in carriers] if carriers else []
        derived: dict[str, list[str]] = defaultdict(list)
        lines: dict[str, int] = {}
        keys: dict[str, str] = {}
        for s, p, o in [*(t for t in first if t[0] in wanted), *second]:
            if p == DERIVED_FROM:
                derived[s].append(o)
            elif p == START_LINE:
                lines[s] = int(lexical(o))
            elif p == FIELD_KEY:
                keys[s] = lexical(o)
        self._files = {
            document: (int(lexical(values[POSITION])), lexical(values[FILE_PATH]))
            for document, values in documents.items()
            if POSITION in values and FILE_PATH in values
        }
        self._derived, self._lines = derived, lines
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
        places = [place for node in nodes if (place := self._place(node)) is not None]
        if not places:
            return None
        _, line, file = min(places)
        return file, line

    def _place(self, node: str) -> _Place | None:
        line = self._lines.get(node)
        if line is None:
            return None
        for document in self._derived.get(node, ()):
            if document in self._files:
                position, file = self._files[document]
                return position, line, file
        return None
