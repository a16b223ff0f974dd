"""Small, deterministic PDFs with Chinese text for the demo web.

Text uses the non-embedded Adobe-GB1 font ``STSong-Light`` with the
``UniGB-UCS2-H`` CMap, which every PDF reader (and pdfminer/pdfplumber) knows,
so a report PDF is a few kilobytes and needs no font files. Tables are drawn
with ruling lines, the way WPS/Word exports them, so table finders see cells.
"""

from __future__ import annotations

import zlib

PAGE_W, PAGE_H, MARGIN = 595, 842, 56
FONT_SIZE, LEADING = 10.5, 16


def _utf16(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def _width(text: str, size: float = FONT_SIZE) -> float:
    # /DW 1000 and no /W array: every glyph, ASCII too, is one em wide.
    return len(text) * size


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and _width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line or not lines else lines


class _Page:
    def __init__(self) -> None:
        self.ops: list[str] = []
        self.y = PAGE_H - MARGIN

    def text(self, x: float, y: float, text: str, size: float = FONT_SIZE) -> None:
        self.ops.append(f"BT /F1 {size} Tf {x:.1f} {y:.1f} Td {_utf16(text)} Tj ET")

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        self.ops.append(f"{x:.1f} {y:.1f} {w:.1f} {h:.1f} re S")


class PdfDocument:
    def __init__(self, title: str = "") -> None:
        self.title = title
        self.pages: list[_Page] = [_Page()]

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def _need(self, height: float) -> _Page:
        if self.page.y - height < MARGIN:
            self.pages.append(_Page())
        return self.page

    def paragraph(self, text: str, size: float = FONT_SIZE) -> None:
        per_line = int((PAGE_W - 2 * MARGIN) // size)
        for start in range(0, max(len(text), 1), per_line):
            page = self._need(LEADING)
            page.y -= LEADING
            page.text(MARGIN, page.y, text[start:start + per_line], size)

    def table(self, rows: list[list[str]], widths: list[float] | None = None,
              size: float = 9) -> None:
        """Rows of cell texts; ``widths`` in points (default: equal). Long texts wrap
        inside their cell, as Word exports them. Splits across pages."""
        ncols = max(len(r) for r in rows)
        widths = widths or [(PAGE_W - 2 * MARGIN) / ncols] * ncols
        for row in rows:
            wrapped = [_wrap(cell, width - 4, size)
                       for cell, width in zip(row, widths, strict=False)]
            height = max(len(lines) for lines in wrapped) * (size + 3) + 5
            page = self._need(height)
            page.y -= height
            x = MARGIN
            for lines, width in zip(wrapped, widths, strict=False):
                page.rect(x, page.y, width, height)
                for n, line in enumerate(lines):
                    page.text(x + 2, page.y + height - (n + 1) * (size + 3), line, size)
                x += width
        self.page.y -= 4

    def to_bytes(self) -> bytes:
        objects: list[bytes] = []
        n_pages = len(self.pages)
        font_id, descendant_id = 3 + 2 * n_pages, 4 + 2 * n_pages
        page_ids = [3 + 2 * i for i in range(n_pages)]
        objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
        objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>"
                       % (b" ".join(b"%d 0 R" % i for i in page_ids), n_pages))
        for i, page in enumerate(self.pages):
            stream = zlib.compress("\n".join(page.ops).encode("ascii"))
            objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
                           b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                           % (PAGE_W, PAGE_H, font_id, page_ids[i] + 1))
            objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
                           % (len(stream), stream))
        objects.append(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
                       b"/Encoding /UniGB-UCS2-H /DescendantFonts [%d 0 R] >>" % descendant_id)
        objects.append(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                       b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
                       b"/FontDescriptor %d 0 R /DW 1000 >>" % (descendant_id + 1))
        objects.append(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
                       b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
                       b"/CapHeight 880 /StemV 93 >>")
        info_id = len(objects) + 1
        objects.append(b"<< /Title %s /Producer (demoweb) >>"
                       % _utf16("\ufeff" + self.title).encode("ascii") if self.title
                       else b"<< /Producer (demoweb) >>")
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
        out += (b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                % (len(objects) + 1, info_id, xref))
        return bytes(out)
