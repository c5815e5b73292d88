"""The N-Triples terms the emitter writes are spelt exactly as Oxigraph spells them, and read back
to the same values in rdflib; the background loader puts every chunk into the store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from qualgraph.rdf.emit import emit, emit_ntriples
from qualgraph.rdf.namespaces import QG
from qualgraph.rdf.store import BackgroundLoader
from qualgraph.rdf.terms import (
    NTriples,
    Selection,
    boolean,
    document,
    integer,
    iri,
    lexical,
    literal,
    term,
)
from qualgraph.study.load import load_study

from .conftest import FIXTURES, SEEDS

XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
XSD_BOOLEAN = URIRef("http://www.w3.org/2001/XMLSchema#boolean")
AWKWARD = [
    "",
    "plain",
    'a "quoted" word',
    "back\\slash and \\n not a newline",
    "two\nlines\r\nand a tab\t",
    "".join(chr(c) for c in range(32)) + "\x7f",
    "é, ü, ß, 中文, 🙂 and U+2028 \u2028",
    "no-break\xa0space, soft\xadhyphen and a BOM \ufeff: printable or not, never escaped",
    *("".join(chr((seed * 7919 + i * 104729) % 400) for i in range(40)) for seed in range(50)),
]


@pytest.mark.parametrize("text", AWKWARD)
def test_a_literal_is_spelt_as_oxigraph_spells_it_and_reads_back(text):
    assert literal(text) == str(ox.Literal(text))
    assert lexical(literal(text)) == text


def test_typed_literals_and_iris_are_spelt_as_oxigraph_spells_them():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert integer(42) == str(ox.Literal("42", datatype=ox.NamedNode(xsd + "integer")))
    assert boolean(False) == str(ox.Literal("false", datatype=ox.NamedNode(xsd + "boolean")))
    assert iri("https://example.org/a") == str(ox.NamedNode("https://example.org/a"))
    assert term(Literal(True)) == boolean(True)
    assert term(URIRef("https://example.org/a")) == iri("https://example.org/a")
    assert lexical(integer(7)) == "7"


def test_rdflib_triples_survive_the_round_trip_through_ntriples():
    graph = Graph()
    subject = URIRef("https://example.org/s")
    graph.add((subject, RDF.type, URIRef("https://example.org/C")))
    graph.add((subject, URIRef("https://example.org/text"), Literal(AWKWARD[5])))
    graph.add((subject, URIRef("https://example.org/n"), Literal(3, datatype=XSD_INTEGER)))
    graph.add((subject, URIRef("https://example.org/label"), Literal("hei", lang="no")))
    graph.add((BNode("b1"), URIRef("https://example.org/p"), subject))
    back = NTriples.from_rdflib(graph).to_rdflib()
    assert len(back) == len(graph) == 5
    assert isomorphic(Graph().__iadd__(back), graph)


def test_a_selection_keeps_its_predicates_and_the_types_of_its_classes():
    a, b, thing, other = (iri(f"https://example.org/{n}") for n in ("a", "b", "Thing", "Other"))
    rdf_type = term(RDF.type)
    triples = [(a, rdf_type, thing), (b, rdf_type, other), (a, a, b), (a, b, literal("x"))]
    kept = document(triples, Selection(frozenset({a}), frozenset({thing})))
    assert kept.decode() == f"{a} {rdf_type} {thing} .\n{a} {a} {b} .\n"
    assert document(triples).decode().count("\n") == 4


def test_the_emitter_hands_every_triple_to_its_sink_a_trace_at_a_time():
    study = load_study([FIXTURES / "study"], []).study
    chunks: list[list[tuple[str, str, str]]] = []
    triples = emit_ntriples(study, sink=chunks.append)
    assert len(chunks) == len(study.traces) + 1  # one per trace, then the codebook
    assert {t for chunk in chunks for t in chunk} == set(triples)
    assert len(set(triples)) == len(triples)


def test_the_emitted_iris_pass_the_strict_parser_so_stores_may_load_them_leniently(tmp_path):
    # Stores load the emitter's N-Triples with lenient=True (IRIs unchecked, a third faster):
    # that is safe only while the emitter writes nothing a strict parser would refuse.
    text = SEEDS.joinpath("000_09b85b6d370d55bc.txt").read_text(encoding="utf-8")
    for name in ("s 1 (draft)#é.md", "s_2 <a|b>.md", 's_3%20 "q" {x}^`.md'):
        (tmp_path / name).write_text(text.replace("data_catalogue", "dätä_名"), encoding="utf-8")
    triples = emit_ntriples(load_study([tmp_path], []).study)
    assert any("%E5%90%8D" in s or "名" in s for s, _, _ in triples)  # the code's IRI
    assert len(list(ox.parse(triples.text(), format=ox.RdfFormat.N_TRIPLES))) == len(triples)


def test_the_rdflib_graph_is_the_ntriples_read_back():
    study = load_study([SEEDS], []).study
    graph = emit(study)
    assert len(graph) == len(emit_ntriples(study)) > 700
    flags = set(graph.objects(None, QG.hasExample))
    assert flags and all(flag.datatype == XSD_BOOLEAN for flag in flags)
    lines = set(graph.objects(None, QG.startLine))
    assert lines and all(isinstance(line.toPython(), int) for line in lines)


def test_the_background_loader_loads_every_batch_and_reports_a_broken_one():
    store = ox.Store()
    loader = BackgroundLoader(store, batch=2)
    triples = [
        (iri(f"https://example.org/{i}"), iri("https://example.org/p"), integer(i))
        for i in range(7)
    ]
    for triple in triples:
        loader.add([triple])
    loader.close()
    assert len(store) == 7
    broken = BackgroundLoader(ox.Store())  # loads leniently (IRIs unchecked), not blindly
    broken.add([(iri("https://example.org/s"), iri("https://example.org/p"), "not a term")])
    with pytest.raises(SyntaxError):
        broken.close()


def test_the_background_loader_asks_for_its_selection_once_when_the_first_batch_is_ready():
    p, q = iri("https://example.org/p"), iri("https://example.org/q")
    asked = []

    def keep():
        asked.append(True)
        return Selection(frozenset({p}), frozenset())

    store = ox.Store()
    loader = BackgroundLoader(store, keep, batch=3)
    loader.add([(iri("https://example.org/a"), p, integer(1))])
    assert asked == []  # not needed before a batch goes out
    loader.add([(iri(f"https://example.org/{i}"), q if i % 2 else p, integer(i)) for i in range(6)])
    loader.close()
    assert asked == [True]
    assert {str(quad.predicate.value) for quad in store} == {"https://example.org/p"}
    assert len(store) == 4  # a, 0, 2, 4: one large chunk went out in batches of 3


def test_the_background_loader_lets_triples_pile_up_until_its_selection_is_ready():
    p = iri("https://example.org/p")
    ready, asked = [False], []

    def keep():
        asked.append(ready[0])
        return None  # everything

    store = ox.Store()
    loader = BackgroundLoader(store, keep, batch=2, ready=lambda: ready[0])
    loader.add([(iri(f"https://example.org/{i}"), p, integer(i)) for i in range(5)])
    assert asked == [] and len(store) == 0  # not ready: nothing asked, nothing sent
    ready[0] = True
    loader.add([(iri("https://example.org/5"), p, integer(5))])
    loader.close()
    assert asked == [True] and len(store) == 6


def test_the_collector_is_paused_inside_the_block_and_restored_after(fast_policy):
    import gc

    from qualgraph.runtime.memory import paused_gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner block does not resume it early
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_objects_made_while_paused_go_straight_to_the_oldest_generation(fast_policy):
    """No young collection is left pending (it would walk them all), nothing stays frozen, and a
    program's own frozen objects are left alone."""
    import gc

    from qualgraph.runtime.memory import paused_gc

    gc.collect()  # counts at zero: the next young collection would not reach the oldest
    with paused_gc():
        made = [[i] for i in range(50_000)]
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(made) in oldest and id(made[-1]) in oldest
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused_gc():
            more = [[i] for i in range(1_000)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert len(made) + len(more) == 51_000


def test_the_default_policy_leaves_the_collector_alone():
    import gc

    from qualgraph.runtime.memory import paused_gc

    assert gc.isenabled()
    with paused_gc():
        assert gc.isenabled()
    assert gc.isenabled()
