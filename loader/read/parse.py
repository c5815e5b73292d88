"""Markdown trace file → `TraceDocument`: header, source block, segments of quotes and traces.

Traces are hand-written Markdown full of irregularities (`../shared/TRACE-FORMAT.md`), so this
is a tolerant line scanner, not a Markdown library: it never raises, it keeps every non-blank
line somewhere (an element, `header_notes` or `extra_lines`), and it reports what it had to
guess as `Diagnostic`s. It reads each line once and never looks inside the python it collects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from qualgraph.diagnostics import Diagnostic, info, warning
from qualgraph.read import controls
from qualgraph.read.document import (
    AxialTrace,
    CodingLine,
    HeaderField,
    Image,
    OpenTrace,
    PythonBlock,
    Quote,
    Segment,
    SourceFence,
    Span,
    TraceDocument,
)
from qualgraph.read.files import read_text

__all__ = ["parse_text", "parse_trace"]

LineKind = Literal["blank", "fence", "heading", "open", "axial", "image", "label", "quote", "text"]

_KIND_LINE = re.compile(r"#[ \t]+([sp])[ \t]*(\d*)")
# The url may hold spaces (traces/s_48.md:41) and lose its ")" (traces/s_41.md:60).
_IMAGE = re.compile(r"!\[(.*)\]\((.*?)\)?")
_LABEL = re.compile(r"(?:added|add|add codes? to(?:[ \t]+\w+)?)[ \t]*:?", re.IGNORECASE)
_CODE_LIST_LABEL = re.compile(r"add codes? to\b", re.IGNORECASE)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INLINE_TAG = re.compile(r"</?[A-Za-z]+>")

_MARKERS = {
    "OPEN CODING TRACE": "open",
    "OPEN CODING": "open",
    "AXIAL CODING TRACE": "axial",
    "AXIAL CODING": "axial",
}
_STATUSES = {
    "new": "new",
    "familiar": "familiar",
    "recognised": "recognised",
    "recognized": "recognised",
    "reoccurring": "recognised",
}
_KINDS = {
    noun + suffix: noun
    for noun in ("option", "force", "decision", "context", "comment", "code", "term", "item")
    for suffix in ("", "s")
}
_MAX_LABEL_WORDS = 4


# -- public API --------------------------------------------------------------------------------


Parsed = tuple[TraceDocument, tuple[Diagnostic, ...]]


def parse_trace(path: Path, file: str | None = None) -> Parsed:
    """Read and parse one trace file; `file` (default: the path) names it in spans and diagnostics.

    Bytes that are not UTF-8 are replaced and reported instead of aborting the whole study."""
    name = str(path) if file is None else file
    text, decoding = read_text(path, name)
    document, diagnostics = parse_text(text, name, path)
    return document, (*decoding, *diagnostics)


def parse_text(text: str, file: str, path: Path | None = None) -> Parsed:
    """Parse the text of one trace; never raises, whatever the text."""
    lines = _split_lines(text)
    diagnostics: list[Diagnostic] = []
    if controls.NOT_XML.search(text):
        diagnostics.extend(controls.find(lines, file))
    header, coding_start = _HeaderReader(lines, file, diagnostics).read()
    coding = _CodingReader(lines, file, diagnostics)
    coding.read(coding_start)
    # A kind line without a number is the empty template (traces/s_.md); with a title it is
    # a real trace that lost its number.
    # Only a file with nothing beyond the template's own lines is a template: a trace that lost
    # its number line and has no title still has quotes or coding, which must not vanish.
    is_template = (
        header.kind is not None
        and header.number is None
        and not header.value("title")
        and not _has_content(coding.segments, coding.extra_lines)
    )
    if is_template:
        message = "looks like the empty trace template; skipped"
        diagnostics.insert(0, info(file, 1, "template", message))
    elif header.kind is None or header.number is None:
        diagnostics.insert(
            0,
            warning(
                file,
                1 if lines else 0,
                "missing-source-id",
                "no source id: start the trace with `# s` or `# p` and put the source number "
                "on the next line",
            ),
        )
    document = TraceDocument(
        path=path if path is not None else Path(file),
        name=file,
        kind=header.kind,
        number=header.number,
        source_id_line=header.number_line,
        header=tuple(header.fields),
        source_block=header.source_block,
        segments=tuple(coding.segments),
        line_count=len(lines),
        is_template=is_template,
        coding_line=header.coding_line,
        extra_lines=tuple(coding.extra_lines),
        header_notes=tuple(header.notes),
    )
    return document, tuple(diagnostics)


def _has_content(segments: list[Segment], extra_lines: list[tuple[int, str]]) -> bool:
    """Whether the coding part holds anything the empty template does not: a quote, image or
    quoted fence, a kept line, or an open-coding line with a value."""
    return bool(extra_lines) or any(
        segment.items
        or any(
            line.values
            for trace in segment.traces
            if isinstance(trace, OpenTrace)
            for line in trace.lines
        )
        for segment in segments
    )


# -- lines -------------------------------------------------------------------------------------


def _split_lines(text: str) -> list[str]:
    """Lines without their ends. Only "\\n" (and "\\r\\n") end a line, so form feeds or U+2028
    pasted into a quote do not shift the line numbers that editors show."""
    lines = text.removeprefix("\ufeff").split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _fence_opening(line: str) -> tuple[int, str] | None:
    """(backtick count, info word) when `line` opens a fence: ≥3 backticks, indent ≤ 3."""
    body = line.lstrip(" ")
    if _indent(line) > 3 or not body.startswith("```"):
        return None
    ticks = len(body) - len(body.lstrip("`"))
    info_string = body[ticks:].strip()
    if "`" in info_string:
        return None  # inline code such as ```x```, not a fence
    return ticks, (info_string.split()[0] if info_string else "")


def _closes_fence(line: str, ticks: int) -> bool:
    body = line.strip()
    return _indent(line) <= 3 and len(body) >= ticks and body == "`" * len(body)


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading. `#2 Explain…` and `#added:` are not headings."""
    body = line.lstrip(" ")
    level = len(body) - len(body.lstrip("#"))
    rest = body[level:]
    if _indent(line) > 3 or not 1 <= level <= 6 or (rest and rest[0] not in " \t"):
        return None
    return level, rest.strip()


def _marker(line: str) -> str | None:
    """ "open" / "axial" for a `**OPEN CODING TRACE:**`-style marker, also one written inside a
    quote. Upper case only, so a quoted sentence about "**Open coding**" stays quote text."""
    text = line.strip()
    if text.startswith(">"):
        text = text[1:].lstrip()
    end = text.find("**", 2)
    if not text.startswith("**") or end < 0:
        return None
    return _MARKERS.get(" ".join(text[2:end].replace(":", " ").split()))


def _image(line: str) -> re.Match[str] | None:
    return _IMAGE.fullmatch(line.strip())


def _is_label(line: str) -> bool:
    """`added:`, `add`, `add codes to s25:`, `Add code to s32`: the line that introduces a fence."""
    return _LABEL.fullmatch(line.strip()) is not None


def _is_quote(line: str) -> bool:
    return _indent(line) <= 3 and line.lstrip(" ").startswith(">")


_NOT_PLAIN_START = frozenset("`#*>!aA")
"""First characters of every line kind but text (`add…` labels start with a or A)."""


def _classify(line: str) -> LineKind:
    """What a line outside a fence is: `_classify_fully`, with a shortcut for the commonest
    lines, which their first character decides (a large study has millions of them)."""
    body = line.lstrip(" ")
    first = body[:1]
    if first == ">" and len(line) - len(body) <= 3 and not body[1:].lstrip().startswith("**"):
        return "quote"
    if first and first not in _NOT_PLAIN_START and not first.isspace():
        return "text"
    return _classify_fully(line)


def _classify_fully(line: str) -> LineKind:
    """What a line outside a fence is. Markers are tested before quotes (`> **OPEN CODING
    TRACE:**` is a marker) and before labels, so that quoted text is never taken for either."""
    if not line.strip():
        return "blank"
    if _fence_opening(line):
        return "fence"
    if _heading(line):
        return "heading"
    marker = _marker(line)
    if marker == "open":
        return "open"
    if marker == "axial":
        return "axial"
    if _image(line):
        return "image"
    if _is_label(line):
        return "label"
    if _is_quote(line):
        return "quote"
    return "text"


def _is_coding_heading(line: str) -> bool:
    heading = _heading(line)
    return heading is not None and heading[0] == 1 and heading[1].lower() == "coding"


# -- fences ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fence:
    """A fenced block as read: 0-based line indexes of the opening line and of the last line."""

    info: str
    opening: int
    last: int
    body: tuple[str, ...]
    closed: bool


def _python_block(fence: _Fence, file: str, label: tuple[int, str] | None) -> PythonBlock:
    label_line, label_text = label if label else (None, None)
    return PythonBlock(
        info=fence.info,
        code="\n".join(fence.body),
        first_line=fence.opening + 2,
        span=Span(file, fence.opening + 1, fence.last + 1),
        closed=fence.closed,
        label=label_text,
        label_line=label_line,
        is_code_list=label_text is not None and _CODE_LIST_LABEL.match(label_text) is not None,
    )


class _Reader:
    """What both readers share: the lines, the file's display name and the diagnostics."""

    def __init__(self, lines: list[str], file: str, diagnostics: list[Diagnostic]) -> None:
        self.lines, self.file, self.diagnostics = lines, file, diagnostics

    def _info(self, line: int, code: str, message: str) -> None:
        self.diagnostics.append(info(self.file, line, code, message))

    def _read_fence(self, start: int) -> _Fence:
        """Read the fence opening at index `start` up to its closing line, or to the end."""
        opening = _fence_opening(self.lines[start])
        assert opening is not None, "only called on a line classified as a fence"
        ticks, info_word = opening
        lines = self.lines
        for end in range(start + 1, len(lines)):
            if _closes_fence(lines[end], ticks):
                return _Fence(info_word, start, end, tuple(lines[start + 1 : end]), True)
        message = "fence is never closed; it runs to the end of the file"
        self.diagnostics.append(warning(self.file, start + 1, "unclosed-fence", message))
        return _Fence(info_word, start, len(lines) - 1, tuple(lines[start + 1 :]), False)


# -- header ------------------------------------------------------------------------------------


@dataclass
class _Header:
    kind: str | None = None
    number: str | None = None
    number_line: int | None = None
    fields: list[HeaderField] = field(default_factory=list)
    source_block: PythonBlock | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)
    coding_line: int | None = None

    def value(self, key: str) -> str:
        return next((f.value for f in self.fields if f.key == key), "")


class _HeaderReader(_Reader):
    """Reads the kind line, the number, the `## key` fields and the source block.

    The header ends at the first `# coding` outside a fence. Without one (traces/s_42.md) it
    ends at the first quote or OPEN marker, or at the first AXIAL marker, image or label after
    the source block: before it, an AXIAL marker is the source block's own marker."""

    def __init__(self, lines: list[str], file: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(lines, file, diagnostics)
        self.header = _Header()
        self.field: tuple[str, int, list[tuple[int, str]]] | None = None  # key, line, values
        self.marker: tuple[int, str] | None = None  # an AXIAL marker waiting for its fence

    def read(self) -> tuple[_Header, int]:
        """The header and the 0-based index of the first line of the coding part."""
        lines, i = self.lines, self._read_kind_and_number()
        while i < len(lines):
            line, kind = lines[i], _classify(lines[i])
            if kind == "blank":
                i += 1
                continue
            if _is_coding_heading(line):
                self._finish()
                self.header.coding_line = i + 1
                return self.header, i + 1
            if kind in ("quote", "open") or (
                self.header.source_block is not None and kind in ("axial", "image", "label")
            ):
                self._finish()
                self._info(i + 1, "no-coding-heading", "no `# coding`; the coding part starts here")
                return self.header, i
            i = self._read_line(i, kind)
        self._finish()
        self._info(len(lines), "no-coding-heading", "no `# coding` heading and no quotes or traces")
        return self.header, len(lines)

    def _read_kind_and_number(self) -> int:
        """`# s` / `# p` on the first non-blank line, the number on the same or the next non-blank
        line. Returns the index of the first line not consumed."""
        i = self._skip_blank(0)
        match = _KIND_LINE.fullmatch(self.lines[i].strip()) if i < len(self.lines) else None
        if match is None:
            return i
        self.header.kind, number = match.group(1), match.group(2)
        if number:
            self.header.number, self.header.number_line = number, i + 1
            return i + 1
        i = self._skip_blank(i + 1)
        if i < len(self.lines) and self.lines[i].strip().isdigit():
            self.header.number, self.header.number_line = self.lines[i].strip(), i + 1
            return i + 1
        return i

    def _skip_blank(self, i: int) -> int:
        while i < len(self.lines) and not self.lines[i].strip():
            i += 1
        return i

    def _read_line(self, i: int, kind: LineKind) -> int:
        """Read one non-blank header line (a whole fence if it opens one); return the next index."""
        line = self.lines[i]
        if kind == "fence":
            return self._header_fence(i)
        self._flush_marker()
        heading = _heading(line)
        if heading is not None:
            self._finish()
            level, text = heading
            if level == 2:
                self.field = (text.lower(), i + 1, [])
            else:
                self.header.notes.append((i + 1, line))
        elif kind == "axial":
            self._finish()
            self.marker = (i + 1, line.strip())
        elif self.field is not None:
            self.field[2].append((i + 1, line.strip()))
        else:
            self.header.notes.append((i + 1, line))
        return i + 1

    def _header_fence(self, i: int) -> int:
        """The first python fence is the source block; any other header fence is kept as notes."""
        self._finish()
        fence = self._read_fence(i)
        if self.header.source_block is None and fence.info.lower() == "python":
            self.header.source_block = _python_block(fence, self.file, self.marker)
            self.marker = None
        else:
            self._flush_marker()
            self.header.notes.extend(
                (n + 1, self.lines[n]) for n in range(i, fence.last + 1) if self.lines[n].strip()
            )
        return fence.last + 1

    def _flush_marker(self) -> None:
        """A marker not followed by a fence labels nothing; keep it as a note."""
        if self.marker is not None:
            self.header.notes.append(self.marker)
            self.marker = None

    def _finish(self) -> None:
        """Close the field being read, if any."""
        if self.field is None:
            return
        key, line, values = self.field
        end = values[-1][0] if values else line
        value = "\n".join(text for _, text in values)
        self.header.fields.append(HeaderField(key, value, Span(self.file, line, end)))
        self.field = None


# -- coding part -------------------------------------------------------------------------------


@dataclass
class _OpenBuilder:
    marker: str
    start: int
    lines: list[CodingLine] = field(default_factory=list)

    def build(self, file: str) -> OpenTrace:
        end = self.lines[-1].line if self.lines else self.start
        return OpenTrace(self.marker, tuple(self.lines), Span(file, self.start, end))


@dataclass
class _AxialBuilder:
    marker: str | None
    start: int
    end: int
    blocks: list[PythonBlock] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    label: tuple[int, str] | None = None  # a label waiting for its fence

    def note(self, line: int, text: str) -> None:
        self.notes.append((line, text))
        self.end = line

    def set_label(self, line: int, text: str) -> None:
        """A label labels the next fence; one followed by another label labelled nothing."""
        if self.label is not None:
            self.note(*self.label)
        self.label = (line, text)
        self.end = line

    def build(self, file: str) -> AxialTrace:
        if self.label is not None:
            self.note(*self.label)
        span = Span(file, self.start, self.end)
        return AxialTrace(self.marker, tuple(self.blocks), span, tuple(self.notes))


class _CodingReader(_Reader):
    """Reads the coding part into segments: items (quotes, images, source fences) followed by
    the traces (open, axial) written about them. At most one quote or trace is open at a time."""

    def __init__(self, lines: list[str], file: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(lines, file, diagnostics)
        self.segments: list[Segment] = []
        self.extra_lines: list[tuple[int, str]] = []
        self.items: list[Quote | Image | SourceFence] = []
        self.traces: list[OpenTrace | AxialTrace] = []
        self.quote_start: int | None = None  # 0-based index of the open quote's first line
        self.trace: _OpenBuilder | _AxialBuilder | None = None
        self.handlers: dict[LineKind, Callable[[int], int]] = {
            "blank": lambda i: i + 1,
            "fence": self._fence,
            "heading": self._heading,
            "open": self._open_marker,
            "axial": self._axial_marker,
            "image": self._image,
            "label": self._label,
            "quote": self._quote,
            "text": self._text,
        }

    def read(self, start: int) -> None:
        i = start
        while i < len(self.lines):
            kind = _classify(self.lines[i])
            if self.quote_start is not None:
                if kind in ("text", "quote"):  # lazy continuation, or a `>` line of the same quote
                    i += 1
                    continue
                self._close_quote(i)
            i = self.handlers[kind](i)
        if self.quote_start is not None:
            self._close_quote(len(self.lines))
        self._close_trace()
        self._close_segment()

    # Each handler reads the element starting at line index `i` and returns the next index.

    def _quote(self, i: int) -> int:
        self._close_trace()
        self.quote_start = i
        return i + 1

    def _image(self, i: int) -> int:
        self._close_trace()
        match = _image(self.lines[i])
        assert match is not None, "only called on a line classified as an image"
        self._add_item(Image(match.group(1), match.group(2), self.lines[i], self._span(i, i)))
        return i + 1

    def _open_marker(self, i: int) -> int:
        self._close_trace()
        self.trace = _OpenBuilder(self.lines[i].strip(), i + 1)
        return i + 1

    def _axial_marker(self, i: int) -> int:
        self._close_trace()
        self.trace = _AxialBuilder(self.lines[i].strip(), i + 1, i + 1)
        return i + 1

    def _label(self, i: int) -> int:
        """A label outside an axial trace opens one without a marker (traces/s_42.md:66)."""
        if not isinstance(self.trace, _AxialBuilder):
            self._close_trace()
            self.trace = _AxialBuilder(None, i + 1, i + 1)
        self.trace.set_label(i + 1, self.lines[i].strip())
        return i + 1

    def _fence(self, i: int) -> int:
        """Inside an axial trace a fence is coding; anywhere else it is quoted source material."""
        fence = self._read_fence(i)
        if isinstance(self.trace, _AxialBuilder):
            axial = self.trace
            axial.blocks.append(_python_block(fence, self.file, axial.label))
            axial.label, axial.end = None, fence.last + 1
            return fence.last + 1
        if isinstance(self.trace, _OpenBuilder):
            message = "fence after an open trace with no AXIAL marker or label; kept as source"
            self._info(i + 1, "unlabelled-fence", message)
        self._close_trace()
        text = "\n".join(fence.body)
        self._add_item(SourceFence(fence.info, text, self._span(fence.opening, fence.last)))
        return fence.last + 1

    def _heading(self, i: int) -> int:
        """A later `# coding` is only a separator; any other heading is kept as an extra line."""
        self._close_trace()
        if _is_coding_heading(self.lines[i]):
            self._info(i + 1, "repeated-coding-heading", "`# coding` again; read as a separator")
        else:
            self._extra(i)
        return i + 1

    def _text(self, i: int) -> int:
        """Plain text is an open-trace body line, an axial note, or an extra line."""
        line = self.lines[i]
        if isinstance(self.trace, _OpenBuilder):
            self.trace.lines.append(_coding_line(line, i + 1))
        elif isinstance(self.trace, _AxialBuilder):
            self.trace.note(i + 1, line)
        else:
            self._extra(i)
        return i + 1

    def _extra(self, i: int) -> None:
        """Keep a line that fits no element; report once per paragraph, not once per line."""
        if not self.extra_lines or self.extra_lines[-1][0] != i:
            message = "text outside any quote or trace; kept as an extra line (quote it with `>`?)"
            self._info(i + 1, "unquoted-text", message)
        self.extra_lines.append((i + 1, self.lines[i]))

    def _close_quote(self, end: int) -> None:
        """Close the quote whose lines run from `quote_start` up to (excluding) index `end`."""
        assert self.quote_start is not None
        raw = tuple(self.lines[self.quote_start : end])
        text = "\n".join(_unquote(line) for line in raw)
        self._add_item(Quote(text, raw, self._span(self.quote_start, end - 1)))
        self.quote_start = None

    def _close_trace(self) -> None:
        trace, self.trace = self.trace, None
        if isinstance(trace, _OpenBuilder):
            if not trace.lines:
                self._info(trace.start, "empty-open-trace", "open-coding trace with no text")
            self.traces.append(trace.build(self.file))
        elif isinstance(trace, _AxialBuilder):
            if not trace.blocks:
                message = "axial-coding trace with no python block"
                self._info(trace.start, "empty-axial-trace", message)
            self.traces.append(trace.build(self.file))

    def _add_item(self, item: Quote | Image | SourceFence) -> None:
        """An item after a trace starts the next segment."""
        if self.traces:
            self._close_segment()
        self.items.append(item)

    def _close_segment(self) -> None:
        if not self.items and not self.traces:
            return
        first = self.items[0] if self.items else self.traces[0]
        last = self.traces[-1] if self.traces else self.items[-1]
        self.segments.append(
            Segment(
                index=len(self.segments) + 1,
                quotes=tuple(item for item in self.items if isinstance(item, Quote)),
                items=tuple(self.items),
                traces=tuple(self.traces),
                span=Span(self.file, first.span.start, last.span.end),
            )
        )
        self.items, self.traces = [], []

    def _span(self, first: int, last: int) -> Span:
        """Span of the 0-based line indexes `first`..`last`."""
        return Span(self.file, first + 1, last + 1)


def _unquote(line: str) -> str:
    """A quote line without its `>` marker and one following space; lazy lines stay as they are."""
    if _is_quote(line):
        line = line.lstrip(" ")[1:]
        line = line.removeprefix(" ")
    return line.rstrip()


# -- open-coding lines -------------------------------------------------------------------------


def _coding_line(raw: str, line: int) -> CodingLine:
    """Split `Familiar options: a, b` into label, status, kind, qualifier, values, identifiers."""
    text = raw.strip()
    plain = _plain(text)
    head, colon, tail = plain.partition(":")
    if not colon or (tail and not tail[0].isspace()) or not _looks_like_label(head):
        return CodingLine(text, None, None, None, None, (text,), _identifier_list(plain), line)
    label = head.strip()
    status, kind, qualifier = _read_label(label)
    values = tuple(value.strip() for value in tail.split(",") if value.strip())
    identifiers = tuple(value for value in values if _is_identifier(value))
    return CodingLine(text, label, kind, status, qualifier, values, identifiers, line)


def _plain(text: str) -> str:
    """Without the list bullet and inline tags of the template (`- <ins>Option: </ins>`)."""
    text = _INLINE_TAG.sub("", text).strip()
    if text[:2] in ("- ", "* "):
        text = text[2:].lstrip()
    return text


def _looks_like_label(head: str) -> bool:
    """A short phrase of letters, spaces and parentheses: `Familiar options`, `Option (pattern)`."""
    words = head.split()
    letters = head.replace(" ", "").replace("(", "").replace(")", "")
    return 0 < len(words) <= _MAX_LABEL_WORDS and (not letters or letters.isalpha())


def _read_label(label: str) -> tuple[str | None, str | None, str | None]:
    """(status, kind, qualifier) of a label: `Recognized codes` → (recognised, code, None)."""
    before, _, after = label.partition("(")
    inside, _, rest = after.partition(")")
    qualifier = inside.strip().lower() or None
    words = (before + " " + rest).lower().split()
    status = _STATUSES.get(words[0]) if words else None
    if status is not None:
        words = words[1:]
    if not words:
        return status, None, qualifier
    return status, _KINDS.get(words[0], " ".join(words)), qualifier


def _is_identifier(value: str) -> bool:
    """A code name: `end_to_end`, `reuse`, `mdm`; not `Security`, `Raw data` or `CDC`."""
    return _IDENTIFIER.fullmatch(value) is not None and ("_" in value or value.islower())


def _identifier_list(text: str) -> tuple[str, ...]:
    """The identifiers of an unlabelled line that is nothing but identifiers (`a, b_c,`)."""
    values = [value.strip() for value in text.split(",") if value.strip()]
    if values and all(_is_identifier(value) for value in values):
        return tuple(values)
    return ()
