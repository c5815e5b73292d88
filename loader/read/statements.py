"""Typed statements that `interpret` reads out of axial python and model files, without running it.

Each statement keeps its verbatim `text` and its absolute file lines, so the graph can hold
what the researcher wrote even when only part of it could be understood. `origin` is
`code` for ordinary statements and `code-string` for statements found inside a
triple-quoted code list (flagged, because python itself would see them as text).
"""

from __future__ import annotations

from dataclasses import dataclass

from qualgraph.diagnostics import Diagnostic


def value_text(value: object) -> str:
    """A literal value as text, never raising: `str()` of an int with more than 4,300 digits
    raises ValueError (Python's limit against quadratic conversion), so such an int is written
    in hexadecimal, which has no limit and is how a huge literal is usually written anyway."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and value.bit_length() > 14_000:  # ~4,200 decimal digits
        return hex(value)
    try:
        return str(value)
    except ValueError:  # a container holding a huge int
        return repr(type(value).__name__)


@dataclass(frozen=True)
class Statement:
    """Base of every interpreted statement."""

    text: str
    line: int
    end_line: int
    origin: str  # "code" | "code-string"


@dataclass(frozen=True)
class ClassDefinition(Statement):
    """`variable = CClass(metaclass, "Label", values={...})` (also the `CClas` typo)."""

    variable: str
    metaclass: str
    label: str | None
    values: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class OptionLink(Statement):
    """`add_decision_option_link(decision, option, "option name")` in positional or keyword form."""

    decision: str
    option: str
    name: str | None


@dataclass(frozen=True)
class ForceImpact(Statement):
    """One solution→force pair of an `add_force_relations({...})` call; `level` as written."""

    solution: str
    force: str
    level: str


@dataclass(frozen=True)
class LinkStatement(Statement):
    """`add_links({a: [b, c]}, role_name=..., stereotype_instances=...)` or
    `a.add_links(b, ...)` (optionally `[0]`-indexed and assigned to `variable`).

    `pairs` are (from, to) identifier pairs; `stereotype` is the stereotype name as written;
    `how` is the tagged value of `add_stereotyped_link_with_how_tagged_value(a, b, s, "how")`."""

    pairs: tuple[tuple[str, str], ...]
    role_name: str | None
    stereotype: str | None
    variable: str | None = None
    how: str | None = None


@dataclass(frozen=True)
class Alias(Statement):
    """`x = y`: a second name for a code."""

    variable: str
    target: str


@dataclass(frozen=True)
class NameList(Statement):
    """`variable = [a, b] + other_list`: a list of identifiers (model files' `sN_codes`).

    `names` are the literal names; `includes` are other list variables it concatenates."""

    variable: str
    names: tuple[str, ...]
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BareName(Statement):
    """A statement that is only a name (`input_port` or `input_port,`): evidence for a code."""

    name: str


@dataclass(frozen=True)
class CodeListEntry(Statement):
    """One identifier listed in a triple-quoted code string (`add codes to s25:`)."""

    name: str


@dataclass(frozen=True)
class Comment(Statement):
    """A full-line `#` comment inside a block."""


@dataclass(frozen=True)
class Skipped(Statement):
    """Valid python that is not coding data (imports, loops, function definitions, views);
    recognised and kept verbatim, never executed. `reason` names the construct."""

    reason: str


@dataclass(frozen=True)
class Import(Skipped):
    """`from module import a, b as c` or `import module`: no coding data, but it says where the
    names a model file uses come from. `names` are (name, bound as) pairs; `*` imports all."""

    module: str = ""
    names: tuple[tuple[str, str], ...] = ()
    level: int = 0


@dataclass(frozen=True)
class Verbatim(Statement):
    """Text that could not be interpreted; kept as written. `reason` says why."""

    reason: str


@dataclass(frozen=True)
class Interpretation:
    """Every statement of one block in line order, and the findings about it (repairs, losses)."""

    statements: tuple[Statement, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    parsed_as_written: bool = False
    """The whole text parsed as python as it stands (a model file CodeableModels can import)."""
