"""Print SHACL engine figures: the W3C suite's time per engine, and the real study's
`qualgraph validate` time for this tree and an earlier revision, paired.

The suite (../shared/w3c-shacl-tests) is validated test by test as tests/test_w3c_shacl.py does
(shapes and data parsed beforehand, not timed). The real study (../shared/corpus) is validated
by the console command, alternating the two trees run by run so that a busy machine slows both
alike; the earlier revision is exported with `git archive` into a temporary folder.

Run from the repository root: .venv/bin/python -m benchmarks.bench_shacl [--before REV]
[--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import ROOT
from tests.w3c_suite import SUITE, cases, expected, parse, run

CORPUS = ROOT.parent / "shared" / "corpus" / "data-as-a-product"


def suite() -> None:
    if not (SUITE / "tests" / "manifest.ttl").is_file():
        print(f"the W3C suite is not at {SUITE}: skipped")
        return
    found = cases()
    for case in found:  # parse every file first: the engines are timed, not rdflib's parser
        parse(case.file), parse(case.data), parse(case.shapes), expected(case)
    for engine in ("oxigraph", "pyshacl"):
        start = time.perf_counter()
        outcomes = [run(case, engine) for case in found]
        wall = time.perf_counter() - start
        passed = sum(o.passed for o in outcomes)
        slowest = max(outcomes, key=lambda o: o.seconds)
        print(
            f"W3C suite, {engine:<8}: {passed}/{len(found)} passed | {wall:.2f}s "
            f"(validation {sum(o.seconds for o in outcomes):.2f}s; slowest "
            f"{slowest.case.name} {slowest.seconds:.3f}s)"
        )


def paired(before: str, runs: int) -> None:
    if not (CORPUS / "traces").is_dir():
        print(f"the real study is not at {CORPUS}: skipped")
        return
    args = ["-m", "qualgraph", "validate", str(CORPUS / "traces"), str(CORPUS / "model")]
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "archive", before], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        trees = {f"before ({before})": Path(folder), "after (this tree)": ROOT}
        times: dict[str, list[float]] = {label: [] for label in trees}
        for _ in range(runs):
            for label, tree in trees.items():
                start = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, *args, "-f", "json", "-o", str(Path(folder) / "r.json")],
                    cwd=tree,
                    env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
                    capture_output=True,
                    text=True,
                )
                times[label].append(time.perf_counter() - start)
                if done.returncode not in (0, 1):
                    raise SystemExit(f"{label}: {done.stderr}")
        for label, seconds in times.items():
            print(
                f"real study validate, {label}: median {statistics.median(seconds):.2f}s "
                f"(min {min(seconds):.2f}s, {runs} runs)"
            )
        differences = [a - b for a, b in zip(*times.values(), strict=True)]
        print(f"  paired difference after - before: median {statistics.median(differences):+.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", default="c2916e6", help="the revision to compare with")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    suite()
    paired(options.before, options.runs)


if __name__ == "__main__":
    main()
