"""Compare the consolidated model with the traces: the gap a reviewer asks about.

The model is what the paper publishes; the traces are the evidence. Differences are often
codebook evolution rather than mistakes, so most are reported as warnings or notes, each at the
line a researcher would edit.
"""

from __future__ import annotations

from collections.abc import Iterator

from qualgraph.diagnostics import Diagnostic, info, warning
from qualgraph.study.model import Model
from qualgraph.study.resolve import ResolvedStudy, closest, statement_codes, undefined_name


def compare(study: ResolvedStudy, model: Model) -> Iterator[Diagnostic]:
    """Every disagreement between `model` and the traces of `study`."""
    yield from _definitions(study)
    yield from _coverage(study, model)
    yield from _sources(study, model)
    yield from _claimed_names(study, model)


def _definitions(study: ResolvedStudy) -> Iterator[Diagnostic]:
    """A code the model labels or classifies differently from its last trace definition."""
    for identifier, entry in sorted(study.codebook.items()):
        if entry.model_definition is None or not entry.definitions:
            continue
        file, final = entry.model_definition
        trace_file, traced = entry.definitions[-1]
        changes = []
        if traced.metaclass != final.metaclass:
            changes.append(f"kind {traced.metaclass} → {final.metaclass}")
        if traced.label != final.label:
            changes.append(f"label {traced.label!r} → {final.label!r}")
        if changes:
            yield warning(
                file,
                final.line,
                "model-differs",
                f"{identifier}: the model changes its {' and '.join(changes)} "
                f"(last trace definition at {trace_file}:{traced.line})",
            )


def _mentioned_in_traces(study: ResolvedStudy) -> set[str]:
    return {m.code for t in study.traces for s in t.segments for m in s.mentions}


def _coverage(study: ResolvedStudy, model: Model) -> Iterator[Diagnostic]:
    """Codes only the model knows, and trace codes the model dropped."""
    mentioned = _mentioned_in_traces(study)
    for identifier, (file, definition) in sorted(model.definitions.items()):
        if identifier not in mentioned:
            yield info(
                file,
                definition.line,
                "model-only-code",
                f"{identifier} is in the model but no trace mentions it",
            )
    for identifier, entry in sorted(study.codebook.items()):
        if entry.definitions and entry.model_definition is None:
            file, definition = entry.definitions[-1]
            yield info(
                file,
                definition.line,
                "dropped-by-model",
                f"{identifier} is defined in the traces but the consolidated model drops it",
            )


def _sources(study: ResolvedStudy, model: Model) -> Iterator[Diagnostic]:
    traced = {t.source_id: t for t in study.traces if t.source_id}
    for source_id, (file, definition) in sorted(model.sources.items()):
        if source_id not in traced:
            yield warning(
                file,
                definition.line,
                "source-without-trace",
                f"the model defines {source_id} but no trace has it",
            )
    for source_id, trace in traced.items():
        if source_id not in model.sources:
            yield warning(
                trace.document.name,
                1,
                "trace-without-source",
                f"{source_id} has a trace but the model does not define it",
            )


def _claimed_names(study: ResolvedStudy, model: Model) -> Iterator[Diagnostic]:
    """Names in the model's statements that nothing defines, with the closest defined name."""
    defined = sorted(name for name, entry in study.codebook.items() if entry.defined)
    known = set(defined) | set(model.sources) | set(model.lists)
    for model_file in model.files:
        for statement in model_file.interpretation.statements:
            for name in statement_codes(statement):
                if name in known:
                    continue
                yield undefined_name(model_file.name, statement.line, name, closest(name, defined))
