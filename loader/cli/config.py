"""`qualgraph config`: the effective settings, and where each comes from."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qualgraph.cli.common import DEFAULT_INPUT, settings
from qualgraph.rdf.namespaces import DEFAULT_BASE
from qualgraph.study.config import KEYS
from qualgraph.study.load import display_name

DEFAULTS: dict[str, object] = {
    "paths": [f"{DEFAULT_INPUT}/"],
    "model": "a model/ folder in or beside the traces",
    "no-model": False,
    "order": "natural order of the file names",
    "base": DEFAULT_BASE,
    "shapes": [],
    "fail-on": "error",
    "engine": "oxigraph",
    "select": ["ALL"],
    "ignore": [],
    "severity": {},
    "per-file-ignores": {},
    "baseline": "none",
}
"""What each key is when nothing sets it (what the commands do without a configuration)."""


@click.command("config")
def config_command() -> None:
    """Print the effective settings and where each comes from.

    Settings are read from qualgraph.toml, or from [tool.qualgraph] in pyproject.toml, found in
    the working folder or the nearest folder above it (qualgraph --config FILE names one);
    options given on a command line override them for that command.

    Example: qualgraph config
    """
    config = settings()
    click.echo(f"# configuration: {config.label if config.file else 'none found'}")
    width = max(map(len, KEYS))
    for key in KEYS:
        if key in config.values:
            value, origin = config.values[key], config.label
        else:
            value, origin = DEFAULTS[key], "default"
        click.echo(f"{key:<{width}} = {_toml(value)}  # {origin}")


def _toml(value: object) -> str:
    """A setting as TOML would write it (paths as strings, relative to the working folder
    when they are below it)."""
    if isinstance(value, Path):
        return json.dumps(display_name(value), ensure_ascii=False)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, bool):
        return str(value).lower()
    return json.dumps(str(value), ensure_ascii=False)
