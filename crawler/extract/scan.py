"""Reading scanned pages: OCR, and tables rebuilt from their ruling lines.

Text comes from RapidOCR (``rapidocr-onnxruntime``, whose wheel carries its ONNX
models: nothing is fetched at run time). Tables come from the lines printed
around their cells, found with OpenCV; each OCR'd text box goes to the cell its
centre falls in, a cell whose border is missing is merged with its neighbour,
and the grids are read by the same label matching as any other table. Every
cell keeps its OCR confidence so the item can say which values were read so.

Written here rather than taken from img2table: its OCR backends either fetch
models at run time (PaddleOCR) or need Tesseract, and it brings polars for what
is, here, a line grid of a few dozen cells.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from .grid import Cell, Grid
from .text import clean

__all__ = ["ScannedPage", "ocr_missing", "read_scanned_page"]

logger = logging.getLogger(__name__)
_ENGINE: Any = None
_OPEN_ROW = 20  # pixels of column strokes past the last row line: a row left open
_NUMERIC = re.compile(r"^[\d,.，．\s-]*$")
# What the recogniser makes of small digits standing alone: 0 as 。, O or 〇; 1 as l or |.
_DIGIT_LOOKALIKES = str.maketrans({"。": "0", "O": "0", "o": "0", "〇": "0", "○": "0",
                                   "l": "1", "I": "1", "|": "1"})
_LOOKALIKE = re.compile(r"^[\d。Oo〇○lI|,.]+$")


def _digits(text: str) -> str:
    """A number cell's reading with look-alike characters as the digits they are."""
    return text.translate(_DIGIT_LOOKALIKES) if _LOOKALIKE.match(text) else text


def _engine() -> Any:
    global _ENGINE
    if _ENGINE is None:
        from rapidocr_onnxruntime import RapidOCR

        _ENGINE = RapidOCR()
    return _ENGINE


def ocr_missing() -> str | None:
    """Why OCR cannot run here (None if it can): not installed, or not loading (a
    worker's memory limit, a broken wheel)."""
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ModuleNotFoundError as exc:
        return f"no OCR installed: {exc}"
    except (ImportError, OSError, MemoryError) as exc:
        return f"OCR could not be loaded: {exc}"
    return None


@dataclass
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


@dataclass
class ScannedPage:
    text: str = ""
    grids: list[Grid] = field(default_factory=list)
    confidence: float = 1.0  # the lowest of the page's text boxes


def read_scanned_page(image: Any, source: str) -> ScannedPage:
    """OCR one page image (an RGB ``numpy`` array): its text in reading order, its
    ruled tables as grids whose cells carry their OCR confidence."""
    import cv2

    found, _ = _engine()(image)
    boxes = [_box(quad, text, score) for quad, text, score in found or []]
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    tables = _ruled_tables(gray)
    page = ScannedPage(confidence=min((b.confidence for b in boxes), default=1.0))
    placed: set[int] = set()
    for number, table in enumerate(tables, 1):
        grid, used = table.fill(boxes, f"{source} table {number}", image)
        if grid.width > 1:
            page.grids.append(grid)
            placed |= used
    page.text = _reading_order([b for i, b in enumerate(boxes) if i not in placed], page.grids,
                               tables)
    return page


def _box(quad: list[list[float]], text: str, score: float) -> _Box:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return _Box(min(xs), min(ys), max(xs), max(ys), clean(text), float(score))


def _read_crop(crop: Any) -> tuple[str, float]:
    """One cell's text and confidence, recognised as one line (no detection: a cell
    holds one number; detecting again in each cell costs more than it finds)."""
    found, _ = _engine()(crop, use_det=False, use_cls=False)
    return (_digits(clean(found[0][0])), float(found[0][1])) if found else ("", 0.0)


# ------------------------------------------------------------ ruling lines
@dataclass
class _Table:
    xs: list[int]  # column edges
    ys: list[int]  # row edges
    right: list[list[bool]]  # a border right of cell (r, c)
    below: list[list[bool]]  # a border below cell (r, c)

    def fill(self, boxes: list[_Box], source: str, image: Any) -> tuple[Grid, set[int]]:
        """The grid, its merged cells one ``Cell``, and the boxes placed in it."""
        owner = self._merged()
        texts: dict[tuple[int, int], list[_Box]] = {}
        used: set[int] = set()
        for index, box in enumerate(boxes):
            for part in self._split(box):
                where = self._cell_at(*part.centre)
                if where is not None:
                    texts.setdefault(owner[where], []).append(part)
                    used.add(index)
        cells: dict[tuple[int, int], Cell] = {}
        for root in set(owner.values()):
            parts = sorted(texts.get(root, []), key=lambda b: (round(b.y0 / 12), b.x0))
            cell = Cell(_digits(clean(" ".join(b.text for b in parts))))
            cell.confidence = min((b.confidence for b in parts), default=None)
            if _NUMERIC.match(cell.text) and list(owner.values()).count(root) == 1:
                self._reread(cell, image, *root)
            cells[root] = cell
        rows: list[list[Cell | None]] = [[cells[owner[(r, c)]] for c in range(len(self.xs) - 1)]
                                         for r in range(len(self.ys) - 1)]
        return Grid(rows, source), used

    def _reread(self, cell: Cell, image: Any, row: int, column: int) -> None:
        """Read a number cell (or an empty one) again from its own crop, borders left
        out: the page-wide reading can lean on a ruling line (a 9 read as 6). The
        crop's reading wins; two readings that disagree lower the confidence."""
        top, bottom = self.ys[row] + 4, self.ys[row + 1] - 3
        crop = image[top:bottom, self.xs[column] + 4:self.xs[column + 1] - 3]
        if crop.size == 0:
            return
        text, score = _read_crop(crop)
        if not text or not _NUMERIC.match(text) or score < (0.5 if cell.text else 0.3):
            return
        if len(text) < len(cell.text):
            return  # a crop reading that lost characters is the worse one
        if cell.text and cell.text != text:
            score = min(score, 0.5)  # two readings that disagree: check this one
        cell.text, cell.confidence = text, score

    def _split(self, box: _Box) -> list[_Box]:
        """A text box OCR ran over a column border (``结果 结果`` under two headings):
        its text shared out between the columns, by its characters' positions."""
        inside = [x for x in self.xs[1:-1] if box.x0 + 4 < x < box.x1 - 4]
        if not inside or len(box.text) < 2:
            return [box]
        parts, start, width = [], 0, box.x1 - box.x0
        edges = [box.x0, *inside, box.x1]
        for left, right in itertools.pairwise(edges):
            end = len(box.text) if right == box.x1 else round(
                len(box.text) * (right - box.x0) / width)
            if box.text[start:end].strip():
                parts.append(_Box(left, box.y0, right, box.y1, box.text[start:end].strip(),
                                  box.confidence))
            start = end
        return parts

    def _cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        column = next(c for c in range(len(self.xs) - 1) if x <= self.xs[c + 1])
        row = next(r for r in range(len(self.ys) - 1) if y <= self.ys[r + 1])
        return row, column

    def _merged(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Each cell position's representative, cells without a border between them
        joined (union-find over the grid)."""
        parent = {(r, c): (r, c) for r in range(len(self.ys) - 1) for c in range(len(self.xs) - 1)}

        def find(cell: tuple[int, int]) -> tuple[int, int]:
            while parent[cell] != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        for (r, c) in list(parent):
            if c + 1 < len(self.xs) - 1 and not self.right[r][c]:
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < len(self.ys) - 1 and not self.below[r][c]:
                parent[find((r + 1, c))] = find((r, c))
        return {cell: find(cell) for cell in parent}


def _ruled_tables(gray: Any) -> list[_Table]:
    """The tables drawn on a page: its long horizontal and vertical strokes, grouped
    by the boxes they enclose."""
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


def _table(horizontal: Any, vertical: Any, x: int, y: int) -> _Table | None:
    ys = _line_positions(horizontal.max(axis=1) > 0)
    xs = _line_positions(vertical.max(axis=0) > 0)
    if len(xs) < 2 or not ys:
        return None
    # a table cut by the page's end (or begun on the page before) has no closing line:
    # its columns' strokes run past the last (or before the first) row line
    import numpy as np

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
    return _Table([v + x for v in xs], [v + y for v in ys], right, below)


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


# ------------------------------------------------------------ reading order
def _reading_order(boxes: list[_Box], grids: list[Grid], tables: list[_Table]) -> str:
    """The page's lines top to bottom: its free text, and each table's rows as
    tab-separated lines where the table stands."""
    blocks: list[tuple[float, str]] = []
    for line in _lines(boxes):
        blocks.append((line[0].y0, " ".join(b.text for b in line)))
    for grid, table in zip(grids, tables, strict=False):
        rows = ["\t".join(c.text for c in grid.distinct(row) if c.text) for row in grid]
        blocks.append((table.ys[0], "\n".join(r for r in rows if r)))
    return "\n".join(text for _, text in sorted(blocks, key=lambda b: b[0]) if text)


def _lines(boxes: list[_Box]) -> list[list[_Box]]:
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: (b.y0, b.x0)):
        if lines and abs(lines[-1][0].centre[1] - box.centre[1]) < (box.y1 - box.y0) / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]
