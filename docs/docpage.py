"""The command line shared by the docs/make_*_doc.py generators: write one page and say where."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def write_page(render: Callable[[], str], default: Path, argv: list[str] | None = None) -> int:
    """Write `render()` to the path given as the only argument, or to `default`."""
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else default
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
    return 0
