"""Validation end to end: a valid fixture study conforms; each defect fires exactly its finding.

Mutations are written as trace files (the valid fixture with one edit), loaded and validated as
`qualgraph validate` does; each test asserts the complete set of findings, shape or loader
diagnostic, at file and line. Both engines must give the same results on every fixture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from qualgraph.diagnostics import Severity
from qualgraph.errors import InputError
from qualgraph.rdf.emit import emit_ntriples
from qualgraph.rdf.namespaces import DEFAULT_BASE
from qualgraph.rdf.terms import NTriples
from qualgraph.shacl.report import Compactor, Finding, merge
from qualgraph.shacl.shapes import load_shapes, plan_shapes, read_shapes
from qualgraph.shacl.validate import validate
from qualgraph.study.load import load_study

from .conftest import FIXTURES, SEEDS

VALID = FIXTURES / "validate"
QUOTE_1 = "> Every team publishes its data with a named owner who answers for its quality.\n"
RULE_PREFIXES = (
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "@prefix qg: <https://w3id.org/qualgraph/ontology#> .\n"
    "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
)


@dataclass(frozen=True)
class Mutation:
    """One defect: text edits (file, old, new) of the valid study, and extra files."""

    edits: tuple[tuple[str, str, str], ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def write(self, folder: Path) -> dict[str, str]:
        folder.mkdir(parents=True, exist_ok=True)
        texts = {path.name: path.read_text(encoding="utf-8") for path in VALID.glob("*.md")}
        for name, old, new in self.edits:
            assert texts[name].count(old) == 1, f"{old!r} must occur once in {name}"
            texts[name] = texts[name].replace(old, new)
        texts.update(self.extra)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        return texts


def edit(file: str, old: str, new: str) -> Mutation:
    return Mutation(((file, old, new),))


def block(label: str, *lines: str) -> str:
    """An axial python block under `label`, as researchers write it."""
    return f"{label}\n``` python\n" + "".join(f"    {line}\n" for line in lines) + "```\n"


def code_list(source: str, *names: str) -> str:
    return block(f"add codes to {source}:", "'''", *(f"    {name}" for name in names), "'''")


def line_of(text: str, needle: str) -> int:
    """The 1-based line on which `needle` (unique in `text`) starts."""
    assert text.count(needle) == 1, f"{needle!r} must occur once"
    return text[: text.index(needle)].count("\n") + 1


def findings(folder: Path, engine: str = "oxigraph") -> tuple[Finding, ...]:
    loaded = load_study([folder], [])
    report = validate(emit_ntriples(loaded.study), engine=engine)
    return merge(loaded.diagnostics, report, Compactor(DEFAULT_BASE))


def summary(found: tuple[Finding, ...]) -> set[tuple[str, str | None, int | None, str | None]]:
    """(rule, file name, line, value) of each finding."""
    return {(f.rule, Path(f.file).name if f.file else None, f.line, f.value) for f in found}


def test_the_valid_fixture_study_has_no_findings_at_all():
    for engine in ("oxigraph", "pyshacl"):
        assert findings(VALID, engine) == ()


OPTION_COPY = '    add_decision_option_link(data_access_decision, copy_data, "Copy")\n'
OPTION_READ = '    add_decision_option_link(data_access_decision, read_in_place, "Read in place")\n'
DECISION = "data_access_decision = CClass"
IMPACTS = "add_force_relations"
CODING = "# coding\n"
CLEAR_OWNERSHIP = "study:code/clear_ownership"
RELABELLED = '"Reading in place"'

# Each entry: the mutation, then the expected findings as (rule, file, where, value); `where` is
# a line number, or a text whose line in the mutated file is the finding's line.
MUTATIONS: dict[str, tuple[Mutation, set[tuple[str, str, str | int, str | None]]]] = {
    "quote removed, claimed code ungrounded": (
        edit("s_1.md", QUOTE_1, ""),
        {("qgsh:ClaimGrounded", "s_1.md", "        clear_ownership\n", CLEAR_OWNERSHIP)},
    ),
    "code grounded only in another source": (
        edit("s_2.md", CODING, CODING + "\n" + code_list("s2", "clear_ownership")),
        {("qgsh:ClaimGroundedInOwnSource", "s_2.md", "        clear_ownership\n", CLEAR_OWNERSHIP)},
    ),
    "bad source type": (
        Mutation(
            (
                ("s_1.md", "\nPractitioner Audience Article\n", "\nBlog post\n"),
                ("s_1.md", '"type": "Practitioner Audience Article"', '"type": "Blog post"'),
            )
        ),
        {("qgsh:SourceTypeKnown", "s_1.md", "Blog post\n", '"Blog post"')},
    ),
    "bad author type": (
        Mutation(
            (
                ("s_2.md", "\nPractitioner and Academic\n", "\nEngineer\n"),
                ("s_2.md", '"Practitioner and Academic"', '"Engineer"'),
            )
        ),
        {("qgsh:AuthorTypeKnown", "s_2.md", "Engineer\n", '"Engineer"')},
    ),
    "missing title": (
        edit("s_1.md", "## title\nTreating Data as a Product\n", ""),
        {("qgsh:SourceTitle", "s_1.md", 1, None)},
    ),
    "example flag neither yes nor no": (
        Mutation(
            (
                ("s_2.md", "## example\nno", "## example\nmaybe"),
                ("s_2.md", '"example": False', '"example": "maybe"'),
            )
        ),
        {("qgsh:SourceExampleFlag", "s_2.md", "maybe\n", None)},
    ),
    "bad impact level": (
        edit("s_1.md", "{consistency: positive}", "{consistency: positve}"),
        {("qgsh:ImpactLevelKnown", "s_1.md", IMPACTS, '"positve"')},
    ),
    "impact on something that is not a force": (
        edit("s_1.md", "copy_data: {consistency:", "copy_data: {read_in_place:"),
        {("qgsh:ImpactForce", "s_1.md", IMPACTS, "study:code/read_in_place")},
    ),
    "decision with no option": (
        edit("s_1.md", OPTION_COPY + OPTION_READ, ""),
        {("qgsh:DecisionHasOption", "s_1.md", DECISION, None)},
    ),
    "decision with one option": (
        edit("s_1.md", OPTION_COPY, ""),
        {("qgsh:DecisionHasTwoOptions", "s_1.md", DECISION, "study:code/read_in_place")},
    ),
    "option that is a force": (
        edit("s_1.md", OPTION_READ, OPTION_READ.replace("read_in_place,", "consistency,")),
        {("qgsh:OptionLinkOption", "s_1.md", "decision, consistency", "study:code/consistency")},
    ),
    "relation with an unknown type": (
        edit("s_1.md", "stereotype_instances=alternative_to", "stereotype_instances=supports"),
        {("qgsh:RelationTypeKnown", "s_1.md", "=supports", '"supports"')},
    ),
    "link written before any quote": (
        edit(
            "s_2.md",
            CODING,
            CODING
            + "\n"
            + block("added:", "add_force_relations({read_in_place: {consistency: neutral}})"),
        ),
        {
            ("qgsh:LinkGrounded", "s_2.md", IMPACTS, "study:code/read_in_place"),
            ("qgsh:LinkGrounded", "s_2.md", IMPACTS, "study:code/consistency"),
        },
    ),
    "empty quote": (
        edit("s_1.md", "> Consumers either", ">\n\n> Consumers either"),
        {("qgsh:QuoteNotEmpty", "s_1.md", ">\n\n> Consumers", '""')},
    ),
    "undefined name": (
        edit("s_2.md", "option: read_in_place", "options: read_in_place, read_in_plaice"),
        {
            ("undefined-name", "s_2.md", "Familiar options", None),
            ("qgsh:CodeDefined", "s_2.md", "Familiar options", None),
        },
    ),
    "name defined twice with different labels": (
        edit(
            "s_2.md",
            "add codes to s2:",
            block("added:", f"read_in_place = CClass(pattern, {RELABELLED})")
            + "\nadd codes to s2:",
        ),
        {
            ("conflicting-definition", "s_2.md", RELABELLED, None),
            ("qgsh:CodeLabelsAgree", "s_1.md", '= CClass(pattern, "Read in place")', None),
        },
    ),
    "duplicate source id": (
        Mutation(extra={"s_2b.md": (VALID / "s_2.md").read_text(encoding="utf-8")}),
        # the loader keeps the second trace apart (as s2~N), so the shape has nothing to see
        {("duplicate-source", "s_2b.md", 2, None)},
    ),
    "header value disagrees with the source block": (
        edit("s_1.md", '"Treating Data as a Product"', '"Treating Data as Products"'),
        {("header-mismatch", "s_1.md", "## title", None)},
    ),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_defect_fires_exactly_its_finding_at_file_and_line(name, tmp_path):
    mutation, expected = MUTATIONS[name]
    texts = mutation.write(tmp_path)
    where = {
        (rule, file, at if isinstance(at, int) else line_of(texts[file], at), value)
        for rule, file, at, value in expected
    }
    assert summary(findings(tmp_path)) == where


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_both_engines_give_the_same_results(name, tmp_path):
    """The Oxigraph engine loads only the triples its shapes can see (footprint); pySHACL and
    the Oxigraph engine on the whole graph (given as rdflib triples) must agree with it."""
    MUTATIONS[name][0].write(tmp_path)
    triples = emit_ntriples(load_study([tmp_path], []).study)
    fast, oracle = validate(triples, engine="oxigraph"), validate(triples, engine="pyshacl")
    whole = validate(triples.to_rdflib(), engine="oxigraph")
    assert {r.key() for r in fast.results} == {r.key() for r in oracle.results}
    assert fast.results == oracle.results == whole.results  # messages, paths and places too


def test_results_name_focus_shape_value_message_and_place(tmp_path):
    texts = MUTATIONS["bad impact level"][0].write(tmp_path)
    (result,) = validate(emit_ntriples(load_study([tmp_path], []).study)).results
    line = line_of(texts["s_1.md"], IMPACTS)
    impact = f"document/s_1/statement/{line}/impact/read_in_place/consistency/positve"
    assert result.focus == URIRef(DEFAULT_BASE + impact)
    assert result.shape == URIRef("https://w3id.org/qualgraph/shapes#ImpactLevelKnown")
    assert result.shape_name == "impact level is known"
    assert result.value == Literal("positve")
    assert result.message.startswith('"positve" is not an impact level: use very_positive')
    assert result.severity == SH.Violation
    assert (Path(result.file).name, result.line) == ("s_1.md", line)


def test_on_the_seed_the_report_names_the_undefined_codes_and_the_swapped_types():
    loaded = load_study([SEEDS], [])
    report = validate(emit_ntriples(loaded.study))
    found = merge(loaded.diagnostics, report, Compactor(DEFAULT_BASE))
    undefined = ("end_to_end", "trustworthy_decision", "reuse", "time_to_market")
    undefined += ("data_catalogue", "discovery_port")
    assert {f.focus for f in found if f.rule == "qgsh:CodeDefined"} == {
        f"study:code/{name}" for name in undefined
    }
    (swap,) = [f for f in found if f.rule == "header-mismatch"]
    assert "swaps author type and type" in swap.message and swap.line == 23
    assert max(f.severity for f in found) == Severity.WARNING  # so the seed exits 0 by default


def test_the_real_study_validates_to_the_end_with_every_result_located(corpus):
    loaded = load_study([corpus / "traces"])
    report = validate(emit_ntriples(loaded.study))
    assert report.results and all(r.file and r.line for r in report.results)
    grounding = [r for r in report.results if r.shape_name == "claimed code is grounded"]
    assert len(grounding) > 100
    # The final model credits s25 with clear_ownership, which only other sources' quotes ground;
    # the claim is placed at the line of s25_codes that lists it (model/sources_and_codes_model.py:371).
    (claim,) = [r for r in report.results if str(r.focus).endswith("/claim/s25/clear_ownership")]
    assert claim.shape_name == "claimed code is grounded in the claiming source"
    assert (Path(claim.file).name, claim.line) == ("sources_and_codes_model.py", 371)


# -- the engine on hand-written graphs: every supported SHACL feature, and clear refusals -------

EX = "http://example.org/"
HEAD = f"""@prefix ex: <{EX}> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
DATA = (
    HEAD
    + """
ex:Special rdfs:subClassOf ex:Thing .
ex:a a ex:Thing ; ex:name "A", "Alpha" ; ex:size 3 ; ex:colour ex:red ; ex:flag true ;
    ex:next ex:b, ex:c .
ex:b a ex:Special ; ex:name "" ; ex:size "big" ; ex:colour ex:mauve ; ex:next ex:c ; ex:flag "yes" .
ex:c ex:name "c" ; ex:next _:x .
_:x ex:name "blank" .
ex:d ex:points ex:a , ex:lit .
"""
)
SHAPES = (
    HEAD
    + """
ex:Names a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:name ;
    sh:minCount 1 ; sh:maxCount 1 ; sh:minLength 1 ; sh:maxLength 4 ; sh:pattern "^[A-Z]" .
ex:Size a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:size ;
    sh:datatype xsd:integer ; sh:severity sh:Warning .
ex:Flag a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:flag ; sh:datatype xsd:boolean .
ex:Colour a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:colour ;
    sh:in ( ex:red ex:green ) ; sh:hasValue ex:red .
ex:Next a sh:NodeShape ; sh:targetSubjectsOf ex:next ;
    sh:property [ sh:path ex:next ; sh:class ex:Thing ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path ( ex:next ex:name ) ; sh:maxCount 1 ; sh:severity sh:Info ] .
ex:Pointed a sh:PropertyShape ; sh:targetObjectsOf ex:points ;
    sh:path [ sh:inversePath ex:points ] ; sh:minCount 2 .
ex:NoAlpha a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "{$this} is called {?value}" ;
    sh:sparql [ sh:prefixes ex:prefixes ;
        sh:select "SELECT $this ?value WHERE { $this ex:name ?value FILTER (?value = 'Alpha') }" ] .
ex:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
"""
)


def turtle(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def test_every_supported_feature_gives_the_oracle_results():
    data, shapes = turtle(DATA), turtle(SHAPES)
    fast, oracle = validate(data, shapes, "oxigraph"), validate(data, shapes, "pyshacl")
    assert {r.key() for r in fast.results} == {r.key() for r in oracle.results}
    assert {(r.shape, r.shape_name) for r in fast.results} == {
        (r.shape, r.shape_name) for r in oracle.results
    }
    components = {
        r.component.removeprefix(str(SH)).removesuffix("ConstraintComponent") for r in fast.results
    }
    assert components == {
        "MinCount",
        "MaxCount",
        "MinLength",
        "MaxLength",
        "Pattern",
        "Datatype",
        "In",
        "HasValue",
        "Class",
        "NodeKind",
        "SPARQL",
    }
    assert {r.severity for r in fast.results} == {SH.Violation, SH.Warning, SH.Info}
    (sparql,) = [r for r in fast.results if r.shape == URIRef(EX + "NoAlpha")]
    assert sparql.message == f"{EX}a is called Alpha"
    assert sparql.message in {r.message for r in oracle.results}


BEYOND_THE_COMPILER = {
    "sh:targetNode": "ex:S sh:targetNode ex:a, ex:nowhere ; sh:class ex:Thing .",
    "sh:or": "ex:S sh:targetClass ex:Thing ; sh:or ( [ sh:path ex:size ; sh:datatype xsd:integer ] [ sh:path ex:flag ; sh:hasValue true ] ) .",
    "sh:node": "ex:S sh:targetClass ex:Thing ; sh:path ex:next ; sh:node ex:T . ex:T sh:property [ sh:path ex:size ; sh:minCount 1 ] .",
    "implicit class target": "ex:Thing a sh:NodeShape, rdfs:Class ; sh:property [ sh:path ex:size ; sh:minInclusive 4 ] .",
    "zero or more path": "ex:S sh:targetClass ex:Thing ; sh:path [ sh:zeroOrMorePath ex:next ] ; sh:nodeKind sh:IRI .",
    "closed": "ex:S sh:targetSubjectsOf ex:points ; sh:closed true ; sh:ignoredProperties ( rdf:type ) .",
    "$this in FILTER NOT EXISTS": "ex:S sh:targetClass ex:Thing ; sh:sparql [ sh:select 'SELECT $this WHERE { FILTER NOT EXISTS { $this <http://example.org/flag> true } }' ] .",
    "$this in BIND": """ex:S sh:targetNode ex:a, ex:nowhere ; sh:sparql [ sh:select "SELECT $this ?value WHERE { BIND (STR($this) AS ?value) FILTER (STRENDS(?value, 'a')) }" ] .""",
    "aggregate per focus node": """ex:S sh:targetClass ex:Thing ; sh:sparql [ sh:select "SELECT $this (COUNT(?o) AS ?value) WHERE { OPTIONAL { $this <http://example.org/next> ?o } } GROUP BY $this HAVING (COUNT(?o) < 2)" ] .""",
    "lessThan pairs": "ex:S sh:targetSubjectsOf ex:size ; sh:path ex:size ; sh:lessThan ex:name .",
    "inverse of a complex path": "ex:S sh:targetSubjectsOf ex:name ; sh:path [ sh:inversePath ( ex:next [ sh:zeroOrMorePath ex:next ] ) ] ; sh:maxCount 1 .",
}


@pytest.mark.parametrize("feature", list(BEYOND_THE_COMPILER))
def test_shapes_beyond_the_compiler_run_node_by_node_as_pyshacl_does(feature):
    """What the set-based compiler cannot run exactly goes to the general engine (never a
    refusal, never a silent difference): the results are pySHACL's, duplicates included."""
    shapes = turtle(
        HEAD
        + "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        + BEYOND_THE_COMPILER[feature]
    )
    plan = plan_shapes(shapes)
    assert plan.general and not plan.specs
    data = turtle(DATA)
    fast = validate(data, shapes, "oxigraph", ontology=False)
    oracle = validate(data, shapes, "pyshacl", ontology=False)
    assert sorted(r.key() for r in fast.results) == sorted(r.key() for r in oracle.results)
    assert fast.results  # each of these finds something on DATA
    # As the CLI loads a study: only the triples the shapes can see (footprint.py)
    selected = validate(NTriples.from_rdflib(data), shapes, "oxigraph", ontology=False)
    assert sorted(map(_unlabelled, selected.results)) == sorted(map(_unlabelled, fast.results))


def _unlabelled(result) -> tuple[str, ...]:
    """A result's key with blank nodes unlabelled (N-Triples loading renames them)."""
    return tuple(
        "_:" if isinstance(t, BNode) else str(t)
        for t in (result.focus, result.shape, result.component, result.value, result.severity)
    )


def test_a_sparql_constraint_that_does_not_bind_this_runs_per_focus_node():
    # Pre-binding: $this is each focus node, so every Thing gets the row of ex:a's name.
    unbound = SHAPES.replace("$this ex:name ?value", "?someone ex:name ?value")
    assert unbound != SHAPES
    data, shapes = turtle(DATA), turtle(unbound)
    fast, oracle = validate(data, shapes, "oxigraph"), validate(data, shapes, "pyshacl")
    found = sorted(str(r.focus) for r in fast.results if r.shape == URIRef(EX + "NoAlpha"))
    assert found == [EX + "a", EX + "b"]
    assert sorted(r.key() for r in fast.results) == sorted(r.key() for r in oracle.results)
    (message,) = {
        r.message
        for r in fast.results
        if r.focus == URIRef(EX + "b") and r.shape == URIRef(EX + "NoAlpha")
    }
    assert message == f"{EX}b is called Alpha"


def test_the_bundled_shapes_are_all_runnable_by_the_fast_engine():
    specs = read_shapes(load_shapes())
    assert len(specs) == len({s.node for s in specs}) > 30


def test_extra_shapes_files_add_rules(tmp_path):
    extra = tmp_path / "study-rules.ttl"
    extra.write_text(
        RULE_PREFIXES
        + '<urn:rules#TinyUrl> a sh:PropertyShape ; sh:name "source has a tiny url" ;\n'
        + '    sh:message "Add a tiny url." ; sh:severity sh:Warning ;\n'
        + "    sh:targetClass qg:Source ; sh:path qg:tinyUrl ; sh:minCount 2 .\n",
        encoding="utf-8",
    )
    report = validate(emit_ntriples(load_study([VALID], []).study), load_shapes([extra]))
    assert {(r.shape_name, Path(r.file).name, r.line) for r in report.results} == {
        ("source has a tiny url", "s_1.md", 6),  # the `## tiny url` value line
        ("source has a tiny url", "s_2.md", 6),
    }


def test_an_unreadable_shapes_file_is_an_input_error(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="broken.ttl: not a valid shapes file"):
        load_shapes([broken])
    with pytest.raises(InputError, match="cannot read shapes file"):
        load_shapes([tmp_path / "missing.ttl"])
