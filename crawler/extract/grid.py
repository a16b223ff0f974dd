"""Tables as grids of cells, whatever they came from (HTML, PDF, DOCX).

Every grid position holds a ``Cell``; a cell spanning several positions (rowspan,
colspan, a merged Word cell) is the same object in each of them, so a row can be
read either by position or as its sequence of distinct cells. Positions covered by
nothing (PDF merged areas) hold ``None``.
"""

from __future__ import annotations

from collections import defaultdict
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
    widths: list[float] | None = None  # each position's width, when not all the same

    def weight(self, position: int) -> float:
        if self.widths and position < len(self.widths):
            return max(self.widths[position], 1e-6)  # never nothing: a heading's width divides
        return 1.0

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

    def compact(self) -> Grid:
        """The same table with the positions no row tells apart made one.

        Word's HTML export and a DOC's conversion lay a table on a grid of every
        column edge any row has, so a reader's one column is often two or three
        positions, each cell spanning them all. Readers that go by position (the
        headings over a number, a row's last fifteen cells) must not see that.
        """
        width = self.width
        keep = [0] if width else []
        for position in range(1, width):
            if any(_parted(row, keep[-1], position) for row in self.rows):
                keep.append(position)
        if len(keep) == width:
            return self
        rows = [[row[p] for p in keep if p < len(row)] for row in self.rows]
        ends = [*keep[1:], width]
        widths = [sum(self.weight(p) for p in range(start, end))
                  for start, end in zip(keep, ends, strict=True)]
        return Grid(rows, self.source, widths)

    def labels_over(self, header: list[list[Cell | None]], row: list[Cell | None],
                    cell: Cell) -> list[str]:
        """The headings over ``cell``, top down: in each heading row, the cell that
        shares most columns with it for their two widths (overlap² / both widths).

        Column edges that differ from row to row (a Word table whose borders were
        dragged) leave slivers, so a heading and its numbers need not start at the
        same position, and a wide heading beside it (a merged corner) may cover
        as many of its positions as its own heading does.
        """
        positions = [p for p, c in enumerate(row) if c is cell]
        stack = []
        for above in header:
            widths: defaultdict[Cell, float] = defaultdict(float)
            for position, over in enumerate(above):
                if over is not None:
                    widths[over] += self.weight(position)
            shared: defaultdict[Cell, float] = defaultdict(float)
            for position in positions:
                if position < len(above) and (over := above[position]) is not None:
                    shared[over] += self.weight(position)
            if shared:
                top = max(shared, key=lambda c: shared[c] ** 2 / widths[c])
                if top.label:
                    stack.append(top.label)
        return stack


def _parted(row: list[Cell | None], left: int, right: int) -> bool:
    """Whether ``row`` has an edge between two positions (a row cut short has none)."""
    return right < len(row) and (left >= len(row) or row[left] is not row[right])


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
