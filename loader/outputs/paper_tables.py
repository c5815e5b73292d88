"""The paper's tables (sources, forces, decision overview) in LaTeX, Markdown and CSV.

Content and order follow the study's LaTeX generator (`Publication` holds the rules); the
colour classes are its seven `emerald_shape_N` steps: a force's evidences over the number of
forces (as the generator computes it), a decision's over the number of sources, an option's
over its decision's. Beyond the generator, an evidence no quote of that source grounds is
marked with a dagger and explained in a legend, and Markdown links every grounded evidence to
its first grounding quote (file and line).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote as url_quote

from qualgraph.outputs.publication import Evidence, OptionEntry, Publication

TABLES = ("sources_table", "force_table", "overview_table")
FORMATS = {"latex": ".tex", "markdown": ".md", "csv": ".csv"}
MARK = "†"
LEGEND = "† not grounded in any quote of that source"
SHARE_STEPS = (0.05, 0.10, 0.20, 0.35, 0.5, 0.7)

LATEX_PREAMBLE = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[table]{xcolor}
\usepackage{multirow}
\usepackage{booktabs}
\usepackage{hyperref}
\definecolor{emerald_shape_1}{HTML}{E8F6EF}
\definecolor{emerald_shape_2}{HTML}{C9EBD9}
\definecolor{emerald_shape_3}{HTML}{A3DDBF}
\definecolor{emerald_shape_4}{HTML}{7BCEA3}
\definecolor{emerald_shape_5}{HTML}{52BF87}
\definecolor{emerald_shape_6}{HTML}{2FA56A}
\definecolor{emerald_shape_7}{HTML}{1E8251}
"""
"""A preamble with the packages the published tables use and the colours the paper defines."""


def share_class(proportion: float) -> int:
    """The generator's colour step (1-7) for a share."""
    for step, limit in enumerate(SHARE_STEPS, start=1):
        if proportion < limit:
            return step
    return 7


@dataclass(frozen=True)
class Count:
    """Evidence entries of one table, and how many of them no quote grounds."""

    table: str
    evidences: int
    ungrounded: int


def ungrounded_counts(pub: Publication) -> tuple[Count, ...]:
    """Per table with evidence cells: evidence entries and the ungrounded ones among them (the
    overview's option cells; its footnote repeats the force table)."""
    force = [e for f in pub.forces for e in f.evidences]
    overview = [e for d in pub.decisions for o in d.options for e in o.evidences]
    return tuple(
        Count(name, len(items), sum(not e.grounded for e in items))
        for name, items in (("force_table", force), ("overview_table", overview))
    )


def render(pub: Publication, fmt: str, link_from: str | None = None) -> dict[str, str]:
    """Table name → text. `link_from` is the folder Markdown links are relative to."""
    if fmt == "latex":
        return {
            "sources_table": latex_sources(pub),
            "force_table": latex_forces(pub),
            "overview_table": latex_overview(pub),
        }
    if fmt == "markdown":
        link = _linker(link_from)
        return {
            "sources_table": markdown_sources(pub),
            "force_table": markdown_forces(pub, link),
            "overview_table": markdown_overview(pub, link),
        }
    if fmt == "csv":
        return {
            "sources_table": csv_sources(pub),
            "force_table": csv_forces(pub),
            "overview_table": csv_overview(pub),
        }
    raise ValueError(f"unknown table format {fmt!r}")


def latex_document(tables: dict[str, str]) -> str:
    """A standalone document around the tables (to compile them, or to start a paper from)."""
    body = "\n".join(
        "\\begin{table*}\n\\scriptsize\n" + text + "\\end{table*}\n" for text in tables.values()
    )
    return LATEX_PREAMBLE + "\\begin{document}\n" + body + "\\end{document}\n"


# -- LaTeX ------------------------------------------------------------------------------------

_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


def latex_escape(text: str) -> str:
    return "".join(_LATEX.get(char, char) for char in text)


def latex_url(url: str) -> str:
    """A URL for `\\href`: characters TeX would read are percent-encoded, `%` and `#` escaped."""
    safe = url_quote(url, safe=":/?=@!*'()+,;.-_")
    return safe.replace("%", r"\%").replace("#", r"\#")


def _latex_evidences(evidences: Sequence[Evidence]) -> str:
    return ", ".join(
        latex_escape(e.source) + ("" if e.grounded else r"$^{\dagger}$") for e in evidences
    )


def _latex_header(headers: Sequence[str]) -> str:
    return " & ".join("{\\bf " + h + "}" for h in headers) + "\\\\\n"


def _latex_legend(columns: int, evidences: Sequence[Evidence]) -> str:
    if all(e.grounded for e in evidences):
        return ""
    return (
        f"\\multicolumn{{{columns}}}{{l}}{{$^{{\\dagger}}$ not grounded in any quote "
        "of that source}\\\\\n"
    )


def _yes_no(flag: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(flag, "?")  # type: ignore[arg-type]


def latex_sources(pub: Publication) -> str:
    text = "\\begin{tabular}{|c|p{0.4\\linewidth}|l|l|c|c|}\n\\hline\n"
    text += _latex_header(["ID", "Title", "Tiny URL", "Source Type", "Example", "Source Code"])
    text += "\\hline\n"
    for row in pub.sources:
        target = f"https://{row.tiny_url}" if row.tiny_url else row.url
        link = (
            f"\\href{{{latex_url(target)}}}{{{latex_escape(row.tiny_url or row.url)}}}"
            if target
            else ""
        )
        text += (
            f"{latex_escape(row.identifier)} &  {{\\em {latex_escape(row.title)}}} & {link} & "
            f"{latex_escape(row.source_type)} & {_yes_no(row.example)} & "
            f"{_yes_no(row.source_code)}\\\\\n"
        )
    return text + "\\bottomrule\n\\end{tabular}\n"  # booktabs, as the published table


def latex_forces(pub: Publication) -> str:
    text = "\\begin{tabular}{|c|p{0.48\\columnwidth}|p{0.37\\columnwidth}|}\n\\hline\n"
    text += _latex_header(["ID", "Force", "Evidences"]) + "\\hline\n"
    total = len(pub.forces) or 1
    for force in pub.forces:
        colour = share_class(len(force.evidences) / total)
        text += (
            f"{force.fid} & {latex_escape(force.element.label)} & "
            f"\\cellcolor{{emerald_shape_{colour}}} {{{_latex_evidences(force.evidences)}}}\\\\\n"
        )
    text += "\\hline\n"
    text += _latex_legend(3, [e for f in pub.forces for e in f.evidences])
    return text + "\\end{tabular}\n"


def _latex_forces_cell(pub: Publication, option: OptionEntry) -> str:
    return ", ".join(
        f"{pub.fid(i.force) or latex_escape(i.force)}({i.level.replace('--', '-{}-')})"
        for i in option.impacts
    )


def latex_overview(pub: Publication) -> str:
    text = (
        "\\begin{tabular}{|p{0.12\\linewidth}|p{0.015\\linewidth}|p{0.3\\linewidth}|"
        "p{0.15\\linewidth}|p{0.31\\linewidth}|}\n\\hline\n"
    )
    text += _latex_header(["Design Decision", "\\#", "Solution", "Evidences", "Forces"])
    text += "\\hline\n"
    sources = len(pub.sources) or 1
    for decision in pub.decisions:
        count = len(decision.evidences)
        colour = f"\\cellcolor{{emerald_shape_{share_class(count / sources)}}}"
        options = decision.options
        n = len(options)
        name = latex_escape(decision.element.label)
        if n == 0:
            text += f"{name} & {colour}{{{count}}} & & & \\\\\n"
            continue
        for index, option in enumerate(options):
            if index == 0:
                text += f"\\multirow{{{n}}}{{\\linewidth}}{{{name}}} &"
                text += (
                    f"\\multirow{{1}}{{\\linewidth}}{{ {colour}{{{count}}}}} &"
                    if n == 1
                    else f"{colour}{{}} &"
                )
            elif index == n - 1:
                text += f" & \\multirow{{-{n}}}{{\\linewidth}}{{ {colour}{{{count}}}}} &"
            else:
                text += f" & {colour}{{}} & "
            share = share_class(len(option.evidences) / (count or 1))
            text += (
                f"{index + 1}.{latex_escape(option.element.label)}&"
                f"\\cellcolor{{emerald_shape_{share}}}{{{_latex_evidences(option.evidences)}}} & "
                f"{_latex_forces_cell(pub, option)}\\\\\n"
            )
    text += "\\hline\n"
    footnote = ", ".join(
        f"{{\\bf {f.fid}}}:{latex_escape(f.element.label)} [{_latex_evidences(f.evidences)}]"
        for f in pub.forces
    )
    text += (
        "\\multicolumn{5}{l}{\\parbox{\\textwidth}{\\smallskip\n{\\bf Forces Codes/Sources}: "
        + footnote
        + "}}"
    )
    evidences = [e for d in pub.decisions for o in d.options for e in o.evidences]
    legend = _latex_legend(5, evidences + [e for f in pub.forces for e in f.evidences])
    return text + ("\\\\\n" + legend if legend else "\n") + "\\end{tabular}\n"


# -- Markdown ---------------------------------------------------------------------------------

_MARKDOWN = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|"}
_MARKDOWN_PUNCTUATION = set("\\`*_[]#")


def markdown_escape(text: str) -> str:
    """Text for a Markdown table cell: HTML specials as entities, Markdown syntax escaped."""
    out = []
    for char in text.replace("\n", " "):
        if char in _MARKDOWN:
            out.append(_MARKDOWN[char])
        elif char in _MARKDOWN_PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


Linker = Callable[[Evidence], str]


def _linker(link_from: str | None) -> Linker:
    def link(evidence: Evidence) -> str:
        name = markdown_escape(evidence.source)
        if evidence.quote is None:
            return name + MARK
        path = evidence.quote.file
        if link_from is not None:
            with contextlib.suppress(ValueError):  # another drive on Windows
                path = os.path.relpath(path, link_from)
        target = url_quote(path.replace(os.sep, "/")) + f"#L{evidence.quote.line}"
        return f'[{name}]({target} "{evidence.quote.file}:{evidence.quote.line}")'

    return link


def _markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _markdown_legend(evidences: Sequence[Evidence]) -> str:
    return (
        ""
        if all(e.grounded for e in evidences)
        else f"\n{LEGEND}; the others link to their first grounding quote.\n"
    )


def markdown_sources(pub: Publication) -> str:
    rows = []
    for row in pub.sources:
        target = f"https://{row.tiny_url}" if row.tiny_url else row.url
        shown = markdown_escape(row.tiny_url or row.url)
        rows.append(
            [
                markdown_escape(row.identifier),
                "*" + markdown_escape(row.title) + "*" if row.title else "",
                f"[{shown}](<{target.replace('>', '%3E')}>)" if target else "",
                markdown_escape(row.source_type),
                _yes_no(row.example),
                _yes_no(row.source_code),
            ]
        )
    headers = ["ID", "Title", "Tiny URL", "Source Type", "Example", "Source Code"]
    return _markdown_table(headers, rows)


def markdown_forces(pub: Publication, link: Linker) -> str:
    total = len(pub.forces) or 1
    rows = [
        [
            f.fid,
            markdown_escape(f.element.label),
            ", ".join(link(e) for e in f.evidences),
            str(share_class(len(f.evidences) / total)),
        ]
        for f in pub.forces
    ]
    text = _markdown_table(["ID", "Force", "Evidences", "Share class"], rows)
    return text + _markdown_legend([e for f in pub.forces for e in f.evidences])


def markdown_overview(pub: Publication, link: Linker) -> str:
    rows = []
    for decision in pub.decisions:
        for index, option in enumerate(decision.options or (None,)):
            first = index == 0
            rows.append(
                [
                    markdown_escape(decision.element.label) if first else "",
                    str(len(decision.evidences)) if first else "",
                    f"{index + 1}. {markdown_escape(option.element.label)}" if option else "",
                    ", ".join(link(e) for e in option.evidences) if option else "",
                    _plain_forces(pub, option, markdown_escape) if option else "",
                ]
            )
    text = _markdown_table(["Design Decision", "#", "Solution", "Evidences", "Forces"], rows)
    text += (
        "\n**Forces:** "
        + ", ".join(f"**{f.fid}**: {markdown_escape(f.element.label)}" for f in pub.forces)
        + "\n"
    )
    return text + _markdown_legend(
        [e for d in pub.decisions for o in d.options for e in o.evidences]
    )


def _plain_forces(pub: Publication, option: OptionEntry, escape: Callable[[str], str]) -> str:
    return ", ".join(f"{pub.fid(i.force) or escape(i.force)}({i.level})" for i in option.impacts)


# -- CSV --------------------------------------------------------------------------------------


def _csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def _names(evidences: Sequence[Evidence], grounded: bool | None = None) -> str:
    return " ".join(e.source for e in evidences if grounded is None or e.grounded == grounded)


def csv_sources(pub: Publication) -> str:
    rows = [
        [
            r.identifier,
            r.title,
            r.url,
            r.tiny_url,
            r.source_type,
            _yes_no(r.example),
            _yes_no(r.source_code),
        ]
        for r in pub.sources
    ]
    headers = ["id", "title", "url", "tiny_url", "source_type", "example", "source_code"]
    return _csv(headers, rows)


def csv_forces(pub: Publication) -> str:
    total = len(pub.forces) or 1
    rows = [
        [
            f.fid,
            f.element.identifier,
            f.element.label,
            _names(f.evidences),
            _names(f.evidences, grounded=False),
            share_class(len(f.evidences) / total),
        ]
        for f in pub.forces
    ]
    headers = ["fid", "code", "force", "evidences", "ungrounded", "share_class"]
    return _csv(headers, rows)


def csv_overview(pub: Publication) -> str:
    rows = []
    for d in pub.decisions:
        for index, option in enumerate(d.options, start=1):
            rows.append(
                [
                    d.element.label,
                    len(d.evidences),
                    index,
                    option.element.label,
                    _names(option.evidences),
                    _names(option.evidences, grounded=False),
                    _plain_forces(pub, option, str),
                ]
            )
    headers = [
        "decision",
        "evidences",
        "option_number",
        "option",
        "option_evidences",
        "ungrounded",
        "forces",
    ]
    return _csv(headers, rows)
