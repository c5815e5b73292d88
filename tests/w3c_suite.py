"""The W3C SHACL test suite (../shared/w3c-shacl-tests): its tests, and a runner that compares a
validation with the expected report as the suite specifies.

Shared by tests/test_w3c_shacl.py and the EARL report script (docs/make_shacl_conformance.py).
A result is compared by focus node, path, value, source shape, constraint component and severity
(messages and sh:sourceConstraint are not compared, as the suite says); results are a multiset.
Blank nodes are matched structurally: by the predicates and non-blank objects they have in their
own graph (a blank node the expected report only names matches any blank node).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rdflib
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from qualgraph.errors import QualgraphError
from qualgraph.shacl.shapes import shacl_path
from qualgraph.shacl.validate import validate

SUITE = Path(__file__).resolve().parent.parent.parent / "shared" / "w3c-shacl-tests"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
FOLDERS = ("core", "sparql")


@dataclass(frozen=True)
class Case:
    """One test of a manifest: its IRI, folder (e.g. core/node) and files."""

    iri: URIRef
    folder: str
    file: Path
    data: Path
    shapes: Path

    @property
    def name(self) -> str:
        return f"{self.folder}/{self.iri.rsplit('/', 1)[-1]}"


@dataclass(frozen=True)
class Outcome:
    """How one engine did on one test: passed, and why not."""

    case: Case
    engine: str
    passed: bool
    detail: str
    seconds: float


@cache
def parse(path: Path) -> Graph:
    """A suite file, parsed once per process (the runner only reads it). Literals are kept as
    written: rdflib would otherwise turn "1"^^xsd:boolean into "true" and an ill-typed
    "none"^^xsd:boolean into "false", which the suite tests on purpose."""
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return Graph().parse(path, format="turtle", publicID=path.as_uri())
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


def _file(iri: Node) -> Path:
    return Path(str(iri).removeprefix("file://"))


def cases() -> list[Case]:
    """Every test listed by the manifests of tests/core and tests/sparql, in manifest order."""
    found: list[Case] = []

    def walk(manifest: Path) -> None:
        graph = parse(manifest)
        for include in graph.objects(None, MF.include):
            walk(_file(include))
        for listing in graph.objects(None, MF.entries):
            for entry in Collection(graph, listing):
                action = graph.value(entry, MF.action)
                folder = manifest.parent.relative_to(SUITE / "tests").as_posix()
                found.append(
                    Case(
                        URIRef(entry),
                        folder,
                        manifest,
                        _file(graph.value(action, SHT.dataGraph)),
                        _file(graph.value(action, SHT.shapesGraph)),
                    )
                )

    for folder in FOLDERS:
        walk(SUITE / "tests" / folder / "manifest.ttl")
    return found


def expected(case: Case) -> tuple[bool, Counter] | None:
    """(conforms, result multiset) the suite expects; None when it expects a failure."""
    graph = parse(case.file)
    report = graph.value(case.iri, MF.result)
    if report == SHT.Failure:
        return None
    conforms = graph.value(report, SH.conforms).toPython()
    keys = Counter(_expected_key(graph, node) for node in graph.objects(report, SH.result))
    return conforms, keys


def _signature(graph: Graph, node: Node) -> object:
    if not isinstance(node, BNode):
        return node
    triples = frozenset(
        (p, "_" if isinstance(o, BNode) else o) for p, o in graph.predicate_objects(node)
    )
    return ("_:", triples)


def _expected_key(graph: Graph, node: Node) -> tuple[object, ...]:
    path = graph.value(node, SH.resultPath)
    return (
        _signature(graph, graph.value(node, SH.focusNode)),
        shacl_path(graph, path).n3() if path is not None else None,
        _signature(graph, graph.value(node, SH.value)),
        _signature(graph, graph.value(node, SH.sourceShape)),
        graph.value(node, SH.sourceConstraintComponent),
        graph.value(node, SH.resultSeverity),
    )


def _matches(want: object, got: object) -> bool:
    if isinstance(want, tuple) and want[:1] == ("_:",):
        return isinstance(got, tuple) and got[:1] == ("_:",) and (not want[1] or want == got)
    return want == got


def _same(want: Counter, got: Counter) -> bool:
    """Multisets equal, an expected blank node with no triples matching any blank node."""
    if sum(want.values()) != sum(got.values()):
        return False
    remaining = list(got.elements())
    for key in want.elements():
        for i, candidate in enumerate(remaining):
            if all(_matches(w, g) for w, g in zip(key, candidate, strict=True)):
                del remaining[i]
                break
        else:
            return False
    return True


def run(case: Case, engine: str) -> Outcome:
    """Validate the case's data with its shapes on `engine` and compare with the expected."""
    want = expected(case)
    data, shapes = parse(case.data), parse(case.shapes)
    start = time.perf_counter()
    try:
        report = validate(data, shapes, engine, ontology=False)
    except QualgraphError as exc:
        seconds = time.perf_counter() - start
        if want is None:
            return Outcome(case, engine, True, f"refused: {exc}", seconds)
        return Outcome(case, engine, False, f"refused: {exc}", seconds)
    seconds = time.perf_counter() - start
    if want is None:
        return Outcome(case, engine, False, "accepted shapes the spec says must fail", seconds)
    both = data + shapes if data is not shapes else data
    got = Counter(
        (
            _signature(both, r.focus),
            r.path.n3() if r.path is not None else None,
            _signature(both, r.value),
            _signature(both, r.shape),
            r.component,
            r.severity,
        )
        for r in report.results
    )
    conforms, keys = want
    if report.conforms != conforms or not _same(keys, got):
        detail = (
            f"expected {sorted(map(str, keys.elements()))}\ngot {sorted(map(str, got.elements()))}"
        )
        return Outcome(case, engine, False, detail, seconds)
    return Outcome(case, engine, True, "", seconds)
