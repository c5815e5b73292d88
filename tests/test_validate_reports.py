"""validate's reports for CI: SARIF (checked against the official schema), JUnit, GitHub
annotations and step summary, several reports from one run, --quiet."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from qualgraph.cli import main

from .test_adoption import MODEL
from .test_validate import QUOTE_1, Mutation

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
BASE = "https://example.org/our-study/"
GHOST_CLAIM = (
    "ghost is claimed for s1, but no quote grounds it: quote the passage of s1 that shows ghost "
    "and name ghost in that segment's coding trace, or remove the claim."
)


@pytest.fixture
def study(tmp_path, monkeypatch):
    """traces/ (s1's clear_ownership ungrounded in its trace) and model/, where s1 also claims
    `ghost`, a code no quote grounds: a finding in the model file about s1."""
    Mutation((("s_1.md", QUOTE_1, ""),)).write(tmp_path / "traces")
    (tmp_path / "model").mkdir()
    model = MODEL.replace("[clear_ownership]", "[clear_ownership, ghost]")
    imports, definitions = model.split("\n\n", 1)
    model = (
        f"{imports}\nfrom metamodels.guidance_metamodel import practice\n\n"
        f'ghost = CClass(practice, "Ghost")\n{definitions}'
    )
    (tmp_path / "model" / "sources_model.py").write_text(model, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate(*args: str, env: dict[str, str] | None = None):
    return CliRunner(env=env).invoke(
        main, ["validate", "traces", "--base", BASE, *args], catch_exceptions=False
    )


def test_sarif_is_valid_sarif_2_1_0_with_every_location_a_real_file_and_line(study):
    result = validate("-f", "sarif", "-v")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    [run] = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    assert {"qgsh:ClaimGrounded", "qgsh:ClaimGroundedInOwnSource", "undefined-name"} <= set(ids)
    assert all(rule["help"]["text"] for rule in rules)
    claim_rule = rules[ids.index("qgsh:ClaimGrounded")]
    assert claim_rule["shortDescription"]["text"] == "claimed code is grounded"
    root = Path(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].removeprefix("file://"))
    assert root == study
    located = []
    for r in run["results"]:
        assert ids[r["ruleIndex"]] == r["ruleId"]
        assert r["partialFingerprints"]["qualgraph/v1"]
        for location in r["locations"]:
            physical = location["physicalLocation"]
            assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            path = root / physical["artifactLocation"]["uri"]
            line = physical["region"]["startLine"]
            assert path.is_file() and 1 <= line <= len(path.read_text().splitlines())
            located.append((physical["artifactLocation"]["uri"], line, r["ruleId"], r["level"]))
    model_lines = (study / "model" / "sources_model.py").read_text().splitlines()
    ghost_line = next(i for i, text in enumerate(model_lines, 1) if text.startswith("s1_codes"))
    assert ("model/sources_model.py", ghost_line, "qgsh:ClaimGrounded", "error") in located
    assert sum(r["level"] == "note" for r in run["results"]) == 10  # -v: notes too


def test_junit_puts_a_model_claim_for_s1_into_s_1_mds_test_case(study):
    result = validate("-f", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    suite = root.find("testsuite")
    assert float(suite.get("time")) > 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp"))
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    # one per trace; the model file's own warning (its unresolved import) is a case of its own,
    # its claims for s1 count for s_1.md
    assert list(cases) == ["traces/s_1.md", "traces/s_2.md", "model/sources_model.py"]
    assert cases["model/sources_model.py"].find("failure") is None
    assert all(case.get("time") is not None for case in cases.values())
    failure = cases["traces/s_1.md"].find("failure")
    assert failure.get("message") == "3 finding(s) at error or above"
    lines = failure.text.splitlines()
    assert any(line.startswith("model/sources_model.py:") and GHOST_CLAIM in line for line in lines)
    assert cases["traces/s_2.md"].find("failure") is None


def test_several_reports_from_one_run_and_the_step_summary(study):
    summary = study / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = validate(
        "-o",
        "junit=report.xml",
        "-o",
        "sarif=qualgraph.sarif",
        "--output",
        "json=out.json",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("model/sources_model.py\n")  # the text report, as asked
    assert ET.parse(study / "report.xml").getroot().tag == "testsuites"
    assert json.loads((study / "qualgraph.sarif").read_text())["version"] == "2.1.0"
    assert json.loads((study / "out.json").read_text())["summary"]["errors"] == 3
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### qualgraph validate: failed\n")
    assert "| `qgsh:ClaimGrounded` | error | 3 |" in text
    assert "| `traces/s_1.md` | 3 |" in text  # the model's claims for s1 count for s_1.md
    both = validate("-o", "a.txt", "-o", "b.txt")
    assert both.exit_code == 2
    assert both.stderr == (
        "Error: -o b.txt: the --format report already goes to a.txt; name more reports as "
        "FORMAT=FILE (text, json, junit, github, turtle, sarif)\n"
    )


def test_github_annotates_trace_lines_first_and_says_how_many_more(study):
    """15 errors: one in s_1.md, 14 claims in the model file (which sorts first)."""
    model = study / "model" / "sources_model.py"
    ghosts = ", ".join(f"ghost_{i}" for i in range(12))
    defined = "".join(f'ghost_{i} = CClass(practice, "Ghost {i}")\n' for i in range(12))
    text = model.read_text().replace("ghost]", f"ghost, {ghosts}]")
    model.write_text(text.replace("\ns1 = CClass", f"\n{defined}s1 = CClass"), "utf-8")
    result = validate("-f", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error")]
    assert len(errors) == 10
    assert errors[0].startswith("::error file=traces/s_1.md,line=50,title=qgsh%3AClaimGrounded::")
    assert all(line.startswith("::error file=model/sources_model.py,") for line in errors[1:9])
    assert errors[9] == (
        "::error title=qualgraph::6 more error findings are not annotated (GitHub shows 10 per "
        "level): see the job log or the step summary"
    )
    rest = [line for line in lines if not line.startswith("::") and ": error[" in line]
    assert len(rest) == 6
    assert all(
        line.startswith("model/sources_model.py:") and ": error[qgsh:ClaimGrounded]: ghost_" in line
        for line in rest
    )
    assert result.stderr.startswith("15 errors, ")


def test_quiet_lists_only_what_fails(study):
    loud = validate("-v")
    quiet = validate("-q", "-v")
    assert "dropped-by-model" in loud.stdout and "dropped-by-model" not in quiet.stdout
    assert quiet.stdout.count("  error  ") == 3
    assert quiet.stderr == loud.stderr == "3 errors, 1 warnings, 10 notes in 2 files\n"


def test_every_diagnostic_code_of_the_design_notes_has_help_and_no_other():
    from qualgraph.codes import DIAGNOSTIC_HELP

    from .conftest import ROOT

    notes = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    table = notes.split("## Diagnostics", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    documented = {code for row in rows for code in re.findall(r"`([a-z0-9-]+)`", row)}
    assert documented == set(DIAGNOSTIC_HELP)


def test_the_real_study_sarif_is_valid_and_annotations_start_on_trace_lines(
    corpus, tmp_path, monkeypatch
):
    monkeypatch.chdir(corpus)
    result = CliRunner().invoke(
        main,
        ["validate", "traces", "--base", BASE, "-f", "github", "-o", f"sarif={tmp_path}/q.sarif"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 10
    on_traces = [line.startswith("::error file=traces/") for line in errors[:9]]
    assert on_traces == [True] * 4 + [False] * 5  # the four errors on trace lines, then models
    assert errors[9].startswith("::error title=qualgraph::")
    document = json.loads((tmp_path / "q.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    results = document["runs"][0]["results"]
    assert sum(r["level"] == "error" for r in results) == int(result.stderr.split()[0])
    for r in results:
        for location in r.get("locations", ()):
            physical = location["physicalLocation"]
            path = corpus / physical["artifactLocation"]["uri"]
            lines = path.read_text(encoding="utf-8").splitlines()
            assert 1 <= physical["region"]["startLine"] <= len(lines)
