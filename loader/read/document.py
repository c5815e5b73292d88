"""Typed values passed from `parse` to `interpret` to `resolve`: a trace as the researcher wrote it.

Nothing here knows RDF. Every value carries the file and the lines it came from, so that
later stages can point a researcher back to the exact place in a trace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Span:
    """Lines `start`..`end` (1-based, inclusive) of `file`."""

    file: str
    start: int
    end: int


@dataclass(frozen=True)
class HeaderField:
    """One `## key` field of the header; `value` is the text, stripped, possibly empty."""

    key: str
    value: str
    span: Span


SPEAKER_LABEL = re.compile(
    r"(interviewer|interviewee|moderator|expert(\s+\w{1,3})?)\s*:?", re.IGNORECASE
)


@dataclass(frozen=True)
class Quote:
    """A blockquote of source text. `text` is the quote with `>` markers removed, lines joined by
    newlines; `raw` keeps the lines exactly as written."""

    text: str
    raw: tuple[str, ...]
    span: Span

    @property
    def is_speaker_label(self) -> bool:
        """`> Interviewer`, `>Expert G`: names who speaks next in a transcript, quotes nothing."""
        return SPEAKER_LABEL.fullmatch(self.text.strip()) is not None

    @property
    def is_evidence(self) -> bool:
        """Whether codes can be grounded in this quote: it has text and is not a speaker label."""
        return bool(self.text.strip()) and not self.is_speaker_label


@dataclass(frozen=True)
class Image:
    """A `![alt](url)` figure line between quotes."""

    alt: str
    url: str
    raw: str
    span: Span


@dataclass(frozen=True)
class SourceFence:
    """A fenced block that follows quote text: quoted source material, never interpreted."""

    info: str
    text: str
    span: Span


@dataclass(frozen=True)
class CodingLine:
    """One non-blank body line of an open-coding trace.

    `label` is the label as written (`Familiar options`), or None for an unlabelled line.
    `kind` is the normalised concept (option, force, decision, context, comment, code, term,
    item), `status` is new / familiar / recognised / None, `qualifier` is the parenthesised
    kind of `Option (pattern):`. `values` are the comma-separated values after the colon;
    `identifiers` are those that look like code identifiers (snake_case names)."""

    text: str
    label: str | None
    kind: str | None
    status: str | None
    qualifier: str | None
    values: tuple[str, ...]
    identifiers: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class OpenTrace:
    """An `**OPEN CODING TRACE:**` block (a memo): its marker and body lines."""

    marker: str
    lines: tuple[CodingLine, ...]
    span: Span


@dataclass(frozen=True)
class PythonBlock:
    """A fenced python block of axial coding. `code` is the body as written; `first_line` is the
    file line of its first body line. `label` is the line that introduced it (`added:`,
    `add codes to s25:`), if any; `is_code_list` says it was labelled `add codes to ...`."""

    info: str
    code: str
    first_line: int
    span: Span
    closed: bool
    label: str | None = None
    label_line: int | None = None
    is_code_list: bool = False


@dataclass(frozen=True)
class AxialTrace:
    """An `**AXIAL CODING TRACE:**` block (or a bare `added:` label) with its python blocks."""

    marker: str | None
    blocks: tuple[PythonBlock, ...]
    span: Span
    notes: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Segment:
    """Quotes followed by the researcher's traces about them: the unit of grounding.

    `items` keeps quotes, images and source fences in file order; `traces` keeps open and
    axial traces in file order."""

    index: int
    quotes: tuple[Quote, ...]
    items: tuple[Quote | Image | SourceFence, ...]
    traces: tuple[OpenTrace | AxialTrace, ...]
    span: Span


@dataclass(frozen=True)
class TraceDocument:
    """One trace file as parsed: header, source block, segments, and anything left over.

    `kind`/`number` come from the `# s` / `# p` line and the number on the next line;
    `source_id` is kind + number (`s25`). `extra_lines` are non-blank lines the parser
    kept verbatim because they fit no element (never dropped silently)."""

    path: Path
    name: str
    kind: str | None
    number: str | None
    header: tuple[HeaderField, ...]
    source_block: PythonBlock | None
    segments: tuple[Segment, ...]
    line_count: int
    is_template: bool = False
    coding_line: int | None = None
    extra_lines: tuple[tuple[int, str], ...] = ()
    header_notes: tuple[tuple[int, str], ...] = ()
    source_id_line: int | None = None
    """The line of the source number (None when the header has none)."""

    @property
    def source_id(self) -> str | None:
        if self.kind and self.number:
            return f"{self.kind}{self.number}"
        return None

    def field(self, key: str) -> HeaderField | None:
        for f in self.header:
            if f.key == key:
                return f
        return None
