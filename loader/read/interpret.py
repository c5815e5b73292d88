"""Read the python of axial blocks and model files as data: typed statements, never execution.

Researchers formalise codes as CodeableModels calls (`x = CClass(practice, "Label")`,
`add_decision_option_link(...)`, `add_force_relations({...})`, `add_links(...)`, code lists in
`'''…'''` strings). That python is often invalid, and it is someone else's text: it is only
ever parsed with `ast` (through the tolerant `pyrepair`), never compiled to run, `exec`-ed,
`eval`-ed or imported. Every non-blank input line ends up in exactly one statement span
(several statements may share a span, e.g. the pairs of one `add_force_relations` call):
what is not understood is kept as `Verbatim` with a reason and a diagnostic.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict

from qualgraph.diagnostics import Diagnostic, info, warning
from qualgraph.read import pyrepair
from qualgraph.read.statements import (
    Alias,
    BareName,
    ClassDefinition,
    CodeListEntry,
    Comment,
    ForceImpact,
    Import,
    Interpretation,
    LinkStatement,
    NameList,
    OptionLink,
    Skipped,
    Statement,
    Verbatim,
)

MAX_SOURCE_CHARS = 2_000_000  # a block or model file beyond this is kept verbatim, unparsed

CCLASS = "CClass"
OPTION_LINK = "add_decision_option_link"
FORCE_RELATIONS = "add_force_relations"
ADD_LINKS = "add_links"
HOW_LINK = "add_stereotyped_link_with_how_tagged_value"
KNOWN_FUNCTIONS = (CCLASS, OPTION_LINK, FORCE_RELATIONS, ADD_LINKS, HOW_LINK)

_Severity = Callable[[str, int, str, str], Diagnostic]
_STRING_OPEN = re.compile(r"\s*[rRuU]?('''|\"\"\"|'|\")")


def interpret_block(
    code: str, file: str, first_line: int, *, code_list: bool = False
) -> Interpretation:
    """Statements of one fenced block body; `first_line` is the file line of its first line.
    `code_list` marks an `add codes to sN:` block: bare names there are code-list entries."""
    reader = _Reader(file, code_list)
    reader.read(code.split("\n"), first_line, "code")
    return Interpretation(
        tuple(reader.statements), tuple(reader.diagnostics), reader.parsed_as_written
    )


def interpret_module(text: str, file: str) -> Interpretation:
    """Statements of a whole consolidated model file (codebook, sources and their codes)."""
    return interpret_block(text, file, 1)


@dataclass(frozen=True)
class _Site:
    """Where a statement comes from: its lines as written, their file lines, its origin."""

    text: str
    line: int
    end_line: int
    origin: str

    def fields(self, origin: str | None = None) -> _Fields:
        return {
            "text": self.text,
            "line": self.line,
            "end_line": self.end_line,
            "origin": origin or self.origin,
        }


class _Fields(TypedDict):
    """The fields every statement starts with (`Statement(**site.fields(), ...)`)."""

    text: str
    line: int
    end_line: int
    origin: str


@dataclass(frozen=True)
class _Piece:
    """A span of input lines (0-based, inclusive), how it parsed, and the parsed text's lines
    (shared by all pieces of a block that parsed whole, so it is split only once)."""

    first: int
    last: int
    parsed: pyrepair.Parsed
    nodes: tuple[ast.stmt, ...]
    source: list[str]


class _Reader:
    """Collects statements and diagnostics over one block, so that a dict assigned early in
    the block can be read by a later `add_force_relations(name)`."""

    def __init__(self, file: str, code_list: bool) -> None:
        self.file = file
        self.code_list = code_list
        self.statements: list[Statement] = []
        self.diagnostics: list[Diagnostic] = []
        self.dicts: dict[str, tuple[ast.Dict, list[str]]] = {}
        self.parsed_as_written = False

    def read(self, lines: list[str], base: int, origin: str) -> None:
        """Interpret `lines`, whose first line is file line `base`: whole if it parses as
        written or dedented (never for a code string's lines), else statement by statement."""
        size = sum(map(len, lines))
        if size > MAX_SOURCE_CHARS:
            filled = [index for index, line in enumerate(lines) if line.strip()]
            if filled:
                site = _site(lines, filled[0], filled[-1], base, origin)
                self.verbatim(site, f"too large to interpret ({size} characters)")
            return
        text = "\n".join(lines)
        whole = pyrepair.parse_whole(text) if origin == "code" else None
        if whole:
            self.parsed_as_written = whole.source == text
            self.python_warnings(whole, base)
        for piece in _tree_pieces(lines, whole) if whole else _span_pieces(lines):
            site = _site(lines, piece.first, piece.last, base, origin)
            if not whole:
                self.python_warnings(piece.parsed, site.line)
            self.piece(piece, site)

    def python_warnings(self, parsed: pyrepair.Parsed, first_line: int) -> None:
        """Python's SyntaxWarnings as diagnostics at their file line (`parsed` begins there)."""
        for line, message in parsed.warnings:
            where = first_line + line - 1
            self.diagnostics.append(
                warning(self.file, where, "python-warning", f"python warns: {message}")
            )

    def piece(self, piece: _Piece, site: _Site) -> None:
        parsed = piece.parsed
        if parsed.error is not None:
            line = site.line + parsed.where[0] - 1
            self.verbatim(site, f"{parsed.error} (line {line})", "uninterpretable")
            return
        if not piece.nodes:
            self.add(Comment(**site.fields()))
            return
        if parsed.repairs:
            self.note(info, site, "repaired", "parsed after repair: " + ", ".join(parsed.repairs))
        before = len(self.statements)
        for node in piece.nodes:
            self.statement(node, site, piece.source, len(piece.nodes))
        added = self.statements[before:]
        if site.origin == "code-string" and any(
            not isinstance(s, CodeListEntry | Verbatim) for s in added
        ):
            self.note(info, site, "code-in-string", "python written inside a code string")

    # -- statements ------------------------------------------------------------------------

    def statement(self, node: ast.stmt, site: _Site, source: list[str], siblings: int) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            self.imported(node, site)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            self.skipped(site, f"definition of {kind} `{node.name}`")
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
            self.skipped(site, f"{'while' if isinstance(node, ast.While) else 'for'} loop")
        elif isinstance(node, ast.Assign):
            self.assignment(node, site, source)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Dict):
            name = _text(node.target, source)
            self.verbatim(site, f"`{name}: {{…}}` is a dict entry without its call; not read")
        elif isinstance(node, ast.Expr):
            self.expression(node.value, site, source, siblings)
        else:
            self.skipped(site, f"`{type(node).__name__}` statement, not a coding construct")

    def assignment(self, node: ast.Assign, site: _Site, source: list[str]) -> None:
        value = _unindexed(node.value)
        target = node.targets[0] if len(node.targets) == 1 else None
        if not isinstance(target, ast.Name):
            if isinstance(value, ast.Call) and _is_coding(value):
                self.verbatim(site, "a coding call assigned to something other than one name")
            else:
                self.skipped(site, "assignment, not a coding construct")
            return
        variable = target.id
        if isinstance(value, ast.Call):
            self.call(value, site, source, variable)
        elif isinstance(value, ast.Name):
            self.add(Alias(**site.fields(), variable=variable, target=value.id))
        elif isinstance(value, ast.Dict):
            self.dicts[variable] = (value, source)
            self.skipped(site, f"dict `{variable}`, read where it is passed to a call")
        elif (names := _name_list(value)) is not None:
            self.add(
                NameList(**site.fields(), variable=variable, names=names[0], includes=names[1])
            )
        else:
            self.skipped(site, f"assignment to `{variable}`, not a coding construct")

    def expression(self, value: ast.expr, site: _Site, source: list[str], siblings: int) -> None:
        value = _unindexed(value)
        if isinstance(value, ast.Call):
            self.call(value, site, source, None)
        elif names := _targets(value):  # `name`, `name,`, `a, b` or `[a, b]`
            for name in names:
                self.bare_name(name, site)
        elif isinstance(value, ast.Constant) and isinstance(value.value, str):
            if site.origin == "code" and siblings == 1:
                self.code_string(site)
            else:
                self.verbatim(site, "a string that is not a code list on lines of its own")
        else:
            self.verbatim(site, f"`{type(value).__name__}` expression, not a coding construct")

    def bare_name(self, name: str, site: _Site) -> None:
        if site.origin == "code-string" or self.code_list:
            self.add(CodeListEntry(**site.fields("code"), name=name))
        else:
            self.add(BareName(**site.fields(), name=name))

    def call(self, call: ast.Call, site: _Site, source: list[str], variable: str | None) -> None:
        owner, name = _callee(call)
        if owner is not None:
            if name == ADD_LINKS:
                self.method_link(call, owner, site, source, variable)
            elif name.startswith("add_"):
                self.unknown_call(f".{name}", site)
            else:
                self.skipped(site, f"call of method `.{name}`, not a coding construct")
        elif name == CCLASS:
            self.class_definition(call, site, source, variable)
        elif name == OPTION_LINK:
            self.option_link(call, site, source)
        elif name == FORCE_RELATIONS:
            self.force_relations(call, site, source)
        elif name == ADD_LINKS:
            self.links(call, site, source, variable)
        elif name == HOW_LINK:
            self.how_link(call, site, source, variable)
        elif name == "CBundle":
            self.skipped(site, "CBundle view")
        elif _is_cclass_typo(name):  # after the exact names, none of which is this close
            self.note(info, site, "call-typo", f"`{name}` read as `{CCLASS}`")
            self.class_definition(call, site, source, variable)
        elif _is_coding(call):
            self.unknown_call(name, site)
        else:
            self.skipped(site, f"call of `{name or '…'}`, not a coding construct")

    def class_definition(
        self, call: ast.Call, site: _Site, source: list[str], variable: str | None
    ) -> None:
        args, keywords = call.args, _keywords(call)
        metaclass = _argument(args, 0, keywords, "metaclass")
        if metaclass is None:
            self.verbatim(site, "CClass without a metaclass", "malformed-call")
            return
        values = keywords.get("values")
        if values is not None and not isinstance(values, ast.Dict):
            self.note(warning, site, "not-understood", "`values=` is not a dict; kept as text")
        self.add(
            ClassDefinition(
                **site.fields(),
                variable=variable or "",
                metaclass=_name_or_text(metaclass, source),
                label=_string(_argument(args, 1, keywords, "name")),
                values=_values(values, source) if isinstance(values, ast.Dict) else (),
            )
        )

    def option_link(self, call: ast.Call, site: _Site, source: list[str]) -> None:
        args, keywords = call.args, _keywords(call)
        decision = _argument(args, 0, keywords, "decision_", "decision")
        option = _argument(args, 1, keywords, "design_solution_", "option", "design_solution")
        name = _argument(args, 2, keywords, "option_name", "name")
        if not (isinstance(decision, ast.Name) and isinstance(option, ast.Name)):
            self.verbatim(site, f"{OPTION_LINK} needs a decision and an option", "malformed-call")
            return
        text = None if name is None else _string_or_text(name, source)
        self.add(OptionLink(**site.fields(), decision=decision.id, option=option.id, name=text))

    def force_relations(self, call: ast.Call, site: _Site, source: list[str]) -> None:
        found = self.dict_argument(call, site, source, "force_relations_definition")
        if found is None:
            return
        relations, dict_source = found
        for solution, value in zip(relations.keys, relations.values, strict=True):
            if not isinstance(solution, ast.Name) or not isinstance(value, ast.Dict):
                pair = f"{_text(solution, dict_source)}: {_text(value, dict_source)}"
                self.malformed_relation(site, f"`{pair}` is not `option: {{force: level}}`")
                continue
            for force, level in zip(value.keys, value.values, strict=True):
                if isinstance(force, ast.Name):
                    self.add(
                        ForceImpact(
                            **site.fields(),
                            solution=solution.id,
                            force=force.id,
                            level=_name_or_text(level, dict_source),
                        )
                    )
                else:
                    text = _text(force, dict_source)
                    self.malformed_relation(site, f"force `{text}` of `{solution.id}` not a name")
        if not relations.keys:
            self.malformed_relation(site, "an empty dict: no relation to read")

    def links(self, call: ast.Call, site: _Site, source: list[str], variable: str | None) -> None:
        """`add_links({a: [b, c]}, role_name=…, stereotype_instances=…)`; with the role
        `forces` these are force impacts, as the model's own `add_force_relations` makes them."""
        role, stereotype = _role_and_stereotype(_keywords(call), source)
        found = self.dict_argument(call, site, source, "links")
        if found is None:
            return
        links, dict_source = found
        pairs: list[tuple[str, str]] = []
        for key, value in zip(links.keys, links.values, strict=True):
            targets = _targets(value)
            if not isinstance(key, ast.Name) or targets is None:
                pair = f"{_text(key, dict_source)}: {_text(value, dict_source)}"
                self.malformed_relation(site, f"`{pair}` is not `name: name or [names]`")
            elif role == "forces":
                for force in targets:
                    self.add(
                        ForceImpact(
                            **site.fields(), solution=key.id, force=force, level=stereotype or ""
                        )
                    )
            else:
                pairs.extend((key.id, target) for target in targets)
        if pairs:
            self.add(
                LinkStatement(
                    **site.fields(),
                    pairs=tuple(pairs),
                    role_name=role,
                    stereotype=stereotype,
                    variable=variable,
                )
            )
        if not links.keys:
            self.malformed_relation(site, "an empty dict: no link to read")

    def method_link(
        self, call: ast.Call, owner: ast.expr, site: _Site, source: list[str], variable: str | None
    ) -> None:
        """`y = a.add_links(b or [b, c], role_name=…, stereotype_instances=…)[0]`."""
        target = _argument(call.args, 0, _keywords(call), "target")
        targets = _targets(target) if target is not None else None
        if not isinstance(owner, ast.Name) or targets is None:
            reason = "`a.add_links(b, …)` needs a name and a name or a list of names"
            self.verbatim(site, reason, "malformed-call")
            return
        role, stereotype = _role_and_stereotype(_keywords(call), source)
        pairs = tuple((owner.id, name) for name in targets)
        self.add(
            LinkStatement(
                **site.fields(),
                pairs=pairs,
                role_name=role,
                stereotype=stereotype,
                variable=variable,
            )
        )

    def how_link(
        self, call: ast.Call, site: _Site, source: list[str], variable: str | None
    ) -> None:
        """`add_stereotyped_link_with_how_tagged_value(a, b, stereotype, "how")`."""
        args, keywords = call.args, _keywords(call)
        start, end, stereotype, how = (
            _argument(args, index, keywords, name)
            for index, name in enumerate(("source", "target", "stereotype", "how"))
        )
        if not (isinstance(start, ast.Name) and isinstance(end, ast.Name)):
            self.verbatim(site, f"{HOW_LINK} needs two names", "malformed-call")
            return
        self.add(
            LinkStatement(
                **site.fields(),
                pairs=((start.id, end.id),),
                role_name=None,
                stereotype=None if stereotype is None else _name_or_text(stereotype, source),
                variable=variable,
                how=None if how is None else _string_or_text(how, source),
            )
        )

    def code_string(self, site: _Site) -> None:
        """Read a `'''…'''` statement line by line: names are code-list entries, other lines
        are parsed as embedded code (flagged), delimiter-only lines are skipped quietly."""
        lines = site.text.split("\n")
        body = _string_body(lines)
        if body is None:
            self.verbatim(site, "a string statement that could not be split into lines")
            return
        last = len(lines) - 1
        if not body[0].strip():
            self.add(Skipped(**_line_site(site, 0).fields(), reason="code-string delimiter"))
        self.read(body, site.line, "code-string")
        if last and not body[last].strip():
            self.add(Skipped(**_line_site(site, last).fields(), reason="code-string delimiter"))

    # -- helpers ---------------------------------------------------------------------------

    def dict_argument(
        self, call: ast.Call, site: _Site, source: list[str], keyword: str
    ) -> tuple[ast.Dict, list[str]] | None:
        """The dict literal passed first to a call, or the dict variable it names."""
        argument = _argument(call.args, 0, _keywords(call), keyword)
        if isinstance(argument, ast.Dict):
            return argument, source
        if isinstance(argument, ast.Name) and argument.id in self.dicts:
            return self.dicts[argument.id]
        if isinstance(argument, ast.Name):
            self.malformed_relation(site, f"`{argument.id}` is not a dict defined earlier")
        else:
            self.malformed_relation(site, "the first argument is not a dict")
        return None

    def unknown_call(self, name: str, site: _Site) -> None:
        close = difflib.get_close_matches(name.lstrip("."), KNOWN_FUNCTIONS, n=1, cutoff=0.0)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        self.verbatim(site, f"unknown function `{name}`{hint}", "unknown-call")

    def malformed_relation(self, site: _Site, reason: str) -> None:
        self.verbatim(site, reason, "malformed-relation")

    def verbatim(self, site: _Site, reason: str, code: str = "not-understood") -> None:
        self.add(Verbatim(**site.fields(), reason=reason))
        self.note(warning, site, code, f"kept verbatim: {reason}")

    def imported(self, node: ast.Import | ast.ImportFrom, site: _Site) -> None:
        if isinstance(node, ast.ImportFrom):
            module, level = node.module or "", node.level
            names = tuple((a.name, a.asname or a.name) for a in node.names)
        else:  # `import a.b` binds `a`; `import a.b as c` binds `c`
            (first, *_), level = node.names, 0
            module, names = first.name, ((first.name, first.asname or first.name.split(".")[0]),)
        self.add(Import(**site.fields(), reason="import", module=module, names=names, level=level))
        self.note(info, site, "skipped-python", "not coding data: import")

    def skipped(self, site: _Site, reason: str) -> None:
        self.add(Skipped(**site.fields(), reason=reason))
        self.note(info, site, "skipped-python", f"not coding data: {reason}")

    def add(self, statement: Statement) -> None:
        self.statements.append(statement)

    def note(self, severity: _Severity, site: _Site, code: str, message: str) -> None:
        self.diagnostics.append(severity(self.file, site.line, code, message))


# -- pieces: spans of lines and their parse ---------------------------------------------------


def _tree_pieces(lines: list[str], parsed: pyrepair.Parsed) -> list[_Piece]:
    """Top-level statements of a tree that parsed whole (statements sharing a line merged
    into one piece), with the comment lines between them as pieces of their own."""
    assert parsed.tree is not None
    groups: list[tuple[list[int], list[ast.stmt]]] = []  # ([first, last], nodes)
    for node in parsed.tree.body:
        decorators = getattr(node, "decorator_list", [])
        first = min([node.lineno, *(d.lineno for d in decorators)]) - 1
        last = (node.end_lineno or node.lineno) - 1
        if groups and first <= groups[-1][0][1]:
            groups[-1][0][1] = max(groups[-1][0][1], last)
            groups[-1][1].append(node)
        else:
            groups.append(([first, last], [node]))
    pieces, covered, source = [], 0, parsed.source.split("\n")
    for (first, last), nodes in groups:
        pieces.extend(_gap_pieces(lines, covered, first))
        pieces.append(_Piece(first, last, parsed, tuple(nodes), source))
        covered = last + 1
    return pieces + _gap_pieces(lines, covered, len(lines))


def _gap_pieces(lines: list[str], start: int, stop: int) -> list[_Piece]:
    """Non-blank lines outside every statement of a parsed tree: comments."""
    return [_span_piece(lines, at, at) for at in range(start, stop) if lines[at].strip()]


def _span_pieces(lines: list[str]) -> list[_Piece]:
    return [_span_piece(lines, first, last) for first, last in pyrepair.split(lines)]


def _span_piece(lines: list[str], first: int, last: int) -> _Piece:
    parsed = pyrepair.parse_span(pyrepair.span_text(lines, first, last))
    nodes = tuple(parsed.tree.body) if parsed.tree else ()
    return _Piece(first, last, parsed, nodes, parsed.source.split("\n"))


def _site(lines: list[str], first: int, last: int, base: int, origin: str) -> _Site:
    return _Site("\n".join(lines[first : last + 1]), base + first, base + last, origin)


def _line_site(site: _Site, index: int) -> _Site:
    return _Site(site.text.split("\n")[index], site.line + index, site.line + index, site.origin)


def _string_body(lines: list[str]) -> list[str] | None:
    """The lines of a string statement without its delimiters (same count, same order), or
    `None` when the delimiters are not at the very start and end."""
    opening = _STRING_OPEN.match(lines[0])
    if opening is None:
        return None
    delimiter = opening.group(1)
    body = [lines[0][opening.end() :], *lines[1:]]
    if not body[-1].rstrip().endswith(delimiter):
        return None
    body[-1] = body[-1].rstrip()[: -len(delimiter)]
    return None if any(delimiter in line for line in body) else body


# -- AST reading (no recursion: every walk is a loop over one level) -----------------------


def _callee(call: ast.Call) -> tuple[ast.expr | None, str]:
    if isinstance(call.func, ast.Name):
        return None, call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.value, call.func.attr
    return None, ""


def _is_cclass_typo(name: str) -> bool:
    return difflib.SequenceMatcher(None, name, CCLASS).ratio() >= 0.8


def _is_coding(call: ast.Call) -> bool:
    """A call that looks like coding: an `add_…` function or a near-miss of a known one."""
    name = _callee(call)[1]
    return name.startswith("add_") or bool(difflib.get_close_matches(name, KNOWN_FUNCTIONS, 1, 0.8))


def _unindexed(node: ast.expr) -> ast.expr:
    """`a.add_links(b, …)[0]` → the call."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call):
        return node.value
    return node


def _keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}


def _argument(
    args: list[ast.expr], index: int, keywords: dict[str, ast.expr], *names: str
) -> ast.expr | None:
    """Positional argument `index`, else the first keyword argument found among `names`."""
    if index < len(args) and not isinstance(args[index], ast.Starred):
        return args[index]
    return next((keywords[name] for name in names if name in keywords), None)


def _role_and_stereotype(
    keywords: dict[str, ast.expr], source: list[str]
) -> tuple[str | None, str | None]:
    role, stereotype = keywords.get("role_name"), keywords.get("stereotype_instances")
    return (
        None if role is None else _string_or_text(role, source),
        None if stereotype is None else _name_or_text(stereotype, source),
    )


def _names(nodes: list[ast.expr]) -> tuple[str, ...] | None:
    if nodes and all(isinstance(node, ast.Name) for node in nodes):
        return tuple(node.id for node in nodes)  # type: ignore[attr-defined]
    return None


def _targets(node: ast.expr) -> tuple[str, ...] | None:
    """`b`, `[b, c]` or `(b, c)` as names."""
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, ast.List | ast.Tuple):
        return _names(node.elts)
    return None


def _name_list(node: ast.expr) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """`[a, b] + other + [c]` → ((a, b, c), (other,)); `None` if anything else is in it."""
    names: list[str] = []
    includes: list[str] = []
    for part in _summands(node):
        if isinstance(part, ast.List) and (not part.elts or _names(part.elts)):
            names.extend(_names(part.elts) or ())
        elif isinstance(part, ast.Name):
            includes.append(part.id)
        else:
            return None
    return tuple(names), tuple(includes)


def _summands(node: ast.expr) -> list[ast.expr]:
    """The operands of a chain of `+`, left to right, without recursion."""
    parts, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            stack.extend((current.right, current.left))
        else:
            parts.append(current)
    return parts


def _string(node: ast.expr | None) -> str | None:
    """A str literal, or a `+` chain of str literals folded into one."""
    if node is None:
        return None
    parts = _summands(node)
    if all(isinstance(part, ast.Constant) and isinstance(part.value, str) for part in parts):
        return "".join(part.value for part in parts)  # type: ignore[attr-defined]
    return None


def _values(mapping: ast.Dict, source: list[str]) -> tuple[tuple[str, object], ...]:
    return tuple(
        (_string_or_text(key, source), _literal(value, source))
        for key, value in zip(mapping.keys, mapping.values, strict=True)
    )


def _literal(node: ast.expr, source: list[str]) -> object:
    """The value of a scalar literal (str, number, bool, None), else the text as written, so
    statements stay hashable; evaluates nothing but literals."""
    folded = _string(node)
    if folded is not None:
        return folded
    if isinstance(node, ast.Constant | ast.UnaryOp):
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
    return _text(node, source)


def _string_or_text(node: ast.expr | None, source: list[str]) -> str:
    folded = _string(node)
    return folded if folded is not None else _text(node, source)


def _name_or_text(node: ast.expr, source: list[str]) -> str:
    return node.id if isinstance(node, ast.Name) else _text(node, source)


def _text(node: ast.expr | None, source: list[str]) -> str:
    """The source text of `node` as written (AST columns are UTF-8 byte offsets); `**` for
    the missing key of a `**spread` dict entry."""
    if node is None or node.end_lineno is None or node.end_col_offset is None:
        return "**"
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        return _cut(source[first], node.col_offset, node.end_col_offset)
    head = _cut(source[first], node.col_offset, None)
    tail = _cut(source[last], 0, node.end_col_offset)
    return "\n".join([head, *source[first + 1 : last], tail])


def _cut(line: str, start: int, end: int | None) -> str:
    return line.encode()[start:end].decode(errors="replace")
