"""Reading scanned pages: tables rebuilt from their ruling lines, then OCR.

Text comes from RapidOCR (``rapidocr-onnxruntime``, whose wheel carries its ONNX
models: nothing is fetched at run time). The ruling lines are found first
(``crawler.extract.ruling``); each cell's lines of ink are cut from the page and
recognised once, all of a page's in one batch, and only the text outside the tables
goes through text detection, on a reduced copy of the page. Detecting the whole page
and re-reading each number from its own crop took three times as long for the same
cells. Every cell keeps its OCR confidence so the item can say which values were
read so. The grids are read by the same label matching as any other table.
"""

from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from .grid import Cell, Grid
from .ruling import RuledTable, ruled_tables, upright
from .text import clean

__all__ = ["ScannedPage", "ocr_missing", "read_scanned_page"]

logger = logging.getLogger(__name__)
_ENGINE: Any = None
_DETECT_SIDE = 960  # the page's shorter side when its free text is detected (pixels)
_MIN_SCORE = 0.3  # a line recognised below this is a speck, not text
_NUMERIC = re.compile(r"^[\d,.，．\s-]*$")
# What the recogniser makes of small digits standing alone: 0 as 。, O or 〇; 1 as l or |.
_DIGIT_LOOKALIKES = str.maketrans({"。": "0", "O": "0", "o": "0", "〇": "0", "○": "0",
                                   "l": "1", "I": "1", "|": "1"})
_LOOKALIKE = re.compile(r"^[\d。Oo〇○lI|,.]+$")


# The statutory labels' words a blurred or coarse scan reads one stroke wrong: 予 as 子.
_MISREAD_WORDS = (("子以", "予以"), ("不子", "不予"))


def _words(text: str) -> str:
    """A cell's reading with the statutory words OCR is known to misread put right."""
    for misread, word in _MISREAD_WORDS:
        text = text.replace(misread, word)
    return text


def _digits(text: str) -> str:
    """A number cell's reading with look-alike characters as the digits they are."""
    return text.translate(_DIGIT_LOOKALIKES) if _LOOKALIKE.match(text) else text


def _engine() -> Any:
    global _ENGINE
    if _ENGINE is None:
        from rapidocr_onnxruntime import RapidOCR

        _ENGINE = RapidOCR()
        # a batch is padded to its widest line, and every line to at least this
        # width: 48 (one character) rather than 320 spares a number cell six times
        # its own width of padding
        _ENGINE.text_rec.rec_image_shape = [3, 48, 48]
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
    confidence: float = 1.0  # the lowest of the page's readings


Span = tuple[int, int, int, int]  # top, bottom, left, right


def read_scanned_page(image: Any, source: str) -> ScannedPage:
    """OCR one page image (an RGB ``numpy`` array): its text in reading order, its
    ruled tables as grids whose cells carry their OCR confidence."""
    import cv2
    import numpy as np

    image, gray = upright(image, cv2.cvtColor(image, cv2.COLOR_RGB2GRAY))
    # ink: darker than the paper by a margin (a grey scan's paper is not white)
    ink = gray < min(160, int(np.median(gray[::8, ::8])) - 60)
    tables = [t for t in ruled_tables(gray) if t.columns > 1]
    owners = [table.merged() for table in tables]
    lines = _cell_lines(tables, owners, ink)
    quads = _free_text(image, ink, tables)
    crops = [image[top:bottom, left:right] for cells in lines for spans in cells.values()
             for top, bottom, left, right in spans]
    readings = iter(_recognise(crops, _engine().get_crop_img_list(image, quads)))
    page = ScannedPage()
    for number, (table, owner, spans_of) in enumerate(zip(tables, owners, lines, strict=True),
                                                      1):
        cells = {root: _cell([next(readings) for _ in spans]) for root, spans in spans_of.items()}
        rows: list[list[Cell | None]] = [[cells[owner[(r, c)]] for c in range(table.columns)]
                                         for r in range(table.rows)]
        widths = [float(b - a) for a, b in zip(table.xs, table.xs[1:], strict=False)]
        page.grids.append(Grid(rows, f"{source} table {number}", widths))
    boxes = [_box(quad, *reading) for quad, reading in zip(quads, readings, strict=True)]
    boxes = [box for box in boxes if box.text]
    scores = [c.confidence for g in page.grids for row in g for c in row
              if c is not None and c.confidence is not None] + [b.confidence for b in boxes]
    page.confidence = min(scores, default=1.0)
    page.text = _reading_order(boxes, page.grids, tables)
    return page


def _recognise(cells: list[Any], free: list[Any]) -> list[tuple[str, float]]:
    """Every line of the page recognised in one batch: cells' lines, then the free
    text's (turned upright first when upside down)."""
    engine = _engine()
    if free:
        free, _, _ = engine.text_cls(free)
    lines = cells + list(free)
    found: list[tuple[str, float]] = [("", 0.0)] * len(lines)
    for batch in _batches(lines):
        engine.text_rec.rec_batch_num = len(batch)
        read, _ = engine.text_rec([lines[i] for i in batch])
        for index, (text, score) in zip(batch, read, strict=True):
            if score >= _MIN_SCORE:
                found[index] = (clean(text), float(score))
    return found


def _batches(lines: list[Any], budget: float = 16.0, most: int = 6) -> list[list[int]]:
    """Lines of like width together, as many as keep a batch within ``budget``
    characters of width: recognition costs more than linearly with a batch's padded
    size (measured: six page-wide lines together take twice as long as one by one,
    while number cells go fastest four to six at a time)."""
    order = sorted(range(len(lines)), key=lambda i: lines[i].shape[1] / lines[i].shape[0])
    batches: list[list[int]] = []
    for index in order:
        ratio = lines[index].shape[1] / lines[index].shape[0]
        if batches and len(batches[-1]) < most and (len(batches[-1]) + 1) * ratio <= budget:
            batches[-1].append(index)
        else:
            batches.append([index])
    return batches


def _cell(readings: list[tuple[str, float]]) -> Cell:
    kept = [(text, score) for text, score in readings if text]
    cell = Cell(_words(_digits(clean(" ".join(text for text, _ in kept)))))
    cell.confidence = min((score for _, score in kept), default=None)
    return cell


def _box(quad: Any, text: str, score: float) -> _Box:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return _Box(min(xs), min(ys), max(xs), max(ys), text, score)


# ------------------------------------------------------------ lines of ink
def _cell_lines(tables: list[RuledTable], owners: list[dict], ink: Any
                ) -> list[dict[tuple[int, int], list[Span]]]:
    """Per table, each merged cell's lines of text, top to bottom."""
    runs = [{root: _ink_runs(ink, box) for root, box in table.cell_boxes(owner).items()}
            for table, owner in zip(tables, owners, strict=True)]
    em = _em([run for cells in runs for spans in cells.values() for run in spans])
    return [{root: _joined(spans, em) for root, spans in cells.items()} for cells in runs]


def _ink_runs(ink: Any, box: Span) -> list[Span]:
    """A cell's runs of inked rows (a line of text, or a stroke of one: 三 is three),
    each as wide as its ink."""
    top, bottom, left, right = box
    cell = ink[top:bottom, left:right].copy()
    if cell.size == 0:
        return []
    edge = 6  # a ruling line's remains at the cell's edge (a skewed scan) are no text
    cell[:edge][cell[:edge].mean(axis=1) > 0.7] = False
    cell[-edge:][cell[-edge:].mean(axis=1) > 0.7] = False
    cell[:, :edge][:, cell[:, :edge].mean(axis=0) > 0.7] = False
    cell[:, -edge:][:, cell[:, -edge:].mean(axis=0) > 0.7] = False
    runs, start = [], None
    rows = list(cell.sum(axis=1)) + [0]
    for y, count in enumerate(rows):
        if count and start is None:
            start = y
        elif not count and start is not None:
            band = cell[start:y]
            if band.sum() >= 8:
                columns = band.any(axis=0).nonzero()[0]
                runs.append((top + start, top + y, left + int(columns[0]),
                             left + int(columns[-1]) + 1))
            start = None
    return runs


def _em(runs: list[Span]) -> float:
    """The height of a character: the usual run is a line of digits, a character is
    about half as tall again."""
    heights = [b - t for t, b, _, _ in runs if b - t >= 6]
    return 1.45 * statistics.median(heights) if heights else 30.0


def _joined(runs: list[Span], em: float, pad: int = 4) -> list[Span]:
    """Runs that are strokes of one line of characters (三, 二, a dash beside a
    number) joined into that line, each line padded with white."""
    lines: list[list[int]] = []
    for top, bottom, left, right in runs:
        if lines and bottom - lines[-1][0] <= 1.2 * em:
            line = lines[-1]
            line[1], line[2], line[3] = bottom, min(line[2], left), max(line[3], right)
        else:
            lines.append([top, bottom, left, right])
    return [(max(0, top - pad), bottom + pad, max(0, left - pad), right + pad)
            for top, bottom, left, right in lines]


# ------------------------------------------------------------ free text
def _free_text(image: Any, ink: Any, tables: list[RuledTable]) -> list[Any]:
    """The text boxes outside the tables, detected on a copy of the page with the
    tables blanked, reduced so that its shorter side is ``_DETECT_SIDE`` (text
    detection needs less than recognition does); in page coordinates."""
    import cv2
    import numpy as np

    outside = ink.copy()
    page = image.copy()
    for table in tables:
        top, bottom, left, right = table.area()
        outside[top:bottom + 1, left:right + 1] = False
        page[top:bottom + 1, left:right + 1] = 255
    if outside.sum() < 50:
        return []
    scale = min(1.0, _DETECT_SIDE / min(page.shape[:2]))
    if scale < 1.0:
        page = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    quads, _ = _engine().text_det(page)
    if quads is None or not len(quads):
        return []
    return [np.asarray(quad, dtype=np.float32) / scale for quad in quads]


# ------------------------------------------------------------ reading order
def _reading_order(boxes: list[_Box], grids: list[Grid], tables: list[RuledTable]) -> str:
    """The page's lines top to bottom: its free text, and each table's rows as
    tab-separated lines where the table stands."""
    blocks: list[tuple[float, str]] = []
    for line in _lines(boxes):
        blocks.append((line[0].y0, " ".join(b.text for b in line)))
    for grid, table in zip(grids, tables, strict=True):
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
