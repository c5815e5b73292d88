"""qualgraph: turn the trace files of a grounded-theory study into a validated RDF knowledge graph.

The library API: `load_study` (parse → interpret → resolve), `emit_ntriples` (the triples as
N-Triples terms, the fast form), `emit`/`emit_triples` (rdflib),
`serialize` (deterministic export), `validate` (SHACL). The command line lives in `loader.cli`.
"""

from importlib.metadata import PackageNotFoundError, version

from .emit import emit, emit_ntriples, emit_triples
from .export import serialize
from .study import LoadedStudy, load_study
from .validate import validate

try:
    __version__ = version("qualgraph")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

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
