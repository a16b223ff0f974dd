"""Tables drawn on a page image, found by their ruling lines (OpenCV): the column and
row edges, which borders are drawn (a missing one joins two cells), and each merged
cell's box. What is written in the cells is read by ``crawler.extract.scan``.

Written here rather than taken from img2table: it brings polars and its own OCR
backends for what is, here, a line grid of a few dozen cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["RuledTable", "ruled_tables", "upright"]

_OPEN_ROW = 20  # pixels of column strokes past the last row line: a row left open
_INSET = (4, 3)  # pixels left out inside a cell's top/left and bottom/right borders


@dataclass
class RuledTable:
    xs: list[int]  # column edges
    ys: list[int]  # row edges
    right: list[list[bool]]  # a border right of cell (r, c)
    below: list[list[bool]]  # a border below cell (r, c)

    @property
    def columns(self) -> int:
        return len(self.xs) - 1

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    def area(self) -> tuple[int, int, int, int]:
        """The table's outer box: top, bottom, left, right."""
        return self.ys[0], self.ys[-1], self.xs[0], self.xs[-1]

    def merged(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Each cell position's representative, cells without a border between them
        joined (union-find over the grid)."""
        parent = {(r, c): (r, c) for r in range(self.rows) for c in range(self.columns)}

        def find(cell: tuple[int, int]) -> tuple[int, int]:
            while parent[cell] != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        for (r, c) in list(parent):
            if c + 1 < self.columns and not self.right[r][c]:
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < self.rows and not self.below[r][c]:
                parent[find((r + 1, c))] = find((r, c))
        return {cell: find(cell) for cell in parent}

    def cell_boxes(self, owner: dict[tuple[int, int], tuple[int, int]]
                   ) -> dict[tuple[int, int], tuple[int, int, int, int]]:
        """Each merged cell's inside (top, bottom, left, right), its borders left out."""
        spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for cell, root in owner.items():
            spans.setdefault(root, []).append(cell)
        boxes = {}
        for root, cells in spans.items():
            top, bottom = min(r for r, _ in cells), max(r for r, _ in cells) + 1
            left, right = min(c for _, c in cells), max(c for _, c in cells) + 1
            boxes[root] = (self.ys[top] + _INSET[0], self.ys[bottom] - _INSET[1],
                           self.xs[left] + _INSET[0], self.xs[right] - _INSET[1])
        return boxes


def upright(image: Any, gray: Any) -> tuple[Any, Any]:
    """The page turned level when its ruling lines slope (a sheet fed askew: half a
    degree moves a border by ten pixels across a table, and the cells' borders are
    looked for within three). The slope is the median of the long horizontal lines'."""
    import cv2
    import numpy as np

    height, width = gray.shape
    binary = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                   cv2.THRESH_BINARY, 15, -2)
    lines = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(25, width // 30), 1)))
    count, labels, boxes, _ = cv2.connectedComponentsWithStats(lines)
    slopes = []
    for number in range(1, count):
        x, y, w, h, _ = boxes[number]
        if w >= width // 4:
            ys, xs = np.nonzero(labels[y:y + h, x:x + w] == number)
            slopes.append(np.polyfit(xs, ys, 1)[0])
    if not slopes:
        return image, gray
    angle = float(np.degrees(np.arctan(np.median(slopes))))
    if abs(angle) < 0.1 or abs(angle) > 5:  # level enough, or no sheet fed that badly
        return image, gray
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    level = [cv2.warpAffine(plane, turn, (width, height), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
             for plane in (image, gray)]
    return level[0], level[1]


def ruled_tables(gray: Any) -> list[RuledTable]:
    """The tables drawn on a page: its long horizontal and vertical strokes, grouped
    by the boxes they enclose, top to bottom."""
    import cv2
    import numpy as np

    height, width = gray.shape
    binary = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                   cv2.THRESH_BINARY, 15, -2)
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(25, width // 30), 1)))
    # longer than a tall glyph (a "1" is a vertical stroke too), shorter than a row
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(
        cv2.MORPH_RECT, (1, max(40, height // 50))))
    frame = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    count, _, boxes, _ = cv2.connectedComponentsWithStats(frame)
    tables = []
    for x, y, w, h, _ in boxes[1:count]:
        if w < width // 4 or h < 30:
            continue
        table = _table(horizontal[y:y + h, x:x + w], vertical[y:y + h, x:x + w], x, y)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.ys[0])


def _table(horizontal: Any, vertical: Any, x: int, y: int) -> RuledTable | None:
    import numpy as np

    ys = _line_positions(horizontal.max(axis=1) > 0)
    xs = _line_positions(vertical.max(axis=0) > 0)
    if len(xs) < 2 or not ys:
        return None
    # a table cut by the page's end (or begun on the page before) has no closing line:
    # its columns' strokes run past the last (or before the first) row line
    drawn = np.nonzero(vertical.max(axis=1))[0]
    if len(drawn) and ys[0] - drawn[0] > _OPEN_ROW:
        ys.insert(0, int(drawn[0]))
    if len(drawn) and drawn[-1] - ys[-1] > _OPEN_ROW:
        ys.append(int(drawn[-1]))
    if len(ys) < 2:
        return None
    right = [[_stroke(vertical, xs[c + 1], ys[r], ys[r + 1], axis=0)
              for c in range(len(xs) - 1)] for r in range(len(ys) - 1)]
    below = [[_stroke(horizontal, ys[r + 1], xs[c], xs[c + 1], axis=1)
              for c in range(len(xs) - 1)] for r in range(len(ys) - 1)]
    return RuledTable([v + x for v in xs], [v + y for v in ys], right, below)


def _line_positions(present: Any) -> list[int]:
    """The centres of the runs of ``True`` (a ruling line is a few pixels thick)."""
    positions, start = [], None
    for index, on in enumerate(list(present) + [False]):
        if on and start is None:
            start = index
        elif not on and start is not None:
            positions.append((start + index - 1) // 2)
            start = None
    return positions


def _stroke(mask: Any, at: int, start: int, end: int, axis: int) -> bool:
    """Is there a line along ``at`` from ``start`` to ``end`` (mostly drawn)?"""
    margin = max(2, (end - start) // 6)
    band = (mask[start + margin:end - margin, max(0, at - 3):at + 4] if axis == 0
            else mask[max(0, at - 3):at + 4, start + margin:end - margin])
    if band.size == 0:
        return True
    drawn = band.max(axis=1 if axis == 0 else 0) > 0
    return bool(drawn.mean() > 0.6)
