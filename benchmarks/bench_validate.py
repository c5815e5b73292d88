"""Print validation figures: load, emit, store, every shape, locate and total time.

Runs on the real study (traces plus model files, when ../shared/corpus is present), timing
pySHACL there too for comparison, and on synthetic studies made by replicating the seed trace
under new source ids (benchmarks/synthetic.py).

Run from the repository root: .venv/bin/python -m benchmarks.bench_validate [--sizes 1000 10000]
[--no-pyshacl] [--shapes N]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.synthetic import ROOT, make_study
from qualgraph.rdf.emit import emit_ntriples
from qualgraph.runtime.memory import resume_gc
from qualgraph.shacl.results import ValidationReport
from qualgraph.shacl.validate import Validation
from qualgraph.study.load import load_study

CORPUS = ROOT.parent / "shared" / "corpus" / "data-as-a-product"


def measure(
    label: str, paths: list[Path], engines: tuple[str, ...], top: int
) -> dict[str, ValidationReport]:
    """Time each engine as `qualgraph validate` runs it: the validation made (the footprint
    worked out meanwhile), load, then emit while the store fills (Oxigraph), then the shapes
    and locating the results. The first engine is timed end to end from the start."""
    start = time.perf_counter()
    validations = {engine: Validation(engine=engine) for engine in engines}
    loaded = load_study(paths)
    gc.disable()  # as the CLI does after loading (cli/common.py)
    loaded_at = time.perf_counter()
    print(f"{label}: {len(loaded.study.traces)} traces | load {loaded_at - start:.2f}s")
    reports = {}
    for engine, validation in validations.items():
        began = time.perf_counter()
        triples = emit_ntriples(loaded.study, sink=validation.add)
        emitted = time.perf_counter()
        report = reports[engine] = validation.report(triples)
        took = time.perf_counter() - began
        timings = dict(report.timings)
        print(
            f"  {engine:<8} {len(triples)} triples | emit {emitted - began:.2f}s "
            f"(store filling meanwhile) | validate {took:.2f}s | end to end "
            f"{took + loaded_at - start:.2f}s | {len(report.results)} results"
        )
        if "(store)" in timings:
            print(f"    {timings.pop('(store)'):7.3f}s (store: made to filled)")
        if "(shapes)" in timings:
            print(f"    {timings.pop('(shapes)'):7.3f}s (shapes, on one thread per CPU)")
        print(f"    {timings.pop('(locate)'):7.3f}s (locate)")
        if timings:
            print(f"    {sum(timings.values()):7.3f}s all {len(timings)} shapes added up; slowest:")
            for name, seconds in sorted(timings.items(), key=lambda item: -item[1])[:top]:
                print(f"    {seconds:7.3f}s   {name}")
    resume_gc()  # as the CLI does when the command ends
    counts = Counter(r.shape_name for r in next(iter(reports.values())).results)
    for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        print(f"    {count:6d} {name}")
    if len(reports) == 2:
        fast, oracle = reports.values()
        same = {r.key() for r in fast.results} == {r.key() for r in oracle.results}
        print(f"  engines agree: {same}")
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--no-pyshacl", action="store_true", help="skip pySHACL on the real study")
    parser.add_argument(
        "--shapes", type=int, default=5, help="how many of the slowest shapes to list"
    )
    args = parser.parse_args()
    if (CORPUS / "traces").is_dir():
        engines = ("oxigraph",) if args.no_pyshacl else ("oxigraph", "pyshacl")
        measure("data-as-a-product (real, with model/)", [CORPUS / "traces"], engines, args.shapes)
    else:
        print("data-as-a-product: ../shared/corpus not present, skipped")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            make_study(Path(tmp), size)
            measure(f"synthetic x{size} (seed copies)", [Path(tmp)], ("oxigraph",), args.shapes)


if __name__ == "__main__":
    main()
