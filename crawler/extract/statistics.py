"""The statutory tables — 二 (主动公开), 三 (依申请), 四 (复议/诉讼) — as numbers.

Rows and columns are found by their labels (``shared/docs/domain.md`` gives the
keys), never by position in the table: reports merge, split, misalign and
abbreviate cells freely. Grids are read in document order as one stream, so a
table split over two PDF pages (or two HTML tables) reads as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .grid import Cell, Grid
from .keys import APPLICANTS, OTHER_2021, REQUEST_ROWS
from .table_appeals import AppealsTable
from .table_proactive import ProactiveTable
from .table_requests import RequestsTable, is_requests_heading
from .text import NotANumber, parse_number

__all__ = ["Statistics", "read_statistics"]

@dataclass
class Statistics:
    proactive: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: dict[str, dict[str, int | None]] = field(default_factory=dict)
    appeals: dict[str, dict[str, int | None]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ocr: dict[str, float] = field(default_factory=dict)  # cell key -> OCR confidence

    def number(self, cell: Cell | None, where: str, decimal: bool = False) -> int | float | None:
        """The number in ``cell`` (read into ``where``), None for a blank one."""
        text = cell.text if cell is not None else ""
        try:
            value = parse_number(text, decimal=decimal)
        except NotANumber as exc:
            self.warnings.append(f"{where}: {exc}; left empty")
            return None
        if cell is not None and cell.confidence is not None:
            self.ocr[where] = round(cell.confidence, 3)
        return value

    def count(self, cell: Cell | None, where: str) -> int | None:
        """A number of requests or cases: a whole number (``3.0`` is 3)."""
        text = cell.text if cell is not None else ""
        value = self.number(cell, where)
        if isinstance(value, float):
            if not value.is_integer():
                self.warnings.append(f"{where}: {text!r} is not a whole number; left empty")
                return None
            return int(value)
        return value


def read_statistics(grids: list[Grid]) -> Statistics:
    stats = Statistics()
    reader = _Reader(stats)
    for grid in grids:
        reader.grid(grid.compact())
    reader.flush()
    stats.proactive = {k: v for k, v in stats.proactive.items() if v}
    _other_handling(stats.requests)
    stats.requests = {k: stats.requests[k] for k in REQUEST_ROWS if k in stats.requests}
    return stats


def _other_handling(requests: dict[str, dict[str, int | None]]) -> None:
    """``other_handling`` is the （六）其他处理 total in every format: printed as one row
    (2019, and 2021 reports that print it so), else the sum of the 2021 format's three
    rows, so one key selects it across formats and years."""
    rows = [requests[key] for key in OTHER_2021 if key in requests]
    if not rows or "other_handling" in requests:
        return
    requests["other_handling"] = {
        column: sum(row[column] or 0 for row in rows)
        if any(row.get(column) is not None for row in rows) else None
        for column in APPLICANTS}


class _Reader:
    """Walks every row once; each row is a heading, a row of one table, or nothing."""

    def __init__(self, stats: Statistics) -> None:
        self.proactive = ProactiveTable(stats)
        self.requests = RequestsTable(stats)
        self.appeals = AppealsTable(stats)

    def grid(self, grid: Grid) -> None:
        rows, index = grid.rows, 0
        while index < len(rows):
            row = rows[index]
            texts = [c.label for c in grid.distinct(row)]
            self.requests.first_row = index == 0
            self.requests.last_row = index == len(rows) - 1
            index += 1
            if not texts or self.appeals.row(grid, row, texts):
                continue
            if is_requests_heading(texts):
                index = self.requests.header(grid, rows, index - 1)
            elif not self.requests.row(grid, row):
                self.proactive.row(grid, row, texts)

    def flush(self) -> None:
        self.requests.flush()
