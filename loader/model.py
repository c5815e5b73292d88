"""Read a study's consolidated model files: the published codebook and what each source claims.

Model files are python that imports libraries we do not have, so they are read with the same
safe interpreter as the traces and never run. What they say is gathered into a typed `Model`:
definitions (codebook and sources), per-source code lists expanded through list variables,
and the decision-model statements (option links, impacts, relations).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, info, warning
from .files import read_text, unreadable
from .interpret import interpret_module
from .statements import ClassDefinition, Interpretation, LinkStatement, NameList, Statement

MODEL_SUFFIX = ".py"
MODEL_FOLDER = "model"
CONTAINED_CODE = "contained_code"


@dataclass(frozen=True)
class ModelFile:
    """One consolidated model file, interpreted."""

    path: Path
    name: str
    line_count: int
    interpretation: Interpretation


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


def read_model(files: Sequence[tuple[Path, str]]) -> Model:
    """Interpret model files given as (path, display name) and gather what they define and claim."""
    diagnostics: list[Diagnostic] = []
    model_files = []
    for path, name in files:
        try:  # read like a trace: a diagnostic at the file, and the rest loads
            text, decoding = read_text(path, name)
        except OSError as exc:
            diagnostics.append(unreadable(name, exc))
            continue
        diagnostics.extend(decoding)
        interpretation = interpret_module(text, name)
        diagnostics.extend(interpretation.diagnostics)
        model_files.append(ModelFile(path, name, len(text.splitlines()), interpretation))
    definitions: dict[str, tuple[str, ClassDefinition]] = {}
    sources: dict[str, tuple[str, ClassDefinition]] = {}
    lists: dict[str, tuple[str, NameList]] = {}
    links: list[tuple[str, LinkStatement]] = []
    for model_file in model_files:
        for statement in model_file.interpretation.statements:
            if isinstance(statement, ClassDefinition):
                target = sources if statement.metaclass == "source" else definitions
                if statement.metaclass == "source" and statement.variable in sources:
                    diagnostics.append(
                        warning(
                            model_file.name,
                            statement.line,
                            "model-source-redefined",
                            f"source {statement.variable} is defined again; the last one wins",
                        )
                    )
                target[statement.variable] = (model_file.name, statement)
            elif isinstance(statement, NameList):
                lists[statement.variable] = (model_file.name, statement)
            elif isinstance(statement, LinkStatement) and statement.role_name == CONTAINED_CODE:
                links.append((model_file.name, statement))
    claims = list(_claims(links, lists, diagnostics))
    _check_unlinked_lists(lists, links, sources, diagnostics)
    return Model(tuple(model_files), definitions, sources, lists, tuple(claims), tuple(diagnostics))


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
    links: list[tuple[str, LinkStatement]],
    lists: dict[str, tuple[str, NameList]],
    diagnostics: list[Diagnostic],
) -> Iterable[ModelClaim]:
    """One claim per (source, code), placed at the list line that names the code."""
    for link_file, link in links:
        for source_id, target in link.pairs:
            seen: set[str] = set()
            for code, where in expand(target, lists):
                file, statement = where or (link_file, link)
                if code in seen:
                    diagnostics.append(
                        info(
                            file,
                            statement.line,
                            "duplicate-claim",
                            f"{source_id} lists {code} more than once",
                        )
                    )
                    continue
                seen.add(code)
                yield ModelClaim(source_id, code, file, statement.line, statement)


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
