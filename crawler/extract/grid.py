"""Tables as grids of cells, whatever they came from (HTML, PDF, DOCX).

Every grid position holds a ``Cell``; a cell spanning several positions (rowspan,
colspan, a merged Word cell) is the same object in each of them, so a row can be
read either by position or as its sequence of distinct cells. Positions covered by
nothing (PDF merged areas) hold ``None``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .text import clean, label

__all__ = ["Cell", "Grid", "grid_from_html_table"]


@dataclass(eq=False)
class Cell:
    text: str
    _label: str | None = field(default=None, repr=False)
    confidence: float | None = None  # OCR's, for cells read from a scan

    @property
    def label(self) -> str:
        """The text normalised for matching (computed once: cells are read many times)."""
        if self._label is None:
            self._label = label(self.text)
        return self._label


@dataclass
class Grid:
    rows: list[list[Cell | None]] = field(default_factory=list)
    source: str = ""  # where it came from, for warnings ("table 3", "page 4 table 1")

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def distinct(self, row: list[Cell | None]) -> list[Cell]:
        """The row's cells once each, left to right (spans collapsed, gaps dropped)."""
        seen: list[Cell] = []
        for cell in row:
            if cell is not None and (not seen or seen[-1] is not cell) and cell not in seen:
                seen.append(cell)
        return seen

    def __iter__(self) -> Iterator[list[Cell | None]]:
        return iter(self.rows)


def _cell_text(element) -> str:
    parts: list[str] = []
    for node in element.iter():
        if node.tag in ("br", "p", "div") and parts:
            parts.append(" ")
        if node.text and node.tag not in ("script", "style"):
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return clean("".join(parts))


def grid_from_html_table(table, source: str = "") -> Grid:
    """Expand rowspan/colspan: each HTML cell fills every position it covers."""
    grid: list[list[Cell | None]] = []
    pending: dict[tuple[int, int], Cell] = {}  # (row, col) filled from a rowspan above
    rows = [tr for tr in table.iter("tr") if _own_row(tr, table)]
    for r, tr in enumerate(rows):
        line: list[Cell | None] = []
        col = 0
        for td in (c for c in tr if c.tag in ("td", "th")):
            while (r, col) in pending:
                line.append(pending.pop((r, col)))
                col += 1
            cell = Cell(_cell_text(td))
            colspan = _span(td.get("colspan"))
            rowspan = _span(td.get("rowspan"))
            for c in range(col, col + colspan):
                line.append(cell)
                for below in range(r + 1, min(r + rowspan, len(rows))):
                    pending[(below, c)] = cell
            col += colspan
        while (r, col) in pending:
            line.append(pending.pop((r, col)))
            col += 1
        grid.append(line)
    return Grid(grid, source)


def _own_row(tr, table) -> bool:
    """Rows of this table, not of a table nested in one of its cells."""
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent is table


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), 200))
    except ValueError:
        return 1
