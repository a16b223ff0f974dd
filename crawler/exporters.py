"""CSV feeds with one column per field and per statistics cell.

``scrapy crawl disclosure -O items.csv`` writes, besides the plain fields:
``proactive.<row>.<column>`` (both table layouts' cells; the 2019 procurement
amount as ``proactive.procurement.amount`` plus ``proactive.procurement.amount_unit``),
``requests.<row>.<applicant>``, ``appeals.<kind>.<outcome>``, ``sections.<key>``,
``warc.<field>``; lists (checks, flags, warnings) joined with `` | ``; attachments,
``previous``, ``revision`` and ``ocr`` as JSON. Every row has every column, empty
where a report has no such cell, so the
file loads into any spreadsheet or data frame as is. ``FEED_EXPORT_FIELDS`` picks
columns by these names.

The file starts with a UTF-8 byte-order mark: without it Excel reads a CSV in the
local code page and shows the Chinese as mojibake (pandas, R's readr, LibreOffice and
Python's ``utf-8-sig`` skip it). It is written once, at the start of the file: a feed
appended to (``-o``) gets none in its middle. A feed's ``encoding`` other than UTF-8
is kept as given, and ``item_export_kwargs: {"bom": False}`` leaves the mark out.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import CsvItemExporter

from .extract.keys import APPEAL_GROUPS, APPLICANTS, OUTCOMES, PROACTIVE_KEYS, REQUEST_ROWS
from .extract.sections import SECTION_KEYS
from .items import ReportItem

__all__ = ["FLAT_COLUMNS", "FlatCsvItemExporter", "bom_encoding", "flatten"]

_PROACTIVE_CELLS = {
    "rules": ["issued", "repealed", "in_force", "made", "published", "total_public"],
    "normative_documents": ["issued", "repealed", "in_force", "made", "published", "total_public"],
    "licensing": ["decisions", "items_prev_year", "change"],
    "other_services": ["items_prev_year", "change", "decisions"],
    "penalties": ["decisions", "items_prev_year", "change"],
    "enforcement": ["decisions", "items_prev_year", "change"],
    "fees": ["amount_10k_yuan", "items_prev_year", "change"],
    "procurement": ["projects", "amount", "amount_unit"],
}
assert set(_PROACTIVE_CELLS) == {key for key, _ in PROACTIVE_KEYS["rows"]}
_NESTED = {"proactive", "requests", "appeals", "sections", "warc", "text"}
_WARC = ["filename", "offset", "length", "record_id", "payload_digest", "date"]

FLAT_COLUMNS: list[str] = (
    [f.name for f in fields(ReportItem) if f.name not in _NESTED]
    + [f"warc.{k}" for k in _WARC]
    + [f"proactive.{row}.{col}" for row, cols in _PROACTIVE_CELLS.items() for col in cols]
    + [f"requests.{row}.{col}" for row in REQUEST_ROWS for col in APPLICANTS]
    + [f"appeals.{group}.{outcome}" for group in APPEAL_GROUPS for outcome in OUTCOMES]
    + [f"sections.{key}" for key in SECTION_KEYS] + ["text"]
)


def flatten(item: Any) -> dict[str, Any]:
    data = ItemAdapter(item).asdict()
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("proactive", "requests", "appeals"):
            for row, cells in (value or {}).items():
                for column, cell in (cells or {}).items():
                    if column == "amount" and isinstance(cell, dict):
                        flat[f"{key}.{row}.amount"] = cell.get("value")
                        flat[f"{key}.{row}.amount_unit"] = cell.get("unit")
                    else:
                        flat[f"{key}.{row}.{column}"] = cell
        elif key in ("sections", "warc") and isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        elif key in ("attachments", "previous", "revision", "ocr"):
            flat[key] = json.dumps(value, ensure_ascii=False) if value else None
        elif isinstance(value, list):
            flat[key] = " | ".join(map(str, value)) if value else None
        else:
            flat[key] = value
    return flat


def bom_encoding(encoding: str | None, bom: bool = True) -> str | None:
    """The codec that writes ``encoding`` with a byte-order mark: ``utf-8-sig`` for
    UTF-8 (Scrapy's default, and this project's FEED_EXPORT_ENCODING), else as given.
    Python's ``utf-8-sig`` encoder writes the mark only at the start of a stream (and
    TextIOWrapper not at all when the file is opened past its start)."""
    if bom and (encoding or "utf-8").lower().replace("_", "-") in ("utf-8", "utf8"):
        return "utf-8-sig"
    return encoding


class FlatCsvItemExporter(CsvItemExporter):
    def __init__(self, file, *, bom: bool = True, **kwargs: Any) -> None:
        if not kwargs.get("fields_to_export"):  # Scrapy passes None when unset
            kwargs["fields_to_export"] = FLAT_COLUMNS
        kwargs["encoding"] = bom_encoding(kwargs.get("encoding"), bom)
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        super().export_item(flatten(item))
