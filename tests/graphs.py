"""Test helpers for graphs: load a study into a graph, isomorphism with a readable diff."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from qualgraph.rdf.emit import emit
from qualgraph.study.load import LoadedStudy, load_study


def load_graph(*paths: Path, base: str | None = None) -> tuple[LoadedStudy, Graph]:
    loaded = load_study(list(paths))
    return loaded, emit(loaded.study, base)


def assert_isomorphic(left: Graph, right: Graph) -> None:
    """Fail with the triples only in one side, sorted, when the graphs differ."""
    if isomorphic(left, right):
        return
    _, only_left, only_right = graph_diff(to_isomorphic(left), to_isomorphic(right))
    lines = ["graphs differ", "only in first:"]
    lines += sorted(f"  {t}" for t in only_left)[:20]
    lines.append("only in second:")
    lines += sorted(f"  {t}" for t in only_right)[:20]
    raise AssertionError("\n".join(lines))
