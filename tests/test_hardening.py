"""Hostile and unlucky input (issue 13): no crash, nothing dropped silently, bounded time.

Each test writes its own input in tmp_path (a copy of the seed trace, mutated), runs the
command or the loader on it, and checks the exit code, the exact diagnostic and that every
quote and fenced line of the input is still in the graph (`lost_lines`).
"""

from __future__ import annotations

import codecs
import difflib
import os
import pickle
import random
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from qualgraph.cli import main
from qualgraph.rdf.namespaces import QG
from qualgraph.read.files import walk
from qualgraph.study.resolve import EXACT_UP_TO, closest

from .conftest import ROOT, SEED
from .graphs import load_graph

BASE = "http://example.org/hardening/"


def written_lines(text: str) -> list[str]:
    """The `>` lines and fenced lines of `text` that hold text (stripped, `>` removed). Fences
    pair as in CommonMark: up to 3 spaces of indent, an opening of 3+ backticks, closed by a
    line of only backticks, at least as many."""
    found, ticks = [], 0
    for line in text.split("\n"):
        body = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        run = len(body) - len(body.lstrip("`"))
        if ticks and indent <= 3 and run >= ticks and body == "`" * run:
            ticks = 0
            continue
        if not ticks and indent <= 3 and run >= 3 and "`" not in body[run:]:
            ticks = run
            continue
        if not ticks and body.startswith(">"):
            body = body.lstrip("> ").strip()
        elif not ticks:
            continue
        if body:
            found.append(body)
    return found


def lost_lines(text: str, graph: Graph) -> list[str]:
    """The `written_lines` of `text` that are in no literal of `graph`."""
    literals = "\n".join(str(o) for o in graph.objects() if isinstance(o, Literal))
    return [line for line in written_lines(text) if line not in literals]


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


IMPORTS = "from codeable_models import CClass\nfrom metamodels.guidance_metamodel import practice\n"
"""What a model file needs to run in CodeableModels (else model-does-not-run errors)."""


def seed_text(number: str = "25") -> str:
    return SEED.read_text().replace("\n25\n", f"\n{number}\n", 1)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


# 1 -------------------------------------------------------------------------------------------


def test_huge_integer_literals_in_a_trace_and_a_model_file_load(run, tmp_path):
    huge = "0x" + "f" * 3600
    text = seed_text().replace('"example": False', f'"example": {huge}')
    write(tmp_path / "traces" / "s_25.md", text)
    write(tmp_path / "model" / "m.py", f'{IMPORTS}big = CClass(practice, "Big", values={{"n": {huge}}})\n')
    result = run("export", "traces", "--base", BASE, "-f", "ntriples")
    assert result.exit_code == 0
    assert f"header example is 'no' but the source block says example '{huge}'" in result.stderr
    graph = Graph().parse(data=result.stdout, format="nt")
    assert lost_lines(text, graph) == []


# 2 -------------------------------------------------------------------------------------------


def test_a_link_loop_in_the_model_folder_is_an_error_at_the_file(run, tmp_path):
    write(tmp_path / "traces" / "s_25.md", seed_text())
    write(tmp_path / "model" / "good.py", 'end_to_end = CClass(practice, "End to end")\n')
    (tmp_path / "model" / "loop.py").symlink_to("loop.py")
    result = run("export", "traces", "--base", BASE, "-f", "ntriples")
    assert result.exit_code == 1  # an error diagnostic, and the graph
    assert (
        "model/loop.py: error[unreadable]: cannot read the file: Too many levels of symbolic links"
        in result.stderr.splitlines()
    )
    graph = Graph().parse(data=result.stdout, format="nt")
    assert (None, None, Literal("End to end")) in graph
    assert lost_lines(seed_text(), graph) == []


# 3 -------------------------------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_shown_escaped_and_minted_percent_encoded(run, tmp_path):
    folder = tmp_path / "traces"
    folder.mkdir()
    write(Path(os.fsdecode(bytes(folder) + b"/s_7\xff.md")), seed_text())
    result = run("export", "traces", "--base", BASE, "-f", "ntriples")
    assert result.exit_code == 0
    assert "traces/s_7\\xff.md:23: warning[source-id-mismatch]" in result.stderr
    graph = Graph().parse(data=result.stdout, format="nt")
    documents = set(graph.subjects(RDF.type, QG.TraceDocument))
    assert {str(d).removeprefix(BASE) for d in documents} == {"document/s_7%FF"}
    assert lost_lines(seed_text(), graph) == []


# 5 -------------------------------------------------------------------------------------------


def test_unreadable_model_files_get_a_diagnostic_and_the_rest_loads(run, tmp_path):
    write(tmp_path / "traces" / "s_25.md", seed_text())
    model = tmp_path / "model"
    write(model / "a_good.py", f'{IMPORTS}end_to_end = CClass(practice, "End to end")\n')
    write(model / "cp1252.py", IMPORTS.encode() + b'cafe = CClass(practice, "Caf\x92")\n')
    write(model / "pickled.py", pickle.dumps({"a": [1, 2, 3]}))
    (model / "dir.py").mkdir()
    result = run("export", "traces", "--base", BASE, "-f", "ntriples", "-v")
    assert result.exit_code == 1  # the pickle is no python: CodeableModels cannot import it
    lines = result.stderr.splitlines()
    (error,) = [line for line in lines if "error[" in line]
    assert error.startswith(
        "model/pickled.py:1: error[model-does-not-run]: the model does not run here: the file is "
        "not valid python (source code "
    )
    assert "model/dir.py: info[skipped-file]: a folder, not a file: skipped" in lines
    assert (
        "model/cp1252.py:3: warning[invalid-utf8]: bytes that are not UTF-8 were replaced; "
        "save the file as UTF-8"
    ) in lines
    assert any(line.startswith("model/pickled.py:1: warning[invalid-utf8]") for line in lines)
    graph = Graph().parse(data=result.stdout, format="nt")
    assert (None, None, Literal("End to end")) in graph
    assert (None, None, Literal("Caf\ufffd")) in graph  # the replaced byte, visibly
    assert lost_lines(seed_text(), graph) == []


# 6 -------------------------------------------------------------------------------------------


def test_a_trace_without_number_and_title_is_not_taken_for_the_template(tmp_path):
    text = seed_text("garbled")
    text = text.replace(
        "## title\nAn Introduction to the Data Product Management Landscape\n", "## title\n"
    )
    write(tmp_path / "s_25.md", text)
    loaded, graph = load_graph(tmp_path, base=BASE)
    assert len(loaded.study.traces) == 1
    assert [d.code for d in loaded.diagnostics if d.line == 1] == [
        "inferred-source-id",  # s25, from the source block and the file name
        "missing-source-id",
    ]
    assert not [d for d in loaded.diagnostics if d.code == "template"]
    # its quotes and coding are kept, under the identity the block and file name give
    assert lost_lines(text[text.index("# coding") :], graph) == []
    assert len(set(graph.subjects(RDF.type, QG.Quote))) == 11


def test_the_empty_template_is_still_skipped(tmp_path):
    template = (
        '# s \n\n## title\n\n**AXIAL CODING TRACE**\n``` python\ns = CClass(source, "s")\n```\n'
    )
    template += "# coding\n\n**OPEN CODING TRACE:**\n- <ins>Option: </ins>\n"
    write(tmp_path / "s_.md", template)
    write(tmp_path / "s_25.md", seed_text())
    loaded, _ = load_graph(tmp_path, base=BASE)
    assert len(loaded.study.traces) == 1
    assert [(d.code, d.line) for d in loaded.diagnostics if d.file.endswith("s_.md")] == [
        ("template", 1)
    ]


# 8 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec", "label"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
    ],
)
def test_utf16_traces_are_read(run, tmp_path, bom, codec, label):
    write(tmp_path / "s_25.md", bom + seed_text().encode(codec))
    write(tmp_path / "s_26.md", codecs.BOM_UTF8 + seed_text("26").encode())
    result = run("export", ".", "--base", BASE, "-f", "ntriples", "-v")
    assert result.exit_code == 0
    assert f"s_25.md:1: info[encoding]: read as {label}" in result.stderr.splitlines()
    graph = Graph().parse(data=result.stdout, format="nt")
    assert len(set(graph.subjects(RDF.type, QG.TraceDocument))) == 2
    assert lost_lines(seed_text(), graph) == []


def test_a_skipped_file_keeps_its_encoding_warning(run, tmp_path):
    write(tmp_path / "s_25.md", seed_text())
    write(tmp_path / "notes.md", b"caf\xe9 notes\n")
    result = run("load", ".", "-v")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert (
        "notes.md:1: warning[invalid-utf8]: bytes that are not UTF-8 were replaced; save the file as UTF-8"
        in lines
    )
    assert any(line.startswith("notes.md:1: info[not-a-trace]") for line in lines)


def test_a_study_whose_every_file_is_skipped_exits_2_on_one_line(run, tmp_path):
    write(tmp_path / "readme.md", "just notes\n")
    write(tmp_path / "s_.md", "# s \n\n## title\n\n# coding\n")
    result = run("export", ".", "--base", BASE)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr == (
        "Error: .: no trace files: readme.md has no `# s`/`# p` header and no `# coding`; "
        "s_.md is the empty trace template (found 2 .md files)\n"
    )


# 9 -------------------------------------------------------------------------------------------


def test_document_iris_are_unique_per_file(tmp_path):
    texts = {
        "a/s_1.md": seed_text(),
        "b/s_1.md": seed_text().replace("Data Product Management", "Data Platform Management"),
        "a/s_1.txt": seed_text().replace("Data Product Management", "Data Mesh Management"),
        "a/s_1-2.md": seed_text().replace("Data Product Management", "Data Team Management"),
    }
    for name, text in texts.items():
        write(tmp_path / name, text)
    loaded, graph = load_graph(tmp_path, base=BASE)
    documents = set(graph.subjects(RDF.type, QG.TraceDocument))
    assert len(documents) == 4
    assert sorted(str(d).removeprefix(BASE + "document/") for d in documents) == [
        "s_1",
        "s_1-2",
        "s_1-3",
        "s_1-4",
    ]
    for quote in graph.subjects(RDF.type, QG.Quote):
        assert len(list(graph.objects(quote, QG.text))) == 1
    for text in texts.values():
        assert lost_lines(text, graph) == []


# 10 ------------------------------------------------------------------------------------------


def test_special_files_with_trace_names_get_a_note_and_never_block(run, tmp_path):
    write(tmp_path / "s_25.md", seed_text())
    (tmp_path / "dangling.md").symlink_to("nowhere.md")
    (tmp_path / "loop.md").symlink_to("loop.md")
    os.mkfifo(tmp_path / "fifo.md")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    write(tmp_path / "folder.md" / "s_26.md", seed_text("26"))
    result = run("export", ".", "--base", BASE, "-f", "ntriples", "-v")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    for expected in (
        "dangling.md: info[skipped-file]: a link to nothing: skipped",
        "loop.md: info[skipped-file]: a link loop: skipped",
        "fifo.md: info[skipped-file]: a FIFO (named pipe): skipped",
        "zero.md: info[skipped-file]: a device: skipped",
        "folder.md: info[skipped-file]: a folder with a trace file's name: its files are read",
    ):
        assert expected in lines
    graph = Graph().parse(data=result.stdout, format="nt")
    assert len(set(graph.subjects(RDF.type, QG.TraceDocument))) == 2
    assert lost_lines(seed_text(), graph) == []


def test_a_folder_that_cannot_be_listed_is_an_error(tmp_path):
    files, diagnostics = walk(tmp_path / "gone", lambda name: True, str)
    assert files == []
    assert [d.render() for d in diagnostics] == [
        f"{tmp_path / 'gone'}: error[unreadable]: cannot list the folder: No such file or "
        "directory; its files are not read"
    ]


def test_a_fifo_given_by_name_is_refused_with_exit_2(run, tmp_path):
    os.mkfifo(tmp_path / "fifo.md")
    result = run("load", "fifo.md")
    assert result.exit_code == 2
    assert result.stderr == "Error: fifo.md: a FIFO (named pipe), not a trace file or folder\n"


# 11 ------------------------------------------------------------------------------------------


def test_name_suggestions_beyond_the_exact_limit_find_typos_as_difflib_does():
    rng = random.Random(13)
    words = ["data", "product", "api", "contract", "owner", "mesh", "domain", "quality"]
    defined = sorted(
        {"_".join(rng.sample(words, 3)) + f"_{rng.randrange(1000)}" for _ in range(2000)}
    )
    assert len(defined) > EXACT_UP_TO
    for _ in range(100):
        name = rng.choice(defined)
        at = rng.randrange(len(name))
        typo = name[:at] + rng.choice(string.ascii_lowercase) + name[at + 1 :]
        exact = difflib.get_close_matches(typo, defined, n=1, cutoff=0.8)
        found = closest(typo, defined)
        assert found is not None
        ratio = difflib.SequenceMatcher(None, typo, found).ratio()
        assert ratio == difflib.SequenceMatcher(None, typo, exact[0]).ratio()
    assert closest("zzzzzzzzzzzzzz", defined) is None


def test_name_suggestions_up_to_the_limit_are_difflibs():
    defined = [f"code_{n}" for n in range(EXACT_UP_TO)]
    for name in ("code_1x", "cod_17", "nothing_alike"):
        exact = difflib.get_close_matches(name, defined, n=1, cutoff=0.8)
        assert closest(name, defined) == (exact[0] if exact else None)


# 16 ------------------------------------------------------------------------------------------


CONTROLLED = "> A ligature\x0cbroken and a \x0bvertical tab\n\n> NUL \x00 and ESC \x1b[31m here\n"


def test_control_characters_are_warned_at_their_line_and_xml_outputs_are_well_formed(run, tmp_path):
    text = seed_text().replace("# coding\n", "# coding\n\n" + CONTROLLED, 1)
    write(tmp_path / "s_25.md", text)
    line = text.split("\n").index("> A ligature\x0cbroken and a \x0bvertical tab") + 1
    result = run("export", ".", "--base", BASE, "-f", "rdfxml")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert (
        f"s_25.md:{line}: warning[control-character]: control character U+000C (form feed): "
        "kept in the graph, shown as ␌ in RDF/XML and JUnit, which cannot carry it"
    ) in lines
    assert any(
        x.startswith(
            f"s_25.md:{line + 2}: warning[control-character]: control character U+0000 (NUL)"
        )
        for x in lines
    )
    ET.fromstring(result.stdout.encode())  # well-formed
    graph = Graph().parse(data=result.stdout, format="xml")
    assert (None, QG.text, Literal("A ligature␌broken and a ␋vertical tab")) in graph
    # the graph itself keeps the characters
    nt = run("export", ".", "--base", BASE, "-f", "ntriples")
    raw = Graph().parse(data=nt.stdout, format="nt")
    assert (None, QG.text, Literal("A ligature\x0cbroken and a \x0bvertical tab")) in raw
    assert lost_lines(text, raw) == []


def test_junit_is_well_formed_with_control_characters_in_text_and_file_names(run, tmp_path):
    text = seed_text().replace("# coding\n", "# coding\n\n" + CONTROLLED, 1)
    write(tmp_path / "s_25\x1b[1m.md", text)
    result = run("validate", ".", "--base", BASE, "--format", "junit", "--fail-on", "info")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.encode())
    names = [case.get("name") for case in root.iter("testcase")]
    assert "s_25\\x1b[1m.md" in names  # escaped as in every human-readable report


# 18 ------------------------------------------------------------------------------------------


def test_python_syntax_warnings_become_diagnostics_not_stderr_noise(tmp_path):
    text = seed_text().replace(
        "    maintaining_source_of_truth = CClass(",
        "    y = 1if x else 2\n    maintaining_source_of_truth = CClass(",
    )
    write(tmp_path / "s_25.md", text)
    line = text.split("\n").index("    y = 1if x else 2") + 1
    result = subprocess.run(
        [sys.executable, "-W", "always", "-m", "qualgraph", "load", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0
    assert "SyntaxWarning" not in result.stderr
    assert (
        f"{tmp_path}/s_25.md:{line}: warning[python-warning]: python warns: invalid decimal literal"
        in result.stderr.splitlines()
    )
    _, graph = load_graph(tmp_path, base=BASE)
    assert lost_lines(text, graph) == []
