"""The import name is `qualgraph` wherever a program runs, and a built wheel carries the
ontology, shapes, queries and JSON-LD context it reads."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_import_qualgraph_beside_a_loader_py(tmp_path):
    """A notebook's own `loader.py` neither shadows nor is imported by qualgraph."""
    (tmp_path / "loader.py").write_text("raise SystemExit('the wrong loader was imported')\n")
    done = _run(
        ["-c", "import qualgraph, sys; print(qualgraph.__name__, 'loader' in sys.modules)"],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["qualgraph", "False"]
    command = _run(["-m", "qualgraph", "validate", str(SEEDS)], tmp_path)
    assert command.returncode == 0, command.stderr
    assert command.stderr.strip().splitlines()[-1].startswith("0 errors")


def test_a_built_wheel_carries_its_package_data(tmp_path):
    """Build the wheel, unpack it and run `python -m qualgraph validate` from it, elsewhere."""
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if build.returncode != 0 and "No module named" in build.stderr:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip().splitlines()[-1]}")
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("qualgraph-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    expected = {
        "qualgraph/py.typed",
        "qualgraph/ontology/qualgraph.ttl",
        "qualgraph/ontology/qualgraph.context.jsonld",
        *(f"qualgraph/shapes/{p.name}" for p in (ROOT / "shapes").glob("*.ttl")),
        *(f"qualgraph/queries/{p.name}" for p in (ROOT / "queries").glob("*.rq")),
        "qualgraph/cli/__init__.py",
        "qualgraph/shacl/engine.py",
    }
    assert expected <= names
    assert not any(name.startswith("loader/") for name in names)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "loader.py").write_text("raise SystemExit('the wrong loader was imported')\n")
    where = _run(
        [
            "-c",
            "import qualgraph.resources as r; print(r.__file__); print(r.resource_dir('shapes'))",
        ],
        elsewhere,
        PYTHONPATH=str(tmp_path / "site"),
    )
    assert where.returncode == 0, where.stderr
    module, shapes = where.stdout.split()
    assert Path(module).is_relative_to(tmp_path / "site")
    assert Path(shapes) == tmp_path / "site" / "qualgraph" / "shapes"
    command = _run(
        ["-m", "qualgraph", "validate", str(SEEDS)], elsewhere, PYTHONPATH=str(tmp_path / "site")
    )
    assert command.returncode == 0, command.stderr
    assert command.stderr.strip().splitlines()[-1].startswith("0 errors")
