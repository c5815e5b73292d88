"""Validation end to end: a valid fixture study conforms; each defect fires exactly its finding.

Mutations are written as trace files (the valid fixture with one edit), loaded and validated like
`qualgraph validate` does; each test asserts the complete set of findings, shape or loader
diagnostic, at file and line. Both engines must give the same results on every fixture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from loader.diagnostics import Severity
from loader.emit import emit_triples
from loader.namespaces import DEFAULT_BASE
from loader.report import Compactor, Finding, merge
from loader.shapes import UnsupportedShape, load_shapes, read_shapes
from loader.study import load_study
from loader.validate import validate

from .conftest import FIXTURES, SEEDS

VALID = FIXTURES / "validate"
QUOTE_1 = "> Every team publishes its data with a named owner who answers for its quality.\n"
ADD_CODES_S2 = "add codes to s2:"


@dataclass(frozen=True)
class Mutation:
    """One defect: text edits (file, old, new) of the valid study, and extra files."""

    edits: tuple[tuple[str, str, str], ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def write(self, folder: Path) -> dict[str, str]:
        folder.mkdir(parents=True, exist_ok=True)
        texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(VALID.glob("*.md"))}
        for name, old, new in self.edits:
            assert texts[name].count(old) == 1, f"{old!r} must occur once in {name}"
            texts[name] = texts[name].replace(old, new)
        texts.update(self.extra)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        return texts


def line_of(text: str, needle: str) -> int:
    """The 1-based line on which `needle` (unique in `text`) starts."""
    assert text.count(needle) == 1, f"{needle!r} must occur once"
    return text[: text.index(needle)].count("\n") + 1


def findings(folder: Path, engine: str = "oxigraph") -> tuple[Finding, ...]:
    loaded = load_study([folder], [])
    report = validate(emit_triples(loaded.study), engine=engine)
    return merge(loaded.diagnostics, report, Compactor(DEFAULT_BASE))


def summary(found: tuple[Finding, ...]) -> set[tuple[str, str | None, int | None, str | None]]:
    """(rule, file name, line, value) of each finding."""
    return {(f.rule, Path(f.file).name if f.file else None, f.line, f.value) for f in found}


def test_the_valid_fixture_study_has_no_findings_at_all():
    for engine in ("oxigraph", "pyshacl"):
        assert findings(VALID, engine) == ()


SOURCE_BLOCK_TITLE = '"title": "Treating Data as a Product"'
DEFINE_READ_IN_PLACE = '    read_in_place = CClass(pattern, "Read in place")'

# Each entry: the mutation, then the expected findings as (rule, file, needle, value); the line
# of a finding is the line of `needle` in the mutated file (1 for a source's header).
MUTATIONS: dict[str, tuple[Mutation, set[tuple[str, str, str | int, str | None]]]] = {
    "quote removed, claimed code ungrounded": (
        Mutation((("s_1.md", QUOTE_1, ""),)),
        {("qgsh:ClaimGrounded", "s_1.md", "        clear_ownership\n", "study:code/clear_ownership")},
    ),
    "code grounded only in another source": (
        Mutation(
            (("s_2.md", "# coding\n", "# coding\n\nadd codes to s2:\n``` python\n    '''\n        clear_ownership\n    '''\n```\n"),)
        ),
        {("qgsh:ClaimGroundedInOwnSource", "s_2.md", "        clear_ownership\n", "study:code/clear_ownership")},
    ),
    "bad source type": (
        Mutation(
            (
                ("s_1.md", "## source type\nPractitioner Audience Article", "## source type\nBlog post"),
                ("s_1.md", '"type": "Practitioner Audience Article"', '"type": "Blog post"'),
            )
        ),
        {("qgsh:SourceTypeKnown", "s_1.md", 1, '"Blog post"')},
    ),
    "bad author type": (
        Mutation(
            (
                ("s_2.md", "## author type\nPractitioner and Academic", "## author type\nEngineer"),
                ("s_2.md", '"author type": "Practitioner and Academic"', '"author type": "Engineer"'),
            )
        ),
        {("qgsh:AuthorTypeKnown", "s_2.md", 1, '"Engineer"')},
    ),
    "missing title": (
        Mutation((("s_1.md", "## title\nTreating Data as a Product\n", ""),)),
        {("qgsh:SourceTitle", "s_1.md", 1, None)},
    ),
    "example flag neither yes nor no": (
        Mutation((("s_2.md", "## example\nno", "## example\nmaybe"), ("s_2.md", '"example": False', '"example": "maybe"'))),
        {("qgsh:SourceExampleFlag", "s_2.md", 1, None)},
    ),
    "bad impact level": (
        Mutation((("s_1.md", "{consistency: positive}", "{consistency: positve}"),)),
        {("qgsh:ImpactLevelKnown", "s_1.md", "add_force_relations", '"positve"')},
    ),
    "impact on something that is not a force": (
        Mutation((("s_1.md", "copy_data: {consistency: negative}", "copy_data: {read_in_place: negative}"),)),
        {("qgsh:ImpactForce", "s_1.md", "add_force_relations", "study:code/read_in_place")},
    ),
    "decision with no option": (
        Mutation(
            (
                (
                    "s_1.md",
                    '    add_decision_option_link(data_access_decision, copy_data, "Copy")\n'
                    '    add_decision_option_link(data_access_decision, read_in_place, "Read in place")\n',
                    "",
                ),
            )
        ),
        {("qgsh:DecisionHasOption", "s_1.md", "data_access_decision = CClass", None)},
    ),
    "decision with one option": (
        Mutation((("s_1.md", '    add_decision_option_link(data_access_decision, copy_data, "Copy")\n', ""),)),
        {("qgsh:DecisionHasTwoOptions", "s_1.md", "data_access_decision = CClass", "study:code/read_in_place")},
    ),
    "option that is a force": (
        Mutation(
            (("s_1.md", "    add_force_relations", '    add_decision_option_link(data_access_decision, consistency, "C")\n    add_force_relations'),)
        ),
        {("qgsh:OptionLinkOption", "s_1.md", '(data_access_decision, consistency, "C")', "study:code/consistency")},
    ),
    "relation with an unknown type": (
        Mutation((("s_1.md", "stereotype_instances=alternative_to", "stereotype_instances=supports"),)),
        {("qgsh:RelationTypeKnown", "s_1.md", "stereotype_instances=supports", '"supports"')},
    ),
    "link written before any quote": (
        Mutation(
            (("s_2.md", "# coding\n", "# coding\n\nadded:\n``` python\n    add_force_relations({read_in_place: {consistency: positive}})\n```\n"),)
        ),
        {
            ("qgsh:LinkGrounded", "s_2.md", "add_force_relations", "study:code/read_in_place"),
            ("qgsh:LinkGrounded", "s_2.md", "add_force_relations", "study:code/consistency"),
        },
    ),
    "empty quote": (
        Mutation((("s_1.md", "> Consumers either", ">\n\n> Consumers either"),)),
        {("qgsh:QuoteNotEmpty", "s_1.md", ">\n\n> Consumers", '""')},
    ),
    "undefined name": (
        Mutation((("s_2.md", "Familiar option: read_in_place", "Familiar options: read_in_place, read_in_plaice"),)),
        {
            ("undefined-name", "s_2.md", "Familiar options", None),
            ("qgsh:CodeDefined", "s_2.md", "Familiar options", None),
        },
    ),
    "name defined twice with different labels": (
        Mutation((("s_2.md", ADD_CODES_S2, 'added:\n``` python\n    read_in_place = CClass(pattern, "Reading in place")\n```\n\n' + ADD_CODES_S2),)),
        {
            ("conflicting-definition", "s_2.md", '"Reading in place"', None),
            ("qgsh:CodeLabelsAgree", "s_1.md", DEFINE_READ_IN_PLACE, None),
        },
    ),
    "duplicate source id": (
        Mutation(extra={"s_2b.md": (VALID / "s_2.md").read_text(encoding="utf-8")}),
        {("duplicate-source", "s_2b.md", 1, None), ("qgsh:SourceIdUnique", "s_2.md", 1, None)},
    ),
    "header value disagrees with the source block": (
        Mutation((("s_1.md", SOURCE_BLOCK_TITLE, '"title": "Treating Data as Products"'),)),
        {("header-mismatch", "s_1.md", "## title", None)},
    ),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_defect_fires_exactly_its_finding_at_file_and_line(name, tmp_path):
    mutation, expected = MUTATIONS[name]
    texts = mutation.write(tmp_path)
    where = {(rule, file, at if isinstance(at, int) else line_of(texts[file], at), value) for rule, file, at, value in expected}
    assert summary(findings(tmp_path)) == where


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_both_engines_give_the_same_results(name, tmp_path):
    MUTATIONS[name][0].write(tmp_path)
    loaded = load_study([tmp_path], [])
    triples = emit_triples(loaded.study)
    fast, oracle = validate(triples, engine="oxigraph"), validate(triples, engine="pyshacl")
    assert {r.key() for r in fast.results} == {r.key() for r in oracle.results}
    assert fast.results == oracle.results  # messages, paths and places too


def test_results_name_focus_shape_value_message_and_place(tmp_path):
    texts = MUTATIONS["bad impact level"][0].write(tmp_path)
    (result,) = validate(emit_triples(load_study([tmp_path], []).study)).results
    line = line_of(texts["s_1.md"], "add_force_relations")
    assert result.focus == URIRef(f"{DEFAULT_BASE}document/s_1/statement/{line}/impact/read_in_place/consistency/positve")
    assert result.shape == URIRef("https://w3id.org/qualgraph/shapes#ImpactLevelKnown")
    assert result.shape_name == "impact level is known"
    assert result.value == Literal("positve")
    assert result.message.startswith('"positve" is not an impact level: use very_positive')
    assert result.severity == SH.Violation
    assert (Path(result.file).name, result.line) == ("s_1.md", line)


def test_on_the_seed_the_report_names_the_undefined_codes_and_the_swapped_types():
    loaded = load_study([SEEDS], [])
    found = merge(loaded.diagnostics, validate(emit_triples(loaded.study)), Compactor(DEFAULT_BASE))
    undefined = {f.focus for f in found if f.rule == "qgsh:CodeDefined"}
    assert undefined == {
        f"study:code/{name}"
        for name in ("end_to_end", "trustworthy_decision", "reuse", "time_to_market", "data_catalogue", "discovery_port")
    }
    (swap,) = [f for f in found if f.rule == "header-mismatch"]
    assert "swaps author type and type" in swap.message and swap.line == 23
    assert max(f.severity for f in found) == Severity.WARNING  # so the seed exits 0 by default


def test_the_real_study_validates_to_the_end_with_every_result_located(corpus):
    loaded = load_study([corpus / "traces"])
    report = validate(emit_triples(loaded.study))
    assert report.results and all(r.file and r.line for r in report.results)
    by_shape = {}
    for r in report.results:
        by_shape[r.shape_name] = by_shape.get(r.shape_name, 0) + 1
    assert by_shape["claimed code is grounded"] > 100
    # The final model credits s25 with clear_ownership, which only another source's quotes ground;
    # the claim is placed at the add_links call that makes it (model/sources_and_codes_model.py:374).
    (claim,) = [r for r in report.results if str(r.focus).endswith("/claim/s25/clear_ownership")]
    assert claim.shape_name == "claimed code is grounded in the claiming source"
    assert (Path(claim.file).name, claim.line) == ("sources_and_codes_model.py", 374)


# -- the engine on hand-written graphs: every supported SHACL feature, and clear refusals --------

EX = "http://example.org/"
DATA = f"""
@prefix ex: <{EX}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Special rdfs:subClassOf ex:Thing .
ex:a a ex:Thing ; ex:name "A", "Alpha" ; ex:size 3 ; ex:colour ex:red ; ex:next ex:b, ex:c ; ex:flag true .
ex:b a ex:Special ; ex:name "" ; ex:size "big" ; ex:colour ex:mauve ; ex:next ex:c ; ex:flag "yes" .
ex:c ex:name "c" ; ex:next _:x .
_:x ex:name "blank" .
ex:d ex:points ex:a , ex:lit .
"""
SHAPES = f"""
@prefix ex: <{EX}> . @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Names a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:name ;
    sh:minCount 1 ; sh:maxCount 1 ; sh:minLength 1 ; sh:maxLength 4 ; sh:pattern "^[A-Z]" .
ex:Size a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:size ; sh:datatype xsd:integer ; sh:severity sh:Warning .
ex:Flag a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:flag ; sh:datatype xsd:boolean .
ex:Colour a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:colour ; sh:in ( ex:red ex:green ) ; sh:hasValue ex:red .
ex:Next a sh:NodeShape ; sh:targetSubjectsOf ex:next ;
    sh:property [ sh:path ex:next ; sh:class ex:Thing ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path ( ex:next ex:name ) ; sh:maxCount 1 ; sh:severity sh:Info ] .
ex:Pointed a sh:PropertyShape ; sh:targetObjectsOf ex:points ; sh:path [ sh:inversePath ex:points ] ; sh:minCount 2 .
ex:NoAlpha a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "{{$this}} is called {{?value}}" ;
    sh:sparql [ sh:select "SELECT $this ?value WHERE {{ $this <{EX}name> ?value . FILTER (?value = 'Alpha') }}" ] .
"""


def _shacl_results(engine: str, shapes: str = SHAPES) -> set[tuple[str, ...]]:
    report = validate(Graph().parse(data=DATA, format="turtle"), Graph().parse(data=shapes, format="turtle"), engine)
    return {r.key() + (r.message,) for r in report.results}


def test_every_supported_feature_gives_the_oracle_results():
    data, shapes = Graph().parse(data=DATA, format="turtle"), Graph().parse(data=SHAPES, format="turtle")
    fast, oracle = validate(data, shapes, "oxigraph"), validate(data, shapes, "pyshacl")
    assert {r.key() for r in fast.results} == {r.key() for r in oracle.results}
    assert {r.component.split("#")[1] for r in fast.results} == {
        "MinCountConstraintComponent",
        "MaxCountConstraintComponent",
        "MinLengthConstraintComponent",
        "MaxLengthConstraintComponent",
        "PatternConstraintComponent",
        "DatatypeConstraintComponent",
        "InConstraintComponent",
        "HasValueConstraintComponent",
        "ClassConstraintComponent",
        "NodeKindConstraintComponent",
        "SPARQLConstraintComponent",
    }
    assert {r.severity for r in fast.results} == {SH.Violation, SH.Warning, SH.Info}
    (sparql,) = [r for r in fast.results if r.shape == URIRef(EX + "NoAlpha")]
    assert sparql.message == f"{EX}a is called Alpha"
    assert sparql.message in {r.message for r in oracle.results}


@pytest.mark.parametrize(
    "shape, feature",
    [
        ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:class ex:Thing .", "sh:targetNode"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:or ( [ sh:class ex:Thing ] ) .", "sh:or"),
        ("ex:S a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:next ; sh:node ex:T .", "sh:node"),
        ("ex:S a sh:NodeShape, rdfs:Class ; sh:class ex:Thing .", "implicit class target"),
        ("ex:S a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path [ sh:zeroOrMorePath ex:next ] ; sh:minCount 1 .", "sequence of them"),
    ],
)
def test_the_oxigraph_engine_refuses_what_it_cannot_run(shape, feature):
    shapes = Graph().parse(
        data="@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> . "
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . " + shape,
        format="turtle",
    )
    with pytest.raises(UnsupportedShape, match=feature):
        validate(Graph().parse(data=DATA, format="turtle"), shapes, "oxigraph")


def test_a_sparql_constraint_must_bind_this_itself():
    unbound = SHAPES.replace(f"$this <{EX}name> ?value .", f"?someone <{EX}name> ?value .")
    assert unbound != SHAPES
    with pytest.raises(UnsupportedShape, match=r"must bind\s+\$this"):
        _shacl_results("oxigraph", unbound)


def test_the_bundled_shapes_are_all_runnable_by_the_fast_engine():
    specs = read_shapes(load_shapes())
    assert len(specs) == len({s.node for s in specs}) > 30


def test_extra_shapes_files_add_rules(tmp_path):
    extra = tmp_path / "study-rules.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix qg: <https://w3id.org/qualgraph/ontology#> .\n"
        "<urn:rules#TinyUrl> a sh:PropertyShape ; sh:name \"source has a tiny url\" ; sh:message \"Add a tiny url.\" ;\n"
        "    sh:severity sh:Warning ; sh:targetClass qg:Source ; sh:path qg:tinyUrl ; sh:minCount 2 .\n",
        encoding="utf-8",
    )
    loaded = load_study([VALID], [])
    report = validate(emit_triples(loaded.study), load_shapes([extra]))
    assert {(r.shape_name, Path(r.file).name, r.line) for r in report.results} == {
        ("source has a tiny url", "s_1.md", 1),
        ("source has a tiny url", "s_2.md", 1),
    }


def test_an_unreadable_shapes_file_is_an_input_error(tmp_path):
    from loader.errors import InputError

    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="broken.ttl: not a valid shapes file"):
        load_shapes([broken])
    with pytest.raises(InputError, match="cannot read shapes file"):
        load_shapes([tmp_path / "missing.ttl"])
