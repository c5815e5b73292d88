"""The graph says what CodeableModels builds from the same model files (issue: link direction,
domain links, models that would not run, source identity).

The references are the study's own outputs, made by running the model in CodeableModels:
the PlantUML text of each decision view in published/diagrams/*.txt."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from loader.emit import emit_ntriples
from loader.metamodel import RELATION_STEREOTYPES
from loader.study import load_study

CLASS_LINE = re.compile(r'^class "(?P<label>.*) : (?P<kind>[^"]+)" as (?P<alias>\S+)')
LINK_LINE = re.compile(r'^(?P<start>\S+) --> (?P<end>\S+): "\W*(?P<stereotype>[^"»«]+?)\W* ')


def _label(text: str) -> str:
    """Labels as PlantUML prints them, wrapped with `\\n`: compared with spaces collapsed."""
    return " ".join(text.replace("\\n", " ").split())


def _snake(stereotype: str) -> str:
    return re.sub(r"[\s-]+", "_", stereotype.strip().lower())


def published_relations(diagrams: Path) -> dict[str, set[tuple[str, str, str]]]:
    """Per view: the solution→solution links CodeableModels drew, as (start, end, stereotype)."""
    views = {}
    for path in sorted(diagrams.glob("*.txt")):
        labels: dict[str, str] = {}
        links: set[tuple[str, str, str]] = set()
        for line in path.read_text(encoding="cp1252").splitlines():
            if match := CLASS_LINE.match(line):
                labels[match["alias"]] = _label(match["label"])
            elif match := LINK_LINE.match(line):
                stereotype = _snake(match["stereotype"])
                if stereotype in RELATION_STEREOTYPES:
                    links.add((labels[match["start"]], labels[match["end"]], stereotype))
        views[path.stem] = links
    return views


def graph_relations(store: ox.Store) -> set[tuple[str, str, str]]:
    query = """
        PREFIX qg: <https://w3id.org/qualgraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?start ?end ?stereotype WHERE {
            ?link a qg:SolutionRelation ; qg:linkFrom ?f ; qg:linkTo ?t ; qg:stereotype ?stereotype .
            ?f rdfs:label ?start . ?t rdfs:label ?end .
        }"""
    return {
        (_label(row["start"].value), _label(row["end"].value), row["stereotype"].value)
        for row in store.query(query)
    }


@pytest.fixture(scope="module")
def real_with_model(corpus):
    return load_study([corpus / "traces"], [corpus / "model"])


@pytest.fixture(scope="module")
def real_store(real_with_model):
    store = ox.Store()
    store.bulk_load(emit_ntriples(real_with_model.study).text(), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_every_published_solution_relation_has_the_same_ends_and_stereotype(corpus, real_store):
    views = published_relations(corpus / "published" / "diagrams")
    drawn = set().union(*views.values())
    assert len(drawn) == 38  # distinct relations the views draw (some in several views)
    ours = graph_relations(real_store)
    assert drawn - ours == set()
    # none of ours runs the other way round
    reversed_ = {(end, start, s) for start, end, s in ours}
    assert drawn & reversed_ == set()


def test_the_issue_example_runs_from_the_argument_to_the_receiver(real_store):
    # data_as_a_product_model.py:259-260: start_federated.add_links(legacy_modernization,
    # role_name="from", ...can_be_realized_with) is drawn Legacy_Modernization --> Starting_federated
    assert ("Legacy Modernization", "Starting federated", "can_be_realized_with") in (
        graph_relations(real_store)
    )
