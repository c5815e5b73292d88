"""`qualgraph push` and `qualgraph query --endpoint` against a real `oxigraph serve` on a free
loopback port (skipped when the `oxigraph` package is not installed)."""

from __future__ import annotations

import csv
import io
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from qualgraph.cli import main
from qualgraph.errors import QualgraphError
from qualgraph.rdf.identity import study_identity
from qualgraph.server.remote import Endpoints, authorization, push_graph

from .conftest import FIXTURES
from .servers import AuthProxy, OxigraphServer, oxigraph_binary

STUDY_A = FIXTURES / "study"
STUDY_B = FIXTURES / "query-study"
GRAPH_A = study_identity(STUDY_A).iri
GRAPH_B = study_identity(STUDY_B).iri
TITLES = (
    "PREFIX qg: <https://w3id.org/qualgraph/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    "SELECT ?node ?source ?title WHERE { ?node a qg:Source ; dcterms:identifier ?source ; "
    "dcterms:title ?title } ORDER BY ?node"
)
NO_CREDENTIALS = {"QUALGRAPH_USER": None, "QUALGRAPH_PASSWORD": None, "QUALGRAPH_TOKEN": None}


@pytest.fixture
def server(tmp_path):
    """A fresh server with an empty store; stopped at the end even when the test fails."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("oxigraph serve is not installed (pip install oxigraph)")
    running = OxigraphServer(binary, tmp_path / "store")
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def run(tmp_path):
    netrc = tmp_path / "no-netrc"

    def invoke(*args: str, env: dict[str, str | None] | None = None):
        environment = {**NO_CREDENTIALS, "NETRC": str(netrc), **(env or {})}
        return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)

    return invoke


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_push_both_studies_and_query_each_and_both(server, run):
    for study, graph in ((STUDY_A, GRAPH_A), (STUDY_B, GRAPH_B)):
        result = run("push", str(study), "--endpoint", server.url)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(
            f"pushed {server.count(graph)} triples to <{graph}> by graph store (1 chunk, "
        )
    assert server.graphs() == {GRAPH_A, GRAPH_B}
    for study, graph in ((STUDY_A, GRAPH_A), (STUDY_B, GRAPH_B)):
        for name in ("codebook", "source-summary", "saturation", "impact-matrix"):
            local = run("query", str(study), name, "-f", "csv")
            remote = run("query", "--endpoint", server.url, "--graph", graph, name, "-f", "csv")
            assert remote.exit_code == 0, remote.output
            assert remote.stdout == local.stdout, name
    each = [
        rows(
            run(
                "query", "--endpoint", server.url, "--graph", g, "--sparql", TITLES, "-f", "csv"
            ).stdout
        )[1:]
        for g in (GRAPH_A, GRAPH_B)
    ]
    both = run(
        "query",
        "--endpoint",
        server.url,
        "--graph",
        GRAPH_A,
        "--graph",
        GRAPH_B,
        "--sparql",
        TITLES,
        "-f",
        "csv",
    )
    assert sorted(rows(both.stdout)[1:]) == sorted(each[0] + each[1])
    assert sum(r[1] == "s1" for r in rows(both.stdout)) == 2
    every = run("query", "--endpoint", server.url, "--sparql", TITLES, "-f", "csv")
    assert every.stdout == both.stdout  # without --graph: every study on the server
    shared = rows(run("query", "--endpoint", server.url, "shared-codes", "-f", "csv").stdout)
    assert [(r[0], r[1]) for r in shared[1:]] == [
        ("data_catalogue", GRAPH_B),
        ("data_catalogue", GRAPH_A),
        ("discovery_decision", GRAPH_B),
        ("discovery_decision", GRAPH_A),
    ]


def test_remote_parameters_ask_and_construct_match_the_local_answers(server, run):
    assert run("push", str(STUDY_B), "--endpoint", server.url).exit_code == 0
    remote = ("--endpoint", server.url, "--graph", GRAPH_B)
    for args in (
        ("evidence", "-p", "code=data_catalogue", "-f", "json"),
        ("sources-by-code", "-p", f"code={GRAPH_B}/code/data_catalogue", "-f", "csv"),
        ("codes-by-source", "-p", "source=s2", "-f", "markdown"),
        (
            "--sparql",
            "PREFIX qg: <https://w3id.org/qualgraph/ontology#> ASK { ?s a qg:Source }",
            "-f",
            "json",
        ),
        ("--sparql", "PREFIX qg: <https://w3id.org/qualgraph/ontology#> ASK { ?s a qg:Nothing }"),
        (
            "--sparql",
            TITLES.replace(
                "SELECT ?node ?source ?title", "CONSTRUCT { ?node dcterms:title ?title }"
            ).replace(" ORDER BY ?node", ""),
            "-f",
            "ntriples",
        ),
    ):
        local = run("query", str(STUDY_B), *args)
        answer = run("query", *remote, *args)
        assert answer.exit_code == 0, answer.output
        assert answer.stdout == local.stdout, args
    assert run("query", *remote, "--sparql", TITLES.replace("SELECT", "ASK {} #")).exit_code == 0


def test_a_value_cannot_change_the_remote_query(server, run, tmp_path):
    assert run("push", str(STUDY_B), "--endpoint", server.url).exit_code == 0
    before = server.count(GRAPH_B)
    mine = tmp_path / "titled.rq"
    mine.write_text(
        TITLES.replace("dcterms:title ?title }", "dcterms:title ?title }"), encoding="utf-8"
    )
    hostile = 'x" } } ; DROP ALL ; SELECT * { {"'
    result = run(
        "query",
        "--endpoint",
        server.url,
        "--graph",
        GRAPH_B,
        str(mine),
        "-p",
        f"title={hostile}",
        "-f",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert rows(result.stdout) == [["node", "source", "title"]]
    assert server.count(GRAPH_B) == before
    unknown = run(
        "query",
        "--endpoint",
        server.url,
        "--graph",
        GRAPH_B,
        "evidence",
        "-p",
        "code=nothing_like_it",
    )
    assert unknown.exit_code == 2
    assert unknown.output.strip() == "Error: no code 'nothing_like_it' in the study"


def test_service_stays_refused_before_the_server_is_asked(run):
    result = run(
        "query",
        "--endpoint",
        "http://127.0.0.1:9",
        "--sparql",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    )
    assert result.exit_code == 2
    assert "uses SERVICE" in result.output


def test_repushing_one_study_changes_only_its_graph(server, run, tmp_path):
    study = tmp_path / "study-a"
    shutil.copytree(STUDY_A, study)
    base_a, base_b = "https://example.org/studies/a/", "https://example.org/studies/b/"
    assert run("push", str(study), "--base", base_a, "--endpoint", server.url).exit_code == 0
    assert run("push", str(STUDY_B), "--base", base_b, "--endpoint", server.url).exit_code == 0
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

    def remote(graph: str, sparql: str, fmt: str) -> str:
        """One query on the server, scoped to one study's graph."""
        args = ("--endpoint", server.url, "--graph", graph, "--sparql", sparql, "-f", fmt)
        return run("query", *args).stdout

    snapshot_b = remote(base_b[:-1], construct, "ntriples")
    trace = study / "s_1.md"
    trace.write_text(
        trace.read_text(encoding="utf-8").replace(
            "Why every data product needs a catalogue", "Catalogues, revised"
        ),
        encoding="utf-8",
    )
    assert run("push", str(study), "--base", base_a, "--endpoint", server.url).exit_code == 0
    titles = rows(remote(base_a[:-1], TITLES, "csv"))
    assert [r[2] for r in titles if r[1] == "s1"] == ["Catalogues, revised"]
    assert remote(base_b[:-1], construct, "ntriples") == snapshot_b
    assert server.graphs() == {base_a[:-1], base_b[:-1]}


def test_a_push_never_silently_replaces_another_study(server, run):
    assert run("push", str(STUDY_A), "--endpoint", server.url).exit_code == 0
    before = server.count(GRAPH_A)
    result = run("push", str(STUDY_B), "--endpoint", server.url, "--graph", GRAPH_A)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: the graph <{GRAPH_A}> on the server holds another study (<{GRAPH_A}/codebook>), "
        f"not <{GRAPH_B}/codebook>: push to another --graph or with another --base, or pass "
        "--replace-other to replace it"
    )
    assert server.count(GRAPH_A) == before
    forced = run(
        "push", str(STUDY_B), "--endpoint", server.url, "--graph", GRAPH_A, "--replace-other"
    )
    assert forced.exit_code == 0
    assert server.count(GRAPH_A) != before
    codebooks = rows(
        run(
            "query",
            "--endpoint",
            server.url,
            "--graph",
            GRAPH_A,
            "--sparql",
            "PREFIX qg: <https://w3id.org/qualgraph/ontology#> SELECT ?b WHERE { ?b a qg:Codebook }",
            "-f",
            "csv",
        ).stdout
    )
    assert codebooks == [["b"], [f"{GRAPH_B}/codebook"]]


def test_push_falls_back_to_sparql_update_without_a_graph_store(server, run):
    first = run("push", str(STUDY_A), "--endpoint", server.url)
    by_store = server.count(GRAPH_A)
    result = run(
        "push", str(STUDY_A), "--endpoint", server.url, "--store-url", f"{server.url}/no-store-here"
    )
    assert result.exit_code == 0, result.output
    assert " by update (1 chunk, " in result.stdout
    assert server.count(GRAPH_A) == by_store
    assert first.stdout.split(" by ")[0] == result.stdout.split(" by ")[0]


def test_with_ontology_fills_the_ontology_graph(server, run):
    assert run("push", str(STUDY_A), "--endpoint", server.url, "--with-ontology").exit_code == 0
    assert server.graphs() == {GRAPH_A, "https://w3id.org/qualgraph/ontology"}
    ask = run(
        "query",
        "--endpoint",
        server.url,
        "--graph",
        "https://w3id.org/qualgraph/ontology",
        "--sparql",
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> ASK { ?o owl:versionIRI ?v }",
        "-f",
        "csv",
    )
    assert ask.stdout.splitlines() == ["ask", "true"]


def test_chunks_stream_a_study_in_parts(server):
    """The library streams `chunk` triples at a time; the server holds every triple."""
    lines = [f'<https://example.org/s/{i}> <https://example.org/p> "{i}" .\n' for i in range(2_500)]
    pushed = push_graph(
        Endpoints.from_url(server.url),
        "https://example.org/g",
        lambda: iter(lines),
        len(lines),
        chunk=1_000,
    )
    assert (pushed.chunks, pushed.triples, pushed.protocol) == (3, 2_500, "graph store")
    assert server.count("https://example.org/g") == 2_500


@pytest.fixture
def guarded(server):
    proxy = AuthProxy(("127.0.0.1", server.port), "researcher", "s3cret-pw")
    try:
        yield proxy
    finally:
        proxy.close()


def test_wrong_password_is_exit_2_with_a_message_that_never_shows_it(guarded, run, server):
    result = run(
        "push",
        str(STUDY_A),
        "--endpoint",
        guarded.url,
        env={"QUALGRAPH_USER": "researcher", "QUALGRAPH_PASSWORD": "wrong-pw"},
    )
    assert result.exit_code == 2
    # push first asks which study the graph holds (see test_a_push_never_silently_replaces...)
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {guarded.url}/query refused the request (HTTP 401 Unauthorized): check the "
        "credentials in QUALGRAPH_USER/QUALGRAPH_PASSWORD, QUALGRAPH_TOKEN or netrc"
    )
    assert "wrong-pw" not in result.output
    assert guarded.refused == 1  # a refusal is not retried
    blind = run(
        "push",
        str(STUDY_A),
        "--endpoint",
        guarded.url,
        "--replace-other",
        env={"QUALGRAPH_USER": "researcher", "QUALGRAPH_PASSWORD": "wrong-pw"},
    )
    assert blind.exit_code == 2
    assert blind.output.strip().splitlines()[-1] == (
        f"Error: {guarded.url}/store refused the request (HTTP 401 Unauthorized): check the "
        "credentials in QUALGRAPH_USER/QUALGRAPH_PASSWORD, QUALGRAPH_TOKEN or netrc"
    )
    assert "wrong-pw" not in blind.output
    assert guarded.refused == 2
    assert server.graphs() == set()
    right = run(
        "push",
        str(STUDY_A),
        "--endpoint",
        guarded.url,
        env={"QUALGRAPH_USER": "researcher", "QUALGRAPH_PASSWORD": "s3cret-pw"},
    )
    assert right.exit_code == 0, right.output
    assert server.graphs() == {GRAPH_A}


def test_credentials_from_a_netrc_entry(guarded, run, server, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login researcher password s3cret-pw\n", encoding="utf-8")
    netrc.chmod(0o600)
    result = run("push", str(STUDY_A), "--endpoint", guarded.url, env={"NETRC": str(netrc)})
    assert result.exit_code == 0, result.output
    answer = run(
        "query",
        "--endpoint",
        guarded.url,
        "--graph",
        GRAPH_A,
        "codebook",
        "-f",
        "csv",
        env={"NETRC": str(netrc)},
    )
    assert answer.exit_code == 0
    assert answer.stdout == run("query", str(STUDY_A), "codebook", "-f", "csv").stdout


def test_server_down_is_exit_2_after_logged_retries(server, run):
    server.stop()
    result = run("push", str(STUDY_A), "--endpoint", server.url, "--retries", "2", "--timeout", "5")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-3:] == [
        "retry 1 of 2 in 0.5 s: connection refused",
        "retry 2 of 2 in 1 s: connection refused",
        f"Error: cannot reach {server.url}/query: connection refused (3 attempts)",
    ]
    query = run("query", "--endpoint", server.url, "codebook", "--retries", "0")
    assert query.exit_code == 2
    assert (
        query.output.strip()
        == f"Error: cannot reach {server.url}/query: connection refused (1 attempt)"
    )


def test_a_5xx_answer_is_retried_then_reported(guarded, run, server):
    """The front answers 502 Bad Gateway while Oxigraph is down, as proxies do."""
    server.stop()
    result = run(
        "push",
        str(STUDY_A),
        "--endpoint",
        guarded.url,
        "--retries",
        "1",
        env={"QUALGRAPH_USER": "researcher", "QUALGRAPH_PASSWORD": "s3cret-pw"},
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-2:] == [
        "retry 1 of 1 in 0.5 s: HTTP 502 Bad Gateway",
        f"Error: {guarded.url}/query answered HTTP 502 Bad Gateway: oxigraph is not answering",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://127.0.0.1:7878",
            (
                "http://127.0.0.1:7878/query",
                "http://127.0.0.1:7878/update",
                "http://127.0.0.1:7878/store",
            ),
        ),
        (
            "http://h:3030/studies/",
            (
                "http://h:3030/studies/query",
                "http://h:3030/studies/update",
                "http://h:3030/studies/store",
            ),
        ),
        ("http://h/ds/sparql", ("http://h/ds/sparql", "http://h/ds/update", "http://h/ds/store")),
    ],
)
def test_endpoints_from_one_url(url, expected):
    endpoints = Endpoints.from_url(url)
    assert (endpoints.query, endpoints.update, endpoints.store) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://h/x", "ftp://h/x is not an http(s) URL"),
        ("http://[::1/query", "'http://[::1/query' is not a valid URL: Invalid IPv6 URL"),
        (
            "http://h:port/",
            "'http://h:port/' is not a valid URL: Port could not be cast to integer value as 'port'",
        ),
        (
            "http://me:pw@h/",
            "the URL holds credentials; put them in QUALGRAPH_USER/QUALGRAPH_PASSWORD or a netrc entry instead",
        ),
    ],
)
def test_bad_endpoint_urls(url, message, run):
    with pytest.raises(QualgraphError) as caught:
        Endpoints.from_url(url)
    assert str(caught.value) == message
    result = run("push", str(STUDY_A), "--endpoint", url)
    assert result.exit_code == 2
    assert "pw" not in result.output.replace("QUALGRAPH_PASSWORD", "")


def test_authorization_sources(tmp_path):
    assert authorization("http://h/", {"QUALGRAPH_TOKEN": "t0k"}) == "Bearer t0k"
    assert (
        authorization("http://h/", {"QUALGRAPH_USER": "a", "QUALGRAPH_PASSWORD": "b"})
        == "Basic YTpi"
    )
    netrc = tmp_path / "netrc"
    netrc.write_text("machine h login a password b\n", encoding="utf-8")
    netrc.chmod(0o600)
    assert authorization("http://h:80/", {"NETRC": str(netrc)}) == "Basic YTpi"
    assert authorization("http://other/", {"NETRC": str(netrc)}) is None


def test_push_without_a_reachable_graph_iri_is_refused(run):
    result = run("push", str(STUDY_A), "--endpoint", "http://127.0.0.1:9", "--graph", "not an iri")
    assert result.exit_code == 2
    assert result.output.startswith("Error: --graph 'not an iri' is not a valid IRI")


def test_the_graph_on_the_server_is_the_export_and_its_description(server, run):
    assert run("push", str(STUDY_A), "--endpoint", server.url).exit_code == 0
    exported = run("export", str(STUDY_A), "-f", "ntriples").stdout
    on_server = run(
        "query",
        "--endpoint",
        server.url,
        "--graph",
        GRAPH_A,
        "--sparql",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "-f",
        "ntriples",
    ).stdout
    assert set(exported.splitlines()) <= set(on_server.splitlines())
    extra = set(on_server.splitlines()) - set(exported.splitlines())
    subjects = {line.split(" ", 1)[0] for line in extra}
    assert subjects == {
        f"<{GRAPH_A}>",
        f"<{GRAPH_A}/dataset/generation>",
        f"<{GRAPH_A}/dataset/partition/1>",
        f"<{GRAPH_A}/dataset/partition/2>",
        "<https://w3id.org/qualgraph/software/0.1.0>",
    }
    assert server.count(GRAPH_A) == len(exported.splitlines()) + len(extra)


def test_a_server_that_never_answers_times_out(run):
    """A loopback socket that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        result = run(
            "query",
            "--endpoint",
            url,
            "--graph",
            GRAPH_A,
            "codebook",
            "--timeout",
            "0.3",
            "--retries",
            "1",
        )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-2:] == [
        "retry 1 of 1 in 0.5 s: timed out",
        f"Error: cannot reach {url}/query: timed out (2 attempts)",
    ]


@pytest.mark.parametrize("body", [b"<html>not SPARQL</html>", b"[1, 2]", b'{"head": 3}'])
def test_an_answer_that_is_not_sparql_json_is_one_line(run, body):
    """A web page or broken JSON where results were asked for: exit 2, no traceback."""

    class Page(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    page = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=page.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{page.server_address[1]}"
        result = run("query", "--endpoint", url, "--graph", GRAPH_A, "codebook")
    finally:
        page.shutdown()
        page.server_close()
        thread.join(timeout=10)
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {url}/query answered text/html that is not what was asked for: "
    )
    assert len(result.output.strip().splitlines()) == 1
