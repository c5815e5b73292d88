"""Validate a study graph against the SHACL shapes and locate every result at file:line.

Two engines give the same results: `oxigraph` (the default) compiles the shapes into set-based
SPARQL on an Oxigraph store and runs in about a second on a real study; `pyshacl` is the
reference implementation, run on plain rdflib graphs (pySHACL 0.40.1 on an Oxigraph-backed
store was measured to give wrong `sh:in` results), and is the oracle the tests compare with.
Both load the ontology next to the data, so that class targets follow rdfs:subClassOf
(a qg:Pattern is a qg:Practice is a qg:DesignSolution).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace
from functools import cache, partial
from typing import cast

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from qualgraph.rdf.ontology_map import HEADER_KEYS
from qualgraph.rdf.store import BackgroundLoader, Graphs, add_to_store
from qualgraph.rdf.terms import NTriple, NTriples, Selection, term
from qualgraph.resources import ONTOLOGY_FILE, ontology_graph, resource_dir
from qualgraph.runtime.memory import paused_gc
from qualgraph.runtime.policy import current_policy
from qualgraph.runtime.workers import Forked, available_cpus
from qualgraph.shacl.engine import OxigraphEngine
from qualgraph.shacl.focus_engine import FocusEngine, Rewritten, rewritten_literals
from qualgraph.shacl.footprint import Footprint, footprint
from qualgraph.shacl.locate import Locator
from qualgraph.shacl.results import ValidationReport, ValidationResult
from qualgraph.shacl.shapes import (
    ShapeSpec,
    UnsupportedShape,
    is_true,
    load_shapes,
    plan_shapes,
    shacl_path,
    shape_name,
    targeted,
)
from qualgraph.study.load import natural_key

ENGINES = ("oxigraph", "pyshacl")


def validate(
    graph: Graphs,
    shapes: Graph | None = None,
    engine: str = "oxigraph",
    ontology: bool = True,
    allow_service: bool = False,
) -> ValidationReport:
    """Run `shapes` (default: the bundled ones) on the study graph (the `NTriples` of
    `emit.emit_ntriples`, or an rdflib Graph or triple list); results in file and line order.
    `ontology=False` validates any RDF graph on its own (without qualgraph's class hierarchy)."""
    validation = Validation(
        shapes,
        engine,
        # The selection widens classes by the subclasses known when loading starts: a graph
        # with its own rdfs:subClassOf is loaded whole (the emitter writes no class axioms).
        selective=isinstance(graph, NTriples) and all(p != _SUBCLASS_OF for _, p, _ in graph),
        ontology=ontology,
        allow_service=allow_service,
    )
    if isinstance(graph, NTriples):
        validation.add(graph)
    return validation.report(graph)


class Validation:
    """One validation run, fed while the study is emitted: `emit_ntriples(study, sink=v.add)`,
    then `v.report(triples)`.

    With the Oxigraph engine each chunk goes to a background loader, so the store fills while
    the emitter works. `selective` (for the emitter's triples) loads only the triples the shapes
    can see (see `footprint`); the emitter writes no class axioms, so the ontology's suffice to
    widen the shapes' classes to their subclasses."""

    def __init__(
        self,
        shapes: Graph | None = None,
        engine: str = "oxigraph",
        selective: bool = True,
        ontology: bool = True,
        allow_service: bool = False,
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        self.shapes = shapes if shapes is not None else load_shapes()
        self.engine = engine
        self.ontology = ontology
        self.timings: list[tuple[str, float]] = []
        self._loader: BackgroundLoader | None = None
        self._footprint: Forked[Footprint | None] | None = None
        self._selective = False
        plan = plan_shapes(self.shapes, allow_service, engine)  # both engines: refusals come first
        if engine == "oxigraph":
            self.specs = plan.specs
            self.general = plan.general
            self._selective = selective
            self._key = (self.specs, self.general) if not self.general else None
            self._started = time.perf_counter()
            if selective and (self._key is None or self._key not in _FOOTPRINTS):
                # Reading the shapes' SPARQL is slow: a child may do it while this process
                # loads and emits the study; the triples for the store wait for it.
                see = partial(footprint, self.specs, self.shapes, self.general)
                fork = current_policy().footprint_child and available_cpus() > 1
                self._footprint = Forked(see, fork)
            store = ox.Store()
            if ontology:
                path = resource_dir("ontology") / ONTOLOGY_FILE
                store.load(path=str(path), format=ox.RdfFormat.TURTLE)
            self._oxigraph = OxigraphEngine(store)
            self._loader = BackgroundLoader(
                store,
                self._selection if selective else None,
                ready=self._footprint.ready if self._footprint is not None else None,
                threaded=current_policy().background_store,
            )

    def _selection(self) -> Selection | None:
        """The triples the shapes can see (None: all of them)."""
        if self._footprint is not None:
            found = self._footprint.result()
            if self._key is not None:
                _FOOTPRINTS[self._key] = found
        else:
            assert self._key is not None  # no child: the footprint was cached under its key
            found = _FOOTPRINTS[self._key]
        return found.selection(self._oxigraph.subclasses) if found is not None else None

    def add(self, triples: Iterable[NTriple]) -> None:
        """Triples of the study graph, in N-Triples form (a chunk may repeat earlier triples)."""
        if self._loader is not None:
            self._loader.add(triples)

    def report(self, graph: Graphs) -> ValidationReport:
        """Run the shapes once every chunk is in, on the whole `graph` (which locates results)."""
        triples = graph if isinstance(graph, NTriples) else NTriples.from_rdflib(graph)
        if self._loader is not None:
            self._loader.close()
            if self._footprint is not None:
                self._footprint.close()  # not waited for when no triple came
            rewritten: Rewritten = {}
            if not isinstance(graph, NTriples):
                add_to_store(self._oxigraph.store, graph)  # blank nodes keep their labels
                rewritten = rewritten_literals(self._oxigraph.store, graph)
            specs, general = self.specs, self.general
            if rewritten:  # only the general engine gives such literals back as written
                specs = ()
                general = tuple(
                    node
                    for node in targeted(self.shapes)
                    if not is_true(self.shapes.value(node, SH.deactivated))
                )
            self.timings.append(("(store)", time.perf_counter() - self._started))
            start = time.perf_counter()
            results, shape_timings = self._oxigraph.run(specs)
            self.timings.append(("(shapes)", time.perf_counter() - start))
            self.timings.extend(shape_timings)
            if general:
                engine = FocusEngine(self._oxigraph.store, self.shapes, rewritten)
                for node in general:
                    begun = time.perf_counter()
                    results.extend(engine.run(node))
                    self.timings.append(
                        (shape_name(self.shapes, node), time.perf_counter() - begun)
                    )
        else:
            data = graph if isinstance(graph, Graph) else _graph(triples.to_rdflib())
            results = _pyshacl(data, self.shapes, _ontology() if self.ontology else None)
        start = time.perf_counter()
        located = _locate(results, triples)
        self.timings.append(("(locate)", time.perf_counter() - start))
        return ValidationReport(
            tuple(sorted(located, key=_order)), self.engine, tuple(self.timings)
        )


_SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"

_FOOTPRINTS: dict[tuple[tuple[ShapeSpec, ...], tuple[Node, ...]], Footprint | None] = {}
"""Footprints worked out in this process, by compiled shapes when no shape runs in the general
engine (a test suite validates hundreds of times); a general shape is read from its graph."""


@cache
def _ontology() -> Graph:
    """The ontology as an rdflib Graph for pySHACL, parsed once per process (only read)."""
    return ontology_graph()


def _graph(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def _pyshacl(graph: Graph, shapes: Graph, ontology: Graph | None) -> list[ValidationResult]:
    """pySHACL's top-level results (the report's sh:result, not the nested sh:detail ones), one
    per result it reports (duplicates kept). pySHACL returns some failures as the report."""
    import pyshacl  # the oracle: imported only when asked for (it adds ~0.15 s to every start)
    from pyshacl.errors import ReportableRuntimeError

    try:
        _, report, _ = pyshacl.validate(
            graph, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
        )
    except ReportableRuntimeError as exc:
        raise UnsupportedShape(f"pySHACL cannot run these shapes: {_first_line(exc)}") from exc
    except Exception as exc:  # pySHACL fails in many ways on shapes it cannot run, never cleanly
        raise UnsupportedShape(
            f"pySHACL cannot run these shapes: {type(exc).__name__}: {_first_line(exc)}"
        ) from exc
    if not isinstance(report, Graph):  # a ValidationFailure, returned rather than raised
        raise UnsupportedShape(f"pySHACL cannot run these shapes: {_first_line(report)}")
    results = []
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for node in report.objects(top, SH.result):
            # SHACL 3.6: every result has exactly one focus node, source shape, component and
            # severity, so these values are never None in a report pySHACL made
            focus = cast(Node, report.value(node, SH.focusNode))
            shape = cast(Node, report.value(node, SH.sourceShape))
            path = report.value(node, SH.resultPath)
            messages = sorted(
                str(m) for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)
            )
            results.append(
                ValidationResult(
                    focus=focus,
                    shape=shape,
                    shape_name=shape_name(shapes, shape),
                    component=cast(URIRef, report.value(node, SH.sourceConstraintComponent)),
                    path=shacl_path(report, path) if path is not None else None,
                    value=report.value(node, SH.value),
                    message=" ".join(messages),
                    severity=cast(URIRef, report.value(node, SH.resultSeverity)),
                )
            )
    return results


def _first_line(error: object) -> str:
    """pySHACL's messages run over several lines (with a reference link): the first says it."""
    text = str(getattr(error, "message", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _locate(results: Iterable[ValidationResult], triples: NTriples) -> list[ValidationResult]:
    """Each result at the header field its value came from, else where its focus node was
    written."""
    results = list(results)
    with paused_gc():
        locator = Locator(triples, {term(result.focus) for result in results})
    located = []  # a list: SHACL reports a result once per violation, duplicates included
    for result in results:
        focus = term(result.focus)
        key = HEADER_KEYS.get(result.path) if isinstance(result.path, URIRef) else None
        location = (key and locator.locate_field(focus, key)) or locator.locate(focus)
        located.append(replace(result, file=location[0], line=location[1]) if location else result)
    return located


def _order(result: ValidationResult) -> tuple[object, ...]:
    return (
        natural_key(result.file or ""),
        result.line or 0,
        str(result.shape),
        str(result.focus),
        str(result.value),
    )
