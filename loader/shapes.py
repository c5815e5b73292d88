"""The SHACL shapes a study is validated with, read into typed specs for the Oxigraph engine.

The bundled shapes (shapes/*.ttl) always apply; a study adds its own rules with extra files.
`read_shapes` understands exactly the SHACL features the Oxigraph engine evaluates and raises
`UnsupportedShape` for anything else, so that no rule is ever skipped in silence (pySHACL, the
reference engine, runs any shapes file).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import (
    AlternativePath,
    InvPath,
    MulPath,
    OneOrMore,
    SequencePath,
    ZeroOrMore,
    ZeroOrOne,
)
from rdflib.paths import Path as RdfPath
from rdflib.term import Node
from rdflib.util import guess_format

from .errors import InputError, QualgraphError, ResourceError
from .resources import resource_files

ShapePath = URIRef | RdfPath
"""A SHACL property path as an rdflib path: a predicate IRI, or an InvPath / SequencePath / ..."""


class UnsupportedShape(QualgraphError):
    """A shapes file uses a SHACL feature the Oxigraph engine does not evaluate."""


# -- loading -----------------------------------------------------------------------------------


def bundled_shape_files() -> list[Path]:
    return resource_files("shapes", "*.ttl")


def load_shapes(extra: Sequence[Path] = ()) -> Graph:
    """The bundled shapes plus the study's own shapes files, as one shapes graph."""
    graph = Graph()
    for path in bundled_shape_files():
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many parser-specific types
            raise ResourceError(f"the bundled shapes file {path.name} is broken: {exc}") from exc
    for path in extra:
        try:
            graph.parse(path, format=guess_format(str(path)) or "turtle")
        except OSError as exc:
            raise InputError(f"cannot read shapes file {path}: {exc.strerror or exc}") from exc
        except Exception as exc:
            raise InputError(f"{path}: not a valid shapes file: {exc}") from exc
    return graph


# -- typed specs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One target declaration: `kind` is the SHACL predicate (sh:targetClass, ...)."""

    kind: URIRef
    term: Node


@dataclass(frozen=True)
class Constraint:
    """One SHACL Core constraint component with its parameter (an int, a term, a tuple of terms)."""

    component: URIRef
    parameter: object
    flags: str = ""


@dataclass(frozen=True)
class SparqlConstraint:
    """A SHACL-SPARQL constraint: its SELECT query with the declared prefixes prepended."""

    node: Node
    query: str


@dataclass(frozen=True)
class ShapeSpec:
    """Everything the engine needs about one shape. A property shape nested in a node shape
    (sh:property) gets its parent's targets, as SHACL's focus nodes flow down."""

    node: Node
    name: str
    severity: URIRef
    messages: tuple[Literal, ...]
    targets: tuple[Target, ...]
    path: ShapePath | None
    constraints: tuple[Constraint, ...]
    sparql: tuple[SparqlConstraint, ...]


TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
_OTHER_TARGETS = (SH.targetNode, SH.target)

COMPONENTS: dict[URIRef, URIRef] = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
}
"""The SHACL Core parameters the Oxigraph engine evaluates, with their constraint components."""

COUNTS = {SH.minCount, SH.maxCount}

_DESCRIPTIVE = {
    RDF.type,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.flags,
    SH.path,
    SH.property,
    SH.sparql,
    *TARGETS,
    *COMPONENTS,
}
_SPARQL_KEYS = {RDF.type, SH.select, SH.prefixes, SH.message, SH.deactivated}
_UNSUPPORTED_VARIABLES = ("$currentShape", "?currentShape", "$shapesGraph", "?shapesGraph", "$PATH")


def read_shapes(shapes: Graph) -> tuple[ShapeSpec, ...]:
    """Every active shape with focus nodes, checked for features the Oxigraph engine cannot run."""
    if any(shapes.subjects(RDF.type, SH.ConstraintComponent)):
        raise UnsupportedShape(
            "the shapes declare their own constraint components (sh:ConstraintComponent), which "
            "the oxigraph engine does not run; use --engine pyshacl"
        )
    for node in _shape_nodes(shapes):
        _check_keys(shapes, node)
    specs: list[ShapeSpec] = []
    for node in sorted({s for kind in TARGETS for s in shapes.subjects(kind, None)}, key=str):
        if _deactivated(shapes, node):
            continue
        targets = _targets(shapes, node)
        specs.append(_spec(shapes, node, targets))
        for child in sorted(shapes.objects(node, SH.property), key=str):
            if not _deactivated(shapes, child):
                specs.append(_spec(shapes, child, targets))
    return tuple(specs)


def _shape_nodes(shapes: Graph) -> set[Node]:
    """Every node SHACL would treat as a shape: typed, nested, or given targets or parameters."""
    nodes: set[Node] = set(shapes.subjects(RDF.type, SH.NodeShape))
    nodes |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(shapes.objects(None, SH.property))
    for predicate in (*TARGETS, *_OTHER_TARGETS, SH.path, *COMPONENTS):
        nodes |= set(shapes.subjects(predicate, None))
    return nodes


def _check_keys(shapes: Graph, node: Node) -> None:
    """Refuse what the engine cannot evaluate, naming the shape and the feature."""
    if (node, RDF.type, RDFS.Class) in shapes:
        raise UnsupportedShape(
            f"{_label(shapes, node)} is also a class (an implicit class target); "
            "give it sh:targetClass instead"
        )
    for predicate in set(shapes.predicates(node, None)):
        if str(predicate).startswith(str(SH)) and predicate not in _DESCRIPTIVE:
            raise UnsupportedShape(
                f"{_label(shapes, node)} uses {shapes.namespace_manager.normalizeUri(predicate)}, "
                "which the oxigraph engine does not support; use --engine pyshacl"
            )
    if (node, SH.property, None) in shapes and (
        (node, SH.path, None) in shapes or any(shapes.subjects(SH.property, node))
    ):
        raise UnsupportedShape(
            f"{_label(shapes, node)}: property shapes nested more than one level deep"
        )


def _deactivated(shapes: Graph, node: Node) -> bool:
    value = shapes.value(node, SH.deactivated)
    return isinstance(value, Literal) and value.toPython() is True


def _targets(shapes: Graph, node: Node) -> tuple[Target, ...]:
    return tuple(
        sorted(
            (Target(kind, term) for kind in TARGETS for term in shapes.objects(node, kind)),
            key=lambda t: (str(t.kind), str(t.term)),
        )
    )


def _spec(shapes: Graph, node: Node, targets: tuple[Target, ...]) -> ShapeSpec:
    path_node = shapes.value(node, SH.path)
    path = shacl_path(shapes, path_node) if path_node is not None else None
    constraints = []
    for parameter, component in COMPONENTS.items():
        for value in shapes.objects(node, parameter):
            if parameter in COUNTS and path is None:
                raise UnsupportedShape(
                    f"{_label(shapes, node)}: sh:minCount/sh:maxCount need sh:path"
                )
            constraints.append(_constraint(shapes, node, parameter, component, value))
    sparql = tuple(
        _sparql(shapes, node, s) for s in sorted(shapes.objects(node, SH.sparql), key=str)
    )
    if sparql and path is not None:
        raise UnsupportedShape(
            f"{_label(shapes, node)}: SPARQL constraints on property shapes are not supported"
        )
    severity = shapes.value(node, SH.severity) or SH.Violation
    messages = tuple(
        sorted((m for m in shapes.objects(node, SH.message) if isinstance(m, Literal)), key=str)
    )
    return ShapeSpec(
        node=node,
        name=shape_name(shapes, node),
        severity=severity,
        messages=messages,
        targets=targets,
        path=path,
        constraints=tuple(sorted(constraints, key=lambda c: (str(c.component), str(c.parameter)))),
        sparql=tuple(s for s in sparql if s is not None),
    )


def _constraint(
    shapes: Graph, node: Node, parameter: URIRef, component: URIRef, value: Node
) -> Constraint:
    if parameter in COUNTS or parameter in (SH.minLength, SH.maxLength):
        return Constraint(component, int(value))
    if parameter == SH["in"]:
        return Constraint(component, tuple(Collection(shapes, value)))
    if parameter == SH.pattern:
        flags = shapes.value(node, SH.flags)
        return Constraint(component, str(value), str(flags) if flags is not None else "")
    return Constraint(component, value)


def _sparql(shapes: Graph, shape: Node, node: Node) -> SparqlConstraint | None:
    for predicate in set(shapes.predicates(node, None)):
        if predicate not in _SPARQL_KEYS:
            raise UnsupportedShape(
                f"{_label(shapes, shape)}: the SPARQL constraint uses {predicate}, which the "
                "oxigraph engine does not support; use --engine pyshacl"
            )
    if _deactivated(shapes, node):
        return None
    select = shapes.value(node, SH.select)
    if select is None:
        raise UnsupportedShape(f"{_label(shapes, shape)}: a SPARQL constraint without sh:select")
    text = str(select)
    for variable in _UNSUPPORTED_VARIABLES:
        if variable in text:
            raise UnsupportedShape(
                f"{_label(shapes, shape)}: the oxigraph engine does not pre-bind {variable}; "
                "use --engine pyshacl"
            )
    return SparqlConstraint(node, _prefixes(shapes, node) + text)


def _prefixes(shapes: Graph, node: Node) -> str:
    """PREFIX lines from the sh:declare of the constraint's sh:prefixes, as SHACL-SPARQL says."""
    declared: dict[str, str] = {}
    for holder in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise UnsupportedShape(
                    f"{holder}: every sh:declare needs sh:prefix and sh:namespace"
                )
            if declared.setdefault(str(prefix), str(namespace)) != str(namespace):
                raise UnsupportedShape(f"{holder}: prefix {prefix} is declared with two namespaces")
    for prefix, namespace in declared.items():
        if not prefix.replace("_", "").replace("-", "").isalnum() or any(
            c in namespace for c in '<>"{}|^`\\ '
        ):
            raise UnsupportedShape(
                f"sh:declare: {prefix!r} / {namespace!r} is not a valid prefix declaration"
            )
    return "".join(
        f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(declared.items())
    )


def shacl_path(graph: Graph, node: Node) -> ShapePath:
    """A SHACL path node as an rdflib path (every SHACL path form)."""
    if isinstance(node, URIRef):
        return node
    if (node, RDF.first, None) in graph:
        return SequencePath(*(shacl_path(graph, step) for step in Collection(graph, node)))
    for predicate, wrap in (
        (SH.inversePath, InvPath),
        (SH.zeroOrMorePath, lambda p: MulPath(p, ZeroOrMore)),
        (SH.oneOrMorePath, lambda p: MulPath(p, OneOrMore)),
        (SH.zeroOrOnePath, lambda p: MulPath(p, ZeroOrOne)),
    ):
        inner = graph.value(node, predicate)
        if inner is not None:
            return wrap(shacl_path(graph, inner))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return AlternativePath(
            *(shacl_path(graph, step) for step in Collection(graph, alternatives))
        )
    raise UnsupportedShape(f"{node} is not a SHACL path")


def shape_name(shapes: Graph, node: Node) -> str:
    """What a report calls a shape: its sh:name, or else its compact IRI."""
    name = shapes.value(node, SH.name)
    return str(name) if name is not None else _label(shapes, node)


def _label(shapes: Graph, node: Node) -> str:
    if isinstance(node, BNode):
        return "a blank-node shape"
    return shapes.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)
