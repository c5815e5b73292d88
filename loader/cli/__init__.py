"""The `qualgraph` command line: a thin click layer over the library, one module per command family.

Exit codes: 0 fine, 1 the data has violations, 2 the command could not run.
"""

from __future__ import annotations

import click

from .evidence import trace_report
from .graph import export, load
from .query import query, stats
from .reason import reason
from .validate import validate_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qualgraph")
def main() -> None:
    """Turn the trace files of a grounded-theory study into a validated RDF knowledge graph.

    Every command takes trace files or folders (default: seeds/).
    """


for command in (load, export, query, stats, reason, trace_report, validate_command):
    main.add_command(command)
