"""A study's qualgraph settings, kept in its repository: `[tool.qualgraph]` or `qualgraph.toml`.

Found upward from the working folder, as ruff finds its configuration, so `qualgraph validate`
run anywhere in the study's repository uses the same settings. Paths in the file are relative to
the file's folder (kept absolute here: a path relative to a subfolder, `.`, would lose the
folder beside it where the model is found by convention). Unknown keys are refused (with the
key and the file), so a typo cannot turn a rule off without anyone noticing. The command line
overrides each setting.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qualgraph.errors import InputError

CONFIG_FILE = "qualgraph.toml"
PYPROJECT = "pyproject.toml"
LEVELS = ("error", "warning", "info")

_LISTS_OF_PATHS = ("paths", "model", "shapes")
_PATHS = ("order", "baseline")
_STRINGS = ("base",)
_CHOICES = {"fail-on": LEVELS, "engine": ("oxigraph", "pyshacl")}
_BOOLS = ("no-model",)
_RULE_LISTS = ("select", "ignore")
KEYS = (
    *_LISTS_OF_PATHS,
    *_PATHS,
    *_STRINGS,
    *_CHOICES,
    *_BOOLS,
    *_RULE_LISTS,
    "severity",
    "per-file-ignores",
)
"""Every key `[tool.qualgraph]` takes, in the order `qualgraph config` prints them."""


class ConfigError(InputError):
    """The configuration file cannot be read or holds a key or value qualgraph does not take."""


@dataclass(frozen=True)
class Config:
    """The settings one file gives (`file` None: no file found, every setting at its default).
    `values` holds only the keys the file sets, already typed (paths resolved from its folder)."""

    file: Path | None = None
    label: str = "default"
    values: Mapping[str, object] = field(default_factory=dict)

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)


def find_config(start: Path) -> Path | None:
    """The nearest `qualgraph.toml`, or `pyproject.toml` with a `[tool.qualgraph]` table, in
    `start` or a folder above it (a `qualgraph.toml` wins over a pyproject beside it)."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        tool = _read(pyproject).get("tool", {}) if pyproject.is_file() else {}
        if isinstance(tool, dict) and "qualgraph" in tool:
            return pyproject
    return None


def load_config(start: Path, explicit: Path | None = None) -> Config:
    """The configuration `explicit` names, or the one found upward from `start`, checked."""
    path = explicit if explicit is not None else find_config(start)
    if path is None:
        return Config()
    data = _read(path)
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        table = tool.get("qualgraph", {}) if isinstance(tool, dict) else {}
        label = f"{path} [tool.qualgraph]"
    else:
        table, label = data, str(path)
    return Config(path, label, _check(table, path.resolve().parent, label))


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def _check(table: Mapping[str, object], folder: Path, label: str) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, value in table.items():
        if key not in KEYS:
            raise ConfigError(f"{label}: unknown key {key!r} (known: {', '.join(KEYS)})")
        values[key] = _value(key, value, folder, label)
    return values


def _value(key: str, value: object, folder: Path, label: str) -> object:
    def wrong(expected: str) -> ConfigError:
        return ConfigError(f"{label}: {key} must be {expected}, got {value!r}")

    if key in _LISTS_OF_PATHS:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise wrong("a path or a list of paths")
        return tuple(folder / item for item in items)
    if key in _PATHS:
        if not isinstance(value, str):
            raise wrong("a path")
        return folder / value
    if key in _STRINGS:
        if not isinstance(value, str):
            raise wrong("a string")
        return value
    if key in _CHOICES:
        if value not in _CHOICES[key]:
            raise wrong("one of " + ", ".join(_CHOICES[key]))
        return value
    if key in _BOOLS:
        if not isinstance(value, bool):
            raise wrong("true or false")
        return value
    if key in _RULE_LISTS:
        if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
            raise wrong("a list of rule names")
        return tuple(value)
    if key == "severity":
        if not isinstance(value, dict) or not all(level in LEVELS for level in value.values()):
            raise wrong('a table of rule = "error" | "warning" | "info"')
        return dict(value)
    # per-file-ignores: glob = [rules]
    if not isinstance(value, dict) or not all(
        isinstance(rules, list) and all(isinstance(r, str) for r in rules)
        for rules in value.values()
    ):
        raise wrong('a table of "glob" = [rule names]')
    return {pattern: tuple(rules) for pattern, rules in value.items()}
