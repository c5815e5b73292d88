"""Every output format on one small set of rows holding each kind of RDF term and awkward text."""

from __future__ import annotations

import json

from rdflib import BNode, Literal, URIRef

from qualgraph.query.formats import FORMATS, csv_text, markdown, sparql_json, table, tsv_text
from qualgraph.query.rows import Rows

XSD = "http://www.w3.org/2001/XMLSchema#"
ROWS = Rows(
    ("node", "value", "count"),
    (
        (URIRef("https://example.org/code/a"), Literal('plain, with "quotes"'), Literal(3)),
        (BNode("b0"), Literal("donnée", lang="fr"), None),
        (None, Literal("two\nlines | a\tpipe"), Literal("1.5", datatype=URIRef(XSD + "decimal"))),
    ),
)


def test_the_registry_offers_the_five_formats():
    assert list(FORMATS) == ["table", "csv", "tsv", "json", "markdown"]


def test_csv_is_sparql_csv():
    assert csv_text(ROWS) == (
        "node,value,count\r\n"
        'https://example.org/code/a,"plain, with ""quotes""",3\r\n'
        "_:b0,donnée,\r\n"
        ',"two\nlines | a\tpipe",1.5\r\n'
    )


def test_tsv_keeps_each_row_on_one_line():
    assert tsv_text(ROWS) == (
        "node\tvalue\tcount\n"
        'https://example.org/code/a\tplain, with "quotes"\t3\n'
        "_:b0\tdonnée\t\n"
        "\ttwo\\nlines | a\\tpipe\t1.5\n"
    )


def test_json_is_sparql_results_json():
    assert json.loads(sparql_json(ROWS)) == {
        "head": {"vars": ["node", "value", "count"]},
        "results": {
            "bindings": [
                {
                    "node": {"type": "uri", "value": "https://example.org/code/a"},
                    "value": {"type": "literal", "value": 'plain, with "quotes"'},
                    "count": {"type": "literal", "value": "3", "datatype": XSD + "integer"},
                },
                {
                    "node": {"type": "bnode", "value": "b0"},
                    "value": {"type": "literal", "value": "donnée", "xml:lang": "fr"},
                },
                {
                    "value": {"type": "literal", "value": "two\nlines | a\tpipe"},
                    "count": {"type": "literal", "value": "1.5", "datatype": XSD + "decimal"},
                },
            ]
        },
    }


def test_markdown_escapes_pipes_and_newlines():
    assert markdown(ROWS) == (
        "| node | value | count |\n"
        "|---|---|---|\n"
        '| https://example.org/code/a | plain, with "quotes" | 3 |\n'
        "| _:b0 | donnée |  |\n"
        "|  | two<br>lines \\| a\tpipe | 1.5 |\n"
    )


def test_table_right_aligns_numbers_and_never_wraps():
    assert table(ROWS) == (
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━┓\n"
        "┃ node                       ┃ value                ┃ count ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━┩\n"
        '│ https://example.org/code/a │ plain, with "quotes" │     3 │\n'
        "│ _:b0                       │ donnée               │       │\n"
        "│                            │ two                  │   1.5 │\n"
        "│                            │ lines | a       pipe │       │\n"
        "└────────────────────────────┴──────────────────────┴───────┘\n"
    )


def test_empty_results_keep_their_header():
    empty = Rows(("a", "b"), ())
    assert csv_text(empty) == "a,b\r\n"
    assert markdown(empty) == "| a | b |\n|---|---|\n"
    assert json.loads(sparql_json(empty)) == {
        "head": {"vars": ["a", "b"]},
        "results": {"bindings": []},
    }
