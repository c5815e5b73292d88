"""Work on every core: a study's files read in contiguous shares, one forked process per extra
share (`fork_map`), and work done aside while this process goes on (`Forked`).

Parsing and interpreting a trace is pure Python, so threads cannot share it out; processes can.
The children are forked, so they inherit what is already loaded, and only their results travel
back, pickled, and are read with the collector paused: about a tenth of the work they save. The
first share runs in this process meanwhile, and results come back in share order, so the outcome
is the same as running everything here (the tests compare the two). Where fork is unavailable
(Windows; macOS, where forking is unsafe) or the work is small, everything runs here.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from .memory import paused_gc

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_SHARE = 250
"""Fewest traces worth a process: on the real study (68 traces) two processes read no faster
than one, so a study is not split below this."""


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


class Forked(Generic[Result]):
    """`function()` computed in a forked child while this process goes on; `result()` waits
    for it. Where fork is unavailable, `result()` computes it here, on first use."""

    def __init__(self, function: Callable[[], Result], fork: bool = True) -> None:
        self._function: Callable[[], Result] | None = function
        self._child: multiprocessing.process.BaseProcess | None = None
        self._reader: Connection | None = None
        self._value: Result
        if fork and can_fork():
            context = multiprocessing.get_context("fork")
            sys.stdout.flush()  # else the child would write out a copy of what is still buffered
            sys.stderr.flush()
            self._reader, writer = context.Pipe(duplex=False)
            self._child = context.Process(target=_run, args=(function, writer), daemon=True)
            self._child.start()
            writer.close()

    def ready(self) -> bool:
        """Whether `result()` would return at once (here: computing it is not waiting)."""
        return self._child is None or (self._reader is not None and self._reader.poll())

    def result(self) -> Result:
        if self._function is not None:
            function, self._function = self._function, None
            if self._child is None:
                self._value = function()
            else:
                try:
                    self._value = self._receive()
                finally:
                    self.close()
        elif not hasattr(self, "_value"):
            raise WorkerError("the work was closed before its result was read")
        return self._value

    def close(self) -> None:
        """Stop the child if it is still running: its result is no longer wanted."""
        if self._child is not None:
            self._function = None
            assert self._reader is not None
            self._reader.close()
            if self._child.is_alive():
                self._child.kill()
            self._child.join()
            self._child = None

    def _receive(self) -> Result:
        assert self._child is not None and self._reader is not None
        try:
            data = self._reader.recv_bytes()
        except EOFError:
            self._child.join()
            code = self._child.exitcode
            raise WorkerError(f"a worker process exited with code {code}") from None
        with paused_gc():  # unpickling millions of small objects would trigger full collections
            status, value = pickle.loads(data)
        if status != "ok":
            raise WorkerError(f"a worker process failed:\n{value}")
        return value


def fork_map(
    function: Callable[[Sequence[Item]], Result],
    shares: Sequence[Sequence[Item]],
    first: Callable[[Sequence[Item]], Result] | None = None,
) -> list[Result]:
    """`function` of each share, in order: the first share in this process (through `first`
    when given, say to draw a progress bar, which only this process may do), the others each
    in a forked child."""
    children = [Forked(partial(function, share)) for share in shares[1:]]
    try:
        results = [(first or function)(shares[0])] if shares else []
        return results + [child.result() for child in children]
    finally:
        for child in children:
            child.close()


def _run(function: Callable[[], Result], out: Connection) -> None:
    """In the child: send back ("ok", result) or ("error", traceback), pickled."""
    try:
        data = pickle.dumps(("ok", function()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # everything goes back to the parent, which raises it
        data = pickle.dumps(("error", traceback.format_exc()))
    out.send_bytes(data)
    out.close()
