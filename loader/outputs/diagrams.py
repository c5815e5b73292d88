"""Decision diagrams: one view per decision, the overview and the inter-decision view.

When the model declares views (`CBundle`s, read statically by `publication.read_view`), they
are used: a view's elements are its list, or the codes reached from its start element over
any decision-model link (option links, relations, next-decision links, impacts, either
direction) without passing its stop elements, as CodeableModels' `get_connected_elements`
collects them. Otherwise a view per decision is derived (the decision, the solutions reached
from it without crossing another decision, and the forces they impact), plus `_all` and
`inter_decision_links`. A view draws every link whose two ends it holds, by start element in
element order, then association (`ASSOCIATION_ORDER`), as CodeableModels' renderer lists them.

PlantUML text has the classes and stereotyped links of CodeableModels' object-model renderer;
Mermaid renders on GitHub as it is; DOT and SVG come from Graphviz (`dot` must be installed
for SVG), with impact levels and stereotypes as edge labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qualgraph.diagnostics import Diagnostic, info
from qualgraph.errors import QualgraphError
from qualgraph.outputs.publication import Element, Link, Publication, ViewSpec

if TYPE_CHECKING:
    import graphviz

FORMATS = {"plantuml": ".txt", "dot": ".dot", "mermaid": ".md", "svg": ".svg"}
NAME_BREAK = 45
"""Characters after which a class name is broken at the next space (the study's setting)."""
LABEL_BREAK = 33
"""The same for a link's tagged values, as found in the published diagrams."""

GRAPHVIZ_MISSING = (
    "Graphviz's `dot` program is needed for SVG and was not found: install the `graphviz` "
    "package (apt-get install graphviz, brew install graphviz), or use -f dot / -f plantuml / "
    "-f mermaid"
)


ASSOCIATION_ORDER = {"impact": 0, "relation": 1, "next": 2, "option": 3, "context": 4}
"""The order in which the guidance metamodel declares the associations: CodeableModels'
renderer lists an element's links association by association in that order, each in the
order the links were made."""


class ToolMissing(QualgraphError):
    """An external program a format needs is not installed."""


@dataclass(frozen=True)
class View:
    name: str
    elements: tuple[Element, ...]
    links: tuple[Link, ...]


@dataclass(frozen=True)
class SkippedView:
    """A declared view that draws nothing of the decision model, with the reason."""

    spec: ViewSpec
    reason: str

    def diagnostic(self) -> Diagnostic:
        return info(
            self.spec.file, self.spec.line, "view-skipped", f"view {self.spec.name}: {self.reason}"
        )


def views(pub: Publication) -> tuple[tuple[View, ...], tuple[SkippedView, ...]]:
    """The declared views when the model has any, otherwise the derived ones."""
    if pub.views:
        made, skipped = [], []
        for spec in pub.views:
            if spec.problem is not None:
                skipped.append(SkippedView(spec, spec.problem))
                continue
            if spec.start is not None and spec.start not in pub.elements:
                skipped.append(
                    SkippedView(spec, f"it starts at {spec.start}, which is not defined")
                )
                continue
            view = declared_view(pub, spec)
            if not view.links:
                skipped.append(SkippedView(spec, "no decision-model link among its elements"))
            else:
                made.append(view)
        return tuple(made), tuple(skipped)
    return derived_views(pub), ()


def _adjacency(pub: Publication) -> dict[str, list[str]]:
    adjacent: dict[str, list[str]] = {}
    for link in pub.links:
        adjacent.setdefault(link.start, []).append(link.end)
        adjacent.setdefault(link.end, []).append(link.start)
    return adjacent


def connected(
    pub: Publication,
    start: str,
    stop: set[str],
    inclusive: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    """Codes reached from `start` depth first over any link, never entering `stop` and never
    leaving `inclusive` (which are reached but not walked through)."""
    adjacent = _adjacency(pub)
    found = [start]
    seen = {start}
    stack: list[Iterator[str]] = [iter(adjacent.get(start, ()))]
    while stack:
        for name in stack[-1]:
            if name in seen or name in stop:
                continue
            seen.add(name)
            found.append(name)
            if name not in inclusive:
                stack.append(iter(adjacent.get(name, ())))
            break
        else:
            stack.pop()
    return found


def _element(pub: Publication, name: str) -> Element:
    return pub.elements.get(name) or Element(name, name, None)


def _view(pub: Publication, name: str, members: list[str]) -> View:
    order = {member: index for index, member in enumerate(dict.fromkeys(members))}
    links = [link for link in pub.links if link.start in order and link.end in order]
    links.sort(key=lambda link: (order[link.start], ASSOCIATION_ORDER.get(link.kind, 9)))
    return View(name, tuple(_element(pub, m) for m in order), tuple(links))


def declared_view(pub: Publication, spec: ViewSpec) -> View:
    if spec.start is None:
        return _view(pub, spec.name, list(spec.elements))
    return _view(pub, spec.name, connected(pub, spec.start, set(spec.stop)))


def derived_views(pub: Publication) -> tuple[View, ...]:
    decisions = [d.element.identifier for d in pub.decisions]
    forces = {name for name, e in pub.elements.items() if e.kind == "force"}
    made = [_view(pub, "_all", list(pub.elements))]
    if decisions:
        made.append(_view(pub, "inter_decision_links", decisions))
    for decision in decisions:
        others = set(decisions) - {decision}
        made.append(_view(pub, decision, connected(pub, decision, others, forces)))
    return tuple(made)


# -- PlantUML ---------------------------------------------------------------------------------

PLANTUML_HEADER = """@startuml
skinparam monochrome true
skinparam ClassBackgroundColor White
hide empty members
hide circle
skinparam defaultFontName Arial
skinparam defaultFontSize 11
skinparam classfontstyle bold
"""


def break_name(name: str, length: int = NAME_BREAK) -> str:
    """Break at a space once a line has `length` characters, but not after a `:` nor before a
    `=` (CodeableModels' rule; a line break is PlantUML's two characters `\\n`)."""
    if len(name) <= length:
        return name
    lines, first, count = [], 0, 0
    for index, char in enumerate(name):
        breakable = name[index - 1] != ":" and name[index + 1 : index + 2] != "="
        if char == " " and count >= length and breakable:
            lines.append(name[first:index])
            first, count = index + 1, 0
        count += 1
    return "\\n".join([*lines, name[first:]])


def tagged_value(name: str) -> str:
    """An option link's `{name = "..."}`, broken as the published diagrams have it: the
    tagged value at NAME_BREAK characters, then the result again at LABEL_BREAK (this
    reproduces all 35 option labels of the first study)."""
    return break_name(break_name(f'name = "{name}"'), LABEL_BREAK)


def plantuml_escape(text: str) -> str:
    """Text inside a quoted PlantUML label: quotes become single quotes, and the characters
    that start creole or HTML markup (`<`, `>`, `&`, and `~` itself) are escaped with `~`."""
    text = text.replace('"', "'").replace("\n", " ")
    return re.sub(r"([~<>&])", r"~\1", text)


def alias(index: int, label: str) -> str:
    return f"__{index}_" + re.sub(r"[^A-Za-z0-9]", "_", label)


def plantuml(view: View) -> str:
    out = [PLANTUML_HEADER]
    names = {}
    for index, element in enumerate(view.elements, start=1):
        names[element.identifier] = alias(index, element.label)
        label = break_name(plantuml_escape(element.label))
        long = len(f"{element.label} : {element.kind_name}") > NAME_BREAK
        sep = "\\n : " if long else " : "
        out.append(f'class "{label}{sep}{element.kind_name}" as {names[element.identifier]}\n')
    for link in view.links:
        text = f"«{plantuml_escape(link.stereotype)}» \\n"
        if link.name:
            text += "{" + tagged_value(plantuml_escape(link.name)) + "}\\n"
        out.append(f'{names[link.start]} --> {names[link.end]}: "{text}" \n')
    out.append("@enduml\n")
    return "".join(out)


# -- Mermaid ----------------------------------------------------------------------------------


def mermaid_escape(text: str) -> str:
    """Text inside a quoted Mermaid label: specials as Mermaid's numeric entity codes."""
    codes = {'"': "#34;", "#": "#35;", "&": "#38;", "<": "#60;", ">": "#62;", "\n": " "}
    return "".join(codes.get(char, char) for char in text)


def mermaid(view: View) -> str:
    out = ["```mermaid\n", "flowchart TB\n"]
    ids = {}
    for index, element in enumerate(view.elements, start=1):
        ids[element.identifier] = f"n{index}"
        out.append(f'  n{index}["{mermaid_escape(element.label)}<br/>: {element.kind_name}"]\n')
    for link in view.links:
        label = f"«{link.stereotype}»" + (f" {link.name}" if link.name else "")
        out.append(f'  {ids[link.start]} -->|"{mermaid_escape(label)}"| {ids[link.end]}\n')
    out.append("```\n")
    return "".join(out)


# -- Graphviz ---------------------------------------------------------------------------------


def graph(view: View) -> graphviz.Digraph:
    import graphviz  # only when a diagram is drawn: every command would pay its import

    dot = graphviz.Digraph(
        view.name,
        graph_attr={"rankdir": "TB", "fontname": "Arial"},
        node_attr={"shape": "box", "fontname": "Arial", "fontsize": "11"},
        edge_attr={"fontname": "Arial", "fontsize": "9"},
    )
    for index, element in enumerate(view.elements, start=1):
        label = graphviz.escape(element.label) + "\\n: " + element.kind_name
        dot.node(f"n{index}", label=label)
    ids = {e.identifier: f"n{i}" for i, e in enumerate(view.elements, start=1)}
    for link in view.links:
        label = f"«{link.stereotype}»" + (f"\n{link.name}" if link.name else "")
        dot.edge(ids[link.start], ids[link.end], label=graphviz.escape(label).replace("\n", "\\n"))
    return dot


def dot_source(view: View) -> str:
    return graph(view).source


def svg(view: View) -> str:
    import graphviz

    try:
        return graph(view).pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as exc:
        raise ToolMissing(GRAPHVIZ_MISSING) from exc
    except graphviz.CalledProcessError as exc:  # pragma: no cover - dot failing on valid input
        raise QualgraphError(f"Graphviz's dot failed on view {view.name}: {exc}") from exc


RENDERERS = {"plantuml": plantuml, "dot": dot_source, "mermaid": mermaid, "svg": svg}


def render(view: View, fmt: str) -> str:
    return RENDERERS[fmt](view)
