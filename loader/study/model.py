"""Read a study's consolidated model files: the published codebook and what each source claims.

Model files are python that imports libraries we do not have, so they are read with the same
safe interpreter as the traces and never run. What they say is gathered into a typed `Model`:
definitions (codebook and sources), per-source code lists expanded through list variables,
and the decision-model statements (option links, impacts, relations).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qualgraph.diagnostics import Diagnostic, warning
from qualgraph.read.files import read_text, unreadable
from qualgraph.read.interpret import interpret_module
from qualgraph.read.metamodel import LIBRARY_PREFIXES
from qualgraph.read.model_run import RunFile, bindings, check_runs
from qualgraph.read.statements import (
    ClassDefinition,
    Import,
    Interpretation,
    LinkStatement,
    NameList,
    Statement,
)

MODEL_SUFFIX = ".py"
MODEL_FOLDER = "model"
CONTAINED_CODE = "contained_code"
IMPORT_SEARCH_DEPTH = 3
"""Study modules are looked for in the model folder and this many of its parents."""


@dataclass(frozen=True)
class ModelFile:
    """One consolidated model file, interpreted."""

    path: Path
    name: str
    line_count: int
    interpretation: Interpretation
    text: str = field(default="", repr=False, compare=False)
    """The file as read (what CodeableModels would execute)."""


@dataclass(frozen=True)
class ModelClaim:
    """The model says `source_id` contains `code` (through `add_links(..., contained_code)`)."""

    source_id: str
    code: str
    file: str
    line: int
    statement: Statement


@dataclass(frozen=True)
class Model:
    files: tuple[ModelFile, ...]
    definitions: dict[str, tuple[str, ClassDefinition]]
    """Code identifier → (file, its last CClass definition in the model)."""
    sources: dict[str, tuple[str, ClassDefinition]]
    """Source variable → (file, its CClass(source, ...) definition)."""
    lists: dict[str, tuple[str, NameList]]
    """List variable (`s25_codes`) → (file, its NameList)."""
    claims: tuple[ModelClaim, ...]
    diagnostics: tuple[Diagnostic, ...]
    modules: tuple[ModelFile, ...] = ()
    """Study modules the model files import from (map_models/...), reduced to the definitions
    of the names imported: they define codes the model uses, but are not the study's model."""
    imports: dict[str, ModelFile | None] = field(default_factory=dict)
    """Each study module a model file imports → the file it was found in (None: not found)."""


def find_model_files(paths: Iterable[Path]) -> list[Path]:
    """`.py` files of the given files/folders, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob(f"*{MODEL_SUFFIX}")))
        elif path.is_file():
            found.append(path)
    return found


def conventional_model_folder(trace_paths: Iterable[Path]) -> Path | None:
    """A `model/` folder inside or beside a traces folder, as studies lay them out."""
    for path in trace_paths:
        if not path.is_dir():
            continue
        for candidate in (path / MODEL_FOLDER, path.parent / MODEL_FOLDER):
            if candidate.is_dir() and any(candidate.glob(f"*{MODEL_SUFFIX}")):
                return candidate
    return None


def _read(path: Path, name: str, diagnostics: list[Diagnostic]) -> ModelFile | None:
    """Read like a trace: a diagnostic at the file (and None) when it cannot be read, and the
    rest of the study loads."""
    try:
        text, decoding = read_text(path, name)
    except OSError as exc:
        diagnostics.append(unreadable(name, exc))
        return None
    diagnostics.extend(decoding)
    return ModelFile(path, name, len(text.splitlines()), interpret_module(text, name), text)


def read_model(
    files: Sequence[tuple[Path, str]], display: Callable[[Path], str] = str
) -> Model:
    """Interpret model files given as (path, display name) and gather what they define and claim.
    `display` names the study modules found through their imports."""
    diagnostics: list[Diagnostic] = []
    model_files = []
    for path, name in files:
        model_file = _read(path, name, diagnostics)
        if model_file is None:
            continue
        diagnostics.extend(model_file.interpretation.diagnostics)
        model_files.append(model_file)
    imports = _follow_imports(model_files, display, diagnostics)
    modules = _imported_definitions(model_files, imports)
    definitions: dict[str, tuple[str, ClassDefinition]] = {}
    sources: dict[str, tuple[str, ClassDefinition]] = {}
    lists: dict[str, tuple[str, NameList]] = {}
    links: list[tuple[str, LinkStatement]] = []
    for model_file in model_files:
        for statement in model_file.interpretation.statements:
            if isinstance(statement, ClassDefinition):
                target = sources if statement.metaclass == "source" else definitions
                target[statement.variable] = (model_file.name, statement)  # the last one wins
            elif isinstance(statement, NameList):
                lists[statement.variable] = (model_file.name, statement)
            elif isinstance(statement, LinkStatement) and statement.role_name == CONTAINED_CODE:
                links.append((model_file.name, statement))
    for module in modules:
        for statement in module.interpretation.statements:
            if isinstance(statement, ClassDefinition):
                definitions.setdefault(statement.variable, (module.name, statement))
    claims = list(_claims(links, lists))
    _check_unlinked_lists(lists, links, sources, diagnostics)
    expanded = {name: tuple(code for code, _ in expand(name, lists)) for name in lists}
    diagnostics.extend(check_runs(_run_files(model_files, imports), expanded))
    return Model(
        tuple(model_files),
        definitions,
        sources,
        lists,
        tuple(claims),
        tuple(diagnostics),
        tuple(modules),
        imports,
    )


def is_library(module: str) -> bool:
    """CodeableModels, its metamodels and Python's standard library: not the study's modules."""
    return (
        module.startswith(LIBRARY_PREFIXES)
        or module == "codeable_models"
        or module.split(".", 1)[0] in sys.stdlib_module_names
    )


def study_imports(model_file: ModelFile) -> Iterable[Import]:
    for statement in model_file.interpretation.statements:
        if isinstance(statement, Import) and not is_library(statement.module):
            yield statement


def _module_candidates(module: str, level: int, near: Path) -> Iterable[Path]:
    """Where `from module import …` in a file of folder `near` may be: the dotted path under
    that folder and its parents (relative imports: from the folder `level` steps up)."""
    parts = [part for part in module.split(".") if part]
    if not parts:
        return
    relative = Path(*parts).with_suffix(MODEL_SUFFIX)
    bases = [near.parents[level - 2] if level > 1 else near] if level else [near, *near.parents]
    for base in bases[: IMPORT_SEARCH_DEPTH + 1]:
        yield base / relative


def _follow_imports(
    model_files: list[ModelFile], display: Callable[[Path], str], diagnostics: list[Diagnostic]
) -> dict[str, ModelFile | None]:
    """Find each imported study module statically, by path relative to the importing file's
    folder and its parents; a module named like a model file of the study (its last dotted
    part) is that file, wherever the original repository kept it. Nothing is imported."""
    by_stem = {model_file.path.stem: model_file for model_file in model_files}
    by_path = {model_file.path.resolve(): model_file for model_file in model_files}
    found: dict[str, ModelFile | None] = {}
    pending = list(model_files)
    while pending:
        model_file = pending.pop(0)
        for statement in study_imports(model_file):
            if statement.module in found:
                continue
            near = model_file.path.parent
            candidates = list(_module_candidates(statement.module, statement.level, near))
            path = next((c for c in candidates if c.is_file()), None)
            module: ModelFile | None
            if path is not None and path.resolve() in by_path:
                module = by_path[path.resolve()]
            elif path is not None:
                module = _read(path, display(path), diagnostics)
                if module is not None:
                    by_path[path.resolve()] = module
                    pending.append(module)
            else:
                module = by_stem.get(statement.module.rsplit(".", 1)[-1])
                if module is None and model_file in model_files:  # not in modules it follows
                    looked = ", ".join(display(c) for c in candidates[:3])
                    diagnostics.append(
                        warning(
                            model_file.name,
                            statement.line,
                            "unresolved-import",
                            f"cannot find the study module {statement.module} (looked for "
                            f"{looked}, ...); the names imported from it "
                            f"({', '.join(n for _, n in statement.names)}) stay undefined",
                        )
                    )
            found[statement.module] = module
    return found


def _imported_definitions(
    model_files: list[ModelFile], imports: dict[str, ModelFile | None]
) -> list[ModelFile]:
    """The study modules that are not model files, reduced to the definitions of the names the
    model imports from them (through chains of imports between those modules)."""
    own = {id(model_file) for model_file in model_files}
    wanted: dict[int, set[str]] = {}
    modules: dict[int, ModelFile] = {}
    queue = [(model_file, statement) for model_file in model_files
             for statement in study_imports(model_file)]
    while queue:
        _, statement = queue.pop(0)
        module = imports.get(statement.module)
        if module is None or id(module) in own:
            continue
        names = {name for name, _ in statement.names}
        seen = wanted.setdefault(id(module), set())
        if names <= seen:
            continue
        seen |= names
        modules[id(module)] = module
        defined = {
            s.variable for s in module.interpretation.statements if isinstance(s, ClassDefinition)
        }
        if "*" in names or not names <= defined:  # a name the module imports in turn
            queue.extend((module, s) for s in study_imports(module))
    reduced = []
    for key, module in modules.items():
        names = wanted[key]
        kept = tuple(
            s for s in module.interpretation.statements
            if isinstance(s, ClassDefinition) and ("*" in names or s.variable in names)
        )
        if kept:
            reduced.append(
                ModelFile(module.path, module.name, module.line_count, Interpretation(kept))
            )
    return reduced


def expand(
    name: str, lists: dict[str, tuple[str, NameList]], seen: frozenset[str] = frozenset()
) -> list[tuple[str, tuple[str, NameList] | None]]:
    """The identifiers a list variable stands for, following `a = b + [...]` concatenations,
    each with the (file, list statement) that names it (None for a name that is no list)."""
    if name not in lists or name in seen:
        return [(name, None)]
    where = lists[name]
    names: list[tuple[str, tuple[str, NameList] | None]] = [(n, where) for n in where[1].names]
    for included in where[1].includes:
        names.extend(expand(included, lists, seen | {name}))
    return names


def _claims(
    links: list[tuple[str, LinkStatement]], lists: dict[str, tuple[str, NameList]]
) -> Iterable[ModelClaim]:
    """One claim per (source, code), placed at the list line that names the code. A code listed
    twice is claimed once (CodeableModels refuses the second link: `model_run`)."""
    for link_file, link in links:
        for source_id, target in link.pairs:
            seen: set[str] = set()
            for code, where in expand(target, lists):
                file, statement = where or (link_file, link)
                if code not in seen:
                    seen.add(code)
                    yield ModelClaim(source_id, code, file, statement.line, statement)


def _run_files(
    model_files: list[ModelFile], imports: dict[str, ModelFile | None]
) -> list[RunFile]:
    """The model files in the order CodeableModels executes them (a file's study imports
    first), each with the names its study imports bind."""
    bound = {
        module: None if found is None else frozenset(_module_names(found))
        for module, found in imports.items()
    }
    ordered: list[ModelFile] = []
    visiting: set[int] = set()
    own = {id(model_file) for model_file in model_files}

    def visit(model_file: ModelFile) -> None:
        if model_file in ordered or id(model_file) in visiting:
            return
        visiting.add(id(model_file))
        for statement in study_imports(model_file):
            found = imports.get(statement.module)
            if found is not None and id(found) in own:
                visit(found)
        ordered.append(model_file)

    for model_file in model_files:
        visit(model_file)
    return [
        RunFile(
            model_file.name,
            model_file.text,
            model_file.interpretation.statements,
            {module: bound.get(module) for module in
             (s.module for s in study_imports(model_file))},
            model_file.interpretation.parsed_as_written,
        )
        for model_file in ordered
    ]


def _module_names(module: ModelFile) -> set[str]:
    """Every name a study module binds at its top level (what `import *` brings)."""
    names: set[str] = set()
    for statement in module.interpretation.statements:
        names |= bindings(statement)
    return names


def _check_unlinked_lists(
    lists: dict[str, tuple[str, NameList]],
    links: list[tuple[str, LinkStatement]],
    sources: dict[str, tuple[str, ClassDefinition]],
    diagnostics: list[Diagnostic],
) -> None:
    """A `sN_codes` list that is never passed to add_links claims nothing: say so."""
    linked = {target for _, statement in links for _, target in statement.pairs}
    for variable, (file, statement) in lists.items():
        owner = variable.removesuffix("_codes")
        if owner in sources and variable not in linked:
            diagnostics.append(
                warning(
                    file,
                    statement.line,
                    "unlinked-code-list",
                    f"{variable} is never linked with add_links({{{owner}: {variable}}}, "
                    f'role_name="{CONTAINED_CODE}"), so {owner} claims none of its codes',
                )
            )
