"""Time every named query through qualgraph's query path and directly on pyoxigraph.

Run from the repository root: .venv/bin/python -m benchmarks.bench_query [--sizes 10000]

Both paths run the same text with the same bindings on the same in-memory store. The qualgraph
path (`qualgraph.query.named.run`) adds the SERVICE/parameter checks, the lookup of `code`
parameters and the conversion of every value to an rdflib term; pyoxigraph only materialises
its own terms. Times are the best of --repeat warm runs. "parse" is the one-time cost of reading a
query with rdflib's parser (cached per query text). Target: qualgraph within 2x of pyoxigraph.

The synthetic study comes from benchmarks/synthetic.py: the seed and two fixture traces
replicated under new ids (the real study as template would need tens of GB). Its graph is
emitted in chunks of traces and streamed into the store: emit is per trace apart from the
codebook, which every chunk repeats identically, so the store holds the same triples as one
emit of the whole study without an rdflib graph of millions of triples in memory.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from benchmarks.synthetic import DEFAULT_TEMPLATES, ROOT, make_study
from qualgraph.query.named import check, named_queries, run
from qualgraph.rdf.emit import emit
from qualgraph.rdf.terms import to_ox
from qualgraph.study.load import load_study

CORPUS = ROOT.parent / "shared" / "corpus" / "data-as-a-product"
FIXTURE = ROOT / "tests" / "fixtures" / "query-study"
TEMPLATES = (*DEFAULT_TEMPLATES, FIXTURE / "s_1.md", FIXTURE / "s_2.md")
"""The seed, and two fixture traces that add decisions, impacts and relations to the mix."""
PARAMETERS = {"evidence": {"code": "end_to_end"}}
CHUNK = 500
LINE = "{:<18} {:>7} {:>13} {:>14} {:>6} {:>9}"


def build_store(paths: list[Path]) -> tuple[ox.Store, int]:
    """The study's graph in an Oxigraph store, and the number of traces."""
    study = load_study(paths).study
    parts = (
        [study]  # the model's emission depends on every trace: emit it whole
        if study.model is not None
        else [
            replace(study, traces=study.traces[i : i + CHUNK])
            for i in range(0, len(study.traces), CHUNK)
        ]
    )
    store = ox.Store()
    for part in parts:
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in emit(part))
    return store, len(study.traces)


def best(action: Callable[[], object], repeat: int) -> float:
    """Milliseconds of the fastest of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def direct(store: ox.Store, text: str, values: dict[str, str]) -> list[tuple[object, ...]]:
    """The query on pyoxigraph alone, with the same bindings as the qualgraph path uses."""
    substitutions = {ox.Variable(name): ox.Literal(value) for name, value in values.items()}
    return [tuple(solution) for solution in store.query(text, substitutions=substitutions or None)]


def measure(label: str, paths: list[Path], repeat: int) -> None:
    start = time.perf_counter()
    store, traces = build_store(paths)
    built = time.perf_counter() - start
    print(f"\n{label}: {traces} traces, {len(store)} triples, built in {built:.1f}s")
    print(LINE.format("query", "rows", "qualgraph ms", "pyoxigraph ms", "ratio", "parse ms"))
    for name, query in named_queries().items():
        values = PARAMETERS.get(name, {})
        check.cache_clear()
        parse = best(partial(check, query.text), 1)
        rows = run(store, query, values)  # warm-up; also checks both paths agree on the row count
        assert len(rows.rows) == len(direct(store, query.text, values)), name
        ours = best(partial(run, store, query, values), repeat)
        theirs = best(partial(direct, store, query.text, values), repeat)
        numbers = (f"{ours:.1f}", f"{theirs:.1f}", f"{ours / theirs:.2f}", f"{parse:.1f}")
        print(LINE.format(name, len(rows.rows), *numbers))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if (CORPUS / "traces").is_dir():
        measure("data-as-a-product (real)", [CORPUS / "traces"], args.repeat)
    else:
        print("data-as-a-product: ../shared/corpus not present, skipped")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            make_study(Path(tmp), size, TEMPLATES)
            measure(f"synthetic x{size}", [Path(tmp)], args.repeat)


if __name__ == "__main__":
    main()
