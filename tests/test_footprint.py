"""The footprint of a set of shapes: the predicates and classes they can see, or None when a shape
could look at anything. Validation loads only that part of a study, so it must never miss one."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from loader.footprint import footprint
from loader.namespaces import OA, PROV, QG
from loader.shapes import load_shapes, plan_shapes, read_shapes
from loader.terms import NTriples
from loader.validate import Validation

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


def test_shapes_the_compiler_does_not_run_turn_the_selection_off():
    # An alternative or zero-or-more path runs in the general engine, which may read any
    # triple: validation then loads them all (validate.Validation), whatever the footprint.
    shapes = Graph().parse(
        data=RULE_PREFIXES
        + f"<urn:b> a sh:PropertyShape ; sh:targetClass <{EX}D> ;\n"
        + f"    sh:path [ sh:alternativePath ( <{EX}s> [ sh:zeroOrMorePath <{EX}t> ] ) ] ;\n"
        + "    sh:minCount 1 .\n",
        format="turtle",
    )
    plan = plan_shapes(shapes)
    assert plan.specs == () and plan.general == (URIRef("urn:b"),)
    validation = Validation(shapes)
    assert validation._selective is False
    validation.report(NTriples([]))


def test_sparql_patterns_paths_and_exists_blocks_are_collected():
    found = footprint(
        shapes_of(
            sparql_shape(
                "SELECT $this WHERE { $this qg:a/^qg:b ?x ; a qg:Kind . "
                "FILTER NOT EXISTS { ?x (qg:c|qg:d)* ?y } }"
            )
        )
    )
    assert found is not None
    assert {QG.a, QG.b, QG.c, QG.d} <= found.predicates
    assert QG.Kind in found.classes and not found.every_type


def test_a_variable_class_needs_every_type_triple():
    found = footprint(shapes_of(sparql_shape("SELECT $this WHERE { $this a ?class }")))
    assert found is not None and found.every_type
    assert RDF.type not in found.predicates


def test_a_shape_that_could_read_any_predicate_turns_the_selection_off():
    for select in (
        "SELECT $this WHERE { $this ?p ?o }",
        "SELECT $this WHERE { $this !qg:a ?o }",
        "SELECT $this WHERE { $this qg:a ?x . ?x ?p ?o }",
        "SELECT $this WHERE { $this qg:a ?x ",  # unreadable: the engine will say why
    ):
        assert footprint(shapes_of(sparql_shape(select))) is None, select
