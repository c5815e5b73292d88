"""Per-trace work on every core: contiguous shares of a study, one forked process per extra share.

Reading and emitting a trace are pure Python, so threads cannot share them out; processes can.
The children are forked, so they inherit what is already loaded (the resolved study when
emitting) and only their results travel back, pickled, and are read with the collector paused:
about a tenth of the work they save. The first share runs in this process meanwhile, and results
come back in share order, so the outcome is the same as running everything here (the tests
compare the two). Where fork is unavailable (Windows; macOS, where forking is unsafe) or the
work is small, everything runs here.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TypeVar

from .memory import paused_gc

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_SHARE = 250
"""Fewest traces worth a process: below this the fork and the pickling cost more than they save
(measured with benchmarks/bench_validate.py)."""


def available_cpus() -> int:
    """CPUs this process may run on (a container's cpuset, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return sys.platform.startswith("linux")


def worker_count(items: int, workers: int | None = None) -> int:
    """How many shares to make of `items` traces: `workers` when given, else one per CPU but
    no share under MIN_SHARE traces; always 1 where fork is unavailable."""
    if not can_fork():
        return 1
    if workers is None:
        workers = min(available_cpus(), items // MIN_SHARE)
    return max(1, min(workers, items))


def split(items: Sequence[Item], count: int) -> list[Sequence[Item]]:
    """`items` in `count` contiguous shares of (nearly) equal size, in order."""
    size, extra = divmod(len(items), count)
    shares, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        shares.append(items[start:end])
        start = end
    return shares


class WorkerError(RuntimeError):
    """A forked worker raised or died; the message carries its traceback."""


def fork_map(
    function: Callable[[Sequence[Item]], Result],
    shares: Sequence[Sequence[Item]],
    first: Callable[[Sequence[Item]], Result] | None = None,
) -> list[Result]:
    """`function` of each share, in order: the first share in this process (through `first`
    when given, say to draw a progress bar, which only this process may do), the others each
    in a forked child."""
    context = multiprocessing.get_context("fork")
    sys.stdout.flush()  # else a child would write out a copy of what is still buffered
    sys.stderr.flush()
    children: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    try:
        for share in shares[1:]:
            reader, writer = context.Pipe(duplex=False)
            child = context.Process(target=_run, args=(function, share, writer), daemon=True)
            child.start()
            writer.close()
            children.append((child, reader))
        results = [(first or function)(shares[0])] if shares else []
        for child, reader in children:
            results.append(_receive(child, reader))
        return results
    finally:
        for child, reader in children:
            reader.close()
            if child.is_alive():
                child.kill()
            child.join()


def _run(
    function: Callable[[Sequence[Item]], Result], share: Sequence[Item], out: Connection
) -> None:
    """In the child: send back ("ok", result) or ("error", traceback), pickled."""
    try:
        data = pickle.dumps(("ok", function(share)), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # everything goes back to the parent, which raises it
        data = pickle.dumps(("error", traceback.format_exc()))
    out.send_bytes(data)
    out.close()


def _receive(child: multiprocessing.process.BaseProcess, reader: Connection) -> Result:
    try:
        data = reader.recv_bytes()
    except EOFError:
        child.join()
        raise WorkerError(f"a worker process exited with code {child.exitcode}") from None
    with paused_gc():  # unpickling millions of small objects would trigger full collections
        status, value = pickle.loads(data)
    if status != "ok":
        raise WorkerError(f"a worker process failed:\n{value}")
    return value
