"""Telling HTML, PDF, DOCX, DOC/WPS, OFD, XLS and archives (ZIP, RAR, 7z) apart from the
bytes themselves."""

from __future__ import annotations

import io
import re
import zipfile

__all__ = ["sniff", "source_type_for"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MEDIA = {"text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
          "application/msword": "doc", "application/kswps": "wps",
          "application/wps-office.wps": "wps",
          "application/vnd.ms-works": "wps", "application/ofd": "ofd",
          "application/vnd.ms-excel": "xls"}


def sniff(body: bytes, hint: str | None = None) -> str:
    """``html``, ``pdf``, ``docx``, ``doc``, ``wps``, ``ofd``, ``xls``, ``xlsx``, ``zip``,
    ``rar``, ``7z``, ``image`` or ``unknown``.
    ``hint`` (from the URL or Content-Type) decides between formats that look alike
    (a .wps and a .doc are both OLE2 files)."""
    head = body[:1024].lstrip()
    if head.startswith(b"%PDF-") or b"%PDF-" in body[:1024]:
        return "pdf"
    if body.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
        except zipfile.BadZipFile:
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "OFD.xml" in names:
            return "ofd"
        return "xlsx" if "xl/workbook.xml" in names else "zip"  # an archive of files
    if body.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) \
            or (body.startswith(b"RIFF") and body[8:12] == b"WEBP") \
            or (body.startswith(b"BM") and len(body) > 26 and body[14] in (12, 40, 56, 108, 124)):
        return "image"  # a picture (of a table, perhaps)
    if body.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if body.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if body.startswith(_OLE2):
        if hint in ("wps", "xls", "doc"):
            return hint
        return "xls" if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in body[:65536] else "doc"
    if re.search(rb"<(?:!doctype\s+html|html|head|body|div|p|table|meta)\b", head[:1024].lower()):
        return "html"
    return "unknown"


def source_type_for(content_type: str | None, url: str | None) -> str | None:
    """What the HTTP header or the URL's extension say the document is."""
    if content_type:
        media = content_type.split(";")[0].strip().lower()
        if media in _MEDIA:
            return _MEDIA[media]
    if url:
        match = re.search(r"\.(html?|shtml|jsp|pdf|docx?|wps|ofd|xlsx?|zip|rar|7z)(?:$|[?#])",
                          url.lower())
        if match:
            ext = match.group(1)
            return {"htm": "html", "shtml": "html", "jsp": "html"}.get(ext, ext)
    return None
