"""Table 三 (收到和处理政府信息公开申请情况): applicant columns, result rows.

Each number's column is the deepest heading that shares most of its width (a Word
split grid's leading empty cell leaves the label above in charge; rows whose column
edges differ leave slivers); without readable headings, a row's last seven cells, a
cell spanning two physical columns counted once. Rows come from their labels; a
misprinted one from its place in its group; one cut in two by a page break is read
as one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .grid import Cell, Grid
from .keys import APPLICANT_PATTERNS, APPLICANTS, GROUPS, REQUEST_PATTERNS, match
from .text import is_number, label, printed_number

if TYPE_CHECKING:
    from .statistics import Statistics

__all__ = ["RequestsTable", "is_requests_heading"]


def is_requests_heading(texts: list[str]) -> bool:
    return any("自然人" in t or "申请人情况" in t for t in texts)


class RequestsTable:
    def __init__(self, stats: Statistics) -> None:
        self.stats = stats
        self.header_rows: list[list[Cell | None]] | None = None  # table 三's headings
        self.width = 0
        self.last = ""  # the key of the last row read
        self.first_row = self.last_row = False  # where the row being read sits in its grid
        # the last row of a page, with no numbers: (row, label, cells)
        self.held: tuple[list[Cell | None], str, list[Cell | None]] | None = None

    def header(self, grid: Grid, rows: list[list[Cell | None]], index: int) -> int:
        """Read the column headings from ``rows[index]`` on; return the first data row."""
        header_rows = []
        for row in rows[index:]:
            row_texts = [c.label for c in grid.distinct(row)]
            if any(match(REQUEST_PATTERNS, t) for t in row_texts[:3]) and \
                    not any("自然人" in t for t in row_texts):
                break
            header_rows.append(row)
        # the deepest heading over each position: a leading empty cell of a split
        # (Word) grid leaves the one above it in charge
        keys = {_applicant(stack[-1]) if (stack := [
                    cell.label for r in header_rows
                    if position < len(r) and (cell := r[position]) is not None and cell.label])
                else None for position in range(grid.width)}
        if len(keys - {None}) == 7:
            self.header_rows, self.width = header_rows, grid.width
        else:
            self.stats.warnings.append("requests: column headings not all recognised; "
                                       "assuming the statutory column order")
            self.header_rows, self.width = None, 0
        return index + len(header_rows)

    def row(self, grid: Grid, row: list[Cell | None]) -> bool:
        if len(row) < 8:
            return False
        label_cells, cells = self._cells(grid, row)
        text = label("".join(c.text for c in label_cells))
        held, self.held = self.held, None
        if held is not None:
            # two rows, each labelled in full; or one row cut in two by the page break
            upper, lower = self.key(held[1], False), self.key(text, False)
            if self.first_row and _has_numbers(cells) and not (upper and lower and lower != upper):
                return self._commit(_joined(held[0], row, cells), cells)
            self._commit(held[1], held[2])  # a row with no numbers after all
        if self.last_row and text and not _has_numbers(cells):
            self.held = (row, text, cells)  # a page break may have cut it: its
            return True  # label's rest and its numbers would open the next page
        return self._commit(text, cells)

    def flush(self) -> None:
        if self.held is not None:
            self._commit(*self.held[1:])
            self.held = None

    def _commit(self, text: str, cells: list[Cell | None]) -> bool:
        key = self.key(text)
        if key is None:
            return self._unknown_row(text, cells)
        if key in self.stats.requests:
            self.stats.warnings.append(f"requests.{key}: a second row labelled {text!r}; "
                                       f"the first kept")
            return True
        self.stats.requests[key] = {
            column: self.stats.count(cell, f"requests.{key}.{column}")
            for column, cell in zip(APPLICANTS, cells, strict=True)}
        self.last = key
        return True

    def _cells(self, grid: Grid, row: list[Cell | None]
                       ) -> tuple[list[Cell], list[Cell | None]]:
        """(label cells, the seven applicant columns' cells): each number under the heading
        that shares most of its width (rows of a Word table need not share their
        column edges); without readable headings, the row's last seven cells."""
        distinct = grid.distinct(row)
        if self.header_rows is not None and grid.width == self.width:
            spans = grid.spans(row)
            keyed = [(cell, _applicant(stack[-1]) if (
                         stack := grid.labels_over(self.header_rows, spans[cell])) else None)
                     for cell in distinct]
            # the label is what comes before the first cell under a heading that is no
            # row's label (a label cell may reach into a column); after it, every cell
            # under a heading is that column's (不详 too: said), numbers before blanks
            first = next((i for i, (cell, key) in enumerate(keyed)
                          if key and not _row_label(cell.text)), len(keyed))
            found: dict[str, Cell] = {}
            for cell, key in keyed[first:]:
                if key and (key not in found or (printed_number(cell.text) and
                                                 not printed_number(found[key].text))):
                    found[key] = cell
            # a row cut short (a page cut mid-table) has None for the cells it lacks
            return [cell for cell, _ in keyed[:first]], [found.get(key) for key in APPLICANTS]
        last: list[Cell | None] = list(distinct[-7:])
        return distinct[:-7], [None] * (7 - len(last)) + last  # a short row: its last cells

    def _unknown_row(self, text: str, cells: list[Cell | None]) -> bool:
        """Inside table 三 (after its first row, before 结转下年度), a row with numbers
        and a label of no statutory row: said, never dropped silently."""
        inside = bool(self.last) and "carried_forward" not in self.stats.requests
        if not (inside and text and any(c is not None and printed_number(c.text)
                                         for c in cells)):
            return False
        self.stats.warnings.append(f"requests: a row labelled {text!r} is not a row of the "
                                   f"statutory table; not read")
        return True

    def key(self, text: str, by_place: bool = True) -> str | None:
        if not text:
            return None
        own = re.sub(r"^.*?(?:其他处理)", "", text)
        if "其他处理" in text and own in ("", ")"):
            return "other_handling"
        if re.search(r"(?:^|[\d.)])其他$", text) and (
                "其他处理" in text or self.last.startswith("other_")):
            return "other_misc"
        found = match(REQUEST_PATTERNS, text)
        return found or (self._by_place(text) if by_place else None)

    def _by_place(self, text: str) -> str | None:
        """A numbered row whose label matches nothing (``2.其他法律行政止公开``): its
        place in its group (item 2 of （三）不予公开), said in the warnings."""
        numbered = re.search(r"(\d{1,2})\.[^\d]*$", text)
        if numbered is None:
            return None
        group = next((g for g in GROUPS if g in text), None)
        if group is None:  # the group's cell is on the page before: the last row's group
            group = next((g for g, keys in GROUPS.items() if self.last in keys), None)
        keys = GROUPS.get(group or "", [])
        place = int(numbered.group(1))
        if not 1 <= place <= len(keys):
            return None
        key = keys[place - 1]
        self.stats.warnings.append(f"requests: the row labelled {text!r} read as {key} by "
                                   f"its place (item {place} under {group})")
        return key


_ENUMERATED = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|"
                         r"[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、])")


@lru_cache(maxsize=1024)
def _row_label(text: str) -> bool:
    """A row's label, not a value: numbered (一、 （三） 2.) or naming a statutory row."""
    return not is_number(text) and (bool(_ENUMERATED.match(text)) or
                                    match(REQUEST_PATTERNS, label(text)) is not None)


@lru_cache(maxsize=512)
def _applicant(heading: str) -> str | None:
    """The applicant column a heading names (asked once per heading, not per row)."""
    return match(APPLICANT_PATTERNS, heading)


def _has_numbers(cells: list[Cell | None]) -> bool:
    return any(cell is not None and printed_number(cell.text) for cell in cells)


def _joined(top: list[Cell | None], bottom: list[Cell | None],
            values: list[Cell | None]) -> str:
    """The label of a row cut in two by a page break: each label cell's two halves,
    position by position, up to the bottom half's first number."""
    numbers = {id(cell) for cell in values if cell is not None}
    parts: list[str] = []
    for upper, lower in zip(top, bottom, strict=False):
        if lower is not None and id(lower) in numbers:
            break
        for cell in (upper, lower):
            if cell is not None and cell.text and cell.text not in parts:
                parts.append(cell.text)
    return label("".join(parts))
