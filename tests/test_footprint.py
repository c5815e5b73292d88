"""The footprint of a set of shapes: the predicates and classes they can see, or None when a shape
could look at anything. Validation loads only that part of a study, so it must never miss one."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from qualgraph.rdf.namespaces import OA, PROV, QG
from qualgraph.shacl.footprint import footprint
from qualgraph.shacl.shapes import load_shapes, plan_shapes, read_shapes

from .test_validate import RULE_PREFIXES

EX = "https://example.org/"


def shapes_of(text: str):
    return read_shapes(Graph().parse(data=RULE_PREFIXES + text, format="turtle"))


def sparql_shape(select: str) -> str:
    return (
        '<urn:s> a sh:NodeShape ; sh:targetClass qg:Source ; sh:message "m" ;\n'
        f'    sh:sparql [ sh:select """PREFIX qg: <{QG}>\n{select}""" ] .\n'
    )


def test_the_bundled_shapes_see_what_they_check_and_not_the_rest():
    found = footprint(read_shapes(load_shapes()))
    assert found is not None and not found.every_type
    for predicate in (QG.groundedIn, OA.hasBody, QG.quoteOf, QG.claimant, QG.statedIn, QG.text):
        assert predicate in found.predicates
    for unread in (QG.position, QG.endLine, QG.startLine, PROV.wasDerivedFrom, QG.statementForm):
        assert unread not in found.predicates
    assert {QG.Claim, QG.Quote, QG.Grounding, QG.ModelLink, QG.Source} <= found.classes
    assert QG.Statement not in found.classes


def test_core_paths_targets_and_classes_are_collected():
    found = footprint(
        shapes_of(
            f"<urn:a> a sh:PropertyShape ; sh:targetSubjectsOf <{EX}p> ;\n"
            f"    sh:path ( <{EX}q> [ sh:inversePath <{EX}r> ] ) ; sh:class <{EX}C> .\n"
            f"<urn:b> a sh:PropertyShape ; sh:targetClass <{EX}D> ;\n"
            f"    sh:path <{EX}s> ; sh:minCount 1 .\n"
        )
    )
    assert found is not None
    assert {URIRef(EX + n) for n in "pqrs"} | {RDFS.subClassOf} == found.predicates
    assert found.classes == {URIRef(EX + "C"), URIRef(EX + "D")}


def test_shapes_of_the_general_engine_have_a_footprint_too():
    shapes = Graph().parse(
        data=RULE_PREFIXES
        + f"<urn:b> a sh:PropertyShape ; sh:targetClass <{EX}D> ;\n"
        + f"    sh:path [ sh:alternativePath ( <{EX}s> [ sh:zeroOrMorePath <{EX}t> ] ) ] ;\n"
        + f"    sh:or ( [ sh:class <{EX}E> ] [ sh:path <{EX}u> ; sh:lessThan <{EX}v> ] ) .\n"
        + f"<urn:c> a sh:NodeShape ; sh:targetNode <{EX}n> ; sh:sparql [ sh:select\n"
        + f"    'SELECT $this WHERE {{ FILTER NOT EXISTS {{ $this <{EX}w> ?x }} }}' ] .\n",
        format="turtle",
    )
    plan = plan_shapes(shapes)
    assert plan.specs == () and plan.general == (URIRef("urn:b"), URIRef("urn:c"))
    found = footprint(plan.specs, shapes, plan.general)
    assert found is not None
    assert {URIRef(EX + n) for n in "stuvw"} | {RDFS.subClassOf} == found.predicates
    assert found.classes == {URIRef(EX + "D"), URIRef(EX + "E")}


def test_a_closed_shape_could_read_any_predicate():
    shapes = Graph().parse(
        data=RULE_PREFIXES + "<urn:c> sh:targetNode <urn:n> ; sh:closed true .\n",
        format="turtle",
    )
    plan = plan_shapes(shapes)
    assert footprint(plan.specs, shapes, plan.general) is None
