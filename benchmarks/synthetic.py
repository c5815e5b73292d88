"""Make synthetic studies of any size by replicating real trace files under new source ids.

Each copy keeps the template's text and gets a fresh number in its header, its source block
and its file name, so a study of 10,000 traces has 10,000 distinct sources whose codes resolve
across files exactly like the templates' do.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATES = (ROOT / "seeds" / "000_09b85b6d370d55bc.txt",)
FIXTURE_TEMPLATES = DEFAULT_TEMPLATES + tuple(
    sorted((ROOT / "tests" / "fixtures" / "study").glob("*.md"))
)
"""The seed plus the small fixture study: traces of a few hundred triples each."""

_KIND_LINE = re.compile(r"^# ([sp])\s*\n\s*\d+\s*\n", re.MULTILINE)
_SOURCE_VAR = re.compile(r"^(\s*)([sp]\d*) = CClass\(source, \"[sp]\d*\"", re.MULTILINE)


def renumber(text: str, number: int) -> str:
    """The trace `text` with its header number and source variable set to `number`."""
    kind = match.group(1) if (match := _KIND_LINE.search(text)) else "s"
    text = _KIND_LINE.sub(f"# {kind} \n{number}\n", text, count=1)
    return _SOURCE_VAR.sub(
        lambda m: f'{m.group(1)}{kind}{number} = CClass(source, "{kind}{number}"', text, count=1
    )


def make_study(folder: Path, n: int, templates: tuple[Path, ...] = DEFAULT_TEMPLATES) -> list[Path]:
    """Write `n` traces `s_1.md`..`s_n.md` into `folder`, cycling through `templates`."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [t.read_text(encoding="utf-8") for t in templates]
    paths = []
    for i in range(1, n + 1):
        path = folder / f"s_{i}.md"
        path.write_text(renumber(texts[(i - 1) % len(texts)], i), encoding="utf-8")
        paths.append(path)
    return paths
