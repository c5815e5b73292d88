"""The seed trace loads into the graph with everything the researcher wrote."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from qualgraph.rdf.namespaces import DEFAULT_BASE, QG, Iris

from .conftest import SEED
from .graphs import load_graph

IRIS = Iris(DEFAULT_BASE)
S25 = IRIS.source("s25")


@pytest.fixture(scope="module")
def seed():
    return load_graph(SEED)


def test_source_s25_has_its_header_values(seed):
    _, graph = seed
    assert graph.value(S25, DCTERMS.title) == Literal(
        "An Introduction to the Data Product Management Landscape"
    )
    assert graph.value(S25, QG.url) == Literal(
        "https://blog.insightdatascience.com/an-introduction-to-the-data-product-management-landscape-ef930afe6de5"
    )
    assert graph.value(S25, QG.tinyUrl) == Literal("https://tinyurl.com/data-as-a-product-s25")
    assert graph.value(S25, QG.archiveUrl) == Literal("https://bit.ly/data-as-a-product-s25")
    assert graph.value(S25, QG.sourceType) == QG.PractitionerAudienceArticle
    assert graph.value(S25, QG.authorType) == QG.Practitioner
    assert graph.value(S25, QG.hasExample) == Literal(False)
    assert graph.value(S25, QG.hasSourceCode) == Literal(False)
    assert graph.value(S25, DCTERMS.identifier) == Literal("s25")


def test_every_quote_of_the_file_is_in_the_graph_with_its_exact_text(seed):
    _, graph = seed
    lines = SEED.read_text(encoding="utf-8").splitlines()
    quote_starts = [n for n, line in enumerate(lines, start=1) if line.startswith(">")]
    quotes = {int(graph.value(q, QG.startLine)): q for q in graph.subjects(RDF.type, QG.Quote)}
    assert sorted(quotes) == quote_starts
    for start, node in quotes.items():
        end = int(graph.value(node, QG.endLine))
        expected = "\n".join(line.rstrip() for line in lines[start - 1 : end])[2:]
        assert str(graph.value(node, QG.text)) == expected
        assert graph.value(node, QG.quoteOf) == S25


def test_segments_group_quotes_with_the_traces_that_follow(seed):
    _, graph = seed
    segments = sorted(
        graph.subjects(RDF.type, QG.Segment), key=lambda s: int(graph.value(s, QG.position))
    )
    quote_counts = [len(list(graph.subjects(QG.inSegment, s))) for s in segments]
    starts = [int(graph.value(s, QG.startLine)) for s in segments]
    assert starts == [35, 76, 116, 136]
    # quotes + memo + axial trace per segment; the last segment is one quote and nothing else
    quotes_per_segment = [
        sum(1 for n in graph.subjects(QG.inSegment, s) if (n, RDF.type, QG.Quote) in graph)
        for s in segments
    ]
    assert quotes_per_segment == [3, 6, 1, 1]
    assert quote_counts == [5, 8, 3, 1]


def test_maintaining_source_of_truth_is_a_practice_with_its_label(seed):
    _, graph = seed
    code = IRIS.code("maintaining_source_of_truth")
    assert (code, RDF.type, QG.Practice) in graph
    assert graph.value(code, RDFS.label) == Literal("Maintaining a single source of truth")
    assert graph.value(code, SKOS.notation) == Literal("maintaining_source_of_truth")
    definition = graph.value(code, QG.definedBy)
    assert int(graph.value(definition, QG.startLine)) == 63


def test_option_link_from_trustworthy_decision(seed):
    _, graph = seed
    links = list(graph.subjects(RDF.type, QG.OptionLink))
    assert len(links) == 1
    link = links[0]
    assert graph.value(link, QG.decision) == IRIS.code("trustworthy_decision")
    assert graph.value(link, QG.option) == IRIS.code("maintaining_source_of_truth")
    assert graph.value(link, QG.optionName) == Literal("Keep the original version of the data")
    assert (int(graph.value(link, QG.startLine)), int(graph.value(link, QG.endLine))) == (65, 66)
    assert (
        IRIS.code("trustworthy_decision"),
        QG.hasOption,
        IRIS.code("maintaining_source_of_truth"),
    ) in graph


def test_claims_of_the_add_codes_lists(seed):
    _, graph = seed
    claimed = {str(graph.value(c, SKOS.notation)) for c in graph.objects(S25, QG.claimsCode)}
    assert claimed == {"end_to_end", "reuse", "time_to_market", "data_catalogue", "discovery_port"}


def test_groundings_tie_codes_to_the_quotes_of_their_segment(seed):
    _, graph = seed
    end_to_end = IRIS.code("end_to_end")
    quotes = {
        int(graph.value(graph.value(g, QG.groundedIn), QG.startLine))
        for g in graph.subjects(URIRef("http://www.w3.org/ns/oa#hasBody"), end_to_end)
    }
    assert quotes == {35, 37, 45}


def test_diagnostics_name_the_undefined_codes_and_the_swapped_types(seed):
    loaded, _ = seed
    undefined = {d.message.split()[0] for d in loaded.diagnostics if d.code == "undefined-name"}
    assert undefined == {
        "end_to_end",
        "reuse",
        "time_to_market",
        "data_catalogue",
        "discovery_port",
        "trustworthy_decision",
    }
    swapped = [d for d in loaded.diagnostics if d.code == "header-mismatch"]
    assert len(swapped) == 1
    assert swapped[0].line == 23
    assert "swaps author type and type" in swapped[0].message
    mismatch = [d for d in loaded.diagnostics if d.code == "source-id-mismatch"]
    assert [d.line for d in mismatch] == [23]
