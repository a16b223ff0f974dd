"""Tables as grids of cells, whatever they came from (HTML, PDF, DOCX).

Every grid position holds a ``Cell``; a cell spanning several positions (rowspan,
colspan, a merged Word cell) is the same object in each of them, so a row can be
read either by position or as its sequence of distinct cells. Positions covered by
nothing (PDF merged areas) hold ``None``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from .text import clean, label

__all__ = ["Cell", "Grid", "grid_from_html_table"]

_NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
_WIDTH = re.compile(rf"^\s*{_NUMBER}\s*(px|pt|%)?\s*$", re.I)
_STYLE_WIDTH = re.compile(rf"(?:^|;)\s*width\s*:\s*{_NUMBER}\s*(px|pt|cm|in|%)?", re.I)
_UNITS = {"pt": 4 / 3, "cm": 96 / 2.54, "in": 96.0}  # to pixels; % and px as written


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
    widths: list[float] | None = None  # each position's width, when known (else all 1)
    # what labels_over asks again and again: each position's weight, each heading's width
    _weights: list[float] = field(default_factory=list, init=False, repr=False, compare=False)
    _covers: dict[int, tuple[list[Cell | None], dict[Cell, float]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _stacks: dict[tuple[int, tuple[int, ...]], tuple[list, list[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

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

    def labels_over(self, header: list[list[Cell | None]],
                    positions: tuple[int, ...]) -> list[str]:
        """The headings over the cell at ``positions`` (``spans``), top down: in each
        heading row, the cell that shares most of its width, for the heading's own
        width (overlap² ÷ the heading's width). Column edges that differ from row to
        row (a Word table whose borders were dragged) leave slivers, so a heading and
        its numbers need not start at the same position, and a wide heading beside it
        (a merged corner) may cover as much of it as its own. Rows laid out alike ask
        once."""
        known = self._stacks.get((id(header), positions))
        if known is not None and known[0] is header:
            return known[1]
        if len(self._weights) < self.width:
            self._weights = [self.weight(p) for p in range(self.width)]
        weights = self._weights
        stack: list[str] = []
        for above in header:
            widths = self._cover(above)
            shared: defaultdict[Cell, float] = defaultdict(float)
            for position in positions:
                if position < len(above) and (over := above[position]) is not None:
                    shared[over] += weights[position]
            if shared:
                top = max(shared, key=lambda c: shared[c] ** 2 / widths[c])
                if top.label:
                    stack.append(top.label)
        self._stacks[(id(header), positions)] = (header, stack)
        return stack

    def spans(self, row: list[Cell | None]) -> dict[Cell, tuple[int, ...]]:
        """Each cell of ``row`` and the positions it covers there."""
        found: dict[Cell, list[int]] = {}
        for position, cell in enumerate(row):
            if cell is not None:
                found.setdefault(cell, []).append(position)
        return {cell: tuple(positions) for cell, positions in found.items()}

    def _cover(self, row: list[Cell | None]) -> dict[Cell, float]:
        """Each cell of ``row`` by the width it covers (worked out once a row)."""
        cached = self._covers.get(id(row))
        if cached is not None and cached[0] is row:
            return cached[1]
        widths: defaultdict[Cell, float] = defaultdict(float)
        for position, over in enumerate(row):
            if over is not None:
                widths[over] += self.weight(position)
        self._covers[id(row)] = (row, widths)  # the row kept: its id is not reused meanwhile
        return widths


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
    declared = _col_widths(table)  # (first, end column, width), of columns and cells
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
            if (width := _declared_width(td)) is not None:
                declared.append((col, col + colspan, width))
            for c in range(col, col + colspan):
                line.append(cell)
                for below in range(r + 1, min(r + rowspan, len(rows))):
                    pending[(below, c)] = cell
            col += colspan
        while (r, col) in pending:
            line.append(pending.pop((r, col)))
            col += 1
        grid.append(line)
    return Grid(grid, source, _column_widths(declared, max(map(len, grid), default=0)))


def _declared_width(td) -> float | None:
    """A cell's width as written (``width=45``, ``style="width:34.0pt"``), in pixels;
    Word's HTML gives every cell one, and a row of one cell per grid column."""
    found = _WIDTH.match(td.get("width") or "") or _STYLE_WIDTH.search(td.get("style") or "")
    if found is None:
        return None
    value, unit = found.groups()
    width = float(value) * _UNITS.get((unit or "px").lower(), 1.0)
    return width if width > 0 else None


def _col_widths(table) -> list[tuple[int, int, float]]:
    """``<col width=.. span=..>``: LibreOffice's and WPS's HTML give the grid's columns
    this way, and the cells none."""
    declared: list[tuple[int, int, float]] = []
    for col in table.xpath("./col | ./colgroup/col"):
        span = _span(col.get("span"))
        if (width := _declared_width(col)) is not None:
            declared += [(c, c + 1, width) for c in range(len(declared), len(declared) + span)]
        else:
            declared = []  # a column of no width: the rest cannot be placed
            break
    return declared


def _column_widths(declared: list[tuple[int, int, float]], width: int) -> list[float] | None:
    """Each column's width from the cells' declared ones: a one-column cell gives its
    column's, a wider one its one unknown column what the others leave. None unless
    every column is known (then all columns count alike)."""
    known: dict[int, float] = {}
    changed = True
    while changed and len(known) < width:
        changed = False
        for start, end, total in declared:
            unknown = [c for c in range(start, end) if c not in known]
            rest = total - sum(known.get(c, 0.0) for c in range(start, end))
            if len(unknown) == 1 and rest > 0:
                known[unknown[0]] = rest
                changed = True
    return [known[c] for c in range(width)] if width and len(known) >= width else None


def _own_row(tr, table) -> bool:
    """Rows of this table, not of a table nested in one of its cells."""
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent is table


def _span(value: str | None) -> int:
    if value is None:
        return 1  # most cells: no exception raised and caught for them
    try:
        return max(1, min(int(str(value).strip() or 1), 200))
    except ValueError:
        return 1
