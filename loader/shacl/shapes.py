"""The SHACL shapes a study is validated with, checked and shared out between the engines.

The bundled shapes (shapes/*.ttl) always apply; a study adds its own rules with extra files.
`plan_shapes` refuses what SHACL says must be refused (and what would contact a server without
--allow-service), gives the set-based compiler (`shacl.py`) the shapes it evaluates exactly, as
typed specs, and the general engine (`shacl_focus.py`) every other shape with targets; a SHACL
term neither evaluates is named, never skipped in silence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.paths import (
    AlternativePath,
    InvPath,
    MulPath,
    SequencePath,
)
from rdflib.paths import Path as RdfPath
from rdflib.term import Node
from rdflib.util import guess_format

from qualgraph.errors import InputError, QualgraphError, ResourceError
from qualgraph.resources import resource_files

ShapePath = URIRef | RdfPath
"""A SHACL property path as an rdflib path: a predicate IRI, or an InvPath / SequencePath / ..."""


class UnsupportedShape(QualgraphError):
    """A shapes file uses a SHACL feature the Oxigraph engine does not evaluate."""


# -- loading -----------------------------------------------------------------------------------


def bundled_shape_files() -> list[Path]:
    return resource_files("shapes", "*.ttl")


def load_shapes(extra: Sequence[Path] = (), allow_service: bool = False) -> Graph:
    """The bundled shapes plus the study's own shapes files, as one shapes graph. A JSON-LD
    file whose @context is fetched from elsewhere is refused unless `allow_service`."""
    graph = Graph()
    for path in bundled_shape_files():
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many parser-specific types
            raise ResourceError(f"the bundled shapes file {path.name} is broken: {exc}") from exc
    for path in extra:
        fmt = guess_format(str(path)) or "turtle"
        if fmt == "json-ld" and not allow_service:
            _refuse_remote_context(path)
        try:
            graph.parse(path, format=fmt)
        except OSError as exc:
            raise InputError(f"cannot read shapes file {path}: {exc.strerror or exc}") from exc
        except Exception as exc:
            raise InputError(f"{path}: not a valid shapes file: {exc}") from exc
    return graph


def _refuse_remote_context(path: Path) -> None:
    """rdflib fetches a JSON-LD @context given by URL (or an @import): a shapes file must not
    make validation contact a server without --allow-service."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read shapes file {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise InputError(f"{path}: not a valid shapes file: {exc}") from exc

    def remote(value: object, key: str = "") -> str | None:
        if isinstance(value, str):
            return value if key in ("@context", "@import") else None
        if isinstance(value, list):
            return next((r for r in (remote(v, key) for v in value) if r), None)
        if isinstance(value, dict):
            return next((r for r in (remote(v, k) for k, v in value.items()) if r), None)
        return None

    found = remote(document)
    if found is not None:
        raise InputError(
            f"{path}: the JSON-LD context {found} would be fetched over the network; "
            "pass --allow-service to allow it"
        )


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
_GENERAL = {
    *_DESCRIPTIVE,
    SH.targetNode,
    SH.defaultValue,
    SH.select,
    SH.prefixes,
    *(
        SH[name]
        for name in (
            "minExclusive minInclusive maxExclusive maxInclusive languageIn uniqueLang equals "
            "disjoint lessThan lessThanOrEquals node not and or xone qualifiedValueShape "
            "qualifiedMinCount qualifiedMaxCount qualifiedValueShapesDisjoint closed "
            "ignoredProperties"
        ).split()
    ),
}
"""What the general engine evaluates (or, for descriptions, reads past) on a shape."""
_REFERENCES = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property)
_LISTS = (SH["and"], SH["or"], SH.xone)
_UNSUPPORTED_VARIABLES = ("$currentShape", "?currentShape", "$shapesGraph", "?shapesGraph", "$PATH")


@dataclass(frozen=True)
class ShapePlan:
    """How a shapes graph is run: `specs` by the set-based compiler (shacl.py), and the shapes
    with targets in `general` node by node (shacl_focus.py), each with its property shapes."""

    specs: tuple[ShapeSpec, ...]
    general: tuple[Node, ...]


class _NotCompiled(Exception):
    """The set-based compiler cannot run this shape exactly (the general engine will)."""


def plan_shapes(shapes: Graph, allow_service: bool = False, engine: str = "oxigraph") -> ShapePlan:
    """Check the shapes (refusing what SHACL says must fail) and share them out between the
    set-based compiler and the general engine (for `engine` pyshacl: only checked)."""
    check_shapes(shapes, allow_service)
    from qualgraph.shacl.sparql_shapes import parameter_paths

    parameters = parameter_paths(shapes)
    specs: list[ShapeSpec] = []
    general: list[Node] = []
    for node in targeted(shapes):
        if _deactivated(shapes, node):
            continue
        try:
            specs.extend(_compiled(shapes, node, parameters))
        except _NotCompiled:
            if engine == "oxigraph":
                _check_general(shapes, node, parameters)
            general.append(node)
    return ShapePlan(tuple(specs), tuple(general))


def _check_general(shapes: Graph, node: Node, parameters: set[URIRef]) -> None:
    """Refuse a shape (or a shape it refers to) that names a SHACL term the general engine
    does not evaluate, rather than skip it: a typo such as sh:minCont, or SHACL Advanced
    Features (sh:target, sh:rule), which pySHACL runs."""
    seen: set[Node] = set()
    todo = [node]
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        for predicate in set(shapes.predicates(shape, None)):
            if (
                str(predicate).startswith(str(SH))
                and predicate not in _GENERAL
                and predicate not in parameters
            ):
                raise UnsupportedShape(
                    f"{_label(shapes, shape)} uses "
                    f"{shapes.namespace_manager.normalizeUri(str(predicate))}, which the oxigraph "
                    "engine does not evaluate; use --engine pyshacl"
                )
        for predicate in _REFERENCES:
            todo.extend(shapes.objects(shape, predicate))
        for predicate in _LISTS:
            for members in shapes.objects(shape, predicate):
                todo.extend(Collection(shapes, members))


def read_shapes(shapes: Graph) -> tuple[ShapeSpec, ...]:
    """The specs of the shapes the set-based compiler runs (see `plan_shapes`)."""
    return plan_shapes(shapes).specs


def targeted(shapes: Graph) -> list[Node]:
    """Every shape with a target (declared, or implicit: a shape that is also a class)."""
    nodes = {s for kind in (*TARGETS, *_OTHER_TARGETS) for s in shapes.subjects(kind, None)}
    for kind in (SH.NodeShape, SH.PropertyShape):
        nodes |= {s for s in shapes.subjects(RDF.type, kind) if (s, RDF.type, RDFS.Class) in shapes}
    return sorted(nodes, key=str)


def _compiled(shapes: Graph, node: Node, parameters: set[URIRef]) -> list[ShapeSpec]:
    """The specs of a shape and its property shapes, or _NotCompiled."""
    from qualgraph.shacl.sparql_shapes import unbound_safe

    if (node, RDF.type, RDFS.Class) in shapes or any(
        (node, kind, None) in shapes for kind in _OTHER_TARGETS
    ):
        raise _NotCompiled
    children = [c for c in shapes.objects(node, SH.property) if not _deactivated(shapes, c)]
    for shape in (node, *children):
        predicates = set(shapes.predicates(shape, None))
        if predicates & parameters or any(
            str(p).startswith(str(SH)) and p not in _DESCRIPTIVE for p in predicates
        ):
            raise _NotCompiled
        path = shapes.value(shape, SH.path)
        if path is not None and not _simple_path(shapes, path):
            raise _NotCompiled
        for sparql in shapes.objects(shape, SH.sparql):
            if set(shapes.predicates(sparql, None)) - _SPARQL_KEYS:
                raise _NotCompiled
            select = shapes.value(sparql, SH.select)
            if select is None or path is not None or not unbound_safe(str(select)):
                raise _NotCompiled
            if any(variable in str(select) for variable in _UNSUPPORTED_VARIABLES):
                raise _NotCompiled
    if (node, SH.path, None) in shapes and children:
        raise _NotCompiled
    if any((child, SH.property, None) in shapes for child in children):
        raise _NotCompiled
    if (node, SH.path, None) not in shapes and any((node, p, None) in shapes for p in COUNTS):
        raise _NotCompiled
    targets = _targets(shapes, node)
    return [_spec(shapes, shape, targets) for shape in (node, *sorted(children, key=str))]


def _simple_path(shapes: Graph, node: Node) -> bool:
    """A predicate, an inverse predicate, or a sequence of them (what the compiler writes)."""
    path = shacl_path(shapes, node)
    steps = path.args if isinstance(path, SequencePath) else [path]
    return all(
        isinstance(step, URIRef) or (isinstance(step, InvPath) and isinstance(step.arg, URIRef))
        for step in steps
    )


_INTEGERS = (
    SH.minCount,
    SH.maxCount,
    SH.minLength,
    SH.maxLength,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
)


def check_shapes(shapes: Graph, allow_service: bool = False) -> None:
    """Refuse, in one line naming the shape, what no engine may run: parameters of the wrong
    kind, patterns that are not XPath regular expressions, and SPARQL that SHACL forbids (or
    that would contact another server: SERVICE, unless `allow_service`). Both engines call it,
    so pySHACL never meets these (it crashes or contacts the server)."""
    from qualgraph.shacl.sparql_shapes import check_query, queries
    from qualgraph.shacl.xpath_regex import PatternError, compile_pattern

    for predicate in _INTEGERS:
        for node, value in shapes.subject_objects(predicate):
            if not (isinstance(value, Literal) and isinstance(value.toPython(), int)):
                raise UnsupportedShape(
                    f"{_label(shapes, node)}: {shapes.namespace_manager.normalizeUri(predicate)} "
                    f"must be an integer, not {value.n3()}"
                )
    for node, pattern in shapes.subject_objects(SH.pattern):
        flags = shapes.value(node, SH.flags)
        try:
            compile_pattern(str(pattern), str(flags) if flags is not None else "")
        except PatternError as exc:
            raise UnsupportedShape(
                f"{_label(shapes, node)}: sh:pattern {pattern.n3()}: {exc}"
            ) from exc
    for holder, text, parameters in queries(shapes):
        owner = next(iter(shapes.subjects(SH.sparql, holder)), None) or next(
            (
                c
                for p in (SH.validator, SH.nodeValidator, SH.propertyValidator)
                for c in shapes.subjects(p, holder)
            ),
            holder,
        )
        check_query(text, _label(shapes, owner), allow_service, parameters)


def is_true(value: Node | None) -> bool:
    """Exactly "true"^^xsd:boolean (SHACL names only true: "1" does not switch a feature on)."""
    return isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) == "true"


def _deactivated(shapes: Graph, node: Node) -> bool:
    return is_true(shapes.value(node, SH.deactivated))


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
            constraints.append(_constraint(shapes, node, parameter, component, value))
    sparql = tuple(
        _sparql(shapes, node, s) for s in sorted(shapes.objects(node, SH.sparql), key=str)
    )
    severity = cast(URIRef, shapes.value(node, SH.severity) or SH.Violation)  # an IRI (SHACL 2.1.5)
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
        # every rdflib term has toPython (the Node stub does not say so)
        return Constraint(component, int(value.toPython()))  # type: ignore[attr-defined]
    if parameter == SH["in"]:
        return Constraint(component, tuple(Collection(shapes, value)))
    if parameter == SH.pattern:
        flags = shapes.value(node, SH.flags)
        return Constraint(component, str(value), str(flags) if flags is not None else "")
    return Constraint(component, value)


def _sparql(shapes: Graph, shape: Node, node: Node) -> SparqlConstraint | None:
    from qualgraph.shacl.sparql_shapes import prefixes

    if _deactivated(shapes, node):
        return None
    return SparqlConstraint(node, prefixes(shapes, node) + str(shapes.value(node, SH.select)))


def shacl_path(graph: Graph, node: Node) -> ShapePath:
    """A SHACL path node as an rdflib path (every SHACL path form)."""
    if isinstance(node, URIRef):
        return node
    if (node, RDF.first, None) in graph:
        return SequencePath(*(shacl_path(graph, step) for step in Collection(graph, node)))
    for predicate, wrap in (
        (SH.inversePath, InvPath),
        # rdflib's ZeroOrMore, OneOrMore, ZeroOrOne, spelt as MulPath's type wants them
        (SH.zeroOrMorePath, lambda p: MulPath(p, "*")),
        (SH.oneOrMorePath, lambda p: MulPath(p, "+")),
        (SH.zeroOrOnePath, lambda p: MulPath(p, "?")),
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
