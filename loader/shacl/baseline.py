"""A baseline: the findings a study accepts for now, so that CI fails only on new ones.

A real study starts with hundreds of findings its authors cannot fix overnight (707 ungrounded
model claims in the first one). Like ruff's and mypy's baselines, the file records today's
findings; a later run fails only on findings it does not record, and says which recorded ones
are gone, so the file can be tightened.

A finding is recognised by its fingerprint, which leaves the line out: editing a trace above a
finding moves it, and it must stay the same finding. A SHACL result is its rule, file, focus
node and value; a loader diagnostic (no focus) is its code, file and message with the line
numbers it cites taken out. Equal fingerprints are counted, not merged: a second identical
finding is new.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qualgraph.errors import InputError
from qualgraph.shacl.report import Finding

FORMAT_KEY = "qualgraph-baseline"
VERSION = 1
_LINE_REFERENCE = re.compile(r"(:\d+\b)|(\bline \d+)")


def fingerprint(finding: Finding) -> str:
    """What stays the same when lines move: rule + file + focus + value (or the message)."""
    parts: tuple[str, ...]
    if finding.focus is not None:
        parts = (finding.rule, finding.file or "", finding.focus, finding.value or "")
    else:
        message = _LINE_REFERENCE.sub(lambda m: ":" if m[1] else "line", finding.message)
        parts = (finding.rule, finding.file or "", message)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Entry:
    """One recorded finding: its fingerprint, and enough to tell a person which one it was."""

    fingerprint: str
    rule: str
    file: str | None
    description: str

    def describe(self) -> str:
        return f"{self.file or '(study)'}: {self.rule}: {self.description}"


@dataclass(frozen=True)
class Comparison:
    """A run's findings against a baseline: the new ones (they fail), how many were recorded
    (suppressed), and the recorded entries no finding matches any more."""

    new: tuple[Finding, ...]
    suppressed: int
    gone: tuple[Entry, ...]


def entry(finding: Finding) -> Entry:
    description = (
        f"focus {finding.focus}" + (f" value {finding.value}" if finding.value else "")
        if finding.focus
        else finding.message
    )
    return Entry(fingerprint(finding), finding.rule, finding.file, description)


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Record `findings` in `path` (sorted, so the file diffs well); the number recorded."""
    entries = sorted(
        (entry(f) for f in findings), key=lambda e: (e.file or "", e.rule, e.description)
    )
    document = {
        FORMAT_KEY: VERSION,
        "findings": [
            {"fingerprint": e.fingerprint, "file": e.file, "rule": e.rule, "what": e.description}
            for e in entries
        ],
    }
    try:
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write the baseline: {exc.strerror}") from exc
    return len(entries)


def read_baseline(path: Path) -> tuple[Entry, ...]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the baseline: {exc.strerror}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a qualgraph baseline (not JSON: {exc})") from exc
    if not isinstance(document, dict) or document.get(FORMAT_KEY) != VERSION:
        raise InputError(
            f'{path}: not a qualgraph baseline (no "{FORMAT_KEY}": {VERSION}); '
            "write one with --write-baseline"
        )
    try:
        return tuple(
            Entry(item["fingerprint"], item["rule"], item["file"], item["what"])
            for item in document["findings"]
        )
    except (KeyError, TypeError) as exc:
        raise InputError(f"{path}: a baseline entry lacks {exc}") from exc


def compare(findings: Iterable[Finding], baseline: Iterable[Entry]) -> Comparison:
    """Match findings to recorded entries by fingerprint, each entry at most once."""
    recorded = list(baseline)
    left = Counter(e.fingerprint for e in recorded)
    new = []
    suppressed = 0
    for f in findings:
        key = fingerprint(f)
        if left[key] > 0:
            left[key] -= 1
            suppressed += 1
        else:
            new.append(f)
    gone = []
    for e in recorded:
        if left[e.fingerprint] > 0:
            left[e.fingerprint] -= 1
            gone.append(e)
    return Comparison(tuple(new), suppressed, tuple(gone))
