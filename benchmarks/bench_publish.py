"""Time the publications on the real study: gathering them, each table format, the design
document and each diagram format.

Run from the repository root: .venv/bin/python -m benchmarks.bench_publish [--repeat 5]

Loading the study is timed apart (it is `load`'s cost, see bench_load); the rest is what the
`tables`, `design` and `diagram` commands add to it. Times are the best of --repeat runs. SVG
is timed only when Graphviz's `dot` is installed (it runs `dot` once per view).
"""

from __future__ import annotations

import argparse
import shutil
import time
from collections.abc import Callable

from benchmarks.synthetic import ROOT
from qualgraph.outputs.design_doc import design_document
from qualgraph.outputs.diagrams import render, views
from qualgraph.outputs.paper_tables import render as render_tables
from qualgraph.outputs.publication import publication
from qualgraph.study.load import load_study

CORPUS = ROOT.parent / "shared" / "corpus" / "data-as-a-product"


def best(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not (CORPUS / "traces").is_dir():
        print(f"{CORPUS} is not present: nothing to time")
        return
    start = time.perf_counter()
    loaded = load_study([CORPUS / "traces"])
    print(f"load the study                {time.perf_counter() - start:8.3f} s")
    pub = publication(loaded)
    made, _ = views(pub)
    rows: list[tuple[str, Callable[[], object]]] = [
        ("gather the publication", lambda: publication(loaded)),
        *(
            (f"tables -f {fmt}", lambda fmt=fmt: render_tables(pub, fmt))
            for fmt in ("latex", "markdown", "csv")
        ),
        ("design document", lambda: design_document(pub)),
        ("views", lambda: views(pub)),
        *(
            (
                f"diagram -f {fmt} ({len(made)} views)",
                lambda fmt=fmt: [render(v, fmt) for v in made],
            )
            for fmt in ("plantuml", "mermaid", "dot")
        ),
    ]
    if shutil.which("dot"):
        rows.append(
            (f"diagram -f svg ({len(made)} views)", lambda: [render(v, "svg") for v in made])
        )
    for label, action in rows:
        repeat = 1 if "svg" in label else args.repeat
        print(f"{label:<30}{best(action, repeat):8.3f} s")


if __name__ == "__main__":
    main()
