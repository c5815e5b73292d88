"""Print load figures (traces/s, triples/s) for the seed, the real study and synthetic studies.

Run from the repository root: .venv/bin/python -m benchmarks.bench_load [--sizes 1000 10000]
Loading must stay linear in the number of traces: compare traces/s across sizes.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import FIXTURE_TEMPLATES, ROOT, make_study
from qualgraph.rdf.emit import emit_ntriples
from qualgraph.rdf.export import serialize
from qualgraph.study.load import load_study

CORPUS = ROOT.parent / "shared" / "corpus" / "data-as-a-product"


def measure(label: str, paths: list[Path]) -> None:
    start = time.perf_counter()
    loaded = load_study(paths)
    loaded_at = time.perf_counter()
    triples = emit_ntriples(loaded.study)
    emitted_at = time.perf_counter()
    turtle = serialize(triples, "turtle")
    done = time.perf_counter()
    traces = len(loaded.study.traces)
    count = len(triples)
    build = emitted_at - start
    print(
        f"{label:<28} {traces:>6} traces {count:>9} triples | "
        f"load {loaded_at - start:6.2f}s emit {emitted_at - loaded_at:6.2f}s "
        f"turtle {done - emitted_at:6.2f}s ({len(turtle) / 1e6:.1f} MB) | "
        f"{traces / build:8.0f} traces/s {count / build:9.0f} triples/s (load+emit)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    measure("seed", [ROOT / "seeds"])
    if (CORPUS / "traces").is_dir():
        measure("data-as-a-product (real)", [CORPUS / "traces"])
    else:
        print("data-as-a-product: ../shared/corpus not present, skipped")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            make_study(Path(tmp), size, FIXTURE_TEMPLATES)
            measure(f"synthetic x{size}", [Path(tmp)])


if __name__ == "__main__":
    main()
