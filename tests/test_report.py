"""The merged report and its five formats, on findings written by hand."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.paths import InvPath

from qualgraph.diagnostics import Severity, error, info, warning
from qualgraph.rdf.namespaces import DEFAULT_BASE, QG
from qualgraph.shacl.report import FORMATS, QGSH, Compactor, Report, merge
from qualgraph.shacl.results import ValidationReport, ValidationResult

STUDY = DEFAULT_BASE
COMPACT = Compactor(STUDY)


def _result(
    focus: str, shape: str, file: str | None, line: int | None, **extra
) -> ValidationResult:
    fields = dict(
        focus=URIRef(STUDY + focus),
        shape=QGSH[shape],
        shape_name=shape,
        component=SH.MinCountConstraintComponent,
        path=None,
        value=None,
        message=f"{shape} message",
        severity=SH.Violation,
        file=file,
        line=line,
    )
    fields.update(extra)
    return ValidationResult(**fields)


RESULTS = (
    _result("source/s2", "SourceIdUnique", "traces/s_2.md", 1, path=InvPath(QG.describesSource)),
    _result(
        "document/s_10/claim/s10/x",
        "ClaimGrounded",
        "traces/s_10.md",
        40,
        component=SH.SPARQLConstraintComponent,
        value=URIRef(STUDY + "code/x"),
        message="x, 100% ungrounded: fix it",
    ),
    _result("code/y", "CodeDefined", "traces/s_2.md", 7, severity=SH.Warning, path=QG.definedBy),
    _result("orphan", "QuoteSource", None, None, value=Literal('say "hi"')),
)
DIAGNOSTICS = (
    error("traces/s_2b.md", 1, "duplicate-source", "source id s2 is also used by traces/s_2.md"),
    warning("traces/s_2.md", 7, "undefined-name", "y is used but never defined with CClass"),
    info("traces/s_2.md", 3, "redefinition", "z is defined again"),
)
FILES = ("traces/s_2.md", "traces/s_2b.md", "traces/s_10.md", "traces/s_11.md")


def report(fail_on: Severity = Severity.ERROR, show: Severity = Severity.WARNING) -> Report:
    findings = merge(DIAGNOSTICS, ValidationReport(RESULTS, "oxigraph"), COMPACT)
    return Report(findings, FILES, "oxigraph", fail_on, show)


def test_findings_are_merged_in_natural_file_order_then_line():
    order = [(f.file, f.line, f.rule) for f in report().findings]
    assert order == [
        ("traces/s_2.md", 1, "qgsh:SourceIdUnique"),
        ("traces/s_2.md", 3, "redefinition"),
        ("traces/s_2.md", 7, "qgsh:CodeDefined"),
        ("traces/s_2.md", 7, "undefined-name"),
        ("traces/s_2b.md", 1, "duplicate-source"),
        ("traces/s_10.md", 40, "qgsh:ClaimGrounded"),
        (None, None, "qgsh:QuoteSource"),
    ]


def test_severities_decide_failure_and_what_is_listed():
    assert report().failed
    assert [f.rule for f in report().shown if f.severity == Severity.INFO] == []
    assert len(report(show=Severity.INFO).shown) == 7
    assert report().summary() == "4 errors, 2 warnings, 1 notes in 4 files (-v lists the notes)"
    clean = Report(merge((), ValidationReport((), "oxigraph"), COMPACT), FILES, "oxigraph")
    assert not clean.failed and clean.summary() == "0 errors, 0 warnings, 0 notes in 4 files"


def test_text_groups_by_file_and_colours_only_when_asked():
    text = FORMATS["text"](report(), False)
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert lines[0] == "traces/s_2.md"
    assert lines[1].split() == ["1", "error", "qgsh:SourceIdUnique", "SourceIdUnique", "message"]
    assert lines[2].split() == ["focus", "study:source/s2", "path", "^qg:describesSource"]
    assert "(study)" in lines and "traces/s_10.md" in lines
    assert lines.index("traces/s_2b.md") < lines.index("traces/s_10.md")
    assert "\x1b[" in FORMATS["text"](report(), True)


def test_json_lists_every_shown_finding_with_its_fields():
    document = json.loads(FORMATS["json"](report()))
    assert document["conforms"] is False and document["failed"] is True
    assert document["summary"] == {"errors": 4, "warnings": 2, "notes": 1, "files": 4}
    claim = next(f for f in document["findings"] if f["rule"] == "qgsh:ClaimGrounded")
    assert claim == {
        "file": "traces/s_10.md",
        "line": 40,
        "severity": "error",
        "origin": "shacl",
        "rule": "qgsh:ClaimGrounded",
        "shape_name": "ClaimGrounded",
        "focus": "study:document/s_10/claim/s10/x",
        "path": None,
        "value": "study:code/x",
        "message": "x, 100% ungrounded: fix it",
    }


def test_junit_has_one_test_case_per_trace_file():
    root = ET.fromstring(FORMATS["junit"](report()))
    (suite,) = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == [*FILES, "(study)"]
    assert suite.get("tests") == "5" and suite.get("failures") == "4"
    assert cases["traces/s_11.md"].find("failure") is None
    failure = cases["traces/s_2.md"].find("failure")
    assert (
        failure.text == "traces/s_2.md:1: error[qgsh:SourceIdUnique]: SourceIdUnique message "
        "(focus study:source/s2)"
    )
    assert "warning[undefined-name]" in cases["traces/s_2.md"].find("system-out").text
    strict = ET.fromstring(FORMATS["junit"](report(fail_on=Severity.WARNING)))
    (case,) = [c for c in strict.iter("testcase") if c.get("name") == "traces/s_2.md"]
    assert (
        "warning[qgsh:CodeDefined]" in case.find("failure").text and case.find("system-out") is None
    )


def test_github_annotations_escape_their_fields():
    lines = FORMATS["github"](report()).splitlines()
    assert lines[0] == (
        "::error file=traces/s_2.md,line=1,title=qgsh%3ASourceIdUnique::"
        "SourceIdUnique message (focus study:source/s2)"
    )
    claim = next(line for line in lines if "ClaimGrounded" in line)
    assert claim.endswith(
        "::x, 100%25 ungrounded: fix it (focus study:document/s_10/claim/s10/x, value study:code/x)"
    )
    assert any(
        line.startswith("::warning file=traces/s_2.md,line=7,title=undefined-name::")
        for line in lines
    )
    assert any(line.startswith("::error title=qgsh%3AQuoteSource::") for line in lines)


def test_turtle_is_a_shacl_validation_report_with_places():
    graph = Graph().parse(data=FORMATS["turtle"](report()), format="turtle")
    (root,) = graph.subjects(None, SH.ValidationReport)
    assert graph.value(root, SH.conforms) == Literal(False)
    results = list(graph.objects(root, SH.result))
    assert len(results) == 6
    (unique,) = graph.subjects(SH.sourceShape, QGSH.SourceIdUnique)
    assert graph.value(graph.value(unique, SH.resultPath), SH.inversePath) == QG.describesSource
    assert (graph.value(unique, QGSH.file), graph.value(unique, QGSH.line)) == (
        Literal("traces/s_2.md"),
        Literal(1),
    )
    (duplicate,) = graph.subjects(QGSH.diagnostic, Literal("duplicate-source"))
    assert graph.value(duplicate, SH.sourceConstraintComponent) == QGSH.LoaderDiagnostic
    assert graph.value(duplicate, SH.resultSeverity) == SH.Violation
    # SHACL 3.6: exactly one focus node per result; a diagnostic's is its file (or the study)
    assert all(len(list(graph.objects(r, SH.focusNode))) == 1 for r in results)
    assert str(graph.value(duplicate, SH.focusNode)).endswith("file/traces/s_2b.md")


def test_the_same_findings_render_the_same_bytes():
    for render in FORMATS.values():
        assert render(report(), False) == render(report(), False)
