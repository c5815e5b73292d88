"""Talk to a SPARQL server: push a study into its own named graph, run queries against it.

Only the W3C protocols are used, so Oxigraph, Fuseki, GraphDB, QLever or Virtuoso all serve:
the SPARQL 1.1 Graph Store HTTP Protocol replaces a study's graph with one PUT (atomic on the
server, so a failed push leaves the old graph), SPARQL 1.1 Update (`DROP` + `INSERT DATA` in one
request) is the fallback for servers without a graph store, and the SPARQL 1.1 Protocol runs
queries. Bodies are streamed in chunks (HTTP chunked transfer), so a large study is never held
twice in memory as text. The standard library's urllib is the client: no dependency to add.

Credentials come from the environment or a netrc file, never from the URL or the command line,
and never appear in a message. Every request has a timeout; connection errors and 5xx answers
are retried a bounded number of times with a doubling pause.
"""

from __future__ import annotations

import base64
import io
import netrc
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from http.client import HTTPException

import pyoxigraph as ox
from rdflib.query import Result, ResultException
from rdflib.term import Node

from qualgraph.errors import QualgraphError
from qualgraph.query.named import Answer, NamedQuery, bind, prepare
from qualgraph.query.rows import Rows
from qualgraph.rdf.store import QUERY_PREFIXES
from qualgraph.rdf.terms import to_ox, to_rdflib

USER_VARIABLE = "QUALGRAPH_USER"
PASSWORD_VARIABLE = "QUALGRAPH_PASSWORD"
TOKEN_VARIABLE = "QUALGRAPH_TOKEN"
"""Basic authentication from QUALGRAPH_USER and QUALGRAPH_PASSWORD, or a bearer token from
QUALGRAPH_TOKEN; without them, the netrc entry for the server's host (`$NETRC` or ~/.netrc)."""

CHUNK_TRIPLES = 20_000
"""Triples per chunk of a streamed body: ~4 MB of N-Triples."""

NO_GRAPH_STORE = {404, 405, 501}
"""Answers of a server without a graph store endpoint there: push falls back to SPARQL Update."""


class RemoteError(QualgraphError):
    """The server cannot be reached, refuses, or answers with something other than asked."""


@dataclass(frozen=True)
class Endpoints:
    """Where the server answers each protocol. From one URL: Oxigraph's root
    (`http://host:7878` → /query, /update, /store), or a query endpoint (`…/query`,
    `…/sparql`) whose siblings are the others; Fuseki's `/ds` works the same (its /ds/store is
    missing, so a push falls back to /ds/update). Other layouts name them outright."""

    query: str
    update: str
    store: str

    @classmethod
    def from_url(
        cls, url: str, *, store: str | None = None, update: str | None = None
    ) -> Endpoints:
        for given in (url, store, update):
            if given is not None:
                _check_url(given)
        root = url.rstrip("/")
        last = root.rsplit("/", 1)[-1]
        if last in ("query", "sparql"):
            query, root = root, root.rsplit("/", 1)[0]
        else:
            query = root + "/query"
        return cls(query, update or root + "/update", store or root + "/store")


def _check_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:  # "http://[::1", "http://h:port"
        raise RemoteError(f"{url!r} is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise RemoteError(f"{_shown(url)} is not an http(s) URL")
    if parts.username or parts.password:
        raise RemoteError(
            "the URL holds credentials; put them in "
            f"{USER_VARIABLE}/{PASSWORD_VARIABLE} or a netrc entry instead"
        )


def _shown(url: str) -> str:
    """The URL as messages show it: without a query string, which could hold a secret."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "the URL"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@dataclass(frozen=True)
class Policy:
    """How hard to try: `attempts` in all (the first and the retries), pauses of `backoff`,
    then twice as long each time, each request given `timeout` seconds."""

    attempts: int = 4
    backoff: float = 0.5
    timeout: float = 300.0


Log = Callable[[str], None]
"""Told of each retry, one line (the library never prints; the command does)."""


def authorization(url: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The Authorization header for `url`'s host, or None: see USER_VARIABLE."""
    environ = os.environ if environ is None else environ
    if environ.get(TOKEN_VARIABLE):
        return f"Bearer {environ[TOKEN_VARIABLE]}"
    user, password = environ.get(USER_VARIABLE), environ.get(PASSWORD_VARIABLE)
    if user is None and password is None:
        host = urllib.parse.urlsplit(url).hostname or ""
        try:
            entry = netrc.netrc(environ.get("NETRC")).authenticators(host)
        except (FileNotFoundError, netrc.NetrcParseError, OSError):
            entry = None
        if entry is None:
            return None
        user, _account, password = entry
    token = base64.b64encode(f"{user or ''}:{password or ''}".encode()).decode("ascii")
    return f"Basic {token}"


class _Status(RemoteError):
    """An HTTP answer the caller may handle (a graph store that is not there)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Client:
    """Sends requests with the credentials and the retry policy."""

    policy: Policy = Policy()
    log: Log | None = None
    environ: Mapping[str, str] | None = None

    def send(
        self,
        method: str,
        url: str,
        body: Callable[[], Iterable[bytes]] | bytes | None,
        headers: Mapping[str, str],
    ) -> tuple[int, bytes, str]:
        """Status, body and content type of the answer; `body` is made again for each try."""
        attempts = max(1, self.policy.attempts)
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(
                url,
                data=body() if callable(body) else body,
                method=method,
                headers=dict(headers),
            )
            auth = authorization(url, self.environ)
            if auth:
                request.add_unredirected_header("Authorization", auth)
            try:
                with urllib.request.urlopen(request, timeout=self.policy.timeout) as answer:
                    kind = answer.headers.get_content_type()
                    return answer.status, answer.read(), kind
            except urllib.error.HTTPError as exc:
                detail = _detail(exc)
                if exc.code in (401, 403):
                    raise RemoteError(
                        f"{_shown(url)} refused the request (HTTP {exc.code} {exc.reason}): "
                        "check the credentials in "
                        f"{USER_VARIABLE}/{PASSWORD_VARIABLE}, {TOKEN_VARIABLE} or netrc"
                    ) from None
                if exc.code < 500 or attempt == attempts:
                    raise _Status(
                        exc.code, f"{_shown(url)} answered HTTP {exc.code} {exc.reason}{detail}"
                    ) from None
                reason = f"HTTP {exc.code} {exc.reason}"
            except (urllib.error.URLError, HTTPException, OSError) as exc:
                reason = _reason(exc)
                if attempt == attempts:
                    raise RemoteError(
                        f"cannot reach {_shown(url)}: {reason} "
                        f"({attempts} attempt{'s' if attempts > 1 else ''})"
                    ) from None
            pause = self.policy.backoff * 2 ** (attempt - 1)
            if self.log:
                self.log(f"retry {attempt} of {attempts - 1} in {pause:g} s: {reason}")
            time.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "reason", None)
    if isinstance(inner, BaseException):
        exc = inner
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    return str(inner or exc) or type(exc).__name__


def _detail(exc: urllib.error.HTTPError) -> str:
    """The first line of the server's explanation, if it gave one in plain text."""
    try:
        text = exc.read(500).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    first = text.splitlines()[0] if text else ""
    return f": {first}" if first and not first.startswith("<") else ""


# -- push --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pushed:
    """What one push did: the graph, how many triples in how many chunks, by which protocol."""

    graph: str
    triples: int
    chunks: int
    protocol: str  # "graph store" or "update"


def chunks(lines: Iterable[str], size: int = CHUNK_TRIPLES) -> Iterator[bytes]:
    """N-Triples lines (with their newlines) grouped `size` at a time, as UTF-8."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def push_graph(
    endpoints: Endpoints,
    graph: str,
    lines: Callable[[], Iterable[str]],
    count: int,
    client: Client | None = None,
    chunk: int = CHUNK_TRIPLES,
) -> Pushed:
    """Replace the named graph `graph` with the N-Triples `lines()` (made again for a retry or
    the fallback): a graph store PUT, or SPARQL Update when there is no graph store."""
    client = client or Client()
    name = ox.NamedNode(graph)  # raises ValueError for a bad IRI: the CLI checks first
    sent: list[int] = []

    def counted(parts: Iterable[bytes]) -> Iterator[bytes]:
        sent.clear()
        for part in parts:
            sent.append(len(part))
            yield part

    target = f"{endpoints.store}?{urllib.parse.urlencode({'graph': graph})}"
    try:
        client.send(
            "PUT",
            target,
            lambda: counted(chunks(lines(), chunk)),
            {"Content-Type": "application/n-triples"},
        )
        return Pushed(graph, count, len(sent), "graph store")
    except _Status as exc:
        if exc.status not in NO_GRAPH_STORE:
            raise

    def update() -> Iterator[bytes]:
        yield f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n".encode()
        yield from counted(chunks(lines(), chunk))
        yield b"} }\n"

    client.send("POST", endpoints.update, update, {"Content-Type": "application/sparql-update"})
    return Pushed(graph, count, len(sent), "update")


# -- queries -----------------------------------------------------------------------------------

_ACCEPT = {
    "SelectQuery": "application/sparql-results+json",
    "AskQuery": "application/sparql-results+json",
    "ConstructQuery": "application/n-triples",
}

_IDENTIFIERS = {
    "code": "SELECT ?id ?node WHERE { ?book a qg:Codebook . ?node skos:inScheme ?book ; "
    "skos:notation ?id }",
    "source": "SELECT ?id ?node WHERE { ?node a qg:Source ; dcterms:identifier ?id }",
}
"""The remote form of `query._identifiers`: identifier → node of every code or source."""


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in QUERY_PREFIXES.items())


def sparql(
    endpoints: Endpoints,
    text: str,
    form: str,
    graphs: tuple[str, ...] = (),
    client: Client | None = None,
) -> Answer:
    """Run a query over the SPARQL 1.1 Protocol (POST, form-encoded); `graphs` make up the
    default graph (`default-graph-uri`), so one study's graph or several are queried alike."""
    client = client or Client()
    fields = [("query", text), *(("default-graph-uri", g) for g in graphs)]
    status, body, kind = client.send(
        "POST",
        endpoints.query,
        urllib.parse.urlencode(fields).encode("utf-8"),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT[form]},
    )
    try:
        if form == "ConstructQuery":
            return tuple(
                (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            )
        result = Result.parse(io.BytesIO(body), format="json")
    except (SyntaxError, ValueError, KeyError, TypeError, AttributeError, ResultException) as exc:
        raise RemoteError(
            f"{_shown(endpoints.query)} answered {kind} that is not what was asked for: {exc}"
        ) from None
    if form == "AskQuery":
        return bool(result.askAnswer)
    variables = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(binding.get(v) for v in result.vars or ()) for binding in result.bindings)
    return Rows(variables, rows)


_STUDY_GRAPHS = (
    "SELECT DISTINCT ?graph WHERE { GRAPH ?graph { ?book a qg:Codebook } } ORDER BY ?graph"
)


def study_graphs(endpoints: Endpoints, client: Client | None = None) -> tuple[str, ...]:
    """The named graphs on the server that hold a study (a qualgraph codebook)."""
    answer = sparql(endpoints, _prologue() + _STUDY_GRAPHS, "SelectQuery", (), client)
    assert isinstance(answer, Rows)
    return tuple(str(row[0]) for row in answer.rows if row[0] is not None)


def codebooks_in(endpoints: Endpoints, graph: str, client: Client | None = None) -> tuple[str, ...]:
    """The codebooks the named graph `graph` holds on the server: which study is there."""
    text = (
        f"SELECT DISTINCT ?book WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?book a qg:Codebook }} }}"
    )
    answer = sparql(endpoints, _prologue() + text, "SelectQuery", (), client)
    assert isinstance(answer, Rows)
    return tuple(sorted(str(row[0]) for row in answer.rows if row[0] is not None))


def run_remote(
    endpoints: Endpoints,
    query: NamedQuery,
    values: Mapping[str, str] | None = None,
    graphs: tuple[str, ...] = (),
    *,
    allow_service: bool = False,
    client: Client | None = None,
) -> Answer:
    """Check and run a named query on the server, as `query.run` does on a local store.

    Without `graphs`, every study on the server is queried (the named graphs holding a
    codebook; the server's own default graph when there are none). Parameters are looked up on
    the server (codes and sources by identifier) and joined in a trailing VALUES clause, each
    value written by Oxigraph as an RDF term: a value can never change what the query does."""
    values = values or {}
    checked = prepare(query, values, allow_service=allow_service)
    graphs = graphs or study_graphs(endpoints, client)

    def identifiers(kind: str) -> dict[str, str]:
        answer = sparql(endpoints, _prologue() + _IDENTIFIERS[kind], "SelectQuery", graphs, client)
        assert isinstance(answer, Rows)
        found: dict[str, str] = {}
        for identifier, node in answer.rows:
            if identifier is not None and node is not None:
                found.setdefault(str(identifier), str(node))
        return found

    bindings = bind(identifiers, query, values)
    text = query.text
    if bindings:
        names = list(bindings)
        row = " ".join(_term(bindings[n]) for n in names)
        text += f"\nVALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"
    # The prefixes a local query has predeclared; declaring one again is allowed in SPARQL.
    return sparql(endpoints, _prologue() + text, checked.form, graphs, client)


def _term(node: Node) -> str:
    return str(to_ox(node))
