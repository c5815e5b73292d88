"""One validation report from the loader's diagnostics and the SHACL results, in five formats.

Both kinds of finding point at a trace file and line, so a researcher (or a CI system) reads one
sorted list: grouped by file, in line order. Formats: `text` (for people; colour only on a
terminal), `json`, `junit` (one test case per trace file, so CI shows which trace failed),
`github` (workflow-command annotations) and `turtle` (the sh:ValidationReport graph).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from fnmatch import fnmatchcase
from itertools import groupby
from typing import Any
from urllib.parse import quote

import click
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.paths import AlternativePath, InvPath, MulPath, OneOrMore, SequencePath, ZeroOrMore
from rdflib.term import Node

from qualgraph.diagnostics import Diagnostic, Severity, printable
from qualgraph.rdf.namespaces import DEFAULT_BASE, PREFIXES, NTriplesIris
from qualgraph.rdf.terms import NTriples
from qualgraph.read.controls import visible
from qualgraph.shacl.results import LEVELS, ValidationReport, ValidationResult
from qualgraph.study.load import natural_key
from qualgraph.study.resolve import ResolvedStudy

QGSH = Namespace("https://w3id.org/qualgraph/shapes#")
STUDY = "(study)"
"""Where findings without a file are grouped: nodes that carry no provenance."""

_SHACL_SEVERITY = {level: iri for iri, level in LEVELS.items()}
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
_CLAIMANT = "<https://w3id.org/qualgraph/ontology#claimant>"
_GITHUB = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


@dataclass(frozen=True)
class Finding:
    """One entry of the report. `rule` is a diagnostic code (`undefined-name`) or a shape
    (`qgsh:ClaimGrounded`); focus, value and path are compact IRIs or quoted literals."""

    file: str | None
    line: int | None
    severity: Severity
    rule: str
    message: str
    origin: str  # "loader" or "shacl"
    shape_name: str | None = None
    focus: str | None = None
    value: str | None = None
    path: str | None = None
    result: ValidationResult | None = None
    trace: str | None = None
    """The trace file the finding is about when it is written elsewhere: a model file's claim
    for source s1 belongs to s1's trace (JUnit fails that trace's test case)."""

    def sort_key(self) -> tuple[object, ...]:
        return (
            self.file is None,
            natural_key(self.file or ""),
            self.line or 0,
            -self.severity,
            self.rule,
            self.focus or "",
            self.value or "",
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "severity": str(self.severity),
            "origin": self.origin,
            "rule": self.rule,
            "shape_name": self.shape_name,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class Report:
    """The merged findings of one run. `fail_on` is the severity that fails the run; findings
    below `show` (notes, unless asked for) are counted but not listed."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    engine: str
    fail_on: Severity = Severity.ERROR
    show: Severity = Severity.WARNING
    base: str = DEFAULT_BASE
    baselined: bool = False
    """Compared with a baseline: `findings` are the new ones."""
    suppressed: int = 0
    """Findings left out because the baseline records them."""
    gone: tuple[str, ...] = ()
    """Baseline entries no finding matches any more (fixed: the baseline can be tightened)."""
    rules: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Rule id → (name, help) of every shape the run checked (for SARIF's rule list)."""
    started: datetime | None = None
    seconds: float = 0.0

    @property
    def shown(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity >= self.show)

    @property
    def failed(self) -> bool:
        return any(f.severity >= self.fail_on for f in self.findings)

    @property
    def conforms(self) -> bool:
        """No (new) finding at or above `fail_on`: what `qualgraph validate` exits 0 on."""
        return not self.failed

    def render(self, fmt: str = "text", color: bool = False) -> str:
        """The report in one of FORMATS (text, json, junit, github, turtle, sarif)."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return FORMATS[fmt](self, color)

    def counts(self) -> dict[Severity, int]:
        return {s: sum(f.severity == s for f in self.findings) for s in Severity}

    def summary(self) -> str:
        counts = self.counts()
        text = (
            f"{counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
            f"{counts[Severity.INFO]} notes in {len(self.files)} files"
        )
        if counts[Severity.INFO] and self.show == Severity.WARNING:  # not with --quiet
            text += " (-v lists the notes)"
        if self.suppressed:
            text += f"; {self.suppressed} more in the baseline"
        if self.gone:
            text += f"; {len(self.gone)} baseline entries gone (fixed)"
        return text


# -- which rules run, at which severity ---------------------------------------------------------


@dataclass(frozen=True)
class RulePolicy:
    """Which findings a run keeps and how severe they are: `select` (only these rules, when
    given), `ignore`, `per_file_ignores` (glob → rules) and `severity` overrides (rule → level).
    A rule is named as reported (`qgsh:ClaimGrounded`, `undefined-name`) or by its local name
    (`ClaimGrounded`); `ALL` names every rule."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    severity: Mapping[str, str] = field(default_factory=dict)

    def names(self) -> tuple[str, ...]:
        """Every rule name the policy uses, in the order given."""
        listed = [*self.select, *self.ignore, *self.severity]
        listed += [name for rules in self.per_file_ignores.values() for name in rules]
        return tuple(dict.fromkeys(listed))

    def unknown(self, rules: Iterable[str]) -> tuple[str, ...]:
        """The names that match none of `rules` (a typo in `select` would pass everything)."""
        known = {"ALL"} | {name for rule in rules for name in (rule, local_name(rule))}
        return tuple(name for name in self.names() if name not in known)

    def apply(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        kept = []
        for f in findings:
            if self.select and not _names(self.select, f.rule):
                continue
            if _names(self.ignore, f.rule):
                continue
            if f.file and any(
                _names(rules, f.rule) and _glob(pattern, f.file)
                for pattern, rules in self.per_file_ignores.items()
            ):
                continue
            level = next(
                (lv for name, lv in self.severity.items() if _names((name,), f.rule)), None
            )
            kept.append(f if level is None else replace(f, severity=Severity[level.upper()]))
        return tuple(kept)


def local_name(rule: str) -> str:
    """`qgsh:ClaimGrounded` → `ClaimGrounded`; `<urn:rules#Either>` → `Either`."""
    return re.split(r"[:#/]", rule.strip("<>"))[-1]


def _names(names: Iterable[str], rule: str) -> bool:
    return any(name in ("ALL", rule, local_name(rule)) for name in names)


def _glob(pattern: str, file: str) -> bool:
    """Ruff's per-file-ignores: a glob on the path, or on the file name when it has no `/`."""
    return fnmatchcase(file, pattern) or (
        "/" not in pattern and fnmatchcase(file.rsplit("/", 1)[-1], pattern)
    )


class Compactor:
    """Writes IRIs as prefixed names (`study:code/x`, `qg:Claim`, `qgsh:ClaimGrounded`)."""

    def __init__(self, base: str) -> None:
        self.graph = Graph(bind_namespaces="none")
        for prefix, namespace in {
            **PREFIXES,
            "qgsh": QGSH,
            "sh": SH,
            "study": Namespace(base),
        }.items():
            self.graph.bind(prefix, namespace, replace=True)
        self._prefixes = sorted(
            ((str(ns), prefix) for prefix, ns in self.graph.namespaces()), key=lambda p: -len(p[0])
        )

    def __call__(self, term: object) -> str:
        if isinstance(term, URIRef):
            for namespace, prefix in self._prefixes:
                if term.startswith(namespace) and len(term) > len(namespace):
                    return f"{prefix}:{term[len(namespace) :]}"
            return f"<{term}>"
        if isinstance(term, Literal):
            return json.dumps(str(term), ensure_ascii=False)
        if isinstance(term, (SequencePath, InvPath, AlternativePath, MulPath)):
            return term.n3(self.graph.namespace_manager)
        return str(term)


def attribute_claims(triples: NTriples, study: ResolvedStudy, base: str) -> dict[str, str]:
    """Claim IRI → the trace file of its claimant, for every claim of a source with a trace: a
    claim the model makes for s1 is about s1's trace (see `Finding.trace`)."""
    iris = NTriplesIris(base)
    traces = {str(iris.source(t.source_id)): t.document.name for t in study.traces if t.source_id}
    return {s[1:-1]: traces[o] for s, p, o in triples if p == _CLAIMANT and o in traces}


def merge(
    diagnostics: Iterable[Diagnostic],
    validation: ValidationReport,
    compact: Compactor,
    claimants: Mapping[str, str] | None = None,
) -> tuple[Finding, ...]:
    """Diagnostics and SHACL results as one list, sorted by file (natural order) and line.
    `claimants` (from `attribute_claims`) gives each claim's finding its trace."""
    claimants = claimants or {}
    found = [
        Finding(d.file, d.line or None, d.severity, d.code, d.message, "loader")
        for d in diagnostics
    ]
    for r in validation.results:
        found.append(
            Finding(
                file=r.file,
                line=r.line,
                severity=r.level,
                rule=compact(r.shape),
                message=r.message,
                origin="shacl",
                shape_name=r.shape_name,
                focus=compact(r.focus),
                value=compact(r.value) if r.value is not None else None,
                path=compact(r.path) if r.path is not None else None,
                result=r,
                trace=claimants.get(str(r.focus)),
            )
        )
    return tuple(sorted(found, key=Finding.sort_key))


# -- formats -----------------------------------------------------------------------------------


def render_text(report: Report, color: bool = False) -> str:
    """Grouped by file; file names and messages are made printable (see `printable`)."""

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if color else text

    lines: list[str] = []
    for file, group in groupby(report.shown, key=lambda f: f.file or STUDY):
        lines.append(style(printable(file), bold=True))
        for f in group:
            severity = style(f"{str(f.severity):<7}", fg=_COLOURS[f.severity], bold=True)
            lines.append(
                f"  {f.line or '':>5}  {severity}  {style(printable(f.rule), bold=True)}  "
                f"{printable(f.message)}"
            )
            details = [
                f"{label} {printable(text)}"
                for label, text in (("focus", f.focus), ("path", f.path), ("value", f.value))
                if text
            ]
            if details:
                lines.append(style(" " * 18 + "  ".join(details), dim=True))
        lines.append("")
    return "\n".join(lines)


def render_json(report: Report, color: bool = False) -> str:
    counts = report.counts()
    document = {
        "conforms": not report.findings,
        "failed": report.failed,
        "engine": report.engine,
        "fail_on": str(report.fail_on),
        "summary": {
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "notes": counts[Severity.INFO],
            "files": len(report.files),
        },
        "findings": [f.as_dict() for f in report.shown],
    }
    if report.baselined:
        document["baseline"] = {"suppressed": report.suppressed, "gone": list(report.gone)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_junit(report: Report, color: bool = False) -> str:
    """One test case per trace file: it fails when the file has a finding at or above
    `fail_on`; lesser findings go to the case's system-out. A finding written in another file
    about a source (a model file's claim for s1) belongs to that source's trace (`trace`); its
    own file and line stay in the message. The study is validated as a whole, so the time is
    the run's, on the suite; each case's share is not measured (time 0)."""
    by_file: dict[str, list[Finding]] = {file: [] for file in report.files}
    for f in report.shown:
        by_file.setdefault(f.trace or f.file or STUDY, []).append(f)
    failures = sum(any(f.severity >= report.fail_on for f in group) for group in by_file.values())
    timing = {"time": f"{report.seconds:.3f}"}
    root = ET.Element(
        "testsuites",
        {
            "name": "qualgraph validate",
            "tests": str(len(by_file)),
            "failures": str(failures),
            **timing,
        },
    )
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": "qualgraph validate",
            "tests": str(len(by_file)),
            "failures": str(failures),
            "errors": "0",
            "skipped": "0",
            # JUnit's schema takes a local time without a zone offset
            "timestamp": (report.started or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S"),
            **timing,
        },
    )
    for file, group in by_file.items():
        case = ET.SubElement(
            suite,
            "testcase",
            classname="qualgraph.validate",
            name=printable(file),
            file=printable(file),
            time="0",
        )
        failing = [f for f in group if f.severity >= report.fail_on]
        if failing:
            failure = ET.SubElement(
                case,
                "failure",
                type=str(failing[0].severity),
                message=f"{len(failing)} finding(s) at {report.fail_on} or above",
            )
            failure.text = "\n".join(printable(_line(f)) for f in failing)
        rest = [f for f in group if f.severity < report.fail_on]
        if rest:
            ET.SubElement(case, "system-out").text = "\n".join(printable(_line(f)) for f in rest)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + visible(text) + "\n"  # control chars


GITHUB_LIMIT = 10
"""GitHub shows at most this many annotations of each level per step."""


def render_github(report: Report, color: bool = False) -> str:
    """GitHub Actions workflow commands: annotations on the trace file and line. GitHub shows
    10 of each level per step, so findings on trace lines come first (model files after),
    and when a level has more, its tenth annotation says how many more there are; those are
    still listed in the log, as plain `file:line: severity[rule]: message` lines."""
    traces = set(report.files)
    ordered = sorted(report.shown, key=lambda f: (f.file not in traces, f.sort_key()))
    shown: Counter[Severity] = Counter()
    total = Counter(f.severity for f in ordered)
    lines, rest = [], []
    for f in ordered:
        level = f.severity
        if total[level] > GITHUB_LIMIT and shown[level] == GITHUB_LIMIT - 1:
            more = total[level] - shown[level]
            lines.append(
                f"::{_GITHUB[level]} title=qualgraph::{more} more {level} findings are not "
                "annotated (GitHub shows 10 per level): see the job log or the step summary"
            )
            shown[level] += 1
        if shown[level] >= GITHUB_LIMIT:
            rest.append(printable(_line(f)))
            continue
        shown[level] += 1
        properties = []
        if f.file:
            properties.append(f"file={_escape_property(f.file)}")
            if f.line:
                properties.append(f"line={f.line}")
        properties.append(f"title={_escape_property(f.rule)}")
        lines.append(f"::{_GITHUB[level]} {','.join(properties)}::{_escape_data(_sentence(f))}")
    lines += rest
    return "\n".join(lines) + ("\n" if lines else "")


def render_step_summary(report: Report, worst: int = 10) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: the verdict, counts per rule, the worst files."""
    verdict = "failed" if report.failed else "passed"
    lines = [
        f"### qualgraph validate: {verdict}",
        "",
        f"{report.summary()}.",
        "",
    ]
    by_rule = Counter((f.rule, f.severity) for f in report.findings)
    if by_rule:
        lines += ["| rule | severity | findings |", "|---|---|---:|"]
        for (rule, level), count in sorted(
            by_rule.items(), key=lambda i: (-i[0][1], -i[1], i[0][0])
        ):
            lines.append(f"| `{_cell(rule)}` | {level} | {count} |")
        lines.append("")
    by_file = Counter(
        f.trace or f.file or STUDY for f in report.findings if f.severity >= report.fail_on
    )
    if by_file:
        lines += [f"Files with the most findings at {report.fail_on} or above:", ""]
        lines += ["| file | findings |", "|---|---:|"]
        for file, count in sorted(by_file.items(), key=lambda i: (-i[1], natural_key(i[0])))[
            :worst
        ]:
            lines.append(f"| `{_cell(file)}` | {count} |")
        lines.append("")
    return "\n".join(lines)


def render_turtle(report: Report, color: bool = False) -> str:
    """The sh:ValidationReport graph. Each result also carries qgsh:file and qgsh:line; loader
    diagnostics are results of the qgsh:LoaderDiagnostic component, with their code as
    qgsh:diagnostic. SHACL 3.6 gives every result exactly one sh:focusNode: a diagnostic's is
    its file, as `<base>file/<path>` (the defect is in the file, not in the graph), or the study
    (`<base>`) when it has no file."""
    graph = Graph()
    for prefix, namespace in {
        **PREFIXES,
        "sh": SH,
        "qgsh": QGSH,
        "study": Namespace(report.base),
    }.items():
        graph.bind(prefix, namespace, replace=True)
    root = BNode("report")
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(not report.findings)))
    for i, f in enumerate(report.shown, start=1):
        node = BNode(f"result{i}")
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, _SHACL_SEVERITY[f.severity]))
        graph.add((node, SH.resultMessage, Literal(f.message)))
        if f.file:
            graph.add((node, QGSH.file, Literal(f.file)))
        if f.line:
            graph.add((node, QGSH.line, Literal(f.line, datatype=XSD.integer)))
        r = f.result
        if r is None:
            where = report.base + ("file/" + quote(f.file) if f.file else "")
            graph.add((node, SH.focusNode, URIRef(where)))
            graph.add((node, SH.sourceConstraintComponent, QGSH.LoaderDiagnostic))
            graph.add((node, QGSH.diagnostic, Literal(f.rule)))
            continue
        graph.add((node, SH.focusNode, r.focus))
        graph.add((node, SH.sourceShape, r.shape))
        graph.add((node, SH.sourceConstraintComponent, r.component))
        if r.value is not None:
            graph.add((node, SH.value, r.value))
        if r.path is not None:
            graph.add((node, SH.resultPath, _path_node(graph, r.path)))
    return graph.serialize(format="turtle")


def render_sarif(report: Report, color: bool = False) -> str:
    return _sarif(report)


FORMATS: dict[str, Callable[[Report, bool], str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
    "turtle": render_turtle,
    "sarif": render_sarif,
}


def _sarif(report: Report) -> str:
    from qualgraph.shacl.sarif import (
        render_sarif,  # sarif builds on this module's Finding and Report
    )

    return render_sarif(report)


# -- helpers -----------------------------------------------------------------------------------


def _sentence(f: Finding) -> str:
    """The message with the focus node and value, for one-line formats."""
    details = ", ".join(
        f"{label} {text}" for label, text in (("focus", f.focus), ("value", f.value)) if text
    )
    return f"{f.message} ({details})" if details else f.message


def _cell(text: str) -> str:
    return printable(text).replace("|", "\\|").replace("`", "'")


def _line(f: Finding) -> str:
    where = f"{f.file}:{f.line}" if f.file and f.line else (f.file or STUDY)
    return f"{where}: {f.severity}[{f.rule}]: {_sentence(f)}"


def _escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path_node(graph: Graph, path: object) -> Node:
    """A SHACL path node for an rdflib path (the inverse of shapes.shacl_path)."""
    if isinstance(path, URIRef):
        return path
    node = BNode()
    if isinstance(path, SequencePath):
        Collection(graph, node, [_path_node(graph, step) for step in path.args])
    elif isinstance(path, InvPath):
        graph.add((node, SH.inversePath, _path_node(graph, path.arg)))
    elif isinstance(path, AlternativePath):
        items = BNode()
        Collection(graph, items, [_path_node(graph, step) for step in path.args])
        graph.add((node, SH.alternativePath, items))
    elif isinstance(path, MulPath):
        kind = {ZeroOrMore: SH.zeroOrMorePath, OneOrMore: SH.oneOrMorePath}.get(
            path.mod, SH.zeroOrOnePath
        )
        graph.add((node, kind, _path_node(graph, path.path)))
    return node
