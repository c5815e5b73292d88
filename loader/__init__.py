"""qualgraph: turn the trace files of a grounded-theory study into a validated RDF knowledge graph.

The library API: `load_study` (parse → interpret → resolve), `emit_ntriples` (the triples as
N-Triples terms, the fast form), `emit`/`emit_triples` (rdflib),
`serialize` (deterministic export), `validate` (SHACL). The command line lives in `qualgraph.cli`.
"""

from qualgraph.rdf.emit import emit, emit_ntriples, emit_triples
from qualgraph.rdf.export import serialize
from qualgraph.shacl.validate import validate
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
    "LoadedStudy",
    "emit",
    "emit_ntriples",
    "emit_triples",
    "load_study",
    "serialize",
    "validate",
    "__version__",
]
