"""The `qualgraph` command line: a thin click layer over the library, one module per command family.

Exit codes: 0 fine, 1 the data has violations, 2 the command could not run (bad arguments,
unreadable input, and any unexpected error: CI must not read a crash as "violations").
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any

import click

from qualgraph.cli.common import CommandError
from qualgraph.cli.config import config_command
from qualgraph.cli.graph import export, load
from qualgraph.cli.publish import design, diagram, tables
from qualgraph.cli.query import query, stats
from qualgraph.cli.reason import reason
from qualgraph.cli.server import push
from qualgraph.cli.trace_report import trace_report
from qualgraph.cli.validate import validate_command
from qualgraph.diagnostics import printable
from qualgraph.runtime.policy import ExecutionPolicy

CLI_POLICY = ExecutionPolicy.fast()
"""The command line owns its process: every speed device is on (see `runtime.policy`)."""

_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())
"""click 8.2+ raises it for a bare group command (8.1 prints the help and exits 0)."""


class QualgraphGroup(click.Group):
    """click's group with qualgraph's error contract: a usage error is one line (click prints
    usage, a hint and the error), and an unexpected exception is exit 2 with one line unless
    `--debug` asks for the traceback."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            # click's overloads cannot match `*args` to its positional parameters
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except _NO_ARGS_IS_HELP as exc:  # bare `qualgraph`: the help, as click prints it
            click.echo(exc.ctx.get_help() if exc.ctx is not None else str(exc), err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            click.echo(f"Error: {printable(exc.format_message())}{where}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"Error: {printable(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with CLI_POLICY.active():
                return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            raise CommandError(
                f"internal error: {type(exc).__name__}: {exc}; rerun with --debug for the traceback"
            ) from exc


@click.group(
    "qualgraph", cls=QualgraphGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="qualgraph")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read settings from FILE (default: qualgraph.toml or [tool.qualgraph] in pyproject.toml,"
    " found upward from the working folder).",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
def main(config_file: Path | None, debug: bool) -> None:
    """Turn the trace files of a grounded-theory study into a validated RDF knowledge graph.

    Every command takes trace files or folders (default: the configuration's paths, or seeds/).
    """


for command in (
    load,
    export,
    query,
    stats,
    reason,
    trace_report,
    validate_command,
    tables,
    design,
    diagram,
    config_command,
    push,
):
    main.add_command(command)


def run() -> None:
    """The console script (and `python -m qualgraph`): `main`, then exit without taking apart what
    the command built: freeing a large study's objects one by one takes seconds after the
    report is out, and the operating system takes the memory back at once (mypy exits the
    same way; figures in docs/design.md). Output is flushed and child processes are stopped
    first."""
    if not CLI_POLICY.fast_exit:
        main()
        return
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
