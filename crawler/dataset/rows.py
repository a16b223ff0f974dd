"""A report version as the rows of each dataset table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..extract.sections import SECTION_KEYS
from .cells import TABLES, cell_rows
from .names import agency_pinyin, province_en
from .versions import Version

__all__ = ["child_rows", "version_row", "warc_timestamp"]

# "requests natural_person: new_received + ...", "unverified: appeals review: total ..."
_CHECK = re.compile(r"^(unverified: )?(\w+) (\w+): ")
_FLAG = re.compile(r"^(\w+):\s*(.*)$", re.DOTALL)  # "injected_spam: 365上分..."
_PLAIN_FIELDS = ("url", "title", "agency", "agency_id", "province", "province_code", "year",
                 "publish_date", "index_number", "doc_number", "format_version",
                 "source_type", "media_type", "encoding", "read_from", "sha1", "run_id",
                 "change")


def warc_timestamp(date: str | None) -> str | None:
    """The 14-digit timestamp a replay URL names (``2026-12-01T13:17:54Z`` ->
    ``20261201131754``), from the record's WARC-Date."""
    digits = re.sub(r"\D", "", date or "")[:14]
    return digits if len(digits) == 14 else None


def version_row(version: Version, version_id: int) -> dict[str, Any]:
    item = version.item
    sections = item.get("sections") or {}
    warc: dict[str, Any] = item["warc"] if isinstance(item.get("warc"), dict) else {}
    return {
        "version_id": version_id, "report_id": version.report_id,
        "version": version.number, "is_latest": int(version.is_latest),
        "last_seen_run": version.last_seen_run, "revision_kind": version.kind,
        **{name: item.get(name) for name in _PLAIN_FIELDS},
        "agency_pinyin": agency_pinyin(item.get("agency")),
        "province_en": province_en(item.get("province_code"), item.get("province")),
        "sections_present": sum(1 for key in SECTION_KEYS if sections.get(key)),
        **{f"has_{key}": int(bool(sections.get(key))) for key in SECTION_KEYS},
        **{f"has_{table}_table": int(bool(item.get(table))) for table in TABLES},
        "n_checks": len(item.get("checks") or []), "n_flags": len(item.get("flags") or []),
        "n_attachments": len(item.get("attachments") or []),
        "n_warnings": len(item.get("warnings") or []),
        "previous_report_id": (item.get("previous") or {}).get("report_id"),
        **{f"warc_{key}": warc.get(key) for key in
           ("filename", "offset", "length", "record_id", "payload_digest", "date")},
        "warc_timestamp": warc_timestamp(warc.get("date")), "feed": version.feed,
    }


def child_rows(version: Version, version_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of the child tables, as tuples in ``schema.COLUMNS`` order (the builder
    inserts them with ``executemany``: sqlite-utils' dict rows cost 5x as much)."""
    key = (version_id, version.report_id, version.number)
    item = version.item
    return {
        "items": [(*key, version.line)],
        "texts": [(*key, _text(item.get("title")), _text(item.get("text")))],
        "cells": [(*key, *cell) for cell in cell_rows(item)],
        "checks": [(*key, *_check(text)) for text in item.get("checks") or []],
        "flags": [(*key, *_flag(text)) for text in item.get("flags") or []],
        "warnings": [(*key, str(text)) for text in item.get("warnings") or []],
        "attachments": [(*key, *_attachment(a)) for a in item.get("attachments") or []],
        "revised_cells": [(*key, *cell) for cell in _revised(item)],
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _check(text: str) -> tuple[str | None, str | None, str, int]:
    """(table, subject, message, verified: 1 when every number it uses was read with
    confidence, 0 when OCR was unsure of one)."""
    found = _CHECK.match(text)
    if not found:
        return None, None, text, 1
    return found[2], found[3], text, 0 if found[1] else 1


def _flag(text: str) -> tuple[str, str | None]:
    found = _FLAG.match(text)
    return (found[1], found[2] or None) if found else (text, None)


def _attachment(attachment: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(attachment.get(name) for name in
                 ("url", "filename", "media_type", "size", "sha1"))


def _revised(item: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """The cells the crawler saw change (``revision.cells``: ``{"t.row.col": [old, new]}``)."""
    for name, pair in ((item.get("revision") or {}).get("cells") or {}).items():
        parts = name.split(".", 2)
        if len(parts) == 3 and isinstance(pair, list) and len(pair) == 2:
            yield (*parts, *(_number(value) for value in pair))


def _number(value: Any) -> Any:
    return value.get("value") if isinstance(value, dict) else value
