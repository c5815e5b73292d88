"""Locate the bundled ontology/, shapes/ and queries/ folders, installed or in a checkout.

In a wheel they are package data under `qualgraph/`; in a checkout (or an editable install) they
sit beside the package at the top of the repository.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from qualgraph.errors import ResourceError


def resource_dir(kind: str) -> Path:
    """The folder `ontology`, `shapes` or `queries`."""
    installed = Path(str(files("qualgraph"))) / kind
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parent.parent / kind
    if checkout.is_dir():
        return checkout
    raise ResourceError(f"the bundled {kind}/ folder is missing; reinstall qualgraph")


def resource_files(kind: str, pattern: str) -> list[Path]:
    return sorted(resource_dir(kind).glob(pattern))


ONTOLOGY_FILE = "qualgraph.ttl"


@cache
def _ontology_turtle() -> str:
    path = resource_dir("ontology") / ONTOLOGY_FILE
    if not path.is_file():
        raise ResourceError(f"{path} is missing; reinstall qualgraph")
    return path.read_text(encoding="utf-8")


def ontology_graph() -> Graph:
    """A fresh Graph holding the qualgraph ontology (callers may add to it).

    Blank nodes (OWL lists and axioms) get canonical labels, so exports that include the
    ontology stay byte-identical from run to run."""
    graph = Graph()
    graph += to_canonical_graph(Graph().parse(data=_ontology_turtle(), format="turtle"))
    return graph
