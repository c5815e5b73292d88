"""The fast SHACL engine: shapes compiled into set-based SPARQL and run once on Oxigraph.

pySHACL evaluates each constraint once per focus node in rdflib, which grows with the square of
a study for the grounding rules. Here each SHACL Core constraint of a shape becomes one SELECT
that returns only the violating (focus node, value) pairs of all focus nodes at once, and each
SHACL-SPARQL constraint runs once, unbound, and is joined with the shape's focus nodes
afterwards (only where that equals pre-binding $this: `sparql_shapes.unbound_safe`). Oxigraph
does the work and Python sees only the violations, except for sh:pattern and sh:datatype, whose
values are checked in Python (XPath regular expressions, lexical forms).
The engine runs exactly the shapes `shapes.plan_shapes` gives it; the others go to the general
engine (`shacl_focus.py`).

Query text is assembled from fixed fragments and variable names of our own; every term taken
from the shapes (classes, predicates, counts, lengths, list members) is passed to Oxigraph as a
substitution, never pasted into the text. A SHACL-SPARQL query runs as written (with its declared
prefixes); it binds $this with its own first triple pattern (else it runs per focus node).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import SH
from rdflib.paths import InvPath, SequencePath
from rdflib.term import Node

from qualgraph.rdf.terms import OxTerm, to_ox, to_rdflib
from qualgraph.runtime.policy import current_policy
from qualgraph.runtime.workers import available_cpus
from qualgraph.shacl.focus_engine import has_datatype
from qualgraph.shacl.results import ValidationResult
from qualgraph.shacl.shapes import (
    Constraint,
    ShapePath,
    ShapeSpec,
    SparqlConstraint,
    Target,
    UnsupportedShape,
)
from qualgraph.shacl.xpath_regex import compile_pattern

_SUBCLASSES = (
    "SELECT DISTINCT ?sub ?class WHERE "
    "{ ?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }"
)

_NODE_KINDS: dict[URIRef, str] = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
COUNT_COMPONENTS = {SH.MinCountConstraintComponent: "<", SH.MaxCountConstraintComponent: ">"}


@dataclass(frozen=True)
class Query:
    """A SELECT text and the terms substituted for its variables (all projected)."""

    text: str
    bindings: dict[str, Node]


class _Builder:
    """Collects substitutions while query fragments are written: `term(x)` names a variable.
    `subclasses(c)` gives c and its subclasses: Oxigraph evaluates rdfs:subClassOf* from a
    substituted class slowly, so class extents are unions of plain `?x a ?class` patterns."""

    def __init__(self, subclasses: Callable[[Node], list[Node]]) -> None:
        self.bindings: dict[str, Node] = {}
        self.subclasses = subclasses

    def term(self, value: Node) -> str:
        name = f"k{len(self.bindings)}"
        self.bindings[name] = value
        return "?" + name

    def projection(self) -> str:
        return " ".join("?" + name for name in self.bindings)

    def focus(self, targets: Iterable[Target]) -> str:
        """A group binding ?this to every focus node of the targets."""
        branches = []
        for i, target in enumerate(targets):
            if target.kind == SH.targetClass:
                branches.extend(
                    f"{{ ?this a {self.term(cls)} . }}" for cls in self.subclasses(target.term)
                )
            elif target.kind == SH.targetSubjectsOf:
                branches.append(f"{{ ?this {self.term(target.term)} ?object{i} . }}")
            else:
                branches.append(f"{{ ?subject{i} {self.term(target.term)} ?this . }}")
        return " UNION ".join(branches) or "FILTER (false)"

    def instance_of(self, cls: Node) -> str:
        """A filter expression: ?valueType is `cls` or one of its subclasses."""
        return " || ".join(f"sameTerm(?valueType, {self.term(c)})" for c in self.subclasses(cls))

    def path(self, path: ShapePath | None) -> str:
        """Triple patterns from ?this to ?value along a predicate / inverse / sequence path."""
        if path is None:
            return "BIND(?this AS ?value)"
        steps = path.args if isinstance(path, SequencePath) else [path]
        patterns = []
        for i, step in enumerate(steps):
            inverse = isinstance(step, InvPath)
            predicate = step.arg if inverse else step
            if not isinstance(predicate, URIRef):
                raise UnsupportedShape(
                    f"the path {path.n3()} is not a predicate, an inverse or a sequence of them"
                )
            subject = "?this" if i == 0 else f"?step{i}"
            obj = "?value" if i == len(steps) - 1 else f"?step{i + 1}"
            term = self.term(predicate)
            patterns.append(f"{obj} {term} {subject} ." if inverse else f"{subject} {term} {obj} .")
        return " ".join(patterns)


def compile_constraint(
    spec: ShapeSpec, constraint: Constraint, subclasses: Callable[[Node], list[Node]]
) -> Query:
    """The SELECT returning (?this, ?value) for every violation of one Core constraint."""
    b = _Builder(subclasses)
    focus = b.focus(spec.targets)
    path = b.path(spec.path)
    parameter = constraint.parameter
    match constraint.component:
        case SH.HasValueConstraintComponent:
            value = b.term(parameter)
            return Query(
                f"SELECT DISTINCT ?this {b.projection()} WHERE {{ {focus} "
                f"FILTER NOT EXISTS {{ {path} FILTER (sameTerm(?value, {value})) }} }}",
                b.bindings,
            )
        case SH.ClassConstraintComponent:
            test = (
                f"FILTER NOT EXISTS {{ ?value a ?valueType . FILTER ({b.instance_of(parameter)}) }}"
            )
        case SH.InConstraintComponent:
            members = (
                " || ".join(f"sameTerm(?value, {b.term(member)})" for member in parameter)
                or "false"
            )
            test = f"FILTER (!({members}))"
        case SH.DatatypeConstraintComponent:
            test = ""  # every value; `_datatype_violations` checks datatype and lexical form
        case SH.NodeKindConstraintComponent:
            test = f"FILTER (!{_NODE_KINDS[parameter]})"
        case SH.MinLengthConstraintComponent:
            test = f"FILTER (isBlank(?value) || STRLEN(STR(?value)) < {b.term(Literal(parameter))})"
        case SH.MaxLengthConstraintComponent:
            test = f"FILTER (isBlank(?value) || STRLEN(STR(?value)) > {b.term(Literal(parameter))})"
        case SH.PatternConstraintComponent:
            test = ""  # every value; `_pattern_violations` applies the regex (pySHACL's `re`)
        case _:
            raise UnsupportedShape(
                f"{spec.name}: constraint component {constraint.component} is not supported"
            )
    return Query(
        f"SELECT DISTINCT ?this ?value {b.projection()} WHERE {{ {focus} {path} {test} }}",
        b.bindings,
    )


def compile_counts(spec: ShapeSpec, subclasses: Callable[[Node], list[Node]]) -> Query:
    """One SELECT for the shape's sh:minCount and sh:maxCount: the focus nodes whose number of
    values breaks either bound, with that number as ?count."""
    b = _Builder(subclasses)
    focus, path = b.focus(spec.targets), b.path(spec.path)
    tests = []
    for constraint in spec.constraints:
        if constraint.component in COUNT_COMPONENTS:
            op = COUNT_COMPONENTS[constraint.component]
            tests.append(f"COUNT(DISTINCT ?value) {op} {b.term(Literal(constraint.parameter))}")
    keys = b.projection()
    return Query(
        f"SELECT ?this (COUNT(DISTINCT ?value) AS ?count) {keys} "
        f"WHERE {{ {focus} OPTIONAL {{ {path} }} }} "
        f"GROUP BY ?this {keys} HAVING ({' || '.join(tests)})",
        b.bindings,
    )


def compile_focus(spec: ShapeSpec, subclasses: Callable[[Node], list[Node]]) -> Query:
    b = _Builder(subclasses)
    focus = b.focus(spec.targets)
    return Query(f"SELECT DISTINCT ?this {b.projection()} WHERE {{ {focus} }}", b.bindings)


class OxigraphEngine:
    """Runs compiled shapes on one store (holding the data and the ontology)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._subclasses: dict[Node, list[Node]] = {}

    def subclasses(self, cls: Node) -> list[Node]:
        """`cls` and every class below it (rdfs:subClassOf*, in the data and the ontology)."""
        if cls not in self._subclasses:  # emptied when the shapes run: the data is in by then
            rows = self._select(Query(_SUBCLASSES, {"class": cls}), ("sub",))
            self._subclasses[cls] = sorted({to_rdflib(row["sub"]) for row in rows} | {cls}, key=str)
        return self._subclasses[cls]

    def run(
        self, specs: Iterable[ShapeSpec]
    ) -> tuple[list[ValidationResult], list[tuple[str, float]]]:
        """Every shape's results (in shape order) and the seconds each took. Under a policy with
        `shape_threads` they run on one thread per CPU: Oxigraph evaluates a query without
        holding the GIL (see docs/design.md)."""

        self._subclasses.clear()  # the loader may have asked before the data's subclasses came

        def timed(spec: ShapeSpec) -> tuple[list[ValidationResult], tuple[str, float]]:
            start = time.perf_counter()
            found = self.shape(spec)
            return found, (spec.name, time.perf_counter() - start)

        if not current_policy().shape_threads:
            outcomes = [timed(spec) for spec in specs]
        else:
            with ThreadPoolExecutor(max_workers=available_cpus()) as pool:
                outcomes = list(pool.map(timed, specs))
        return [r for found, _ in outcomes for r in found], [timing for _, timing in outcomes]

    def shape(self, spec: ShapeSpec) -> list[ValidationResult]:
        return self._counts(spec) + self._core(spec) + self._sparql(spec)

    def _counts(self, spec: ShapeSpec) -> list[ValidationResult]:
        counts = [c for c in spec.constraints if c.component in COUNT_COMPONENTS]
        if not counts:
            return []
        results = []
        for row in self._select(compile_counts(spec, self.subclasses), ("this", "count")):
            number = int(row["count"].value)
            for c in counts:
                if (
                    number < c.parameter
                    if c.component == SH.MinCountConstraintComponent
                    else number > c.parameter
                ):
                    results.append(
                        _result(spec, c.component, row["this"], None, spec.path, _message(spec))
                    )
        return results

    def _core(self, spec: ShapeSpec) -> list[ValidationResult]:
        results = []
        for constraint in spec.constraints:
            if constraint.component in COUNT_COMPONENTS:
                continue
            rows = self._select(compile_constraint(spec, constraint, self.subclasses))
            if constraint.component == SH.PatternConstraintComponent:
                rows = _pattern_violations(constraint, rows)
            elif constraint.component == SH.DatatypeConstraintComponent:
                rows = [r for r in rows if not has_datatype(r["value"], str(constraint.parameter))]
            for row in rows:
                results.append(
                    _result(
                        spec,
                        constraint.component,
                        row["this"],
                        row.get("value"),
                        spec.path,
                        _message(spec),
                    )
                )
        return results

    def _sparql(self, spec: ShapeSpec) -> list[ValidationResult]:
        results = []
        focus: set[OxTerm] | None = None
        for constraint in spec.sparql:
            rows = self._solutions(spec, constraint)
            if rows and focus is None:  # most constraints find nothing, and then need no focus set
                focus = {row["this"] for row in self._select(compile_focus(spec, self.subclasses))}
            results.extend(self._sparql_results(spec, rows, focus or set()))
        return results

    def _solutions(self, spec: ShapeSpec, constraint: SparqlConstraint) -> list[dict[str, OxTerm]]:
        """The rows of a SHACL-SPARQL constraint, run once over the whole graph."""
        try:
            variables, rows = self._rows(constraint.query)
        except (SyntaxError, ValueError, OSError, AttributeError) as exc:
            raise UnsupportedShape(
                f"{spec.name}: the SPARQL constraint does not run: {exc}"
            ) from exc
        if "this" not in variables:
            raise UnsupportedShape(f"{spec.name}: the SPARQL constraint must select $this")
        if any("this" not in row for row in rows):
            raise UnsupportedShape(
                f"{spec.name}: the SPARQL constraint returned a row without $this; it must bind "
                "$this with its own triple patterns to run once over the whole graph"
            )
        return rows

    def _sparql_results(
        self, spec: ShapeSpec, rows: list[dict[str, OxTerm]], focus: set[OxTerm]
    ) -> list[ValidationResult]:
        results = []
        for bound in rows:
            this = bound["this"]
            if this not in focus:
                continue
            bound.setdefault("value", this)
            message = _message(spec, {name: term.value for name, term in bound.items()})
            results.append(
                _result(
                    spec,
                    SH.SPARQLConstraintComponent,
                    this,
                    bound["value"],
                    bound.get("path"),
                    message,
                )
            )
        return results

    def _select(
        self, query: Query, wanted: tuple[str, ...] = ("this", "value")
    ) -> list[dict[str, OxTerm]]:
        substitutions = {ox.Variable(name): to_ox(term) for name, term in query.bindings.items()}
        return self._rows(query.text, substitutions, wanted)[1]

    def _rows(
        self,
        text: str,
        substitutions: dict[ox.Variable, OxTerm] | None = None,
        wanted: tuple[str, ...] | None = None,
    ) -> tuple[list[str], list[dict[str, OxTerm]]]:
        """The variables of a SELECT and its rows (the `wanted` variables, bound ones only).

        Shapes run on a thread pool, and pyoxigraph's solutions may only be dropped on the
        thread that made them: they never outlive this call, even when it raises."""
        solutions = self.store.query(text, substitutions=substitutions or None)
        try:
            variables = [v.value for v in solutions.variables]
            found = list(solutions)  # no Python frame holds the iterator if evaluation fails
        finally:
            del solutions
        names = [name for name in variables if wanted is None or name in wanted]
        rows = [
            {name: solution[name] for name in names if solution[name] is not None}
            for solution in found
        ]
        return variables, rows


def _pattern_violations(
    constraint: Constraint, rows: list[dict[str, OxTerm]]
) -> list[dict[str, OxTerm]]:
    """sh:pattern as an XPath regex (`xpath_regex`) in Python: a compiled regex per shape is far
    faster than Oxigraph's REGEX, which compiles a substituted pattern again for every row."""
    pattern = compile_pattern(str(constraint.parameter), constraint.flags)
    return [
        row
        for row in rows
        if isinstance(row["value"], ox.BlankNode) or not pattern.search(row["value"].value)
    ]


def _result(
    spec: ShapeSpec,
    component: URIRef,
    focus: OxTerm,
    value: OxTerm | None,
    path: ShapePath | ox.NamedNode | None,
    message: str,
) -> ValidationResult:
    """A result in rdflib terms (the engine works in Oxigraph terms until here)."""
    return ValidationResult(
        focus=to_rdflib(focus),
        shape=spec.node,
        shape_name=spec.name,
        component=component,
        path=to_rdflib(path) if isinstance(path, ox.NamedNode) else path,
        value=to_rdflib(value),
        message=message,
        severity=spec.severity,
    )


def _message(spec: ShapeSpec, bound: dict[str, str] | None = None) -> str:
    """The shape's messages, with {?var} / {$var} replaced by the row's values as pySHACL does."""
    texts = []
    for message in spec.messages:
        text = str(message)
        for name, value in (bound or {}).items():
            text = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, v=value: v, text)
        texts.append(text)
    return " ".join(texts) or f"{spec.name}: constraint not met"
