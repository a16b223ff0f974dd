"""Table 二 (主动公开情况): 第二十条 blocks of rows and their column headings.

Each 第二十条第（X）项 block has its own heading row (信息内容 | 本年制发件数 ...); a
block cut by a page break may lose its 信息内容 cell to the page before, and
still heads the rows after it. The block's 第二十条 label is a title row of its own, or
merged down a first column beside its heading and rows (a stacked layout): then each
row is read from the cell after it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .grid import Cell, Grid
from .keys import DECIMAL_COLUMNS, PROACTIVE_KEYS, match
from .text import label

if TYPE_CHECKING:
    from .statistics import Statistics

__all__ = ["ProactiveTable"]

_UNIT = re.compile(r"(万元|元)\)?$")


class ProactiveTable:
    def __init__(self, stats: Statistics) -> None:
        self.stats = stats
        self.columns: list[str | None] | None = None
        self.header: list[str | None] = []
        self.amount_unit: str | None = None  # 采购总金额（元）: the unit in the heading

    def row(self, grid: Grid, row: list[Cell | None], texts: list[str]) -> None:
        first = texts[0]
        if first.startswith("第二十条"):
            if len(texts) == 1:  # the block's title row
                self.columns = None
                return
            # the block's 第二十条 label merged down a first column: the row is what
            # follows it (its heading row, then its rows, each with the label beside)
            row, texts = _after_label(row), texts[1:]
            first = texts[0]
            if first.startswith("信息内容") or first.startswith("第二十条"):
                self.columns = None
        headings = texts[1:] if first.startswith("信息内容") else texts
        if first.startswith("信息内容") or self._continued_heading(row, texts):
            self.columns = [match(PROACTIVE_KEYS["columns"], t) for t in headings]
            self.amount_unit = next((_unit(t) for t in headings
                                     if match(PROACTIVE_KEYS["columns"], t) == "amount"), None)
            self.header = [None if cell is None else
                                     match(PROACTIVE_KEYS["columns"], cell.label)
                                     for cell in row]
            return
        key = match(PROACTIVE_KEYS["rows"], first)
        if key is None or self.columns is None:
            return
        values = self.stats.proactive.setdefault(key, {})
        for column, cell in self._cells(grid, row, key, self.columns):
            where = f"proactive.{key}.{column}"
            value: Any
            if column == "amount":
                value = self._amount(cell, where)
            else:
                value = self.stats.number(cell, where, column in DECIMAL_COLUMNS)
            if values.get(column) is not None and value is not None and value != values[column]:
                self.stats.warnings.append(f"{where}: two different values ({values[column]}, "
                                           f"{value}) under one heading; the first kept")
            elif values.get(column) is None:
                values[column] = value

    @staticmethod
    def _continued_heading(row: list[Cell | None], texts: list[str]) -> bool:
        """A heading row whose 信息内容 cell stayed on the page before (a PDF page break
        inside a 第二十条 block): no label cell, only column headings."""
        return ((row[0] is None or not row[0].label)
                and all(match(PROACTIVE_KEYS["columns"], t) for t in texts))

    def _cells(self, grid: Grid, row: list[Cell | None], key: str,
               columns: list[str | None]) -> list[tuple[str, Cell]]:
        """(column, cell) pairs: by the order of distinct cells when they match the
        headings one for one (spans that disagree between rows stay right), else by
        grid position under the heading row."""
        cells = grid.distinct(row)[1:]
        if len(cells) == len(columns):
            return [(c, cell) for c, cell in zip(columns, cells, strict=True) if c]
        by_position: list[tuple[str, Cell]] = []
        for position, cell in enumerate(row[1:len(self.header)], 1):
            column = self.header[position]
            if cell is not None and column and cell is not row[0]:
                by_position.append((column, cell))
        if not by_position:
            self.stats.warnings.append(f"proactive.{key}: its cells do not line up with the "
                                       f"headings; row not read")
        return by_position

    def _amount(self, cell: Cell, where: str) -> dict[str, Any] | None:
        unit = _unit(cell.text) or self.amount_unit
        value = self.stats.number(cell, where, decimal=True)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return {"value": value, "unit": unit}


def _after_label(row: list[Cell | None]) -> list[Cell | None]:
    """The row from its first cell that is not the merged label in its first column."""
    label_cell = row[0]
    at = 0
    while at < len(row) and row[at] is label_cell:
        at += 1
    return row[at:]


def _unit(text: str) -> str | None:
    """元 or 万元, printed after a number or at the end of a heading (``(元)``,
    ``(单位:万元)``; labels have their parentheses normalised)."""
    found = _UNIT.search(label(text))
    return found.group(1) if found else None
