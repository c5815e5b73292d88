"""Tolerant splitting and repair of hand-written python, so `interpret` can read what
researchers meant without ever running it.

Axial blocks are often not valid python (indented bodies, a missing `}` or comma, a string
broken across lines). `parse_whole` tries the block as written and dedented; when that fails,
`split` cuts the lines into candidate statements by bracket depth, open strings and `\\`
continuations, and `parse_span` parses each one, repairing it if needed. Repairs edit within
lines (closers still missing at the end go on an added last line), so the statement's lines
keep their numbers. Scanning is linear and iterative: huge or deeply nested input is kept
verbatim, never recursed into.
"""

from __future__ import annotations

import ast
import io
import keyword
import re
import textwrap
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

MAX_REPAIR_CHARS = 65_536  # larger spans are not repaired: each attempt re-parses the span
MAX_ATTEMPTS = 12  # repairs per span, so a pathological span costs a bounded number of parses

_SIGNIFICANT = re.compile(r"'''|\"\"\"|[\"'#()\[\]{}]")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_NEW_STATEMENT = re.compile(
    r"""\s*(?:add_\w*\s*[({]                            # add_…( and the swapped add_…{(
         | [^\W\d]\w*\.add_links\s*\(                   # y.add_links(
         | [^\W\d]\w*\s*=\s*(?:CClass?\s*\(|\\\s*$))    # x = CClass( and x = \
    """,
    re.VERBOSE,
)
_NEW_ASSIGNMENT = re.compile(r"\s*[^\W\d]\w*\s*=(?!=)")  # x = …, at the statement's indent
_COMMA_HINT = "Perhaps you forgot a comma?"


@dataclass(frozen=True)
class Parsed:
    """The outcome of parsing one text: a tree, or the first syntax error and where it is
    (`where` = line, column, end line, end column; lines 1-based and relative to the text)."""

    tree: ast.Module | None
    source: str  # the text the tree was parsed from (after dedent or repairs)
    repairs: tuple[str, ...] = ()
    error: str | None = None
    where: tuple[int, int, int, int] = (0, 0, 0, 0)
    warnings: tuple[tuple[int, str], ...] = ()
    """Python's own SyntaxWarnings (`1if x`), as (line, message): reported, never printed."""


@dataclass(frozen=True)
class LineScan:
    """What one line leaves open: bracket events `(column, char)`, an open string, a `\\`."""

    events: tuple[tuple[int, str], ...]
    string: str | None
    continued: bool
    code: str  # the line up to a comment


def parse(text: str) -> Parsed:
    """`ast.parse` that reports instead of raising, whatever the input."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tree = ast.parse(text.replace("\r", " "))
        found = tuple(
            (w.lineno, str(w.message)) for w in caught if issubclass(w.category, SyntaxWarning)
        )
        return Parsed(tree, text, warnings=found)
    except SyntaxError as err:
        line, column = err.lineno or 1, max(0, (err.offset or 1) - 1)
        end = (err.end_lineno or line, max(0, (err.end_offset or 1) - 1))
        message = f"{type(err).__name__}: {err.msg or 'invalid syntax'}"
        return Parsed(None, text, error=message, where=(line, column, *end))
    except (ValueError, RecursionError, MemoryError) as err:
        return Parsed(None, text, error=f"{type(err).__name__}: {err}", where=(1, 0, 1, 0))


def parse_whole(code: str) -> Parsed | None:
    """The block as written, then dedented; `None` when neither parses.

    A block whose first line of code is indented (most are, under their label) cannot parse as
    written ("unexpected indent"), so only its dedented form is tried: a failed parse raises,
    and costs twice what a successful one does."""
    first = next((line for line in code.split("\n") if line.strip()[:1] not in ("", "#")), "")
    for text in (code, textwrap.dedent(code))[1 if first[:1] in (" ", "\t") else 0 :]:
        parsed = parse(text)
        if parsed.tree is not None:
            return parsed
    return None


def scan_line(line: str, string: str | None) -> LineScan:
    """Bracket events of `line`, skipping strings and comments; `string` is the delimiter of a
    string left open by the previous line. An unterminated one-quote string ends at the line
    end unless the line ends with `\\`."""
    events: list[tuple[int, str]] = []
    pos, code_end = 0, len(line)
    while True:
        if string:
            end = _string_end(line, pos, string)
            if end < 0:
                keep = len(string) == 3 or line.endswith("\\")
                return LineScan(tuple(events), string if keep else None, False, line)
            pos, string = end, None
            continue
        match = _SIGNIFICANT.search(line, pos)
        if not match:
            break
        token, pos = match.group(), match.end()
        if token == "#":
            code_end = match.start()
            break
        if token in ("'''", '"""', "'", '"'):
            string = token
        else:
            events.append((match.start(), token))
    code = line[:code_end]
    return LineScan(tuple(events), None, code.rstrip().endswith("\\"), code)


def _string_end(line: str, pos: int, delimiter: str) -> int:
    """Index just after the unescaped `delimiter` at or after `pos`, or -1."""
    while (found := line.find(delimiter, pos)) >= 0:
        backslashes = len(line[pos:found]) - len(line[pos:found].rstrip("\\"))
        if backslashes % 2 == 0:
            return found + len(delimiter)
        pos = found + 1
    return -1


def split(lines: list[str]) -> Iterator[tuple[int, int]]:
    """Yield (first, last) line indexes of each statement or full-line comment; blank lines
    belong to nothing. A statement runs while a bracket, a string or a `\\` stays open, or
    while a `...:` header has an indented body, and stops before a line that clearly starts a
    new statement, so one missing bracket costs one statement."""
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped:
            index += 1
        elif stripped.startswith("#"):
            yield index, index
            index += 1
        else:
            last = _statement_end(lines, index)
            yield index, last
            index = last + 1


def _statement_end(lines: list[str], first: int) -> int:
    indent = _indent(lines[first])
    scan = scan_line(lines[first], None)
    depth = _depth(0, scan.events)
    header = depth == 0 and not scan.string and scan.code.rstrip().endswith(":")
    last = first
    for index in range(first + 1, len(lines)):
        line = lines[index]
        if scan.string or scan.continued:
            pass
        elif depth > 0:
            if _starts_statement(line, indent):
                break
        elif not (header and (not line.strip() or _indent(line) > indent)):
            break
        scan = scan_line(line, scan.string)
        depth = _depth(depth, scan.events)
        if line.strip():
            last = index
    return last


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _depth(depth: int, events: tuple[tuple[int, str], ...]) -> int:
    """Net bracket depth, whatever the bracket kinds: mismatches are the repair's business."""
    for _, char in events:
        depth = depth + 1 if char in _OPENERS else max(0, depth - 1)
    return depth


def _starts_statement(line: str, indent: int) -> bool:
    if _NEW_STATEMENT.match(line):
        return True
    return _indent(line) <= indent and _NEW_ASSIGNMENT.match(line) is not None


def span_text(lines: list[str], first: int, last: int) -> str:
    """The statement's text with the first line's own indentation removed."""
    return "\n".join([lines[first].lstrip(), *lines[first + 1 : last + 1]])


def parse_span(text: str) -> Parsed:
    """Parse one statement, repairing it if needed: join a string broken by a newline, insert
    the comma CPython suggests, rebalance brackets, as the errors ask, a bounded number of
    times. On failure the result carries the first error and the text as written."""
    first = parse(text)
    if first.tree is not None or len(text) > MAX_REPAIR_CHARS:
        return first
    lines, repairs, current = text.split("\n"), [], first
    for _ in range(MAX_ATTEMPTS):
        repair = _join_broken_string(lines, current) or _insert_comma(lines, current)
        if repair is None and "rebalanced brackets" not in repairs:
            repair = _rebalance(lines)
        if repair is None:
            break
        repairs.append(repair)
        current = parse("\n".join(lines))
        if current.tree is not None:
            repaired = tuple(dict.fromkeys(repairs))
            return Parsed(current.tree, current.source, repaired, warnings=current.warnings)
    return first


def _join_broken_string(lines: list[str], parsed: Parsed) -> str | None:
    """`"https://…` / `",`: join the next line onto the unterminated one, leaving it empty."""
    row, column = parsed.where[0] - 1, parsed.where[1]
    if "unterminated string literal" not in (parsed.error or "") or row + 1 >= len(lines):
        return None
    left, right = lines[row].rstrip(), lines[row + 1].lstrip()
    opening = re.search(r"['\"]", lines[row][column:])
    glue = "" if opening and right.startswith(opening.group()) else " "
    lines[row], lines[row + 1] = left + glue + right, ""
    return "joined a string literal broken across lines"


def _insert_comma(lines: list[str], parsed: Parsed) -> str | None:
    """Insert the comma CPython asks for between two adjacent expressions."""
    if _COMMA_HINT not in (parsed.error or ""):
        return None
    line, column, end_line, end_column = parsed.where
    position = _expression_boundary("\n".join(lines), (line, column), (end_line, end_column))
    if position is None:
        return None
    row, col = position[0] - 1, position[1]
    lines[row] = lines[row][:col] + "," + lines[row][col:]
    return "inserted a missing comma"


def _expression_boundary(
    text: str, start: tuple[int, int], end: tuple[int, int]
) -> tuple[int, int] | None:
    """End of the first expression in [start, end) that is directly followed by another."""
    previous, depth = None, 0
    for token in _tokens(text):
        if token.start < start or token.type in _LAYOUT:
            continue
        if token.start >= end:
            break
        if previous is not None and depth == 0 and _ends(previous) and _begins(token):
            return previous.end
        if token.type == tokenize.OP and token.string in _OPENERS:
            depth += 1
        elif token.type == tokenize.OP and token.string in _CLOSERS:
            depth = max(0, depth - 1)
        previous = token
    return None


_LAYOUT = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


def _tokens(text: str) -> Iterator[tokenize.TokenInfo]:
    """Tokens up to wherever the tokenizer gives up (open brackets at the end, bad indents)."""
    try:
        yield from tokenize.generate_tokens(io.StringIO(text).readline)
    except (tokenize.TokenError, SyntaxError):
        return


def _ends(token: tokenize.TokenInfo) -> bool:
    if token.type == tokenize.NAME:
        return not keyword.iskeyword(token.string) or token.string in ("True", "False", "None")
    return token.type in (tokenize.NUMBER, tokenize.STRING) or token.string in _CLOSERS


def _begins(token: tokenize.TokenInfo) -> bool:
    return _ends(token) and token.string not in _CLOSERS or token.string == "{"


def _rebalance(lines: list[str]) -> str | None:
    """Insert missing closers before a mismatched closer, drop stray closers and close what is
    still open on an added last line; `None` when the brackets already balance."""
    stack: list[str] = []
    edits: list[tuple[int, int, str, int]] = []  # (row, column, inserted text, deleted chars)
    string = None
    for row, line in enumerate(lines):
        scan = scan_line(line, string)
        string = scan.string
        for col, char in scan.events:
            if char in _OPENERS:
                stack.append(char)
            elif stack and stack[-1] == _CLOSERS[char]:
                stack.pop()
            elif _CLOSERS[char] in stack:
                missing = ""
                while stack[-1] != _CLOSERS[char]:
                    missing += _OPENERS[stack.pop()]
                stack.pop()
                edits.append((row, col, missing, 0))
            else:
                edits.append((row, col, "", 1))
    if not edits and not stack:
        return None
    for row, col, inserted, deleted in sorted(edits, reverse=True):
        lines[row] = lines[row][:col] + inserted + lines[row][col + deleted :]
    if stack:
        lines.append("".join(_OPENERS[char] for char in reversed(stack)))
    return "rebalanced brackets"
