"""The SHACL engines' parts on hand-written graphs: literals as written, the data's own class
hierarchy, recursion, XPath patterns, and SHACL-SPARQL pre-binding and its refusals."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SH, XSD

from qualgraph.rdf.terms import NTriples
from qualgraph.shacl.shapes import UnsupportedShape, load_shapes, plan_shapes
from qualgraph.shacl.sparql_shapes import check_query, prebind, unbound_safe
from qualgraph.shacl.validate import validate
from qualgraph.shacl.xpath_regex import PatternError, compile_pattern

from .test_validate import EX, HEAD, turtle

INTS = (
    HEAD
    + """
ex:i ex:small "5"^^xsd:int, "300"^^xsd:byte, "07"^^xsd:integer .
"""
)


def test_derived_integers_are_checked_as_written_not_as_the_store_keeps_them():
    # Oxigraph keeps "5"^^xsd:int as "5"^^xsd:integer: the engine reads the literal as written.
    shapes = turtle(
        HEAD + "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:small ; sh:datatype xsd:int ] ."
    )
    data = turtle(INTS)
    fast = validate(data, shapes, "oxigraph", ontology=False)
    oracle = validate(data, shapes, "pyshacl", ontology=False)
    assert sorted(r.key() for r in fast.results) == sorted(r.key() for r in oracle.results)
    assert {(r.component, r.value) for r in fast.results} == {
        (SH.DatatypeConstraintComponent, Literal("300", datatype=XSD.byte)),
        (SH.DatatypeConstraintComponent, Literal("07", datatype=XSD.integer)),
    }


def test_subclasses_declared_in_the_data_count_for_class_targets_on_the_emitter_path():
    data = turtle(
        HEAD + "ex:Special rdfs:subClassOf ex:Thing . ex:b a ex:Special . ex:a a ex:Thing ."
    )
    shapes = turtle(HEAD + "ex:S sh:targetClass ex:Thing ; sh:path ex:name ; sh:minCount 1 .")
    emitted = validate(NTriples.from_rdflib(data), shapes)  # loaded selectively, as the CLI does
    whole = validate(data, shapes)
    assert sorted(str(r.focus) for r in emitted.results) == [EX + "a", EX + "b"]
    assert emitted.results == whole.results


def test_a_recursive_shape_is_refused():
    shapes = turtle(HEAD + "ex:S sh:targetNode ex:a ; sh:node ex:S ; sh:class ex:Thing .")
    with pytest.raises(
        UnsupportedShape, match="the shapes are recursive on <http://example.org/a>"
    ):
        validate(turtle(HEAD + "ex:a a ex:Thing ."), shapes, ontology=False)


def test_shapes_that_refer_to_each_other_run_when_the_data_ends_the_recursion():
    shapes = turtle(
        HEAD + "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:next ; sh:node ex:S ] ;"
        " sh:property [ sh:path ex:name ; sh:minCount 1 ] ."
    )
    data = turtle(HEAD + 'ex:a ex:name "a" ; ex:next ex:b . ex:b ex:next ex:c . ex:c ex:name "c" .')
    (result,) = validate(data, shapes, ontology=False).results
    assert (result.focus, result.value, result.component) == (
        URIRef(EX + "a"),
        URIRef(EX + "b"),
        SH.NodeConstraintComponent,
    )


@pytest.mark.parametrize(
    "pattern, flags, matches, misses",
    [
        (r"^\p{Lu}", "", ["Alpha", "Émile"], ["alpha", "1"]),
        (r"^\p{IsBasicLatin}+$", "", ["abc"], ["abç"]),
        (r"^\i\c*$", "", ["_a-1", "x.y"], ["1a", "a b"]),
        (r"^a$", "", ["a"], ["a\n"]),  # XPath's $ ends the string; Python's also before \n
        (r"^b$", "m", ["a\nb\nc"], ["ab"]),
        (r"a b c", "x", ["abc"], ["a b c"]),
        (r"a.c", "q", ["xa.cx"], ["abc"]),
        (r"^ABC$", "i", ["abc"], ["abd"]),
        (r"a.b", "s", ["a\nb"], ["ab"]),
        (r"#", "", ["a#b"], ["ab"]),
    ],
)
def test_patterns_are_xpath_regular_expressions(pattern, flags, matches, misses):
    regex = compile_pattern(pattern, flags)
    assert all(regex.search(text) for text in matches)
    assert not any(regex.search(text) for text in misses)


@pytest.mark.parametrize(
    "pattern, flags, error",
    [
        ("([a-z", "", "not a valid regular expression"),
        ("a", "g", "unknown regular-expression flag"),
        ("a\\", "", "lone backslash"),
        ("[\\I]", "", "inside a character class"),
    ],
)
def test_untranslatable_patterns_are_refused(pattern, flags, error):
    with pytest.raises(PatternError, match=error):
        compile_pattern(pattern, flags)


def test_the_bundled_sparql_runs_once_for_all_focus_nodes():
    plan = plan_shapes(load_shapes())
    assert not plan.general and len(plan.specs) > 30
    assert all(unbound_safe(s.query) for spec in plan.specs for s in spec.sparql)


@pytest.mark.parametrize(
    "where",
    [
        "{ FILTER NOT EXISTS { $this ex:p ?o } }",  # $this bound by nothing in the query
        "{ OPTIONAL { $this ex:p ?o } FILTER (!bound(?o)) }",
        "{ { $this ex:p ?o } UNION { ?o ex:p $this } }",
        "{ BIND ($this AS ?that) ?that ex:p ?o }",
        "{ ?x ex:p ?o . $this ex:q ?x }",  # bound, but not by the first pattern
        "{ $this ex:p* ?o }",  # a zero-length path reaches focus nodes off the data
        "{ $this ex:p ?o { SELECT ?o WHERE { ?o ex:q ?z } } }",
        "{ $this ex:p ?o } LIMIT 1",
        "{ $this ex:p ?o OPTIONAL { ?o ex:q ?z BIND ($this AS ?t) } }",
    ],
)
def test_queries_whose_this_needs_pre_binding_run_per_focus_node(where):
    assert not unbound_safe(f"SELECT $this ?o WHERE {where}")


def test_aggregates_run_once_only_when_grouped_by_this():
    grouped = "SELECT $this (COUNT(?o) AS ?n) WHERE { $this ex:p ?o } GROUP BY $this"
    assert unbound_safe(grouped)
    assert not unbound_safe(grouped.replace("GROUP BY $this", "GROUP BY ?o"))


def test_pre_binding_writes_the_value_into_the_query():
    this = ox.NamedNode("http://example.org/a")
    query, substitutions = prebind(
        "SELECT $this ?v WHERE { BIND ($this AS ?v) FILTER (bound($this)) "
        "{ SELECT $this WHERE { $this ?p ?o } } } # $this in a comment",
        {"this": this},
    )
    assert substitutions == {}
    assert query == (
        "SELECT (<http://example.org/a> AS ?this) ?v WHERE { BIND (<http://example.org/a> AS ?v) "
        "FILTER ((true)) { SELECT (<http://example.org/a> AS ?qg_prebound_this_2) WHERE "
        "{ <http://example.org/a> ?p ?o } } } # $this in a comment"
    )
    store = ox.Store()
    store.add(ox.Quad(this, this, this))
    assert [row["v"] for row in store.query(query)] == [this]


def test_a_blank_focus_node_is_substituted_by_oxigraph():
    node = ox.BlankNode("b1")
    query, substitutions = prebind("SELECT DISTINCT $this ?v WHERE { $this ?p ?v }", {"this": node})
    assert query.startswith("SELECT DISTINCT ?qg_prebound_this (?qg_prebound_this AS ?this)")
    assert substitutions == {ox.Variable("qg_prebound_this"): node}


@pytest.mark.parametrize(
    "query, refusal",
    [
        ("SELECT $this WHERE { $this ?p ?o MINUS { $this a ?t } }", "forbids MINUS"),
        ("SELECT $this WHERE { VALUES ?x { 1 } }", "forbids VALUES"),
        ("SELECT $this WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "pass --allow-service"),
        ("SELECT $this WHERE { BIND (1 AS ?this) }", "pre-bound variable \\?this"),
        ("SELECT $this WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }", "does not return \\$this"),
        ("SELECT $this WHERE { { SELECT * WHERE { ?x ?p $this } } }", "does not return \\$this"),
    ],
)
def test_sparql_that_shacl_forbids_is_refused(query, refusal):
    with pytest.raises(UnsupportedShape, match=refusal):
        check_query(query, "ex:S", allow_service=False)


def test_words_inside_strings_iris_and_prefixed_names_are_not_keywords():
    check_query(
        "SELECT $this WHERE { $this ex:minus <http://x/VALUES> ; ex:p 'SERVICE MINUS' } # VALUES",
        "ex:S",
        allow_service=False,
    )
    check_query("SELECT $this WHERE { SERVICE <http://x/> { } }", "ex:S", allow_service=True)
