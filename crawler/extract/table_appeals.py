"""Table 四 (行政复议、行政诉讼情况): fifteen numbers under two or three heading rows
(复议/诉讼, 未经复议直接起诉/复议后起诉, 结果维持 ... 总计), read by their headings;
headings cut by a page break continue on the next page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .grid import Cell, Grid
from .keys import APPEAL_GROUPS, OUTCOME_PATTERNS, OUTCOMES, match
from .text import is_number, printed_number

if TYPE_CHECKING:
    from .statistics import Statistics

__all__ = ["AppealsTable"]

_HEADING = re.compile(r"维持|纠正|审结|复议|诉讼")


class AppealsTable:
    def __init__(self, stats: Statistics) -> None:
        self.stats = stats
        self.header: list[list[Cell | None]] = []
        self.grid: Grid | None = None

    def row(self, grid: Grid, row: list[Cell | None], texts: list[str]) -> bool:
        joined = "".join(texts)
        if "行政复议" in joined and "行政诉讼" in joined and not self.header:
            self.header = [row]
            self.grid = grid
            return True
        if not self.header:
            return False
        cells = grid.distinct(row)
        if len(row) < 15 or not cells or not all(is_number(c.text) for c in cells):
            # (a number's place no cell covers, in a PDF, is None: still a row of numbers)
            # more heading rows: in the same table, or over a page break
            if grid is self.grid or _HEADING.search("".join(texts)):
                self.header.append(row)
                return True
            self.header = []
            return False
        self._values(grid, row, cells)
        self.header = []
        return True

    def _values(self, grid: Grid, row: list[Cell | None], cells: list[Cell]) -> None:
        """Each number under its headings; without fifteen recognised, the statutory
        order over the row's cells (empty slivers at its ends, left by a Word row that
        starts late or ends early, set aside)."""
        found: dict[tuple[str, str], Cell | None] = {}
        spans = grid.spans(row)
        keys = [self._key(grid.labels_over(self.header, spans[cell])) for cell in cells]
        for cell, key in zip(cells, keys, strict=True):
            current = found.get(key) if key else None
            if key and (current is None or (printed_number(cell.text) and
                                            not printed_number(current.text))):
                found[key] = cell
        # every column named, or every cell under a heading of its own (a place no cell
        # covers is left empty)
        if len(found) != 15 and not (all(keys) and len(set(keys)) == len(cells)):
            self.stats.warnings.append("appeals: column headings not all recognised; "
                                       "assuming the statutory column order")
            found = dict(zip([(g, o) for g in APPEAL_GROUPS for o in OUTCOMES],
                             _last_fifteen(row, cells), strict=True))
        for (group, outcome), value in found.items():
            self.stats.appeals.setdefault(group, {})[outcome] = self.stats.count(
                value, f"appeals.{group}.{outcome}")
        self.stats.appeals = {g: {o: self.stats.appeals[g].get(o) for o in OUTCOMES}
                              for g in APPEAL_GROUPS if g in self.stats.appeals}

    @staticmethod
    def _key(stack: list[str]) -> tuple[str, str] | None:
        joined = "".join(stack)
        group = ("litigation_direct" if "未经复议" in joined else
                 "litigation_after_review" if "复议后" in joined else
                 "review" if "行政复议" in joined else None)
        outcome = match(OUTCOME_PATTERNS, stack[-1] if stack else "")
        return (group, outcome) if group and outcome else None


def _last_fifteen(row: list[Cell | None], cells: list[Cell]) -> list[Cell | None]:
    """The row's fifteen numbers in order: its cells, less empty slivers at its ends (a
    Word row that starts late or ends early); or, short of fifteen cells, its last
    fifteen places (a place no cell covers read as empty)."""
    while len(cells) > 15 and not cells[-1].text.strip():
        cells = cells[:-1]
    while len(cells) > 15 and not cells[0].text.strip():
        cells = cells[1:]
    if len(cells) >= 15:
        return list(cells[-15:])
    return list(row[-15:])
