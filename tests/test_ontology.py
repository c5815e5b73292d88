"""The OWL ontology (ontology/qualgraph.ttl): its vocabulary, its documentation, and its logic.

The vocabulary is pinned here because the loader, the SHACL shapes and the queries use these
local names. The reasoner tests run HermiT through owlready2 (it needs Java); owlready2's
bundled Pellet does not run on Java 17.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import time
from functools import cache
from importlib.metadata import version
from pathlib import Path

import owlready2
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS

ROOT = Path(__file__).resolve().parent.parent
TTL = ROOT / "ontology" / "qualgraph.ttl"
DOC = ROOT / "docs" / "ontology.md"
DOC_SCRIPT = ROOT / "docs" / "make_ontology_doc.py"

QG = Namespace("https://w3id.org/qualgraph/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest inspects it
ONTOLOGY_IRI = "https://w3id.org/qualgraph/ontology"
DATA = Namespace("http://example.org/qualgraph-test/")

# ---------------------------------------------------------------------------------------------
# The expected vocabulary

# class -> its named superclasses (direct rdfs:subClassOf)
EXPECTED_CLASSES = {
    "Source": set(),
    "Reference": set(),
    "Document": {"prov:Entity"},
    "TraceDocument": {"qg:Document"},
    "ModelFile": {"qg:Document"},
    "Segment": set(),
    "Quote": {"prov:Entity"},
    "CodeExcerpt": {"qg:Quote"},
    "Figure": set(),
    "Memo": set(),
    "SpeakerLabel": {"qg:Quote"},
    "Note": set(),
    "HeaderField": set(),
    "CodingLine": set(),
    "AxialTrace": set(),
    "PythonBlock": set(),
    "Statement": set(),
    "UninterpretedStatement": {"qg:Statement"},
    "SkippedStatement": {"qg:Statement"},
    "Codebook": {"skos:ConceptScheme"},
    "Code": {"skos:Concept"},
    "DesignSolution": {"qg:Code"},
    "Practice": {"qg:DesignSolution"},
    "Pattern": {"qg:Practice"},
    "DoNothing": {"qg:DesignSolution"},
    "Decision": {"qg:Code"},
    "Force": {"qg:Code"},
    "Category": {"qg:Code"},
    "Context": {"qg:Code"},
    "DomainClass": {"qg:Context"},
    "Grounding": {"oa:Annotation"},
    "Claim": set(),
    "ModelLink": set(),
    "OptionLink": {"qg:ModelLink"},
    "ForceImpact": {"qg:ModelLink"},
    "SolutionRelation": {"qg:ModelLink"},
    "NextDecisionLink": {"qg:ModelLink"},
    "ContextLink": {"qg:ModelLink"},
    "DomainLink": {"qg:ModelLink"},
    "SubCategoryLink": {"qg:ModelLink"},
    "SourceType": set(),
    "AuthorType": set(),
    "ImpactLevel": set(),
    "RelationType": set(),
    "NextDecisionType": set(),
    "ContextType": set(),
}

EXPECTED_OBJECT_PROPERTIES = {
    "describesSource",
    "hasSegment",
    "inDocument",
    "inSegment",
    "quoteOf",
    "inMemo",
    "inTrace",
    "inBlock",
    "statedIn",
    "inFile",
    "noteOf",
    "fieldOf",
    "mentions",
    "definedBy",
    "groundedIn",
    "claimant",
    "claimedCode",
    "claimsCode",
    "decision",
    "option",
    "hasOption",
    "solution",
    "force",
    "impactLevel",
    "impacts",
    "linkFrom",
    "linkTo",
    "relationType",
    "nextDecisionType",
    "relatedTo",
    "hasNextDecision",
    "hasContext",
    "contextType",
    "groupsClass",
    "hasSubCategory",
    "sourceType",
    "authorType",
    "hasReference",
}

EXPECTED_DATATYPE_PROPERTIES = {
    "fieldKey",
    "filePath",
    "lineCount",
    "position",
    "startLine",
    "endLine",
    "text",
    "url",
    "tinyUrl",
    "archiveUrl",
    "sourceTypeText",
    "authorTypeText",
    "hasExample",
    "hasSourceCode",
    "referencesText",
    "otherHeaderField",
    "codingLabel",
    "codingKind",
    "codingStatus",
    "qualifier",
    "statementForm",
    "origin",
    "reason",
    "metaclass",
    "optionName",
    "roleName",
    "stereotype",
    "how",
    "levelText",
    "symbol",
    "altText",
    "imageUrl",
    "blockLabel",
    "isTemplate",
}

# enumeration class -> {individual: skos:notation as written in traces and model files}
EXPECTED_ENUMERATIONS = {
    "SourceType": {
        "PractitionerAudienceArticle": "Practitioner Audience Article",
        "Interview": "Interview",
        "Talk": "Talk",
        "AcademicArticle": "Academic Article",
        "Book": "Book",
    },
    "AuthorType": {
        "Practitioner": "Practitioner",
        "Academic": "Academic",
        "PractitionerAndAcademic": "Practitioner and Academic",
    },
    "ImpactLevel": {
        "VeryPositive": "very_positive",
        "Positive": "positive",
        "Neutral": "neutral",
        "Negative": "negative",
        "VeryNegative": "very_negative",
        "PositiveAndNegative": "positive_and_negative",
    },
    "RelationType": {
        "Requires": "requires",
        "Uses": "uses",
        "CanUse": "can_use",
        "CanBeCombinedWith": "can_be_combined_with",
        "CanBeRealizedWith": "can_be_realized_with",
        "Variant": "variant",
        "Extension": "extension",
        "IsA": "is_a",
        "Realizes": "realizes",
        "Includes": "includes",
        "AlternativeTo": "alternative_to",
        "RulesOut": "rules_out",
        "Influences": "influences",
        "LeadsTo": "leads_to",
        "Enables": "enables",
    },
    "NextDecisionType": {
        "NextDecision": "next_decision",
        "MandatoryNext": "mandatory_next",
        "OptionalNext": "optional_next",
        "ConsiderIfNotDecidedYet": "consider_if_not_decided_yet",
    },
    "ContextType": {
        "DecideForAllInstancesOf": "decide_for_all_instances_of",
        "DecideForSomeInstancesOf": "decide_for_some_instances_of",
    },
}

EXPECTED_SYMBOLS = {
    "VeryPositive": "++",
    "Positive": "+",
    "Neutral": "o",
    "Negative": "-",
    "VeryNegative": "--",
    "PositiveAndNegative": "+/-",
}

EXPECTED_DISJOINT_GROUPS = [
    {"Decision", "Force", "DesignSolution", "Category", "Context"},
    {
        "OptionLink",
        "ForceImpact",
        "SolutionRelation",
        "NextDecisionLink",
        "ContextLink",
        "DomainLink",
        "SubCategoryLink",
    },
    set(EXPECTED_ENUMERATIONS),
]

EXPECTED_INDIVIDUALS = {i for members in EXPECTED_ENUMERATIONS.values() for i in members}
EXPECTED_TERM_COUNT = (
    len(EXPECTED_CLASSES)
    + len(EXPECTED_OBJECT_PROPERTIES)
    + len(EXPECTED_DATATYPE_PROPERTIES)
    + len(EXPECTED_INDIVIDUALS)
)

KINDS = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
    OWL.NamedIndividual: "individual",
}


@cache
def ontology_graph() -> Graph:
    return Graph().parse(TTL, format="turtle")


def local(term: URIRef) -> str:
    return term[len(QG) :]


@cache
def declared_terms() -> dict[str, str]:
    """qg: local name -> kind, for every qg: term declared with an OWL type."""
    g = ontology_graph()
    terms: dict[str, str] = {}
    for rdf_type, kind in KINDS.items():
        for s in g.subjects(RDF.type, rdf_type):
            if isinstance(s, URIRef) and s.startswith(QG):
                assert local(s) not in terms, f"qg:{local(s)} is declared as two kinds"
                terms[local(s)] = kind
    return terms


def names_of_kind(kind: str) -> set[str]:
    return {name for name, k in declared_terms().items() if k == kind}


def one_of(cls: URIRef) -> list[URIRef]:
    g = ontology_graph()
    lists = [
        g.value(eq, OWL.oneOf)
        for eq in g.objects(cls, OWL.equivalentClass)
        if isinstance(eq, BNode) and g.value(eq, OWL.oneOf) is not None
    ]
    assert len(lists) == 1, f"qg:{local(cls)} needs exactly one owl:oneOf equivalent class"
    return list(Collection(g, lists[0]))


def member_lists(axiom_type: URIRef) -> list[set[str]]:
    g = ontology_graph()
    return [
        {local(m) for m in Collection(g, g.value(axiom, OWL.members))}
        for axiom in g.subjects(RDF.type, axiom_type)
    ]


# ---------------------------------------------------------------------------------------------
# The file and its vocabulary (rdflib only)


def test_parses_with_rdflib():
    g = Graph().parse(TTL, format="turtle")
    assert len(g) > 500


def test_ontology_header():
    g = ontology_graph()
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in g
    assert g.value(onto, OWL.versionInfo) == Literal("0.1.0")
    # the version IRI names this release of the ontology; it moves with the package version
    assert g.value(onto, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version('qualgraph')}")
    assert g.value(onto, DCTERMS.title) is not None
    assert g.value(onto, DCTERMS.description) is not None
    assert "apache.org/licenses/LICENSE-2.0" in str(g.value(onto, DCTERMS.license))
    assert not list(g.objects(onto, OWL.imports)), "the ontology must load offline"
    assert dict(g.namespaces())["qg"] == URIRef(QG)


def test_term_counts():
    """Guards the parametrised label test below against silently checking nothing."""
    terms = declared_terms()
    assert len(terms) == EXPECTED_TERM_COUNT == 153
    assert len(names_of_kind("class")) == 46
    assert len(names_of_kind("object property")) == 38
    assert len(names_of_kind("datatype property")) == 34
    assert len(names_of_kind("individual")) == 35
    assert not names_of_kind("annotation property")


def test_vocabulary_is_exactly_the_one_the_loader_emits():
    assert names_of_kind("class") == set(EXPECTED_CLASSES)
    assert names_of_kind("object property") == EXPECTED_OBJECT_PROPERTIES
    assert names_of_kind("datatype property") == EXPECTED_DATATYPE_PROPERTIES
    assert names_of_kind("individual") == EXPECTED_INDIVIDUALS


def test_every_qg_iri_used_is_declared():
    """Catches typos such as qg:DesignSoluton in an axiom."""
    g = ontology_graph()
    used = {local(n) for triple in g for n in triple if isinstance(n, URIRef) and n.startswith(QG)}
    assert used - set(declared_terms()) == set()


@pytest.mark.parametrize("term", [pytest.param(name, id=name) for name in sorted(declared_terms())])
def test_term_has_one_label_and_a_definition(term):
    g = ontology_graph()
    iri = QG[term]
    labels = list(g.objects(iri, RDFS.label))
    assert len(labels) == 1, f"qg:{term} has {len(labels)} rdfs:label"
    assert labels[0].language == "en" and str(labels[0]).strip()
    definitions = list(g.objects(iri, SKOS.definition))
    assert len(definitions) == 1, f"qg:{term} has {len(definitions)} skos:definition"
    definition = definitions[0]
    assert definition.language == "en"
    assert len(str(definition)) > 20 and str(definition).endswith("."), definition


def test_labels_are_unique():
    """Protégé and other tools show labels, so no two terms may share one."""
    g = ontology_graph()
    seen: dict[str, str] = {}
    for term in sorted(declared_terms()):
        label = str(g.value(QG[term], RDFS.label)).casefold()
        assert label not in seen, f"qg:{term} and qg:{seen[label]} share the label {label!r}"
        seen[label] = term


def test_class_hierarchy():
    g = ontology_graph()
    for name, supers in EXPECTED_CLASSES.items():
        found = {g.qname(s) for s in g.objects(QG[name], RDFS.subClassOf) if isinstance(s, URIRef)}
        assert found == supers, name


def test_disjointness_axioms():
    groups = member_lists(OWL.AllDisjointClasses)
    for expected in EXPECTED_DISJOINT_GROUPS:
        assert expected in groups


def test_external_terms_are_declared_with_their_kind():
    g = ontology_graph()
    expected = {
        OWL.Class: [
            "oa:Annotation",
            "oa:SpecificResource",
            "oa:TextQuoteSelector",
            "prov:Entity",
            "skos:Concept",
            "skos:ConceptScheme",
        ],
        OWL.ObjectProperty: [
            "oa:hasBody",
            "oa:hasTarget",
            "oa:hasSource",
            "oa:hasSelector",
            "oa:motivatedBy",
            "prov:wasDerivedFrom",
        ],
        OWL.DatatypeProperty: ["dcterms:identifier", "skos:notation", "oa:exact"],
        OWL.AnnotationProperty: [
            "dcterms:title",
            "dcterms:description",
            "dcterms:license",
            "skos:definition",
            "skos:prefLabel",
        ],
    }
    for rdf_type, qnames in expected.items():
        for qname in qnames:
            assert (g.namespace_manager.expand_curie(qname), RDF.type, rdf_type) in g, qname


def test_property_domains_ranges_and_functionality():
    g = ontology_graph()

    def qn(node):
        return g.qname(node) if node is not None else None

    assert qn(g.value(QG.impactLevel, RDFS.range)) == "qg:ImpactLevel"
    assert qn(g.value(QG.option, RDFS.range)) == "qg:DesignSolution"
    assert qn(g.value(QG.hasNextDecision, RDFS.range)) == "qg:Decision"
    assert g.value(QG.inSegment, RDFS.domain) is None
    assert g.value(QG.text, RDFS.range) == XSD.string
    assert g.value(QG.startLine, RDFS.range) == XSD.integer
    assert g.value(QG.hasSourceCode, RDFS.range) == XSD.boolean
    functional = {local(p) for p in g.subjects(RDF.type, OWL.FunctionalProperty)}
    for name in (
        "inDocument",
        "inSegment",
        "quoteOf",
        "groundedIn",
        "claimant",
        "claimedCode",
        "decision",
        "option",
        "solution",
        "force",
        "impactLevel",
        "symbol",
    ):
        assert name in functional, name
    for name in ("mentions", "hasOption", "impacts", "claimsCode", "definedBy", "startLine"):
        assert name not in functional, name


@pytest.mark.parametrize(
    "enumeration", [pytest.param(name, id=name) for name in EXPECTED_ENUMERATIONS]
)
def test_enumeration_is_exactly_the_expected_set(enumeration):
    g = ontology_graph()
    expected = EXPECTED_ENUMERATIONS[enumeration]
    members = one_of(QG[enumeration])
    assert [local(m) for m in members] == list(expected)  # the natural order, e.g. ++ to --
    assert {local(s) for s in g.subjects(RDF.type, QG[enumeration])} == set(expected)
    for name, notation in expected.items():
        assert (QG[name], RDF.type, OWL.NamedIndividual) in g
        assert list(g.objects(QG[name], SKOS.notation)) == [Literal(notation)]
    assert set(expected) in member_lists(OWL.AllDifferent)


def test_impact_level_symbols():
    g = ontology_graph()
    found = {local(s): str(o) for s, o in g.subject_objects(QG.symbol)}
    assert found == EXPECTED_SYMBOLS


# ---------------------------------------------------------------------------------------------
# The generated documentation


def load_doc_script():
    spec = importlib.util.spec_from_file_location("make_ontology_doc", DOC_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doc_is_up_to_date():
    expected = load_doc_script().render(TTL)
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/ontology.md is out of date: run `python docs/make_ontology_doc.py`"
    )


def test_doc_lists_every_term():
    page = load_doc_script().render(TTL)
    rows = [line for line in page.splitlines() if line.startswith("| `qg:")]
    assert len(rows) == EXPECTED_TERM_COUNT
    assert {row.split("`")[1].removeprefix("qg:") for row in rows} == set(declared_terms())


# ---------------------------------------------------------------------------------------------
# OWL: owlready2 and the HermiT reasoner


def java_or_skip() -> str:
    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        pytest.skip(f"Java ({owlready2.JAVA_EXE!r}) is not installed; the HermiT reasoner needs it")
    return java


def load_ontology(world, tmp_path: Path):
    """owlready2 0.51 reads RDF/XML, OWL/XML and N-Triples but not Turtle, so convert first."""
    nt = tmp_path / "qualgraph.nt"
    ontology_graph().serialize(nt, format="nt", encoding="utf-8")
    return world.get_ontology(f"file://{nt}").load()


def load_data(world, tmp_path: Path, graph: Graph, name: str = "data"):
    path = tmp_path / f"{name}.owl"
    graph.serialize(path, format="xml")
    return world.get_ontology(f"file://{path}").load()


def data_graph() -> Graph:
    """A small study: a source, a quote, a grounding, a claim, a decision model."""
    g = Graph()
    g.bind("qg", QG)
    g.bind("oa", OA)
    g.bind("ex", DATA)
    g.add((DATA.data, RDF.type, OWL.Ontology))

    def individual(iri, *types):
        g.add((iri, RDF.type, OWL.NamedIndividual))
        for t in types:
            g.add((iri, RDF.type, t))

    individual(DATA.trace, QG.TraceDocument)
    g.add((DATA.trace, QG.filePath, Literal("traces/s_25.md")))
    individual(DATA.s25, QG.Source)
    g.add((DATA.s25, QG.sourceType, QG.PractitionerAudienceArticle))
    g.add((DATA.s25, QG.hasExample, Literal(True)))
    g.add((DATA.trace, QG.describesSource, DATA.s25))
    individual(DATA.segment, QG.Segment)
    g.add((DATA.segment, QG.inDocument, DATA.trace))
    individual(DATA.quote, QG.Quote)
    g.add((DATA.quote, QG.inSegment, DATA.segment))
    g.add((DATA.quote, QG.quoteOf, DATA.s25))
    g.add((DATA.quote, QG.text, Literal("Keep one source of truth for each data product.")))
    g.add((DATA.quote, QG.startLine, Literal(57)))

    individual(DATA.search_engine, QG.Pattern)
    individual(DATA.discovery_decision, QG.Decision)
    individual(DATA.findability, QG.Force)
    individual(DATA.option_link, QG.OptionLink)
    g.add((DATA.option_link, QG.decision, DATA.discovery_decision))
    individual(DATA.catalog)  # no class: OWL infers it from the option link
    g.add((DATA.option_link, QG.option, DATA.catalog))
    g.add((DATA.option_link, QG.optionName, Literal("Catalog")))
    individual(DATA.impact, QG.ForceImpact)
    g.add((DATA.impact, QG.solution, DATA.search_engine))
    g.add((DATA.impact, QG.force, DATA.findability))
    g.add((DATA.impact, QG.impactLevel, QG.VeryPositive))

    individual(DATA.grounding, QG.Grounding)
    g.add((DATA.grounding, OA.hasBody, DATA.search_engine))
    g.add((DATA.grounding, OA.hasTarget, DATA.target))
    g.add((DATA.grounding, OA.motivatedBy, OA.classifying))
    g.add((DATA.grounding, QG.groundedIn, DATA.quote))
    individual(DATA.target, OA.SpecificResource)
    g.add((DATA.target, OA.hasSource, DATA.quote))
    g.add((DATA.target, OA.hasSelector, DATA.selector))
    individual(DATA.selector, OA.TextQuoteSelector)
    g.add((DATA.selector, OA.exact, Literal("Keep one source of truth for each data product.")))
    individual(DATA.claim, QG.Claim)
    g.add((DATA.claim, QG.claimant, DATA.s25))
    g.add((DATA.claim, QG.claimedCode, DATA.search_engine))
    return g


@pytest.fixture
def world():
    w = owlready2.World()
    yield w
    w.close()


def test_loads_in_owlready2(world, tmp_path):
    onto = load_ontology(world, tmp_path)
    assert onto.base_iri == str(QG)
    assert {c.name for c in onto.classes() if c.iri.startswith(QG)} == set(EXPECTED_CLASSES)
    assert onto.Pattern in onto.DesignSolution.descendants()
    assert onto.DomainClass in onto.Context.descendants()
    for enumeration, expected in EXPECTED_ENUMERATIONS.items():
        cls = getattr(onto, enumeration)
        (one_of_,) = [e for e in cls.equivalent_to if hasattr(e, "instances")]
        assert {i.name for i in one_of_.instances} == set(expected), enumeration


def test_owl2_dl_profile(tmp_path):
    """OWL API (bundled in owlready2's HermiT.jar) checks that the ontology is OWL 2 DL."""
    java = java_or_skip()
    hermit_jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    owl = tmp_path / "qualgraph.owl"
    ontology_graph().serialize(owl, format="xml")
    check = tmp_path / "DLCheck.java"
    check.write_text(
        """
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;
public class DLCheck {
  public static void main(String[] args) throws Exception {
    OWLOntology o = OWLManager.createOWLOntologyManager()
        .loadOntologyFromOntologyDocument(new java.io.File(args[0]));
    OWLProfileReport report = new OWL2DLProfile().checkOntology(o);
    for (OWLProfileViolation v : report.getViolations()) System.out.println("VIOLATION " + v);
    System.out.println("in-profile=" + report.isInProfile());
  }
}
""",
        encoding="utf-8",
    )
    try:
        run = subprocess.run(
            [java, "-cp", str(hermit_jar), str(check), str(owl)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the OWL API profile check timed out")
    if "in-profile=" not in run.stdout and "javac" in run.stderr.lower():
        pytest.skip("this Java cannot run single-file source programs (no compiler)")
    assert "in-profile=true" in run.stdout, run.stdout + run.stderr


def test_reasoner_finds_the_ontology_consistent(world, tmp_path):
    java_or_skip()
    load_ontology(world, tmp_path)
    owlready2.sync_reasoner(world, infer_property_values=False, debug=0)


def test_reasoner_classifies_a_small_study(world, tmp_path):
    java_or_skip()
    onto = load_ontology(world, tmp_path)
    load_data(world, tmp_path, data_graph())
    pattern = world[str(DATA.search_engine)]
    catalog = world[str(DATA.catalog)]
    assert pattern is not None and catalog is not None
    assert onto.DesignSolution not in catalog.is_a

    started = time.perf_counter()
    owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    print(f"HermiT: {time.perf_counter() - started:.1f} s")

    assert onto.DesignSolution in pattern.INDIRECT_is_a  # Pattern ⊑ Practice ⊑ DesignSolution
    assert pattern in onto.DesignSolution.instances()
    assert onto.Code in pattern.INDIRECT_is_a
    # the option of an option link is a design solution (rdfs:range), inferred by HermiT
    assert onto.DesignSolution in catalog.is_a
    assert onto.Decision not in catalog.INDIRECT_is_a


def _typed(g: Graph, iri: URIRef, *types: URIRef) -> Graph:
    for t in types:
        g.add((iri, RDF.type, t))
    return g


def inconsistent_both_decision_and_force() -> Graph:
    return _typed(data_graph(), DATA.discovery_decision, QG.Force)


def inconsistent_force_as_an_option() -> Graph:
    g = data_graph()
    g.add((DATA.option_link, QG.option, DATA.findability))  # a force cannot be an option
    return g


def inconsistent_two_impact_levels() -> Graph:
    g = data_graph()
    g.add((DATA.impact, QG.impactLevel, QG.VeryNegative))
    return g


def inconsistent_link_of_two_kinds() -> Graph:
    return _typed(data_graph(), DATA.impact, QG.SolutionRelation)


@pytest.mark.parametrize(
    "make_graph",
    [
        pytest.param(inconsistent_both_decision_and_force, id="decision-and-force"),
        pytest.param(inconsistent_force_as_an_option, id="force-as-option"),
        pytest.param(inconsistent_two_impact_levels, id="two-impact-levels"),
        pytest.param(inconsistent_link_of_two_kinds, id="link-of-two-kinds"),
    ],
)
def test_reasoner_detects_inconsistent_data(world, tmp_path, make_graph):
    java_or_skip()
    load_ontology(world, tmp_path)
    load_data(world, tmp_path, make_graph())
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
