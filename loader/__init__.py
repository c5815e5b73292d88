"""qualgraph: turn the trace files of a grounded-theory study into a validated RDF knowledge graph.

`qualgraph.load(paths, model=...)` gives a `Study`: `.graph()`, `.query(name, **params)`,
`.validate(shapes=..., baseline=...)` and `.export(fmt)` (docs/api.md). The pipeline's stages
are also importable (`load_study`, `emit_ntriples`, `serialize`, `validate`); the command line
lives in `qualgraph.cli`.
"""

from qualgraph.api import PathArg, Study, load
from qualgraph.diagnostics import Diagnostic, Severity
from qualgraph.errors import InputError, NoTracesError, QualgraphError, ResourceError
from qualgraph.query.named import QueryError
from qualgraph.query.rows import Rows
from qualgraph.rdf.emit import emit, emit_ntriples, emit_triples
from qualgraph.rdf.export import serialize
from qualgraph.runtime.policy import ExecutionPolicy
from qualgraph.server.remote import RemoteError
from qualgraph.shacl.report import Finding, Report
from qualgraph.shacl.results import ValidationReport, ValidationResult
from qualgraph.shacl.shapes import UnsupportedShape
from qualgraph.shacl.validate import validate
from qualgraph.study.config import ConfigError
from qualgraph.study.load import LoadedStudy, load_study


def __getattr__(name: str) -> str:
    """`__version__`, read from the installed metadata only when asked (importlib.metadata adds
    ~50 ms to every command's start)."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qualgraph")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


__all__ = [
    "ConfigError",
    "Diagnostic",
    "ExecutionPolicy",
    "Finding",
    "InputError",
    "LoadedStudy",
    "NoTracesError",
    "PathArg",
    "QualgraphError",
    "QueryError",
    "RemoteError",
    "Report",
    "ResourceError",
    "Rows",
    "Severity",
    "Study",
    "UnsupportedShape",
    "ValidationReport",
    "ValidationResult",
    "emit",
    "emit_ntriples",
    "emit_triples",
    "load",
    "load_study",
    "serialize",
    "validate",
    "__version__",
]
