"""Find and read a study's files without blocking, crashing or dropping one silently.

Studies are folders a researcher copies around: they hold dangling links, link loops, FIFOs,
folders named like files, unreadable subfolders, files saved as UTF-16 or cp1252. Every such
entry gets a diagnostic at its name and the rest of the study loads. A file is only opened
after `stat` says it is a regular file (a FIFO or `/dev/zero` would block or never end), and
then without blocking, in case it was swapped in between.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from qualgraph.diagnostics import Diagnostic, error, info, warning

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
"""Byte order marks → codec (which drops the mark) and the name a note gives the encoding."""

DECODING_CODES = frozenset({"encoding", "invalid-utf8"})
"""Diagnostics about how a file's bytes were read."""


class NotAFile(OSError):
    """The path is a folder, FIFO, device or socket: never opened."""


def clean_name(name: str) -> str:
    """`name` with bytes that were not UTF-8 (surrogate escapes of the file system) shown as
    `\\xff`, so that it can be printed, written to a graph and minted into an IRI."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file; `NotAFile` for anything else, never blocking on it."""
    what = kind_of(os.stat(path).st_mode)
    if what:
        raise NotAFile(f"{what}, not a file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if kind_of(os.fstat(handle.fileno()).st_mode):
            raise NotAFile("not a regular file")
        return handle.read()


def decode(data: bytes, name: str) -> tuple[str, tuple[Diagnostic, ...]]:
    """Text of a file's bytes: a byte order mark (UTF-8, UTF-16 LE/BE) chooses the codec, else
    UTF-8; bytes that do not decode are replaced, with a warning at their line."""
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            notes = () if codec == "utf-8-sig" else (info(name, 1, "encoding", f"read as {label}"),)
            break
    else:
        codec, label, notes = "utf-8", "UTF-8", ()
    try:
        return data.decode(codec), notes
    except UnicodeDecodeError as exc:
        text = data.decode(codec, errors="replace")
        line = data[: exc.start].decode(codec, errors="replace").count("\n") + 1
        message = f"bytes that are not {label} were replaced; save the file as UTF-8"
        return text, (*notes, warning(name, line, "invalid-utf8", message))


def read_text(path: Path, name: str) -> tuple[str, tuple[Diagnostic, ...]]:
    """`decode(read_bytes(path))`; raises OSError (`NotAFile` included) when it cannot be read."""
    return decode(read_bytes(path), name)


def unreadable(name: str, exc: OSError) -> Diagnostic:
    """The diagnostic for a file that could not be read: a note for a folder, FIFO or device
    with a file's name, an error for a file that exists but cannot be read."""
    if isinstance(exc, NotAFile):
        return info(name, 0, "skipped-file", f"{exc}: skipped")
    return error(name, 0, "unreadable", f"cannot read the file: {exc.strerror or exc}")


def walk(
    folder: Path, wanted: Callable[[str], bool], name: Callable[[Path], str]
) -> tuple[list[Path], list[Diagnostic]]:
    """Regular files under `folder` whose name is `wanted`, recursively (links to folders are
    not followed, as `Path.rglob` does not), with a diagnostic for each wanted name that is no
    readable regular file and for each subfolder that cannot be listed."""
    found: list[Path] = []
    diagnostics: list[Diagnostic] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            message = f"cannot list the folder: {exc.strerror or exc}; its files are not read"
            diagnostics.append(error(name(current), 0, "unreadable", message))
            continue
        for entry in entries:
            path = current / entry.name
            here = _joined(name(current), entry.name)  # a link's own name, not its target's
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                    if wanted(entry.name):
                        message = "a folder with a trace file's name: its files are read"
                        diagnostics.append(info(here, 0, "skipped-file", message))
                    continue
            except OSError:
                pass
            if not wanted(entry.name):
                continue
            try:
                what = kind_of(os.stat(path).st_mode)
            except OSError as exc:
                link = os.path.islink(path)
                reason = "a link to nothing" if link else exc.strerror or str(exc)
                if exc.errno == errno.ELOOP:
                    reason = "a link loop"
                diagnostics.append(info(here, 0, "skipped-file", f"{reason}: skipped"))
                continue
            if what == "a folder":
                continue  # a link to a folder: not followed, like rglob
            if what:
                diagnostics.append(info(here, 0, "skipped-file", f"{what}: skipped"))
                continue
            found.append(path)
    return found, diagnostics


def _joined(folder: str, entry: str) -> str:
    return os.path.normpath(os.path.join(folder, clean_name(entry)))
