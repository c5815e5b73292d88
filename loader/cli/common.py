"""What every command shares: options, loading with progress, diagnostics, exit codes, output.

Exit codes: 0 fine, 1 the data has violations (error diagnostics), 2 the command could not run.
Data goes to standard output, diagnostics and progress to standard error.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ..diagnostics import Diagnostic, Severity
from ..errors import QualgraphError
from ..identity import StudyIdentity, study_identity
from ..memory import resume_gc
from ..study import LoadedStudy, load_study, read_order

DEFAULT_INPUT = Path("seeds")


class CommandError(click.ClickException):
    """The command could not run: exit code 2, so that 1 keeps meaning "the data has violations"."""

    exit_code = 2


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
base_option = click.option(
    "--base",
    help="Base IRI of the study's data nodes (default: the study folder's name under "
    "https://w3id.org/qualgraph/study/, so that two studies never share IRIs).",
)
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Also show info diagnostics.")
model_option = click.option(
    "--model",
    "model_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Consolidated model file or folder (default: a model/ folder in or beside the traces).",
)
no_model_option = click.option(
    "--no-model",
    is_flag=True,
    help="Load the traces alone, even when a model/ folder is beside them.",
)
order_option = click.option(
    "--order",
    "order_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File listing trace file names in coding order, one per line (default: natural order).",
)
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of standard output.",
)


@contextmanager
def _progress() -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on a terminal; nothing in CI or when output is redirected."""
    if not _interactive():
        yield None
        return
    with Progress(
        TextColumn("loading"), BarColumn(), MofNCompleteColumn(), console=_stderr(), transient=True
    ) as bar:
        task = bar.add_task("load", total=None)

        def update(done: int, total: int, _file: str) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@dataclass(frozen=True)
class StudyInputs:
    """What a study command was told to read: one value instead of six parameters."""

    paths: tuple[Path, ...]
    model_paths: tuple[Path, ...]
    no_model: bool
    order_file: Path | None
    given_base: str | None
    verbose: bool

    def with_paths(self, paths: tuple[Path, ...]) -> StudyInputs:
        return replace(self, paths=paths)

    @property
    def identity(self) -> StudyIdentity:
        """The study's name and base: `--base`, or derived from the study folder's name."""
        return study_identity(list(self.paths) or [DEFAULT_INPUT], self.given_base)

    @property
    def base(self) -> str:
        return self.identity.base

    def load(self) -> LoadedStudy:
        """Load the study, mapping library errors to exit code 2."""
        models: list[Path] | None = [] if self.no_model else (list(self.model_paths) or None)
        try:
            order = read_order(self.order_file) if self.order_file else ()
            with _progress() as progress:
                loaded = load_study(
                    list(self.paths) or [DEFAULT_INPUT], models, progress=progress, order=order
                )
        except QualgraphError as exc:
            raise CommandError(str(exc)) from exc
        # The command now works on the study to its end, making millions of objects without
        # cycles (triples, rows): the cyclic collector would walk them all for nothing (seconds
        # at 10,000 traces). Process-wide, so here and not in the library; back on when the
        # command ends (it may run inside another program, as under the tests).
        context = click.get_current_context(silent=True)
        if context is not None and gc.isenabled():
            gc.disable()
            context.call_on_close(resume_gc)
        return loaded


def study_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the inputs every study command takes (paths, --model, --no-model, --order, --base, -v)
    and hand them to the command as one `StudyInputs`, its first argument."""

    @functools.wraps(command)
    def run(
        *args: object,
        paths: tuple[Path, ...],
        model_paths: tuple[Path, ...],
        no_model: bool,
        order_file: Path | None,
        base: str | None,
        verbose: bool,
        **kwargs: object,
    ) -> None:
        inputs = StudyInputs(paths, model_paths, no_model, order_file, base, verbose)
        return command(inputs, *args, **kwargs)

    for option in (
        verbose_option,
        base_option,
        order_option,
        no_model_option,
        model_option,
        paths_argument,
    ):
        run = option(run)
    return run


def report_diagnostics(diagnostics: tuple[Diagnostic, ...], verbose: bool) -> None:
    """Print diagnostics to standard error, one `file:line: severity[code]: message` each."""
    shown = [d for d in diagnostics if verbose or d.severity >= Severity.WARNING]
    for diagnostic in shown:
        click.echo(diagnostic.render(), err=True)
    counts = {s: sum(d.severity == s for d in diagnostics) for s in Severity}
    click.echo(
        f"{counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
        f"{counts[Severity.INFO]} notes" + ("" if verbose else " (-v shows notes)"),
        err=True,
    )


def exit_status(diagnostics: tuple[Diagnostic, ...]) -> int:
    return 1 if any(d.severity >= Severity.ERROR for d in diagnostics) else 0


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
