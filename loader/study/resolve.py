"""Resolve a whole study: one codebook, every name reference, the findings a reviewer asks about.

Names are the study's vocabulary: a code is defined once (`x = CClass(...)`) and then used by
name in later traces, so a study is resolved as a whole, in coding order. A name used but never
defined, defined twice with different labels, or a header that disagrees with its source block
is a diagnostic here, never an exception.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from qualgraph.diagnostics import Diagnostic, error, info, warning
from qualgraph.read.document import AxialTrace, OpenTrace, PythonBlock, Segment, TraceDocument
from qualgraph.read.metamodel import read_link
from qualgraph.read.statements import (
    Alias,
    BareName,
    ClassDefinition,
    CodeListEntry,
    ForceImpact,
    Interpretation,
    LinkStatement,
    NameList,
    OptionLink,
    Statement,
    value_text,
)
from qualgraph.study.model import CONTAINED_CODE, Model

NOT_CODES = {"source", "reference"}
"""Metaclasses whose CClass instances are study metadata, not codes."""

# Open-coding line kinds whose identifiers name codes.
CODE_LINE_KINDS = {"option", "force", "decision", "context", "code", "term", "item"}

TRACE_FILE_NAME = re.compile(r"(?P<kind>[sp])_?(?P<number>\d+)", re.IGNORECASE)
"""Study file names that carry the source id (`s_25`, `p3`); others (the seed's hash) do not."""

HEADER_TO_BLOCK = {
    "title": "title",
    "url": "url",
    "tiny url": "tiny url",
    "archive url": "archive url",
    "source type": "type",
    "author type": "author type",
    "example": "example",
    "source code": "source code",
}


@dataclass(frozen=True)
class TraceRecord:
    """One trace file parsed and interpreted: the input of resolution."""

    document: TraceDocument
    source_block: Interpretation | None
    blocks: Mapping[int, Interpretation]
    """Interpretation of each axial python block, keyed by the block's opening fence line."""

    def interpretation(self, block: PythonBlock) -> Interpretation:
        return self.blocks[block.span.start]


@dataclass(frozen=True)
class Mention:
    """A code named in a segment's traces: evidence that the segment's quotes ground it."""

    code: str
    line: int


@dataclass(frozen=True)
class ClaimRef:
    """A source saying it contains a code (an `add codes to` entry, a `contained_code` link)."""

    source_id: str
    code: str
    line: int
    statement: Statement


@dataclass(frozen=True)
class ResolvedSegment:
    segment: Segment
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class ResolvedTrace:
    record: TraceRecord
    position: int
    source_id: str | None
    slug: str
    segments: tuple[ResolvedSegment, ...]
    claims: tuple[ClaimRef, ...]

    @property
    def document(self) -> TraceDocument:
        return self.record.document


@dataclass
class CodeEntry:
    """The codebook's entry for one identifier.

    The consolidated model's definition, when there is one, is the published code and wins;
    otherwise the last trace definition wins. Every definition is kept, in order."""

    identifier: str
    metaclass: str | None = None
    label: str | None = None
    definitions: list[tuple[str, ClassDefinition]] = field(default_factory=list)
    model_definition: tuple[str, ClassDefinition] | None = None

    @property
    def defined(self) -> bool:
        return bool(self.definitions) or self.model_definition is not None


@dataclass(frozen=True)
class ResolvedStudy:
    traces: tuple[ResolvedTrace, ...]
    codebook: Mapping[str, CodeEntry]
    aliases: Mapping[str, str]
    diagnostics: tuple[Diagnostic, ...]
    model: Model | None = None


def resolve(records: Sequence[TraceRecord], model: Model | None = None) -> ResolvedStudy:
    """Resolve traces given in coding order (and the consolidated model, if any) into a Study."""
    diagnostics: list[Diagnostic] = []
    codebook, aliases = _codebook(records, diagnostics)
    if model is not None:
        _adopt_model(codebook, model)
    slugs = _slugs(records)
    traces = []
    seen_sources: dict[str, str] = {}
    for position, record in enumerate(records, start=1):
        doc = record.document
        source_id = source_identity(record, diagnostics)
        if source_id:
            if source_id in seen_sources:
                kept = f"{source_id}~{position}"
                diagnostics.append(
                    error(
                        doc.name,
                        _id_line(record),
                        "duplicate-source",
                        f"source id {source_id} is also used by {seen_sources[source_id]}; "
                        f"give each trace its own number (read as source {kept} meanwhile, so "
                        "that neither trace's claims are grounded in the other's quotes)",
                    )
                )
                source_id = kept
            else:
                seen_sources[source_id] = doc.name
        segments = tuple(
            ResolvedSegment(segment, tuple(_mentions(record, segment, codebook, aliases)))
            for segment in doc.segments
        )
        claims = tuple(_claims(record, source_id, aliases, diagnostics))
        _check_code_list_labels(record, source_id, diagnostics)
        _check_impacts(record, diagnostics)
        _check_link_roles(record, diagnostics)
        traces.append(
            ResolvedTrace(record, position, source_id, slugs[position - 1], segments, claims)
        )
    _check_references(traces, codebook, diagnostics)
    return ResolvedStudy(tuple(traces), codebook, aliases, tuple(diagnostics), model)


def _adopt_model(codebook: dict[str, CodeEntry], model: Model) -> None:
    """The model's definitions are the published codebook: they set each code's kind and label."""
    for identifier, (file, definition) in model.definitions.items():
        entry = codebook.setdefault(identifier, CodeEntry(identifier))
        entry.model_definition = (file, definition)
        entry.metaclass = definition.metaclass
        entry.label = definition.label


def _slugs(records: Sequence[TraceRecord]) -> list[str]:
    """Document slugs from file stems, made unique when two folders hold the same file name
    (or `s_1.md` sits beside `s_1.txt`): the second is `s_1-2`, or the next number that no
    file's own stem is."""
    stems = [r.document.path.stem if r.document.path else r.document.name for r in records]
    taken = set(stems)
    used: dict[str, int] = {}
    slugs = []
    for stem in stems:
        if stem not in used:
            used[stem] = 1
            slugs.append(stem)
            continue
        while f"{stem}-{used[stem]}" in taken or used[stem] == 1:
            used[stem] += 1
        slug = f"{stem}-{used[stem]}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _axial_statements(record: TraceRecord) -> Iterator[tuple[Segment, Statement]]:
    for segment in record.document.segments:
        for trace in segment.traces:
            if isinstance(trace, AxialTrace):
                for block in trace.blocks:
                    for statement in record.interpretation(block).statements:
                        yield segment, statement


def _codebook(
    records: Sequence[TraceRecord], diagnostics: list[Diagnostic]
) -> tuple[dict[str, CodeEntry], dict[str, str]]:
    codebook: dict[str, CodeEntry] = {}
    aliases: dict[str, str] = {}
    for record in records:
        file = record.document.name
        for _, statement in _axial_statements(record):
            if (
                isinstance(statement, ClassDefinition)
                and statement.metaclass not in NOT_CODES
                and statement.variable
            ):
                _define(codebook, file, statement, diagnostics)
            elif isinstance(statement, Alias):
                aliases[statement.variable] = statement.target
    return codebook, aliases


def _define(
    codebook: dict[str, CodeEntry],
    file: str,
    definition: ClassDefinition,
    diagnostics: list[Diagnostic],
) -> None:
    entry = codebook.setdefault(definition.variable, CodeEntry(definition.variable))
    if entry.definitions:
        first_file, first = entry.definitions[-1]
        where = f"{first_file}:{first.line}"
        if (first.label, first.metaclass) != (definition.label, definition.metaclass):
            diagnostics.append(
                warning(
                    file,
                    definition.line,
                    "conflicting-definition",
                    f"{definition.variable} is redefined as {definition.metaclass} "
                    f"{definition.label!r}; {where} defined it as {first.metaclass} "
                    f"{first.label!r}. Keep one label and kind per code",
                )
            )
        else:
            diagnostics.append(
                info(
                    file,
                    definition.line,
                    "redefinition",
                    f"{definition.variable} is defined again (as at {where})",
                )
            )
    entry.definitions.append((file, definition))
    entry.metaclass = definition.metaclass
    entry.label = definition.label


def follow_alias(name: str, aliases: Mapping[str, str]) -> str:
    """Follow `x = y` aliases to the code they name (cycles stop where they close)."""
    seen = {name}
    while name in aliases and aliases[name] not in seen:
        name = aliases[name]
        seen.add(name)
    return name


def statement_codes(statement: Statement) -> tuple[str, ...]:
    """The identifiers a statement uses as codes, as written."""
    match statement:
        case ClassDefinition(metaclass=metaclass, variable=variable) if (
            metaclass not in NOT_CODES and variable
        ):
            return (variable,)
        case OptionLink(decision=decision, option=option):
            return (decision, option)
        case ForceImpact(solution=solution, force=force):
            return (solution, force)
        case LinkStatement(pairs=pairs, role_name=role) if role != CONTAINED_CODE:
            return tuple(name for pair in pairs for name in pair)
        case LinkStatement(pairs=pairs):
            return tuple(target for _, target in pairs)
        case BareName(name=name) | CodeListEntry(name=name):
            return (name,)
        case Alias(target=target):
            return (target,)
        case NameList(names=names):
            return names
    return ()


def _mentions(
    record: TraceRecord,
    segment: Segment,
    codebook: Mapping[str, CodeEntry],
    aliases: Mapping[str, str],
) -> Iterator[Mention]:
    for trace in segment.traces:
        if isinstance(trace, OpenTrace):
            for line in trace.lines:
                if line.kind in CODE_LINE_KINDS or (line.label is None and line.identifiers):
                    for name in line.identifiers:
                        code = follow_alias(name, aliases)
                        # A lone unlabelled word counts only when it names a known code.
                        if line.label is not None or code in codebook:
                            yield Mention(code, line.line)
        else:
            for block in trace.blocks:
                for statement in record.interpretation(block).statements:
                    for name in statement_codes(statement):
                        yield Mention(follow_alias(name, aliases), statement.line)


def _claims(
    record: TraceRecord,
    source_id: str | None,
    aliases: Mapping[str, str],
    diagnostics: list[Diagnostic],
) -> Iterator[ClaimRef]:
    """Codes the trace's own source claims. Credit goes to the file, not to the label's `sN`."""
    doc = record.document
    for _, statement in _axial_statements(record):
        if isinstance(statement, CodeListEntry) and source_id:
            yield ClaimRef(
                source_id, follow_alias(statement.name, aliases), statement.line, statement
            )
        elif isinstance(statement, LinkStatement) and statement.role_name == CONTAINED_CODE:
            foreign: dict[str, list[str]] = {}
            for claimant, target in statement.pairs:
                if claimant == source_id:
                    yield ClaimRef(
                        source_id, follow_alias(target, aliases), statement.line, statement
                    )
                else:
                    foreign.setdefault(claimant, []).append(target)
            for claimant, targets in foreign.items():
                diagnostics.append(
                    warning(
                        doc.name,
                        statement.line,
                        "foreign-claim",
                        f"add_links credits {len(targets)} codes ({', '.join(targets[:3])}"
                        f"{', ...' if len(targets) > 3 else ''}) to {claimant}, but this trace is "
                        f"{source_id or 'unnumbered'}; not counted as claims (template residue?)",
                    )
                )


CODE_LIST_TARGET = re.compile(r"add codes? to\s+(?P<source>[sp]\d+)\b", re.IGNORECASE)


def _check_code_list_labels(
    record: TraceRecord, source_id: str | None, diagnostics: list[Diagnostic]
) -> None:
    """`add codes to s57:` written in the trace of s56 credits s56, the file's own source (the
    list belongs to the trace it is written in): say so, so the researcher can check."""
    own = source_id.split("~")[0] if source_id else None  # a duplicate's id is `s2~3`
    for segment in record.document.segments:
        for trace in segment.traces:
            if not isinstance(trace, AxialTrace):
                continue
            for block in trace.blocks:
                named = CODE_LIST_TARGET.search(block.label or "") if block.is_code_list else None
                if named is None or own is None or named["source"].lower() == own:
                    continue
                diagnostics.append(
                    info(
                        record.document.name,
                        block.label_line or block.first_line,
                        "code-list-label-differs",
                        f"`{named.string.strip()}` in the trace of {source_id}: its codes are "
                        f"credited to {source_id}, the source whose trace holds the list",
                    )
                )


def _check_link_roles(record: TraceRecord, diagnostics: list[Diagnostic]) -> None:
    """A trace's link whose role name or stereotype the metamodel does not declare would make
    CodeableModels refuse the call; it is read all the same (`metamodel.read_link`), and said."""
    for _, statement in _axial_statements(record):
        if isinstance(statement, LinkStatement):
            reading = read_link(statement.role_name, statement.stereotype)
            if reading.problem is None:
                continue
            kind = reading.kind.value if reading.kind else "plain model"
            diagnostics.append(
                warning(
                    record.document.name,
                    statement.line,
                    "link-not-in-metamodel",
                    f"{reading.problem}; read as a {kind} link in call order",
                )
            )


def _check_impacts(record: TraceRecord, diagnostics: list[Diagnostic]) -> None:
    """One statement giving the same solution→force pair two levels contradicts itself."""
    levels: dict[tuple[int, str, str], str] = {}
    for _, statement in _axial_statements(record):
        if isinstance(statement, ForceImpact):
            key = (statement.line, statement.solution, statement.force)
            previous = levels.setdefault(key, statement.level)
            if previous != statement.level:
                diagnostics.append(
                    warning(
                        record.document.name,
                        statement.line,
                        "conflicting-impact",
                        f"{statement.solution} → {statement.force} has two levels, {previous} and "
                        f"{statement.level}, in one add_force_relations; keep one",
                    )
                )


def _id_line(record: TraceRecord) -> int:
    """The line of the header's source number (`# s` then the number, or `# s25`)."""
    return record.document.source_id_line or 1


def source_identity(record: TraceRecord, diagnostics: list[Diagnostic]) -> str | None:
    """The source a trace is about. The header's number, the file name (`s_34.md`) and the
    source block's variable (`s34 = CClass(source, ...)`) should agree; where the file name and
    the block agree, they win over the header (a header copied from the previous trace is the
    commonest slip); otherwise the header wins; without a header number, the block, then the
    file name. Every disagreement is reported with the lines involved."""
    doc = record.document
    header = doc.source_id
    block = _source_definition(record)
    named = TRACE_FILE_NAME.fullmatch(doc.path.stem if doc.path else "")
    from_name = f"{named['kind']}{named['number']}".lower() if named else None
    from_block = block.variable if block is not None and block.variable else None
    block_line = block.line if block is not None else 0
    if block is None and doc.source_block is not None:
        diagnostics.append(
            warning(
                doc.name,
                doc.source_block.first_line,
                "no-source-definition",
                "the source block holds no CClass(source, ...) that could be read",
            )
        )
    if header is None:
        chosen = from_block or from_name
        if chosen is not None:
            origins = [
                *([f"the source block's variable (line {block_line})"] if from_block else []),
                *([f"the file name {doc.path.name}"] if from_name == chosen else []),
            ]
            diagnostics.append(
                warning(
                    doc.name,
                    1,
                    "inferred-source-id",
                    f"the header gives no source number: read as source {chosen}, from "
                    f"{' and '.join(origins)}",
                )
            )
    elif from_name is not None and from_name == from_block:
        chosen = from_name
        if header != chosen:
            diagnostics.append(
                warning(
                    doc.name,
                    _id_line(record),
                    "source-id-mismatch",
                    f"the header says {header}, but the file name and the source block (line "
                    f"{block_line}) say {chosen}: read as {chosen}; fix the header's number",
                )
            )
    else:
        chosen = header
        if from_name is not None and from_name != header:
            diagnostics.append(
                warning(
                    doc.name,
                    _id_line(record),
                    "source-id-mismatch",
                    f"the header says {header} but the file name says {from_name}",
                )
            )
        if block is not None and from_block != header:
            diagnostics.append(
                warning(
                    doc.name,
                    block.line,
                    "source-id-mismatch",
                    f"the source block defines {block.variable!r} but the header says "
                    f"{header} (line {_id_line(record)}); rename the variable to {header}",
                )
            )
    if block is not None:
        _check_header_values(doc, block, diagnostics)
    return chosen


def _source_definition(record: TraceRecord) -> ClassDefinition | None:
    if record.source_block is None:
        return None
    for statement in record.source_block.statements:
        if isinstance(statement, ClassDefinition) and statement.metaclass == "source":
            return statement
    return None


def _as_text(value: object) -> str:
    return value_text(value).strip()


def _check_header_values(
    doc: TraceDocument, block: ClassDefinition, diagnostics: list[Diagnostic]
) -> None:
    values = dict(block.values)
    header = {key: doc.field(key) for key in HEADER_TO_BLOCK}
    # A swap of source type and author type reads better as one finding than two.
    st, at = header["source type"], header["author type"]
    if (
        st is not None
        and at is not None
        and st.value != at.value
        and _as_text(values.get("type", "")) == at.value
        and _as_text(values.get("author type", "")) == st.value
    ):
        diagnostics.append(
            warning(
                doc.name,
                block.line,
                "header-mismatch",
                f"the source block swaps author type and type: it says author type "
                f"{_as_text(values['author type'])!r} and type {_as_text(values['type'])!r}, "
                f"the header says "
                f"author type {at.value!r} and source type {st.value!r}",
            )
        )
        skip = {"source type", "author type"}
    else:
        skip = set()
    for key, block_key in HEADER_TO_BLOCK.items():
        field_ = header[key]
        if key in skip or field_ is None or block_key not in values or not field_.value:
            continue
        if _as_text(values[block_key]) != field_.value:
            diagnostics.append(
                warning(
                    doc.name,
                    field_.span.start,
                    "header-mismatch",
                    f"header {key} is {field_.value!r} but the source block says "
                    f"{block_key} {_as_text(values[block_key])!r}",
                )
            )


def closest(name: str, defined: Sequence[str]) -> str | None:
    """The defined name a misspelt `name` most likely means (difflib ratio at least 0.8).

    Comparing every undefined name with every defined one is quadratic (4,000 of each took
    160 s), so beyond `EXACT_UP_TO` defined names only the few that share the most rare
    trigrams with `name` are compared (`_NameIndex`); callers pass the same sequence for a
    whole study, and its index is kept for the next call."""
    if len(defined) <= EXACT_UP_TO:
        close = difflib.get_close_matches(name, defined, n=1, cutoff=0.8)
        return close[0] if close else None
    global _index
    if _index is None or _index.defined is not defined:
        _index = _NameIndex(defined)
    return _index.closest(name)


EXACT_UP_TO = 300
"""Up to this many defined names every one is compared (difflib); a real study has ~200."""
_CANDIDATES = 16  # names compared with difflib per lookup beyond EXACT_UP_TO
_POSTINGS = 1_500  # names counted per lookup: rare trigrams first, then stop


class _NameIndex:
    """Defined names by trigram, so a lookup counts shared trigrams over a bounded number of
    names (rarest trigrams first) and compares only the best few with difflib. Names whose
    lengths differ by more than 3:2 cannot reach ratio 0.8 (2·min/(a+b) bounds it) and are
    never candidates, so that filter loses nothing; the trigram cut may miss a match that
    shares no rare trigram, which the exact path below `EXACT_UP_TO` would find."""

    def __init__(self, defined: Sequence[str]) -> None:
        self.defined = defined
        self.names = list(dict.fromkeys(defined))
        self.postings: dict[str, list[int]] = {}
        for number, name in enumerate(self.names):
            for gram in _trigrams(name):
                self.postings.setdefault(gram, []).append(number)

    def closest(self, name: str) -> str | None:
        grams = sorted(
            (g for g in _trigrams(name) if g in self.postings), key=lambda g: len(self.postings[g])
        )
        counts: dict[int, int] = {}
        budget = _POSTINGS
        for gram in grams:
            posting = self.postings[gram]
            if budget < len(posting) and counts:
                break
            budget -= len(posting)
            for number in posting:
                counts[number] = counts.get(number, 0) + 1
        low, high = len(name) * 2 / 3, len(name) * 3 / 2
        ranked = sorted(
            (n for n in counts if low <= len(self.names[n]) <= high),
            key=lambda n: -counts[n],
        )[:_CANDIDATES]
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(name)
        best: tuple[float, str] | None = None
        for number in ranked:
            candidate = self.names[number]
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
                continue
            score = (matcher.ratio(), candidate)
            if score[0] >= 0.8 and (best is None or score > best):
                best = score
        return best[1] if best else None


_index: _NameIndex | None = None


def _trigrams(name: str) -> set[str]:
    padded = f"\0{name}\0"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def undefined_name(file: str, line: int, name: str, hint: str | None) -> Diagnostic:
    message = f"{name} is used but never defined with CClass"
    message += f"; did you mean {hint}?" if hint else "; define it or fix the name"
    return warning(file, line, "undefined-name", message)


def _check_references(
    traces: Sequence[ResolvedTrace],
    codebook: Mapping[str, CodeEntry],
    diagnostics: list[Diagnostic],
) -> None:
    defined = sorted(name for name, entry in codebook.items() if entry.defined)
    suggestions: dict[str, str | None] = {}
    for trace in traces:
        for resolved in trace.segments:
            for mention in resolved.mentions:
                if mention.code in codebook and codebook[mention.code].defined:
                    continue
                if mention.code not in suggestions:
                    suggestions[mention.code] = closest(mention.code, defined)
                diagnostics.append(
                    undefined_name(
                        trace.document.name, mention.line, mention.code, suggestions[mention.code]
                    )
                )
