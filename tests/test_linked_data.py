"""Linked-data outputs: compact JSON-LD under the shipped @context (round trip through rdflib
and pyld), and the VoID/DCAT description of a study's dataset (checked by its SHACL shape)."""

from __future__ import annotations

import json
from datetime import date

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, VOID, XSD

from qualgraph.cli import main
from qualgraph.rdf.export import serialize
from qualgraph.rdf.identity import StudyIdentity, study_identity
from qualgraph.rdf.jsonld import CONTEXT_FILE, compact, context, context_text
from qualgraph.rdf.terms import to_rdflib
from qualgraph.rdf.void import DATASET_SHAPE, DatasetFacts, build_date, count, describe
from qualgraph.resources import ontology_graph, resource_dir

from .conftest import FIXTURES
from .graphs import assert_isomorphic, load_graph

BASE = "https://example.org/studies/demo/"
IDENTITY = StudyIdentity("demo", BASE)


@pytest.fixture(scope="module")
def graph():
    return load_graph(FIXTURES / "query-study", base=BASE)[1]


def test_the_shipped_context_is_the_one_made_from_the_ontology():
    shipped = resource_dir("ontology") / CONTEXT_FILE
    assert shipped.read_text(encoding="utf-8") == context_text(), (
        "ontology/qualgraph.context.jsonld is out of date: write qualgraph.rdf.jsonld.context_text() to it"
    )
    terms = context()["@context"]
    assert terms["@vocab"] == "https://w3id.org/qualgraph/ontology#"
    assert terms["quoteOf"] == {"@type": "@id"}
    assert terms["oa:hasBody"] == {"@type": "@id"}
    assert "text" not in terms  # a datatype property: a plain value under @vocab


def test_compact_json_ld_reads_as_terms_not_iris(graph):
    document = json.loads(serialize(graph, "jsonld", base=BASE))
    assert document["@context"]["@base"] == BASE
    quote = next(n for n in document["@graph"] if "Quote" in (n.get("@type") or []))
    assert isinstance(quote["text"], str)
    assert isinstance(quote["startLine"], int)
    assert not quote["quoteOf"].startswith("https://")  # relative to the study's @base
    assert "https://w3id.org/qualgraph/ontology#text" not in serialize(graph, "jsonld", base=BASE)


def test_compact_json_ld_round_trips_through_rdflib(graph):
    parsed = Graph().parse(data=serialize(graph, "jsonld", base=BASE), format="json-ld")
    assert_isomorphic(graph, parsed)


def test_compact_json_ld_round_trips_through_pyld(graph):
    pyld = pytest.importorskip("pyld.jsonld")
    document = json.loads(serialize(graph, "jsonld", base=BASE))
    nquads = pyld.to_rdf(document, {"format": "application/n-quads"})
    parsed = Graph()
    for quad in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS):
        assert quad.graph_name == ox.DefaultGraph()
        parsed.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    assert_isomorphic(graph, parsed)


def test_compact_json_ld_with_the_ontology_and_without_base_round_trips():
    with_ontology = ontology_graph()
    parsed = Graph().parse(data=compact(with_ontology), format="json-ld")
    assert_isomorphic(with_ontology, parsed)


def test_a_single_node_and_an_empty_graph():
    one = Graph().parse(data="<https://e.org/a> <https://e.org/p> 'x' .", format="turtle")
    assert_isomorphic(one, Graph().parse(data=compact(one), format="json-ld"))
    assert json.loads(compact(Graph()))["@graph"] == []


def test_export_of_json_ld_is_deterministic_and_compact(tmp_path):
    out = [tmp_path / "one.jsonld", tmp_path / "two.jsonld", tmp_path / "s.ttl"]
    runner = CliRunner()
    for path, fmt in zip(out, ("jsonld", "jsonld", "turtle"), strict=True):
        result = runner.invoke(
            main, ["export", str(FIXTURES / "query-study"), "-f", fmt, "-o", str(path)]
        )
        assert result.exit_code == 0
    assert out[0].read_bytes() == out[1].read_bytes()
    # under the context, the JSON-LD is no longer ~2.5 times the Turtle (see docs/design.md)
    assert out[0].stat().st_size < 1.6 * out[2].stat().st_size


SHAPE = Graph().parse(resource_dir("ontology") / DATASET_SHAPE, format="turtle")


def _conforms(description: Graph) -> tuple[bool, str]:
    conforms, _, text = validate(description, shacl_graph=SHAPE)
    return conforms, text


def test_the_description_validates_against_its_shape(graph):
    from qualgraph.rdf.terms import NTriples

    facts = count(NTriples.from_rdflib(graph))
    assert facts.triples == len(graph)
    assert (facts.sources, facts.codes) == (4, 8)
    description = describe(
        IDENTITY, facts, date(2026, 1, 2), license="https://spdx.org/licenses/CC-BY-4.0"
    )
    conforms, text = _conforms(description)
    assert conforms, text
    dataset = URIRef(BASE[:-1])
    assert description.value(dataset, DCTERMS.created) == Literal("2026-01-02", datatype=XSD.date)
    assert description.value(dataset, VOID.triples) == Literal(len(graph))
    assert description.value(dataset, DCTERMS.title) == Literal("demo")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda g, d: g.remove((d, DCTERMS.title, None)), "a dataset has one non-empty title"),
        (
            lambda g, d: g.set((d, DCTERMS.created, Literal("yesterday"))),
            "a dataset has one creation date (xsd:date)",
        ),
        (
            lambda g, d: g.set((d, VOID.uriSpace, Literal("https://e.org/x"))),
            "the study's base IRI, ending in / or #",
        ),
        (lambda g, d: g.add((d, DCTERMS.license, Literal("CC-BY"))), "a license is one IRI"),
    ],
)
def test_the_shape_catches_a_broken_description(change, message):
    description = describe(IDENTITY, DatasetFacts(10, 1, 2), date(2026, 1, 2))
    change(description, URIRef(BASE[:-1]))
    conforms, text = _conforms(description)
    assert not conforms
    assert message in text


def test_export_writes_the_description_beside_the_data(tmp_path):
    data, void = tmp_path / "study.ttl", tmp_path / "study.void.ttl"
    result = CliRunner().invoke(
        main,
        [
            "export",
            str(FIXTURES / "study"),
            "-o",
            str(data),
            "--void",
            str(void),
            "--license",
            "https://spdx.org/licenses/CC-BY-4.0",
        ],
        env={"SOURCE_DATE_EPOCH": "1767312000"},
    )
    assert result.exit_code == 0
    description = Graph().parse(void, format="turtle")
    assert _conforms(description)[0]
    dataset = URIRef(study_identity(FIXTURES / "study").iri)
    assert description.value(dataset, VOID.triples) == Literal(
        len(Graph().parse(data, format="turtle"))
    )
    assert description.value(dataset, DCTERMS.created) == Literal("2026-01-02", datatype=XSD.date)
    assert description.value(dataset, DCTERMS.license) == URIRef(
        "https://spdx.org/licenses/CC-BY-4.0"
    )


def test_build_date_follows_source_date_epoch():
    assert build_date({"SOURCE_DATE_EPOCH": "0"}) == date(1970, 1, 1)
    assert build_date({}) >= date(2026, 1, 1)
