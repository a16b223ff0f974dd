"""Extraction: report bytes (HTML, PDF, DOCX, DOC/WPS) to a ``ReportItem``.

Plain functions, independent of Scrapy's engine: the spider calls ``extract`` on
what it downloads, ``python -m crawler.extract FILE`` on a file, and re-extraction
on records read back from the WARCs.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from ..discovery.text import is_report_title, report_year
from ..discovery.titles import choose_title, title_lines
from ..items import ReportItem
from .archives import read_archive
from .checks import judged_checks
from .doc import read_doc
from .document import Document
from .docx import read_docx
from .html import read_html
from .image import read_image
from .integrity import first_year, spam_flags, year_flags
from .pdf import read_pdf
from .sections import split_sections
from .sniff import sniff, source_type_for
from .statistics import Statistics, read_statistics

__all__ = ["NOT_A_REPORT", "Document", "extract", "extract_pages", "fill_from_document",
           "nothing_read", "read_document", "report_id", "says_not_a_report"]

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def read_document(body: bytes, url: str | None = None,
                  content_type: str | None = None) -> Document:
    hint = source_type_for(content_type, url)
    if not body.strip():
        doc = Document(hint or "unknown")
        doc.warnings.append("the file is empty: nothing to read")
        return doc
    kind = sniff(body, hint)
    if kind == "unknown" and hint:
        kind = hint  # a damaged file of the announced kind: its reader says what is wrong
    if kind == "html":
        match = _CHARSET.search(content_type or "")
        return read_html(body, match.group(1) if match else None)
    if kind == "pdf":
        return read_pdf(body)
    if kind == "docx":
        return read_docx(body)
    if kind in ("doc", "wps"):
        return read_doc(body, kind)
    if kind == "zip":
        return read_archive(body, read_document)
    if kind == "image":
        return read_image(body)
    doc = Document(kind if kind != "unknown" else (hint or "unknown"))
    doc.warnings.append(f"{doc.source_type.upper()} documents are not read (only HTML, PDF, "
                        f"DOCX, DOC, WPS and ZIP); the file is archived as is")
    return doc


def report_id(url: str | None, body: bytes) -> str:
    """Stable across recrawls: the URL without its scheme (http/https moves keep it);
    the content when there is no URL."""
    if url:
        parts = urlsplit(url)
        key = f"{(parts.hostname or '').lower()}{parts.path}?{parts.query}"
    else:
        key = hashlib.sha1(body).hexdigest()
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def extract(body: bytes, url: str | None = None, content_type: str | None = None) -> ReportItem:
    doc = read_document(body, url, content_type)
    return build_item(doc, url or "", content_type, report_id(url, body))


def extract_pages(bodies: list[bytes], url: str, content_type: str | None = None) -> ReportItem:
    """One item from a report page and its further pages (``…_2.html``), read in order
    as one document: the text and tables of each page follow the previous one's."""
    docs = [read_document(body, url, content_type) for body in bodies]
    first = docs[0]
    for number, doc in enumerate(docs[1:], 2):
        first.text = f"{first.text}\n{doc.text}" if first.text else doc.text
        first.grids += doc.grids
        first.images += doc.images
        first.ocr_pages += [number] if doc.ocr_pages else []  # a picture of a table
        first.warnings += [w for w in doc.warnings if w not in first.warnings]
    return build_item(first, url, content_type, report_id(url, bodies[0]))


# What a page's item takes from its document when the page says only 详见附件.
_CONTENT_FIELDS = ("text", "sections", "proactive", "requests", "appeals", "checks",
                   "format_version", "source_type")


_PAGE_TABLE_WARNINGS = ("no statutory statistics tables found",
                        "the statistics tables are published as pictures; not read")
_INFERRED = "inferred from the year"  # a format told by the year: the tables were not read


NOT_A_REPORT = "not a report"  # the extractor's verdict, when it read text and found none


def says_not_a_report(item: ReportItem) -> bool:
    """Read, and neither titled nor laid out as a report (the extractor's warning)."""
    return any(w.startswith(f"{NOT_A_REPORT}:") for w in item.warnings)


def nothing_read(item: ReportItem) -> bool:
    """Neither text nor a table could be read (a scan without OCR, a broken file):
    archived, but not yet data."""
    return not (item.text or item.requests or item.proactive or item.appeals)


def fill_from_document(item: ReportItem, document: ReportItem, url: str) -> None:
    """Give a report page that only points at its document (详见附件, a viewer) the
    document's text and tables; the page keeps its URL, title and date."""
    for name in _CONTENT_FIELDS:
        setattr(item, name, getattr(document, name))
    item.year = item.year or document.year
    item.publish_date = item.publish_date or document.publish_date
    # What the page's lack of tables said no longer holds: its document has them (or
    # says itself what it lacks).
    item.flags = [f for f in item.flags if not f.startswith(("tables_as_images",
                                                             "tables_missing"))]
    item.flags += [f for f in document.flags if f not in item.flags]
    item.warnings = [w for w in item.warnings if w not in _PAGE_TABLE_WARNINGS
                     and _INFERRED not in w]
    item.warnings += document.warnings
    item.read_from = document.read_from or url  # (an archive's member: ``url!/member``)


_TABLE_SECTIONS = ("proactive", "requests", "appeals")
OCR_ENGINE = "RapidOCR (PP-OCRv4, rapidocr-onnxruntime), tables from ruling lines"


def _ocr(doc: Document, stats: Statistics) -> dict[str, Any] | None:
    """Which pages were read from their image, and each value read so with its
    confidence: numbers a reader should check against the page before relying on."""
    if not doc.ocr_pages:
        return None
    return {"pages": doc.ocr_pages, "engine": OCR_ENGINE, "cells": dict(stats.ocr)}


def _missing_tables(doc: Document, title: str | None, year: int | None,
                    sections: dict[str, str | None], warnings: list[str]) -> list[str]:
    """What a document without statutory tables is: tables as pictures, tables missing
    from a 2019+ report, or not a report at all. Adds its warning; returns its flags."""
    headed = [key for key in _TABLE_SECTIONS if sections.get(key)]
    if not is_report_title(title) and not any(sections.values()):
        if doc.text or doc.grids:
            warnings.append(f"{NOT_A_REPORT}: no report title, statutory table or report section")
        return []
    if year is not None and year < 2019:
        return []  # free-form reports: no tables to miss
    if doc.images:
        warnings.append("the statistics tables are published as pictures; not read")
        return [f"tables_as_images: no statistics tables in the text, {doc.images} "
                f"picture(s) in the body"]
    if len(headed) == len(_TABLE_SECTIONS):
        warnings.append("sections 二、三、四 are there, their statutory tables are not")
        return ["tables_missing: the report's sections 二、三、四 have no statutory tables"]
    warnings.append("no statutory statistics tables found")
    return []


def _agency(title: str | None, publisher: str | None) -> str | None:
    if title:
        match = re.match(r"^(.{2,30}?)(?:关于)?(?:19|20)\d\d\s*年", re.sub(r"\s+", "", title))
        if match:
            return match.group(1)
        match = re.match(r"^(?:19|20)\d\d\s*年度?(.{2,30}?)(?:政府|政务)?信息公开", title)
        if match:
            return match.group(1)
    return publisher


def _format_version(stats, year: int | None) -> str:
    columns = {c for row in stats.proactive.values() for c in row}
    rows = set(stats.requests)
    if columns & {"issued", "repealed", "in_force"} or rows & {
            "other_no_correction", "other_unpaid_fee", "other_misc"}:
        return "2021"
    if columns & {"made", "published", "total_public", "items_prev_year"} or \
            "other_handling" in rows or {"other_services", "procurement"} & set(stats.proactive):
        return "2019"
    if not (stats.requests or stats.proactive or stats.appeals) and year and year <= 2018:
        return "pre2019"
    return "unknown"


def _inferred_format(fmt: str, year: int | None, title: str | None,
                     sections: dict[str, str | None], warnings: list[str]) -> str:
    """A report of 2019 or later without its tables (stripped, or pictures) is still in
    the format its year was due in: 2019 for 2019-2020, 2021 from 2021. Said so."""
    if fmt != "unknown" or year is None or year < 2019 or not (
            is_report_title(title) or any(sections.values())):
        return fmt
    inferred = "2021" if year >= 2021 else "2019"
    warnings.append(f"format_version {inferred} {_INFERRED} {year}: no statutory tables to "
                    "tell it by")
    return inferred


def build_item(doc: Document, url: str, content_type: str | None, rid: str) -> ReportItem:
    member = (doc.member or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]  # a file's own name
    title = choose_title([doc.title, *title_lines(doc.text), *([member] if member else [])])
    year = report_year(title) or first_year(doc.text)
    stats = read_statistics(doc.grids)
    warnings = [*doc.warnings, *stats.warnings]
    flags = spam_flags(f"{title or ''}\n{doc.text}") + year_flags(report_year(title), doc.text,
                                                                   doc.publish_date)
    has_tables = bool(stats.requests or stats.proactive or stats.appeals)
    sections = split_sections(doc.text)
    fmt = _format_version(stats, year)
    if not has_tables:
        flags += _missing_tables(doc, title, year, sections, warnings)
        fmt = _inferred_format(fmt, year, title, sections, warnings)
    return ReportItem(
        url=url, report_id=rid, title=title, agency=_agency(title, doc.publisher), year=year,
        publish_date=doc.publish_date, index_number=doc.index_number, doc_number=doc.doc_number,
        format_version=fmt, source_type=doc.source_type,
        media_type=(content_type or "").split(";")[0].strip() or None, encoding=doc.encoding,
        text=doc.text or None, sections=sections,
        proactive=stats.proactive or None, requests=stats.requests or None,
        appeals=stats.appeals or None,
        checks=judged_checks(stats.requests, stats.appeals, stats.ocr),
        read_from=f"{url}!/{doc.member}" if doc.member else None,
        ocr=_ocr(doc, stats),
        flags=flags, warnings=warnings)
