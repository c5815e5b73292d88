"""Reading a study in forked worker processes gives exactly what reading it here gives."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from qualgraph.rdf.emit import emit_ntriples
from qualgraph.runtime import workers
from qualgraph.runtime.workers import Forked, WorkerError, share_out, worker_count
from qualgraph.study.load import load_study

from .conftest import CORPUS, FIXTURES, SEED

needs_fork = pytest.mark.skipif(not workers.can_fork(), reason="fork is used on Linux only")


def test_worker_count_leaves_small_studies_in_one_process(monkeypatch):
    monkeypatch.setattr(workers, "available_cpus", lambda: 8)
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    assert worker_count(69) == 1  # the real study: forking would cost more than it saves
    assert worker_count(3 * workers.MIN_SHARE) == 3
    assert worker_count(100 * workers.MIN_SHARE) == 8
    assert worker_count(5, workers=2) == 2  # asked for: no minimum
    assert worker_count(1, workers=4) == 1  # never more shares than items
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    assert worker_count(100 * workers.MIN_SHARE, workers=4) == 1


def _slowly(batch):
    """A batch's pid and squares, slowly enough that every process gets batches."""
    time.sleep(0.05)
    return os.getpid(), [x * x for x in batch]


@needs_fork
def test_batches_are_shared_out_and_come_back_in_order():
    results = share_out(_slowly, list(range(40)), 3)
    assert [x for _, squares in results for x in squares] == [x * x for x in range(40)]
    assert len(results) == 10  # batches of 4: 40 items for about 4 batches per process
    pids = {pid for pid, _ in results}
    assert os.getpid() in pids and len(pids) == 3


@needs_fork
def test_this_process_runs_its_batches_through_first_and_counts_what_is_done():
    seen = []

    def first(batch, done):
        seen.append(done)
        return _slowly(batch)

    results = share_out(_slowly, list(range(40)), 2, first=first)
    assert [x for _, squares in results for x in squares] == [x * x for x in range(40)]
    assert seen == sorted(seen) and seen[0] == 0 and len(seen) < len(results)


def test_without_workers_every_batch_runs_here_in_order():
    results = share_out(lambda batch: (os.getpid(), list(batch)), list(range(7)), 1)
    assert [x for _, items in results for x in items] == list(range(7))
    assert {pid for pid, _ in results} == {os.getpid()}


@needs_fork
def test_a_failing_worker_raises_with_its_traceback():
    def fail_in_child(batch):
        time.sleep(0.05)
        if os.getpid() != parent:
            raise ValueError(f"cannot read {batch[0]}")
        return batch

    parent = os.getpid()
    with pytest.raises(WorkerError, match=r"(?s)ValueError: cannot read \d"):
        share_out(fail_in_child, list(range(8)), 2)


@needs_fork
def test_a_worker_that_dies_is_reported():
    parent = os.getpid()

    def die_in_child(batch):
        time.sleep(0.05)
        return os._exit(3) if os.getpid() != parent else batch

    with pytest.raises(WorkerError, match="exited with code 3"):
        share_out(die_in_child, list(range(8)), 2)


@needs_fork
def test_forked_work_runs_meanwhile_in_a_child():
    forked = Forked(lambda: (os.getpid(), sum(range(1000))))
    deadline = time.monotonic() + 30
    while not forked.ready() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert forked.ready()
    pid, total = forked.result()
    assert pid != os.getpid() and total == 499500
    assert forked.result() == (pid, total)  # received once, kept


def test_forked_work_runs_here_on_first_use_when_not_forked():
    calls = []
    forked = Forked(lambda: calls.append(os.getpid()) or len(calls), fork=False)
    assert forked.ready() and calls == []
    assert forked.result() == 1 and forked.result() == 1
    assert calls == [os.getpid()]


@needs_fork
def test_forked_work_that_is_not_wanted_is_stopped():
    forked = Forked(lambda: time.sleep(60))
    assert not forked.ready()
    forked.close()
    forked.close()  # twice is harmless
    with pytest.raises(WorkerError, match="closed before its result"):
        forked.result()


def _study_copy(tmp_path):
    """The fixture study plus the seed and a bad file, so diagnostics of every stage appear."""
    for path in sorted((FIXTURES / "study").glob("*.md")):
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(SEED, tmp_path / SEED.name)
    (tmp_path / "s_99.md").write_bytes(b"# s\n99\n## title\nbad \xff bytes\n# coding\n> q\n")
    return [tmp_path]


@needs_fork
@pytest.mark.parametrize("count", [2, 3])
def test_a_study_read_in_workers_is_the_same_study(tmp_path, count):
    paths = _study_copy(tmp_path)
    alone = load_study(paths, workers=1)
    shared = load_study(paths, workers=count)
    assert shared.files == alone.files
    assert shared.diagnostics == alone.diagnostics
    assert any(d.code == "invalid-utf8" for d in shared.diagnostics)
    assert emit_ntriples(shared.study).triples == emit_ntriples(alone.study).triples


@needs_fork
def test_the_real_study_read_in_workers_is_the_same_study():
    if not (CORPUS / "traces").is_dir():
        pytest.skip("../shared/corpus/data-as-a-product is not present")
    alone = load_study([CORPUS / "traces"], workers=1)
    shared = load_study([CORPUS / "traces"], workers=2)
    assert shared.diagnostics == alone.diagnostics
    assert emit_ntriples(shared.study).triples == emit_ntriples(alone.study).triples


def test_progress_reaches_the_total(tmp_path):
    paths = _study_copy(tmp_path)
    calls = []
    load_study(paths, progress=lambda done, total, _: calls.append((done, total)), workers=2)
    total = len(list(tmp_path.iterdir()))
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
