"""A SELECT result as rows of rdflib terms, and the one function that makes one from a store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.term import Node

from qualgraph.rdf.store import QUERY_PREFIXES
from qualgraph.rdf.terms import OxTerm, to_ox, to_rdflib


@dataclass(frozen=True)
class Rows:
    """A SELECT result: variable names and rows of rdflib terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def as_dicts(self) -> list[dict[str, Node | None]]:
        """One dict per row, variable → value (`pandas.DataFrame(rows.as_dicts())` makes a
        table of them)."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


def select(store: ox.Store, query: str, bindings: Mapping[str, Node] | None = None) -> Rows:
    """Run a SELECT query; `bindings` pre-bind variables by name (without `?`).

    Oxigraph substitutes only variables the query projects (SEP-0007), so a parameterised
    query must SELECT its parameters."""
    substitutions: dict[ox.Variable, OxTerm] = {
        ox.Variable(name): to_ox(value) for name, value in (bindings or {}).items()
    }
    solutions = store.query(query, substitutions=substitutions or None, prefixes=QUERY_PREFIXES)
    if not isinstance(solutions, ox.QuerySolutions):
        raise ValueError("expected a SELECT query")
    variables = tuple(v.value for v in solutions.variables)
    rows = tuple(tuple(to_rdflib(solution[name]) for name in variables) for solution in solutions)
    return Rows(variables, rows)
