"""Load a study: find its trace files, then parse → interpret → resolve, each file once.

This is the one entry point the commands use. It never prints; a caller that wants a progress
bar passes a callback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qualgraph.diagnostics import Diagnostic, info
from qualgraph.errors import InputError, NoTracesError
from qualgraph.read.files import DECODING_CODES, clean_name, kind_of, read_text, unreadable, walk
from qualgraph.read.interpret import interpret_block
from qualgraph.read.parse import parse_trace
from qualgraph.read.statements import Interpretation
from qualgraph.runtime.memory import paused_gc
from qualgraph.runtime.policy import current_policy
from qualgraph.runtime.workers import share_out, worker_count
from qualgraph.study.model import Model, conventional_model_folder, find_model_files, read_model
from qualgraph.study.model_vs_traces import compare
from qualgraph.study.resolve import ResolvedStudy, TraceRecord, resolve

TRACE_SUFFIXES = {".md", ".txt"}

Progress = Callable[[int, int, str], None]
"""Called as progress(done, total, file) after each file."""


@dataclass(frozen=True)
class LoadedStudy:
    """A resolved study plus every diagnostic of every stage, sorted by file and line."""

    study: ResolvedStudy
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[Path, ...]


def natural_key(path: Path | str) -> tuple[object, ...]:
    """Sort `s_2` before `s_10`: digit runs compare as numbers."""
    return _natural_key(str(path))


@lru_cache(maxsize=100_000)
def _natural_key(text: str) -> tuple[object, ...]:
    """Cached: a study's diagnostics and results name the same few files thousands of times."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text))


def read_order(path: Path) -> list[str]:
    """A coding-order file: one trace file name per line (blank lines and `#` comments ignored)."""
    try:
        lines = read_text(path, str(path))[0].splitlines()
    except OSError as exc:  # a FIFO given as the order file is refused, not waited on
        raise InputError(f"{path}: cannot read the order file: {exc.strerror or exc}") from exc
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def apply_order(files: list[Path], order: Sequence[str]) -> list[Path]:
    """Files named in `order` first, in that order; the rest keep their place after them."""
    rank = {name: index for index, name in enumerate(order)}
    listed = sorted((f for f in files if f.name in rank), key=lambda f: rank[f.name])
    return listed + [f for f in files if f.name not in rank]


def find_traces(paths: Iterable[Path]) -> list[Path]:
    """Files in the order given; a folder contributes its trace files in natural order."""
    return scan_traces(paths)[0]


def scan_traces(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """`find_traces`, with a diagnostic for each entry with a trace file's name that is no
    readable file (a dangling link, FIFO, device, folder) and each folder that cannot be listed."""
    found: list[Path] = []
    diagnostics: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            files, notes = walk(path, _is_trace_name, display_name)
            found.extend(sorted(files, key=lambda p: natural_key(p.relative_to(path))))
            diagnostics.extend(notes)
        elif path.is_file():
            found.append(path)
        elif os.path.lexists(path):
            try:
                what = kind_of(os.stat(path).st_mode) or "not a regular file"
            except OSError as exc:
                what = exc.strerror or str(exc)
            raise InputError(f"{display_name(path)}: {what}, not a trace file or folder")
        else:
            raise InputError(f"{path}: no such file or folder")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values()), diagnostics


def _is_trace_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in TRACE_SUFFIXES


def display_name(path: Path) -> str:
    """The name diagnostics use: relative to the working folder when possible."""
    return _display_name(path, os.getcwd())


@lru_cache(maxsize=100_000)
def _display_name(path: Path, cwd: str) -> str:
    """Cached: resolving a path is a system call per folder, and a report names every file."""
    try:
        name = str(path.resolve().relative_to(cwd))
    except (ValueError, OSError, RuntimeError):  # elsewhere; a link loop
        name = str(path)
    return clean_name(name)


def interpret_trace(path: Path, diagnostics: list[Diagnostic]) -> TraceRecord | None:
    """Parse and interpret one file; None (with a diagnostic) when it is not a usable trace."""
    name = display_name(path)
    try:
        document, found = parse_trace(path, name)
    except OSError as exc:
        diagnostics.append(unreadable(name, exc))
        return None
    if document.kind is None and document.coding_line is None and not document.segments:
        # A README or notes file beside the traces: one note, not the parser's complaints
        # (but how its bytes were read, which may be why it looks like no trace).
        diagnostics.extend(d for d in found if d.code in DECODING_CODES)
        diagnostics.append(
            info(name, 1, "not-a-trace", "no `# s`/`# p` header and no `# coding`: skipped")
        )
        return None
    diagnostics.extend(found)
    if document.is_template:
        return None
    source_block = None
    if document.source_block is not None:
        source_block = _interpret(
            document.source_block.code, name, document.source_block.first_line, False, diagnostics
        )
    blocks = {}
    for segment in document.segments:
        for trace in segment.traces:
            for block in getattr(trace, "blocks", ()):
                blocks[block.span.start] = _interpret(
                    block.code, name, block.first_line, block.is_code_list, diagnostics
                )
    return TraceRecord(document, source_block, blocks)


def _interpret(
    code: str, name: str, first_line: int, code_list: bool, diagnostics: list[Diagnostic]
) -> Interpretation:
    result = interpret_block(code, name, first_line, code_list=code_list)
    diagnostics.extend(result.diagnostics)
    return result


def load_model(paths: Sequence[Path], model_paths: Sequence[Path] | None) -> Model | None:
    """The consolidated model in `model_paths`, or in a `model/` folder found by convention."""
    if model_paths is None:
        folder = conventional_model_folder(paths)
        model_paths = [folder] if folder else []
    for path in model_paths:
        if not path.exists():
            raise InputError(f"{path}: no such model file or folder")
    files = find_model_files(model_paths)
    if model_paths and not files:
        raise InputError("no model files (.py) found in " + ", ".join(map(str, model_paths)))
    if not files:
        return None
    try:
        return read_model([(path, display_name(path)) for path in files], display_name)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the model files: {exc}") from exc


def load_study(
    paths: Sequence[Path | str] | Path | str,
    model_paths: Sequence[Path | str] | None = None,
    progress: Progress | None = None,
    order: Sequence[str] = (),
    workers: int | None = None,
) -> LoadedStudy:
    """Load every trace under `paths` in coding order, plus the consolidated model, as one study.

    `model_paths=None` looks for a `model/` folder inside or beside a traces folder; pass an
    empty list to load the traces alone. `order` lists file names in coding order (the rest
    follow in natural order). Files are read in `workers` processes (default: the execution
    policy's `worker_processes`, which is 1, this process, unless the caller asked for more;
    see `runtime.policy`); the study is the same however many there are."""
    if isinstance(paths, str | os.PathLike):  # `load_study("seeds")`: one path, not its letters
        paths = [paths]
    trace_paths = [Path(path) for path in paths]
    models = None if model_paths is None else [Path(path) for path in model_paths]
    found, skipped = scan_traces(trace_paths)
    files = apply_order(found, order)
    if not files:
        raise InputError(
            "no trace files (.md or .txt) found in " + ", ".join(map(str, trace_paths))
        )
    model = load_model(trace_paths, models)
    diagnostics: list[Diagnostic] = [*skipped, *(model.diagnostics if model else ())]
    records: list[TraceRecord] = []

    def read(batch: Sequence[Path], report: Progress | None = None, done: int = 0) -> _Read:
        found: list[Diagnostic] = []
        paths = _reporting(batch, done, len(files), report)
        traces = [interpret_trace(path, found) for path in paths]
        return [record for record in traces if record is not None], found

    with paused_gc():  # a study is millions of objects without cycles: see `memory`
        for batch_records, batch_diagnostics in share_out(
            read,
            files,
            worker_count(
                len(files), workers if workers is not None else current_policy().worker_processes
            ),
            first=lambda batch, done: read(batch, progress, done),
        ):
            records.extend(batch_records)
            diagnostics.extend(batch_diagnostics)
        if progress:
            progress(len(files), len(files), str(files[-1]))
        if not records:
            templates = frozenset(d.file for d in diagnostics if d.code == "template")
            raise NoTracesError(_nothing_loaded(files, diagnostics), tuple(files), templates)
        study = resolve(records, model)
        diagnostics.extend(study.diagnostics)
        if model is not None:
            diagnostics.extend(compare(study, model))
        return LoadedStudy(study, tuple(sorted(diagnostics, key=_order)), tuple(files))


_Read = tuple[list[TraceRecord], list[Diagnostic]]


def _nothing_loaded(files: Sequence[Path], diagnostics: Sequence[Diagnostic]) -> str:
    """Why a study whose every file was skipped cannot give a graph (rather than an empty one)."""
    names = {display_name(path) for path in files}
    reasons = [d for d in diagnostics if d.file in names and d.code != "invalid-utf8"]
    reason = f": {reasons[0].render()}" if reasons else ""
    reason += " (and more)" if reasons and len(files) > 1 else ""
    return f"no trace could be loaded from the {len(files)} file(s) found{reason}"


def _reporting(
    files: Sequence[Path], done: int, total: int, progress: Progress | None
) -> Iterator[Path]:
    """`files`, calling `progress` after each (`done` files of `total` were read before)."""
    for count, path in enumerate(files, start=done + 1):
        yield path
        if progress:
            progress(count, total, str(path))


def _order(d: Diagnostic) -> tuple[object, ...]:
    return (natural_key(d.file), d.line, -d.severity, d.code, d.message)
