"""The validation report as SARIF 2.1.0, for code scanning (GitHub's "Security" tab and others).

One run; one rule per shape and per loader diagnostic code, with its help text; each result
at its trace file and line (relative to `%SRCROOT%`, the working folder), with the baseline's
fingerprint as its partial fingerprint so that code scanning follows a finding across edits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from qualgraph.codes import DIAGNOSTIC_HELP, GENERIC_HELP
from qualgraph.diagnostics import Severity
from qualgraph.shacl.baseline import fingerprint
from qualgraph.shacl.report import Finding, Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def shape_rules(shapes: Graph, compact: Callable[[object], str]) -> dict[str, tuple[str, str]]:
    """Rule id → (name, help) for every named shape: its sh:name, and its rdfs:comment (or
    sh:message) as help."""
    rules = {}
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if not isinstance(shape, URIRef):
                continue
            name = str(shapes.value(shape, SH.name) or compact(shape))
            help_text = shapes.value(shape, RDFS.comment) or shapes.value(shape, SH.message)
            rules[compact(shape)] = (name, str(help_text or name))
    return dict(sorted(rules.items()))


def render_sarif(report: Report) -> str:
    rules = _rules(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    root = Path.cwd().as_uri() + "/"
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "qualgraph",
                        "version": _version(),
                        "semanticVersion": _version(),
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.rule], report.baselined) for f in report.shown],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rules(report: Report) -> list[dict[str, object]]:
    described: dict[str, tuple[str, str]] = dict(report.rules)
    described.update({code: (code, text) for code, text in DIAGNOSTIC_HELP.items()})
    for f in report.findings:
        if f.rule not in described:
            text = GENERIC_HELP if f.origin == "loader" else (f.shape_name or f.rule)
            described[f.rule] = (f.shape_name or f.rule, text)
    return [
        {
            "id": rule,
            "name": _pascal(name),
            "shortDescription": {"text": name},
            "fullDescription": {"text": text},
            "help": {"text": text},
        }
        for rule, (name, text) in described.items()
    ]


def _result(f: Finding, rule_index: int, baselined: bool) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": _message(f)},
        "partialFingerprints": {"qualgraph/v1": fingerprint(f)},
    }
    if baselined:
        result["baselineState"] = "new"  # what a baseline records is left out of the report
    if f.file:
        physical: dict[str, object] = {"artifactLocation": _artifact(f.file)}
        if f.line:
            physical["region"] = {"startLine": f.line}
        result["locations"] = [{"physicalLocation": physical}]
    properties = {k: v for k, v in (("focus", f.focus), ("path", f.path), ("value", f.value)) if v}
    if f.trace:
        properties["trace"] = f.trace
    if properties:
        result["properties"] = properties
    return result


def _artifact(file: str) -> dict[str, str]:
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix().replace("%", "%25"), "uriBaseId": "%SRCROOT%"}


def _message(f: Finding) -> str:
    details = ", ".join(
        f"{label} {text}" for label, text in (("focus", f.focus), ("value", f.value)) if text
    )
    return f"{f.message} ({details})" if details else f.message


def _pascal(name: str) -> str:
    """SARIF's rule `name` is an identifier-like string: "code is defined" → CodeIsDefined."""
    return "".join(word[:1].upper() + word[1:] for word in name.replace("-", " ").split())


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # ~30 ms: only for SARIF

    try:
        return version("qualgraph")
    except PackageNotFoundError:  # a source tree that was not installed
        return "0"
