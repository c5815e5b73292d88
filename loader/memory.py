"""Bulk building without the cyclic garbage collector's full passes.

Emitting a study of 10,000 traces makes millions of tuples, and every full collection walks all
of them again. Nothing the emitter or the locator builds holds a reference cycle, so the
collector is paused while they run and resumed (with one ordinary pass) afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause automatic collection inside the block (nested uses keep it paused)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
