"""The fast SHACL engine: every shape runs as set-based SPARQL on an Oxigraph store, once.

pySHACL evaluates each constraint once per focus node in rdflib, which grows with the square of a
study for the grounding rules. Here each shape costs a few queries over the whole graph: one for
its focus nodes, one for the value nodes of its path (all focus nodes at once), and one per
SHACL-SPARQL constraint, run unbound and joined with the focus nodes afterwards. The SHACL Core
components are then checked over those sets in Python, following the SHACL definitions; the
engine evaluates exactly the features `shapes.read_shapes` accepts.

Terms from the shapes (classes, predicates) are passed to Oxigraph as substitutions, never
pasted into query text. A SHACL-SPARQL query runs as written (with its declared prefixes), so it
must bind $this with its own triple patterns: a row without $this is an error, not a guess.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.paths import InvPath, SequencePath
from rdflib.term import Node

from .results import ValidationResult
from .shapes import Constraint, ShapePath, ShapeSpec, SparqlConstraint, Target, UnsupportedShape
from .store import select

_INSTANCES = """
SELECT DISTINCT ?this ?class WHERE { ?this a ?type . ?type <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }
"""
_SUBJECTS_OF = "SELECT DISTINCT ?this ?p WHERE { ?this ?p ?o }"
_OBJECTS_OF = "SELECT DISTINCT ?this ?p WHERE { ?s ?p ?this }"
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE, "q": 0}
_NODE_KINDS = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


class OxigraphEngine:
    """Evaluates shape specs on one store; focus sets, class extents and path values are
    computed once and shared between the shapes that need them."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._instances: dict[Node, frozenset[Node]] = {}
        self._targets: dict[Target, frozenset[Node]] = {}
        self._values: dict[ShapePath, dict[Node, list[Node]]] = {}

    def run(self, specs: Iterable[ShapeSpec]) -> tuple[list[ValidationResult], list[tuple[str, float]]]:
        results: list[ValidationResult] = []
        timings: list[tuple[str, float]] = []
        for spec in specs:
            start = time.perf_counter()
            results.extend(self.shape(spec))
            timings.append((spec.name, time.perf_counter() - start))
        return results, timings

    def shape(self, spec: ShapeSpec) -> list[ValidationResult]:
        focus = self.focus_nodes(spec.targets)
        results = []
        if spec.constraints:
            values = self.values(spec.path) if spec.path is not None else {f: [f] for f in focus}
            for node in sorted(focus, key=_order):
                for constraint in spec.constraints:
                    for value in _violations(self, constraint, values.get(node, [])):
                        results.append(_result(spec, node, constraint.component, value))
        for constraint in spec.sparql:
            results.extend(self.sparql(spec, constraint, focus))
        return results

    # -- graph access ----------------------------------------------------------------------
    def instances(self, cls: Node) -> frozenset[Node]:
        """Instances of `cls` or of any of its subclasses (rdfs:subClassOf* in data + ontology)."""
        if cls not in self._instances:
            rows = select(self.store, _INSTANCES, {"class": cls}).rows
            self._instances[cls] = frozenset(row[0] for row in rows)
        return self._instances[cls]

    def focus_nodes(self, targets: Iterable[Target]) -> frozenset[Node]:
        found: set[Node] = set()
        for target in targets:
            if target not in self._targets:
                self._targets[target] = self._target(target)
            found |= self._targets[target]
        return frozenset(found)

    def _target(self, target: Target) -> frozenset[Node]:
        if target.kind == SH.targetClass:
            return self.instances(target.term)
        if target.kind == SH.targetNode:
            return frozenset({target.term})
        query = _SUBJECTS_OF if target.kind == SH.targetSubjectsOf else _OBJECTS_OF
        return frozenset(row[0] for row in select(self.store, query, {"p": target.term}).rows)

    def values(self, path: ShapePath) -> dict[Node, list[Node]]:
        """Value nodes of `path` for every node that has any, in one query."""
        if path not in self._values:
            query, bindings = _path_query(path)
            values: dict[Node, list[Node]] = defaultdict(list)
            for this, value, *_ in select(self.store, query, bindings).rows:
                values[this].append(value)
            self._values[path] = values
        return self._values[path]

    def sparql(self, spec: ShapeSpec, constraint: SparqlConstraint, focus: frozenset[Node]) -> list[ValidationResult]:
        try:
            rows = select(self.store, constraint.query)
        except (SyntaxError, ValueError, OSError) as exc:
            raise UnsupportedShape(f"{spec.name}: the SPARQL constraint does not run: {exc}") from exc
        if "this" not in rows.variables:
            raise UnsupportedShape(f"{spec.name}: the SPARQL constraint must select $this")
        results = []
        for row in rows.rows:
            bound = {name: term for name, term in zip(rows.variables, row) if term is not None}
            this = bound.get("this")
            if this is None:
                raise UnsupportedShape(
                    f"{spec.name}: the SPARQL constraint returned a row without $this; it must bind "
                    "$this with its own triple patterns to run once over the whole graph"
                )
            if this not in focus:
                continue
            value = bound.get("value", this)
            bound["value"] = value
            message = " ".join(_format(str(m), bound) for m in spec.messages) or f"{spec.name}: SPARQL constraint not met"
            results.append(
                ValidationResult(
                    focus=this,
                    shape=spec.node,
                    shape_name=spec.name,
                    component=SH.SPARQLConstraintComponent,
                    path=bound.get("path"),
                    value=value,
                    message=message,
                    severity=spec.severity,
                )
            )
        return results


def _path_query(path: ShapePath) -> tuple[str, dict[str, Node]]:
    """A SELECT of (?this, ?value) pairs along a predicate / inverse / sequence path; the
    predicates are substitutions ?p0, ?p1, ... (projected, as Oxigraph requires)."""
    steps = path.args if isinstance(path, SequencePath) else [path]
    patterns, bindings = [], {}
    for i, step in enumerate(steps):
        inverse = isinstance(step, InvPath)
        predicate = step.arg if inverse else step
        if not isinstance(predicate, URIRef):
            raise UnsupportedShape(f"the path {path} is not a predicate, an inverse or a sequence of them")
        subject = "?this" if i == 0 else f"?x{i}"
        obj = "?value" if i == len(steps) - 1 else f"?x{i + 1}"
        patterns.append(f"{obj} ?p{i} {subject} ." if inverse else f"{subject} ?p{i} {obj} .")
        bindings[f"p{i}"] = predicate
    projection = " ".join(f"?p{i}" for i in range(len(steps)))
    return f"SELECT DISTINCT ?this ?value {projection} WHERE {{ {' '.join(patterns)} }}", bindings


def _violations(engine: OxigraphEngine, constraint: Constraint, values: list[Node]) -> list[Node | None]:
    """The value nodes that break `constraint` (None stands for a result without a value)."""
    parameter = constraint.parameter
    match constraint.component:
        case SH.MinCountConstraintComponent:
            return [None] if len(values) < parameter else []
        case SH.MaxCountConstraintComponent:
            return [None] if len(values) > parameter else []
        case SH.HasValueConstraintComponent:
            return [] if parameter in values else [None]
        case SH.ClassConstraintComponent:
            members = engine.instances(parameter)
            return [v for v in values if v not in members]
        case SH.InConstraintComponent:
            return [v for v in values if v not in parameter]
        case SH.DatatypeConstraintComponent:
            return [v for v in values if not _has_datatype(v, parameter)]
        case SH.NodeKindConstraintComponent:
            return [v for v in values if not isinstance(v, _NODE_KINDS[parameter])]
        case SH.MinLengthConstraintComponent:
            return [v for v in values if isinstance(v, BNode) or len(str(v)) < parameter]
        case SH.MaxLengthConstraintComponent:
            return [v for v in values if isinstance(v, BNode) or len(str(v)) > parameter]
        case SH.PatternConstraintComponent:
            flags = 0
            for letter in constraint.flags:
                flags |= _FLAGS[letter]
            pattern = re.compile(parameter, flags)
            return [v for v in values if isinstance(v, BNode) or not pattern.search(str(v))]
    raise UnsupportedShape(f"constraint component {constraint.component} is not supported")


def _has_datatype(value: Node, datatype: Node) -> bool:
    """SHACL sh:datatype: a literal of exactly that datatype, and well formed."""
    if not isinstance(value, Literal):
        return False
    if value.datatype is None:
        if value.language:
            return datatype == RDF.langString
        return datatype == XSD.string
    return value.datatype == datatype and not getattr(value, "ill_typed", False)


def _result(spec: ShapeSpec, focus: Node, component: URIRef, value: Node | None) -> ValidationResult:
    message = " ".join(str(m) for m in spec.messages) or f"{spec.name}: {component.split('#')[-1]} not met"
    return ValidationResult(
        focus=focus,
        shape=spec.node,
        shape_name=spec.name,
        component=component,
        path=spec.path,
        value=value,
        message=message,
        severity=spec.severity,
    )


def _format(message: str, bound: dict[str, Node]) -> str:
    """Replace {?var} and {$var} with the row's values, as pySHACL does."""
    for name, term in bound.items():
        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, t=term: str(t), message)
    return message


def _order(node: Node) -> str:
    return str(node)
