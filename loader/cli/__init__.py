"""The `qualgraph` command line: a thin click layer over the library, one module per command family.

Exit codes: 0 fine, 1 the data has violations, 2 the command could not run.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

import click

from .evidence import trace_report
from .graph import export, load
from .query import query, stats
from .reason import reason
from .server import push
from .validate import validate_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qualgraph")
def main() -> None:
    """Turn the trace files of a grounded-theory study into a validated RDF knowledge graph.

    Every command takes trace files or folders (default: seeds/).
    """


for command in (load, export, query, stats, reason, trace_report, validate_command, push):
    main.add_command(command)


def run() -> None:
    """The console script (and `python -m loader`): `main`, then exit without taking apart what
    the command built. Freeing a large study's millions of objects one by one took 2.8 s at
    10,000 traces after the report was out; the operating system takes the memory back at once
    (mypy exits the same way). Output is flushed and child processes are stopped first."""
    try:
        main()  # click's standalone mode always ends by raising SystemExit
    except SystemExit as done:  # exits in here: the traceback keeps the command's objects alive
        for child in multiprocessing.active_children():
            child.kill()
        code = done.code
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:  # `qualgraph ... | head`: the reader has gone
            pass
        os._exit(code or 0)
