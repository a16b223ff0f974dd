"""Reading a DOCX report with python-docx: paragraphs and tables in body order, merged
cells kept as one cell (python-docx hands out the same cell for every grid position
a merged cell covers)."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from .document import Document
from .grid import Cell, Grid
from .text import clean

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(body: bytes, source_type: str = "docx") -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    doc = Document(source_type)
    try:
        document = docx.Document(io.BytesIO(body))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as exc:  # a damaged package, or garbage in its XML parts
        doc.warnings.append(f"DOCX could not be opened: {exc}".strip())
        return doc
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean("".join(node.text or "" for node in child.iter()
                                 if node.tag.endswith("}t")))
            if text:
                lines.append(text)
        elif tag == "tbl":
            grid = _grid(Table(child, document), f"table {len(doc.grids) + 1}")
            doc.grids.append(grid)
            lines += ["\t".join(c.text for c in grid.distinct(row) if c.text) for row in grid]
    doc.text = "\n".join(line for line in lines if line)
    doc.images = len(document.inline_shapes)
    core = document.core_properties
    doc.title = clean(core.title) or None
    return doc


def _grid(table, source: str) -> Grid:
    # Keyed by the <w:tc> element itself (not id(): lxml proxies come and go, ids recur).
    cells: dict[object, Cell] = {}
    rows = []
    for row in table.rows:
        # a row may start after the grid's first column and end before its last
        line: list[Cell | None] = [None] * row.grid_cols_before
        for cell in row.cells:
            if cell._tc not in cells:
                cells[cell._tc] = Cell(clean(cell.text))
            line.append(cells[cell._tc])
        rows.append(line + [None] * row.grid_cols_after)
    # the grid's columns are every edge any row has: a sliver counts for its width
    grid = table._tbl.find(f"{_W}tblGrid")  # optional in practice (python-docx demands it)
    widths = [_twips(col.get(f"{_W}w")) for col in grid.iterchildren(f"{_W}gridCol")
              ] if grid is not None else []
    return Grid(rows, source, widths if len(widths) == max(map(len, rows), default=0) and
                all(widths) else None)


def _twips(value: str | None) -> float:
    """A grid column's width; 0 (unknown) for a missing or unit-suffixed one."""
    try:
        return float(value or 0)
    except ValueError:
        return 0.0
