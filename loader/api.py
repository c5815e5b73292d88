"""The library API for notebooks and scripts: load a study once, then ask it for its graph, a
named query's rows, the validation report `qualgraph validate` prints, or an export.

    >>> import qualgraph
    >>> study = qualgraph.load("seeds/")
    >>> study.validate().conforms
    True

Everything runs in the calling process and leaves the host alone (no processes, threads,
collector changes or output) unless a faster `ExecutionPolicy` is passed; see docs/api.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from qualgraph.diagnostics import Diagnostic, Severity
from qualgraph.errors import InputError
from qualgraph.query.named import Answer, find_query, run
from qualgraph.rdf.emit import emit_ntriples
from qualgraph.rdf.export import FORMATS as EXPORT_FORMATS
from qualgraph.rdf.export import serialize
from qualgraph.rdf.identity import StudyIdentity, study_identity
from qualgraph.rdf.namespaces import bind_prefixes
from qualgraph.rdf.store import to_store
from qualgraph.rdf.terms import NTriples
from qualgraph.shacl.baseline import read_baseline
from qualgraph.shacl.outcome import outcome
from qualgraph.shacl.report import Report, RulePolicy, attribute_claims
from qualgraph.shacl.shapes import load_shapes
from qualgraph.shacl.validate import ENGINES, Validation
from qualgraph.study.load import LoadedStudy, display_name, load_study, read_order
from qualgraph.study.resolve import ResolvedStudy

PathArg = str | os.PathLike[str]
"""A path as a program has it: a `str` or a `Path`."""

_SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


def _paths(value: PathArg | Iterable[PathArg]) -> list[Path]:
    if isinstance(value, str | os.PathLike):
        return [Path(value)]
    return [Path(item) for item in value]


def load(
    paths: PathArg | Iterable[PathArg],
    model: PathArg | Iterable[PathArg] | None = None,
    *,
    order: PathArg | Sequence[str] | None = None,
    base: str | None = None,
) -> Study:
    """Load the study whose traces are under `paths` (files or folders).

    `model` names the consolidated model files or folder; None looks for a `model/` folder
    inside or beside the traces folder, `()` loads the traces alone. `order` is a coding-order
    file or a list of trace file names. `base` is the base IRI of the study's data (default:
    one derived from the study folder's name, as the CLI does). Raises `InputError` when the
    study cannot be read at all; problems in the data are `Study.diagnostics`."""
    trace_paths = _paths(paths)
    if not trace_paths:
        raise InputError("no trace files or folders given")
    model_paths = None if model is None else _paths(model)
    if order is None:
        names: Sequence[str] = ()
    elif isinstance(order, str | os.PathLike):
        names = read_order(Path(order))
    else:
        names = list(order)
    loaded = load_study(trace_paths, model_paths, order=names)
    return Study(loaded, study_identity(trace_paths, base))


@dataclass
class Study:
    """A loaded study. The graph, its triples and its query store are made on first use and
    kept with the study (not with the process): drop the study and they go too."""

    loaded: LoadedStudy
    identity: StudyIdentity
    _triples: NTriples | None = field(default=None, init=False, repr=False)
    _store: ox.Store | None = field(default=None, init=False, repr=False)

    @property
    def base(self) -> str:
        """The base IRI of the study's data."""
        return self.identity.base

    @property
    def resolved(self) -> ResolvedStudy:
        """The resolved study: traces, codebook, aliases, model (frozen dataclasses)."""
        return self.loaded.study

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Every diagnostic of loading, in file and line order."""
        return self.loaded.diagnostics

    @property
    def files(self) -> tuple[Path, ...]:
        """The trace files read, in coding order."""
        return self.loaded.files

    def triples(self) -> NTriples:
        """The study graph in N-Triples form (the fast form: strings, each triple once)."""
        if self._triples is None:
            self._triples = emit_ntriples(self.resolved, self.base)
        return self._triples

    def graph(self) -> Graph:
        """The study graph as a new rdflib Graph with qualgraph's prefixes bound."""
        graph = Graph()
        bind_prefixes(graph, self.base)
        graph.addN((s, p, o, graph) for s, p, o in self.triples().to_rdflib())
        return graph

    def query(self, name: str, /, *, allow_service: bool = False, **params: object) -> Answer:
        """Run the named query `name` (`qualgraph query --list`) with its parameters as keyword
        arguments: SELECT gives `Rows` (`.as_dicts()`), ASK a bool, CONSTRUCT triples.
        Raises `QueryError` on an unknown query, parameter or value."""
        if self._store is None:
            self._store = to_store(self.triples())
        values = {
            key: str(value).lower() if isinstance(value, bool) else str(value)
            for key, value in params.items()
        }
        return run(self._store, find_query(name), values, allow_service=allow_service)

    def validate(
        self,
        shapes: PathArg | Iterable[PathArg] = (),
        baseline: PathArg | None = None,
        *,
        engine: str = ENGINES[0],
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        fail_on: str = "error",
        allow_service: bool = False,
    ) -> Report:
        """Validate with the bundled shapes plus `shapes` (the study's own files): the report
        `qualgraph validate` makes, with `findings`, `conforms`, `summary()` and
        `render(fmt)`. With `baseline` (a file written by `--write-baseline`) only new
        findings are reported and fail."""
        if fail_on not in _SEVERITIES:
            raise ValueError(f"fail_on must be one of {', '.join(_SEVERITIES)}")
        graph = load_shapes(_paths(shapes), allow_service=allow_service)
        run_ = Validation(graph, engine, allow_service=allow_service)
        triples = self.triples()
        run_.add(triples)
        validation = run_.report(triples)
        recorded = read_baseline(Path(baseline)) if baseline is not None else None
        threshold = _SEVERITIES[fail_on]
        return outcome(
            self.diagnostics,
            validation,
            graph,
            tuple(display_name(path) for path in self.files),
            base=self.base,
            claimants=attribute_claims(triples, self.resolved, self.base),
            rules=RulePolicy(tuple(select), tuple(ignore)),
            baseline=recorded,
            fail_on=threshold,
            show=min(Severity.WARNING, threshold),
        ).report

    def export(self, fmt: str = "turtle") -> str:
        """The study graph serialised deterministically (the same study gives the same text) in
        one of `turtle`, `ntriples`, `nquads`, `trig`, `rdfxml`, `jsonld`."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        return serialize(self.triples(), fmt, base=self.base, graph_name=self.identity.iri)
