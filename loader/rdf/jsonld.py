"""Compact JSON-LD: the study with a published `@context`, so a web developer reads `"quoteOf":
"/…/source/s1"` instead of expanded IRIs (the expanded export of the real study is ~2.5 times
the size of its Turtle).

The context is made from the ontology (every qualgraph term by its local name, every object
property coerced to `@id`) and shipped as `ontology/qualgraph.context.jsonld`, which a test
keeps equal to `context()`. rdflib compacts (Oxigraph writes expanded JSON-LD only); the
document is then sorted, so the same study gives the same bytes.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from qualgraph.rdf.namespaces import PREFIXES, QG
from qualgraph.resources import ontology_graph

CONTEXT_FILE = "qualgraph.context.jsonld"
CONTEXT_URL = "https://w3id.org/qualgraph/context.jsonld"
"""Where the context is published (the w3id redirect is the project's to register)."""


@cache
def context() -> dict[str, Any]:
    """The qualgraph `@context`: prefixes, qualgraph terms by local name (`@vocab`), object
    properties as `@id`-typed terms."""
    terms: dict[str, Any] = {"@vocab": str(QG)}
    prefixes = {p: str(ns) for p, ns in PREFIXES.items() if p != "qg"}
    terms |= prefixes
    for prop in sorted(ontology_graph().subjects(RDF.type, OWL.ObjectProperty), key=str):
        iri = str(prop)
        if iri.startswith(str(QG)):
            terms[iri[len(str(QG)) :]] = {"@type": "@id"}
            continue
        for prefix, namespace in prefixes.items():
            if iri.startswith(namespace):
                terms[f"{prefix}:{iri[len(namespace) :]}"] = {"@type": "@id"}
    return {"@context": dict(sorted(terms.items()))}


def context_text() -> str:
    """The shipped context file's text."""
    return json.dumps(context(), indent=2, ensure_ascii=False) + "\n"


def compact(graph: Graph, base: str | None = None) -> str:
    """`graph` as compact JSON-LD under the qualgraph context; `base` (the study's) makes the
    study's IRIs relative."""
    from rdflib.plugins.serializers.jsonld import from_rdf  # ~9 ms: only when writing JSON-LD

    local = dict(context()["@context"]) | ({"@base": base} if base else {})
    document = from_rdf(graph, context_data=local, auto_compact=True)
    if "@graph" in document:
        nodes = document["@graph"]
    else:  # one node: rdflib puts it at the top
        node = {k: v for k, v in document.items() if k != "@context"}
        nodes = [node] if node else []
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=_dump)
    nodes.sort(key=lambda node: str(node.get("@id", "")))
    lines = ",\n".join(_dump(node) for node in nodes)  # a node a line: diffs stay readable
    return f'{{"@context": {json.dumps(local, ensure_ascii=False)},\n"@graph": [\n{lines}\n]}}\n'


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
