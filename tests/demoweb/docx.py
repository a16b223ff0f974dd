"""Minimal, deterministic DOCX files (WordprocessingML in a zip) for the demo web.

Only what a report needs: paragraphs and simple tables, written as Word writes
them (``w:p``/``w:r``/``w:t``, ``w:tbl``/``w:tr``/``w:tc``), so any DOCX reader,
python-docx included, opens them.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')


class DocxDocument:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def paragraph(self, text: str, bold: bool = False) -> None:
        props = "<w:rPr><w:b/></w:rPr>" if bold else ""
        self.parts.append(f'<w:p><w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t>'
                          f"</w:r></w:p>")

    def table(self, rows: list[list[str]]) -> None:
        cells = "".join(
            "<w:tr>" + "".join(f'<w:tc><w:p><w:r><w:t xml:space="preserve">{escape(c)}</w:t>'
                               f"</w:r></w:p></w:tc>" for c in row) + "</w:tr>"
            for row in rows)
        self.parts.append(f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr>'
                          f"{cells}</w:tbl>")

    def to_bytes(self) -> bytes:
        document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    f"<w:document {_NS}><w:body>{''.join(self.parts)}<w:sectPr/></w:body>"
                    f"</w:document>")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                               ("word/_rels/document.xml.rels", _DOC_RELS),
                               ("word/document.xml", document)):
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return buffer.getvalue()
