"""`qualgraph validate`: what goes to stdout and stderr, and every exit code (0, 1, 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from qualgraph.cli import main

from .conftest import SEED
from .test_validate import MUTATIONS, QUOTE_1, RULE_PREFIXES, Mutation, line_of

CLAIM_MESSAGE = (
    "clear_ownership is claimed for s1, but no quote grounds it: quote the passage of s1 that "
    "shows clear_ownership and name clear_ownership in that segment's coding trace, or remove "
    "the claim."
)
URL_OR_TINY_URL = RULE_PREFIXES + (
    '<urn:rules#Either> a sh:NodeShape ; sh:targetClass qg:Source ; sh:message "Give a url." ;\n'
    "    sh:or ( [ sh:path qg:url ; sh:minCount 1 ] [ sh:path qg:tinyUrl ; sh:minCount 1 ] ) .\n"
)
VALID = Mutation()


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):
        return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)

    return invoke


def study(tmp_path, mutation: Mutation = VALID) -> dict[str, str]:
    return mutation.write(tmp_path / "traces")


def test_a_conforming_study_exits_0_with_an_empty_report(run, tmp_path):
    study(tmp_path)
    result = run("traces")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "0 errors, 0 warnings, 0 notes in 2 files\n"


def test_a_violation_exits_1_and_is_reported_at_file_and_line(run, tmp_path):
    texts = study(tmp_path, Mutation((("s_1.md", QUOTE_1, ""),)))
    line = line_of(texts["s_1.md"], "        clear_ownership\n")
    result = run("traces")
    assert result.exit_code == 1
    assert result.stdout == (
        "traces/s_1.md\n"
        f"  {line:>5}  error    qgsh:ClaimGrounded  {CLAIM_MESSAGE}\n"
        + " " * 18
        + "focus study:document/s_1/claim/s1/clear_ownership  value study:code/clear_ownership\n"
    )
    assert result.stderr == "1 errors, 0 warnings, 0 notes in 2 files\n"


def test_the_reference_engine_reports_the_same(run, tmp_path):
    study(tmp_path, MUTATIONS["bad impact level"][0])
    fast, oracle = run("traces"), run("traces", "--engine", "pyshacl")
    assert (fast.exit_code, fast.stdout) == (oracle.exit_code, oracle.stdout) == (1, fast.stdout)
    assert '"positve" is not an impact level' in fast.stdout


def test_warnings_exit_0_unless_fail_on_warning(run, tmp_path):
    (tmp_path / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    default = run("seed.txt")
    assert default.exit_code == 0
    assert default.stderr == "0 errors, 19 warnings, 0 notes in 1 files\n"
    assert "seed.txt\n" in default.stdout and "qgsh:CodeDefined" in default.stdout
    assert "warning  header-mismatch  the source block swaps author type and type" in default.stdout
    strict = run("seed.txt", "--fail-on", "warning")
    assert strict.exit_code == 1 and strict.stdout == default.stdout


def test_notes_are_listed_with_v_and_fail_only_with_fail_on_info(run, tmp_path):
    second_heading = "# coding\n\n> We keep"
    texts = study(tmp_path, Mutation((("s_2.md", "> We keep", second_heading),)))
    note = f"  {line_of(texts['s_2.md'], second_heading):>5}  info     repeated-coding-heading"
    quiet = run("traces")
    assert (quiet.exit_code, quiet.stdout) == (0, "")
    assert quiet.stderr == "0 errors, 0 warnings, 1 notes in 2 files (-v lists the notes)\n"
    verbose = run("traces", "-v")
    assert verbose.exit_code == 0 and note in verbose.stdout
    strict = run("traces", "--fail-on", "info")
    assert strict.exit_code == 1 and note in strict.stdout


def test_output_file_and_machine_formats(run, tmp_path):
    study(tmp_path, Mutation((("s_1.md", QUOTE_1, ""),)))
    written = run("traces", "-f", "json", "-o", "report.json")
    assert (written.exit_code, written.stdout) == (1, "")
    assert (
        json.loads((tmp_path / "report.json").read_text())["findings"][0]["rule"]
        == "qgsh:ClaimGrounded"
    )
    github = run("traces", "-f", "github")
    assert github.stdout.startswith("::error file=traces/s_1.md,line=")
    junit = run("traces", "-f", "junit")
    assert junit.stdout.count("<testcase ") == 2 and junit.stdout.count("<failure ") == 1
    turtle = run("traces", "-f", "turtle")
    assert "sh:conforms false" in turtle.stdout and "qgsh:ClaimGrounded" in turtle.stdout


def test_extra_shapes_add_the_studys_rules(run, tmp_path):
    study(tmp_path)
    (tmp_path / "rules.ttl").write_text(
        RULE_PREFIXES
        + '<urn:rules#TwoTitles> a sh:PropertyShape ; sh:message "Give a second title." ;\n'
        + "    sh:targetClass qg:Source ; sh:path dcterms:title ; sh:minCount 2 .\n",
        encoding="utf-8",
    )
    result = run("traces", "--shapes", "rules.ttl")
    assert result.exit_code == 1
    assert result.stdout.count("error    <urn:rules#TwoTitles>  Give a second title.") == 2


def test_missing_input_exits_2(run):
    result = run("nowhere")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "Error: nowhere: no such file or folder\n"


def test_an_unreadable_shapes_file_exits_2(run, tmp_path):
    study(tmp_path)
    (tmp_path / "broken.ttl").write_text("not turtle at all", encoding="utf-8")
    result = run("traces", "--shapes", "broken.ttl")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: broken.ttl: not a valid shapes file:")
    missing = run("traces", "--shapes", "absent.ttl")
    assert missing.exit_code == 2
    assert missing.stderr.startswith("Error: cannot read shapes file absent.ttl:")


def test_a_feature_beyond_the_compiler_runs_and_agrees_with_pyshacl(run, tmp_path):
    texts = study(tmp_path)
    (tmp_path / "or.ttl").write_text(URL_OR_TINY_URL, encoding="utf-8")
    fast = run("traces", "--shapes", "or.ttl")
    oracle = run("traces", "--shapes", "or.ttl", "--engine", "pyshacl")
    assert (fast.exit_code, fast.stdout) == (oracle.exit_code, oracle.stdout) == (0, "")
    neither = URL_OR_TINY_URL.replace("qg:url", "qg:none").replace("qg:tinyUrl", "qg:neither")
    (tmp_path / "or.ttl").write_text(neither, encoding="utf-8")
    fast = run("traces", "--shapes", "or.ttl")
    oracle = run("traces", "--shapes", "or.ttl", "--engine", "pyshacl")
    assert (fast.exit_code, fast.stdout) == (oracle.exit_code, oracle.stdout)
    assert fast.exit_code == 1 and fast.stdout.count("<urn:rules#Either>") == len(
        [name for name in texts if name.endswith(".md")]
    )


def test_bad_arguments_exit_2(run):
    result = run("--format", "yaml")
    assert result.exit_code == 2
    assert "Invalid value for '-f' / '--format': 'yaml' is not one of" in result.stderr


def test_the_console_command_exits_with_its_code_and_all_its_output(run, tmp_path):
    # `python -m qualgraph` (like the `qualgraph` script) ends with os._exit, skipping the
    # teardown of the study: the report must still be whole and the exit code kept.
    study(tmp_path, Mutation((("s_1.md", QUOTE_1, ""),)))
    in_process = run("traces", "-f", "json")

    def console(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "qualgraph", "validate", "traces", *args]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)

    printed = console("-f", "json")
    assert (printed.returncode, printed.stdout) == (1, in_process.stdout)
    assert printed.stderr.endswith("1 errors, 0 warnings, 0 notes in 2 files\n")
    written = console("-f", "junit", "-o", "report.xml")
    assert written.returncode == 1 and written.stdout == ""
    assert (tmp_path / "report.xml").read_text(encoding="utf-8").rstrip().endswith("</testsuites>")
    assert console("--fail-on", "nonsense").returncode == 2
