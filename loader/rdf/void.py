"""A VoID and DCAT description of a study's dataset: what a catalogue or a SPARQL server's
visitor reads before the data (title, size, sources, codes, license, date, the qualgraph
version that made it). `qualgraph export --void FILE` writes it beside the data and `qualgraph
push` puts it in the study's graph; `ontology/dataset-shape.ttl` says what it must hold.

The creation date is a parameter (the command passes today, or SOURCE_DATE_EPOCH's day for a
reproducible build), so the description of one study on one day is always the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from qualgraph.rdf.identity import StudyIdentity
from qualgraph.rdf.namespaces import QG, bind_prefixes, qg, rdf, skos
from qualgraph.rdf.terms import NTriples

DATASET_SHAPE = "dataset-shape.ttl"
"""The SHACL shape of a description, in the ontology folder."""


@dataclass(frozen=True)
class DatasetFacts:
    """What the description counts, from the study's own triples."""

    triples: int
    sources: int
    codes: int


def count(triples: NTriples) -> DatasetFacts:
    """Triples, qg:Source nodes and skos:Concept codes of an emitted study."""
    sources = codes = 0
    for _s, p, o in triples:
        if p == rdf.type:
            sources += o == qg.Source
            codes += o == skos.Concept
    return DatasetFacts(len(triples), sources, codes)


def qualgraph_version() -> str:
    # importlib.metadata costs ~40 ms at import: only when a description is made
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qualgraph")
    except PackageNotFoundError:  # a bare checkout
        return "unknown"


def build_date(environ: dict[str, str] | None = None) -> date:
    """Today (UTC), or the day of SOURCE_DATE_EPOCH when a reproducible build sets it."""
    epoch = (environ if environ is not None else os.environ).get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return datetime.now(UTC).date()


def describe(
    identity: StudyIdentity,
    facts: DatasetFacts,
    created: date,
    *,
    title: str | None = None,
    license: str | None = None,
) -> Graph:
    """The description of `identity`'s dataset (its IRI is the study's graph name)."""
    graph = Graph()
    bind_prefixes(graph, identity.base)
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    dataset = URIRef(identity.iri)
    add = graph.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.title, Literal(title or identity.name)))
    add((dataset, DCTERMS.identifier, Literal(identity.name)))
    add((dataset, DCTERMS.created, Literal(created.isoformat(), datatype=XSD.date)))
    if license:
        add((dataset, DCTERMS.license, URIRef(license)))
    add((dataset, VOID.triples, Literal(facts.triples)))
    add((dataset, VOID.uriSpace, Literal(identity.base)))
    add((dataset, VOID.vocabulary, URIRef(str(QG))))
    add((dataset, VOID.rootResource, URIRef(identity.base + "codebook")))
    for index, (cls, entities) in enumerate(
        ((QG.Source, facts.sources), (SKOS.Concept, facts.codes)), start=1
    ):
        partition = URIRef(f"{identity.base}dataset/partition/{index}")
        add((dataset, VOID.classPartition, partition))
        add((partition, VOID["class"], cls))
        add((partition, VOID.entities, Literal(entities)))
    generation = URIRef(identity.base + "dataset/generation")
    software = URIRef(f"https://w3id.org/qualgraph/software/{qualgraph_version()}")
    add((dataset, PROV.wasGeneratedBy, generation))
    add((generation, RDF.type, PROV.Activity))
    add((generation, PROV.wasAssociatedWith, software))
    add((software, RDF.type, PROV.SoftwareAgent))
    add((software, RDFS.label, Literal("qualgraph")))
    add((software, OWL.versionInfo, Literal(qualgraph_version())))
    return graph
