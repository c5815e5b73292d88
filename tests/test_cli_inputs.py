"""Honest exit codes: every bad input is exit 2 with one line that says what is wrong, the same
data gives the same exit code in every command, and no output escapes its file name."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qualgraph.cli import graph as cli_graph
from qualgraph.cli import main

from .conftest import SEED
from .test_validate import Mutation

BASE = "https://example.org/our-study/"
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""
PREFIX_ENTITIES = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY ex "http://example.org/"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="&ex;a"><ex:p>one</ex:p></rdf:Description>
</rdf:RDF>
"""
COMMANDS = ("load", "export", "stats", "trace-report", "validate", "reason")


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def qualgraph(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def one_line_error(result, message: str, code: int = 2) -> None:
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", f"Error: {message}\n")


def test_a_folder_without_traces_says_what_it_holds(here):
    (here / "notes").mkdir()
    (here / "notes" / "README.md").write_text("# Our study\n\nTraces live elsewhere.\n")
    (here / "notes" / "ideas.txt").write_text("to read: s12\n")
    (here / "notes" / "study.ttl").write_text("")
    for command in COMMANDS:
        one_line_error(
            qualgraph(command, "notes"),
            "notes: no trace files: notes/ideas.txt, notes/README.md have no `# s`/`# p` header "
            "and no `# coding` (found 1 .md file, 1 .ttl file, 1 .txt file)",
        )
    (here / "rdf").mkdir()
    (here / "rdf" / "study.ttl").write_text("")
    one_line_error(qualgraph("load", "rdf"), "rdf: no trace files (.md or .txt); found 1 .ttl file")


def test_unknown_extensions_and_rdf_given_as_traces_exit_2(here):
    (here / "s_1.markdown").write_text(SEED.read_text())
    (here / "study.ttl").write_text("")
    one_line_error(
        qualgraph("load", "s_1.markdown"), "s_1.markdown: not a trace file (.md or .txt)"
    )
    one_line_error(
        qualgraph("export", "study.ttl"),
        "study.ttl: an RDF file: give it alone to query, stats or validate",
    )


def test_no_paths_and_no_seeds_names_the_default(here):
    for command in COMMANDS:
        one_line_error(
            qualgraph(command),
            "no paths given and no seeds/ here; pass the study's traces folder or set paths in "
            "[tool.qualgraph]",
        )


@pytest.mark.parametrize("command", (*COMMANDS, "query"))
def test_an_invalid_base_iri_is_exit_2_in_every_command(here, command):
    (here / "s.md").write_text(SEED.read_text())
    args = [command, "s.md", "--base", "our study/"] + (["codebook"] if command == "query" else [])
    one_line_error(
        qualgraph(*args),
        "--base 'our study/' is not an absolute IRI (for example https://example.org/study/)",
    )


def test_validate_reads_an_exported_study_and_query_reads_turtle_or_exits_2(here):
    Mutation((("s_1.md", "> Every team publishes", "> Every team publishes"),)).write(
        here / "traces"
    )
    assert qualgraph("export", "traces", "--base", BASE, "-o", "study.ttl").exit_code == 0
    from_rdf = qualgraph("validate", "study.ttl", "--base", BASE, "-f", "json")
    from_traces = qualgraph("validate", "traces", "--base", BASE, "-f", "json", "--select", "ALL")
    assert from_rdf.exit_code == from_traces.exit_code == 0
    assert from_rdf.stderr == "0 errors, 0 warnings, 0 notes in 1 files\n"
    (here / "study.turtle").write_text((here / "study.ttl").read_text())
    rows = qualgraph("query", "study.turtle", "codebook", "-f", "csv")
    assert rows.exit_code == 0 and rows.stdout.startswith("code,kind,label")
    (here / "notes.turtle").write_text("these are notes, not Turtle\n")
    result = qualgraph("query", "notes.turtle", "codebook")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: notes.turtle: not valid Turtle: ")


def test_validate_an_rdf_graph_reports_results_at_the_traces_lines(here):
    Mutation((("s_1.md", "## title\nTreating Data as a Product\n", ""),)).write(here / "traces")
    qualgraph("export", "traces", "--base", BASE, "-o", "study.nt", "-f", "ntriples")
    result = qualgraph("validate", "study.nt", "--base", BASE, "-f", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["file"], finding["line"], finding["rule"]) == (
        "traces/s_1.md",
        1,
        "qgsh:SourceTitle",
    )


def test_nested_xml_entities_are_refused_and_prefix_entities_read(here):
    (here / "laughs.rdf").write_text(LAUGHS)
    assert len(LAUGHS.encode()) < 1000
    refused = (
        "laughs.rdf: the XML entity lol1 refers to another entity; nested entities are not read"
    )
    one_line_error(qualgraph("query", "laughs.rdf", "codebook"), refused)
    one_line_error(qualgraph("stats", "laughs.rdf"), refused)
    one_line_error(qualgraph("validate", "laughs.rdf"), refused)
    (here / "prefixes.rdf").write_text(PREFIX_ENTITIES)
    result = qualgraph(
        "query", "prefixes.rdf", "--sparql", "SELECT ?o WHERE { ?s ?p ?o }", "-f", "csv"
    )
    assert (result.exit_code, result.stdout) == (0, "o\none\n")


def test_export_refuses_to_write_over_an_input_trace(here):
    trace = here / "s_25.md"
    trace.write_text(SEED.read_text())
    one_line_error(
        qualgraph("export", "s_25.md", "-o", "s_25.md"),
        "s_25.md: is an input of this command (s_25.md); not overwritten",
    )
    assert trace.read_text() == SEED.read_text()
    one_line_error(
        qualgraph("validate", "s_25.md", "-o", "junit=s_25.md"),
        "s_25.md: is an input of this command (s_25.md); not overwritten",
    )
    assert trace.read_text() == SEED.read_text()


def test_the_same_data_gives_the_same_exit_code_in_every_command(here):
    (here / "a.md").write_text(SEED.read_text())
    (here / "b.md").write_text(SEED.read_text())  # two traces with the same source id: an error
    for command in ("load", "export", "stats", "trace-report", "validate"):
        result = qualgraph(command, ".", "--base", BASE)
        assert result.exit_code == 1, command
    assert qualgraph("query", ".", "codebook", "--base", BASE).exit_code == 1


def test_usage_errors_are_one_line(here):
    one_line_error(
        qualgraph("validate", "--frobnicate"),
        "No such option '--frobnicate'. Did you mean '--format'? (see 'qualgraph validate --help')",
    )
    one_line_error(
        qualgraph("export", "-f", "yaml"),
        "Invalid value for '-f' / '--format': 'yaml' is not one of 'turtle', 'ntriples', "
        "'jsonld', 'rdfxml', 'trig', 'nquads'. (see 'qualgraph export --help')",
    )
    one_line_error(
        qualgraph("frobnicate"), "No such command 'frobnicate'. (see 'qualgraph --help')"
    )


def test_a_bare_qualgraph_prints_its_help(here):
    result = qualgraph()
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Usage: qualgraph [OPTIONS] COMMAND [ARGS]...\n")
    assert "\\n" not in result.stderr and "validate" in result.stderr


def test_an_unexpected_error_is_exit_2_with_one_line(here, monkeypatch):
    (here / "s.md").write_text(SEED.read_text())

    def broken(*args, **kwargs):
        raise RuntimeError("the summary broke\nacross two lines")

    monkeypatch.setattr(cli_graph, "summarize", broken)
    one_line_error(
        qualgraph("load", "s.md"),
        "internal error: RuntimeError: the summary broke\\nacross two lines; "
        "rerun with --debug for the traceback",
    )
    with pytest.raises(RuntimeError):
        qualgraph("--debug", "load", "s.md")


def test_file_names_with_newlines_and_escapes_cannot_forge_lines(here):
    evil = "evil\nx.md:1: error[fake]: forged\x1b[31m.md"
    (here / "t").mkdir()
    (here / "t" / evil).write_text(SEED.read_text())
    shown = "t/evil\\nx.md:1: error[fake]: forged\\x1b[31m.md"
    for args in (("validate", "t"), ("load", "t"), ("validate", "t", "-f", "github")):
        result = qualgraph(*args, "--base", BASE)
        output = result.stdout + result.stderr
        assert "\x1b" not in output
        assert not any(line.startswith("x.md:1: error[fake]") for line in output.splitlines())
        assert shown in output or shown.replace(":", "%3A").replace("\\n", "%0A") in output
    missing = qualgraph("load", "no\nsuch\x1b[2J")
    one_line_error(missing, "no\\nsuch\\x1b[2J: no such file or folder")
