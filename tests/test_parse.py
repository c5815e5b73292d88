"""Tests for qualgraph.read.parse: the seed, one small fixture per irregularity, and the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualgraph.diagnostics import Severity
from qualgraph.read.document import (
    AxialTrace,
    CodingLine,
    Image,
    OpenTrace,
    PythonBlock,
    Quote,
    SourceFence,
    Span,
    TraceDocument,
)
from qualgraph.read.parse import _classify, _classify_fully, parse_text, parse_trace

from .conftest import CORPUS, FIXTURES, SEED

PARSE = FIXTURES / "parse"


def parse_fixture(name: str) -> tuple[TraceDocument, tuple]:
    return parse_trace(PARSE / name, name)


def quotes(doc: TraceDocument) -> list[Quote]:
    return [quote for segment in doc.segments for quote in segment.quotes]


def traces(doc: TraceDocument, kind: type) -> list:
    return [t for segment in doc.segments for t in segment.traces if isinstance(t, kind)]


def blocks(doc: TraceDocument) -> list[PythonBlock]:
    return [block for axial in traces(doc, AxialTrace) for block in axial.blocks]


def codes(diagnostics: tuple) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in diagnostics]


def coding_line(text: str, line: int, **fields) -> CodingLine:
    """An expected CodingLine; unlabelled unless fields say otherwise."""
    unlabelled = dict(label=None, kind=None, status=None, qualifier=None, identifiers=())
    return CodingLine(text=text, line=line, **(unlabelled | {"values": (text,)} | fields))


# -- the seed ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[TraceDocument, tuple]:
    return parse_trace(SEED, "seed.txt")


def test_seed_identity(seed):
    doc, diagnostics = seed
    assert (doc.kind, doc.number, doc.source_id) == ("s", "25", "s25")
    assert doc.name == "seed.txt" and doc.path == SEED
    assert doc.line_count == 138
    assert doc.coding_line == 33
    assert not doc.is_template
    assert doc.extra_lines == () and doc.header_notes == ()
    assert diagnostics == ()


def test_seed_header(seed):
    doc, _ = seed
    assert [(f.key, f.value) for f in doc.header] == [
        (
            "url",
            "https://blog.insightdatascience.com/"
            "an-introduction-to-the-data-product-management-landscape-ef930afe6de5",
        ),
        ("tiny url", "https://tinyurl.com/data-as-a-product-s25"),
        ("archive url", "https://bit.ly/data-as-a-product-s25"),
        ("title", "An Introduction to the Data Product Management Landscape"),
        ("source code", "no"),
        ("example", "no"),
        ("source type", "Practitioner Audience Article"),
        ("author type", "Practitioner"),
        ("references", ""),
    ]
    assert doc.field("title").span == Span("seed.txt", 9, 10)
    assert doc.field("references").span == Span("seed.txt", 19, 19)


def test_seed_source_block(seed):
    block = seed[0].source_block
    assert block.code.startswith('s = CClass(source, "s", values={\n    "title": ')
    assert block.code.endswith('"source code": False})')
    assert (block.first_line, block.span, block.closed) == (23, Span("seed.txt", 22, 31), True)
    assert (block.label, block.label_line) == ("**AXIAL CODING TRACE**: source and references", 21)
    assert block.info == "python" and not block.is_code_list


def test_seed_quotes(seed):
    doc, _ = seed
    lines = SEED.read_text(encoding="utf-8").split("\n")
    quote_lines = [n for n, line in enumerate(lines, start=1) if line.startswith(">")]
    found = quotes(doc)
    assert len(found) == len(quote_lines) == 11
    assert [quote.span.start for quote in found] == quote_lines
    assert found[0].text == "An Introduction to the Data Product Management Landscape"
    assert found[0].raw == ("> An Introduction to the Data Product Management Landscape",)
    long_quote = found[1]
    assert long_quote.span == Span("seed.txt", 37, 43)
    assert long_quote.raw == tuple(lines[36:43])
    assert len(long_quote.text.split("\n")) == 7
    assert long_quote.text.startswith("While companies have been building data products")
    assert long_quote.text.split("\n")[1].startswith("Animal classification algorithms")


def test_seed_open_traces(seed):
    found = traces(seed[0], OpenTrace)
    assert [trace.span for trace in found] == [
        Span("seed.txt", 55, 58),
        Span("seed.txt", 102, 104),
        Span("seed.txt", 121, 123),
    ]
    assert all(trace.marker == "**OPEN CODING TRACE:**" for trace in found)
    assert found[0].lines == (
        coding_line(
            "Familiar option: end_to_end",
            57,
            label="Familiar option",
            kind="option",
            status="familiar",
            values=("end_to_end",),
            identifiers=("end_to_end",),
        ),
        coding_line(
            "New option: maintaining_source_of_truth",
            58,
            label="New option",
            kind="option",
            status="new",
            values=("maintaining_source_of_truth",),
            identifiers=("maintaining_source_of_truth",),
        ),
    )
    assert found[1].lines == (
        coding_line(
            "Familiar force: reuse, time_to_market",
            104,
            label="Familiar force",
            kind="force",
            status="familiar",
            values=("reuse", "time_to_market"),
            identifiers=("reuse", "time_to_market"),
        ),
    )
    assert found[2].lines[0].label == "Familiar options"
    assert found[2].lines[0].identifiers == ("data_catalogue", "discovery_port")


def test_seed_axial_blocks(seed):
    found = blocks(seed[0])
    assert [(b.label, b.label_line, b.span.start, b.span.end, b.first_line) for b in found] == [
        ("added:", 61, 62, 67, 63),
        ("add codes to s25:", 69, 70, 74, 71),
        ("add codes to s25:", 108, 109, 114, 110),
        ("add codes to s25:", 127, 128, 133, 129),
    ]
    assert [b.is_code_list for b in found] == [False, True, True, True]
    assert sum(b.is_code_list for b in found) == 3
    assert found[0].code.startswith("    maintaining_source_of_truth = CClass(practice, ")
    assert found[1].code == "    '''\n        end_to_end\n    '''"
    assert all(b.closed and b.info == "python" for b in found)
    markers = [axial.marker for axial in traces(seed[0], AxialTrace)]
    assert markers == ["**AXIAL CODING TRACE:**"] * 3


def test_seed_segments(seed):
    segments = seed[0].segments
    assert [s.index for s in segments] == [1, 2, 3, 4]
    assert [[q.span.start for q in s.quotes] for s in segments] == [
        [35, 37, 45],
        [76, 78, 82, 87, 92, 96],
        [116],
        [136],
    ]
    assert [[type(t).__name__ for t in s.traces] for s in segments] == [
        ["OpenTrace", "AxialTrace"],
        ["OpenTrace", "AxialTrace"],
        ["OpenTrace", "AxialTrace"],
        [],
    ]
    spans = [(s.span.start, s.span.end) for s in segments]
    assert spans == [(35, 74), (76, 114), (116, 133), (136, 138)]


def test_parse_trace_names_the_file_by_its_path():
    doc, _ = parse_trace(SEED)
    assert doc.name == str(SEED)
    assert doc.segments[0].quotes[0].span.file == str(SEED)


# -- fixtures: header --------------------------------------------------------------------------


def test_kind_and_number_on_one_line():
    doc, diagnostics = parse_fixture("kind_and_number_on_one_line.md")
    assert (doc.kind, doc.number, doc.source_id) == ("s", "25", "s25")
    assert doc.field("title").value == "Number on the kind line"
    assert doc.source_block.code.startswith('s25 = CClass(source, "s25", ')
    assert [q.text for q in quotes(doc)] == ["A single quote"]
    assert diagnostics == ()


def test_title_starting_with_hash_is_a_value():
    doc, diagnostics = parse_fixture("hash_title.md")
    assert [(f.key, f.value) for f in doc.header] == [
        ("title", "#2 Explain Data Product in 8 Minutes"),
        ("source code", "yes"),
    ]
    assert doc.header_notes == ()
    assert codes(diagnostics) == [("no-coding-heading", 6)]


def test_template_is_flagged():
    doc, diagnostics = parse_fixture("template.md")
    assert doc.is_template
    assert (doc.kind, doc.number, doc.source_id) == ("s", None, None)
    assert [(f.key, f.value) for f in doc.header] == [
        ("url", ""),
        ("title", ""),
        ("references", ""),
    ]
    assert codes(diagnostics) == [("template", 1)]
    assert diagnostics[0].severity is Severity.INFO
    bullet = traces(doc, OpenTrace)[0].lines[0]
    assert bullet == coding_line(
        "- <ins>Option: </ins>", 17, label="Option", kind="option", values=()
    )


def test_missing_number_with_a_title_is_not_a_template():
    doc, diagnostics = parse_text("# s\n## title\nA real source\n# coding\n> quote\n", "t.md")
    assert not doc.is_template
    assert codes(diagnostics) == [("missing-source-id", 1)]
    assert diagnostics[0].severity is Severity.WARNING


def test_missing_kind_line():
    doc, diagnostics = parse_text("## title\nNo kind line\n# coding\n> quote\n", "t.md")
    assert (doc.kind, doc.number) == (None, None)
    assert codes(diagnostics) == [("missing-source-id", 1)]
    assert doc.field("title").value == "No kind line"
    assert quotes(doc)[0].text == "quote"


def test_missing_coding_heading():
    doc, diagnostics = parse_fixture("no_coding_heading.md")
    assert doc.coding_line is None
    assert doc.source_block.span == Span("no_coding_heading.md", 8, 10)
    assert codes(diagnostics) == [("no-coding-heading", 12)]
    assert [q.span.start for q in quotes(doc)] == [12]
    assert doc.header_notes == ()


def test_open_marker_ends_a_header_without_source_block_or_coding_heading():
    text = "# s\n1\n## title\nT\n\n**OPEN CODING TRACE:**\nNew option: x\n"
    doc, diagnostics = parse_text(text, "t.md")
    assert doc.field("title").value == "T" and doc.header_notes == ()
    (memo,) = traces(doc, OpenTrace)
    assert memo.span == Span("t.md", 6, 7) and memo.lines[0].identifiers == ("x",)
    assert codes(diagnostics) == [("no-coding-heading", 6)]


def test_doubled_coding_heading_is_a_separator():
    doc, diagnostics = parse_fixture("doubled_coding_heading.md")
    assert doc.coding_line == 6
    assert codes(diagnostics) == [("repeated-coding-heading", 10)]
    assert [q.text for q in quotes(doc)] == ["First quote", "Second quote"]
    assert len(doc.segments) == 1 and doc.extra_lines == ()


# -- fixtures: quotes --------------------------------------------------------------------------


def test_lazy_continuation_and_empty_quote_line():
    doc, diagnostics = parse_fixture("lazy_quote.md")
    first, second = quotes(doc)
    assert first.span == Span("lazy_quote.md", 8, 12)
    assert first.text == (
        "Difficulties & Methodologies\n"
        "\n"
        "In my experience the biggest problems happen when teams apply methodologies\n"
        "like human-centred design on technical data products.\n"
        "Every line of this paragraph belongs to the same quote."
    )
    assert first.raw[1] == "> " and first.raw[4].startswith(">Every")
    assert second.text == "Next quote"
    assert diagnostics == ()


def test_interview_quotes():
    doc, diagnostics = parse_fixture("interview.md")
    assert (doc.kind, doc.number, doc.source_id) == ("p", "3", "p3")
    assert doc.field("source type").value == "Interview"
    assert doc.source_block.label == "**AXIAL CODING TRACE:**"
    found = quotes(doc)
    assert [q.text.split("\n")[0] for q in found] == [
        "Interviewer",
        "Which ports does a data product need?",
        "Expert G",
        " Yeah, an input port and an output port, and a control port for the",
        "Thanks.",
    ]
    two_speakers = found[3]
    assert two_speakers.span == Span("interview.md", 21, 23)
    assert two_speakers.text.split("\n")[1:] == [
        "policies that the platform enforces.",
        "Interviewer",
    ]
    assert diagnostics == ()


def test_interview_identifier_lines():
    doc, _ = parse_fixture("interview.md")
    (memo,) = traces(doc, OpenTrace)
    assert memo.lines == (
        coding_line("control_port", 29, identifiers=("control_port",)),
        coding_line("input_port, output_port", 31, identifiers=("input_port", "output_port")),
        coding_line("CDC", 32),
    )
    (block,) = blocks(doc)
    assert (block.label, block.code) == ("added:", "    control_port\n    input_port")


def test_open_marker_inside_a_quote():
    doc, _ = parse_fixture("open_marker_in_quote.md")
    assert len(quotes(doc)) == 2
    (memo,) = traces(doc, OpenTrace)
    assert memo.marker == "> **OPEN CODING TRACE:**"
    assert memo.span == Span("open_marker_in_quote.md", 12, 15)
    assert [line.text for line in memo.lines] == [
        "metastore",
        "Give power of observability to the data scientist",
    ]
    assert memo.lines[0].identifiers == ("metastore",)


def test_source_fence_after_a_quote_is_not_python():
    doc, diagnostics = parse_fixture("source_fence.md")
    (segment,) = doc.segments
    quote, fence = segment.items
    assert isinstance(quote, Quote) and isinstance(fence, SourceFence)
    assert fence.info == "python"
    assert fence.text == "output_port:\n  format: parquet"
    assert fence.span == Span("source_fence.md", 9, 12)
    assert [b.span.start for b in blocks(doc)] == [20]
    assert diagnostics == ()


def test_image_and_empty_open_trace_before_the_quotes():
    doc, diagnostics = parse_fixture("empty_open_trace_first.md")
    first, second = doc.segments
    assert first.quotes == () and first.items == ()
    empty = OpenTrace("**OPEN CODING TRACE:**", (), Span("empty_open_trace_first.md", 8, 8))
    assert first.traces == (empty,)
    assert [type(item) for item in second.items] == [Quote, Image]
    image = second.items[1]
    assert (image.alt, image.url) == ("Architecture", "http://example.com/a.png")
    assert image.span == Span("empty_open_trace_first.md", 12, 12)
    assert codes(diagnostics) == [("empty-open-trace", 8)]


def test_image_without_closing_parenthesis():
    doc, diagnostics = parse_text("# s\n1\n# coding\n![Departments](https://x.org/a.png\n", "t.md")
    (image,) = doc.segments[0].items
    assert isinstance(image, Image) and image.url == "https://x.org/a.png"
    assert doc.extra_lines == () and diagnostics == ()


def test_unquoted_prose_is_kept_and_reported():
    doc, diagnostics = parse_fixture("unquoted_prose.md")
    assert doc.extra_lines == (
        (12, "So not all data will be flowing via an event."),
        (13, "So stream, this is a batch data."),
    )
    assert codes(diagnostics) == [("unquoted-text", 12)]
    assert [q.text for q in quotes(doc)] == ["Expert F", "So I agree on the schema registry."]
    assert len(traces(doc, OpenTrace)[0].lines) == 1


# -- fixtures: axial traces --------------------------------------------------------------------


def test_add_codes_label_without_axial_marker():
    doc, _ = parse_fixture("no_coding_heading.md")
    (memo,) = traces(doc, OpenTrace)
    (axial,) = traces(doc, AxialTrace)
    assert memo.span == Span("no_coding_heading.md", 14, 16)
    assert axial.marker is None and axial.span == Span("no_coding_heading.md", 18, 24)
    (block,) = axial.blocks
    assert (block.label, block.label_line, block.is_code_list) == ("add codes to s42:", 18, True)
    assert block.code.split("\n") == [
        "    '''",
        "        data_marketplace,",
        "        central_data_product_catalogue",
        "    '''",
    ]


def test_unclosed_fence():
    doc, diagnostics = parse_fixture("unclosed_fence.md")
    (block,) = blocks(doc)
    assert not block.closed
    assert block.span == Span("unclosed_fence.md", 13, 18)
    assert block.code.endswith("orchestration,\n\n    '''")
    assert codes(diagnostics) == [("unclosed-fence", 13)]
    assert diagnostics[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("label", "is_code_list"),
    [
        ("added:", False),
        ("add:", False),
        ("add ", False),
        ("add codes to s42: ", True),
        ("Add codes to s2:", True),
        ("Add code to s32", True),
        ("add codes to s:", True),
    ],
)
def test_labels_open_an_axial_trace(label, is_code_list):
    text = f"# s\n1\n# coding\n> quote\n\n{label}\n``` python\n    x\n```\n"
    doc, diagnostics = parse_text(text, "t.md")
    (axial,) = traces(doc, AxialTrace)
    assert axial.marker is None
    (block,) = axial.blocks
    assert (block.label, block.label_line, block.is_code_list) == (label.strip(), 6, is_code_list)
    assert diagnostics == ()


def test_fences_after_marker_and_after_a_fence_are_axial():
    text = (
        "# s\n1\n# coding\n> q\n\n"
        "**AXIAL CODING:** \n\n```python\na\n```\n\n``` python   \nb\n```\nnote\n"
    )
    doc, _ = parse_text(text, "t.md")
    (axial,) = traces(doc, AxialTrace)
    found = [(b.code, b.label, b.span.start) for b in axial.blocks]
    assert found == [("a", None, 8), ("b", None, 12)]
    assert axial.notes == ((15, "note"),)
    assert axial.span == Span("t.md", 6, 15)


# -- fixtures: open-coding lines ---------------------------------------------------------------


def test_open_coding_line_shapes():
    doc, _ = parse_fixture("open_coding_lines.md")
    (memo,) = traces(doc, OpenTrace)
    assert memo.lines == (
        coding_line(
            "Option (pattern): Search Engine",
            12,
            label="Option (pattern)",
            kind="option",
            qualifier="pattern",
            values=("Search Engine",),
        ),
        coding_line(
            "Familiar terms: data_catalogue,",
            13,
            label="Familiar terms",
            kind="term",
            status="familiar",
            values=("data_catalogue",),
            identifiers=("data_catalogue",),
        ),
        coding_line(
            "virtualisation, schema_manager",
            14,
            identifiers=("virtualisation", "schema_manager"),
        ),
        coding_line(
            "Recognized codes: mdm",
            15,
            label="Recognized codes",
            kind="code",
            status="recognised",
            values=("mdm",),
            identifiers=("mdm",),
        ),
        coding_line(
            "New code identified: Feature Layer",
            16,
            label="New code identified",
            kind="code",
            status="new",
            values=("Feature Layer",),
        ),
        coding_line(
            "Reoccurring codes: reuse",
            17,
            label="Reoccurring codes",
            kind="code",
            status="recognised",
            values=("reuse",),
            identifiers=("reuse",),
        ),
        coding_line("Quantifiable metrics -> quality monitoring", 18),
        coding_line("Confirmation for core_datasets and a new code called: Feature Layer", 19),
        coding_line("- <ins>Decision: </ins>", 20, label="Decision", kind="decision", values=()),
    )


def test_identifiers_exclude_prose_values():
    text = "# s\n1\n# coding\n**OPEN CODING TRACE:**\nForce: Security, Raw data, CDC, end_to_end\n"
    doc, _ = parse_text(text, "t.md")
    (line,) = traces(doc, OpenTrace)[0].lines
    assert (line.kind, line.status) == ("force", None)
    assert line.values == ("Security", "Raw data", "CDC", "end_to_end")
    assert line.identifiers == ("end_to_end",)


# -- robustness --------------------------------------------------------------------------------


def test_crlf_and_missing_final_newline_parse_like_lf():
    text = SEED.read_text(encoding="utf-8")
    expected = parse_text(text, "seed.txt")
    assert parse_text(text.replace("\n", "\r\n"), "seed.txt") == expected
    assert parse_text(text.rstrip("\n"), "seed.txt") == expected


def test_crlf_fixture():
    text = (PARSE / "interview.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    doc, diagnostics = parse_text(text, "interview.md", PARSE / "interview.md")
    assert (doc, diagnostics) == parse_fixture("interview.md")
    assert not any("\r" in line for q in quotes(doc) for line in q.raw)


def test_invalid_utf8_is_replaced_and_reported(tmp_path: Path):
    path = tmp_path / "s_1.md"
    path.write_bytes(b"# s\n1\n# coding\n> caf\xe9\n")
    doc, diagnostics = parse_trace(path, "s_1.md")
    assert quotes(doc)[0].text == "caf\ufffd"
    assert codes(diagnostics) == [("invalid-utf8", 4)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [("missing-source-id", 0), ("no-coding-heading", 0)]),
        ("# s 5\n## title\nOnly a header", [("no-coding-heading", 3)]),
        ("# s\n5\n# coding\n```python\nx = (", [("unclosed-fence", 4)]),
        (
            "\x00\x01\ufffd```\x7f\n> \x00",
            [
                ("missing-source-id", 1),
                ("control-character", 1),
                ("control-character", 2),
                ("no-coding-heading", 2),
            ],
        ),
        (
            "# coding\n# coding\n>\n```\n",
            [("missing-source-id", 1), ("repeated-coding-heading", 2), ("unclosed-fence", 4)],
        ),
    ],
)
def test_odd_inputs_never_raise(text, expected):
    doc, diagnostics = parse_text(text, "odd.md")
    assert codes(diagnostics) == expected
    assert doc.line_count == len(text.splitlines())


# -- the real corpus ---------------------------------------------------------------------------


@pytest.fixture
def documents(corpus: Path) -> dict[str, TraceDocument]:
    """Every trace of the real study by file name; skips when the corpus is absent."""
    paths = sorted((corpus / "traces").glob("*.md"))
    return {path.name: parse_trace(path, path.name)[0] for path in paths}


def test_corpus_parses(documents):
    assert len(documents) == 69
    assert [name for name, doc in documents.items() if doc.is_template] == ["s_.md"]
    for name, doc in documents.items():
        if name != "s_.md":
            assert doc.source_id == name.removesuffix(".md").replace("_", "")
            assert doc.source_block is not None and len(doc.header) == 9


def corpus_totals(documents: dict[str, TraceDocument]) -> dict[str, object]:
    """The TRACE-FORMAT.md figures, counted over the real traces (the template left out)."""
    real = [doc for name, doc in documents.items() if name != "s_.md"]
    all_quotes = [q for doc in real for q in quotes(doc)]
    items = [item for doc in real for segment in doc.segments for item in segment.items]
    memos = [memo for doc in real for memo in traces(doc, OpenTrace)]
    fences = [block for doc in real for block in blocks(doc)]
    return {
        "quotes": len(all_quotes),
        "quote lines": sum(q.span.end - q.span.start + 1 for q in all_quotes),
        "images": sum(isinstance(item, Image) for item in items),
        "source fences": sum(isinstance(item, SourceFence) for item in items),
        "open traces": len(memos),
        "open lines": sum(len(memo.lines) for memo in memos),
        "axial traces": sum(len(traces(doc, AxialTrace)) for doc in real),
        "axial fences": len(fences),
        "code-list fences": sum(block.is_code_list for block in fences),
        "no # coding": sorted(doc.name for doc in real if doc.coding_line is None),
        "extra lines": [(doc.name, line) for doc in real for line, _ in doc.extra_lines],
        "header notes": [(doc.name, line) for doc in real for line, _ in doc.header_notes],
    }


def test_corpus_totals_match_trace_format(documents):
    assert corpus_totals(documents) == {
        "quotes": 2522,
        "quote lines": 7727,
        "images": 198,
        "source fences": 0,
        "open traces": 279,
        "open lines": 509,
        "axial traces": 271,
        "axial fences": 309,
        "code-list fences": 162,
        "no # coding": ["s_42.md", "s_56.md"],
        "extra lines": [("p_5.md", 209)],
        "header notes": [],
    }


def test_corpus_irregular_spots(documents):
    (unclosed,) = [b for b in blocks(documents["s_9.md"]) if not b.closed]
    assert unclosed.span.start == 150
    quoted_markers = [t for t in traces(documents["p_4.md"], OpenTrace) if t.marker.startswith(">")]
    assert [t.span.start for t in quoted_markers] == [437, 489]
    s17 = {line.line: line for t in traces(documents["s_17.md"], OpenTrace) for line in t.lines}
    assert s17[40].label == "Familiar terms"
    assert s17[41].label is None and s17[41].identifiers != ()
    (no_marker,) = [t for t in traces(documents["s_42.md"], AxialTrace) if t.marker is None]
    assert no_marker.blocks[0].label_line == 66


EDGE_LINES = [
    "",
    "   ",
    "\t",
    "\u00a0text after a no-break space",
    "> a quote",
    ">quote without a space",
    "   > indented three",
    "    > indented four: not a quote",
    "\t> after a tab",
    "> **OPEN CODING TRACE:**",
    ">   **AXIAL CODING**",
    "> **bold quoted text**",
    "**OPEN CODING TRACE:**",
    "**Open coding** in a sentence",
    "# coding",
    "#2 Explain",
    "```python",
    "```x```",
    "![alt](http://example.org/a.png)",
    "added:",
    "Add codes to s25:",
    "ADD",
    "adding more text",
    "Another plain line",
    "- a list item",
    "1. a numbered item",
    "(parenthesised)",
]


def _lines_of(paths):
    for path in paths:
        yield from path.read_text(encoding="utf-8", errors="replace").split("\n")


def test_line_shortcut_agrees_with_full_classification():
    """The first-character shortcut is only an optimisation: it must never change a line's kind
    (on edge cases, the seed, the fixtures and, when present, the real study)."""
    paths = [SEED, *sorted(FIXTURES.rglob("*.md")), *sorted(FIXTURES.rglob("*.txt"))]
    paths += sorted((CORPUS / "traces").glob("*.md"))
    lines = [*EDGE_LINES, *_lines_of(paths)]
    assert len(lines) > 300
    assert {line: _classify(line) for line in lines} == {
        line: _classify_fully(line) for line in lines
    }
