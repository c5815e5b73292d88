"""Consolidated model files: read safely, held beside the traces, compared with them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from qualgraph.cli import main
from qualgraph.rdf.emit import emit
from qualgraph.rdf.namespaces import DEFAULT_BASE, QG, Iris
from qualgraph.study.grounding import evidence_report
from qualgraph.study.load import load_study
from qualgraph.study.model import conventional_model_folder

from .conftest import FIXTURES, ROOT

STUDY = FIXTURES / "study"
MODEL = FIXTURES / "consolidated"
IRIS = Iris(DEFAULT_BASE)


@pytest.fixture(scope="module")
def study():
    loaded = load_study([STUDY], [MODEL])
    return loaded, emit(loaded.study)


def found(loaded, code):
    return sorted((Path(d.file).name, d.line) for d in loaded.diagnostics if d.code == code)


def test_the_model_sets_the_published_label_and_kind(study):
    _, graph = study
    catalogue = IRIS.code("data_catalogue")
    assert str(graph.value(catalogue, RDFS.label)) == "Data Product Catalogue"
    assert str(graph.value(catalogue, SKOS.altLabel)) == "Data Catalogue"
    assert (IRIS.code("register_datasets"), RDF.type, QG.Pattern) in graph


def test_model_claims_expand_list_variables_and_are_told_apart_from_trace_claims(study):
    loaded, graph = study
    model_claims = {
        (
            str(graph.value(c, QG.claimant)).rsplit("/", 1)[1],
            str(graph.value(c, QG.claimedCode)).rsplit("/", 1)[1],
        )
        for c in graph.subjects(RDF.type, QG.Claim)
        if any((d, RDF.type, QG.ModelFile) in graph for d in graph.objects(c, PROV.wasDerivedFrom))
    }
    assert model_claims == {
        ("s1", "data_catalogue"),
        ("s1", "discovery_decision"),
        ("s1", "discoverability"),
        ("s1", "search_engine"),
        ("s2", "data_catalogue"),
        ("s2", "discovery_decison"),
    }
    trace_claims = {
        c
        for c in graph.subjects(RDF.type, QG.Claim)
        if any(
            (d, RDF.type, QG.TraceDocument) in graph for d in graph.objects(c, PROV.wasDerivedFrom)
        )
    }
    assert len(trace_claims) == 4


def test_model_statements_become_links_with_model_provenance(study):
    _, graph = study
    model_doc = IRIS.document("codebook_model")
    impacts = [
        i
        for i in graph.subjects(RDF.type, QG.ForceImpact)
        if (i, PROV.wasDerivedFrom, model_doc) in graph
    ]
    assert len(impacts) == 2
    next_links = list(graph.subjects(RDF.type, QG.NextDecisionLink))
    assert [graph.value(n, QG.nextDecisionType) for n in next_links] == [QG.ConsiderIfNotDecidedYet]
    assert int(graph.value(next_links[0], QG.startLine)) == 27
    relation = next(
        r
        for r in graph.subjects(RDF.type, QG.SolutionRelation)
        if (r, PROV.wasDerivedFrom, model_doc) in graph
    )
    assert graph.value(relation, QG.relationType) == QG.Uses
    skipped = {
        int(graph.value(s, QG.startLine))
        for s in graph.subjects(RDF.type, QG.SkippedStatement)
        if (s, QG.inFile, model_doc) in graph
    }
    assert skipped == {1, 2, 6}


def test_a_source_only_the_model_declares_gets_its_values_from_the_model(study):
    _, graph = study
    s3 = IRIS.source("s3")
    assert str(graph.value(s3, DCTERMS.title)) == "An interview nobody transcribed"
    assert graph.value(s3, QG.sourceType) == QG.Interview


def test_consistency_diagnostics(study):
    loaded, _ = study
    assert found(loaded, "model-differs") == [("codebook_model.py", 13), ("codebook_model.py", 14)]
    assert found(loaded, "model-only-code") == [
        ("codebook_model.py", 17),
        ("codebook_model.py", 18),
    ]
    assert found(loaded, "dropped-by-model") == [("s_2.md", 45)]
    assert found(loaded, "source-without-trace") == [("sources_model.py", 26)]
    assert found(loaded, "unlinked-code-list") == [("sources_model.py", 32)]
    # s2_codes lists data_catalogue twice: CodeableModels refuses the add_links call
    assert found(loaded, "model-does-not-run") == [("sources_model.py", 23), ("sources_model.py", 24)]
    assert found(loaded, "skipped-python") == [
        ("codebook_model.py", 1),
        ("codebook_model.py", 2),
        ("codebook_model.py", 6),
        ("sources_model.py", 1),
        ("sources_model.py", 2),
        ("sources_model.py", 4),
    ]
    misspelt = [
        d
        for d in loaded.diagnostics
        if d.code == "undefined-name" and d.file.endswith("sources_model.py")
    ]
    assert [(d.line, d.message) for d in misspelt] == [
        (
            23,
            "discovery_decison is used but never defined with CClass; did you mean discovery_decision?",
        )
    ]


def test_trace_without_source_in_the_model(tmp_path):
    (tmp_path / "s_9.md").write_text(
        (STUDY / "s_1.md")
        .read_text()
        .replace("# s \n1\n", "# s \n9\n")
        .replace('s1 = CClass(source, "s1"', 's9 = CClass(source, "s9"')
    )
    loaded = load_study([tmp_path], [MODEL])
    assert found(loaded, "trace-without-source") == [("s_9.md", 1)]


def test_evidence_report_per_source(study):
    loaded, _ = study
    report = evidence_report(loaded.study)
    rows = {s.source_id: (sorted(s.claimed), s.ungrounded_by_kind()) for s in report.sources}
    assert rows == {
        "s1": (
            ["data_catalogue", "discoverability", "discovery_decision", "search_engine"],
            {"pattern": ["search_engine"]},
        ),
        "s2": (
            ["clear_ownership", "data_catalogue", "discovery_decison"],
            {"undefined": ["discovery_decison"]},
        ),
    }
    assert (report.claims, report.grounded, report.ungrounded) == (7, 5, 2)


def test_model_folder_is_found_by_convention(tmp_path):
    (tmp_path / "traces").mkdir()
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "m.py").write_text("x = 1\n")
    assert conventional_model_folder([tmp_path / "traces"]) == tmp_path / "model"
    assert conventional_model_folder([tmp_path]) == tmp_path / "model"
    assert conventional_model_folder([STUDY]) is None


def test_missing_model_path_exits_2(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["load", str(STUDY), "--model", "no/model.py"])
    assert result.exit_code == 2
    assert result.stderr == "Error: no/model.py: no such model file or folder\n"


def test_trace_report_markdown_for_an_appendix(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        main, ["trace-report", str(STUDY), "--model", str(MODEL), "-f", "markdown"]
    )
    assert result.exit_code == 1  # the fixture model does not run (model-does-not-run errors)
    assert result.stdout == (
        "| source | claimed | grounded | ungrounded | ungrounded codes |\n"
        "|---|---|---|---|---|\n"
        "| s1 | 4 | 3 | 1 | pattern: search_engine |\n"
        "| s2 | 3 | 2 | 1 | undefined: discovery_decison |\n"
        "| total | 7 | 5 | 2 | pattern: 1; undefined: 1 |\n"
    )


def test_trace_report_csv_without_model(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["trace-report", str(STUDY), "-f", "csv"])
    assert result.stdout.splitlines() == [
        "source,claimed,grounded,ungrounded,ungrounded codes",
        "s1,2,2,0,",
        "s2,2,2,0,",
        "total,4,4,0,",
    ]


def test_model_claims_sit_on_the_list_line_that_names_the_code(study):
    loaded, _ = study
    lines = {(c.source_id, c.code): c.line for c in loaded.study.model.claims}
    assert lines == {
        ("s1", "data_catalogue"): 13,  # shared_codes, included by s1_codes
        ("s1", "discovery_decision"): 13,
        ("s1", "discoverability"): 14,
        ("s1", "search_engine"): 14,
        ("s2", "data_catalogue"): 23,
        ("s2", "discovery_decison"): 23,
    }


def test_every_triple_is_written_once_even_when_a_model_file_is_named_like_a_trace(tmp_path):
    """The emitter checks only triples about shared nodes across chunks; a model file whose
    name is a trace's (so both are one document node) must not slip a repeat through."""
    from qualgraph.rdf.emit import emit_ntriples

    traces, model = tmp_path / "traces", tmp_path / "model"
    traces.mkdir()
    model.mkdir()
    trace = (STUDY / "s_1.md").read_text(encoding="utf-8")
    (traces / "s_1.md").write_text(trace, encoding="utf-8")
    (model / "s_1.py").write_text(trace, encoding="utf-8")  # same lines, so same statement nodes
    (model / "codebook_model.py").write_text(
        (MODEL / "codebook_model.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    for loaded in (load_study([traces]), load_study([STUDY], [MODEL])):
        triples = emit_ntriples(loaded.study).triples
        assert len(triples) == len(set(triples))
    assert loaded.study.model is not None
