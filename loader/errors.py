"""Errors the library raises when a command cannot run at all (bad arguments, unreadable input).

Problems *in* the data are never raised: they are Diagnostics. The CLI maps these errors to
exit code 2.
"""


class QualgraphError(Exception):
    """Base of every error qualgraph raises on purpose; the message says what to do next."""


class InputError(QualgraphError):
    """The input cannot be read: a missing path, no trace files, an unparseable RDF file."""


class ResourceError(QualgraphError):
    """A bundled ontology, shapes or query file is missing or broken (a packaging fault)."""


class NoTracesError(InputError):
    """Every file found was skipped (notes, READMEs, the empty template): there is no study to
    give, rather than an empty graph. `files` are the files that were read."""

    def __init__(
        self, message: str, files: tuple[object, ...] = (), templates: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(message)
        self.files = files
        self.templates = templates  # the files' names that are the empty template
