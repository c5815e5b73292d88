"""A study adopts qualgraph: configuration in its repository, a baseline, honest exit codes.

Each test builds a throwaway study repository in tmp_path (the valid fixture study plus the
defects the test needs) and runs the real command line in it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualgraph.cli import main
from qualgraph.study.config import KEYS

from .test_validate import QUOTE_1, VALID, Mutation, line_of

BASE = "https://example.org/our-study/"
PYPROJECT = f"""[project]
name = "our-study"

[tool.qualgraph]
paths = ["traces"]
base = "{BASE}"
baseline = "qualgraph-baseline.json"
"""
MODEL = """from codeable_models import CClass, add_links
from metamodels.GT_coding import source
from codebook import clear_ownership, read_in_place  # kept elsewhere: an unresolved import

s1 = CClass(source, "s1", values={
    "title": "Treating Data as a Product",
    "type": "Practitioner Audience Article",
    "author type": "Practitioner",
    "example": True,
    "source code": False})
s1_codes = [clear_ownership]
add_links({s1: s1_codes}, role_name="contained_code")

s2 = CClass(source, "s2", values={
    "title": "Data Mesh in Practice",
    "type": "Talk",
    "author type": "Practitioner and Academic",
    "example": False,
    "source code": False})
s2_codes = [read_in_place]
add_links({s2: s2_codes}, role_name="contained_code")
"""
S2_CLAIM = "clear_ownership is claimed for s2, but no quote grounds it"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A study repository: traces/ and model/, with one ungrounded claim (s1's clear_ownership,
    in its trace and in the model: its quote is gone), and pyproject.toml with
    [tool.qualgraph]; the working folder is its root."""
    root = tmp_path / "our-study"
    Mutation((("s_1.md", QUOTE_1, ""),)).write(root / "traces")
    (root / "model").mkdir()
    (root / "model" / "sources_model.py").write_text(MODEL, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def qualgraph(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def findings(*args: str) -> list[dict[str, object]]:
    result = qualgraph("validate", "--no-baseline", "-f", "json", *args)
    return json.loads(result.stdout)["findings"]


def test_a_study_adopts_qualgraph_with_a_baseline_and_fails_only_on_new_findings(repo):
    s_1 = repo / "traces" / "s_1.md"
    model = repo / "model" / "sources_model.py"

    # Today: s1's ungrounded claim (in its trace and in the model), not fixable at once.
    assert qualgraph("validate").exit_code == 2  # the configured baseline is not written yet
    written = qualgraph("validate", "--write-baseline", "qualgraph-baseline.json")
    assert written.exit_code == 0
    assert written.stderr == (
        "2 errors, 1 warnings, 8 notes in 2 files (-v lists the notes); "
        "11 findings recorded in qualgraph-baseline.json\n"
    )
    recorded = json.loads((repo / "qualgraph-baseline.json").read_text(encoding="utf-8"))
    assert {(e["file"], e["rule"]) for e in recorded["findings"]} >= {
        ("model/sources_model.py", "qgsh:ClaimGrounded"),
        ("traces/s_1.md", "qgsh:ClaimGrounded"),
    }
    green = qualgraph("validate")
    assert (green.exit_code, green.stdout) == (0, "")
    assert green.stderr == "0 errors, 0 warnings, 0 notes in 2 files; 11 more in the baseline\n"

    # A line inserted above the finding moves it; it is still the recorded finding.
    before = line_of(s_1.read_text(encoding="utf-8"), "        clear_ownership\n")
    s_1.write_text(s_1.read_text(encoding="utf-8").replace("# coding\n", "\n# coding\n"), "utf-8")
    moved = [f for f in findings() if f["file"] == "traces/s_1.md"]
    assert [(f["rule"], f["line"]) for f in moved] == [("qgsh:ClaimGrounded", before + 1)]
    still_green = qualgraph("validate")
    assert (still_green.exit_code, still_green.stdout) == (0, "")
    assert still_green.stderr.endswith("; 11 more in the baseline\n")

    # A new ungrounded claim in the model (s2 claims clear_ownership) fails, alone.
    model.write_text(MODEL.replace("[read_in_place]", "[read_in_place, clear_ownership]"), "utf-8")
    red = qualgraph("validate")
    assert red.exit_code == 1
    line = line_of(MODEL, "s2_codes = ")
    assert red.stdout.startswith(
        f"model/sources_model.py\n  {line:>5}  error    qgsh:ClaimGrounded  {S2_CLAIM}"
    )
    assert red.stdout.count("error") == 1
    assert red.stderr == "1 errors, 0 warnings, 0 notes in 2 files; 11 more in the baseline\n"

    # s1's claim is fixed (its quote is back) and s2's dropped: the recorded ones are gone.
    original = (VALID / "s_1.md").read_text(encoding="utf-8")
    s_1.write_text(original.replace("# coding\n", "\n# coding\n"), encoding="utf-8")
    model.write_text(MODEL, encoding="utf-8")
    fixed = qualgraph("validate")
    assert (fixed.exit_code, fixed.stdout) == (0, "")
    gone = "qualgraph-baseline.json: gone (fixed): "
    assert fixed.stderr.splitlines() == [
        f"{gone}model/sources_model.py: qgsh:ClaimGrounded: "
        "focus study:document/sources_model/claim/s1/clear_ownership "
        "value study:code/clear_ownership",
        f"{gone}traces/s_1.md: qgsh:ClaimGrounded: "
        "focus study:document/s_1/claim/s1/clear_ownership value study:code/clear_ownership",
        "0 errors, 0 warnings, 0 notes in 2 files; 9 more in the baseline; "
        "2 baseline entries gone (fixed)",
    ]


def test_the_configuration_is_found_upward_and_the_command_line_overrides_it(repo, monkeypatch):
    (repo / "qualgraph-baseline.json").unlink(missing_ok=True)
    (repo / "pyproject.toml").write_text(
        PYPROJECT.replace('baseline = "qualgraph-baseline.json"\n', 'fail-on = "warning"\n'),
        encoding="utf-8",
    )
    sub = repo / "traces"
    result = CliRunner().invoke(main, ["config"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"# configuration: {repo / 'pyproject.toml'} [tool.qualgraph]"
    origin = f"  # {repo / 'pyproject.toml'} [tool.qualgraph]"
    assert f'paths            = ["traces"]{origin}' in lines
    assert f'fail-on          = "warning"{origin}' in lines
    assert 'engine           = "oxigraph"  # default' in lines
    assert [line.split()[0] for line in lines[1:]] == list(KEYS)
    assert qualgraph("validate", "--fail-on", "error").exit_code == 1  # the claim is an error
    # From a subfolder, the same file is found; its paths are relative to the file's folder.
    monkeypatch.chdir(sub)
    from_below = qualgraph("validate", "-f", "json")
    assert from_below.exit_code == 1
    assert json.loads(from_below.stdout)["fail_on"] == "warning"
    assert {f["file"] for f in json.loads(from_below.stdout)["findings"]} == {
        "s_1.md",
        str(repo / "model" / "sources_model.py"),  # found beside traces/, as from the root
    }


def test_severity_overrides_and_ignores_from_the_configuration(repo):
    (repo / "pyproject.toml").write_text(
        PYPROJECT.replace(
            'baseline = "qualgraph-baseline.json"\n',
            'severity = { ClaimGrounded = "warning" }\n',
        ),
        encoding="utf-8",
    )
    demoted = qualgraph("validate")
    assert demoted.exit_code == 0
    notes = "8 notes in 2 files (-v lists the notes)"
    assert demoted.stderr == f"0 errors, 3 warnings, {notes}\n"
    assert "warning  qgsh:ClaimGrounded" in demoted.stdout
    (repo / "qualgraph.toml").write_text(
        'paths = ["traces"]\n[per-file-ignores]\n"traces/s_1.md" = ["qgsh:ClaimGrounded"]\n',
        encoding="utf-8",
    )  # a qualgraph.toml beside pyproject.toml wins: no severity override now
    ignored = qualgraph("validate")
    assert (ignored.exit_code, ignored.stderr) == (1, f"1 errors, 1 warnings, {notes}\n")
    assert ignored.stdout.startswith("model/sources_model.py\n")
    (repo / "qualgraph.toml").write_text(
        'paths = ["traces"]\n[per-file-ignores]\n"*.py" = ["ALL"]\n"traces/*" = ["dropped-by-model"]\n',
        encoding="utf-8",
    )  # a pattern without a slash matches the file name
    result = qualgraph("validate")
    assert (result.exit_code, result.stderr) == (1, "1 errors, 0 warnings, 0 notes in 2 files\n")
    assert result.stdout.startswith("traces/s_1.md\n")
    (repo / "qualgraph.toml").write_text('paths = ["traces"]\nignore = ["ALL"]\n', "utf-8")
    assert qualgraph("validate").stderr == "0 errors, 0 warnings, 0 notes in 2 files\n"


def test_select_and_ignore_on_the_command_line(repo):
    assert qualgraph("validate", "--no-baseline", "--ignore", "ClaimGrounded").exit_code == 0
    only = qualgraph("validate", "--no-baseline", "--select", "undefined-name,dropped-by-model")
    assert (only.exit_code, only.stdout) == (0, "")
    assert only.stderr == "0 errors, 0 warnings, 5 notes in 2 files (-v lists the notes)\n"
    selected = qualgraph("validate", "--no-baseline", "--select", "qgsh:ClaimGrounded")
    assert selected.exit_code == 1


def test_unknown_keys_and_bad_values_exit_2_naming_the_key_and_the_file(repo):
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(PYPROJECT + 'fail_on = "warning"\n', encoding="utf-8")
    for command in (("validate",), ("load",), ("config",)):
        result = qualgraph(*command)
        assert result.exit_code == 2
        assert result.stderr == (
            f"Error: {pyproject} [tool.qualgraph]: unknown key 'fail_on' "
            f"(known: {', '.join(KEYS)})\n"
        )
    pyproject.write_text(PYPROJECT.replace(f'base = "{BASE}"', 'base = "our study"'), "utf-8")
    result = qualgraph("load")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: base in {pyproject} [tool.qualgraph] 'our study' is not an absolute IRI "
        "(for example https://example.org/study/)\n"
    )
    pyproject.write_text(PYPROJECT + 'fail-on = "never"\n', encoding="utf-8")
    assert qualgraph("validate").stderr == (
        f"Error: {pyproject} [tool.qualgraph]: fail-on must be one of error, warning, info, "
        "got 'never'\n"
    )
    (repo / "qualgraph.toml").write_text("paths = [\n", encoding="utf-8")
    result = qualgraph("validate")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {repo / 'qualgraph.toml'}: not valid TOML: ")
    assert result.stderr.count("\n") == 1


def test_a_baseline_that_is_not_one_exits_2(repo):
    (repo / "qualgraph-baseline.json").write_text("[]", encoding="utf-8")
    result = qualgraph("validate")
    assert result.exit_code == 2
    assert result.stderr == (
        'Error: qualgraph-baseline.json: not a qualgraph baseline (no "qualgraph-baseline": 1); '
        "write one with --write-baseline\n"
    )
    (repo / "qualgraph-baseline.json").unlink()
    assert qualgraph("validate").stderr == (
        "Error: qualgraph-baseline.json: no such baseline; "
        "write it with --write-baseline qualgraph-baseline.json\n"
    )


def test_the_baseline_counts_identical_findings(repo):
    """Two identical findings recorded once: the second is new."""
    from qualgraph.diagnostics import Severity
    from qualgraph.shacl.baseline import compare, entry
    from qualgraph.shacl.report import Finding

    one = Finding("traces/s_1.md", 3, Severity.ERROR, "unreadable", "at line 3", "loader")
    moved = Finding("traces/s_1.md", 9, Severity.ERROR, "unreadable", "at line 9", "loader")
    result = compare([one, moved], [entry(one)])
    assert (result.new, result.suppressed, result.gone) == ((moved,), 1, ())


def test_reports_say_what_the_baseline_did_and_rewriting_it_records_everything(repo):
    assert qualgraph("validate", "--write-baseline", "qualgraph-baseline.json").exit_code == 0
    model = repo / "model" / "sources_model.py"
    model.write_text(MODEL.replace("[read_in_place]", "[read_in_place, clear_ownership]"), "utf-8")
    report = json.loads(qualgraph("validate", "-f", "json").stdout)
    assert report["baseline"] == {"suppressed": 11, "gone": []}
    assert [f["message"][:58] for f in report["findings"]] == [S2_CLAIM]
    sarif = json.loads(qualgraph("validate", "-f", "sarif").stdout)
    assert [r["baselineState"] for r in sarif["runs"][0]["results"]] == ["new"]
    # Rewriting the baseline while one is configured records every finding, not the new ones.
    rewritten = qualgraph("validate", "--write-baseline", "qualgraph-baseline.json")
    assert rewritten.stderr.endswith("; 12 findings recorded in qualgraph-baseline.json\n")
    assert qualgraph("validate").exit_code == 0


def test_shapes_model_and_engine_come_from_the_configuration_file_named_by_config(repo):
    (repo / "rules.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix qg: <https://w3id.org/qualgraph/ontology#> .\n"
        "<urn:rules#TinyUrl> a sh:PropertyShape ; sh:targetClass qg:Source ;\n"
        "    sh:path qg:tinyUrlTwo ; sh:minCount 1 ; sh:severity sh:Warning .\n",
        encoding="utf-8",
    )
    (repo / "ci").mkdir()
    (repo / "ci" / "strict.toml").write_text(
        'paths = ["../traces"]\nshapes = ["../rules.ttl"]\nno-model = true\n'
        'fail-on = "warning"\nengine = "pyshacl"\n',
        encoding="utf-8",
    )
    result = qualgraph("--config", "ci/strict.toml", "validate", "-f", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["engine"] == "pyshacl" and report["fail_on"] == "warning"
    rules = sorted({(f["file"], f["rule"]) for f in report["findings"]})
    assert rules == [
        ("traces/s_1.md", "<urn:rules#TinyUrl>"),
        ("traces/s_1.md", "qgsh:ClaimGrounded"),
        ("traces/s_2.md", "<urn:rules#TinyUrl>"),
    ]  # no model file: no-model; the study's rule from rules.ttl
    shown = qualgraph("--config", "ci/strict.toml", "config").stdout
    assert f"# configuration: {Path('ci/strict.toml')}" in shown
    assert 'shapes           = ["rules.ttl"]  # ci/strict.toml' in shown


def test_an_unknown_rule_name_exits_2_with_the_closest_one(repo):
    result = qualgraph("validate", "--no-baseline", "--select", "ClaimGrouned")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: --select/--ignore: unknown rule 'ClaimGrouned' (did you mean ClaimGrounded?); "
        "qualgraph validate -f sarif lists every rule\n"
    )
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(PYPROJECT + 'severity = { "undefined-nam" = "error" }\n', "utf-8")
    assert qualgraph("validate", "--no-baseline").stderr == (
        f"Error: {pyproject} [tool.qualgraph]: unknown rule 'undefined-nam' "
        "(did you mean undefined-name?); qualgraph validate -f sarif lists every rule\n"
    )
