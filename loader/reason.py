"""OWL reasoning with owlready2's HermiT: does the decision model agree with the ontology?

Only the decision model goes to the reasoner (codes, their kinds and the reified links): that is
where OWL axioms bite (a force used as an option, an impact with two levels), and it keeps the
JVM's work small. owlready2 reads N-Triples, not Turtle, so the graph is handed over that way.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, SKOS
from rdflib.term import Node

from qualgraph.errors import QualgraphError
from qualgraph.rdf.namespaces import QG
from qualgraph.resources import ontology_graph

MODEL_PROPERTIES = (
    QG.decision,
    QG.option,
    QG.solution,
    QG.force,
    QG.impactLevel,
    QG.linkFrom,
    QG.linkTo,
    QG.relationType,
    QG.nextDecisionType,
    QG.hasOption,
    QG.impacts,
)


@dataclass(frozen=True)
class Conflict:
    """A link whose end has a kind the ontology rules out, at the line that states the link."""

    link: Node
    message: str
    file: str | None
    line: int | None


@dataclass(frozen=True)
class ReasoningReport:
    consistent: bool
    individuals: int
    inferred: dict[str, int]
    """Inferred class name → number of individuals newly classified under it."""
    conflicts: tuple[Conflict, ...]
    """Why the model is inconsistent, in researcher terms (empty when it is consistent)."""
    seconds: float


KIND_GROUPS: dict[Node, str] = {
    QG.Decision: "decision",
    QG.Force: "force",
    QG.DesignSolution: "design solution",
    QG.Practice: "design solution",
    QG.Pattern: "design solution",
    QG.DoNothing: "design solution",
    QG.Category: "category",
    QG.Context: "context",
    QG.DomainClass: "context",
}
EXPECTED_ENDS = (
    (QG.OptionLink, QG.decision, "decision"),
    (QG.OptionLink, QG.option, "design solution"),
    (QG.ForceImpact, QG.solution, "design solution"),
    (QG.ForceImpact, QG.force, "force"),
)
LINK_NAMES = {QG.OptionLink: "an option link", QG.ForceImpact: "a force impact"}


def conflicts(graph: Graph) -> list[Conflict]:
    """Codes whose declared kind and the link ends they fill disagree: what makes HermiT say no.

    A link end implies a kind (the option of an option link is a design solution), so a code is
    in conflict when its declared kind, or the kinds its uses imply, fall in two disjoint groups."""
    uses: dict[Node | None, list[tuple[URIRef, Node, URIRef, str]]] = {}
    for link_class, end, expected in EXPECTED_ENDS:
        for link in graph.subjects(RDF.type, link_class):
            uses.setdefault(graph.value(link, end), []).append((link_class, link, end, expected))
    found = []
    for code, code_uses in uses.items():
        declared = {KIND_GROUPS[k] for k in graph.objects(code, RDF.type) if k in KIND_GROUPS}
        implied = {expected for _, _, _, expected in code_uses}
        if len(declared | implied) < 2:
            continue
        name = graph.value(code, SKOS.notation)
        what = f"a {'/'.join(sorted(declared))}" if declared else "not defined"
        for link_class, link, end, expected in code_uses:
            if declared and expected in declared:
                continue
            found.append(
                Conflict(
                    link,
                    f"{name} is {what} but is used as the {end.split('#')[-1]} of "
                    f"{LINK_NAMES[link_class]}, which needs a {expected}"
                    + (
                        ""
                        if declared
                        else f"; elsewhere it is used as a {'/'.join(sorted(implied - {expected}))}"
                    ),
                    *_where(graph, link),
                )
            )
    return sorted(found, key=lambda c: (c.file or "", c.line or 0, c.message))


def _where(graph: Graph, link: Node) -> tuple[str | None, int | None]:
    document = next(
        (d for d in graph.objects(link, PROV.wasDerivedFrom) if (d, QG.filePath, None) in graph),
        None,
    )
    file = graph.value(document, QG.filePath) if document is not None else None
    line = graph.value(link, QG.startLine)
    number = int(line) if isinstance(line, Literal) else None  # xsd:integer, as emitted
    return (str(file) if file is not None else None, number)


def decision_model(graph: Graph) -> Graph:
    """The part of the study graph the reasoner needs: codes, links and their typed values."""
    subjects = set(graph.subjects(RDF.type, SKOS.Concept)) | set(
        graph.subjects(RDF.type, QG.ModelLink)
    )
    model = Graph()
    for subject in subjects:
        model.add((subject, RDF.type, OWL.NamedIndividual))  # owlready2 needs the declaration
        for _, p, o in graph.triples((subject, None, None)):
            if p == RDF.type or p in MODEL_PROPERTIES:
                model.add((subject, p, o))
    return model


def reason(graph: Graph) -> ReasoningReport:
    """Run HermiT over ontology + decision model; an inconsistency is a result, not an error."""
    import owlready2  # imported here: loading it starts nothing, but it is heavy

    if shutil.which("java") is None:
        raise QualgraphError("reasoning needs Java (HermiT runs on the JVM); install a JRE")
    data = decision_model(graph)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "study.nt"
        path.write_text((ontology_graph() + data).serialize(format="nt"), encoding="utf-8")
        world = owlready2.World()
        ontology = world.get_ontology(path.as_uri()).load()
        individuals = list(ontology.individuals())
        before = {i.iri: set(i.is_a) for i in individuals}
        try:
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasoningReport(
                False, len(individuals), {}, tuple(conflicts(graph)), time.perf_counter() - start
            )
        inferred: dict[str, int] = {}
        for individual in individuals:
            for cls in set(individual.is_a) - before[individual.iri]:
                name = getattr(cls, "name", str(cls))
                inferred[name] = inferred.get(name, 0) + 1
    return ReasoningReport(
        True, len(individuals), dict(sorted(inferred.items())), (), time.perf_counter() - start
    )
