"""Run SPARQL on an in-memory Oxigraph store built from a study's triples.

rdflib stays the API; heavy SPARQL (named queries, SHACL-SPARQL constraints) runs on pyoxigraph,
which is far faster than rdflib's engine on study-shaped graphs (docs/design.md). Parameters are
passed as substitutions (SEP-0007), never pasted into the query text.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib.term import Node

from qualgraph.rdf.namespaces import PREFIXES
from qualgraph.rdf.terms import NTriple, NTriples, Selection, document, to_ox

QUERY_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
"""Predeclared in every query, so `--sparql` text can say `qg:Code` without PREFIX lines."""


Graphs = NTriples | Iterable[tuple[Node, Node, Node]]
"""What a store can be made from: the emitter's N-Triples, or rdflib Graphs and triple lists."""


def to_store(*graphs: Graphs) -> ox.Store:
    """An in-memory Oxigraph store holding the union of `graphs`."""
    store = ox.Store()
    for graph in graphs:
        add_to_store(store, graph)
    return store


def add_to_store(store: ox.Store, graph: Graphs) -> None:
    """Add `graph`. The emitter's triples go in as one N-Triples document, which Oxigraph parses
    and indexes without holding the GIL; rdflib triples go in term by term, so that their blank
    nodes keep their labels.

    N-Triples are loaded leniently (IRIs not checked again: a third faster): they were written
    by the emitter or printed by Oxigraph, and a test parses the emitter's strictly."""
    if isinstance(graph, NTriples):
        store.load(graph.text(), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    else:
        # an rdflib graph's subjects are IRIs or blank nodes and its predicates IRIs
        store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]


class BackgroundLoader:
    """Loads triples into a store on a worker thread while the caller makes more.

    Oxigraph parses and indexes an N-Triples document without holding the GIL, so emitting a
    study (Python) and loading it (Rust) run at the same time on two cores. Batches double from
    25,000 triples up to `batch`: each hand-over waits for the GIL, which a busy emitter gives up
    only every few milliseconds (so one batch per trace is too many), but a
    small study should not wait for its first batch until it is nearly emitted."""

    def __init__(
        self,
        store: ox.Store,
        select: Callable[[], Selection | None] | None = None,
        batch: int = 100_000,
        ready: Callable[[], bool] | None = None,
        threaded: bool = True,
    ) -> None:
        """`select()` gives the triples to load (None: all). It is called once, for the first
        batch, and not before `ready()` says it can answer at once (triples pile up meanwhile),
        so that the selection can be worked out elsewhere while the triples are made.
        `threaded=False` loads each batch in the caller's thread (no thread is started)."""
        self._threaded = threaded
        self.store, self.batch = store, batch
        self._select, self._ready = select, ready
        self._keep: Selection | None = None
        self._size = min(batch, 25_000)  # the next batch's: small first, so the store starts soon
        self._pending: list[NTriple] = []
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        # Started with the first batch: a study may still be read in forked processes before.
        self._thread = threading.Thread(target=self._work, name="qualgraph-store", daemon=True)

    def add(self, triples: Iterable[NTriple]) -> None:
        """Queue `triples`; a large chunk (a whole graph) goes out in batches, so that the store
        starts on the first batch while the next is being written."""
        pending = self._pending
        pending.extend(triples)
        if self._select is not None and self._ready is not None and not self._ready():
            return
        start = 0
        while len(pending) - start >= self._size:
            self._put(pending[start : start + self._size])
            start += self._size
            self._size = min(2 * self._size, self.batch)
        if start:
            self._pending = pending[start:]

    def close(self) -> None:
        """Wait until every triple is in the store; re-raise what loading raised."""
        self._put(self._pending)
        self._pending = []
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def _put(self, triples: list[NTriple]) -> None:
        if not triples:
            return
        if self._select is not None:
            self._keep, self._select = self._select(), None
        if (data := document(triples, self._keep)) and not self._threaded:
            self.store.load(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        elif data:
            if not self._thread.is_alive():
                self._thread.start()
            self._queue.put(data)

    def _work(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.store.load(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
                except BaseException as exc:  # handed to the caller by close()
                    self._error = exc
