"""Work on every core: a study's files read in batches shared out between this process and
forked children (`share_out`), and work done aside while this process goes on (`Forked`).

Parsing and interpreting a trace is pure Python, so threads cannot share it out; processes can.
The children are forked, so they inherit what is already loaded, and only their results travel
back, pickled, and are read with the collector paused: about a tenth of the work they save.
Results come back in batch order, so the outcome is the same as running everything here (the
tests compare the two). Where fork is unavailable (Windows; macOS, where forking is unsafe) or
the work is small, everything runs here.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from qualgraph.runtime.memory import paused_gc

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_SHARE = 250
"""Fewest traces worth a process: below it a second process reads no faster (docs/design.md)."""


def available_cpus() -> int:
    """CPUs this process may run on (a container's cpuset, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return sys.platform.startswith("linux")


def worker_count(items: int, workers: int | None = None) -> int:
    """How many processes should read `items` traces: `workers` when given, else one per CPU
    but none for fewer than MIN_SHARE traces; always 1 where fork is unavailable."""
    if not can_fork():
        return 1
    if workers is None:
        workers = min(available_cpus(), items // MIN_SHARE)
    return max(1, min(workers, items))


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


BATCH = 50
"""Most items in a batch: small enough that the processes finish close together."""


def share_out(
    function: Callable[[Sequence[Item]], Result],
    items: Sequence[Item],
    processes: int,
    first: Callable[[Sequence[Item], int], Result] | None = None,
) -> list[Result]:
    """`function` of each batch of `items`, in order, worked out by this process and
    `processes - 1` forked children.

    Each process takes the next batch from a shared counter when it is done with one, so one
    that runs slower (a child pickles what it reads, and a shared CPU slows either) simply
    reads fewer (halves fixed in advance kept the parent waiting for its child).
    A child pickles each result as it goes and sends them all at the end. This
    process runs its batches through `first(batch, done)` when given (to draw a progress bar,
    which only it may do), `done` being how many items all the processes have finished."""
    size = max(1, min(BATCH, -(-len(items) // (4 * processes))))
    batches = [items[start : start + size] for start in range(0, len(items), size)]
    forking = processes > 1 and len(batches) > 1 and can_fork()
    context = multiprocessing.get_context("fork") if forking else None
    counter = _Counter(context)
    children = [
        Forked(partial(_read_batches, function, batches, counter))
        for _ in range(processes - 1 if forking else 0)
    ]
    try:
        results: dict[int, Result] = {}
        for index in counter.take(len(batches)):
            batch = batches[index]
            results[index] = first(batch, counter.done) if first else function(batch)
            counter.finished(len(batch))
        with paused_gc():
            for child in children:
                for index, data in child.result():
                    results[index] = pickle.loads(data)
        return [results[index] for index in range(len(batches))]
    finally:
        for child in children:
            child.close()


class _Counter:
    """The next batch to take and the items done, shared by forked processes; plain numbers when
    nothing is forked (a shared value needs /dev/shm, which some sandboxes lack)."""

    def __init__(self, context: multiprocessing.context.BaseContext | None) -> None:
        self._next = context.Value("q", 0) if context else None
        self._done = context.Value("q", 0) if context else None
        self._local = [0, 0]

    def take(self, count: int) -> Iterator[int]:
        """Batch indexes, each handed to one process only, until all `count` are taken."""
        while True:
            if self._next is None:
                index, self._local[0] = self._local[0], self._local[0] + 1
            else:
                with self._next.get_lock():
                    index = self._next.value
                    self._next.value += 1
            if index >= count:
                return
            yield index

    @property
    def done(self) -> int:
        return self._local[1] if self._done is None else self._done.value

    def finished(self, items: int) -> None:
        if self._done is None:
            self._local[1] += items
        else:
            with self._done.get_lock():
                self._done.value += items


def _read_batches(
    function: Callable[[Sequence[Item]], Result],
    batches: Sequence[Sequence[Item]],
    counter: _Counter,
) -> list[tuple[int, bytes]]:
    """In a child: each batch it takes, with its result pickled at once (so that the cost of
    pickling slows its own share, which the counter then balances)."""
    read = []
    for index in counter.take(len(batches)):
        read.append((index, pickle.dumps(function(batches[index]), pickle.HIGHEST_PROTOCOL)))
        counter.finished(len(batches[index]))
    return read


def _run(function: Callable[[], Result], out: Connection) -> None:
    """In the child: send back ("ok", result) or ("error", traceback), pickled."""
    try:
        data = pickle.dumps(("ok", function()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # everything goes back to the parent, which raises it
        data = pickle.dumps(("error", traceback.format_exc()))
    out.send_bytes(data)
    out.close()
