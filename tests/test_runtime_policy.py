"""No process-wide side effects unless asked: the library validates in the calling thread of
the calling process, leaves the collector, the host's threads and its output alone, and gives
the same report in a thread-rich process, inside a multiprocessing.Pool worker and under the
spawn start method; the speed devices run only under a policy that turns them on."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading

import pytest

import qualgraph
from qualgraph.runtime.policy import FAST, IN_PROCESS, current_policy

from .conftest import FIXTURES

STUDY = FIXTURES / "study"
BASE = "https://example.org/policy-test/"


def findings(path: str = str(STUDY)) -> list[dict[str, object]]:
    """The study's validation findings, as plain data (picklable, comparable)."""
    study = qualgraph.load(path, base=BASE)
    return [f.as_dict() for f in study.validate().findings]


def _gc_state() -> tuple[object, ...]:
    return (gc.isenabled(), gc.get_freeze_count(), gc.get_threshold())


@pytest.fixture(scope="module")
def expected() -> list[dict[str, object]]:
    return findings()


def test_the_default_policy_runs_nothing_outside_the_calling_thread(monkeypatch, capfd):
    """Every way a device could start is watched: a thread start, a fork, a collector switch."""
    assert current_policy() is IN_PROCESS
    started: list[str] = []
    real_start = threading.Thread.start

    def start(thread: threading.Thread) -> None:
        started.append(thread.name)
        real_start(thread)

    def refuse(*args: object) -> None:
        raise AssertionError("the library touched the process")

    monkeypatch.setattr(threading.Thread, "start", start)
    monkeypatch.setattr(os, "fork", refuse)
    for name in ("disable", "enable", "freeze", "unfreeze"):
        monkeypatch.setattr(gc, name, refuse)
    before, threads = _gc_state(), threading.active_count()
    study = qualgraph.load(STUDY, base=BASE)
    report = study.validate()
    study.query("codebook")
    study.export("turtle")
    assert started == []
    assert _gc_state() == before and threading.active_count() == threads
    assert multiprocessing.active_children() == []
    assert capfd.readouterr() == ("", "")
    assert len(report.findings) == 4


def test_gc_state_and_thread_count_are_unchanged_even_under_the_fast_policy(expected):
    before, threads = _gc_state(), threading.active_count()
    with FAST.active():
        got = findings()
    assert got == expected
    assert _gc_state() == before and threading.active_count() == threads
    assert current_policy() is IN_PROCESS


def test_same_report_in_a_thread_rich_process(expected):
    stop = threading.Event()
    busy = [threading.Thread(target=stop.wait, daemon=True) for _ in range(16)]
    for thread in busy:
        thread.start()
    try:
        assert findings() == expected
    finally:
        stop.set()
        for thread in busy:
            thread.join()


def test_same_report_inside_a_pool_worker(expected):
    """A Pool's workers are daemonic: they may not start processes of their own."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(findings, (str(STUDY),)) == expected


def test_same_report_under_the_spawn_start_method(expected):
    """macOS and Windows start processes with spawn: a fresh interpreter imports qualgraph."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(findings, (str(STUDY),)) == expected


def test_a_policy_is_scoped_to_its_block_and_thread():
    seen: list[object] = []
    with FAST.active():
        assert current_policy() is FAST
        other = threading.Thread(target=lambda: seen.append(current_policy()))
        other.start()
        other.join()
    assert seen == [IN_PROCESS]  # another thread of the host keeps the default
    assert current_policy() is IN_PROCESS
    assert qualgraph.ExecutionPolicy.fast() is FAST


def test_the_command_line_runs_under_the_fast_policy_and_gives_it_back(tmp_path, monkeypatch):
    """`qualgraph validate` turns the devices on for its own run only; the host's state is back
    afterwards (CliRunner runs it inside this process)."""
    from click.testing import CliRunner

    from qualgraph.cli import CLI_POLICY, main
    from qualgraph.shacl import engine

    seen: list[object] = []
    real_run = engine.OxigraphEngine.run

    def run(self: engine.OxigraphEngine, specs: object) -> object:
        seen.append(current_policy())
        return real_run(self, specs)

    monkeypatch.setattr(engine.OxigraphEngine, "run", run)
    monkeypatch.chdir(tmp_path)
    before, threads = _gc_state(), threading.active_count()
    done = CliRunner().invoke(main, ["validate", str(STUDY), "--base", BASE, "-f", "json"])
    assert done.exit_code == 0, done.output
    assert seen == [CLI_POLICY] and CLI_POLICY is FAST
    assert current_policy() is IN_PROCESS
    assert _gc_state() == before and threading.active_count() == threads
