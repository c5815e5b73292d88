"""Named research queries: SPARQL files in queries/, each with a header, run over a study graph.

A query file starts with comment lines that say what it is:

    # name: evidence
    # description: Every quote that grounds a code, ...
    # param: code (code) - the code: its identifier (end_to_end) or IRI

A parameter is `NAME (KIND[, optional])`; KIND is one of PARAMETER_KINDS. Values are bound as
RDF terms, never pasted into the text, so no value can change what a query does. They are
Oxigraph substitutions (SEP-0007), which bind like rdflib's initBindings (the tests run every
named query on both engines); Oxigraph substitutes only variables the query selects, so every
parameter must be a selected variable, and this is checked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from qualgraph.errors import QualgraphError, ResourceError
from qualgraph.query.rows import Rows, select
from qualgraph.rdf.namespaces import QG
from qualgraph.rdf.store import QUERY_PREFIXES
from qualgraph.rdf.terms import OxTerm, to_ox, to_rdflib
from qualgraph.resources import resource_files

PARAMETER_KINDS = ("code", "source", "iri", "string", "integer", "decimal", "boolean")
"""`code` and `source` take an identifier or an IRI and are checked against the graph."""

_HEADER = re.compile(r"#\s*(name|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*(?:-\s*(.*))?$")


class QueryError(QualgraphError):
    """A query cannot run: unknown name, bad parameter, refused SERVICE, or bad SPARQL."""


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    required: bool
    description: str

    def signature(self) -> str:
        """As written in the header: `code (code)`, `source (source, optional)`."""
        return f"{self.name} ({self.kind}{'' if self.required else ', optional'})"


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with the header that documents it; `origin` says where it came from."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    origin: str
    open_parameters: bool = False
    """True for a query of one's own with no `# param:` line: any selected variable may be bound."""

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True)
class Checked:
    """What rdflib's SPARQL parser says about a query text: its form, projection and SERVICEs."""

    form: str
    variables: tuple[str, ...]
    uses_service: bool


# -- reading queries -------------------------------------------------------------------------


def parse_query(text: str, origin: str, default_name: str, *, bundled: bool = False) -> NamedQuery:
    """Read the header comment (its leading `#` lines) of a query text."""
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("#"):
            break
        match = _HEADER.match(line.strip())
        if match is None:
            continue
        key, value = match.groups()
        if key == "param":
            parameters.append(_parameter(value, origin))
        else:
            fields[key] = value
    name, description = fields.get("name", default_name), fields.get("description", "")
    return NamedQuery(
        name, description, tuple(parameters), text, origin, not bundled and not parameters
    )


def _parameter(text: str, origin: str) -> Parameter:
    match = _PARAM.match(text)
    if match is None:
        raise QueryError(
            f"{origin}: cannot read the parameter line {text!r}; "
            "write `# param: NAME (KIND) - description`"
        )
    name, spec, description = match.groups()
    words = [w.strip() for w in (spec or "string").split(",")]
    kind, flags = words[0], set(words[1:])
    if kind not in PARAMETER_KINDS or not flags <= {"optional"}:
        raise QueryError(
            f"{origin}: parameter {name} has kind {spec!r}; use one of "
            f"{', '.join(PARAMETER_KINDS)}, optionally followed by `, optional`"
        )
    return Parameter(name, kind, "optional" not in flags, description or "")


def read_query_file(path: Path, *, bundled: bool = False) -> NamedQuery:
    """A query file; the header is optional for one's own files."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    return parse_query(text, str(path), path.stem, bundled=bundled)


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every bundled query by name, read once."""
    queries: dict[str, NamedQuery] = {}
    for path in resource_files("queries", "*.rq"):
        try:
            named = read_query_file(path, bundled=True)
        except QueryError as exc:
            raise ResourceError(str(exc)) from exc
        if named.name in queries:
            raise ResourceError(f"{path}: query name {named.name!r} is used twice")
        queries[named.name] = named
    return queries


def find_query(name: str) -> NamedQuery:
    """The named query, or an error that suggests the closest name."""
    queries = named_queries()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise QueryError(f"unknown query {name!r}{hint} (qualgraph query --list shows every query)")


# -- checking ----------------------------------------------------------------------------------


@lru_cache(maxsize=128)
def check(text: str) -> Checked:
    """Parse with rdflib's SPARQL parser and walk the algebra: SERVICE is found as a graph
    pattern, so the word in a string literal or a comment does not count."""
    from pyparsing import ParseException  # with rdflib's SPARQL, 0.17 s: only when checking
    from rdflib.plugins.sparql import algebra, parser

    try:
        query = algebra.translateQuery(parser.parseQuery(text))
    except ParseException as exc:
        raise QueryError(f"the query does not parse: {exc}") from exc
    except Exception as exc:  # rdflib reports unknown prefixes and the like as plain exceptions
        raise QueryError(f"the query cannot be read: {exc}") from exc
    services: list[object] = []

    def visit(node: object) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            services.append(node)

    algebra.traverse(query.algebra, visitPre=visit)
    if query.algebra.name == "SelectQuery":
        variables = tuple(str(v) for v in query.algebra.get("PV", ()))  # type: ignore[arg-type]  # rdflib's stub types the default as bool
    else:  # ASK and CONSTRUCT project nothing: every variable in scope can be bound
        variables = tuple(sorted(str(v) for v in query.algebra.get("_vars", ())))  # type: ignore[arg-type]  # as above
    return Checked(query.algebra.name, variables, bool(services))


# -- parameters --------------------------------------------------------------------------------


def check_parameters(
    query: NamedQuery, values: Mapping[str, str], selected: tuple[str, ...]
) -> None:
    """Every value names a declared, selected parameter, and every required one is given."""
    for name in values:
        if not query.open_parameters and query.parameter(name) is None:
            known = ", ".join(p.name for p in query.parameters)
            accepted = f"its parameters: {known}" if known else "it takes none"
            raise QueryError(f"query {query.name} has no parameter {name!r}; {accepted}")
        if name not in selected:
            raise QueryError(
                f"the query does not select ?{name}, so --param {name} cannot bind it "
                f"(Oxigraph binds only selected variables: add ?{name} to SELECT)"
            )
    for parameter in query.parameters:
        if parameter.required and parameter.name not in values:
            raise QueryError(
                f"query {query.name} needs --param {parameter.name}=VALUE ({parameter.description})"
            )


Identifiers = Callable[[str], dict[str, str]]
"""kind ("code" or "source") → {identifier: IRI}: how a graph, local or remote, is asked."""


def bind(
    graph: ox.Store | Identifiers, query: NamedQuery, values: Mapping[str, str]
) -> dict[str, Node]:
    """The RDF term for each value: codes and sources are looked up in the graph (a local
    store, or a function that asks a server)."""
    identifiers: Identifiers = (
        (lambda kind: _identifiers(graph, kind)) if isinstance(graph, ox.Store) else graph
    )
    bindings: dict[str, Node] = {}
    for name, value in values.items():
        parameter = query.parameter(name)
        bindings[name] = _TERMS[parameter.kind if parameter else "any"](identifiers, value)
    return bindings


def _iri(value: str) -> URIRef | None:
    """`<...>` or an absolute http(s)/urn IRI, validated by Oxigraph; None for anything else."""
    text = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if text is value and not value.startswith(("http://", "https://", "urn:")):
        return None
    try:
        return URIRef(ox.NamedNode(text).value)
    except ValueError as exc:
        raise QueryError(f"{value!r} is not a valid IRI: {exc}") from exc


def _identifiers(store: ox.Store, kind: str) -> dict[str, str]:
    """identifier → IRI of every code in a qg:Codebook (skos:notation) or every qg:Source
    (dcterms:identifier): looked up in the graph, so any --base works."""
    found: dict[str, str] = {}
    if kind == "code":
        nodes = (
            member.subject
            for book in store.quads_for_pattern(None, to_ox(RDF.type), to_ox(QG.Codebook))
            for member in store.quads_for_pattern(None, to_ox(SKOS.inScheme), book.subject)
        )
        key = to_ox(SKOS.notation)
    else:
        nodes = (
            q.subject for q in store.quads_for_pattern(None, to_ox(RDF.type), to_ox(QG.Source))
        )
        key = to_ox(DCTERMS.identifier)
    for node in nodes:
        for quad in store.quads_for_pattern(node, key, None):
            if isinstance(quad.object, ox.Triple) or isinstance(node, ox.Triple):
                continue  # RDF-star: no identifier
            found.setdefault(quad.object.value, node.value)
    return found


def _named(kind: str) -> Callable[[Identifiers, str], Literal]:
    """A code or source given by identifier or IRI → its identifier, once the graph has it."""

    def resolve(identifiers: Identifiers, value: str) -> Literal:
        known = identifiers(kind)
        iri = _iri(value)
        if iri is not None:
            for identifier, node in known.items():
                if node == str(iri):
                    return Literal(identifier)
            raise QueryError(f"no {kind} <{iri}> in the study")
        if value in known:
            return Literal(value)
        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise QueryError(f"no {kind} {value!r} in the study{hint}")

    return resolve


def _typed(kind: str, convert: Callable[[str], object]) -> Callable[[Identifiers, str], Literal]:
    def literal(_graph: Identifiers, value: str) -> Literal:
        try:
            return Literal(convert(value))
        except (ValueError, InvalidOperation) as exc:
            raise QueryError(f"{value!r} is not a valid {kind}") from exc

    return literal


def _boolean(value: str) -> bool:
    if value not in ("true", "false"):
        raise ValueError(value)
    return value == "true"


def _required_iri(_graph: Identifiers, value: str) -> URIRef:
    iri = _iri(value)
    if iri is None:
        raise QueryError(f"{value!r} is not an IRI; write it as <...> or http(s)://...")
    return iri


def _any(_graph: Identifiers, value: str) -> Node:
    """An undeclared parameter: `<...>` is an IRI, anything else a plain string."""
    if value.startswith("<") and value.endswith(">"):
        return _required_iri(_graph, value)
    return Literal(value)


_TERMS: dict[str, Callable[[Identifiers, str], Node]] = {
    "code": _named("code"),
    "source": _named("source"),
    "iri": _required_iri,
    "string": lambda _graph, value: Literal(value),
    "integer": _typed("integer", int),
    "decimal": _typed("decimal", Decimal),
    "boolean": _typed("boolean", _boolean),
    "any": _any,
}


# -- running -----------------------------------------------------------------------------------


def prepare(
    query: NamedQuery, values: Mapping[str, str], *, allow_service: bool = False
) -> Checked:
    """Everything that can be checked before the study is loaded: syntax, form, SERVICE, names."""
    checked = check(query.text)
    if checked.uses_service and not allow_service:
        raise QueryError(
            "the query uses SERVICE, which sends parts of it to another server over the network; "
            "pass --allow-service to run it"
        )
    if checked.form not in FORMS:
        raise QueryError(
            "DESCRIBE answers differ from server to server; write a CONSTRUCT query instead"
        )
    check_parameters(query, values, checked.variables)
    return checked


FORMS = ("SelectQuery", "AskQuery", "ConstructQuery")
"""The query forms `run` answers: rows, a yes/no answer (`bool`), or triples."""

Answer = Rows | bool | tuple[tuple[Node, Node, Node], ...]
"""What a query gives: SELECT rows, an ASK answer, the triples a CONSTRUCT makes."""


def run(
    store: ox.Store,
    query: NamedQuery,
    values: Mapping[str, str] | None = None,
    *,
    allow_service: bool = False,
) -> Answer:
    """Check, bind and run a query on the store."""
    values = values or {}
    checked = prepare(query, values, allow_service=allow_service)
    bindings = bind(store, query, values)
    try:
        if checked.form == "SelectQuery":
            return select(store, query.text, bindings)
        substitutions: dict[ox.Variable, OxTerm] = {
            ox.Variable(name): to_ox(value) for name, value in bindings.items()
        }
        answer = store.query(
            query.text, substitutions=substitutions or None, prefixes=QUERY_PREFIXES
        )
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        return tuple(
            (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in answer
        )
    except (SyntaxError, OSError) as exc:  # Oxigraph: syntax it rejects, SERVICE failures
        raise QueryError(f"the query failed: {exc}") from exc


def catalogue() -> Rows:
    """The named queries as rows (name, parameters, description), for `query --list`."""
    return Rows(
        ("name", "parameters", "description"),
        tuple(
            (
                Literal(q.name),
                Literal("; ".join(p.signature() for p in q.parameters)) if q.parameters else None,
                Literal(q.description),
            )
            for q in named_queries().values()
        ),
    )
