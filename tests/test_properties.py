"""Property-based tests (hypothesis): parse, interpret and load → emit → serialize never raise
on any text, and nothing the researcher wrote is lost.

CI runs the `ci` profile (a bounded number of examples, about a minute in all); before a
release run the long one:

    HYPOTHESIS_PROFILE=release .venv/bin/python -m pytest -q tests/test_properties.py

"Nothing lost" is checked by counting: every `>` line and every fenced line of the input
(its text, stripped) must be found in a literal of the graph, as a quote, a statement or
verbatim text; the test reports how many were not.
"""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from qualgraph.rdf.emit import emit_ntriples
from qualgraph.rdf.export import serialize
from qualgraph.read.interpret import interpret_block, interpret_module
from qualgraph.read.parse import parse_text
from qualgraph.study.load import load_study

from .conftest import FIXTURES, SEED
from .test_hardening import lost_lines, written_lines

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=300, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "release", max_examples=2_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BASE = "http://example.org/properties/"
FIXTURE_TEXTS = [
    SEED.read_text(),
    *(p.read_text() for p in sorted((FIXTURES / "study").glob("*.md"))),
]

# Characters that make traces hard: markup, brackets and quotes, controls, a BOM, wide text.
HOSTILE = st.sampled_from(
    list("#>`*-!:()[]{}\"'\\,=_ \t\r\x00\x0b\x0c\x1b\x7f\ufeff\u2028é😀") + ["```", "'''", '"""']
)
TEXT = st.lists(st.one_of(st.text(max_size=20), HOSTILE), max_size=40).map("".join)
LINE = (
    st.lists(
        st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), HOSTILE),
        max_size=8,
    )
    .map("".join)
    .map(lambda s: s.replace("\n", " ").replace("\r", " "))
)
WORDS = st.lists(st.sampled_from(["data", "product", "mesh", "api", "owner", "team"]), min_size=1)
IDENT = WORDS.map("_".join)
PYTHON_LINE = st.one_of(
    st.builds(lambda a, b: f'{a} = CClass(practice, "{b}")', IDENT, IDENT),
    st.builds(lambda a, b: f"add_decision_option_link({a}, {b})", IDENT, IDENT),
    st.builds(lambda a: f"    '''\n        {a}\n    '''", IDENT),
    IDENT,
    LINE,
)
QUOTE = LINE.filter(lambda s: s.strip()).map(lambda s: "> " + s)
FENCE = st.lists(PYTHON_LINE, min_size=1, max_size=6).map(
    lambda lines: "added:\n``` python\n" + "\n".join(lines) + "\n```"
)
CODING = st.lists(
    st.one_of(
        QUOTE, FENCE, st.just("**OPEN CODING TRACE:**"), st.just("**AXIAL CODING TRACE:**"), LINE
    ),
    max_size=12,
)


def _mutate(text: str, data: st.DataObject) -> str:
    """Delete, duplicate or truncate lines of the coding part of a fixture."""
    head, coding = text.split("# coding\n", 1)
    lines = coding.split("\n")
    for _ in range(data.draw(st.integers(0, 4))):
        if not lines:
            break
        at = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "truncate", "insert"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "truncate":
            lines[at] = lines[at][: data.draw(st.integers(0, len(lines[at])))]
        else:
            lines.insert(at, data.draw(st.one_of(QUOTE, FENCE, LINE)))
    return head + "# coding\n" + "\n".join(lines)


@given(TEXT)
def test_parse_never_raises_and_places_diagnostics_in_the_file(text):
    document, diagnostics = parse_text(text, "any.md")
    assert all(0 <= d.line <= max(document.line_count, 1) for d in diagnostics)


@given(st.one_of(TEXT, st.lists(PYTHON_LINE, max_size=10).map("\n".join)), st.booleans())
def test_interpret_never_raises(code, code_list):
    interpretation = interpret_block(code, "any.md", 10, code_list=code_list)
    lines = code.count("\n") + 1
    assert all(10 <= d.line <= 10 + lines for d in interpretation.diagnostics)
    interpret_module(code, "model.py")


def _pipeline(text: str, encoding: str = "utf-8") -> tuple[Graph, str]:
    """Load `text` as a one-trace study, emit it, serialise it as Turtle and RDF/XML (both must
    parse back); the graph and the RDF/XML."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s_25.md"
        path.write_bytes(text.encode(encoding, "surrogatepass"))
        loaded = load_study([path], model_paths=[], workers=1)
        triples = emit_ntriples(loaded.study, BASE)
    graph = Graph().parse(data=serialize(triples, "turtle", base=BASE), format="turtle")
    rdfxml = serialize(triples, "rdfxml", base=BASE)
    ET.fromstring(rdfxml.encode())
    return graph, rdfxml


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(FIXTURE_TEXTS), CODING)
def test_trace_shaped_text_loses_nothing(fixture, coding):
    head = fixture.split("# coding\n", 1)[0]
    text = head + "# coding\n\n" + "\n\n".join(coding) + "\n"
    graph, _ = _pipeline(text)
    expected = _counted(text)
    lost = lost_lines(text[text.index("# coding") :], graph)
    assert lost == [], f"{len(lost)} of {expected} quote and fenced lines are not in the graph"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(FIXTURE_TEXTS), st.data())
def test_mutated_fixtures_lose_nothing(fixture, data):
    text = _mutate(fixture, data)
    graph, _ = _pipeline(text)
    lost = lost_lines(text[text.index("# coding") :], graph)
    assert lost == [], (
        f"{len(lost)} of {_counted(text)} quote and fenced lines are not in the graph"
    )


@given(TEXT)
def test_arbitrary_text_through_the_whole_pipeline_never_raises(text):
    try:
        _pipeline(SEED.read_text().split("# coding\n", 1)[0] + "# coding\n" + text)
    except Exception as exc:  # noqa: BLE001 - the property is that nothing escapes
        raise AssertionError(f"the pipeline raised {exc!r}") from exc


def _counted(text: str) -> int:
    """How many `>` and fenced lines with text the coding part of `text` has."""
    return len(written_lines(text[text.index("# coding") :]))
