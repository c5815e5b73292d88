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
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .locate import Locator
from .resources import ONTOLOGY_FILE, ontology_graph, resource_dir
from .results import ValidationReport, ValidationResult
from .shacl import OxigraphEngine
from .shapes import UnsupportedShape, load_shapes, read_shapes, shacl_path, shape_name
from .store import to_store
from .study import natural_key
from .vocabulary import HEADER_KEYS

Triple = tuple[Node, Node, Node]

ENGINES = ("oxigraph", "pyshacl")


def validate(
    graph: Iterable[Triple], shapes: Graph | None = None, engine: str = "oxigraph"
) -> ValidationReport:
    """Run `shapes` (default: the bundled ones) on the study graph (an rdflib Graph or the
    triples of `emit.emit_triples`); results in file and line order."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    shapes = shapes if shapes is not None else load_shapes()
    specs = read_shapes(shapes) if engine == "oxigraph" else ()
    start = time.perf_counter()
    store = _store(graph)
    timings = [("(store)", time.perf_counter() - start)]
    if engine == "oxigraph":
        results, shape_timings = OxigraphEngine(store).run(specs)
        timings.extend(shape_timings)
    else:
        data = graph if isinstance(graph, Graph) else _graph(graph)
        results = _pyshacl(data, shapes, _ontology())
    start = time.perf_counter()
    locator = Locator(store)
    located = {_located(result, locator) for result in results}
    timings.append(("(locate)", time.perf_counter() - start))
    return ValidationReport(tuple(sorted(located, key=_order)), engine, tuple(timings))


def _store(graph: Iterable[Triple]) -> ox.Store:
    """The data and the ontology in one Oxigraph store. The ontology is parsed by Oxigraph from
    its Turtle file (rdflib's copy gets canonical blank nodes for export, which costs ~1 s)."""
    store = to_store(graph)
    store.load(path=str(resource_dir("ontology") / ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    return store


@cache
def _ontology() -> Graph:
    """The ontology as an rdflib Graph for pySHACL, parsed once per process (only read)."""
    return ontology_graph()


def _graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def _pyshacl(graph: Graph, shapes: Graph, ontology: Graph) -> list[ValidationResult]:
    try:
        _, report, _ = pyshacl.validate(
            graph, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
        )
    except ReportableRuntimeError as exc:
        raise UnsupportedShape(f"pySHACL cannot run these shapes: {exc}") from exc
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(node, SH.sourceShape)
        path = report.value(node, SH.resultPath)
        messages = sorted(
            str(m) for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)
        )
        results.append(
            ValidationResult(
                focus=report.value(node, SH.focusNode),
                shape=shape,
                shape_name=shape_name(shapes, shape),
                component=report.value(node, SH.sourceConstraintComponent),
                path=shacl_path(report, path) if path is not None else None,
                value=report.value(node, SH.value),
                message=" ".join(messages),
                severity=report.value(node, SH.resultSeverity),
            )
        )
    return results


def _located(result: ValidationResult, locator: Locator) -> ValidationResult:
    """At the header field the value came from, else where the focus node was written."""
    key = HEADER_KEYS.get(result.path) if isinstance(result.path, URIRef) else None
    location = (key and locator.locate_field(result.focus, key)) or locator.locate(result.focus)
    return replace(result, file=location[0], line=location[1]) if location else result


def _order(result: ValidationResult) -> tuple[object, ...]:
    return (
        natural_key(Path(result.file or "")),
        result.line or 0,
        str(result.shape),
        str(result.focus),
        str(result.value),
    )
