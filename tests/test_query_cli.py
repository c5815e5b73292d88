"""`qualgraph query` and `qualgraph stats`: listing, formats, RDF input, exit codes and messages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from qualgraph.cli import main
from qualgraph.query.named import named_queries

from .conftest import FIXTURES, ROOT

STUDY = FIXTURES / "query-study"


@pytest.fixture
def run(monkeypatch):
    """Run in the fixture study folder, so file names in rows are `s_1.md`."""
    monkeypatch.chdir(STUDY)

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_list_shows_every_query_with_description_and_parameters(run):
    result = run("query", "--list", "-f", "csv")
    assert result.exit_code == 0
    rows = csv_rows(result.stdout)
    assert rows[0] == ["name", "parameters", "description"]
    assert [row[0] for row in rows[1:]] == sorted(named_queries())
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["evidence"][1] == "code (code)"
    assert by_name["codes-by-source"][1] == "source (source, optional)"
    assert by_name["codebook"][1] == ""
    assert all(row[2] for row in rows[1:])


def test_table_is_the_default_format(run):
    result = run("query", ".", "evidence", "--param", "code=end_to_end")
    assert result.exit_code == 0
    header = result.stdout.splitlines()[1]
    assert [cell.strip() for cell in header.split("┃")[1:-1]] == [
        "code",
        "source",
        "title",
        "file",
        "line",
        "end_line",
        "text",
    ]
    assert "│ end_to_end │ s2     │ A catalogue for every team │ s_2.md │   43 │" in result.stdout
    assert result.stderr == ""


def test_csv_has_crlf_line_ends_as_sparql_csv_and_rfc_4180_say(run, tmp_path):
    out = tmp_path / "ungrounded.csv"
    result = run("query", ".", "ungrounded", "-f", "csv", "-o", str(out))
    assert result.exit_code == 0
    assert out.read_bytes() == (
        b"source,code,label,file,line\r\n"
        b"s2,central_team,Central data team,s_2.md,38\r\n"
        b"s2,time_to_market,Time to market,s_2.md,39\r\n"
        b"s3,reuse,Reuse,model/sources_and_codes_model.py,3\r\n"
    )


def test_json_is_sparql_results_json(run):
    result = run("query", ".", "saturation", "-f", "json")
    document = json.loads(result.stdout)
    assert document["head"] == {
        "vars": ["position", "source", "file", "new_codes", "codes", "introduced"]
    }
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    assert document["results"]["bindings"][3] == {
        "position": {"type": "literal", "value": "4", "datatype": integer},
        "source": {"type": "literal", "value": "s3"},
        "file": {"type": "literal", "value": "s_3.md"},
        "new_codes": {"type": "literal", "value": "0", "datatype": integer},
        "codes": {"type": "literal", "value": "8", "datatype": integer},
    }


def test_markdown_and_tsv(run):
    markdown = run("query", ".", "decision-options", "-f", "markdown").stdout.splitlines()
    assert markdown[:3] == [
        "| decision | decision_label | option | option_label | option_name |",
        "|---|---|---|---|---|",
        "| discovery_decision | How do consumers find data? | data_catalogue | Data catalogue "
        "| Publish it in a catalogue |",
    ]
    tsv = run("query", ".", "evidence", "-p", "code=end_to_end", "-f", "tsv").stdout.splitlines()
    assert tsv[1].endswith(
        "\tTeams should own their data end to end,\\nso that producers keep it usable."
    )


def test_output_file(run, tmp_path):
    out = tmp_path / "codebook.csv"
    result = run("query", ".", "codebook", "-f", "csv", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert csv_rows(out.read_text())[1] == [
        "central_team",
        "practice",
        "Central data team",
        "1",
        "3",
    ]


def test_query_file_and_sparql_text(run, tmp_path):
    rq = tmp_path / "titles.rq"
    rq.write_text(
        "# name: titles\n# param: title (string)\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?title ?source WHERE { ?s dcterms:title ?title ; dcterms:identifier ?source }\n"
    )
    result = run("query", ".", str(rq), "-p", "title=Catalogues revisited", "-f", "csv")
    assert (
        result.stdout == "title,source\nCatalogues revisited,s3\n"
    )  # CliRunner turns CRLF into LF
    sparql = (
        "SELECT ?n WHERE { ?s <http://purl.org/dc/terms/identifier> ?n ; "
        "a <https://w3id.org/qualgraph/ontology#Source> } ORDER BY ?n"
    )
    result = run("query", ".", "--sparql", sparql, "-f", "csv")
    assert result.stdout == "n\np1\ns1\ns2\ns3\n"


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "trig", "jsonld"])
def test_rdf_files_give_the_same_rows_as_the_traces(run, tmp_path, fmt):
    suffix = {"turtle": ".ttl", "ntriples": ".nt", "trig": ".trig", "jsonld": ".jsonld"}[fmt]
    exported = tmp_path / f"study{suffix}"
    assert run("export", ".", "-f", fmt, "-o", str(exported)).exit_code == 0
    for name in ("codebook", "saturation", "ungrounded"):
        from_traces = run("query", ".", name, "-f", "csv").stdout
        from_rdf = run("query", str(exported), name, "-f", "csv")
        assert from_rdf.exit_code == 0
        assert from_rdf.stdout == from_traces


def test_stats_summarises_the_study(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at 80 columns when it cannot ask a terminal
    result = run("stats", ".")
    assert result.exit_code == 0
    out = result.stdout
    for expected in (
        "│ sources                    │ 4 (Practitioner Audience Article 2, Interview 1, Talk 1)",
        "│ quotes                     │ 7",
        "│ codes                      │ 8 (decision 2, force 2, practice 2, pattern 1, undefined 1",
        "│ groundings (quote → code)  │ 19",
        "│ decisions                  │ 2 with 3 options",
        "│ impacts (solution → force) │ 4 in 4 solution × force cells",
        "│ saturation                 │ not reached: no run of 5 sources without a new code",
        "│ 3 │ s2     │         1 │     8 │ discovery_decision",
    ):
        assert expected in out, expected


def test_stats_on_rdf_has_no_diagnostics(run, tmp_path):
    exported = tmp_path / "study.ttl"
    run("export", ".", "-o", str(exported))
    result = run("stats", str(exported))
    assert result.exit_code == 0
    assert "│ diagnostics                │ only for trace input" in result.stdout


# -- exit code 2, with the exact message --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            (".", "evidense"),
            "unknown query 'evidense'; did you mean 'evidence'? "
            "(qualgraph query --list shows every query)",
            id="unknown-query",
        ),
        pytest.param(
            (".",),
            "name a query (qualgraph query --list shows them), give a FILE.rq, "
            "or pass --sparql TEXT",
            id="no-query",
        ),
        pytest.param(
            (".", "evidence"),
            "query evidence needs --param code=VALUE "
            "(the code: its identifier (end_to_end) or IRI)",
            id="missing-parameter",
        ),
        pytest.param(
            (".", "evidence", "-p", "code=end_to_edn"),
            "no code 'end_to_edn' in the study; did you mean 'end_to_end'?",
            id="unknown-code",
        ),
        pytest.param(
            (".", "evidence", "-p", "kode=end_to_end"),
            "query evidence has no parameter 'kode'; its parameters: code",
            id="unknown-parameter",
        ),
        pytest.param(
            (".", "codebook", "-p", "code"), "--param takes NAME=VALUE, got 'code'", id="bad-param"
        ),
        pytest.param(
            (".", "codes-by-source", "-p", "source=<not an iri>"),
            "'<not an iri>' is not a valid IRI: Invalid IRI code point ' '",
            id="bad-iri",
        ),
        pytest.param(
            (
                ".",
                "--sparql",
                "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            ),
            "the query uses SERVICE, which sends parts of it to another server over the network; "
            "pass --allow-service to run it",
            id="service",
        ),
        pytest.param(
            (".", "--sparql", "DESCRIBE <https://example.org/x>"),
            "DESCRIBE answers differ from server to server; write a CONSTRUCT query instead",
            id="describe",
        ),
        pytest.param(
            (".", "--sparql", "SELECT ?x WHERE { ?s ?p ?x", "-f", "csv"),
            "the query does not parse: "
            "Expected SelectQuery, found end of text  (at char 26), (line:1, col:27)",
            id="syntax",
        ),
        pytest.param(
            (".", "--sparql", "SELECT ?x WHERE { ?s ?p ?x }", "-p", "y=1"),
            "the query does not select ?y, so --param y cannot bind it "
            "(Oxigraph binds only selected variables: add ?y to SELECT)",
            id="unselected-parameter",
        ),
    ],
)
def test_could_not_run(run, args, message):
    result = run("query", *args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


def test_injection_through_the_command_line(run):
    result = run("query", ".", "evidence", "-p", 'code=end_to_end" } UNION { ?s ?p ?o } #')
    assert result.exit_code == 2
    assert result.stderr == "Error: no code 'end_to_end\" } UNION { ?s ?p ?o } #' in the study\n"


def test_service_in_a_literal_is_allowed(run):
    result = run(
        "query", ".", "--sparql", 'SELECT ?s WHERE { ?s ?p "SERVICE <http://x.org/>" }', "-f", "csv"
    )
    assert result.exit_code == 0
    assert result.stdout == "s\n"


def test_mixed_inputs_are_refused(run, tmp_path):
    exported = tmp_path / "study.ttl"
    run("export", ".", "-o", str(exported))
    result = run("query", str(exported), ".", "codebook")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot mix RDF files ({exported}) with trace files or folders (.); "
        "query the RDF files alone, or the traces alone\n"
    )


def test_options_that_do_not_fit_the_inputs(run, tmp_path):
    exported = tmp_path / "study.ttl"
    run("export", ".", "-o", str(exported))
    result = run("query", str(exported), "codebook", "--model", "model")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --model applies to traces; an RDF file already holds its model\n",
    )
    result = run("query", ".", str(tmp_path / "mine.rq"), "--sparql", "SELECT * WHERE { }")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: give either --sparql TEXT or a query, not both\n",
    )


def test_unreadable_rdf_names_the_file_and_line(run, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "open .\n')
    result = run("query", str(broken), "codebook")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {broken}: not valid Turtle: "
        "Parser error between line 2 column 11 and line 3 column 1: Unexpected end of file\n"
    )


def test_default_input_is_seeds(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        main, ["query", "codes-by-source", "-f", "csv"], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert csv_rows(result.stdout)[1][:2] == ["1", "s25"]


ASK_SOURCE = "PREFIX qg: <https://w3id.org/qualgraph/ontology#> ASK { ?s a qg:Source }"
CONSTRUCT_TITLES = (
    "PREFIX qg: <https://w3id.org/qualgraph/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    "CONSTRUCT { ?s dcterms:title ?t } WHERE { ?s a qg:Source ; dcterms:title ?t }"
)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "ask\ntrue\n"),
        ("tsv", "ask\ntrue\n"),
        ("json", '{\n  "head": {},\n  "boolean": true\n}\n'),
        ("markdown", "| ask |\n|---|\n| true |\n"),
    ],
)
def test_ask_answers_true_or_false(run, fmt, expected):
    result = run("query", ".", "--sparql", ASK_SOURCE, "-f", fmt)
    assert result.exit_code == 0
    assert result.stdout.replace("\r\n", "\n") == expected
    missing = run(
        "query", ".", "--sparql", ASK_SOURCE.replace("qg:Source", "qg:Nothing"), "-f", "csv"
    )
    assert missing.stdout.splitlines()[1] == "false"


def test_construct_writes_triples_as_rdf(run):
    from rdflib import Graph

    turtle = run("query", ".", "--sparql", CONSTRUCT_TITLES)
    assert turtle.exit_code == 0
    graph = Graph().parse(data=turtle.stdout, format="turtle")
    assert sorted(str(o) for o in graph.objects()) == [
        "A catalogue for every team",
        "Catalogues revisited",
        "Data products in practice",
        "Interview Expert A",
    ]
    nt = run("query", ".", "--sparql", CONSTRUCT_TITLES, "-f", "ntriples")
    assert len(nt.stdout.splitlines()) == 4
    refused = run("query", ".", "--sparql", CONSTRUCT_TITLES, "-f", "csv")
    assert refused.exit_code == 2
    assert refused.output.strip() == (
        "Error: a CONSTRUCT query makes triples: choose an RDF format "
        "(turtle, ntriples, jsonld, rdfxml, trig, nquads)"
    )
    rows_as_rdf = run("query", ".", "codebook", "-f", "turtle")
    assert rows_as_rdf.exit_code == 2
    assert rows_as_rdf.output.strip() == (
        "Error: -f turtle is for CONSTRUCT queries; rows are shown as table, csv, tsv, json, markdown"
    )


def test_remote_options_that_do_not_fit(run):
    result = run("query", ".", "codebook", "--graph", "https://example.org/g")
    assert result.exit_code == 2
    assert (
        result.output.strip() == "Error: --graph names a graph on a server: give --endpoint URL too"
    )
    result = run("query", ".", "codebook", "--endpoint", "http://127.0.0.1:9")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: with --endpoint, give only the query (a NAME, a FILE.rq or --sparql TEXT): "
        "the study is on the server"
    )
