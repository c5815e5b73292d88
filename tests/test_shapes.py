"""The bundled SHACL shapes: each parses, says what to fix, and uses only ontology terms."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery

from qualgraph.resources import ontology_graph
from qualgraph.shacl.shapes import bundled_shape_files, load_shapes, read_shapes

QG = Namespace("https://w3id.org/qualgraph/ontology#")
QGSH = Namespace("https://w3id.org/qualgraph/shapes#")
FILES = {path.name: path for path in bundled_shape_files()}
SHAPES_PER_FILE = {
    "codebook.ttl": 4,
    "decision-model.ttl": 14,
    "grounding.ttl": 7,
    "sources.ttl": 11,
}


def shapes_in(graph: Graph) -> set[URIRef]:
    return set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(RDF.type, SH.PropertyShape)
    )


def test_one_file_per_concern_with_the_expected_number_of_shapes():
    counted = {
        name: len(shapes_in(Graph().parse(path, format="turtle"))) for name, path in FILES.items()
    }
    assert counted == SHAPES_PER_FILE
    assert len(shapes_in(load_shapes())) == sum(SHAPES_PER_FILE.values()) == 36


@pytest.mark.parametrize("shape", sorted(shapes_in(load_shapes())), ids=lambda s: s.split("#")[1])
def test_every_shape_has_a_name_a_message_a_severity_and_a_comment(shape):
    graph = load_shapes()
    assert shape.startswith(str(QGSH))
    for predicate in (SH.name, SH.message, SH.severity, RDFS.comment):
        values = list(graph.objects(shape, predicate))
        assert len(values) == 1, f"{shape} needs exactly one {predicate}"
    assert graph.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info)
    message = str(graph.value(shape, SH.message))
    assert message.endswith(".") and len(message) > 30, "a message says what to fix, in a sentence"
    assert list(graph.objects(shape, SH.targetClass)) or list(
        graph.objects(shape, SH.targetSubjectsOf)
    )


def test_shapes_use_only_terms_the_ontology_declares():
    ontology = ontology_graph()
    declared = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = {
        t
        for triple in load_shapes()
        for t in triple
        if isinstance(t, URIRef) and t.startswith(str(QG))
    }
    assert used and used <= declared, sorted(used - declared)


def test_enumerations_list_the_ontologys_named_individuals():
    graph, ontology = load_shapes(), ontology_graph()
    lists = {
        shape: list(Collection(graph, node)) for shape, node in graph.subject_objects(SH["in"])
    }
    assert len(lists) == 5
    for shape, members in lists.items():
        (cls,) = {
            c for m in members for c in ontology.objects(m, RDF.type) if c != OWL.NamedIndividual
        }
        everything = {s for s in ontology.subjects(RDF.type, cls)}
        assert set(members) == everything, f"{shape} must list every {cls}"


def test_sparql_constraints_parse_and_select_this():
    graph = load_shapes()
    constraints = list(graph.objects(None, SH.sparql))
    assert len(constraints) == 10
    for constraint in constraints:
        holder = graph.value(constraint, SH.prefixes)
        namespaces = {
            str(graph.value(d, SH.prefix)): Namespace(str(graph.value(d, SH.namespace)))
            for d in graph.objects(holder, SH.declare)
        }
        text = str(graph.value(constraint, SH.select))
        query = prepareQuery(text, initNs=namespaces)
        assert "this" in {str(v) for v in query.algebra["PV"]}


def test_the_fast_engine_reads_every_bundled_shape():
    assert {spec.node for spec in read_shapes(load_shapes())} == shapes_in(load_shapes())


def test_messages_are_plain_literals():
    for message in load_shapes().objects(None, SH.message):
        assert isinstance(message, Literal) and message.language is None
