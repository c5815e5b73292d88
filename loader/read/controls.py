"""Control characters: reported where a trace holds them, made visible where XML cannot.

Text pasted from PDFs carries form feeds and vertical tabs (the first real study's p_1.md has
both), and binary or mangled files carry NULs and ESCs. N-Triples, Turtle and JSON escape
them, but XML 1.0 cannot carry them at all, not even as character references, so RDF/XML and
JUnit outputs show each as its Unicode control picture (form feed → ␌) and loading warns at
the line, so that the change is said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qualgraph.diagnostics import Diagnostic, warning

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""Characters XML 1.0 forbids (tab, newline and carriage return are allowed)."""
MAX_REPORTED_LINES = 10  # per file; a binary file would otherwise give a warning per line

_NAMES = {0: "NUL", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "ESC", 0x7F: "DEL"}


def picture(char: str) -> str:
    """The visible stand-in of a character XML cannot carry: its control picture (␀-␟, ␡), or
    U+FFFD for the noncharacters U+FFFE and U+FFFF."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """`text` with every character XML 1.0 forbids replaced by its picture."""
    return NOT_XML.sub(lambda match: picture(match.group()), text) if NOT_XML.search(text) else text


def describe(char: str) -> str:
    code = ord(char)
    name = _NAMES.get(code)
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def find(lines: Sequence[str], file: str) -> list[Diagnostic]:
    """A warning at each line (the first `MAX_REPORTED_LINES`, then one for the rest) that holds
    a character XML outputs cannot carry."""
    found: list[Diagnostic] = []
    hits = [(n, match) for n, line in enumerate(lines, 1) if (match := NOT_XML.search(line))]
    for number, match in hits[:MAX_REPORTED_LINES]:
        char = match.group()
        message = (
            f"control character {describe(char)}: kept in the graph, shown as {picture(char)} in "
            "RDF/XML and JUnit, which cannot carry it"
        )
        found.append(warning(file, number, "control-character", message))
    if len(hits) > MAX_REPORTED_LINES:
        number = hits[MAX_REPORTED_LINES][0]
        message = f"{len(hits) - MAX_REPORTED_LINES} more lines from here hold control characters"
        found.append(warning(file, number, "control-character", message))
    return found
