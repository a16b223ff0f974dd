"""What every source reader (HTML, PDF, DOCX...) hands to the item builder."""

from __future__ import annotations

from dataclasses import dataclass, field

from .grid import Grid

__all__ = ["Document"]


@dataclass
class Document:
    source_type: str  # html | pdf | docx | doc | wps
    text: str = ""
    title: str | None = None
    grids: list[Grid] = field(default_factory=list)
    publish_date: str | None = None
    index_number: str | None = None
    doc_number: str | None = None
    publisher: str | None = None  # 发布机构 / SiteName, when the page says
    encoding: str | None = None
    images: int = 0  # pictures inside the report body
    ocr_pages: list[int] = field(default_factory=list)  # pages read from their image
    warnings: list[str] = field(default_factory=list)
    member: str | None = None  # the file read inside an archive (``a/b.docx``)
