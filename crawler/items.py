"""The item: one annual report, as researchers compare them across agencies and years.

A dataclass, so it works with itemadapter and Scrapy's feed exports as is. Keys
of the tables follow ``shared/docs/domain.md``; the README documents each field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive import RecordLocation

__all__ = ["ReportItem"]


@dataclass
class ReportItem:
    url: str
    report_id: str | None = None
    title: str | None = None
    agency: str | None = None
    agency_id: str | None = None
    province: str | None = None
    province_code: str | None = None
    year: int | None = None
    publish_date: str | None = None
    index_number: str | None = None
    doc_number: str | None = None
    format_version: str = "unknown"
    source_type: str | None = None
    media_type: str | None = None
    encoding: str | None = None
    text: str | None = None
    sections: dict[str, str | None] | None = None
    proactive: dict[str, Any] | None = None
    requests: dict[str, dict[str, int | None]] | None = None
    appeals: dict[str, dict[str, int | None]] | None = None
    checks: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    read_from: str | None = None  # the attachment read when the page only points at it
    ocr: dict[str, Any] | None = None  # {pages, engine, cells: {key: confidence}} for scans
    warc: RecordLocation | None = None  # the response record it was read from
    warnings: list[str] = field(default_factory=list)
    partial: bool = False  # read from a download cut short (its warnings say where)
    # Recrawls (crawler/pipelines/changes.py): which run read it, and what changed since.
    run_id: str | None = None
    sha1: str | None = None  # of its own bytes as served, decoded (page and parts, or file)
    change: str | None = None  # new | changed | unchanged
    previous: dict[str, Any] | None = None  # a changed report's last version: id, digest, warc
    revision: dict[str, Any] | None = None  # kind, previous, captured, cells, text_changed, diff
