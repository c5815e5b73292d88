"""The complete SHACL engine: every SHACL Core component and SHACL-SPARQL feature, evaluated
focus node by focus node on the Oxigraph store, as the specification defines them.

The set-based compiler (`shacl.py`) runs the shapes it can compile exactly (the bundled ones)
once for all focus nodes; every other shape comes here. Paths and class tests walk the store's
triples directly; SPARQL constraints and SPARQL-based constraint components run once per focus
(or value) node with the pre-bound variables substituted into the query text (`sparql_shapes`),
which is what SHACL's pre-binding means even inside BIND, sub-selects and FILTER NOT EXISTS.

Shapes that refer to each other are fine as long as the data ends the recursion; a node that
would have to conform to a shape in order to conform to that same shape is refused (SHACL leaves
recursive shapes undefined).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.term import Node

from qualgraph.rdf.terms import to_ox, to_rdflib
from qualgraph.shacl.results import ValidationResult
from qualgraph.shacl.shapes import ShapePath, UnsupportedShape, is_true, shacl_path, shape_name
from qualgraph.shacl.sparql_shapes import SHAPES_GRAPH, Prebound, prebind, sparql_constraints
from qualgraph.shacl.xpath_regex import compile_pattern

_DEFAULT = ox.DefaultGraph()
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_LANG_STRING = str(RDF.langString)
_KINDS = {
    SH.IRI: (ox.NamedNode,),
    SH.BlankNode: (ox.BlankNode,),
    SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}
_RANGES = {
    SH.minExclusive: (SH.MinExclusiveConstraintComponent, lambda v, p: v > p),
    SH.minInclusive: (SH.MinInclusiveConstraintComponent, lambda v, p: v >= p),
    SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, lambda v, p: v < p),
    SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, lambda v, p: v <= p),
}
_PAIRS = {
    SH.lessThan: (SH.LessThanConstraintComponent, lambda v, p: v < p),
    SH.lessThanOrEquals: (SH.LessThanOrEqualsConstraintComponent, lambda v, p: v <= p),
}


Term = ox.NamedNode | ox.BlankNode | ox.Literal
Rewritten = dict[tuple[Term, Term, Term], tuple[Term, ...]]
"""Literals Oxigraph stores in canonical form ("5"^^xsd:int as "5"^^xsd:integer, "1" as
"true"): the written ones, by the triple as stored (see `rewritten_literals`)."""


def rewritten_literals(store: ox.Store, triples: Iterable[tuple[Node, Node, Node]]) -> Rewritten:
    """The literals of `triples` (in `store`) that the store holds in another form."""
    table: dict[tuple[Term, Term, Term], list[Term]] = {}
    scratch = ox.Store()
    subject, predicate = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    for s, p, o in triples:
        if not isinstance(o, Literal) or o.language or o.datatype in (None, XSD.string):
            continue
        written = to_ox(o)
        scratch.add(ox.Quad(subject, predicate, written))  # `in store` would canonicalize too
        (stored,) = [q.object for q in scratch.quads_for_pattern(subject, predicate, None)]
        scratch.clear()
        if stored != written:
            table.setdefault((to_ox(s), to_ox(p), stored), []).append(written)
    return {key: tuple(dict.fromkeys(values)) for key, values in table.items()}


@dataclass(frozen=True)
class Found:
    """One result before it becomes a ValidationResult (terms in Oxigraph form)."""

    focus: Term
    shape: Node
    component: URIRef
    path: ShapePath | None
    value: Term | None
    message: str = ""


class Recursion(UnsupportedShape):
    """A node's conformance to a shape depends on its conformance to that shape."""


class FocusEngine:
    """Runs shapes of a shapes graph on the data in an Oxigraph store (its default graph)."""

    def __init__(self, store: ox.Store, shapes: Graph, rewritten: Rewritten | None = None) -> None:
        self.store = store
        self.rewritten = rewritten or {}
        self.shapes = shapes
        self._supers: dict[Term, set[Term]] = {}
        self._active: set[tuple[Term, Node]] = set()
        self._conforms: dict[tuple[Term, Node], bool] = {}
        self._shapes_graph_loaded = False
        self._components = sparql_constraints(shapes)

    # -- entry points --------------------------------------------------------------------------

    def run(self, shape: Node) -> list[ValidationResult]:
        """The results of one shape with targets, on all its focus nodes."""
        found = self.validate(shape, self.focus_nodes(shape))
        return [self._result(f) for f in found]

    def focus_nodes(self, shape: Node) -> list[Term]:
        g = self.shapes
        nodes: dict[Term, None] = {}
        for term in g.objects(shape, SH.targetNode):
            nodes[to_ox(term)] = None
        classes = list(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g and (
            (shape, RDF.type, SH.NodeShape) in g or (shape, RDF.type, SH.PropertyShape) in g
        ):
            classes.append(shape)
        for cls in classes:
            for sub in self._subclasses(to_ox(cls)):
                for quad in self._quads(None, _RDF_TYPE, sub):
                    nodes[quad.subject] = None
        for predicate in g.objects(shape, SH.targetSubjectsOf):
            for quad in self._quads(None, to_ox(predicate), None):
                nodes[quad.subject] = None
        for predicate in g.objects(shape, SH.targetObjectsOf):
            for quad in self._quads(None, to_ox(predicate), None):
                nodes[quad.object] = None
        return list(nodes)

    def conforms(self, node: Term, shape: Node) -> bool:
        """Whether `node` conforms to `shape` (remembered: the data does not change)."""
        key = (node, shape)
        if key in self._conforms:
            return self._conforms[key]
        if key in self._active:
            raise Recursion(
                f"{_label(self.shapes, shape)}: the shapes are recursive on {node} (a node must "
                "conform to a shape in order to conform to it); SHACL leaves this undefined"
            )
        self._active.add(key)
        try:
            self._conforms[key] = not self.validate(shape, [node], first=True)
        finally:
            self._active.discard(key)
        return self._conforms[key]

    # -- one shape -----------------------------------------------------------------------------

    def validate(self, shape: Node, focus: Iterable[Term], first: bool = False) -> list[Found]:
        """The results of `shape` on the focus nodes (`first`: stop at the first one)."""
        g = self.shapes
        if _deactivated(g, shape):
            return []
        path_node = g.value(shape, SH.path)
        path = shacl_path(g, path_node) if path_node is not None else None
        found: list[Found] = []
        for node in focus:
            values = self.values(node, path) if path is not None else [node]
            for item in self._constraints(shape, node, path, values):
                found.append(item)
                if first:
                    return found
        return found

    def _constraints(
        self, shape: Node, focus: Term, path: ShapePath | None, values: list[Term]
    ) -> Iterator[Found]:
        g = self.shapes

        def result(component: URIRef, value: Term | None, at: ShapePath | None = path):
            return Found(focus, shape, component, at, value)

        for cls in g.objects(shape, SH["class"]):
            target = to_ox(cls)
            for v in values:
                if not self._instance_of(v, target):
                    yield result(SH.ClassConstraintComponent, v)
        for datatype in g.objects(shape, SH.datatype):
            for v in values:
                if not has_datatype(v, str(datatype)):
                    yield result(SH.DatatypeConstraintComponent, v)
        for kind in g.objects(shape, SH.nodeKind):
            allowed = _KINDS.get(kind)
            if allowed is None:
                raise UnsupportedShape(f"{_label(g, shape)}: {kind} is not a node kind")
            for v in values:
                if not isinstance(v, allowed):
                    yield result(SH.NodeKindConstraintComponent, v)
        if path is not None:
            for bound in g.objects(shape, SH.minCount):
                if len(values) < _integer(g, shape, bound):
                    yield result(SH.MinCountConstraintComponent, None)
            for bound in g.objects(shape, SH.maxCount):
                if len(values) > _integer(g, shape, bound):
                    yield result(SH.MaxCountConstraintComponent, None)
        for parameter, (component, test) in _RANGES.items():
            for limit in g.objects(shape, parameter):
                for v in values:
                    if not _compare(v, limit, test):
                        yield result(component, v)
        for parameter, component in (
            (SH.minLength, SH.MinLengthConstraintComponent),
            (SH.maxLength, SH.MaxLengthConstraintComponent),
        ):
            for bound in g.objects(shape, parameter):
                limit = _integer(g, shape, bound)
                for v in values:
                    size = None if isinstance(v, ox.BlankNode) else len(v.value)
                    if size is None or (
                        size < limit if parameter == SH.minLength else size > limit
                    ):
                        yield result(component, v)
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            regex = compile_pattern(str(pattern), str(flags) if flags is not None else "")
            for v in values:
                if isinstance(v, ox.BlankNode) or not regex.search(v.value):
                    yield result(SH.PatternConstraintComponent, v)
        for ranges in g.objects(shape, SH.languageIn):
            wanted = [str(r).lower() for r in Collection(g, ranges)]
            for v in values:
                lang = v.language if isinstance(v, ox.Literal) else None
                if not lang or not any(_lang_matches(lang.lower(), r) for r in wanted):
                    yield result(SH.LanguageInConstraintComponent, v)
        for unique in g.objects(shape, SH.uniqueLang):
            if path is not None and is_true(unique):
                seen: dict[str, int] = {}
                for v in values:
                    if isinstance(v, ox.Literal) and v.language:
                        seen[v.language.lower()] = seen.get(v.language.lower(), 0) + 1
                for _ in [lang for lang, count in seen.items() if count > 1]:
                    yield result(SH.UniqueLangConstraintComponent, None)
        for other in g.objects(shape, SH.equals):
            theirs = self.values(focus, URIRef(other))
            for v in values:
                if v not in theirs:
                    yield result(SH.EqualsConstraintComponent, v)
            for v in theirs:
                if v not in values:
                    yield result(SH.EqualsConstraintComponent, v)
        for other in g.objects(shape, SH.disjoint):
            theirs = self.values(focus, URIRef(other))
            for v in values:
                if v in theirs:
                    yield result(SH.DisjointConstraintComponent, v)
        for parameter, (component, test) in _PAIRS.items():
            for other in g.objects(shape, parameter):
                theirs = self.values(focus, URIRef(other))
                for v in values:
                    for o in theirs:
                        if not _compare(v, to_rdflib(o), test):
                            yield result(component, v)
        for members in g.objects(shape, SH["in"]):
            allowed = {to_ox(m) for m in Collection(g, members)}
            for v in values:
                if v not in allowed:
                    yield result(SH.InConstraintComponent, v)
        for wanted in g.objects(shape, SH.hasValue):
            if to_ox(wanted) not in values:
                yield result(SH.HasValueConstraintComponent, None)
        for other in g.objects(shape, SH.node):
            for v in values:
                if not self.conforms(v, other):
                    yield result(SH.NodeConstraintComponent, v)
        for other in g.objects(shape, SH["not"]):
            for v in values:
                if self.conforms(v, other):
                    yield result(SH.NotConstraintComponent, v)
        for parameter in (SH["and"], SH["or"], SH.xone):
            for members in g.objects(shape, parameter):
                listed = list(Collection(g, members))
                for v in values:
                    if parameter == SH.xone:
                        count = sum(self.conforms(v, s) for s in listed)
                        if count != 1:
                            yield result(SH.XoneConstraintComponent, v)
                    elif parameter == SH["and"]:
                        if not all(self.conforms(v, s) for s in listed):
                            yield result(SH.AndConstraintComponent, v)
                    elif not any(self.conforms(v, s) for s in listed):
                        yield result(SH.OrConstraintComponent, v)
        if path is not None:
            yield from self._qualified(shape, focus, path, values)
        for closed in g.objects(shape, SH.closed):
            if is_true(closed):
                yield from self._closed(shape, focus, values)
        for child in g.objects(shape, SH.property):  # on each value node (the focus node of a
            yield from self.validate(child, values)  # node shape; a property shape's values)
        for constraint in self._components.of(shape):
            yield from constraint.rows(self, shape, focus, path, values)

    def _qualified(
        self, shape: Node, focus: Term, path: ShapePath, values: list[Term]
    ) -> Iterator[Found]:
        g = self.shapes
        for qualified in g.objects(shape, SH.qualifiedValueShape):
            siblings: list[Node] = []
            disjoint = g.value(shape, SH.qualifiedValueShapesDisjoint)
            if is_true(disjoint):
                for parent in g.subjects(SH.property, shape):
                    for sibling in g.objects(parent, SH.property):
                        if sibling != shape:
                            siblings.extend(g.objects(sibling, SH.qualifiedValueShape))
            count = sum(
                1
                for v in values
                if self.conforms(v, qualified) and not any(self.conforms(v, s) for s in siblings)
            )
            for bound in g.objects(shape, SH.qualifiedMinCount):
                if count < _integer(g, shape, bound):
                    yield Found(focus, shape, SH.QualifiedMinCountConstraintComponent, path, None)
            for bound in g.objects(shape, SH.qualifiedMaxCount):
                if count > _integer(g, shape, bound):
                    yield Found(focus, shape, SH.QualifiedMaxCountConstraintComponent, path, None)

    def _closed(self, shape: Node, focus: Term, values: list[Term]) -> Iterator[Found]:
        g = self.shapes
        allowed = {
            to_ox(p)
            for child in g.objects(shape, SH.property)
            for p in g.objects(child, SH.path)
            if isinstance(p, URIRef)
        }
        for ignored in g.objects(shape, SH.ignoredProperties):
            allowed |= {to_ox(p) for p in Collection(g, ignored)}
        for v in values:
            if isinstance(v, ox.Literal):
                continue
            for quad in self._quads(v, None, None):
                if quad.predicate not in allowed:
                    yield Found(
                        focus,
                        shape,
                        SH.ClosedConstraintComponent,
                        URIRef(quad.predicate.value),
                        quad.object,
                    )

    # -- the data ------------------------------------------------------------------------------

    def _quads(self, s: Term | None, p: Term | None, o: Term | None) -> Iterable[ox.Quad]:
        if isinstance(s, ox.Literal) or isinstance(p, ox.Literal | ox.BlankNode):
            return ()
        return self.store.quads_for_pattern(s, p, o, _DEFAULT)

    def values(self, node: Term, path: ShapePath) -> list[Term]:
        """The value nodes of `node` along a SHACL path (distinct, in a stable order)."""
        return list(dict.fromkeys(self._walk([node], path)))

    def _walk(self, nodes: list[Term], path: ShapePath) -> list[Term]:
        if isinstance(path, URIRef):
            predicate = to_ox(path)
            found = [q.object for n in nodes for q in self._quads(n, predicate, None)]
            if self.rewritten:
                found = [
                    o
                    for n in nodes
                    for q in self._quads(n, predicate, None)
                    for o in self.rewritten.get((n, predicate, q.object), (q.object,))
                ]
            return found
        if isinstance(path, InvPath):
            if not isinstance(path.arg, URIRef):
                return self._inverse(nodes, path.arg)
            predicate = to_ox(path.arg)
            return [q.subject for n in nodes for q in self._quads(None, predicate, n)]
        if isinstance(path, SequencePath):
            for step in path.args:
                nodes = list(dict.fromkeys(self._walk(nodes, step)))
            return nodes
        if isinstance(path, AlternativePath):
            return list(chain.from_iterable(self._walk(nodes, step) for step in path.args))
        if isinstance(path, MulPath):
            reached: dict[Term, None] = dict.fromkeys(nodes) if path.zero else {}
            frontier = nodes
            while frontier:
                step = [n for n in dict.fromkeys(self._walk(frontier, path.path))]
                if not path.more:
                    reached.update(dict.fromkeys(step))
                    break
                frontier = [n for n in step if n not in reached]
                reached.update(dict.fromkeys(frontier))
            return list(reached)
        raise UnsupportedShape(f"{path} is not a SHACL path")

    def _inverse(self, nodes: list[Term], path: ShapePath) -> list[Term]:
        """The nodes from which `path` reaches one of `nodes`: the inverse path, walked."""
        if isinstance(path, InvPath):
            return self._walk(nodes, path.arg)
        if isinstance(path, SequencePath):
            return self._walk(nodes, SequencePath(*(InvPath(s) for s in reversed(path.args))))
        if isinstance(path, AlternativePath):
            return self._walk(nodes, AlternativePath(*(InvPath(s) for s in path.args)))
        if isinstance(path, MulPath):
            return self._walk(nodes, MulPath(InvPath(path.path), path.mod))
        raise UnsupportedShape(f"{path} is not a SHACL path")

    def _superclasses(self, cls: Term) -> set[Term]:
        if cls not in self._supers:
            found = {cls}
            frontier = [cls]
            while frontier:
                frontier = [
                    q.object
                    for c in frontier
                    for q in self._quads(c, _SUBCLASS, None)
                    if q.object not in found
                ]
                found.update(frontier)
            self._supers[cls] = found
        return self._supers[cls]

    def _subclasses(self, cls: Term) -> set[Term]:
        found = {cls}
        frontier = [cls]
        while frontier:
            frontier = [
                q.subject
                for c in frontier
                for q in self._quads(None, _SUBCLASS, c)
                if q.subject not in found
            ]
            found.update(frontier)
        return found

    def _instance_of(self, node: Term, cls: Term) -> bool:
        return any(cls in self._superclasses(q.object) for q in self._quads(node, _RDF_TYPE, None))

    def shapes_graph(self) -> ox.NamedNode:
        """The shapes graph as a named graph of the store, for queries that read $shapesGraph."""
        if not self._shapes_graph_loaded:
            self.store.extend(
                ox.Quad(to_ox(s), to_ox(p), to_ox(o), SHAPES_GRAPH) for s, p, o in self.shapes
            )
            self._shapes_graph_loaded = True
        return SHAPES_GRAPH

    def select(self, shape: Node, text: str, bound: Prebound) -> list[dict[str, Term]]:
        """The rows of a SELECT (or one empty row for a true ASK) of `shape` with `bound`
        pre-bound."""
        query, substitutions = prebind(text, bound)
        try:
            answer = self.store.query(query, substitutions=substitutions or None)
            if isinstance(answer, ox.QueryBoolean):
                return [{}] if bool(answer) else []
            names = [v.value for v in answer.variables]
            return [{n: s[n] for n in names if s[n] is not None} for s in answer]
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            raise UnsupportedShape(
                f"{_label(self.shapes, shape)}: the SPARQL query does not run: {exc}"
            ) from exc

    def _result(self, found: Found) -> ValidationResult:
        g = self.shapes
        severity = g.value(found.shape, SH.severity) or SH.Violation
        messages = sorted(str(m) for m in g.objects(found.shape, SH.message))
        return ValidationResult(
            focus=to_rdflib(found.focus),
            shape=found.shape,
            shape_name=shape_name(g, found.shape),
            component=found.component,
            path=found.path,
            value=to_rdflib(found.value),
            message=found.message or " ".join(messages) or _default_message(g, found),
            severity=severity,
        )


def _default_message(shapes: Graph, found: Found) -> str:
    component = str(found.component).removeprefix(str(SH)).removesuffix("ConstraintComponent")
    return f"{shape_name(shapes, found.shape)}: {component} constraint not met"


def _label(shapes: Graph, node: Node) -> str:
    return shape_name(shapes, node) if not isinstance(node, BNode) else "a blank-node shape"


def _deactivated(shapes: Graph, node: Node) -> bool:
    return is_true(shapes.value(node, SH.deactivated))


def _integer(shapes: Graph, shape: Node, value: Node) -> int:
    try:
        return int(value.toPython() if isinstance(value, Literal) else value)
    except (TypeError, ValueError) as exc:
        raise UnsupportedShape(f"{_label(shapes, shape)}: {value.n3()} is not an integer") from exc


def has_datatype(value: Term, datatype: str) -> bool:
    """A literal of exactly `datatype` whose lexical form is valid for it (rdflib's check)."""
    if not isinstance(value, ox.Literal):
        return False
    if value.language:
        return datatype == _LANG_STRING
    if value.datatype.value != datatype:
        return False
    return not Literal(value.value, datatype=datatype).ill_typed


_NUMERIC = {
    str(XSD[t])
    for t in (
        "integer decimal float double nonPositiveInteger negativeInteger long int short byte "
        "nonNegativeInteger unsignedLong unsignedInt unsignedShort unsignedByte positiveInteger"
    ).split()
}
_ORDERED = {str(XSD[t]) for t in ("dateTime", "date", "time", "boolean", "string")}


def _kind(term: Literal) -> str | None:
    """The SPARQL ordering family of a literal (None: `<` is an error on it)."""
    datatype = str(term.datatype or XSD.string) if not term.language else None
    if datatype in _NUMERIC:
        return "numeric"
    if datatype in _ORDERED:
        return datatype
    return None


def _compare(value: Term, limit: Node, test) -> bool:
    """SPARQL's `<` family on a value and a limit; an error (incomparable kinds, ill-typed
    literals, a date with and one without a time zone) counts as False, as in SHACL."""
    if not isinstance(value, ox.Literal) or not isinstance(limit, Literal):
        return False
    left = to_rdflib(value)
    kind = _kind(left)
    if kind is None or kind != _kind(limit) or left.ill_typed or limit.ill_typed:
        return False
    try:
        outcome = test(left.toPython(), limit.toPython())
    except TypeError:
        return False
    return outcome is True


def _lang_matches(tag: str, wanted: str) -> bool:
    return wanted == "*" or tag == wanted or tag.startswith(wanted + "-")
