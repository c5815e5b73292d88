"""Reading a study in forked worker processes gives exactly what reading it here gives."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from loader import workers
from loader.emit import emit_ntriples
from loader.study import load_study
from loader.workers import Forked, WorkerError, fork_map, split, worker_count

from .conftest import CORPUS, FIXTURES, SEED

needs_fork = pytest.mark.skipif(not workers.can_fork(), reason="fork is used on Linux only")


def test_split_keeps_order_and_sizes():
    items = list(range(10))
    assert split(items, 3) == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert split(items, 1) == [items]
    assert [len(share) for share in split(items, 4)] == [3, 3, 2, 2]


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


@needs_fork
def test_fork_map_runs_shares_in_children_and_returns_them_in_order():
    shares = split(list(range(7)), 3)
    results = fork_map(lambda share: (os.getpid(), [x * x for x in share]), shares)
    assert [squares for _, squares in results] == [[0, 1, 4], [9, 16], [25, 36]]
    pids = [pid for pid, _ in results]
    assert pids[0] == os.getpid() and len(set(pids)) == 3


@needs_fork
def test_first_share_can_run_through_its_own_function():
    results = fork_map(lambda share: ("child", list(share)), [[1], [2]], first=lambda s: ("here",))
    assert results == [("here",), ("child", [2])]


@needs_fork
def test_a_failing_worker_raises_with_its_traceback():
    def fail_in_child(share):
        if os.getpid() != parent:
            raise ValueError(f"cannot read {share[0]}")
        return share

    parent = os.getpid()
    with pytest.raises(WorkerError, match=r"(?s)ValueError: cannot read b"):
        fork_map(fail_in_child, [["a"], ["b"]])


@needs_fork
def test_a_worker_that_dies_is_reported():
    with pytest.raises(WorkerError, match="exited with code 3"):
        fork_map(lambda share: os._exit(3) if share == ["b"] else share, [["a"], ["b"]])


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
