"""Shared pytest fixtures: named paths to the seed, the fixtures and the optional real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_09b85b6d370d55bc.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus" / "data-as-a-product"


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real data-as-a-product study; tests that need it skip cleanly when it is absent."""
    if not (CORPUS / "traces").is_dir():
        pytest.skip("../shared/corpus/data-as-a-product is not present")
    return CORPUS


@pytest.fixture
def fast_policy():
    """The test runs under the command line's execution policy (every speed device on)."""
    from qualgraph.runtime.policy import FAST

    with FAST.active():
        yield FAST
