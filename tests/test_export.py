"""Export is lossless (round trip) and deterministic (byte-identical across runs)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph

from qualgraph.rdf.export import FORMATS, serialize

from .conftest import FIXTURES, SEED
from .graphs import assert_isomorphic, load_graph


@pytest.fixture(scope="module")
def graph():
    return load_graph(SEED, FIXTURES / "study")[1]


@pytest.mark.parametrize(
    "fmt", [pytest.param(f, id=f) for f in FORMATS if f not in ("trig", "nquads")]
)
def test_round_trip_is_isomorphic(graph, fmt):
    text = serialize(graph, fmt)
    parsed = Graph().parse(
        data=text, format={"ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}.get(fmt, fmt)
    )
    assert_isomorphic(graph, parsed)


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_trig_and_nquads_hold_the_study_in_one_named_graph(graph, fmt):
    dataset = Dataset().parse(
        data=serialize(graph, fmt, graph_name="https://example.org/g"), format=fmt
    )
    assert_isomorphic(graph, dataset.graph("https://example.org/g"))


@pytest.mark.parametrize("fmt", [pytest.param(f, id=f) for f in FORMATS])
def test_the_same_study_gives_identical_bytes(fmt):
    first = serialize(load_graph(SEED, FIXTURES / "study")[1], fmt)
    second = serialize(load_graph(SEED, FIXTURES / "study")[1], fmt)
    assert first == second


def test_base_iri_is_used_for_every_data_node():
    _, graph = load_graph(SEED, base="https://example.org/my-study/")
    subjects = {str(s) for s in graph.subjects()}
    assert "https://example.org/my-study/source/s25" in subjects
    assert not any(s.startswith("https://w3id.org/qualgraph/study/") for s in subjects)


def test_identical_bytes_across_processes_with_different_hash_seeds(tmp_path):
    """Set and dict order must not leak into the output: Python salts str hashes per process."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"study-{seed}.ttl"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "qualgraph",
                "export",
                str(FIXTURES / "study"),
                str(SEED),
                "-o",
                str(out),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
