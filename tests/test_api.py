"""The library API (`qualgraph.load` → `Study`): the doctests of docs/api.md, and the report a
program gets is the one `qualgraph validate` prints."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import qualgraph
from qualgraph.cli import main

from .conftest import FIXTURES, ROOT, SEED, SEEDS

STUDY = FIXTURES / "study"


def test_the_examples_of_docs_api_md_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    failures, tried = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=True,
    )
    assert tried > 20
    assert failures == 0


@pytest.mark.parametrize("given", [str(SEEDS), SEEDS, [SEED], [str(SEED)]])
def test_paths_as_str_or_path(given):
    study = qualgraph.load(given)
    assert [p.name for p in study.files] == [SEED.name]
    assert qualgraph.load_study(given).study.traces[0].source_id == "s25"


def test_the_report_is_the_one_the_cli_prints(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = "https://example.org/api-test/"
    cli = CliRunner().invoke(main, ["validate", str(STUDY), "--base", base, "-f", "json"])
    assert cli.exit_code == 0, cli.output
    printed = json.loads(cli.stdout)
    report = qualgraph.load(STUDY, base=base).validate()
    made = json.loads(report.render("json"))
    assert made["findings"] == printed["findings"]
    assert made["summary"] == printed["summary"]
    assert report.conforms and len(report.findings) == 4
    assert all(isinstance(f, qualgraph.Finding) for f in report.findings)


def test_a_baseline_keeps_only_new_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    baseline = tmp_path / "baseline.json"
    done = CliRunner().invoke(main, ["validate", str(STUDY), "--write-baseline", str(baseline)])
    assert done.exit_code == 0, done.output
    study = qualgraph.load(STUDY)
    report = study.validate(baseline=baseline, fail_on="warning")
    assert report.findings == () and report.suppressed == 4 and report.conforms
    assert not study.validate(fail_on="warning").conforms


def test_own_shapes_are_added(tmp_path):
    shapes = tmp_path / "own.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix qg: <https://w3id.org/qualgraph/ontology#> .\n"
        "@prefix ex: <https://example.org/> .\n"
        "ex:EverySourceHasAnAuthor a sh:NodeShape ; sh:targetClass qg:Source ;\n"
        "  sh:property ex:AuthorGiven .\n"
        "ex:AuthorGiven a sh:PropertyShape ; sh:path ex:author ; sh:minCount 1 .\n"
    )
    report = qualgraph.load(STUDY).validate(shapes=[shapes])
    own = [f for f in report.findings if f.rule == "<https://example.org/AuthorGiven>"]
    assert len(own) == 2 and not report.conforms
    assert {(Path(f.file).name, f.severity) for f in own} == {
        ("s_1.md", qualgraph.Severity.ERROR),
        ("s_2.md", qualgraph.Severity.ERROR),
    }


def test_errors_are_exported_types(tmp_path):
    with pytest.raises(qualgraph.InputError, match="no such file or folder"):
        qualgraph.load(tmp_path / "missing")
    (tmp_path / "notes.md").write_text("just notes\n")
    with pytest.raises(qualgraph.NoTracesError):
        qualgraph.load(tmp_path)
    study = qualgraph.load(STUDY)
    with pytest.raises(qualgraph.QueryError, match="no-such-query"):
        study.query("no-such-query")
    with pytest.raises(ValueError, match="unknown format"):
        study.export("yaml")
    assert issubclass(qualgraph.QueryError, qualgraph.QualgraphError)


def test_export_and_graph_agree():
    study = qualgraph.load(STUDY)
    graph = study.graph()
    assert len(graph) == len(study.triples())
    from rdflib import Graph

    assert len(Graph().parse(data=study.export("ntriples"), format="nt")) == len(graph)


def test_the_package_is_typed():
    assert (Path(qualgraph.__file__).parent / "py.typed").is_file()
