"""Which study a set of inputs is: its name, its base IRI and the IRI of its dataset and graph.

Two studies must never mint the same IRIs, or merging their exports (or pushing them to one
SPARQL server) would make one `source/s1` with both titles. So the default base is not one
namespace for every study but a folder of it named after the study folder:
`<DEFAULT_BASE>data-as-a-product/`. `--base` (or a study's configuration) overrides it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from qualgraph.rdf.namespaces import DEFAULT_BASE, Iris

TRACES_FOLDERS = frozenset({"traces", "trace"})
"""A folder with one of these names holds a study's traces; the study is named after its parent
(`data-as-a-product/traces` is the study `data-as-a-product`)."""

_UNSAFE = re.compile(r"[^a-z0-9._~-]+")


@dataclass(frozen=True)
class StudyIdentity:
    """A study's name and base IRI. `iri` names the study's dataset and its named graph."""

    name: str
    base: str

    @property
    def iri(self) -> str:
        """The base without its closing `/` or `#`: `…/study/data-as-a-product`."""
        return self.base[:-1]


def slug(text: str) -> str:
    """A name safe in an IRI path: lower case, runs of other characters made one `-`."""
    return _UNSAFE.sub("-", text.lower()).strip("-.") or "study"


def study_folder(paths: Sequence[Path]) -> Path:
    """The folder the traces belong to: a file's folder, a `traces/` folder's parent, and the
    folder several inputs share."""
    folders = []
    for path in paths:
        folder = Path(os.path.abspath(path))
        if folder.suffix and not folder.is_dir():  # a trace file, existing or not
            folder = folder.parent
        if folder.name.lower() in TRACES_FOLDERS:
            folder = folder.parent
        folders.append(folder)
    if not folders:
        raise ValueError("a study needs at least one input path")
    return Path(os.path.commonpath(folders))


def study_identity(traces: Path | Sequence[Path], base: str | None = None) -> StudyIdentity:
    """The study read from `traces`: with `base` (from `--base` or the configuration) its name is
    the base's last path segment; without, both come from the study folder's name."""
    paths = [traces] if isinstance(traces, Path) else list(traces)
    if base:
        normalised = Iris(base).base
        segments = [s for s in urlsplit(normalised[:-1]).path.split("/") if s]
        return StudyIdentity(slug(unquote(segments[-1])) if segments else "study", normalised)
    name = slug(study_folder(paths).name)
    return StudyIdentity(name, f"{DEFAULT_BASE}{name}/")
