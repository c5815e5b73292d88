"""Per source: which claimed codes the source's own quotes ground, and which they do not.

This is the table a reviewer asks for ("where in your data does this code come from?") and
the appendix a paper can print. A claim comes from an `add codes to` list in the trace or from
the consolidated model; it is grounded when a segment of that same source's trace has at least
one non-empty quote and names the code in its traces.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from qualgraph.study.load import natural_key
from qualgraph.study.resolve import ResolvedStudy


@dataclass(frozen=True)
class SourceEvidence:
    source_id: str
    kind_of: dict[str, str]
    claimed: frozenset[str]
    grounded: frozenset[str]
    claimed_by_model: frozenset[str]
    claimed_in_trace: frozenset[str]

    @property
    def ungrounded(self) -> frozenset[str]:
        return self.claimed - self.grounded

    def ungrounded_by_kind(self) -> dict[str, list[str]]:
        kinds: dict[str, list[str]] = defaultdict(list)
        for code in sorted(self.ungrounded):
            kinds[self.kind_of.get(code, "undefined")].append(code)
        return dict(sorted(kinds.items()))


@dataclass(frozen=True)
class EvidenceReport:
    sources: tuple[SourceEvidence, ...]

    @property
    def claims(self) -> int:
        return sum(len(s.claimed) for s in self.sources)

    @property
    def grounded(self) -> int:
        return sum(len(s.grounded) for s in self.sources)

    @property
    def ungrounded(self) -> int:
        return self.claims - self.grounded

    def ungrounded_by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for source in self.sources:
            for kind, codes in source.ungrounded_by_kind().items():
                counts[kind] += len(codes)
        return dict(sorted(counts.items()))


def evidence_report(study: ResolvedStudy) -> EvidenceReport:
    """Claimed, grounded and ungrounded codes for every source that claims anything."""
    in_trace: dict[str, set[str]] = defaultdict(set)
    by_model: dict[str, set[str]] = defaultdict(set)
    grounded: dict[str, set[str]] = defaultdict(set)
    for trace in study.traces:
        if not trace.source_id:
            continue
        for claim in trace.claims:
            in_trace[claim.source_id].add(claim.code)
        for resolved in trace.segments:
            if any(quote.is_evidence for quote in resolved.segment.quotes):
                grounded[trace.source_id].update(m.code for m in resolved.mentions)
    if study.model is not None:
        for model_claim in study.model.claims:
            code = model_claim.code
            by_model[model_claim.source_id].add(study.aliases.get(code, code))
    kinds = {name: entry.metaclass or "undefined" for name, entry in study.codebook.items()}
    sources = []
    for source_id in sorted(set(in_trace) | set(by_model), key=natural_key):
        claimed = in_trace[source_id] | by_model[source_id]
        sources.append(
            SourceEvidence(
                source_id,
                {code: kinds.get(code, "undefined") for code in claimed},
                frozenset(claimed),
                frozenset(claimed & grounded[source_id]),
                frozenset(by_model[source_id]),
                frozenset(in_trace[source_id]),
            )
        )
    return EvidenceReport(tuple(sources))
