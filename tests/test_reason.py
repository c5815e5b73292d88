"""OWL reasoning over a study's decision model (HermiT via owlready2; skipped without Java)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from qualgraph.cli import main
from qualgraph.reason import conflicts, reason

from .conftest import FIXTURES, ROOT
from .graphs import load_graph

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
STUDY = FIXTURES / "study"


def test_fixture_study_is_consistent():
    _, graph = load_graph(
        STUDY,
    )
    report = reason(graph)
    assert report.consistent
    assert report.conflicts == ()
    assert report.individuals >= 8 + 6  # codes and links of the fixture, plus enumeration values


def test_a_force_used_as_an_option_is_inconsistent_and_explained(tmp_path):
    text = (
        (STUDY / "s_1.md")
        .read_text()
        .replace(
            '"Register every dataset")',
            '"Register every dataset")\n    add_decision_option_link(discovery_decision, discoverability, "Be found")',
        )
    )
    (tmp_path / "s_1.md").write_text(text)
    _, graph = load_graph(tmp_path)
    assert [(c.file.rsplit("/", 1)[1], c.line) for c in conflicts(graph)] == [("s_1.md", 73)]
    report = reason(graph)
    assert not report.consistent
    assert report.conflicts[0].message == (
        "discoverability is a force but is used as the option of an option link, which needs a design solution"
    )


def test_reason_command_exit_codes(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["reason", str(STUDY)])
    assert result.exit_code == 0
    assert result.stdout.startswith("decision model: consistent")
