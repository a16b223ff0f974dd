"""Reading a PDF report with pdfplumber: text per page, and tables with their merged
cells intact (each cell's box tells which grid positions it covers), so a table
split over pages reads like any other. A page with no text layer (a scan) is
rendered and read by OCR (``crawler.extract.scan``)."""

from __future__ import annotations

import io
import logging
from bisect import bisect_left

from .document import Document
from .grid import Cell, Grid
from .scan import ocr_missing, read_scanned_page
from .text import clean

__all__ = ["OCR_RESOLUTION", "read_pdf"]

logger = logging.getLogger(__name__)
_EPSILON = 1.5  # points: edges closer than this are the same line
_LINE_TOLERANCE = 3  # points: characters this close in height share a line (as pdfplumber)
_GAP = 3  # points: a wider gap between characters is a space (pdfplumber's x_tolerance)
OCR_RESOLUTION = 200  # dpi a scanned page is rendered at for OCR


def read_pdf(body: bytes) -> Document:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    doc = Document("pdf")
    try:
        pdf = pdfplumber.open(io.BytesIO(body))
    except (PdfminerException, PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        doc.warnings.append(f"PDF could not be opened: {exc}".strip())
        return doc
    with pdf:
        texts = []
        for number, page in enumerate(pdf.pages, 1):
            try:
                texts.append(_page(doc, page, number))
            except Exception as exc:  # noqa: BLE001 - a broken page must not lose the others
                doc.warnings.append(f"page {number} could not be read: {exc}")
        doc.title = clean(str((pdf.metadata or {}).get("Title") or "")) or None
    doc.text = "\n".join(_strip_page_number(t) for t in texts).strip()
    if not doc.text and not doc.ocr_pages:
        missing = ocr_missing()
        why = f" ({missing})" if missing else ""
        doc.warnings.append(f"the PDF has no text layer (a scan?); its text and tables "
                            f"could not be read{why}")
    return doc


def _page(doc: Document, page, number: int) -> str:
    """One page's text, its tables added to ``doc``; a scan's by OCR."""
    if page.chars or not page.images or ocr_missing():
        doc.grids += _grids(page, number)
        doc.images += len(page.images)
        return page.extract_text() or ""
    import numpy as np

    image = page.to_image(resolution=OCR_RESOLUTION).original.convert("RGB")
    scanned = read_scanned_page(np.array(image), f"page {number}")
    doc.grids += scanned.grids
    doc.ocr_pages.append(number)
    return scanned.text


def _strip_page_number(text: str) -> str:
    lines = text.splitlines()
    if lines and clean(lines[-1]).strip("-— ").isdigit():
        lines = lines[:-1]
    return "\n".join(lines)


def _grids(page, number: int) -> list[Grid]:
    """The page's ruled tables; a page with no ruling at all has none (and skips the
    table finder, the costliest step of a page)."""
    if not (page.rects or page.lines or page.curves):
        return []
    grids = []
    for index, table in enumerate(page.find_tables(), 1):
        grid = _grid(page, table, f"page {number} table {index}")
        if grid.width > 1:  # one-column "tables" are framed paragraphs
            grids.append(grid)
    return grids


def _edges(values: list[float]) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > _EPSILON:
            edges.append(value)
    return edges


def _grid(page, table, source: str) -> Grid:
    boxes = [c for c in table.cells if c]
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    rows: list[list[Cell | None]] = [[None] * (len(xs) - 1) for _ in ys[:-1]]
    for x0, top, x1, bottom in boxes:
        cell = Cell("")
        first_col, first_row = _index(xs, x0), _index(ys, top)
        last_col, last_row = _index(xs, x1), _index(ys, bottom)
        for r in range(first_row, max(first_row + 1, last_row)):
            for c in range(first_col, max(first_col + 1, last_col)):
                rows[r][c] = cell
    _fill(rows, xs, ys, page.chars)
    return Grid(rows, source, [right - left for left, right in zip(xs, xs[1:], strict=False)])


def _fill(rows: list[list[Cell | None]], xs: list[float], ys: list[float],
          chars: list[dict]) -> None:
    """Each character to the cell its centre falls in, in one pass over the page's
    characters (cropping the page once per cell costs a pass per cell), then each
    cell's text in reading order: lines top to bottom, a space where a gap is."""
    found: dict[int, list[dict]] = {}
    cells: dict[int, Cell] = {}
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            continue
        row = min(bisect_left(ys, y) - 1, len(rows) - 1)
        column = min(bisect_left(xs, x) - 1, len(xs) - 2)
        cell = rows[max(row, 0)][max(column, 0)]
        if cell is not None:
            found.setdefault(id(cell), []).append(char)
            cells[id(cell)] = cell
    for key, members in found.items():
        cells[key].text = _text(members)


def _text(chars: list[dict]) -> str:
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(char["top"] - lines[-1][-1]["top"]) <= _LINE_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
    words = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        text, last = "", None
        for char in line:
            if last is not None and char["x0"] - last > _GAP:
                text += " "
            text += char["text"]
            last = char["x1"]
        words.append(text)
    return clean(" ".join(words))


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))
