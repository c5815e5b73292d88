"""SHACL-SPARQL: the SPARQL of a shapes graph, checked, pre-bound and run per focus node.

Pre-binding (SHACL 5.6.1) substitutes the values of $this, $value, $currentShape,
$shapesGraph, $PATH and a component's parameters into the query text: an IRI or a literal is
written in its place (in a projection as `(term AS ?var)`), so it is bound inside BIND,
sub-selects, OPTIONAL, UNION and FILTER NOT EXISTS too, which Oxigraph's own substitutions
are not. A blank node cannot be written in a query: it goes through Oxigraph's substitutions.

`check_query` refuses what the specification says an engine must refuse (MINUS, VALUES, SERVICE,
`AS $this`, a sub-select that drops $this), except SERVICE under --allow-service.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.term import Node

from qualgraph.rdf.terms import OxTerm
from qualgraph.shacl.shapes import ShapePath, UnsupportedShape, is_true, shape_name

if TYPE_CHECKING:
    from qualgraph.shacl.focus_engine import FocusEngine

SHAPES_GRAPH = ox.NamedNode("urn:qualgraph:shapes-graph")
"""The name under which the shapes graph is put into the store for $shapesGraph."""

Prebound = dict[str, "OxTerm | str"]
"""Pre-bound variables: a term, or (for $PATH) SPARQL path text."""

_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_\-]*)"
    r"|(?P<other>.)",
    re.S,
)
PREBOUND = ("this", "currentShape", "shapesGraph")
"""Pre-bound in every query ($value only in ASK validators, where it is a value node)."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    keyword: str  # the upper-cased word when it can be a keyword (not a prefixed name's part)


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        word = match.group()
        keyword = ""
        if kind == "word" and not (found and found[-1].text == ":"):
            after = text[match.end() : match.end() + 1]
            keyword = "" if after == ":" else word.upper()
        found.append(_Token(kind, word, keyword))
    return found


def check_query(text: str, where: str, allow_service: bool, names: tuple[str, ...] = ()) -> None:
    """Refuse a SHACL-SPARQL query the specification forbids (`where` names the shape)."""
    tokens = [t for t in _tokens(text) if t.kind != "comment" and not t.text.isspace()]
    bound = set(PREBOUND) | set(names)
    selects = 0
    for i, token in enumerate(tokens):
        if token.keyword in ("MINUS", "VALUES"):
            raise UnsupportedShape(
                f"{where}: SHACL-SPARQL forbids {token.keyword} in a shape's query"
            )
        if token.keyword == "SERVICE" and not allow_service:
            raise UnsupportedShape(
                f"{where}: the query uses SERVICE, which would send parts of it to another "
                "server over the network; pass --allow-service to run it"
            )
        if (
            token.keyword == "AS"
            and i + 1 < len(tokens)
            and tokens[i + 1].kind == "var"
            and tokens[i + 1].text[1:] in bound
        ):
            raise UnsupportedShape(
                f"{where}: the query binds the pre-bound variable {tokens[i + 1].text} "
                "with AS, which SHACL-SPARQL forbids"
            )
        if token.keyword == "SELECT":
            selects += 1
            if selects > 1:
                projection = []
                for later in tokens[i + 1 :]:
                    if later.keyword == "WHERE" or later.text == "{":
                        break
                    projection.append(later.text)
                if not {"$this", "?this"} & set(projection):
                    raise UnsupportedShape(
                        f"{where}: a sub-select of the query does not return $this, which "
                        "SHACL-SPARQL forbids"
                    )


def prebind(text: str, bound: Prebound) -> tuple[str, dict[ox.Variable, OxTerm]]:
    """The query text with the pre-bound values written in, and the substitutions left for
    blank nodes (which are named `?qg_prebound_<name>` in the text)."""
    substitutions: dict[ox.Variable, OxTerm] = {}
    written: dict[str, str] = {}
    for name, value in bound.items():
        if isinstance(value, str):
            written[name] = value
        elif isinstance(value, ox.BlankNode):
            variable = f"qg_prebound_{name}"
            substitutions[ox.Variable(variable)] = value
            written[name] = "?" + variable
        else:
            written[name] = str(value)
    out: list[str] = []
    projecting = False
    depth = 0
    selects = 0
    insert = ""  # blank-node variables still to add to the outer projection
    tokens = _tokens(text)
    skip = 0
    grouping = False
    for i, token in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        if token.keyword == "BOUND":
            inner = [t for t in tokens[i + 1 : i + 8] if not t.text.isspace()][:3]
            if (
                len(inner) == 3
                and inner[0].text == "("
                and inner[1].kind == "var"
                and inner[1].text[1:] in written
                and inner[2].text == ")"
            ):
                out.append("(true)")  # BOUND takes a variable: a pre-bound one is bound
                skip = tokens.index(inner[2], i) - i
                continue
        if token.keyword == "SELECT":
            projecting, depth = True, 0
            selects += 1
            if selects == 1 and substitutions:
                insert = " ".join(f"?{v.value}" for v in substitutions) + " "
            out.append(token.text)
            continue
        if projecting:
            if insert and not token.text.isspace() and token.keyword not in ("DISTINCT", "REDUCED"):
                if token.text != "*":
                    out.append(insert)
                insert = ""
            if token.keyword == "WHERE" or token.text == "{":
                projecting = False
            elif token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
        if token.keyword == "BY":
            grouping = True  # GROUP BY / ORDER BY take a variable or a bracketed expression
        elif token.keyword in ("HAVING", "LIMIT", "OFFSET") or token.text in "{}":
            grouping = False
        if token.kind == "var" and token.text[1:] in written:
            name = token.text[1:]
            if grouping:
                out.append(f"({written[name]})")
            elif projecting and depth == 0:
                if name != "PATH":
                    # a sub-select's copy is renamed: the outer query already has the value
                    alias = name if selects == 1 else f"qg_prebound_{name}_{selects}"
                    out.append(f"({written[name]} AS ?{alias})")
            else:
                out.append(written[name])
            continue
        out.append(token.text)
    return "".join(out), substitutions


def path_text(path: ShapePath) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(path, URIRef):
        if any(c in str(path) for c in '<>"{}|^`\\ '):
            raise UnsupportedShape(f"{path!r} cannot be written as a SPARQL IRI")
        return f"<{path}>"
    if isinstance(path, InvPath):
        return f"^({path_text(path.arg)})"
    if isinstance(path, SequencePath):
        return "(" + "/".join(path_text(step) for step in path.args) + ")"
    if isinstance(path, AlternativePath):
        return "(" + "|".join(path_text(step) for step in path.args) + ")"
    if isinstance(path, MulPath):
        return f"({path_text(path.path)}){path.mod}"
    raise UnsupportedShape(f"{path} is not a SHACL path")


def prefixes(shapes: Graph, node: Node) -> str:
    """PREFIX lines from the sh:declare of a node's sh:prefixes (SHACL 5.2.1)."""
    declared: dict[str, str] = {}
    holders = list(shapes.objects(node, SH.prefixes))
    for holder in holders:  # and the ontologies they import (owl:imports), once each
        holders.extend(i for i in shapes.objects(holder, OWL.imports) if i not in holders)
    for holder in holders:
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise UnsupportedShape(
                    f"{holder}: every sh:declare needs sh:prefix and sh:namespace"
                )
            if declared.setdefault(str(prefix), str(namespace)) != str(namespace):
                raise UnsupportedShape(f"{holder}: prefix {prefix} is declared with two namespaces")
    for name, iri in declared.items():
        if not name.replace("_", "").replace("-", "").isalnum() or any(
            c in iri for c in '<>"{}|^`\\ '
        ):
            raise UnsupportedShape(
                f"sh:declare: {name!r} / {iri!r} is not a valid prefix declaration"
            )
    return "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(declared.items()))


# -- constraints and components ----------------------------------------------------------------


def _local_name(iri: Node) -> str:
    return re.split(r"[#/]", str(iri))[-1]


@dataclass(frozen=True)
class _Sparql:
    """An sh:sparql constraint of a shape."""

    node: Node
    query: str

    def rows(self, engine: FocusEngine, shape: Node, focus, path, values) -> Iterator:
        from qualgraph.shacl.focus_engine import Found

        bound = _context(engine, self.query, shape, focus, path)
        messages = _messages(engine.shapes, (self.node, shape))
        for row in engine.select(shape, self.query, bound):
            failure = row.get("failure")
            if isinstance(failure, ox.Literal) and failure.value == "true":
                raise UnsupportedShape(
                    f"{shape_name(engine.shapes, shape)}: the SPARQL constraint reported a failure"
                )
            value = row.get("value", focus if path is None else None)
            at = row.get("path")
            found_path = URIRef(at.value) if isinstance(at, ox.NamedNode) else path
            names = {"this": focus, **({"value": value} if value is not None else {}), **row}
            yield Found(
                focus,
                shape,
                SH.SPARQLConstraintComponent,
                found_path,
                value,
                _fill(messages, names),
            )


@dataclass(frozen=True)
class _Component:
    """A SPARQL-based constraint component (SHACL 6): parameters and validators."""

    node: Node
    parameters: tuple[tuple[URIRef, bool], ...]  # (path, optional)
    ask: tuple[Node, str] | None
    node_select: tuple[Node, str] | None
    property_select: tuple[Node, str] | None

    def bindings(self, shapes: Graph, shape: Node) -> list[dict[str, Node]]:
        """One dict per combination of the shape's parameter values; none if a mandatory one
        is missing."""
        choices = []
        for path, optional in self.parameters:
            values = list(shapes.objects(shape, path))
            if not values:
                if not optional:
                    return []
                continue
            choices.append([(_local_name(path), v) for v in values])
        return [dict(combination) for combination in product(*choices)]


@dataclass(frozen=True)
class _Validation:
    """A component applied to one shape with one combination of parameter values."""

    component: _Component
    parameters: dict[str, Node]

    def rows(self, engine: FocusEngine, shape: Node, focus, path, values) -> Iterator:
        from qualgraph.rdf.terms import to_ox
        from qualgraph.shacl.focus_engine import Found

        c = self.component
        component = cast(URIRef, c.node)  # a constraint component is named by an IRI
        params = {name: to_ox(value) for name, value in self.parameters.items()}
        select = c.property_select if path is not None else c.node_select
        if select is not None:
            node, query = select
            bound = _context(engine, query, shape, focus, path) | params
            messages = _messages(engine.shapes, (node, c.node, shape))
            for row in engine.select(shape, query, bound):
                value = row.get("value", focus if path is None else None)
                names = {**self.parameters, "this": focus, **row}
                yield Found(focus, shape, component, path, value, _fill(messages, names))
            return
        if c.ask is None:
            raise UnsupportedShape(
                f"{shape_name(engine.shapes, shape)}: the constraint component {c.node} has no "
                "validator for this kind of shape"
            )
        node, query = c.ask
        messages = _messages(engine.shapes, (node, c.node, shape))
        for value in values:
            bound = _context(engine, query, shape, focus, path) | params | {"value": value}
            if not engine.select(shape, query, bound):
                names = {**self.parameters, "this": focus, "value": value}
                yield Found(focus, shape, component, path, value, _fill(messages, names))


def _context(engine: FocusEngine, query: str, shape: Node, focus, path) -> Prebound:
    from qualgraph.rdf.terms import to_ox

    bound: Prebound = {"this": focus, "currentShape": to_ox(shape)}
    if "shapesGraph" in query:
        bound["shapesGraph"] = engine.shapes_graph()
    if path is not None:
        bound["PATH"] = path_text(path)
    return bound


def _messages(shapes: Graph, holders: tuple[Node, ...]) -> list[str]:
    for holder in holders:
        found = sorted(str(m) for m in shapes.objects(holder, SH.message) if isinstance(m, Literal))
        if found:
            return found
    return []


def _fill(messages: list[str], names: dict[str, object]) -> str:
    """{?var} / {$var} replaced by the bound values, as SHACL-SPARQL says."""
    texts = []
    for message in messages:
        for name, value in names.items():
            shown = getattr(value, "value", None) or str(value)
            message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", _replacement(shown), message)
        texts.append(message)
    return " ".join(texts)


class Constraints:
    """Every SPARQL constraint and SPARQL-based component application of a shapes graph."""

    def __init__(self, shapes: Graph, components: list[_Component]) -> None:
        self.shapes = shapes
        self.components = components
        self._cache: dict[Node, list] = {}

    def of(self, shape: Node) -> list:
        if shape not in self._cache:
            found: list = []
            for node in sorted(self.shapes.objects(shape, SH.sparql), key=str):
                if is_true(self.shapes.value(node, SH.deactivated)):
                    continue
                select = self.shapes.value(node, SH.select)
                if select is None:
                    raise UnsupportedShape(
                        f"{shape_name(self.shapes, shape)}: a SPARQL constraint without sh:select"
                    )
                found.append(_Sparql(node, prefixes(self.shapes, node) + str(select)))
            for component in self.components:
                for parameters in component.bindings(self.shapes, shape):
                    found.append(_Validation(component, parameters))
            self._cache[shape] = found
        return self._cache[shape]


def component_nodes(shapes: Graph) -> list[Node]:
    """The constraint components a shapes graph declares (typed by sh:ConstraintComponent or a
    subclass of it)."""
    classes = set(shapes.transitive_subjects(RDFS.subClassOf, SH.ConstraintComponent))
    return sorted({c for cls in classes for c in shapes.subjects(RDF.type, cls)}, key=str)


def _validator(shapes: Graph, component: Node, predicate: URIRef, key: URIRef):
    for node in shapes.objects(component, predicate):
        text = shapes.value(node, key)
        if text is not None:
            return node, prefixes(shapes, node) + str(text)
    return None


def sparql_constraints(shapes: Graph) -> Constraints:
    components = []
    for node in component_nodes(shapes):
        parameters = []
        for parameter in shapes.objects(node, SH.parameter):
            path = shapes.value(parameter, SH.path)
            optional = shapes.value(parameter, SH.optional)
            if not isinstance(path, URIRef):
                raise UnsupportedShape(f"{node}: a parameter without an IRI sh:path")
            parameters.append((path, is_true(optional)))
        components.append(
            _Component(
                node,
                tuple(sorted(parameters, key=str)),
                _validator(shapes, node, SH.validator, SH.ask),
                _validator(shapes, node, SH.nodeValidator, SH.select),
                _validator(shapes, node, SH.propertyValidator, SH.select),
            )
        )
    return Constraints(shapes, components)


def parameter_paths(shapes: Graph) -> set[URIRef]:
    """The parameters of the declared components (what makes a shape use one)."""
    return {
        path
        for node in component_nodes(shapes)
        for parameter in shapes.objects(node, SH.parameter)
        for path in shapes.objects(parameter, SH.path)
        if isinstance(path, URIRef)
    }


def queries(shapes: Graph) -> Iterator[tuple[Node, str, tuple[str, ...]]]:
    """Every query text of a shapes graph (sh:select, sh:ask), with the node holding it and the
    names of the parameters it may use."""
    params = tuple(_local_name(p) for p in parameter_paths(shapes))
    for key in (SH.select, SH.ask):
        for node, text in shapes.subject_objects(key):
            yield node, str(text), params


_UNSAFE = {"UNION", "GRAPH", "SERVICE", "VALUES", "MINUS", "LIMIT", "OFFSET"}
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "GROUP"}


def unbound_safe(text: str) -> bool:
    """Whether running the query once with $this unbound, then keeping the rows whose ?this is a
    focus node, gives exactly the rows of pre-binding $this to each focus node.

    True when the query's WHERE group starts with a triple pattern on $this (so every later
    element is joined, left-joined, filtered or extended with $this already bound); OPTIONAL
    groups hold no nested group or BIND; FILTER (NOT) EXISTS may hold anything (it sees the
    row's bindings); aggregates group by $this; no UNION, GRAPH, sub-select, LIMIT or OFFSET.
    Anything else (the set-based engine's silent error) is run per focus node instead."""
    tokens = [t for t in _tokens(text) if t.kind != "comment" and not t.text.isspace()]
    this = {"$this", "?this"}
    selects = [i for i, t in enumerate(tokens) if t.keyword == "SELECT"]
    if len(selects) != 1:
        return False
    start = next((i for i in range(selects[0], len(tokens)) if tokens[i].text == "{"), None)
    if start is None or not this & {t.text for t in tokens[selects[0] : start]}:
        return False
    if start + 1 >= len(tokens) or tokens[start + 1].text not in this:
        return False
    for token in tokens[start + 1 :]:  # a zero-length path would reach focus nodes off the data
        if token.text in (".", "{", "}"):
            break
        if token.kind == "other" and token.text in "*?":
            return False
    stack: list[str] = []
    previous = ""
    aggregated = False
    for i in range(start, len(tokens)):
        token = tokens[i]
        inside_exists = "exists" in stack
        if token.text == "{":
            kind = {"OPTIONAL": "optional", "EXISTS": "exists"}.get(previous, "plain")
            if not stack:
                kind = "outer"
            elif kind == "plain" and not inside_exists:
                return False
            elif kind == "optional" and "optional" in stack and not inside_exists:
                return False
            stack.append(kind)
        elif token.text == "}":
            if stack:
                stack.pop()
        elif not inside_exists:
            if token.keyword in _UNSAFE:
                return False
            if token.keyword == "BIND" and "optional" in stack:
                return False
            if token.keyword in _AGGREGATES:
                aggregated = True
        previous = token.keyword
    if aggregated or any(t.keyword in _AGGREGATES for t in tokens[:start]):
        groups = [i for i, t in enumerate(tokens) if t.keyword == "GROUP"]
        if not groups:
            return False
        clause = []
        for t in tokens[groups[-1] + 2 :]:
            if t.keyword in ("HAVING", "ORDER", "LIMIT", "OFFSET"):
                break
            clause.append(t.text)
        return bool(this & set(clause))
    return True


def _replacement(text: str) -> Callable[[re.Match[str]], str]:
    """`text` as written (a replacement string would read its backslashes)."""
    return lambda _match: text
