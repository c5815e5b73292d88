"""OWL reasoning with owlready2's HermiT: is the study's decision model consistent with the ontology?

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

from rdflib import Graph
from rdflib.namespace import OWL, RDF, SKOS

from .errors import QualgraphError
from .namespaces import QG
from .resources import ontology_graph

MODEL_PROPERTIES = (
    QG.decision, QG.option, QG.solution, QG.force, QG.impactLevel, QG.linkFrom, QG.linkTo,
    QG.relationType, QG.nextDecisionType, QG.hasOption, QG.impacts,
)


@dataclass(frozen=True)
class ReasoningReport:
    consistent: bool
    individuals: int
    inferred: dict[str, int]
    """Inferred class name → number of individuals newly classified under it."""
    explanation: str | None
    seconds: float


def decision_model(graph: Graph) -> Graph:
    """The part of the study graph the reasoner needs: codes, links and their typed values."""
    subjects = set(graph.subjects(RDF.type, SKOS.Concept)) | set(graph.subjects(RDF.type, QG.ModelLink))
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
        (ontology_graph() + data).serialize(path, format="nt")
        world = owlready2.World()
        ontology = world.get_ontology(path.as_uri()).load()
        individuals = list(ontology.individuals())
        before = {i.iri: set(i.is_a) for i in individuals}
        try:
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasoningReport(False, len(individuals), {}, str(exc).strip() or None,
                                   time.perf_counter() - start)
        inferred: dict[str, int] = {}
        for individual in individuals:
            for cls in set(individual.is_a) - before[individual.iri]:
                name = getattr(cls, "name", str(cls))
                inferred[name] = inferred.get(name, 0) + 1
    return ReasoningReport(True, len(individuals), dict(sorted(inferred.items())), None,
                           time.perf_counter() - start)
