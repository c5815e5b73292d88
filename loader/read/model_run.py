"""Would CodeableModels run the model files? Every construct that makes it raise, found
statically: qualgraph still reads everything, but says where the model stops.

The model files are what the study's generators run to make the paper's tables and diagrams;
a model that raises at line 400 publishes nothing after it. Checked, in the order CodeableModels
would execute the files (imported model files first): python that does not parse, names used
before their definition (or never bound), imports of names a metamodel does not define,
metaclasses that do not exist, role names and stereotypes the metamodel does not declare for
the link, and the same link made twice. Redefinitions run, but orphan the first object.
"""

from __future__ import annotations

import ast
import builtins
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from qualgraph.diagnostics import Diagnostic, error, warning
from qualgraph.read.metamodel import (
    ASSOCIATIONS,
    MODULE_NAMES,
    LinkKind,
    read_link,
)
from qualgraph.read.statements import (
    Alias,
    BareName,
    ClassDefinition,
    ForceImpact,
    Import,
    LinkStatement,
    NameList,
    OptionLink,
    Skipped,
    Statement,
)

DOES_NOT_RUN = "model-does-not-run"
BUILTINS = frozenset(dir(builtins))
OPTION_ASSOCIATION = next(a for a in ASSOCIATIONS if a.kind is LinkKind.OPTION)
IMPACT_ASSOCIATION = next(a for a in ASSOCIATIONS if a.kind is LinkKind.IMPACT)
CLAIM_ASSOCIATION = next(a for a in ASSOCIATIONS if a.kind is LinkKind.CLAIM)
FUNCTION_CALL = re.compile(r"(?<![.\w])(add_links|add_force_relations)\s*\(")


@dataclass(frozen=True)
class RunFile:
    """What the check needs of one model file: its name, text and statements in line order."""

    name: str
    text: str
    statements: tuple[Statement, ...]
    imports: dict[str, frozenset[str] | None]
    """Study module → the names it binds when imported (None: unknown, any name may come)."""
    parses: bool = False
    """The interpreter already parsed the text whole as written: no syntax error to look for."""


@dataclass
class _Failure:
    line: int
    message: str


class _Run:
    """Walks the files as CodeableModels would execute them, remembering what exists."""

    def __init__(self) -> None:
        self.links: dict[tuple[str, tuple[str, int], tuple[str, int]], tuple[str, int]] = {}
        self.generation: dict[str, int] = {}  # name → how often it was bound (object identity)
        self.defined_at: dict[str, tuple[str, int]] = {}
        self.diagnostics: list[Diagnostic] = []

    def object(self, name: str) -> tuple[str, int]:
        return (name, self.generation.get(name, 0))

    def file(self, run_file: RunFile, lists: dict[str, tuple[str, ...]]) -> None:
        failures: list[_Failure] = []
        syntax = None if run_file.parses else _syntax_error(run_file.text)
        if syntax is not None:
            failures.append(syntax)
        bound: set[str] = set()
        any_name = False  # an unresolved `import *` may bind anything
        later = _bindings_by_line(run_file.statements)
        for statement in run_file.statements:
            unbound = len(failures)
            for name in _uses(statement):
                if name in bound or name in BUILTINS or any_name:
                    continue
                where = later.get(name)
                if where is not None and where > statement.line:
                    failures.append(_Failure(
                        statement.line,
                        f"{name} is used before its definition at line {where} (NameError)",
                    ))
                elif where is None:
                    failures.append(_Failure(
                        statement.line, f"{name} is not defined or imported in this file "
                        "(NameError)",
                    ))
                bound.add(name)  # one finding per name
            if isinstance(statement, Import):
                names, unknown = self.imported(statement, run_file, failures)
                bound |= names
                any_name |= unknown
            elif isinstance(statement, ClassDefinition):
                self.definition(statement, run_file, failures)
            if len(failures) == unbound:  # CodeableModels stops at the NameError first
                failures.extend(self.link_failures(statement, run_file, lists))
            bound |= _binds(statement)
        failures.sort(key=lambda failure: failure.line)
        for k, failure in enumerate(failures):
            message = f"the model does not run here: {failure.message}"
            if k == 0:
                message += _lost_after(run_file, failure.line, lists)
            self.diagnostics.append(error(run_file.name, failure.line, DOES_NOT_RUN, message))

    def imported(
        self, statement: Import, run_file: RunFile, failures: list[_Failure]
    ) -> tuple[set[str], bool]:
        bound = {alias for _, alias in statement.names if alias != "*"}
        star = any(name == "*" for name, _ in statement.names)
        if statement.module in MODULE_NAMES:
            known = MODULE_NAMES[statement.module]
            for name, _ in statement.names:
                if name != "*" and name not in known:
                    failures.append(_Failure(
                        statement.line,
                        f"{statement.module} defines no {name} (ImportError)",
                    ))
            if star:
                bound |= known
            return bound, False
        if statement.module not in run_file.imports:  # a library qualgraph does not know
            return bound, star
        names = run_file.imports[statement.module]
        if star:
            return bound | (names or set()), names is None
        return bound, False

    def definition(
        self, statement: ClassDefinition, run_file: RunFile, failures: list[_Failure]
    ) -> None:
        variable = statement.variable
        if not variable:
            return
        if variable in self.defined_at:
            first_file, first_line = self.defined_at[variable]
            first = f"line {first_line}" if first_file == run_file.name else (
                f"{first_file}:{first_line}"
            )
            self.diagnostics.append(warning(
                run_file.name, statement.line, "model-redefinition",
                f"{variable} is defined again (first at {first}): "
                "CodeableModels makes a second object, and the first, with every link made to "
                "it before this line, is orphaned; keep one definition",
            ))
        else:
            self.defined_at[variable] = (run_file.name, statement.line)
        self.generation[variable] = self.generation.get(variable, 0) + 1

    def link_failures(
        self, statement: Statement, run_file: RunFile, lists: dict[str, tuple[str, ...]]
    ) -> Iterator[_Failure]:
        for association, start, end, problem in _links(statement, lists):
            if problem is not None:
                yield _Failure(statement.line, problem)
                return
            key = (association, self.object(start), self.object(end))
            if key in self.links:
                first_file, first_line = self.links[key]
                first = (
                    "twice in this call"
                    if (first_file, first_line) == (run_file.name, statement.line)
                    else f"again (first at {first_file}:{first_line})"
                )
                yield _Failure(
                    statement.line,
                    f"the link {start} → {end} ({association}) is made {first}; CodeableModels "
                    "raises \"trying to link the same link twice\" and undoes the call's links",
                )
                return
            self.links[key] = (run_file.name, statement.line)


def _links(
    statement: Statement, lists: dict[str, tuple[str, ...]]
) -> Iterator[tuple[str, str, str, str | None]]:
    """(association, start, end, problem) of each link a statement makes, as CodeableModels
    orients them; list variables in code claims are expanded."""
    if isinstance(statement, OptionLink):
        yield OPTION_ASSOCIATION.declared, statement.decision, statement.option, None
    elif isinstance(statement, ForceImpact):
        yield IMPACT_ASSOCIATION.declared, statement.solution, statement.force, None
    elif isinstance(statement, LinkStatement):
        reading = read_link(statement.role_name, statement.stereotype)
        if reading.problem is not None or reading.association is None:
            yield "", "", "", reading.problem or "the link matches no association"
            return
        for receiver, argument in statement.pairs:
            targets = (
                lists.get(argument, (argument,))
                if reading.association is CLAIM_ASSOCIATION or reading.kind is LinkKind.CLAIM
                else (argument,)
            )
            for target in targets:
                start, end = reading.orient(receiver, target)
                yield reading.association.declared, start, end, None


def _uses(statement: Statement) -> Iterable[str]:
    """Names a statement reads when it runs (functions it calls included)."""
    match statement:
        case ClassDefinition(metaclass=metaclass):
            return ("CClass", metaclass) if metaclass.isidentifier() else ("CClass",)
        case OptionLink(decision=decision, option=option):
            return ("add_decision_option_link", decision, option)
        case ForceImpact(solution=solution, force=force, level=level):
            names = [*_calls(statement.text), solution, force]
            return names + [level] if level.isidentifier() else names
        case LinkStatement(pairs=pairs, stereotype=stereotype, how=how):
            names = [name for pair in pairs for name in pair]
            if how is not None:
                names.append("add_stereotyped_link_with_how_tagged_value")
            names.extend(_calls(statement.text))
            if stereotype and stereotype.isidentifier():
                names.append(stereotype)
            return names
        case Alias(target=target):
            return (target,)
        case NameList(names=names, includes=includes):
            return (*names, *includes)
        case BareName(name=name):
            return (name,)
        case Skipped():
            return _skipped_uses(statement)
    return ()


@lru_cache(maxsize=4096)
def _calls(text: str) -> tuple[str, ...]:
    """Link functions a statement's text calls; one `add_force_relations` call is the text of
    each of its impacts, so it is scanned once."""
    return tuple(FUNCTION_CALL.findall(text))


def bindings(statement: Statement) -> set[str]:
    """Names a statement binds at module level (an import binds its aliases)."""
    if isinstance(statement, Import):
        return {alias for _, alias in statement.names if alias != "*"}
    return _binds(statement)


def _binds(statement: Statement) -> set[str]:
    match statement:
        case ClassDefinition(variable=variable) | Alias(variable=variable) | NameList(
            variable=variable
        ) if variable:
            return {variable}
        case LinkStatement(variable=variable) if variable:
            return {variable}
        case Import():
            return set()  # bound in `_Run.imported`
        case Skipped():
            return _skipped_binds(statement)
    return set()


def _bindings_by_line(statements: Iterable[Statement]) -> dict[str, int]:
    """Where each name is first bound in the file (imports included)."""
    where: dict[str, int] = {}
    for statement in statements:
        for name in bindings(statement):
            where.setdefault(name, statement.line)
    return where


@lru_cache(maxsize=1024)
def _parse(text: str) -> ast.Module | None:
    lines = text.splitlines()
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse("\n".join(line[indent:] for line in lines))
        except (SyntaxError, ValueError):
            return None


def _skipped_binds(statement: Skipped) -> set[str]:
    tree = _parse(statement.text)
    if tree is None:
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        else:
            names |= {
                n.id
                for n in ast.walk(node)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
            }
    return names


def _skipped_uses(statement: Skipped) -> list[str]:
    """Names a skipped statement (a view, a loop, an assignment) reads at module level; the
    bodies of functions run only when called, and names it binds itself do not count."""
    tree = _parse(statement.text)
    if tree is None or isinstance(statement, Import):
        return []
    uses: list[str] = []
    stored = _skipped_binds(statement)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            roots: list[ast.AST] = [*node.decorator_list]
        else:
            roots = [node]
        for root in roots:
            for n in ast.walk(root):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in stored:
                    uses.append(n.id)
    return uses


def _syntax_error(text: str) -> _Failure | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(text)
        except SyntaxError as exc:
            return _Failure(
                exc.lineno or 1,
                f"the file is not valid python ({exc.msg}), so CodeableModels cannot import "
                "any of it",
            )
        except ValueError as exc:  # NUL bytes
            return _Failure(1, f"the file is not valid python ({exc})")
    return None


def _lost_after(run_file: RunFile, line: int, lists: dict[str, tuple[str, ...]]) -> str:
    """What exists in qualgraph's graph but not when the model runs: the statements after."""
    after = [s for s in run_file.statements if s.line > line]
    if not after:
        return ""
    definitions = sum(isinstance(s, ClassDefinition) for s in after)
    claims = links = 0
    for s in after:
        if isinstance(s, LinkStatement) and read_link(s.role_name, s.stereotype).kind is (
            LinkKind.CLAIM
        ):
            claims += sum(len(lists.get(target, (target,))) for _, target in s.pairs)
        elif isinstance(s, LinkStatement | OptionLink | ForceImpact):
            links += 1
    return (
        f"; nothing after it exists when the model runs (lines {line + 1}-{after[-1].end_line}:"
        f" {definitions} definitions, {links} link calls, {claims} claims), though qualgraph "
        "still reads them"
    )


def check_runs(files: Iterable[RunFile], lists: dict[str, tuple[str, ...]]) -> list[Diagnostic]:
    """The model files in execution order → where CodeableModels would raise, and
    redefinitions that orphan an object."""
    run = _Run()
    try:
        for run_file in files:
            run.file(run_file, lists)
    finally:  # the parse caches serve one check, never the whole process
        _parse.cache_clear()
        _calls.cache_clear()
    return run.diagnostics
