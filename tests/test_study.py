"""A small two-trace study: codebook across files, links, diagnostics, and the nothing-lost rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from qualgraph.rdf.namespaces import DEFAULT_BASE, OA, QG, Iris
from qualgraph.study.load import find_traces, load_study

from .conftest import FIXTURES, SEED
from .graphs import load_graph

STUDY = FIXTURES / "study"
IRIS = Iris(DEFAULT_BASE)


@pytest.fixture(scope="module")
def study():
    return load_graph(STUDY)


def test_folders_are_read_in_natural_order(tmp_path):
    for name in ["s_10.md", "s_2.md", "s_1.md", "notes.csv"]:
        (tmp_path / name).write_text("# s \n1\n")
    assert [p.name for p in find_traces([tmp_path])] == ["s_1.md", "s_2.md", "s_10.md"]


def test_codes_are_resolved_across_files(study):
    loaded, graph = study
    assert [t.source_id for t in loaded.study.traces] == ["s1", "s2"]
    catalogue = IRIS.code("data_catalogue")
    assert (catalogue, RDF.type, QG.Pattern) in graph
    s2 = IRIS.source("s2")
    grounded_quotes = {graph.value(g, QG.groundedIn) for g in graph.subjects(OA.hasBody, catalogue)}
    assert any(graph.value(q, QG.quoteOf) == s2 for q in grounded_quotes)


def test_decision_model_links(study):
    _, graph = study
    decision = IRIS.code("discovery_decision")
    assert set(graph.objects(decision, QG.hasOption)) == {
        IRIS.code("data_catalogue"),
        IRIS.code("register_datasets"),
    }
    impacts = {
        (
            str(graph.value(graph.value(i, QG.solution), SKOS.notation)),
            graph.value(i, QG.impactLevel),
        )
        for i in graph.subjects(RDF.type, QG.ForceImpact)
    }
    assert impacts == {("data_catalogue", QG.VeryPositive), ("clear_ownership", QG.Positive)}
    relations = list(graph.subjects(RDF.type, QG.SolutionRelation))
    assert len(relations) == 1
    relation = relations[0]
    assert graph.value(relation, QG.linkFrom) == IRIS.code("data_catalogue")
    assert graph.value(relation, QG.linkTo) == IRIS.code("register_datasets")
    assert graph.value(relation, QG.relationType) == QG.Uses
    assert int(graph.value(relation, QG.startLine)) == 73


def test_redefinition_with_another_label_is_reported_and_last_wins(study):
    loaded, graph = study
    conflicts = [d for d in loaded.diagnostics if d.code == "conflicting-definition"]
    assert [(d.file.endswith("s_2.md"), d.line) for d in conflicts] == [(True, 46)]
    assert "tests/fixtures/study/s_1.md:47" in conflicts[0].message
    force = IRIS.code("discoverability")
    assert graph.value(force, RDFS.label) == Literal("Findability")
    assert graph.value(force, SKOS.altLabel) == Literal("Discoverability")


def test_misspelt_name_gets_the_closest_defined_name(study):
    loaded, _ = study
    undefined = [d for d in loaded.diagnostics if d.code == "undefined-name"]
    assert [(Path(d.file).name, d.line) for d in undefined] == [("s_2.md", 39)]
    assert undefined[0].message == (
        "register_dataset is used but never defined with CClass; did you mean register_datasets?"
    )


def test_duplicate_source_ids_are_errors(tmp_path):
    text = (STUDY / "s_1.md").read_text()
    (tmp_path / "a.md").write_text(text)
    (tmp_path / "b.md").write_text(text)
    loaded = load_study([tmp_path])
    duplicates = [d for d in loaded.diagnostics if d.code == "duplicate-source"]
    assert [(Path(d.file).name, d.line, str(d.severity)) for d in duplicates] == [
        ("b.md", 2, "error")  # the header's number line
    ]
    # the second trace is kept apart, so no claim of one is grounded in the other's quotes
    assert [t.source_id for t in loaded.study.traces] == ["s1", "s1~2"]


def test_template_is_skipped_with_a_note(tmp_path):
    (tmp_path / "s_.md").write_text("# s \n\n## url\n\n## title\n\n# coding\n")
    (tmp_path / "s_25.md").write_text(SEED.read_text())
    loaded = load_study([tmp_path])
    assert [t.document.name.endswith("s_25.md") for t in loaded.study.traces] == [True]
    assert any(d.code == "template" and d.file.endswith("s_.md") for d in loaded.diagnostics)


def test_bad_python_is_kept_verbatim_and_reported(tmp_path):
    text = (
        (STUDY / "s_2.md")
        .read_text()
        .replace(
            "    add_force_relations({clear_ownership: {discoverability: positive}})",
            "    add_force_relations{(clear_ownership: {discoverability: positive}})",
        )
    )
    (tmp_path / "s_2.md").write_text(text)
    loaded, graph = load_graph(tmp_path)
    verbatim = list(graph.subjects(RDF.type, QG.UninterpretedStatement))
    assert len(verbatim) == 1
    assert "add_force_relations{(" in str(graph.value(verbatim[0], QG.text))
    assert int(graph.value(verbatim[0], QG.startLine)) == 47
    assert any(d.code == "uninterpretable" and d.line == 47 for d in loaded.diagnostics)


def test_speaker_labels_are_kept_but_ground_nothing(tmp_path):
    (tmp_path / "p_1.md").write_text(
        "# p\n1\n## title\nInterview Expert A\n\n# coding\n\n> Interviewer\n\n>Expert A\n\n"
        "> We keep a catalogue of every data product.\n\n**OPEN CODING TRACE:**\ndata_catalogue\n\n"
        '**AXIAL CODING TRACE:**\nadded:\n``` python\n    data_catalogue = CClass(pattern, "Data Catalogue")\n```\n'
    )
    _, graph = load_graph(tmp_path)
    labels = sorted(
        int(graph.value(q, QG.startLine)) for q in graph.subjects(RDF.type, QG.SpeakerLabel)
    )
    assert labels == [8, 10]
    grounded = {
        int(graph.value(graph.value(g, QG.groundedIn), QG.startLine))
        for g in graph.subjects(RDF.type, QG.Grounding)
    }
    assert grounded == {12}
    assert len(list(graph.subjects(RDF.type, QG.Quote))) == 3


def test_an_order_file_sets_the_coding_order(tmp_path):
    from qualgraph.study.load import apply_order

    files = [tmp_path / name for name in ["p_1.md", "p_2.md", "s_1.md", "s_2.md"]]
    assert [f.name for f in apply_order(files, ["s_2.md", "s_1.md"])] == [
        "s_2.md",
        "s_1.md",
        "p_1.md",
        "p_2.md",
    ]
    loaded = load_study([STUDY], order=["s_2.md"])
    assert [t.source_id for t in loaded.study.traces] == ["s2", "s1"]
    assert [t.position for t in loaded.study.traces] == [1, 2]


def test_a_readme_beside_the_traces_is_skipped_with_one_note(tmp_path):
    (tmp_path / "README.md").write_text("Notes about this study\n\nNo trace here.\n")
    (tmp_path / "s_25.md").write_text(SEED.read_text())
    loaded = load_study([tmp_path])
    about_readme = [
        (d.code, str(d.severity)) for d in loaded.diagnostics if d.file.endswith("README.md")
    ]
    assert about_readme == [("not-a-trace", "info")]
    assert [t.source_id for t in loaded.study.traces] == ["s25"]


def test_a_file_name_that_disagrees_with_the_header_is_reported(tmp_path):
    (tmp_path / "s_26.md").write_text((STUDY / "s_1.md").read_text())
    loaded = load_study([tmp_path])
    mismatches = [(d.line, d.message) for d in loaded.diagnostics if d.code == "source-id-mismatch"]
    assert mismatches == [(2, "the header says s1 but the file name says s26")]
