"""What a study publishes, gathered once from the loaded study: sources, forces, decisions.

The paper tables, the design document and the decision diagrams are three renderings of one
`Publication`, so they agree with each other. The rules are those of the study's CodeableModels
generators: decisions and forces in definition order (forces numbered f1, f2, ... in that
order), options in the order their option links were written, each option's impacts in the
order written, and a code's evidences are the sources that claim it, in claim order. When the
study has consolidated model files the decision model is read from them alone (that is what
the generators ran); otherwise from the traces in coding order.

Beyond the generators, every evidence carries its first grounding quote: the first non-empty
quote of that source's trace whose segment names the code (None when no quote grounds it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from qualgraph.read.document import AxialTrace
from qualgraph.read.metamodel import LinkKind, read_link
from qualgraph.read.statements import (
    ClassDefinition,
    ForceImpact,
    LinkStatement,
    OptionLink,
    Skipped,
    Statement,
)
from qualgraph.study.load import LoadedStudy
from qualgraph.study.model import CONTAINED_CODE
from qualgraph.study.resolve import NOT_CODES, ResolvedStudy, follow_alias

LEVEL_SYMBOLS = {
    "very_positive": "++",
    "positive": "+",
    "neutral": "o",
    "negative": "-",
    "very_negative": "--",
    "positive_and_negative": "+/-",
}
"""Impact levels as written → the CodeableModels stereotype names the tables print."""

STEREOTYPE_NAMES = {
    "requires": "Requires",
    "uses": "Uses",
    "can_use": "Can Use",
    "can_be_combined_with": "Can Be Combined With",
    "can_be_realized_with": "Can be Realized With",
    "variant": "Variant",
    "extension": "Extension",
    "is_a": "Is-a",
    "realizes": "Realizes",
    "includes": "Includes",
    "alternative_to": "Alternative To",
    "rules_out": "Rules Out",
    "influences": "Influences",
    "leads_to": "Leads To",
    "enables": "Enables",
    "mandatory_next": "Mandatory Next",
    "optional_next": "Optional Next",
    "next_decision": "Next",
    "consider_if_not_decided_yet": "Consider If Not Decided Yet",
    "decide_for_all_instances_of": "decide for all instances of",
    "decide_for_some_instances_of": "decide for some instances of",
}
"""Stereotype variables of the guidance metamodel → their names, as diagrams print them."""

KIND_NAMES = {
    "practice": "Practice",
    "pattern": "Pattern",
    "decision": "Decision",
    "force": "Force",
    "design_solution": "Design Solution",
    "do_nothing_design_solution": "Do Nothing",
    "category": "Category",
    "context": "Context",
    "domain_metaclass": "Domain Class",
    "domain_class": "Domain Class",
}

DRAWN_KINDS = {
    LinkKind.RELATION: "relation",
    LinkKind.NEXT_DECISION: "next",
    LinkKind.CONTEXT: "context",
}
"""The link kinds of the decision model that tables and diagrams show, by their short name."""


def stereotype_name(variable: str | None) -> str:
    if not variable:
        return ""
    return STEREOTYPE_NAMES.get(variable, variable.replace("_", " ").title())


@dataclass(frozen=True)
class QuoteRef:
    """A quote that grounds a code: where it is and what it says."""

    file: str
    line: int
    text: str


@dataclass(frozen=True)
class Evidence:
    """A source that claims a code, with the first quote of that source grounding it."""

    source: str
    quote: QuoteRef | None

    @property
    def grounded(self) -> bool:
        return self.quote is not None


@dataclass(frozen=True)
class Element:
    """A code as diagrams and tables name it."""

    identifier: str
    label: str
    kind: str | None  # the metaclass as written (`pattern`), None when never defined

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind or "", (self.kind or "Code").replace("_", " ").title())


@dataclass(frozen=True)
class SourceRow:
    identifier: str
    title: str
    url: str
    tiny_url: str
    source_type: str
    example: bool | None
    source_code: bool | None


@dataclass(frozen=True)
class Impact:
    force: str
    level: str  # the stereotype name: ++, +, o, -, --, +/-
    file: str
    line: int


@dataclass(frozen=True)
class ForceEntry:
    fid: str
    element: Element
    evidences: tuple[Evidence, ...]


@dataclass(frozen=True)
class OptionEntry:
    element: Element
    name: str | None
    evidences: tuple[Evidence, ...]
    impacts: tuple[Impact, ...]


@dataclass(frozen=True)
class DecisionEntry:
    element: Element
    evidences: tuple[Evidence, ...]
    contexts: tuple[Element, ...]
    options: tuple[OptionEntry, ...]
    next_decisions: tuple[Element, ...]


@dataclass(frozen=True)
class Link:
    """A directed link between two codes as a diagram draws it.

    `kind` is option, relation, next, context or impact; `stereotype` is the printed name
    (`Option`, `Can Use`, `++`); `name` the option link's name, if any."""

    start: str
    end: str
    kind: str
    stereotype: str
    name: str | None = None


@dataclass(frozen=True)
class ViewSpec:
    """A view the model declares (`CBundle`), read without running it.

    Either `elements` (an explicit list) or `start` with the names at which the walk stops
    (`get_connected_elements(stop_elements_exclusive=...)`)."""

    name: str
    elements: tuple[str, ...] = ()
    start: str | None = None
    stop: tuple[str, ...] = ()
    file: str = ""
    line: int = 0
    problem: str | None = None
    """Why the view's elements could not be read (then it is not drawn)."""


@dataclass(frozen=True)
class Publication:
    sources: tuple[SourceRow, ...]
    forces: tuple[ForceEntry, ...]
    decisions: tuple[DecisionEntry, ...]
    elements: dict[str, Element]
    links: tuple[Link, ...]
    views: tuple[ViewSpec, ...]
    from_model: bool

    def fid(self, force: str) -> str | None:
        for entry in self.forces:
            if entry.element.identifier == force:
                return entry.fid
        return None

    def force_evidences(self, force: str) -> tuple[Evidence, ...]:
        for entry in self.forces:
            if entry.element.identifier == force:
                return entry.evidences
        return ()


def publication(loaded: LoadedStudy | ResolvedStudy) -> Publication:
    """Gather what the study publishes (see the module docstring for the rules)."""
    study = loaded.study if isinstance(loaded, LoadedStudy) else loaded
    aliases = study.aliases
    statements = list(_decision_statements(study))
    elements = _elements(study)

    def element(name: str) -> Element:
        name = follow_alias(name, aliases)
        return elements.get(name) or Element(name, name, None)

    claims = _claims(study)
    groundings = _groundings(study)

    def evidences(code: str) -> tuple[Evidence, ...]:
        return tuple(
            Evidence(source, groundings.get(source, {}).get(code))
            for source in claims.get(code, ())
        )

    decisions: list[str] = []
    forces: list[str] = []
    options: dict[str, list[tuple[str, str | None]]] = {}
    impacts: dict[str, list[Impact]] = {}
    contexts: dict[str, list[str]] = {}
    nexts: dict[str, list[str]] = {}
    links: list[Link] = []
    views: list[ViewSpec] = []
    for file, statement in statements:
        match statement:
            case ClassDefinition(metaclass="decision" | "force" as kind, variable=variable) if (
                variable and variable in elements and elements[variable].kind == kind
            ):  # in definition order, of the kind the codebook finally gives the code
                found = decisions if kind == "decision" else forces
                if variable not in found:
                    found.append(variable)
            case OptionLink(decision=decision, option=option, name=name):
                decision, option = follow_alias(decision, aliases), follow_alias(option, aliases)
                options.setdefault(decision, []).append((option, name))
                links.append(Link(decision, option, "option", "Option", name))
            case ForceImpact(solution=solution, force=force, level=level):
                solution, force = follow_alias(solution, aliases), follow_alias(force, aliases)
                symbol = LEVEL_SYMBOLS.get(level, level)
                known = impacts.setdefault(solution, [])
                if not any(i.force == force and i.level == symbol for i in known):
                    known.append(Impact(force, symbol, file, statement.line))  # once per pair
                links.append(Link(solution, force, "impact", symbol))
            case LinkStatement(role_name=role) if role == CONTAINED_CODE:
                pass
            case LinkStatement(pairs=pairs, role_name=role, stereotype=stereotype):
                reading = read_link(role, stereotype)  # oriented as CodeableModels reads it
                drawn = DRAWN_KINDS.get(reading.kind)  # type: ignore[arg-type]
                if drawn is None:
                    continue  # domain-model, category and reference links are not decisions
                for pair in pairs:
                    start, end = (follow_alias(name, aliases) for name in reading.orient(*pair))
                    if drawn == "next":
                        nexts.setdefault(start, []).append(end)
                    elif drawn == "context":
                        contexts.setdefault(start, []).append(end)
                    links.append(Link(start, end, drawn, stereotype_name(stereotype)))
            case Skipped(reason="CBundle view"):
                views.append(read_view(statement.text, file, statement.line, statements))
    fids = {force: f"f{index}" for index, force in enumerate(forces, start=1)}
    return Publication(
        sources=_sources(study),
        forces=tuple(ForceEntry(fids[force], element(force), evidences(force)) for force in forces),
        decisions=tuple(
            DecisionEntry(
                element(decision),
                evidences(decision),
                tuple(element(c) for c in _unique(contexts.get(decision, ()))),
                tuple(
                    OptionEntry(
                        element(option), name, evidences(option), tuple(impacts.get(option, ()))
                    )
                    for option, name in _unique_options(options.get(decision, ()))
                ),
                tuple(element(n) for n in _unique(nexts.get(decision, ()))),
            )
            for decision in decisions
        ),
        elements=elements,
        links=tuple(dict.fromkeys(links)),
        views=tuple(views),
        from_model=study.model is not None,
    )


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _unique_options(pairs: Iterable[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    seen: dict[str, str | None] = {}
    for option, name in pairs:
        seen.setdefault(option, name)
    return list(seen.items())


def _decision_statements(study: ResolvedStudy) -> Iterator[tuple[str, Statement]]:
    """The statements the decision model is read from: the model files' when there are any."""
    if study.model is not None:
        for model_file in study.model.files:
            for statement in model_file.interpretation.statements:
                yield model_file.name, statement
        return
    for trace in study.traces:
        record = trace.record
        for resolved in trace.segments:
            for item in resolved.segment.traces:
                if isinstance(item, AxialTrace):
                    for block in item.blocks:
                        for statement in record.interpretation(block).statements:
                            yield trace.document.name, statement


def _elements(study: ResolvedStudy) -> dict[str, Element]:
    return {
        name: Element(name, entry.label or name, entry.metaclass)
        for name, entry in study.codebook.items()
        if entry.metaclass not in NOT_CODES
    }


def _claims(study: ResolvedStudy) -> dict[str, list[str]]:
    """Code → the sources that claim it, in claim order (the model's claims when it has any)."""
    found: dict[str, dict[str, None]] = {}
    if study.model is not None:
        for model_claim in study.model.claims:
            code = follow_alias(model_claim.code, study.aliases)
            found.setdefault(code, {})[model_claim.source_id] = None
    else:
        for trace in study.traces:
            for claim in trace.claims:
                found.setdefault(claim.code, {})[claim.source_id] = None
    return {code: list(sources) for code, sources in found.items()}


def _groundings(study: ResolvedStudy) -> dict[str, dict[str, QuoteRef]]:
    """Source → code → the first quote of that source grounding the code."""
    found: dict[str, dict[str, QuoteRef]] = {}
    for trace in study.traces:
        if not trace.source_id:
            continue
        codes = found.setdefault(trace.source_id, {})
        for resolved in trace.segments:
            quote = next((q for q in resolved.segment.quotes if q.is_evidence), None)
            if quote is None:
                continue
            ref = QuoteRef(trace.document.name, quote.span.start, quote.text)
            for mention in resolved.mentions:
                codes.setdefault(mention.code, ref)
    return found


def _sources(study: ResolvedStudy) -> tuple[SourceRow, ...]:
    """The model's source definitions in order; without a model, the traces' headers."""
    if study.model is not None and study.model.sources:
        rows = []
        for identifier, (_, definition) in study.model.sources.items():
            values = dict(definition.values)
            rows.append(
                SourceRow(
                    identifier,
                    _text(values.get("title")),
                    _text(values.get("url")),
                    _text(values.get("tiny url")),
                    _text(values.get("type")),
                    _flag(values.get("example")),
                    _flag(values.get("source code")),
                )
            )
        return tuple(rows)
    rows = []
    seen = set()
    for trace in study.traces:
        if not trace.source_id or trace.source_id in seen:
            continue
        seen.add(trace.source_id)
        doc = trace.document

        def field(key: str, doc=doc) -> str:
            found = doc.field(key)
            return found.value if found else ""

        rows.append(
            SourceRow(
                trace.source_id,
                field("title"),
                field("url"),
                field("tiny url"),
                field("source type"),
                _flag(field("example")),
                _flag(field("source code")),
            )
        )
    return tuple(rows)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    return {"yes": True, "true": True, "no": False, "false": False}.get(text)


# -- views declared in the model (CBundle), read with ast --------------------------------------


def read_view(text: str, file: str, line: int, statements: list[tuple[str, Statement]]) -> ViewSpec:
    """`v = CBundle("name", elements=...)` as a ViewSpec, with `problem` set when its elements
    cannot be known without running the model.

    Understood: a list of names (`[a, b]`, `x.class_object` allowed), and
    `x[.class_object].get_connected_elements(stop_elements_exclusive=...)` where the stops are
    names, lists of names, sums of those, or a variable bound to
    `[f.class_object for f in <metaclass>.all_classes]` (every code of that metaclass)."""
    name = f"view at line {line}"

    def unread(problem: str) -> ViewSpec:
        return ViewSpec(name, file=file, line=line, problem=problem)

    try:
        tree = ast.parse(text.strip())
    except SyntaxError:
        return unread("its python does not parse")
    statement = tree.body[0] if tree.body else None
    call = statement.value if isinstance(statement, ast.Assign | ast.Expr) else None
    if not isinstance(call, ast.Call):
        return unread("not a CBundle(...) call")
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        name = call.args[0].value
    keywords = {k.arg: k.value for k in call.keywords}
    elements = keywords.get("elements", call.args[1] if len(call.args) > 1 else None)
    if elements is None:
        return unread("it names no elements")
    listed = _names(elements, statements)
    if listed is not None:
        return ViewSpec(name, tuple(listed), file=file, line=line)
    if (
        isinstance(elements, ast.Call)
        and isinstance(elements.func, ast.Attribute)
        and elements.func.attr == "get_connected_elements"
        and _name(elements.func.value) is not None
    ):
        inner = {k.arg: k.value for k in elements.keywords}
        unknown = sorted(str(name) for name in set(inner) - {"stop_elements_exclusive"})
        if unknown:  # stop_elements_inclusive, add_stereotypes, ...: not used by studies so far
            return unread(f"get_connected_elements({unknown[0]}=...) is not read")
        stops: list[str] = []
        if "stop_elements_exclusive" in inner:
            found = _names(inner["stop_elements_exclusive"], statements)
            if found is None:
                return unread("its stop elements cannot be read without running the model")
            stops = found
        start = _name(elements.func.value)
        return ViewSpec(name, start=start, stop=tuple(stops), file=file, line=line)
    return unread("its elements cannot be read without running the model")


def _name(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and node.attr == "class_object":
        return _name(node.value)
    return None


def _names(node, statements: list[tuple[str, Statement]]) -> list[str] | None:
    if isinstance(node, ast.List | ast.Tuple):
        names = [_name(item) for item in node.elts]
        return None if any(n is None for n in names) else names  # type: ignore[return-value]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _names(node.left, statements), _names(node.right, statements)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Name):
        return _bound_list(node.id, statements)
    return None


def _bound_list(variable: str, statements: list[tuple[str, Statement]]) -> list[str] | None:
    """`v = [f.class_object for f in force.all_classes]`: every code of that metaclass."""
    for _, statement in statements:
        if not isinstance(statement, Skipped) or variable not in statement.text:
            continue
        try:
            tree = ast.parse(statement.text.strip())
        except SyntaxError:
            continue
        node = tree.body[0] if tree.body else None
        if not (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == variable
        ):
            continue
        value = node.value
        if (
            isinstance(value, ast.ListComp)
            and len(value.generators) == 1
            and isinstance(value.generators[0].iter, ast.Attribute)
            and value.generators[0].iter.attr in {"all_classes", "classes"}
            and isinstance(value.generators[0].iter.value, ast.Name)
        ):
            metaclass = value.generators[0].iter.value.id
            return [
                s.variable
                for _, s in statements
                if isinstance(s, ClassDefinition) and s.metaclass == metaclass and s.variable
            ]
        return _names(value, statements)
    return None
