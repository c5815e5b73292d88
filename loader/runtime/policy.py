"""The execution policy: every speed device qualgraph has, behind one object, off unless asked.

The library's default, `IN_PROCESS`, runs everything in the calling thread of the calling
process: no worker processes, no forked footprint child, no background store thread, no
collector pauses, no fast exit. That is what a notebook, a `multiprocessing.Pool` worker or a
program under the `spawn` start method needs. The command line runs under `FAST` (it owns its
process); a program may too:

    with qualgraph.ExecutionPolicy.fast().active():
        report = qualgraph.load("traces/").validate()

The policy in force is a context variable, so it follows the code that set it (a thread or an
asyncio task of the host sees its own) and is restored when the block ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ExecutionPolicy:
    """Which speed devices may run.

    `worker_processes`: processes that read a study's traces (1: this one only; None: one per
    CPU, from 250 traces up, where fork is safe). `pause_gc`: pause the cyclic collector while
    millions of acyclic objects are built. `background_store`: fill the validation store on a
    thread while the study is emitted. `footprint_child`: work out which triples the shapes can
    see in a forked child meanwhile. `shape_threads`: run the compiled shapes on one thread per
    CPU (Oxigraph answers without holding the GIL). `fast_exit`: end the command line with
    `os._exit` instead of taking its objects apart one by one."""

    worker_processes: int | None = 1
    pause_gc: bool = False
    background_store: bool = False
    footprint_child: bool = False
    shape_threads: bool = False
    fast_exit: bool = False

    @classmethod
    def in_process(cls) -> ExecutionPolicy:
        """Nothing outside the calling thread, nothing process-wide: the library's default."""
        return IN_PROCESS

    @classmethod
    def fast(cls) -> ExecutionPolicy:
        """Every device on: the command line's policy."""
        return FAST

    @contextmanager
    def active(self) -> Iterator[ExecutionPolicy]:
        """Run the block under this policy; the previous one is back afterwards."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)


IN_PROCESS = ExecutionPolicy()
FAST = ExecutionPolicy(
    worker_processes=None,
    pause_gc=True,
    background_store=True,
    footprint_child=True,
    shape_threads=True,
    fast_exit=True,
)

_CURRENT: ContextVar[ExecutionPolicy] = ContextVar("qualgraph_execution_policy", default=IN_PROCESS)


def current_policy() -> ExecutionPolicy:
    """The policy in force here."""
    return _CURRENT.get()
