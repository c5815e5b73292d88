"""The real data-as-a-product study (69 traces) loads whole and loses nothing. Skips when absent."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib.namespace import PROV, RDF

from qualgraph.rdf.namespaces import QG
from qualgraph.read.statements import Verbatim
from qualgraph.study.summary import summarize

from .corpus_facts import LOST_STATEMENTS
from .graphs import load_graph

STRUCTURAL = re.compile(
    r"^\s*(>\s*)?(\*\*(OPEN|AXIAL) CODING( TRACE)?:?\*\*:?.*|```.*|#{1,2} .*|# ?coding\s*|"
    r"(added|add|add codes? to \w*)\s*:?\s*)$",
    re.IGNORECASE,
)
TEXT_NODES = (QG.Quote, QG.Figure, QG.CodingLine, QG.Statement, QG.Note)


def verbatim_statements(study):
    for trace in study.traces:
        for block_statements in trace.record.blocks.values():
            yield from (s for s in block_statements.statements if isinstance(s, Verbatim))


@pytest.fixture(scope="module")
def real(request):
    corpus = request.getfixturevalue("corpus")
    return corpus, *load_graph(corpus / "traces")


def test_all_traces_load(real):
    corpus, loaded, _ = real
    assert len(loaded.files) == 69
    assert len(loaded.study.traces) == 68  # the empty template s_.md is skipped with a note
    assert any(d.code == "template" and d.file.endswith("s_.md") for d in loaded.diagnostics)


def test_every_non_blank_coding_line_is_held_by_a_text_node(real):
    """Nothing lost: each non-structural line after the header lies inside a node with qg:text."""
    corpus, loaded, graph = real
    covered: dict[str, set[int]] = defaultdict(set)
    for kind in TEXT_NODES:
        for node in graph.subjects(RDF.type, kind):
            documents = [
                d
                for d in graph.objects(node, PROV.wasDerivedFrom)
                if (d, RDF.type, QG.TraceDocument) in graph
            ]
            if not documents:
                continue  # a statement of a consolidated model file
            document = documents[0]
            start, end = int(graph.value(node, QG.startLine)), int(graph.value(node, QG.endLine))
            covered[str(graph.value(document, QG.filePath))].update(range(start, end + 1))
    missing = []
    for trace in loaded.study.traces:
        doc = trace.document
        lines = doc.path.read_text(encoding="utf-8").split(
            "\n"
        )  # not splitlines: \f is not a line end
        first = (doc.coding_line or doc.segments[0].span.start) + 1
        for number in range(first, len(lines) + 1):
            line = lines[number - 1]
            if line.strip() and not STRUCTURAL.match(line) and number not in covered[doc.name]:
                missing.append(f"{doc.name}:{number}: {line[:60]}")
    assert missing == []


def test_python_statements_are_interpreted_or_verbatim(real):
    _, loaded, graph = real
    summary = summarize(loaded.study, loaded.diagnostics)
    statements = set(graph.subjects(RDF.type, QG.Statement))
    verbatim = set(graph.subjects(RDF.type, QG.UninterpretedStatement))
    assert verbatim <= statements
    # 9 statements python cannot read even after repair (TRACE-FORMAT §6), 2 malformed force
    # pairs, 1 unknown call, 1 dict body without its call, 2 unreadable lines in code strings.
    assert summary.verbatim == 15
    spans = {(s.line, s.end_line, s.text) for s in verbatim_statements(loaded.study)}
    assert len(verbatim) == len(spans) == 14  # the two malformed pairs share one call
    lost = {(Path(d.file).name, d.line) for d in loaded.diagnostics if d.code == "uninterpretable"}
    assert lost >= LOST_STATEMENTS
    assert summary.interpreted > 1000
