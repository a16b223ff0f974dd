"""Word tables as people leave them: every row with its own column edges.

In Word (and WPS) each table row keeps its own cell widths. Drag a border in one
row, paste a row from another table, and the rows' edges no longer meet: Word then
lays the table on a grid of every edge any row has (``w:tblGrid``), and a cell
spans several of those columns (``w:gridSpan``). A DOC converted by LibreOffice, or
a page saved as HTML by Word, comes out the same way. Readers that go by grid
position see a heading over one sliver and its number over the next.

``drag_borders`` does this to a real DOCX: each column is cut into ``parts`` and
every inner edge of every row is moved by up to one part, except the edges of
vertically merged cells, which Word keeps in line with the cells they join.
``fill_blanks`` puts a distinct number into every empty cell (the template's value
cells), so a reader that takes a number from the wrong column is seen to. ``word97``
saves a DOCX as Word 97, as LibreOffice's "MS Word 97" filter writes it.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
import zipfile
from itertools import accumulate
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT = "word/document.xml"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _rewrite(body: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(body))
    root = etree.fromstring(source.read(_DOCUMENT))
    change(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == _DOCUMENT:
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            target.writestr(info, data)
    return out.getvalue()


def fill_blanks(body: bytes) -> bytes:
    """Every empty cell that is not a vertical merge's continuation gets 1, 2, 3 … in
    document order."""
    def change(root) -> None:
        count = 0
        for tc in root.iter(_q("tc")):
            merge = tc.find(f"{_q('tcPr')}/{_q('vMerge')}")
            continued = merge is not None and merge.get(_q("val"), "continue") == "continue"
            if continued or "".join(tc.itertext()).strip():
                continue
            count += 1
            paragraph = tc.find(_q("p"))
            if paragraph is None:
                paragraph = etree.SubElement(tc, _q("p"))
            run = etree.SubElement(paragraph, _q("r"))
            etree.SubElement(run, _q("t")).text = str(count)
    return _rewrite(body, change)


def drag_borders(body: bytes, seed: int, parts: int = 6) -> bytes:
    rnd = random.Random(seed)

    def change(root) -> None:
        for table in root.iter(_q("tbl")):
            _drag(table, rnd, parts)
    return _rewrite(body, change)


def _span(tc) -> int:
    span = tc.find(f"{_q('tcPr')}/{_q('gridSpan')}")
    return int(span.get(_q("val"))) if span is not None else 1


def _drag(table, rnd: random.Random, parts: int) -> None:
    rows = []  # per row: [(tc, first column, end column)]
    for tr in table.findall(_q("tr")):
        x, cells = 0, []
        for tc in tr.findall(_q("tc")):
            cells.append((tc, x, x + _span(tc)))
            x += _span(tc)
        rows.append(cells)
    grid = table.find(_q("tblGrid"))
    if grid is None:  # optional in practice: columns of one width
        grid = etree.Element(_q("tblGrid"))
        table.insert(1, grid)
        widths = [1500] * max(end for cells in rows for _, _, end in cells)
    else:
        widths = [int(col.get(_q("w"))) for col in grid.findall(_q("gridCol"))]
    pinned = {edge for cells in rows for tc, start, end in cells
              if tc.find(f"{_q('tcPr')}/{_q('vMerge')}") is not None for edge in (start, end)}
    pinned |= {0, len(widths)}

    def moved(edge: int) -> int:
        return edge * parts + (0 if edge in pinned else rnd.choice((-1, 0, 1)))

    placed = []
    for cells in rows:
        edges = {edge: moved(edge) for _, start, end in cells for edge in (start, end)}
        placed.append([(tc, edges[start], edges[end]) for tc, start, end in cells])
    unit = [w / parts for w in widths for _ in range(parts)]
    at = [0.0, *accumulate(unit)]
    new_edges = sorted({edge for cells in placed for _, a, b in cells for edge in (a, b)})
    for col in list(grid):
        grid.remove(col)
    for a, b in zip(new_edges, new_edges[1:], strict=False):
        etree.SubElement(grid, _q("gridCol")).set(_q("w"), str(round(at[b] - at[a])))
    for cells in placed:
        for tc, a, b in cells:
            _set_span(tc, sum(1 for edge in new_edges if a < edge <= b), round(at[b] - at[a]))


def _set_span(tc, span: int, width: int) -> None:
    props = tc.find(_q("tcPr"))
    if props is None:
        props = etree.Element(_q("tcPr"))
        tc.insert(0, props)
    for tag in ("tcW", "gridSpan"):
        old = props.find(_q(tag))
        if old is not None:
            props.remove(old)
    tcw = etree.Element(_q("tcW"))
    tcw.set(_q("w"), str(width))
    tcw.set(_q("type"), "dxa")
    props.insert(0, tcw)
    if span > 1:
        gridspan = etree.Element(_q("gridSpan"))
        gridspan.set(_q("val"), str(span))
        props.insert(1, gridspan)


def word97(docx: bytes) -> bytes:
    """A DOCX saved as Word 97 by LibreOffice (b"" where LibreOffice is not installed)."""
    office = shutil.which("soffice")
    if office is None:
        return b""
    with tempfile.TemporaryDirectory(prefix="word97-") as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(docx)
        subprocess.run([office, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", folder, str(source)],
                       check=True, capture_output=True, timeout=180)
        return (Path(folder) / "report.doc").read_bytes()
