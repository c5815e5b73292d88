"""Which triples a set of shapes can see: the predicates and classes they name.

Putting a triple into Oxigraph costs 2.5-4 µs; a study of 10,000 traces has 7.5 million of them,
and the shapes look at about a third (no shape reads a statement's text or a segment's position).
Validation loads only the triples whose predicate a shape names, and the rdf:type triples of
the classes a shape names (with their subclasses). A shape that could look at anything (a
variable predicate, `?x a ?class`, a negated property set, sh:closed) turns the selection off,
so the results never depend on it. Shapes run by the general engine (`shacl_focus.py`) are read
from the shapes graph, with every shape they refer to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import cast

from rdflib import Graph, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.paths import Path as RdfPath
from rdflib.term import Node

from qualgraph.rdf.terms import Selection, term
from qualgraph.shacl.shapes import ShapeSpec, is_true, shacl_path


class _Unbounded(Exception):
    """A shape may read any predicate or any type: every triple is needed."""


@dataclass
class Footprint:
    """The predicates and classes the shapes name (rdflib terms)."""

    predicates: set[Node] = field(default_factory=lambda: {RDFS.subClassOf})
    classes: set[Node] = field(default_factory=set)
    every_type: bool = False

    def selection(self, subclasses: Callable[[Node], Iterable[Node]]) -> Selection:
        """In N-Triples form, each class widened to its subclasses (as class targets are)."""
        predicates = {term(p) for p in self.predicates}
        if self.every_type:
            return Selection(frozenset(predicates | {term(RDF.type)}), frozenset())
        classes = {term(sub) for cls in self.classes for sub in subclasses(cls)}
        return Selection(frozenset(predicates), frozenset(classes))


def footprint(
    specs: Iterable[ShapeSpec], shapes: Graph | None = None, general: Iterable[Node] = ()
) -> Footprint | None:
    """What `specs` (and the `general` shapes of `shapes`) can see, or None when they could see
    anything."""
    found = Footprint()
    try:
        if general:
            assert shapes is not None  # general shapes are read from their graph
            _general(found, shapes, general)
        for spec in specs:
            for target in spec.targets:
                if target.kind == SH.targetClass:
                    found.classes.add(target.term)
                else:
                    found.predicates.add(target.term)
            if spec.path is not None:
                found.predicates.update(_path_predicates(spec.path))
            for constraint in spec.constraints:
                if constraint.component == SH.ClassConstraintComponent:
                    found.classes.add(cast(Node, constraint.parameter))
            for sparql in spec.sparql:
                predicates, classes, every_type = _query_footprint(sparql.query)
                found.predicates |= predicates
                found.classes |= classes
                found.every_type |= every_type
    except _Unbounded:
        return None
    return found


_PREDICATE_PARAMETERS = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)


def _general(found: Footprint, shapes: Graph, nodes: Iterable[Node]) -> None:
    """What the general engine reads for `nodes` and every shape they refer to: targets, paths,
    the predicates of sh:equals and its kin, classes, and the triple patterns of SPARQL
    constraints and of the validators of any component a shape uses. sh:closed reads every
    predicate of a node, and a component's query with $PATH cannot be read: either is
    _Unbounded."""
    from qualgraph.shacl.sparql_shapes import component_nodes, parameter_paths, prefixes

    parameters = parameter_paths(shapes)
    components = component_nodes(shapes)
    seen: set[Node] = set()
    todo = list(nodes)
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        found.classes.update(shapes.objects(shape, SH.targetClass))
        found.classes.update(shapes.objects(shape, SH["class"]))
        if (shape, RDF.type, RDFS.Class) in shapes:
            found.classes.add(shape)
        for kind in (SH.targetSubjectsOf, SH.targetObjectsOf, *_PREDICATE_PARAMETERS):
            found.predicates.update(shapes.objects(shape, kind))
        path = shapes.value(shape, SH.path)
        if path is not None:
            found.predicates.update(_path_predicates(shacl_path(shapes, path)))
        if any(is_true(v) for v in shapes.objects(shape, SH.closed)):
            raise _Unbounded
        holders = list(shapes.objects(shape, SH.sparql))
        if set(shapes.predicates(shape, None)) & parameters:
            for component in components:
                for key in (SH.validator, SH.nodeValidator, SH.propertyValidator):
                    holders.extend(shapes.objects(component, key))
        for holder in holders:
            for text in (shapes.value(holder, SH.select), shapes.value(holder, SH.ask)):
                if text is None:
                    continue
                if "$PATH" in str(text):
                    raise _Unbounded
                query = prefixes(shapes, holder) + str(text)
                predicates, classes, every_type = _query_footprint(query)
                found.predicates |= predicates
                found.classes |= classes
                found.every_type |= every_type
        for key in (SH.node, SH["not"], SH.qualifiedValueShape, SH.property):
            todo.extend(shapes.objects(shape, key))
        for key in (SH["and"], SH["or"], SH.xone):
            for members in shapes.objects(shape, key):
                todo.extend(Collection(shapes, members))


@cache
def _query_footprint(query: str) -> tuple[frozenset[Node], frozenset[Node], bool]:
    """The predicates and classes of every triple pattern of a SPARQL query (parsed by rdflib,
    once per query text). A query rdflib cannot read could read anything."""
    from rdflib.plugins.sparql import prepareQuery  # 0.17 s to import: in the child that asks

    predicates: set[Node] = set()
    classes: set[Node] = set()
    every_type = False
    try:
        algebra = prepareQuery(query).algebra
    except Exception as exc:  # rdflib raises bare Exceptions; the engine reports the query itself
        raise _Unbounded from exc
    for _, predicate, obj in _patterns(algebra):
        if isinstance(predicate, Variable):
            raise _Unbounded
        if predicate == RDF.type:
            if isinstance(obj, URIRef):
                classes.add(obj)
            else:
                every_type = True
        else:
            found = _path_predicates(predicate)
            predicates |= found
            every_type |= RDF.type in found
    return frozenset(predicates), frozenset(classes), every_type


def _patterns(node: object) -> Iterator[tuple[Node, Node, Node]]:
    """Every triple pattern anywhere in a query's algebra (EXISTS and sub-queries included)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        for key, value in node.items():
            if key == "triples":
                yield from (tuple(triple) for triple in value)
            else:
                yield from _patterns(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _patterns(item)


def _path_predicates(path: Node | RdfPath) -> set[Node]:
    if isinstance(path, URIRef):
        return {path}
    if isinstance(path, InvPath):
        return _path_predicates(path.arg)
    if isinstance(path, MulPath):
        return _path_predicates(path.path)
    if isinstance(path, SequencePath | AlternativePath):
        return {p for step in path.args for p in _path_predicates(step)}
    raise _Unbounded  # a negated property set, a variable, or a path form rdflib adds later
