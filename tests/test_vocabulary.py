"""The loader speaks the ontology: every qg: term it emits is declared there, and the mappings
from the study's words land on declared individuals."""

from __future__ import annotations

from rdflib.namespace import RDF

from qualgraph.rdf import ontology_map as vocabulary
from qualgraph.rdf.emit import emit_triples
from qualgraph.rdf.namespaces import QG
from qualgraph.resources import ontology_graph
from qualgraph.study.load import load_study

from .conftest import FIXTURES, SEED

ONTOLOGY = ontology_graph()
DECLARED = {s for s in ONTOLOGY.subjects(RDF.type, None) if str(s).startswith(str(QG))}


def test_every_emitted_qg_term_is_declared_in_the_ontology():
    loaded = load_study([SEED, FIXTURES / "study"], [FIXTURES / "consolidated"])
    used = set()
    for _, p, o in emit_triples(loaded.study):
        if str(p).startswith(str(QG)):
            used.add(p)
        if p == RDF.type and str(o).startswith(str(QG)):
            used.add(o)
    assert len(used) > 60
    assert used - DECLARED == set()


def test_every_mapped_value_is_a_declared_individual():
    mappings = [
        vocabulary.CODE_CLASSES,
        vocabulary.SOURCE_TYPES,
        vocabulary.AUTHOR_TYPES,
        vocabulary.IMPACT_LEVELS,
        vocabulary.RELATION_TYPES,
        vocabulary.NEXT_DECISION_TYPES,
        vocabulary.CONTEXT_TYPES,
    ]
    values = {term for mapping in mappings for term in mapping.values()}
    assert (
        len(values) == 10 + 5 + 3 + 6 + 15 + 6 - 1
    )  # domain_metaclass/domain_class share one class
    assert values - DECLARED == set()
