"""Print time and peak memory on hostile input: one huge trace, and thousands of undefined names.

Run from the repository root: .venv/bin/python -m benchmarks.bench_hostile [--mb 50] [--names 10000]

Each command runs as its own `qualgraph` process, so its peak resident memory (from the
kernel's rusage of that one child) is its own. The memory budget (docs/design.md, "Hardening")
is checked per MB of input: the figures say how far from it each command is.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import ROOT

SEED = ROOT / "seeds" / "000_09b85b6d370d55bc.txt"
QUALGRAPH = Path(sys.executable).parent / "qualgraph"
BUDGET_MB_PER_INPUT_MB = {"validate": 60, "export": 120}
"""Peak resident memory allowed per MB of trace text (docs/design.md, "Hardening")."""


def huge_trace(path: Path, megabytes: float) -> float:
    """The seed trace with its coding part repeated up to `megabytes` MB; the size written."""
    head, coding = SEED.read_text().split("# coding\n", 1)
    target = int(megabytes * 1_000_000)
    repeats = max(1, (target - len(head)) // len(coding.encode()))
    path.write_text(head + "# coding\n" + coding * repeats)
    return path.stat().st_size / 1e6


def undefined_names_study(folder: Path, names: int, per_trace: int = 100) -> None:
    """`names` defined codes and `names` misspelt mentions of them (one letter changed, so each
    needs a suggestion), `per_trace` of each per trace."""
    head = SEED.read_text().split("# coding\n", 1)[0]
    for trace in range(names // per_trace):
        codes = [f"code_{trace}_{n}_{'abcdefghij'[n % 10]}" for n in range(per_trace)]
        defined = "\n".join(f'    {c} = CClass(practice, "{c}")' for c in codes)
        misspelt = ", ".join(c[:-1] + "z" for c in codes)
        text = head.replace("\n25\n", f"\n{trace + 1}\n", 1) + (
            f"# coding\n\n> A quote.\n\n**OPEN CODING TRACE:**\nNew option: {misspelt}\n\n"
            f"**AXIAL CODING TRACE:**\nadded:\n``` python\n{defined}\n```\n"
        )
        (folder / f"s_{trace + 1}.md").write_text(text)


def run(label: str, args: list[str], input_mb: float | None = None) -> None:
    """Run `qualgraph ARGS`, print its wall time and peak resident memory."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen([str(QUALGRAPH), *args], stdout=sink, stderr=sink)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    peak = usage.ru_maxrss / 1024  # kB on Linux
    line = (
        f"{label:<44} exit {os.waitstatus_to_exitcode(status)} {elapsed:7.1f} s {peak:8.0f} MB peak"
    )
    command = args[0]
    if input_mb and command in BUDGET_MB_PER_INPUT_MB:
        budget = BUDGET_MB_PER_INPUT_MB[command] * input_mb
        line += f" ({peak / input_mb:5.1f} MB per input MB; budget {budget:.0f} MB)"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=50.0, help="size of the huge trace")
    parser.add_argument("--names", type=int, default=10_000, help="undefined names")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "huge"
        folder.mkdir()
        size = huge_trace(folder / "s_25.md", args.mb)
        base = ["--base", "http://example.org/bench/", "--no-model"]
        run(f"validate, one {size:.0f} MB trace", ["validate", str(folder), *base], size)
        for fmt in ("turtle", "ntriples"):
            run(
                f"export {fmt}, one {size:.0f} MB trace",
                ["export", str(folder), "-f", fmt, *base],
                size,
            )
        names = Path(tmp) / "names"
        names.mkdir()
        undefined_names_study(names, args.names)
        run(f"load, {args.names} undefined names", ["load", str(names), "--no-model"])


if __name__ == "__main__":
    main()
