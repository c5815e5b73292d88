"""The saturation plot: cumulative distinct codes over the coding order.

Each source in coding order adds the codes its quotes ground for the first time in the study
(`stats.SaturationRow`); the curve is the running total, the bars the new codes, and every
source that adds none is marked, with runs of `stats.SATURATION_RUN` or more shaded (the
study's saturation criterion). SVG or PNG by the file's suffix, drawn with matplotlib's Agg
backend so no display is needed; the SVG is the same bytes every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qualgraph.errors import QualgraphError
from qualgraph.query.stats import SATURATION_RUN, SaturationRow

PLOT_FORMATS = {".svg": "svg", ".png": "png"}


def runs_without_new_codes(rows: Sequence[SaturationRow]) -> list[tuple[int, int]]:
    """(first index, last index) of each run of sources that add no code, longest first kept."""
    runs, start = [], None
    for index, row in enumerate(rows):
        if row.new_codes == 0 and start is None:
            start = index
        elif row.new_codes != 0 and start is not None:
            runs.append((start, index - 1))
            start = None
    if start is not None:
        runs.append((start, len(rows) - 1))
    return runs


def plot_saturation(rows: Sequence[SaturationRow], path: Path, title: str = "Saturation") -> None:
    """Write the plot to `path` (.svg or .png)."""
    fmt = PLOT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QualgraphError(f"{path}: the plot is written as .svg or .png")
    if not rows:
        raise QualgraphError("no source in coding order grounds a code: nothing to plot")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    positions = list(range(1, len(rows) + 1))
    with matplotlib.rc_context({"svg.hashsalt": "qualgraph", "svg.fonttype": "none"}):
        figure, axes = plt.subplots(figsize=(max(6.0, len(rows) * 0.16), 4.0))
        try:
            axes.bar(positions, [r.new_codes for r in rows], color="#9bc7a8", label="new codes")
            axes.plot(positions, [r.codes for r in rows], color="#1e8251", label="codes so far")
            empty = [p for p, r in zip(positions, rows, strict=True) if r.new_codes == 0]
            axes.scatter(
                empty,
                [rows[p - 1].codes for p in empty],
                marker="o",
                facecolors="white",
                edgecolors="#b03a2e",
                zorder=3,
                label="no new code",
            )
            shaded = False
            for first, last in runs_without_new_codes(rows):
                if last - first + 1 >= SATURATION_RUN:
                    axes.axvspan(
                        first + 0.5,
                        last + 1.5,
                        color="#f5cba7",
                        alpha=0.5,
                        label=None if shaded else f"{SATURATION_RUN}+ sources without a new code",
                    )
                    shaded = True
            axes.set_xticks(positions)
            axes.set_xticklabels([r.source for r in rows], rotation=90, fontsize=6)
            axes.set_xlabel("sources in coding order")
            axes.set_ylabel("codes")
            axes.set_title(title)
            axes.legend(loc="upper left", fontsize=8)
            figure.tight_layout()
            try:
                figure.savefig(path, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
            except OSError as exc:
                raise QualgraphError(f"cannot write {path}: {exc.strerror}") from exc
        finally:
            plt.close(figure)
