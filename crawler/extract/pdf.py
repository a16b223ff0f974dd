"""Reading a PDF report with pdfplumber: text per page, and tables with their merged
cells intact (each cell's box tells which grid positions it covers), so a table
split over pages reads like any other."""

from __future__ import annotations

import io
import logging
from bisect import bisect_left

from .document import Document
from .grid import Cell, Grid
from .text import clean

__all__ = ["read_pdf"]

logger = logging.getLogger(__name__)
_EPSILON = 1.5  # points: edges closer than this are the same line


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
                texts.append(page.extract_text() or "")
                doc.grids += _grids(page, number)
                doc.images += len(page.images)
            except Exception as exc:  # noqa: BLE001 - a broken page must not lose the others
                doc.warnings.append(f"page {number} could not be read: {exc}")
        doc.title = clean(str((pdf.metadata or {}).get("Title") or "")) or None
    doc.text = "\n".join(_strip_page_number(t) for t in texts).strip()
    if not doc.text:
        doc.warnings.append("the PDF has no text layer (a scan?); its text and tables "
                            "could not be read")
    return doc


def _strip_page_number(text: str) -> str:
    lines = text.splitlines()
    if lines and clean(lines[-1]).strip("-— ").isdigit():
        lines = lines[:-1]
    return "\n".join(lines)


def _grids(page, number: int) -> list[Grid]:
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
    xs = _edges([b[0] for b in boxes])
    ys = _edges([b[1] for b in boxes])
    rows: list[list[Cell | None]] = [[None] * len(xs) for _ in ys]
    for x0, top, x1, bottom in boxes:
        text = page.within_bbox((x0, top, x1, bottom), strict=False).extract_text() or ""
        cell = Cell(clean(text))
        first_col, first_row = _index(xs, x0), _index(ys, top)
        last_col = bisect_left(xs, x1 - _EPSILON)
        last_row = bisect_left(ys, bottom - _EPSILON)
        for r in range(first_row, max(first_row + 1, last_row)):
            for c in range(first_col, max(first_col + 1, last_col)):
                rows[r][c] = cell
    return Grid(rows, source)


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))
