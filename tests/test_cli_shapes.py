"""A study's own shapes on the command line: both engines agree, bad shapes give one line and
exit 2, and a shapes file never contacts another server unless --allow-service is given."""

from __future__ import annotations

import socket
import threading

import pytest
from click.testing import CliRunner

from qualgraph.cli import main

from .conftest import SEED
from .test_validate import RULE_PREFIXES

BASE = "https://example.org/probe/"
ENGINES = ("oxigraph", "pyshacl")
NO_OPTION = RULE_PREFIXES + (
    "<urn:rules#CodeHasNoOption> a sh:NodeShape ; sh:targetClass qg:Code ;\n"
    '    sh:message "{$this} has no option" ;\n'
    "    sh:sparql [ sh:select '''\n"
    "        PREFIX qg: <https://w3id.org/qualgraph/ontology#>\n"
    "        SELECT $this WHERE { FILTER NOT EXISTS { $this qg:hasOption ?o } }''' ] .\n"
)


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")

    def invoke(*args: str):
        return CliRunner().invoke(
            main, ["validate", "seed.txt", "--base", BASE, *args], catch_exceptions=False
        )

    return invoke


def test_this_inside_filter_not_exists_gives_the_same_findings_on_both_engines(run, tmp_path):
    (tmp_path / "rules.ttl").write_text(NO_OPTION, encoding="utf-8")
    fast, oracle = (run("--shapes", "rules.ttl", "--engine", engine) for engine in ENGINES)
    assert (fast.exit_code, fast.stdout) == (oracle.exit_code, oracle.stdout)
    assert fast.exit_code == 1
    assert fast.stdout.count("error    <urn:rules#CodeHasNoOption>") == 6
    assert f"{BASE}code/" in fast.stdout and " has no option" in fast.stdout


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections (and closes each at once)."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connects = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connects += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener():
    found = Listener()
    yield found
    found.close()


def remote_shape(port: int, silent: str) -> str:
    return RULE_PREFIXES + (
        "<urn:rules#Remote> a sh:NodeShape ; sh:targetClass qg:Code ;\n"
        "    sh:sparql [ sh:select '''SELECT $this WHERE {\n"
        "        $this a ?type .\n"
        f"        SERVICE {silent} <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}''' ] .\n"
    )


@pytest.mark.parametrize("silent", ["", "SILENT"])
@pytest.mark.parametrize("engine", ENGINES)
def test_service_in_a_shape_is_refused_and_nothing_is_contacted(
    run, tmp_path, listener, engine, silent
):
    (tmp_path / "remote.ttl").write_text(remote_shape(listener.port, silent), encoding="utf-8")
    refused = run("--shapes", "remote.ttl", "--engine", engine)
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: <urn:rules#Remote>: the query uses SERVICE, which would send parts of it to "
        "another server over the network; pass --allow-service to run it\n"
    )
    assert listener.connects == 0


def test_allow_service_lets_a_shape_contact_the_server(run, tmp_path, listener):
    # The listener is real: with the flag, the same shapes reach it.
    (tmp_path / "remote.ttl").write_text(remote_shape(listener.port, "SILENT"), encoding="utf-8")
    allowed = run("--shapes", "remote.ttl", "--allow-service")
    assert allowed.exit_code in (0, 1) and "Traceback" not in allowed.output
    assert listener.connects >= 1


def test_a_json_ld_shapes_file_with_a_remote_context_is_not_fetched(run, tmp_path, listener):
    context = f"http://127.0.0.1:{listener.port}/context.jsonld"
    (tmp_path / "rules.jsonld").write_text(
        '{"@context": "' + context + '", "@id": "urn:rules#S", "targetClass": "qg:Code"}',
        encoding="utf-8",
    )
    for engine in ENGINES:
        refused = run("--shapes", "rules.jsonld", "--engine", engine)
        assert refused.exit_code == 2
        assert refused.stderr == (
            f"Error: rules.jsonld: the JSON-LD context {context} would be fetched over the "
            "network; pass --allow-service to allow it\n"
        )
    assert listener.connects == 0


BAD_SHAPES = {
    "a count that is not a number": (
        'sh:path qg:hasOption ; sh:minCount "many"',
        'Error: <urn:rules#Bad>: sh:minCount must be an integer, not "many"\n',
    ),
    "a pattern that does not compile": (
        'sh:path skos:notation ; sh:pattern "([a-z"',
        'Error: <urn:rules#Bad>: sh:pattern "([a-z": not a valid regular expression: '
        "unterminated character set at position 5\n",
    ),
    "an unknown pattern flag": (
        'sh:path skos:notation ; sh:pattern "a" ; sh:flags "g"',
        "Error: <urn:rules#Bad>: sh:pattern \"a\": unknown regular-expression flag(s) 'g'\n",
    ),
    "MINUS, which SHACL-SPARQL forbids": (
        "sh:sparql [ sh:select 'SELECT $this WHERE { $this ?p ?o MINUS { $this a ?t } }' ]",
        "Error: <urn:rules#Bad>: SHACL-SPARQL forbids MINUS in a shape's query\n",
    ),
    "BIND AS $this": (
        "sh:sparql [ sh:select 'SELECT $this WHERE { BIND (1 AS $this) }' ]",
        "Error: <urn:rules#Bad>: the query binds the pre-bound variable $this with AS, which "
        "SHACL-SPARQL forbids\n",
    ),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("defect", list(BAD_SHAPES))
def test_a_bad_shape_gives_one_line_naming_it_and_exit_2(run, tmp_path, defect, engine):
    body, message = BAD_SHAPES[defect]
    (tmp_path / "bad.ttl").write_text(
        RULE_PREFIXES
        + "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        + f"<urn:rules#Bad> a sh:NodeShape ; sh:targetClass qg:Code ; {body} .\n",
        encoding="utf-8",
    )
    result = run("--shapes", "bad.ttl", "--engine", engine)
    assert (result.exit_code, result.stderr, result.stdout) == (2, message, "")


def test_xpath_character_classes_run_on_the_default_engine(run, tmp_path):
    # \p{Lu} is XPath (and not Python's re): the default engine translates it.
    (tmp_path / "upper.ttl").write_text(
        RULE_PREFIXES
        + "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        + "<urn:rules#Upper> a sh:PropertyShape ; sh:targetClass qg:Code ;\n"
        + '    sh:path skos:notation ; sh:pattern "^\\\\p{Lu}" .\n',
        encoding="utf-8",
    )
    result = run("--shapes", "upper.ttl")
    assert result.exit_code == 1
    assert result.stdout.count("error    <urn:rules#Upper>") == 7  # the seed's codes
    (tmp_path / "lower.ttl").write_text(
        (tmp_path / "upper.ttl").read_text(encoding="utf-8").replace("Lu}", "Ll}"), encoding="utf-8"
    )
    assert run("--shapes", "lower.ttl").exit_code == 0  # all 7 are lower case
    oracle = run("--shapes", "upper.ttl", "--engine", "pyshacl")  # Python's re cannot: one line
    assert oracle.exit_code == 2 and oracle.stderr.startswith("Error: pySHACL cannot run these")
    assert oracle.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "body, term",
    [
        ("sh:or ( [ sh:path qg:hasOption ; sh:minCont 1 ] )", "sh:minCont"),  # a typo
        ("sh:target [ a sh:SPARQLTarget ; sh:select 'SELECT ?this WHERE { }' ]", "sh:target"),
    ],
)
def test_a_shacl_term_the_default_engine_does_not_evaluate_is_named_not_skipped(
    run, tmp_path, body, term
):
    (tmp_path / "odd.ttl").write_text(
        RULE_PREFIXES + f"<urn:rules#Odd> a sh:NodeShape ; sh:targetClass qg:Code ; {body} .\n",
        encoding="utf-8",
    )
    result = run("--shapes", "odd.ttl")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"uses {term}, which the oxigraph engine does not evaluate; use --engine pyshacl\n"
    )
