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
