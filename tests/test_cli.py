"""The load and export commands: output streams and the 0/1/2 exit-code contract."""

from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner
from rdflib import Graph

from qualgraph.cli import main

from .conftest import FIXTURES, ROOT, SEED


@pytest.fixture
def run(monkeypatch):
    monkeypatch.chdir(ROOT)

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_load_defaults_to_seeds_and_summarises(run):
    result = run("load")
    assert result.exit_code == 0
    assert "quotes" in result.stdout and " 11 " in result.stdout
    assert (
        "seeds/000_09b85b6d370d55bc.txt:65: warning[undefined-name]: trustworthy_decision"
        in result.stderr
    )
    assert result.stderr.rstrip().endswith("(-v shows notes)")


def test_load_exits_1_on_error_diagnostics(run, tmp_path):
    (tmp_path / "a.md").write_text(SEED.read_text())
    (tmp_path / "b.md").write_text(SEED.read_text())
    result = run("load", str(tmp_path))
    assert result.exit_code == 1
    assert "error[duplicate-source]: source id s25 is also used by" in result.stderr


def test_missing_input_exits_2_with_the_path(run):
    result = run("load", "no/such/folder")
    assert result.exit_code == 2
    assert result.stderr == "Error: no/such/folder: no such file or folder\n"


def test_folder_without_traces_exits_2(run, tmp_path):
    result = run("export", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path}: no trace files (.md or .txt); it is empty\n"


def test_bad_format_is_a_usage_error(run):
    assert run("export", "-f", "yaml").exit_code == 2


def test_export_writes_turtle_to_stdout_and_diagnostics_to_stderr(run):
    result = run("export")
    assert result.exit_code == 0
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 500
    assert "warning[" not in result.stdout and "warning[" in result.stderr


def test_export_to_file_with_ontology(run, tmp_path):
    out = tmp_path / "study.ttl"
    result = run("export", str(FIXTURES / "study"), "-o", str(out), "--with-ontology")
    assert result.exit_code == 0
    assert result.stdout == ""
    text = out.read_text()
    assert "a owl:Ontology" in text and 'source:s1 dcterms:identifier "s1"' in text
    again = tmp_path / "again.ttl"
    run("export", str(FIXTURES / "study"), "-o", str(again), "--with-ontology")
    assert again.read_text() == text


def test_every_command_has_help_with_an_example():
    for name, command in main.commands.items():
        assert command.help and "Example:" in command.help, name


def test_the_command_reference_is_up_to_date():
    spec = importlib.util.spec_from_file_location("make_cli_doc", ROOT / "docs" / "make_cli_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == module.render(), (
        "docs/cli.md is out of date: run `python docs/make_cli_doc.py`"
    )


def test_the_collector_is_off_while_a_command_runs_and_back_on_after(run, monkeypatch):
    """The CLI turns the cyclic collector off once the study is loaded (see cli/common.py),
    and must give the process back as it found it."""
    import gc

    import qualgraph.cli.validate as validate_module

    seen = []
    real = validate_module.emit_ntriples

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(validate_module, "emit_ntriples", spy)
    assert gc.isenabled()
    run("validate")
    assert seen == [False]
    assert gc.isenabled()
