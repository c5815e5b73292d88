"""A one-screen summary of a study: what it holds, and where its codebook stopped growing.

The counts come from the named queries, so traces and RDF exported earlier give the same
figures; the trace loader's Summary adds what only traces know (their diagnostics).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.term import Node

from qualgraph.query.named import find_query, run
from qualgraph.query.rows import Rows
from qualgraph.study.summary import Summary

SATURATION_RUN = 5
"""Sources in a row without a new code that count as saturation."""


@dataclass(frozen=True)
class SaturationRow:
    position: int
    source: str
    new_codes: int
    codes: int
    introduced: tuple[str, ...]


@dataclass(frozen=True)
class StudyStats:
    sources_by_type: tuple[tuple[str, int], ...]
    quotes: int
    codes_by_kind: tuple[tuple[str, int], ...]
    groundings: int
    decisions: int
    options: int
    impacts: int
    impact_cells: int
    saturation: tuple[SaturationRow, ...]
    summary: Summary | None = None

    @property
    def saturation_point(self) -> SaturationRow | None:
        """The first source of the first run of SATURATION_RUN sources that add no code."""
        rows = self.saturation
        for start in range(len(rows) - SATURATION_RUN + 1):
            if all(row.new_codes == 0 for row in rows[start : start + SATURATION_RUN]):
                return rows[start]
        return None

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs in reading order."""
        sources = sum(n for _, n in self.sources_by_type)
        codes = sum(n for _, n in self.codes_by_kind)
        rows = [] if self.summary is None else [("traces", str(self.summary.traces))]
        rows += [
            ("sources", f"{sources} ({_breakdown(self.sources_by_type)})"),
            ("quotes", str(self.quotes)),
            ("codes", f"{codes} ({_breakdown(self.codes_by_kind)})"),
            ("groundings (quote → code)", str(self.groundings)),
            ("decisions", f"{self.decisions} with {self.options} options"),
            (
                "impacts (solution → force)",
                f"{self.impacts} in {self.impact_cells} solution × force cells",
            ),
        ]
        if self.summary is None:
            rows.append(("diagnostics", "only for trace input"))
        else:
            found = self.summary.diagnostics
            rows.append(
                (
                    "diagnostics",
                    f"{found.get('error', 0)} errors, {found.get('warning', 0)} warnings, "
                    f"{found.get('info', 0)} notes",
                )
            )
        point = self.saturation_point
        rows.append(
            (
                "saturation",
                f"from {point.source} (source {point.position} of {len(self.saturation)}): "
                f"{SATURATION_RUN} sources in a row add no code"
                if point
                else f"not reached: no run of {SATURATION_RUN} sources without a new code",
            )
        )
        return rows


def _breakdown(counts: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts)


def _counted(values: list[str]) -> tuple[tuple[str, int], ...]:
    """Most frequent first, then by name."""
    return tuple(sorted(Counter(values).items(), key=lambda item: (-item[1], item[0])))


def _int(term: Node | None) -> int:
    return int(str(term)) if term is not None else 0


def _records(store: ox.Store, name: str) -> list[dict[str, Node | None]]:
    rows = run(store, find_query(name))
    if not isinstance(rows, Rows):
        raise TypeError(f"the named query {name} is not a SELECT query")
    return [dict(zip(rows.variables, row, strict=True)) for row in rows.rows]


def study_stats(store: ox.Store, summary: Summary | None = None) -> StudyStats:
    """Run the named queries the summary needs and count their rows."""
    sources = _records(store, "source-summary")
    codebook = _records(store, "codebook")
    options = _records(store, "decision-options")
    impacts = _records(store, "impact-matrix")
    return StudyStats(
        sources_by_type=_counted([str(r["type"] or "unknown") for r in sources]),
        quotes=sum(_int(r["quotes"]) for r in sources),
        codes_by_kind=_counted([str(r["kind"] or "undefined") for r in codebook]),
        groundings=sum(_int(r["quotes"]) for r in codebook),
        decisions=len({r["decision"] for r in options}),
        options=len({(r["decision"], r["option"]) for r in options if r["option"] is not None}),
        impacts=len(impacts),
        impact_cells=len({(r["solution"], r["force"]) for r in impacts}),
        saturation=tuple(
            SaturationRow(
                _int(r["position"]),
                str(r["source"]),
                _int(r["new_codes"]),
                _int(r["codes"]),
                tuple(str(r["introduced"] or "").split()),
            )
            for r in _records(store, "saturation")
        ),
        summary=summary,
    )
