"""Print push figures: a synthetic study (default 1,000 traces) pushed to a real `oxigraph serve`
on a free loopback port, in chunks, with wall time and the command's peak memory, beside the
same study's `export` for comparison (a push should cost about what an export costs).

Run from the repository root: .venv/bin/python -m benchmarks.bench_push [--sizes 1000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import FIXTURE_TEMPLATES, make_study
from tests.servers import OxigraphServer, oxigraph_binary

QUALGRAPH = [sys.executable, "-m", "qualgraph"]


_PEAK = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)
"""Runs a command and reports its own peak memory: a process's RUSAGE_CHILDREN is the peak of
the largest child it waited for, so each measured command gets a parent of its own."""


def run_measured(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak resident MB of the command (Linux reports KB), its standard output."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return seconds, int(done.stderr.splitlines()[-1]) / 1024, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000])
    args = parser.parse_args()
    binary = oxigraph_binary()
    if binary is None:
        raise SystemExit("oxigraph serve is not installed: pip install oxigraph")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / f"synthetic-{size}"
            make_study(folder, size, FIXTURE_TEMPLATES)
            server = OxigraphServer(binary, Path(tmp) / "store")
            server.start()
            try:
                export_s, export_mb, _ = run_measured(
                    [*QUALGRAPH, "export", str(folder), "-f", "ntriples", "-o", f"{tmp}/s.nt"]
                )
                push_s, push_mb, out = run_measured(
                    [*QUALGRAPH, "push", str(folder), "--endpoint", server.url]
                )
                graph = "https://w3id.org/qualgraph/study/" + folder.name
                stored = server.count(graph)
            finally:
                server.stop()
            print(f"{size} traces: {out.strip()}")
            print(f"  on the server: {stored} triples in <{graph}>")
            print(f"  push   {push_s:6.1f} s  peak {push_mb:7.0f} MB (load, emit, stream)")
            print(f"  export {export_s:6.1f} s  peak {export_mb:7.0f} MB (load, emit, sort, write)")


if __name__ == "__main__":
    main()
