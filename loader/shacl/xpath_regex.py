"""sh:pattern is an XPath regular expression (XPath functions 3.1, 5.6): translated to the
`regex` module, which has Unicode properties and blocks (`\\p{Lu}`, `\\p{IsBasicLatin}`) that
Python's `re` lacks. A pattern or flag that cannot be translated is refused, never guessed.

Differences handled: flags i, m, s, x, q (x drops whitespace outside character classes, q reads
the pattern literally); `\\i` / `\\c` (XML name characters) and their negations; `\\p{IsBlock}`;
`$` ends the string only, unless m is given (Python's also matches before a final newline).
Back-references, `\\d` and the rest mean the same in both.
"""

from __future__ import annotations

from functools import cache

import regex

_NAME_START = (
    r":A-Z_a-z\xC0-\xD6\xD8-\xF6\xF8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
    r"\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
)
_NAME = _NAME_START + r"\-.0-9\xB7\u0300-\u036F\u203F-\u2040"
_ESCAPES = {
    "i": (f"[{_NAME_START}]", _NAME_START),
    "I": (f"[^{_NAME_START}]", None),
    "c": (f"[{_NAME}]", _NAME),
    "C": (f"[^{_NAME}]", None),
}
_FLAGS = {"i": regex.IGNORECASE, "m": regex.MULTILINE, "s": regex.DOTALL}


class PatternError(ValueError):
    """A pattern or flags string that is not a valid (or not a translatable) XPath regex."""


@cache
def compile_pattern(pattern: str, flags: str = "") -> regex.Pattern[str]:
    """The compiled regex for an XPath pattern and flags string."""
    unknown = set(flags) - set("imsxq")
    if unknown:
        raise PatternError(f"unknown regular-expression flag(s) {''.join(sorted(unknown))!r}")
    options = regex.VERSION0
    for letter in flags:
        options |= _FLAGS.get(letter, 0)
    if "q" in flags:
        return regex.compile(regex.escape(pattern), options)
    try:
        return regex.compile(_translate(pattern, "x" in flags, "m" in flags), options)
    except regex.error as exc:
        raise PatternError(f"not a valid regular expression: {exc}") from exc


def _translate(pattern: str, extended: bool, multiline: bool) -> str:
    out: list[str] = []
    in_class = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 >= len(pattern):
                raise PatternError("the pattern ends with a lone backslash")
            escaped = pattern[i + 1]
            if escaped in _ESCAPES:
                outside, inside = _ESCAPES[escaped]
                if in_class and inside is None:
                    raise PatternError(f"\\{escaped} inside a character class is not supported")
                out.append(
                    (inside if in_class else outside) or ""
                )  # None only in a class, refused above
                i += 2
                continue
            if escaped in "pP" and pattern.startswith("{Is", i + 2):
                end = pattern.find("}", i)
                if end < 0:
                    raise PatternError("an unclosed \\p{...}")
                out.append(f"\\{escaped}{{In{pattern[i + 5 : end]}}}")
                i = end + 1
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[":
            in_class += 1
        elif char == "]" and in_class:
            in_class -= 1
        elif extended and not in_class and char in " \t\n\r":
            i += 1
            continue
        elif char == "$" and not in_class and not multiline:
            out.append(r"\Z")
            i += 1
            continue
        elif char == "#" and not in_class:
            out.append(r"\#")  # a literal in XPath; VERSION0 treats it as one too, kept explicit
            i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out)
