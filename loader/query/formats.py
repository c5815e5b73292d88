"""Render query rows as a rich table, CSV, TSV, SPARQL JSON or Markdown: one function per format.

`json` is the SPARQL 1.1 Query Results JSON format, so other SPARQL tools can read it; `csv`
follows SPARQL 1.1 CSV (plain values, empty for unbound). `tsv` is the same table split by tabs,
with tabs, newlines and backslashes escaped, so that every row stays on one line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from rich.console import Console
from rich.table import Table

from qualgraph.query.rows import Rows

_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")
}


def text(term: Node | None) -> str:
    """The plain text of a value: the IRI, the literal's lexical form, `_:id`, or '' if unbound."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def rich_table(rows: Rows) -> Table:
    """A rich Table; columns whose values are all numbers are right-aligned."""
    table = Table(*rows.variables, show_lines=False)
    for index, column in enumerate(table.columns):
        values = [row[index] for row in rows.rows if row[index] is not None]
        if values and all(isinstance(v, Literal) and str(v.datatype) in _NUMERIC for v in values):
            column.justify = "right"
    for row in rows.rows:
        table.add_row(*(text(term) for term in row))
    return table


def table(rows: Rows) -> str:
    """The rich table as plain text, each column as wide as its widest value."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=100_000, color_system=None, highlight=False)
    console.print(rich_table(rows))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def csv_text(rows: Rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows.variables)
    writer.writerows([text(term) for term in row] for row in rows.rows)
    return out.getvalue()


def _tsv_cell(term: Node | None) -> str:
    return (
        text(term)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def tsv_text(rows: Rows) -> str:
    out = io.StringIO()
    out.write("\t".join(rows.variables) + "\n")
    for row in rows.rows:
        out.write("\t".join(_tsv_cell(term) for term in row) + "\n")
    return out.getvalue()


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None:
        value["datatype"] = str(term.datatype)
    return value


def sparql_json(rows: Rows) -> str:
    """SPARQL 1.1 Query Results JSON; unbound variables are left out of their row."""
    document = {
        "head": {"vars": list(rows.variables)},
        "results": {
            "bindings": [
                {
                    name: _json_term(term)
                    for name, term in zip(rows.variables, row, strict=True)
                    if term is not None
                }
                for row in rows.rows
            ]
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _markdown_cell(term: Node | None) -> str:
    return (
        text(term)
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\r\n", "<br>")
        .replace("\n", "<br>")
    )


def markdown(rows: Rows) -> str:
    """A GitHub-flavoured Markdown table; pipes are escaped and newlines become <br>."""
    lines = ["| " + " | ".join(rows.variables) + " |", "|" + "---|" * len(rows.variables)]
    lines += ["| " + " | ".join(_markdown_cell(term) for term in row) + " |" for row in rows.rows]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Rows], str]] = {
    "table": table,
    "csv": csv_text,
    "tsv": tsv_text,
    "json": sparql_json,
    "markdown": markdown,
}
"""Format name → renderer; the CLI offers exactly these names."""
