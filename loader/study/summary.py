"""Count what a study holds, from the resolved values (no SPARQL needed for a summary)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from qualgraph.diagnostics import Diagnostic
from qualgraph.read.document import AxialTrace, OpenTrace
from qualgraph.read.statements import Skipped, Verbatim
from qualgraph.study.resolve import ResolvedStudy


@dataclass(frozen=True)
class Summary:
    traces: int
    sources: int
    segments: int
    quotes: int
    memos: int
    coding_lines: int
    python_blocks: int
    statements: int
    interpreted: int
    skipped: int
    verbatim: int
    codes_defined: int
    codes_undefined: int
    claims: int
    diagnostics: Counter[str]
    triples: int | None = None

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs in reading order, for a table or plain text."""
        rows = [
            ("traces", self.traces),
            ("sources", self.sources),
            ("segments", self.segments),
            ("quotes", self.quotes),
            ("memos (open coding)", self.memos),
            ("memo lines", self.coding_lines),
            ("python blocks", self.python_blocks),
            ("statements", self.statements),
            ("  interpreted", self.interpreted),
            ("  skipped (delimiters, imports, loops)", self.skipped),
            ("  kept verbatim", self.verbatim),
            ("codes defined", self.codes_defined),
            ("codes used but undefined", self.codes_undefined),
            ("claims (source → code)", self.claims),
        ]
        if self.triples is not None:
            rows.append(("triples", self.triples))
        for severity in ("error", "warning", "info"):
            rows.append((f"diagnostics: {severity}", self.diagnostics.get(severity, 0)))
        return [(label, str(value)) for label, value in rows]


def summarize(
    study: ResolvedStudy, diagnostics: tuple[Diagnostic, ...], triples: int | None = None
) -> Summary:
    segments = quotes = memos = coding_lines = blocks = 0
    statements: list[object] = []
    used: set[str] = set()
    for trace in study.traces:
        record = trace.record
        if record.source_block is not None:
            statements.extend(record.source_block.statements)
        for resolved in trace.segments:
            segments += 1
            quotes += len(resolved.segment.quotes)
            used.update(m.code for m in resolved.mentions)
            for element in resolved.segment.traces:
                if isinstance(element, OpenTrace):
                    memos += 1
                    coding_lines += len(element.lines)
                elif isinstance(element, AxialTrace):
                    blocks += len(element.blocks)
                    for block in element.blocks:
                        statements.extend(record.interpretation(block).statements)
    verbatim = sum(isinstance(s, Verbatim) for s in statements)
    skipped = sum(isinstance(s, Skipped) for s in statements)
    defined = {name for name, entry in study.codebook.items() if entry.defined}
    return Summary(
        traces=len(study.traces),
        sources=len({t.source_id for t in study.traces if t.source_id}),
        segments=segments,
        quotes=quotes,
        memos=memos,
        coding_lines=coding_lines,
        python_blocks=blocks,
        statements=len(statements),
        interpreted=len(statements) - verbatim - skipped,
        skipped=skipped,
        verbatim=verbatim,
        codes_defined=len(defined),
        codes_undefined=len(used - defined),
        claims=len({(c.source_id, c.code) for t in study.traces for c in t.claims}),
        diagnostics=Counter(str(d.severity) for d in diagnostics),
        triples=triples,
    )
