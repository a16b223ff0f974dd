"""An item's statistics tables as long rows (table, row, column, value, unit) and back.

A long table is what pandas, R and SQL group by: one row per printed cell, every
report and version in one place. Blank cells stay rows with a null value, so a blank
and a printed 0 stay apart (domain.md) and every number of an item comes back from its
rows (``tables_from_cells``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["TABLES", "UNITS", "cell_rows", "tables_from_cells", "unit_of"]

TABLES = ("proactive", "requests", "appeals")
# Money columns print their unit; everything else counts documents, requests or cases.
UNITS = {"amount_10k_yuan": "万元"}
COUNT = "count"
# Cells an item writes as {value, unit} (2019 procurement: the unit as printed, 元 or 万元).
_PRINTED_UNIT = {("proactive", "amount")}

Cell = tuple[str, str, str, Any, str | None]  # table, row, column, value, unit


def unit_of(column: str) -> str:
    return UNITS.get(column, COUNT)


def cell_rows(item: dict[str, Any]) -> Iterator[Cell]:
    """Every cell of the item's three tables, in the item's own order."""
    for table in TABLES:
        for row, columns in (item.get(table) or {}).items():
            for column, value in (columns or {}).items():
                if isinstance(value, dict):  # a value with its printed unit
                    yield table, row, column, value.get("value"), value.get("unit")
                else:
                    yield table, row, column, value, unit_of(column)


def tables_from_cells(cells: list[Cell]) -> dict[str, dict[str, dict[str, Any]]]:
    """The item's tables again, from its cell rows (how a user checks the long table)."""
    tables: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in TABLES}
    for table, row, column, value, unit in cells:
        if (table, column) in _PRINTED_UNIT:
            value = {"value": value, "unit": unit}
        tables[table].setdefault(row, {})[column] = value
    return tables
