"""Every named query on a fixture study written for it: exact rows, the same on rdflib's engine,
parameters bound as terms (never pasted), and SERVICE refused unless allowed.

The fixture (tests/fixtures/query-study/) is four short traces and a model file: p_1 (an
interview), s_1 (defines a decision, two practices and two forces), s_2 (a quote-less segment
that claims two codes, a pattern, a `uses` relation), s_3 (introduces nothing), and a model
file that makes s3 claim a code it never grounds.
"""

from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from qualgraph.query.named import (
    NamedQuery,
    QueryError,
    bind,
    check,
    find_query,
    named_queries,
    parse_query,
    run,
)
from qualgraph.query.rows import Rows
from qualgraph.rdf.emit import emit
from qualgraph.rdf.namespaces import DEFAULT_BASE
from qualgraph.rdf.store import to_store
from qualgraph.study.load import load_study

from .conftest import FIXTURES, ROOT

STUDY = FIXTURES / "query-study"
BASE = "https://w3id.org/qualgraph/study/"
PREFIXES = "PREFIX dcterms: <http://purl.org/dc/terms/>\n"


@pytest.fixture(scope="session")
def graph() -> Graph:
    with contextlib.chdir(STUDY):  # file names in rows are then `s_1.md`, whatever the cwd
        return emit(load_study([Path(".")]).study)


@pytest.fixture(scope="session")
def store(graph: Graph) -> ox.Store:
    return to_store(graph)


def plain(term: Node | None) -> object:
    """A row value as Python: numbers as int, strings and IRIs as str, unbound as None."""
    if term is None or isinstance(term, URIRef):
        return None if term is None else str(term)
    return term.toPython()


def table(rows: Rows) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    return rows.variables, [tuple(plain(term) for term in row) for row in rows.rows]


PARAMETERS = {"evidence": {"code": "end_to_end"}}
"""Values for the queries that need them; the others run with none."""

EXPECTED = {
    "co-occurrence": (
        ("code_a", "code_b", "segments"),
        [
            ("central_team", "end_to_end", 2),
            ("data_catalogue", "reuse", 2),
            ("end_to_end", "reuse", 2),
            ("central_team", "ownership_decision", 1),
            ("central_team", "reuse", 1),
            ("central_team", "time_to_market", 1),
            ("data_catalogue", "discovery_decision", 1),
            ("data_catalogue", "end_to_end", 1),
            ("data_catalogue", "self_service", 1),
            ("discovery_decision", "end_to_end", 1),
            ("discovery_decision", "reuse", 1),
            ("end_to_end", "ownership_decision", 1),
            ("end_to_end", "time_to_market", 1),
            ("reuse", "self_service", 1),
            ("reuse", "time_to_market", 1),
        ],
    ),
    "codebook": (
        ("code", "kind", "label", "sources", "quotes"),
        [
            ("central_team", "practice", "Central data team", 1, 3),
            ("data_catalogue", "pattern", "Data catalogue", 3, 3),
            ("discovery_decision", "decision", "How do consumers find data?", 1, 1),
            ("end_to_end", "practice", "End-to-end ownership", 2, 4),
            ("ownership_decision", "decision", "Who owns the data?", 1, 1),
            ("reuse", "force", "Reuse", 3, 4),
            ("self_service", None, None, 1, 1),
            ("time_to_market", "force", "Time to market", 1, 2),
        ],
    ),
    "codes-by-source": (
        ("position", "source", "code", "label", "quotes"),
        [
            (1, "p1", "data_catalogue", "Data catalogue", 1),
            (1, "p1", "reuse", "Reuse", 1),
            (1, "p1", "self_service", None, 1),
            (2, "s1", "central_team", "Central data team", 3),
            (2, "s1", "end_to_end", "End-to-end ownership", 3),
            (2, "s1", "ownership_decision", "Who owns the data?", 1),
            (2, "s1", "reuse", "Reuse", 2),
            (2, "s1", "time_to_market", "Time to market", 2),
            (3, "s2", "data_catalogue", "Data catalogue", 1),
            (3, "s2", "discovery_decision", "How do consumers find data?", 1),
            (3, "s2", "end_to_end", "End-to-end ownership", 1),
            (3, "s2", "reuse", "Reuse", 1),
            (4, "s3", "data_catalogue", "Data catalogue", 1),
        ],
    ),
    "decision-options": (
        ("decision", "decision_label", "option", "option_label", "option_name"),
        [
            (
                "discovery_decision",
                "How do consumers find data?",
                "data_catalogue",
                "Data catalogue",
                "Publish it in a catalogue",
            ),
            (
                "ownership_decision",
                "Who owns the data?",
                "central_team",
                "Central data team",
                "A central team owns it",
            ),
            (
                "ownership_decision",
                "Who owns the data?",
                "end_to_end",
                "End-to-end ownership",
                "Domain teams own it",
            ),
        ],
    ),
    "evidence": (
        ("code", "source", "title", "file", "line", "end_line", "text"),
        [
            (
                "end_to_end",
                "s1",
                "Data products in practice",
                "s_1.md",
                34,
                35,
                "Teams should own their data end to end,\nso that producers keep it usable.",
            ),
            (
                "end_to_end",
                "s1",
                "Data products in practice",
                "s_1.md",
                50,
                50,
                "Ownership speeds up delivery.",
            ),
            (
                "end_to_end",
                "s1",
                "Data products in practice",
                "s_1.md",
                52,
                52,
                "It also makes reuse easier.",
            ),
            (
                "end_to_end",
                "s2",
                "A catalogue for every team",
                "s_2.md",
                43,
                43,
                'A data catalogue lets people find the datasets "they need" {quickly}.',
            ),
        ],
    ),
    "forces-by-study": (
        ("force", "study", "label", "solutions", "quotes"),
        [
            ("reuse", DEFAULT_BASE[:-1], "Reuse", 2, 4),
            ("time_to_market", DEFAULT_BASE[:-1], "Time to market", 2, 2),
        ],
    ),
    "shared-codes": (("code", "study", "kind", "label", "quotes"), []),
    "impact-matrix": (
        ("solution", "solution_label", "force", "force_label", "level", "quotes"),
        [
            (
                "central_team",
                "Central data team",
                "time_to_market",
                "Time to market",
                "negative",
                2,
            ),
            ("data_catalogue", "Data catalogue", "reuse", "Reuse", "positive", 1),
            ("end_to_end", "End-to-end ownership", "reuse", "Reuse", "very_positive", 2),
            (
                "end_to_end",
                "End-to-end ownership",
                "time_to_market",
                "Time to market",
                "positive",
                2,
            ),
        ],
    ),
    "relations": (
        ("from", "from_label", "stereotype", "type", "to", "to_label", "file", "line"),
        [
            (
                "central_team",
                "Central data team",
                "alternative_to",
                "https://w3id.org/qualgraph/ontology#AlternativeTo",
                "end_to_end",
                "End-to-end ownership",
                "s_1.md",
                64,
            ),
            (
                "data_catalogue",
                "Data catalogue",
                "uses",
                "https://w3id.org/qualgraph/ontology#Uses",
                "end_to_end",
                "End-to-end ownership",
                "s_2.md",
                56,
            ),
        ],
    ),
    "saturation": (
        ("position", "source", "file", "new_codes", "codes", "introduced"),
        [
            (1, "p1", "p_1.md", 3, 3, "data_catalogue reuse self_service"),
            (2, "s1", "s_1.md", 4, 7, "central_team end_to_end ownership_decision time_to_market"),
            (3, "s2", "s_2.md", 1, 8, "discovery_decision"),
            (4, "s3", "s_3.md", 0, 8, None),
        ],
    ),
    "source-summary": (
        ("position", "source", "title", "type", "author_type", "quotes", "codes"),
        [
            (1, "p1", "Interview Expert A", "Interview", "Practitioner", 2, 3),
            (
                2,
                "s1",
                "Data products in practice",
                "Practitioner Audience Article",
                "Practitioner",
                3,
                5,
            ),
            (3, "s2", "A catalogue for every team", "Talk", "Academic", 1, 4),
            (
                4,
                "s3",
                "Catalogues revisited",
                "Practitioner Audience Article",
                "Practitioner",
                1,
                1,
            ),
        ],
    ),
    "sources-by-code": (
        ("code", "position", "source", "title", "quotes"),
        [
            ("central_team", 2, "s1", "Data products in practice", 3),
            ("data_catalogue", 1, "p1", "Interview Expert A", 1),
            ("data_catalogue", 3, "s2", "A catalogue for every team", 1),
            ("data_catalogue", 4, "s3", "Catalogues revisited", 1),
            ("discovery_decision", 3, "s2", "A catalogue for every team", 1),
            ("end_to_end", 2, "s1", "Data products in practice", 3),
            ("end_to_end", 3, "s2", "A catalogue for every team", 1),
            ("ownership_decision", 2, "s1", "Data products in practice", 1),
            ("reuse", 1, "p1", "Interview Expert A", 1),
            ("reuse", 2, "s1", "Data products in practice", 2),
            ("reuse", 3, "s2", "A catalogue for every team", 1),
            ("self_service", 1, "p1", "Interview Expert A", 1),
            ("time_to_market", 2, "s1", "Data products in practice", 2),
        ],
    ),
    "ungrounded": (
        ("source", "code", "label", "file", "line"),
        [
            ("s2", "central_team", "Central data team", "s_2.md", 38),
            ("s2", "time_to_market", "Time to market", "s_2.md", 39),
            ("s3", "reuse", "Reuse", "model/sources_and_codes_model.py", 3),
        ],
    ),
}


def test_every_named_query_has_expected_rows() -> None:
    assert sorted(named_queries()) == sorted(EXPECTED)
    assert len(EXPECTED) == 13


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in sorted(EXPECTED)])
def test_named_query_rows(store: ox.Store, name: str) -> None:
    rows = run(store, find_query(name), PARAMETERS.get(name, {}))
    assert table(rows) == EXPECTED[name]


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in sorted(EXPECTED)])
def test_rdflib_engine_gives_the_same_rows(graph: Graph, store: ox.Store, name: str) -> None:
    """Guards against Oxigraph-only SPARQL: rdflib's own engine, same bindings, same rows."""
    query = find_query(name)
    bindings = bind(store, query, PARAMETERS.get(name, {}))
    result = graph.query(query.text, initBindings=bindings)
    oxigraph = run(store, query, PARAMETERS.get(name, {}))
    assert tuple(str(v) for v in result.vars) == oxigraph.variables
    assert [tuple(row) for row in result] == list(oxigraph.rows)  # every named query has ORDER BY


@pytest.mark.parametrize("query", [pytest.param(q, id=q.name) for q in named_queries().values()])
def test_header_and_text(query: NamedQuery) -> None:
    assert Path(query.origin).stem == query.name
    assert query.description.endswith(".")
    checked = check(query.text)
    assert checked.form == "SelectQuery"
    assert not checked.uses_service
    assert "ORDER BY" in query.text
    for parameter in query.parameters:
        assert parameter.name in checked.variables, "Oxigraph binds only selected variables"
        assert parameter.description


# -- parameters ----------------------------------------------------------------------------


def test_a_source_is_accepted_by_identifier_or_iri(store: ox.Store) -> None:
    query = find_query("codes-by-source")
    by_id = run(store, query, {"source": "s2"})
    assert table(by_id)[1] == [row for row in EXPECTED["codes-by-source"][1] if row[1] == "s2"]
    assert run(store, query, {"source": f"<{BASE}source/s2>"}) == by_id
    assert run(store, query, {"source": f"{BASE}source/s2"}) == by_id


def test_a_code_is_looked_up_in_the_graph_so_any_base_works() -> None:
    with contextlib.chdir(STUDY):
        other = to_store(emit(load_study([Path(".")]).study, "http://example.org/my-study/"))
    query = find_query("sources-by-code")
    rows = run(other, query, {"code": "reuse"})
    assert table(rows)[1] == [row for row in EXPECTED["sources-by-code"][1] if row[0] == "reuse"]
    assert run(other, query, {"code": "<http://example.org/my-study/code/reuse>"}) == rows
    with pytest.raises(
        QueryError, match=r"^no code <https://w3id.org/qualgraph/study/code/reuse> in the study$"
    ):
        run(other, query, {"code": f"{BASE}code/reuse"})


def test_an_unknown_code_suggests_the_closest(store: ox.Store) -> None:
    with pytest.raises(
        QueryError, match=r"^no code 'end_to_edn' in the study; did you mean 'end_to_end'\?$"
    ):
        run(store, find_query("evidence"), {"code": "end_to_edn"})


def test_typed_parameters_become_typed_literals(store: ox.Store) -> None:
    text = "# param: n (integer)\n# param: flag (boolean)\nSELECT ?n ?flag WHERE { }"
    query = parse_query(text, "test", "typed")
    rows = run(store, query, {"n": "42", "flag": "true"})
    assert rows.rows == ((Literal(42), Literal(True)),)
    with pytest.raises(QueryError, match=r"^'4x2' is not a valid integer$"):
        run(store, query, {"n": "4x2", "flag": "true"})


# -- injection -----------------------------------------------------------------------------

TITLES = (
    PREFIXES
    + "SELECT ?title ?source WHERE { ?s dcterms:title ?title ; dcterms:identifier ?source }"
)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param('x" } ?s ?p ?o . { "', id="quote-and-braces"),
        pytest.param('Catalogues revisited" || true) } #', id="quote-and-comment"),
        pytest.param("}", id="brace"),
        pytest.param("?title", id="variable-syntax"),
    ],
)
def test_a_parameter_value_cannot_change_the_query(store: ox.Store, value: str) -> None:
    """Pasted into the text, each value would match every title (or break the query); bound as a
    term it is just a string that no title equals."""
    query = parse_query(TITLES, "test", "titles")
    assert table(run(store, query, {"title": "Catalogues revisited"}))[1] == [
        ("Catalogues revisited", "s3")
    ]
    assert run(store, query, {"title": value}).rows == ()
    assert query.text == TITLES


def test_a_bound_value_comes_back_exactly_as_given(store: ox.Store) -> None:
    value = '"} . ?s ?p ?o . FILTER(true'
    query = parse_query("SELECT ?x WHERE { }", "test", "echo")
    assert run(store, query, {"x": value}).rows == ((Literal(value),),)


def test_a_code_parameter_with_query_syntax_is_just_an_unknown_code(store: ox.Store) -> None:
    value = 'end_to_end" } UNION { ?s ?p ?o } #'
    with pytest.raises(QueryError, match="^no code .* in the study"):
        run(store, find_query("evidence"), {"code": value})


# -- SERVICE -------------------------------------------------------------------------------

REMOTE = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(REMOTE, id="top-level"),
        pytest.param(
            "SELECT ?s WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://x.org/q> {} } }",
            id="in-optional",
        ),
        pytest.param(
            "SELECT ?s WHERE { { SELECT ?s WHERE { SERVICE <http://x.org/q> { ?s ?p ?o } } } }",
            id="in-subquery",
        ),
        pytest.param(
            "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x.org/q> { ?s ?p ?o } } }",
            id="in-filter",
        ),
    ],
)
def test_service_is_refused_by_default(store: ox.Store, text: str) -> None:
    with pytest.raises(
        QueryError, match="^the query uses SERVICE, .* pass --allow-service to run it$"
    ):
        run(store, parse_query(text, "test", "remote"), {})


def test_service_in_a_literal_or_a_comment_is_not_a_service(store: ox.Store) -> None:
    text = 'SELECT ?s WHERE { ?s ?p "SERVICE <http://example.org/sparql> { }" } # SERVICE <http://example.org/sparql>'
    assert not check(text).uses_service
    assert run(store, parse_query(text, "test", "words"), {}).rows == ()


def test_service_runs_when_allowed(store: ox.Store) -> None:
    """SILENT, and a port Oxigraph itself refuses to contact: no network traffic in tests."""
    text = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert run(store, parse_query(text, "test", "silent"), {}, allow_service=True).rows == (
        (None, None, None),
    )


# -- the real study --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_store(corpus: Path) -> ox.Store:
    return to_store(emit(load_study([corpus / "traces"]).study))


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in sorted(EXPECTED)])
def test_every_named_query_runs_on_the_real_study(corpus_store: ox.Store, name: str) -> None:
    values = {"evidence": {"code": "end_to_end"}}.get(name, {})
    rows = run(corpus_store, find_query(name), values)
    assert rows.variables == EXPECTED[name][0]
    assert rows.rows or name in {
        "relations",
        "ungrounded",
        "shared-codes",
    }  # one study: none shared


def test_the_queries_page_is_up_to_date():
    spec = importlib.util.spec_from_file_location(
        "make_queries_doc", ROOT / "docs" / "make_queries_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == module.render(), (
        "docs/queries.md is out of date: run `python docs/make_queries_doc.py`"
    )


def test_cross_study_queries_over_two_studies() -> None:
    """Two studies in one store (as two exports or two graphs on a server are queried): the
    codes both use, and each study's forces, told apart by the study's IRI."""
    first, second = "https://example.org/studies/one/", "https://example.org/studies/two/"
    with contextlib.chdir(STUDY):
        one = emit(load_study([Path(".")]).study, first)
    two = emit(load_study([FIXTURES / "study"]).study, second)
    both = to_store(one, two)
    assert table(run(both, find_query("shared-codes"))) == (
        ("code", "study", "kind", "label", "quotes"),
        [
            ("data_catalogue", first[:-1], "pattern", "Data catalogue", 3),
            ("data_catalogue", second[:-1], "pattern", "Data Catalogue", 3),
            ("discovery_decision", first[:-1], "decision", "How do consumers find data?", 1),
            (
                "discovery_decision",
                second[:-1],
                "decision",
                "How to make data products discoverable?",
                2,
            ),
        ],
    )
    forces = table(run(both, find_query("forces-by-study")))[1]
    assert [(force, study) for force, study, *_ in forces] == [
        ("discoverability", second[:-1]),
        ("reuse", first[:-1]),
        ("time_to_market", first[:-1]),
    ]
