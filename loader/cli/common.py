"""What every command shares: options, loading with progress, diagnostics, exit codes, output.

Exit codes: 0 fine, 1 the data has violations (error diagnostics), 2 the command could not run.
Data goes to standard output, diagnostics and progress to standard error.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import click
import pyoxigraph as ox
from click.core import ParameterSource
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from qualgraph.diagnostics import Diagnostic, Severity, printable
from qualgraph.errors import NoTracesError, QualgraphError
from qualgraph.rdf.identity import StudyIdentity, study_identity
from qualgraph.rdf.rdf_files import RDF_SUFFIXES
from qualgraph.runtime.memory import resume_gc
from qualgraph.runtime.policy import current_policy
from qualgraph.study.config import Config, load_config
from qualgraph.study.load import TRACE_SUFFIXES, LoadedStudy, display_name, load_study, read_order

DEFAULT_INPUT = Path("seeds")
NO_SEEDS = (
    "no paths given and no seeds/ here; pass the study's traces folder or set paths in "
    "[tool.qualgraph]"
)


class CommandError(click.ClickException):
    """The command could not run: exit code 2, so that 1 keeps meaning "the data has violations".
    The message is shown on one line, with control characters escaped (see `printable`)."""

    exit_code = 2

    def format_message(self) -> str:
        return printable(self.message)


def settings() -> Config:
    """The study's configuration (`[tool.qualgraph]` or qualgraph.toml, see `config`), read
    once per command; `qualgraph --config FILE` names it instead of finding it."""
    root = click.get_current_context().find_root()
    if "qualgraph.config" not in root.meta:
        try:
            root.meta["qualgraph.config"] = load_config(Path.cwd(), root.params.get("config_file"))
        except QualgraphError as exc:
            raise CommandError(str(exc)) from exc
    config: Config = root.meta["qualgraph.config"]
    return config


def configured(name: str, value: object, key: str) -> object:
    """The option `name`'s value: from the command line when given there, else the config's
    `key` when it sets it, else the option's default."""
    context = click.get_current_context()
    source = context.get_parameter_source(name)
    if source in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
        return value
    return settings().get(key, value)


def check_base(base: str, origin: str = "--base") -> str:
    """An absolute IRI, or exit 2 with one line (an invalid base made a traceback, exit 1)."""
    scheme = base.split(":", 1)[0]
    valid = ":" in base and scheme[:1].isalpha() and all(c.isalnum() or c in "+.-" for c in scheme)
    if valid:
        try:
            ox.NamedNode(base)
        except ValueError:
            valid = False
    if not valid:
        raise CommandError(
            f"{origin} {base!r} is not an absolute IRI (for example https://example.org/study/)"
        )
    return base


def read_files(loaded: LoadedStudy) -> list[Path]:
    """Every file a study was read from: its traces and its model files."""
    model = loaded.study.model
    return [*loaded.files, *(Path(f.name) for f in (model.files if model is not None else ()))]


def guard_output(output: Path | None, inputs: Iterable[Path]) -> None:
    """Refuse to write a report or an export over a file the command read (exit 2)."""
    if output is None or not output.exists():
        return
    for path in inputs:
        try:
            same = path.exists() and output.samefile(path)
        except OSError:
            same = False
        if same:
            raise CommandError(f"{output}: is an input of this command ({path}); not overwritten")


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
    """What a study command was told to read: one value instead of six parameters. `paths` are
    the command line's; `study_paths` adds the configuration's and the seeds/ default."""

    paths: tuple[Path, ...]
    model_paths: tuple[Path, ...]
    no_model: bool
    order_file: Path | None
    given_base: str | None
    verbose: bool
    config_paths: tuple[Path, ...] = ()

    def with_paths(self, paths: tuple[Path, ...]) -> StudyInputs:
        return replace(self, paths=paths)

    @property
    def study_paths(self) -> tuple[Path, ...]:
        """What to read: the command line's paths, else the configuration's, else seeds/."""
        if self.paths:
            return self.paths
        if self.config_paths:
            return self.config_paths
        if not DEFAULT_INPUT.exists():
            raise CommandError(NO_SEEDS)
        return (DEFAULT_INPUT,)

    @property
    def identity(self) -> StudyIdentity:
        """The study's name and base: `--base` (or the configuration's), or derived from the
        study folder's name."""
        return study_identity(list(self.study_paths), self.given_base)

    @property
    def base(self) -> str:
        return self.identity.base

    def load(self) -> LoadedStudy:
        """Load the study, mapping library errors to exit code 2."""
        paths = self.study_paths
        check_trace_inputs(paths)
        models: list[Path] | None = [] if self.no_model else (list(self.model_paths) or None)
        try:
            order = read_order(self.order_file) if self.order_file else ()
            with _progress() as progress:
                loaded = load_study(list(paths), models, progress=progress, order=order)
        except NoTracesError as exc:
            raise CommandError(
                _no_traces(paths, exc.files, exc.templates)  # type: ignore[arg-type]
            ) from exc
        except QualgraphError as exc:
            raise CommandError(str(exc)) from exc
        if not loaded.study.traces:
            raise CommandError(_no_traces(paths, loaded.files, set()))
        # The command now works on the study to its end, making millions of objects without
        # cycles (triples, rows): the cyclic collector would walk them all for nothing (seconds
        # at 10,000 traces). Process-wide, so here and not in the library; back on when the
        # command ends (it may run inside another program, as under the tests).
        context = click.get_current_context(silent=True)
        if context is not None and gc.isenabled() and current_policy().pause_gc:
            gc.disable()
            context.call_on_close(resume_gc)
        return loaded


def check_trace_inputs(paths: Iterable[Path]) -> None:
    """Exit 2 on input a trace command cannot read: a file whose name is not a trace's (an RDF
    file given where traces are read, a `.turtle` typo), or a folder holding no .md/.txt file
    (the message says what it does hold)."""
    for path in paths:
        if path.is_file() and path.suffix.lower() not in TRACE_SUFFIXES:
            kind = (
                "an RDF file: give it alone to query, stats or validate"
                if path.suffix.lower() in RDF_SUFFIXES
                else "not a trace file (.md or .txt)"
            )
            raise CommandError(f"{path}: {kind}")
        if path.is_dir() and not any(
            p.suffix.lower() in TRACE_SUFFIXES for p in path.rglob("*") if p.is_file()
        ):
            raise CommandError(f"{path}: no trace files (.md or .txt); {_found(path)}")


def _found(folder: Path) -> str:
    """What a folder without traces holds: `found 2 .ttl files, 1 .py file` or `it is empty`."""
    suffixes = Counter(p.suffix.lower() or p.name for p in folder.rglob("*") if p.is_file())
    if not suffixes:
        return "it is empty"
    listed = ", ".join(
        f"{count} {suffix} file{'s' if count > 1 else ''}"
        for suffix, count in sorted(suffixes.items(), key=lambda i: (-i[1], i[0]))[:5]
    )
    return f"found {listed}"


def _no_traces(paths: Iterable[Path], files: Iterable[Path], templates: set[str]) -> str:
    """The message when every .md/.txt file was skipped (READMEs, notes, the empty template)."""
    names = [display_name(f) for f in files]
    skipped = [name for name in names if name not in templates]
    shown = ", ".join(skipped[:3]) + (f" and {len(skipped) - 3} more" if len(skipped) > 3 else "")
    where = ", ".join(map(str, paths))
    found = "; ".join(_found(p) for p in paths if p.is_dir())
    why = (
        f"{shown} {'has' if len(skipped) == 1 else 'have'} no `# s`/`# p` header and no `# coding`"
        if skipped
        else ""
    )
    template = ", ".join(name for name in names if name in templates)
    if template:
        why += f"{'; ' if why else ''}{template} is the empty trace template"
    return f"{where}: no trace files: {why}" + (f" ({found})" if found else "")


def study_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the inputs every study command takes (paths, --model, --no-model, --order, --base, -v)
    and hand them to the command as one `StudyInputs`, its first argument. Options the command
    line leaves out are taken from the study's configuration (see `config`); the base IRI is
    checked here, once for every command."""

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
        config = settings()
        base_origin = "--base"
        given = click.get_current_context().get_parameter_source("base")
        if given != ParameterSource.COMMANDLINE and "base" in config.values:
            base_origin = f"base in {config.label}"
            base = str(config.values["base"])
        inputs = StudyInputs(
            paths,
            tuple(configured("model_paths", model_paths, "model") or ()),  # type: ignore[arg-type]
            bool(configured("no_model", no_model, "no-model")),
            configured("order_file", order_file, "order"),  # type: ignore[arg-type]
            None if base is None else check_base(base, base_origin),
            verbose,
            tuple(config.get("paths", ())),  # type: ignore[arg-type]
        )
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
    shown = [d for d in diagnostics if verbose or d.severity >= Severity.WARNING]  # printable
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
