"""The study's publications from a small study written here: tables, design document, diagrams.

The study has LaTeX- and HTML-special characters in its labels and titles, one evidence that
no quote grounds, and (in the model variant) declared views; every expected output is spelt
out, so a change in content, order or escaping fails a test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualgraph.cli import main
from qualgraph.outputs.design_doc import design_document
from qualgraph.outputs.diagrams import ToolMissing, render, views
from qualgraph.outputs.paper_tables import render as render_tables
from qualgraph.outputs.paper_tables import ungrounded_counts
from qualgraph.outputs.publication import publication
from qualgraph.study.load import load_study

HEADER = """# s
{number}
## url
https://example.org/{number}?a=1&b=2#top
## tiny url
tinyurl.com/qg-{number}
## archive url

## title
{title}
## source code
no
## example
{example}
## source type
Practitioner Audience Article
## author type
Practitioner

# coding

"""

S1 = (
    HEADER.format(number=1, title="R&D at 100% of data_products #1 <script>", example="yes")
    + """\
> Domain teams should own their data & ship it fast.

**OPEN CODING TRACE:**
New option: own_it

**AXIAL CODING TRACE:**
added:
``` python
    who = CClass(decision, "Who owns <script>alert(1)</script> & 100%_#?")
    own_it = CClass(practice, "Domain teams own it & ship")
    central = CClass(pattern, "Central_team #2")
    speed = CClass(force, "Speed 50% <b>")
    reuse = CClass(force, "Reuse")
    add_decision_option_link(who, own_it, "Teams & <i>owners</i>")
    add_decision_option_link(who, central, "One team")
    add_force_relations({own_it: {speed: very_positive, reuse: negative},
                         central: {speed: very_negative}})
    central.add_links(own_it, role_name="to", stereotype_instances=can_use)
```

add codes to s1:
``` python
    '''
        who,
        own_it,
        speed
    '''
```
"""
)

S2 = (
    HEADER.format(number=2, title="Plain title", example="no")
    + """\
**AXIAL CODING TRACE:**
add codes to s2:
``` python
    '''
        who,
        own_it,
        central,
        reuse,
        speed
    '''
```

> Reuse matters more than speed.

**OPEN CODING TRACE:**
New force: reuse
"""
)


@pytest.fixture
def study(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "traces"
    folder.mkdir()
    (folder / "s_1.md").write_text(S1, encoding="utf-8")
    (folder / "s_2.md").write_text(S2, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return Path("traces")


def load(path: Path):
    return publication(load_study([path], []))


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_publication_orders_and_grounds(study):
    pub = load(study)
    assert [f.fid for f in pub.forces] == ["f1", "f2"]
    assert [f.element.label for f in pub.forces] == ["Speed 50% <b>", "Reuse"]
    (decision,) = pub.decisions
    assert [o.element.identifier for o in decision.options] == ["own_it", "central"]
    assert [(e.source, e.grounded) for e in decision.evidences] == [("s1", True), ("s2", False)]
    speed = pub.forces[0].evidences
    assert speed[0].quote.file == "traces/s_1.md" and speed[0].quote.line == 22
    assert speed[0].quote.text == "Domain teams should own their data & ship it fast."
    # s2's quote names only `reuse`: its other claims are not grounded
    assert [(e.source, e.grounded) for e in pub.forces[1].evidences] == [("s2", True)]
    assert [(i.force, i.level) for i in decision.options[0].impacts] == [
        ("speed", "++"),
        ("reuse", "-"),
    ]
    assert ("central", "own_it", "relation", "Can Use") in {
        (link.start, link.end, link.kind, link.stereotype) for link in pub.links
    }


def test_latex_tables_escape_mark_and_legend(study):
    tables = render_tables(load(study), "latex")
    assert tables["sources_table"].splitlines()[4:6] == [
        r"s1 &  {\em R\&D at 100\% of data\_products \#1 \textless{}script\textgreater{}} & "
        r"\href{https://tinyurl.com/qg-1}{tinyurl.com/qg-1} & Practitioner Audience Article & Yes & No\\",
        r"s2 &  {\em Plain title} & \href{https://tinyurl.com/qg-2}{tinyurl.com/qg-2} & "
        r"Practitioner Audience Article & No & No\\",
    ]
    assert tables["force_table"].splitlines()[4:9] == [
        r"f1 & Speed 50\% \textless{}b\textgreater{} & \cellcolor{emerald_shape_7} {s1, s2$^{\dagger}$}\\",
        r"f2 & Reuse & \cellcolor{emerald_shape_6} {s2}\\",
        r"\hline",
        r"\multicolumn{3}{l}{$^{\dagger}$ not grounded in any quote of that source}\\",
        r"\end{tabular}",
    ]
    overview = tables["overview_table"].splitlines()
    assert overview[4:6] == [
        r"\multirow{2}{\linewidth}{Who owns \textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{} \& 100\%\_\#?} &"
        r"\cellcolor{emerald_shape_7}{} &1.Domain teams own it \& ship&\cellcolor{emerald_shape_7}{s1, s2$^{\dagger}$} & f1(++), f2(-)\\",
        r" & \multirow{-2}{\linewidth}{ \cellcolor{emerald_shape_7}{2}} &2.Central\_team \#2&"
        r"\cellcolor{emerald_shape_6}{s2$^{\dagger}$} & f1(-{}-)\\",
    ]
    assert (
        r"{\bf f1}:Speed 50\% \textless{}b\textgreater{} [s1, s2$^{\dagger}$], {\bf f2}:Reuse [s2]"
        in overview[8]
    )
    assert [(c.table, c.evidences, c.ungrounded) for c in ungrounded_counts(load(study))] == [
        ("force_table", 3, 1),
        ("overview_table", 3, 2),
    ]


def test_markdown_tables_link_grounded_evidences(study):
    tables = render_tables(load(study), "markdown", link_from="out")
    assert tables["force_table"].splitlines()[2:4] == [
        '| f1 | Speed 50% &lt;b&gt; | [s1](../traces/s_1.md#L22 "traces/s_1.md:22"), s2† | 7 |',
        '| f2 | Reuse | [s2](../traces/s_2.md#L34 "traces/s_2.md:34") | 6 |',
    ]
    assert "† not grounded in any quote of that source" in tables["force_table"]
    assert tables["overview_table"].splitlines()[2] == (
        "| Who owns &lt;script&gt;alert(1)&lt;/script&gt; &amp; 100%\\_\\#? | 2 | "
        '1. Domain teams own it &amp; ship | [s1](../traces/s_1.md#L22 "traces/s_1.md:22"), s2† '
        "| f1(++), f2(-) |"
    )
    assert tables["sources_table"].splitlines()[2] == (
        "| s1 | *R&amp;D at 100% of data\\_products \\#1 &lt;script&gt;* | "
        "[tinyurl.com/qg-1](<https://tinyurl.com/qg-1>) | Practitioner Audience Article | Yes | No |"
    )


def test_csv_tables_list_ungrounded_evidences(study):
    tables = render_tables(load(study), "csv")
    assert tables["force_table"].splitlines() == [
        "fid,code,force,evidences,ungrounded,share_class",
        "f1,speed,Speed 50% <b>,s1 s2,s2,7",
        "f2,reuse,Reuse,s2,,6",
    ]
    assert tables["overview_table"].splitlines()[1:] == [
        'Who owns <script>alert(1)</script> & 100%_#?,2,1,Domain teams own it & ship,s1 s2,s2,"f1(++), f2(-)"',
        "Who owns <script>alert(1)</script> & 100%_#?,2,2,Central_team #2,s2,s2,f1(--)",
    ]


def test_design_document_with_appendix(study):
    text = design_document(load(study), title="Ownership & <b>")
    assert (
        text
        == """\
# Ownership &amp; &lt;b&gt;


## Decision: Who owns &lt;script&gt;alert(1)&lt;/script&gt; &amp; 100%_#?
**Evidences:** s1, s2

**Context:**\x20

### **Solution Options**
#### Solution 1: Domain teams own it &amp; ship
**Evidences:** s1, s2

**Forces:**
- Speed 50% &lt;b&gt; (++) [s1, s2]
- Reuse (-) [s2]

#### Solution 2: Central_team #2
**Evidences:** s2

**Forces:**
- Speed 50% &lt;b&gt; (--) [s1, s2]



# Forces:\x20
- Speed 50% &lt;b&gt; [s1, s2]
- Reuse [s2]


# Appendix: the quotes behind each option

## Decision: Who owns &lt;script&gt;alert(1)&lt;/script&gt; &amp; 100%_#?

### Solution 1: Domain teams own it &amp; ship

- **s1** (traces/s_1.md:22): Domain teams should own their data &amp; ship it fast.

**Ungrounded evidences:** s2

### Solution 2: Central_team #2

No evidence of this option is grounded in a quote.

**Ungrounded evidences:** s2

"""
    )


def test_derived_views_in_plantuml(study):
    made, skipped = views(load(study))
    assert skipped == ()
    assert [v.name for v in made] == ["_all", "inter_decision_links", "who"]
    text = render(made[2], "plantuml")
    body = text.split("skinparam classfontstyle bold\n")[1]
    assert body == (
        'class "Who owns ~<script~>alert(1)~</script~> ~& 100%_#?\\n : Decision" as '
        "__1_Who_owns__script_alert_1___script____100____\n"
        'class "Domain teams own it ~& ship : Practice" as __2_Domain_teams_own_it___ship\n'
        'class "Speed 50% ~<b~> : Force" as __3_Speed_50___b_\n'
        'class "Reuse : Force" as __4_Reuse\n'
        'class "Central_team #2 : Pattern" as __5_Central_team__2\n'
        "__1_Who_owns__script_alert_1___script____100____ --> __2_Domain_teams_own_it___ship: "
        '"«Option» \\n{name = "Teams ~& ~<i~>owners~</i~>"}\\n" \n'
        "__1_Who_owns__script_alert_1___script____100____ --> __5_Central_team__2: "
        '"«Option» \\n{name = "One team"}\\n" \n'
        '__2_Domain_teams_own_it___ship --> __3_Speed_50___b_: "«++» \\n" \n'
        '__2_Domain_teams_own_it___ship --> __4_Reuse: "«-» \\n" \n'
        '__5_Central_team__2 --> __3_Speed_50___b_: "«--» \\n" \n'
        '__5_Central_team__2 --> __2_Domain_teams_own_it___ship: "«Can Use» \\n" \n'
        "@enduml\n"
    )


def test_mermaid_and_dot_escape_labels(study):
    view = views(load(study))[0][2]
    mermaid = render(view, "mermaid")
    assert mermaid.startswith("```mermaid\nflowchart TB\n")
    assert (
        '  n1["Who owns #60;script#62;alert(1)#60;/script#62; #38; 100%_#35;?<br/>: Decision"]'
        in mermaid
    )
    assert '  n1 -->|"«Option» Teams #38; #60;i#62;owners#60;/i#62;"| n2' in mermaid
    assert '  n2 -->|"«++»"| n3' in mermaid
    dot = render(view, "dot")
    assert 'n1 [label="Who owns <script>alert(1)</script> & 100%_#?\\n: Decision"]' in dot
    assert 'n5 -> n2 [label="«Can Use»"]' in dot


def test_no_raw_markup_in_any_format(study, tmp_path):
    pub = load(study)
    outputs = [design_document(pub)]
    for fmt in ("latex", "markdown"):
        outputs += render_tables(pub, fmt).values()
    for fmt in ("plantuml", "mermaid"):
        outputs += [render(v, fmt) for v in views(pub)[0]]
    for text in outputs:
        assert "<script>" not in text and "<b>" not in text and "<i>" not in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_svg_is_valid_and_escaped(study):
    view = views(load(study))[0][2]
    text = render(view, "svg")
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    labels = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert "Who owns <script>alert(1)</script> & 100%_#?" in labels
    assert {"«++»", "«-»", "«--»", "«Can Use»", "«Option»"} <= labels
    assert "<script>" not in text


def test_svg_without_graphviz_names_the_package(study, monkeypatch, tmp_path):
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    view = views(load(study))[0][2]
    with pytest.raises(
        ToolMissing, match=r"install the `graphviz` package \(apt-get install graphviz"
    ):
        render(view, "svg")
    result = CliRunner().invoke(main, ["diagram", "traces", "--no-model", "-f", "svg"])
    assert result.exit_code == 2
    assert "Error: Graphviz's `dot` program is needed for SVG and was not found" in result.output


def test_declared_views_are_read_from_the_model(study, tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    python = S1.split("``` python\n")[1].split("```")[0]
    (model / "views.py").write_text(
        "\n".join(line.strip() for line in python.splitlines())
        + """
forces_class_objects = [f.class_object for f in force.all_classes]
who_view = CBundle("who_view", elements=who.class_object.get_connected_elements(
    stop_elements_exclusive=forces_class_objects))
pair = CBundle("pair", elements=[central, own_it])
lonely = CBundle("lonely", elements=[reuse])
odd = CBundle("odd", elements=something())
typo = CBundle("typo", elements=whoo.get_connected_elements())
inclusive = CBundle("inclusive", elements=who.get_connected_elements(stop_elements_inclusive=[central]))
""",
        encoding="utf-8",
    )
    pub = publication(load_study([study], [model]))
    made, skipped = views(pub)
    assert [v.name for v in made] == ["who_view", "pair"]
    assert [e.identifier for e in made[0].elements] == ["who", "own_it", "central"]
    assert [(link.start, link.end, link.stereotype) for link in made[1].links] == [
        ("central", "own_it", "Can Use")
    ]
    assert [(s.spec.name, s.spec.file, s.spec.line, s.reason) for s in skipped] == [
        ("lonely", "model/views.py", 15, "no decision-model link among its elements"),
        ("odd", "model/views.py", 16, "its elements cannot be read without running the model"),
        ("typo", "model/views.py", 17, "it starts at whoo, which is not defined"),
        (
            "inclusive",
            "model/views.py",
            18,
            "get_connected_elements(stop_elements_inclusive=...) is not read",
        ),
    ]
    result = invoke("diagram", "traces", "--model", "model", "-v", "-o", "out")
    assert result.exit_code == 0
    assert (
        "model/views.py:15: info[view-skipped]: view lonely: no decision-model link among its "
        "elements" in result.output
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["pair.txt", "who_view.txt"]


def test_declared_connected_view_stops_at_forces(tmp_path, monkeypatch):
    folder = tmp_path / "traces"
    folder.mkdir()
    (folder / "s_1.md").write_text(S1, encoding="utf-8")
    (folder / "s_1.md").write_text(
        S1.replace(
            '    central.add_links(own_it, role_name="to", stereotype_instances=can_use)\n',
            '    central.add_links(own_it, role_name="to", stereotype_instances=can_use)\n'
            "    forces_class_objects = [f.class_object for f in force.all_classes]\n"
            '    who_view = CBundle("who_view", elements=who.class_object.get_connected_elements(\n'
            "        stop_elements_exclusive=forces_class_objects))\n",
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    made, _ = views(publication(load_study([Path("traces")], [])))
    assert [v.name for v in made] == ["who_view"]
    assert [e.identifier for e in made[0].elements] == ["who", "own_it", "central"]
    assert [(link.start, link.end) for link in made[0].links] == [
        ("who", "own_it"),
        ("who", "central"),
        ("central", "own_it"),
    ]


def _balanced(text: str) -> bool:
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\{(\w+\*?)\}", text):
        if kind == "begin":
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack and text.count("{") - text.count(r"\{") == text.count("}") - text.count(r"\}")


def _compile(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "tables.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_latex_tables_balance(study):
    for text in render_tables(load(study), "latex").values():
        assert _balanced(text)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_tables_compile(study, tmp_path):
    result = invoke("tables", "traces", "-o", "paper")
    assert result.exit_code == 0
    done = _compile(tmp_path / "paper")
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "paper" / "tables.pdf").stat().st_size > 1000


def test_tables_command_writes_files_and_counts(study, tmp_path):
    result = invoke("tables", "traces", "-f", "markdown", "-o", "out")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "force_table.md",
        "overview_table.md",
        "sources_table.md",
    ]
    assert "force_table: 1 of 3 evidences not grounded in a quote of their source" in result.output
    assert (
        "overview_table: 2 of 3 evidences not grounded in a quote of their source" in result.output
    )
    result = invoke("tables", "traces", "-f", "csv")
    assert result.stdout.startswith("# sources_table\nid,title,url,tiny_url,")


def test_design_and_diagram_commands(study, tmp_path):
    result = invoke("design", "traces", "-o", "design.md", "--title", "Ownership")
    assert result.exit_code == 0
    assert (tmp_path / "design.md").read_text(encoding="utf-8").startswith("# Ownership\n")
    result = invoke("diagram", "traces", "-f", "mermaid", "-o", "diagrams")
    assert result.exit_code == 0
    assert "wrote 3 views to diagrams" in result.output
    assert sorted(p.name for p in (tmp_path / "diagrams").iterdir()) == [
        "_all.md",
        "inter_decision_links.md",
        "who.md",
    ]
    result = invoke("diagram", "missing-folder")
    assert result.exit_code == 2
    assert "missing-folder: no such file or folder" in result.output


def test_unwritable_output_exits_2(study, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    result = invoke("tables", "traces", "-o", "taken/paper")
    assert result.exit_code == 2
    assert "Error: cannot write taken/paper/sources_table.tex: Not a directory" in result.output


def test_stats_draws_the_saturation_plot(study, tmp_path):
    result = invoke("stats", "traces", "--no-model", "--plot", "sat.svg", "--plot", "sat.png")
    assert result.exit_code == 0
    root = ET.parse(tmp_path / "sat.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = (tmp_path / "sat.svg").read_text(encoding="utf-8")
    assert ">s1<" in text and ">s2<" in text and ">no new code<" in text
    assert (tmp_path / "sat.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = invoke("stats", "traces", "--plot", "sat.pdf")
    assert result.exit_code == 2
    assert "Error: sat.pdf: the plot is written as .svg or .png" in result.output


def test_double_quotes_in_labels_stay_inside_their_strings():
    from qualgraph.outputs.diagrams import View
    from qualgraph.outputs.publication import Element, Link

    view = View(
        "v",
        (Element("a", 'Say "hi"', "decision"), Element("b", "B", "practice")),
        (Link("a", "b", "option", "Option", 'named "n"'),),
    )
    assert "class \"Say 'hi' : Decision\" as __1_Say__hi_\n" in render(view, "plantuml")
    assert "{name = \"named 'n'\"}" in render(view, "plantuml")
    assert '  n1["Say #34;hi#34;<br/>: Decision"]' in render(view, "mermaid")
    assert '  n1 -->|"«Option» named #34;n#34;"| n2' in render(view, "mermaid")
    assert 'n1 [label="Say \\"hi\\"\\n: Decision"]' in render(view, "dot")
    if shutil.which("dot"):
        root = ET.fromstring(render(view, "svg"))
        texts = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
        assert {'Say "hi"', ": Decision", "«Option»", 'named "n"'} <= texts


def test_a_later_trace_repeating_links_adds_no_duplicate(study):
    (study / "s_3.md").write_text(
        HEADER.format(number=3, title="Third", example="no")
        + """\
> Ownership again.

**AXIAL CODING TRACE:**
added:
``` python
    add_decision_option_link(who, own_it, "Teams again")
    add_force_relations({own_it: {speed: very_positive, reuse: positive}})
```
""",
        encoding="utf-8",
    )
    (decision,) = load(study).decisions
    assert [(o.element.identifier, o.name) for o in decision.options] == [
        ("own_it", "Teams & <i>owners</i>"),
        ("central", "One team"),
    ]
    assert [(i.force, i.level) for i in decision.options[0].impacts] == [
        ("speed", "++"),
        ("reuse", "-"),
        ("reuse", "+"),
    ]


def test_context_links_reach_the_design_document_and_views(study):
    (study / "s_3.md").write_text(
        HEADER.format(number=3, title="Third", example="no")
        + """\
> Each domain team decides for its own data.

**AXIAL CODING TRACE:**
added:
``` python
    domain_team = CClass(domain_metaclass, "Domain team & co")
    add_links({who: [domain_team]}, role_name="context",
              stereotype_instances=decide_for_all_instances_of)
```
""",
        encoding="utf-8",
    )
    pub = load(study)
    assert "**Context:** Domain team &amp; co\n" in design_document(pub)
    view = next(v for v in views(pub)[0] if v.name == "who")
    assert ("who", "domain_team", "context", "decide for all instances of") in {
        (link.start, link.end, link.kind, link.stereotype) for link in view.links
    }
    assert 'class "Domain team ~& co : Domain Class"' in render(view, "plantuml")


def test_overview_rows_for_one_option_and_none(study):
    (study / "s_3.md").write_text(
        HEADER.format(number=3, title="Third", example="no")
        + """\
> Deploy it on one cluster.

**AXIAL CODING TRACE:**
added:
``` python
    how = CClass(decision, "How to deploy?")
    cluster = CClass(practice, "One cluster")
    add_decision_option_link(how, cluster, "cluster")
    later = CClass(decision, "Decided later")
```

add codes to s3:
``` python
    '''
        how,
        cluster
    '''
```
""",
        encoding="utf-8",
    )
    text = render_tables(load(study), "latex")["overview_table"]
    lines = text.splitlines()
    assert lines[6:8] == [
        r"\multirow{1}{\linewidth}{How to deploy?} &\multirow{1}{\linewidth}{ "
        r"\cellcolor{emerald_shape_4}{1}} &1.One cluster&\cellcolor{emerald_shape_7}{s3} & \\",
        r"Decided later & \cellcolor{emerald_shape_1}{0} & & & \\",
    ]
    assert _balanced(text)
    markdown = render_tables(load(study), "markdown")["overview_table"].splitlines()
    assert markdown[4:6] == [
        '| How to deploy? | 1 | 1. One cluster | [s3](traces/s_3.md#L22 "traces/s_3.md:22") |  |',
        "| Decided later | 0 |  |  |  |",
    ]
