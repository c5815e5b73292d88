"""Bulk building without the cyclic garbage collector's full passes.

Loading a large study makes millions of small objects, and emitting it millions of tuples;
every full collection walks all of them again. What loading, emitting and locating build holds
no reference cycles, so under an execution policy with `pause_gc` the collector is paused while
they run and resumed afterwards (figures: docs/design.md, "Speed devices: the figures").
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from qualgraph.runtime.policy import current_policy


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause automatic collection inside the block (nested uses keep it paused), when the
    execution policy allows it (`pause_gc`); otherwise the collector is left as it is."""
    if not current_policy().pause_gc:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            resume_gc()


def resume_gc() -> None:
    """Turn the collector back on, with every object made while it was off moved straight to
    its oldest generation (`gc.freeze` then `gc.unfreeze`, which only relink lists): otherwise
    its next young collection walks them all. Skipped when the
    program has frozen objects of its own, which must stay frozen."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
    gc.enable()
