"""The graph says what CodeableModels builds from the same model files (issue: link direction,
domain links, models that would not run, source identity).

The references are the study's own outputs, made by running the model in CodeableModels:
the PlantUML text of each decision view in published/diagrams/*.txt."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from qualgraph.rdf.emit import emit_ntriples
from qualgraph.read.metamodel import RELATION_STEREOTYPES
from qualgraph.shacl.validate import validate
from qualgraph.study.load import load_study

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


# -- fixtures written by the tests: one defect each ---------------------------------------

TRACE = """# s
1
## title
A source
## source type
Practitioner Audience Article
## author type
Practitioner
## example
no
## source code
no

**AXIAL CODING TRACE**: source
``` python
s1 = CClass(source, "s1", values={"title": "A source"})
```

# coding

> Catalogues and search engines go together, said the source.

**AXIAL CODING TRACE:**
``` python
    catalogue = CClass(pattern, "Catalogue")
    engine = CClass(pattern, "Search Engine")
    engine.add_links(catalogue, role_name="from", stereotype_instances=uses)
```
"""

HEADER = """from codeable_models import CClass, add_links
from metamodels.guidance_metamodel import decision, pattern, practice, uses, can_use
from metamodels.GT_coding import source
from metamodels.domain_metamodel import domain_metaclass, and_combined_group
"""


def study(tmp_path: Path, model: str, **modules: str):
    """A one-trace study with `model/model.py` (and other files: name=text, `/` as `__`)."""
    (tmp_path / "traces").mkdir()
    (tmp_path / "traces" / "s_1.md").write_text(TRACE)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "model.py").write_text(HEADER + model)
    for name, text in modules.items():
        path = tmp_path / (name.replace("__", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return load_study([tmp_path / "traces"])


def findings(loaded, code: str) -> list[tuple[str, str, int]]:
    return sorted(
        (str(d.severity), Path(d.file).name, d.line) for d in loaded.diagnostics if d.code == code
    )


def message(loaded, code: str) -> str:
    (found,) = [d.message for d in loaded.diagnostics if d.code == code]
    return found


def store_of(loaded) -> ox.Store:
    store = ox.Store()
    store.bulk_load(emit_ntriples(loaded.study).text(), format=ox.RdfFormat.N_TRIPLES)
    return store


def links(store: ox.Store, kind: str) -> set[tuple[str, str]]:
    query = f"""
        PREFIX qg: <https://w3id.org/qualgraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?f ?t WHERE {{
            ?link a qg:{kind} ; qg:linkFrom [ skos:notation ?f ] ; qg:linkTo [ skos:notation ?t ] .
        }}"""
    return {(row["f"].value, row["t"].value) for row in store.query(query)}


def test_1_role_from_names_the_argument_end_in_traces_and_model(tmp_path):
    loaded = study(
        tmp_path,
        'a = CClass(practice, "A")\nb = CClass(practice, "B")\n'
        'a.add_links(b, role_name="from", stereotype_instances=can_use)\n'
        'add_links({a: [b]}, role_name="to", stereotype_instances=uses)\n',
    )
    assert links(store_of(loaded), "SolutionRelation") == {
        ("catalogue", "engine"),  # engine.add_links(catalogue, role_name="from") in the trace
        ("b", "a"),
        ("a", "b"),
    }
    assert findings(loaded, "model-does-not-run") == []


def test_2_domain_links_are_domain_links_not_relations(tmp_path):
    loaded = study(
        tmp_path,
        'api = CClass(domain_metaclass, "API")\nmodel = CClass(domain_metaclass, "Model")\n'
        'both = CClass(and_combined_group, "Model and API")\n'
        'both.add_links([model, api], role_name="class")\n',
    )
    store = store_of(loaded)
    assert links(store, "DomainLink") == {("both", "model"), ("both", "api")}
    assert ("both", "api") not in links(store, "SolutionRelation")
    rules = {str(r.shape) for r in validate(emit_ntriples(loaded.study)).results}
    assert not [rule for rule in rules if "RelationType" in rule]


def test_3_a_link_made_twice_stops_the_model_and_what_follows_is_lost(tmp_path):
    loaded = study(
        tmp_path,
        'catalogue = CClass(pattern, "Catalogue")\n'  # 5
        's1 = CClass(source, "s1")\n'  # 6
        "s1_codes = [catalogue, catalogue]\n"  # 7
        'add_links({s1: s1_codes}, role_name="contained_code")\n'  # 8
        's2 = CClass(source, "s2")\n'  # 9
        "s2_codes = [catalogue]\n"  # 10
        'add_links({s2: s2_codes}, role_name="contained_code")\n',  # 11
    )
    assert findings(loaded, "model-does-not-run") == [("error", "model.py", 8)]
    text = message(loaded, "model-does-not-run")
    assert "the link catalogue → s1" in text and "made twice in this call" in text
    assert "(lines 9-11: 1 definitions, 0 link calls, 1 claims)" in text
    # qualgraph still reads what follows (tolerant), and says so
    assert "qualgraph still reads them" in text
    assert {(c.source_id, c.code) for c in loaded.study.model.claims} == {
        ("s1", "catalogue"),
        ("s2", "catalogue"),
    }


@pytest.mark.parametrize(
    ("model", "line", "says"),
    [
        ('a = CClass(practice, "A")\nb = CClass(practice, "B")\n'
         'a.add_links(b, role_name="fro", stereotype_instances=uses)\n', 7,
         'role name "fro" matches no association end of the metamodels (use "to" or "from")'),
        ('a = CClass(practice, "A")\nb = CClass(practice, "B")\n'
         'a.add_links(b, role_name="to", stereotype_instances=optional_next)\n', 7,
         "optional_next is not defined or imported in this file (NameError)"),
        ('from metamodels.guidance_metamodel import optional_next\n'
         'a = CClass(practice, "A")\nb = CClass(practice, "B")\n'
         'a.add_links(b, role_name="to", stereotype_instances=optional_next)\n', 8,
         "stereotype optional_next does not extend the association the role name selects"),
        ('a = CClass(practice, "A")\na.add_links(b, role_name="to", stereotype_instances=uses)\n'
         'b = CClass(practice, "B")\n', 6, "b is used before its definition at line 7 (NameError)"),
        ('a = CClass(practise, "A")\n', 5, "practise is not defined or imported in this file"),
        ('from metamodels.guidance_metamodel import practise\n', 5,
         "metamodels.guidance_metamodel defines no practise (ImportError)"),
        ('a = CClass(practice, "A"\n', 5, "the file is not valid python"),
    ],
    ids=["unknown-role", "unbound-stereotype", "wrong-stereotype", "used-before-definition",
         "unknown-metaclass", "unknown-import", "syntax-error"],
)
def test_3_every_construct_codeablemodels_refuses_is_an_error_at_its_line(
    tmp_path, model, line, says
):
    loaded = study(tmp_path, model)
    assert findings(loaded, "model-does-not-run")[:1] == [("error", "model.py", line)]
    assert says in message(loaded, "model-does-not-run")


def test_4_a_name_defined_twice_in_the_model_is_reported_with_both_lines(tmp_path):
    loaded = study(tmp_path, 'a = CClass(practice, "A")\nb = CClass(practice, "B")\n'
                             'a = CClass(practice, "A")\n')
    assert findings(loaded, "model-redefinition") == [("warning", "model.py", 7)]
    assert "a is defined again (first at line 5)" in message(loaded, "model-redefinition")


def test_5_names_imported_from_study_modules_are_followed_without_running_them(tmp_path):
    loaded = study(
        tmp_path,
        "from map_models.map_domain_model import api\n"  # 5
        "from map_models.missing import nothing\n"  # 6
        'both = CClass(and_combined_group, "Both")\n'
        'both.add_links([api], role_name="class")\n',
        map_models__map_domain_model=(
            "from metamodels.domain_metamodel import domain_metaclass\n"
            'import os\nos.system("touch {}")\n'.format(tmp_path / "ran")
            + 'api = CClass(domain_metaclass, "API")\nother = CClass(domain_metaclass, "Other")\n'
        ),
    )
    assert not (tmp_path / "ran").exists()
    codebook = loaded.study.codebook
    assert codebook["api"].label == "API" and codebook["api"].metaclass == "domain_metaclass"
    assert "other" not in codebook  # only the names the model imports
    assert findings(loaded, "unresolved-import") == [("warning", "model.py", 6)]
    assert "map_models.missing" in message(loaded, "unresolved-import")
    assert not [d for d in loaded.diagnostics if d.code == "undefined-name" and "api" in d.message]


def test_the_real_study_model_api_is_defined_and_no_relation_lacks_a_type(real_with_model):
    diagnostics = real_with_model.diagnostics
    assert not [d for d in diagnostics if d.code == "undefined-name" and d.message.startswith("api ")]
    assert real_with_model.study.codebook["api"].label is not None
    rules = {str(r.shape) for r in validate(emit_ntriples(real_with_model.study)).results}
    assert not [rule for rule in rules if "RelationType" in rule]
    assert len(rules) > 3  # the other shapes still find what they found


def _trace(header_number: str, block: str, title: str, quote: str, code: str) -> str:
    return (
        f"# s\n{header_number}\n## title\n{title}\n\n"
        f'**AXIAL CODING TRACE**: source\n``` python\n{block} = CClass(source, "{block}", '
        f'values={{"title": "{title}"}})\n```\n\n# coding\n\n> {quote}\n\n'
        f'**AXIAL CODING TRACE:**\n``` python\n    {code} = CClass(practice, "{code}")\n```\n\n'
        f"add codes to {block}:\n``` python\n    '''\n    {code}\n    '''\n```\n"
    )


def test_6_file_name_and_block_win_over_a_copied_header_and_every_command_counts_alike(
    tmp_path,
):
    from qualgraph.query.stats import study_stats
    from qualgraph.study.grounding import evidence_report
    from qualgraph.study.summary import summarize

    traces = tmp_path / "traces"
    traces.mkdir()
    (traces / "s_33.md").write_text(_trace("33", "s33", "Article 33", "Thirty-three.", "a33"))
    (traces / "s_34.md").write_text(_trace("33", "s34", "Article 34", "Thirty-four.", "a34"))
    (traces / "s_35.md").write_text(_trace("33", "s35", "Article 35", "Thirty-five.", "a35"))
    loaded = load_study([traces])
    assert [t.source_id for t in loaded.study.traces] == ["s33", "s34", "s35"]
    assert findings(loaded, "duplicate-source") == []
    mismatches = [d for d in loaded.diagnostics if d.code == "source-id-mismatch"]
    assert [(Path(d.file).name, d.line) for d in mismatches] == [("s_34.md", 2), ("s_35.md", 2)]
    assert mismatches[0].message == (
        "the header says s33, but the file name and the source block (line 8) say s34: "
        "read as s34; fix the header's number"
    )
    store = store_of(loaded)
    prefix = "PREFIX qg: <https://w3id.org/qualgraph/ontology#>\n"
    in_graph = {
        row["s"].value.rsplit("/", 1)[-1]
        for row in store.query(prefix + "SELECT ?s WHERE { ?s a qg:Source }")
    }
    quotes_of = {
        row["s"].value.rsplit("/", 1)[-1]: int(row["n"].value)
        for row in store.query(
            prefix + "SELECT ?s (COUNT(?q) AS ?n) WHERE { ?q qg:quoteOf ?s } GROUP BY ?s"
        )
    }
    summary = summarize(loaded.study, loaded.diagnostics)
    stats = study_stats(store, summary)
    report = evidence_report(loaded.study)
    assert in_graph == {"s33", "s34", "s35"}
    assert quotes_of == {"s33": 1, "s34": 1, "s35": 1}  # no quote credited to another source
    assert summary.sources == sum(n for _, n in stats.sources_by_type) == len(report.sources) == 3
    assert summary.quotes == stats.quotes == 3
    # each source's claim is grounded in its own quote, not in s33's
    assert {s.source_id: sorted(s.grounded) for s in report.sources} == {
        "s33": ["a33"], "s34": ["a34"], "s35": ["a35"]
    }


def test_6_a_garbled_number_line_keeps_everything_under_an_identity_it_names(tmp_path):
    (tmp_path / "s_7.md").write_text(_trace("7x", "s7", "Article 7", "Seven.", "a7"))
    loaded = load_study([tmp_path])
    assert [t.source_id for t in loaded.study.traces] == ["s7"]
    assert findings(loaded, "inferred-source-id") == [("warning", "s_7.md", 1)]
    assert message(loaded, "inferred-source-id") == (
        "the header gives no source number: read as source s7, from the source block's "
        "variable (line 8) and the file name s_7.md"
    )
    titles = {row["t"].value for row in store_of(loaded).query(
        "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }")}
    assert titles == {"Article 7"}


def test_7_a_code_list_labelled_for_another_source_is_credited_to_its_file_and_reported(
    tmp_path,
):
    text = _trace("56", "s56", "Article 56", "Fifty-six.", "a56").replace(
        "add codes to s56:", "add codes to s57:"
    )
    (tmp_path / "s_56.md").write_text(text)
    loaded = load_study([tmp_path])
    assert [(c.source_id, c.code) for t in loaded.study.traces for c in t.claims] == [
        ("s56", "a56")
    ]
    assert findings(loaded, "code-list-label-differs") == [("info", "s_56.md", 20)]
    assert message(loaded, "code-list-label-differs") == (
        "`add codes to s57:` in the trace of s56: its codes are credited to s56, the source "
        "whose trace holds the list"
    )


def test_7_the_real_study_reports_its_mislabelled_code_lists(real_with_model):
    labelled = sorted(
        (Path(d.file).name, d.line)
        for d in real_with_model.diagnostics
        if d.code == "code-list-label-differs"
    )
    assert labelled[0] == ("s_16.md", 137)  # `add codes to s15:` (TRACE-FORMAT §5.1)
    assert [file for file, _ in labelled].count("s_56.md") == 8  # `add codes to s57:`


def test_1_a_trace_link_with_a_role_the_metamodel_lacks_is_read_and_reported(tmp_path):
    text = TRACE.replace('role_name="from"', 'role_name="uses"')
    (tmp_path / "s_1.md").write_text(text)
    loaded = load_study([tmp_path])
    line = text.splitlines().index(
        '    engine.add_links(catalogue, role_name="uses", stereotype_instances=uses)'
    ) + 1
    assert findings(loaded, "link-not-in-metamodel") == [("warning", "s_1.md", line)]
    assert message(loaded, "link-not-in-metamodel") == (
        'role name "uses" matches no association end of the metamodels (use "to" or "from"); '
        "read as a relation link in call order"
    )
    assert links(store_of(loaded), "SolutionRelation") == {("engine", "catalogue")}
