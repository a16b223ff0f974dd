"""``--format xlsx``: the reports and their cells as an Excel workbook.

Two sheets for a reader who works in a spreadsheet: ``reports`` (one row per report,
its latest version, the text last) and ``cells`` (one row per printed cell of those
reports, with the Chinese labels, long: what a pivot table wants). Both start with
the columns that say which report a row is (agency, province, year, title, url) and
then the names for readers of English, so no one scrolls past 200 keys to find them.
Excel's limits are kept: a cell holds at most 32,767 characters (longer text is cut,
and says so; the dataset has it whole), a sheet 1,048,576 rows (more cells go on to
``cells 2``...), and XML forbids control characters that PDFs leave in text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .schema import COLUMNS

__all__ = ["CELL_COLUMNS", "IDENTITY", "REPORT_COLUMNS", "write_xlsx"]

IDENTITY = ["agency", "province", "year", "title", "url"]
_NAMES = ["agency_pinyin", "province_en"]
REPORT_COLUMNS = [*IDENTITY, *_NAMES, *(name for name in COLUMNS["versions"]
                                        if name not in IDENTITY + _NAMES), "text"]
CELL_COLUMNS = [*IDENTITY, "table_name", "row_key", "row_label", "column_key",
                "column_label", "value", "unit", *_NAMES, "agency_id", "report_id",
                "version", "format_version"]
_CELL_SOURCES = {"row_label": "r.label_zh", "column_label": "k.label_zh",
                 **{name: f"c.{name}" for name in ("table_name", "row_key", "column_key",
                                                   "value", "unit")}}
_ORDER = "order by v.province, v.agency, v.year, v.url"
_REPORTS = (f"select {', '.join('t.text' if n == 'text' else f'v.{n}' for n in REPORT_COLUMNS)}"
            " from versions v left join texts t on t.version_id = v.version_id"
            f" where v.is_latest = 1 {_ORDER}")
# labels' rowids follow the printed order of rows and columns (labels.py writes them so)
_CELLS = (f"select {', '.join(_CELL_SOURCES.get(n, f'v.{n}') for n in CELL_COLUMNS)}"
          " from versions v join cells c on c.version_id = v.version_id"
          " left join labels r on r.table_name = c.table_name and r.kind = 'row'"
          " and r.key = c.row_key"
          " left join labels k on k.table_name = c.table_name and k.kind = 'column'"
          f" and k.key = c.column_key where v.is_latest = 1 {_ORDER}, r.rowid, k.rowid")
_WIDTHS = {"agency": 24, "province": 10, "year": 6, "title": 40, "url": 36, "row_label": 30,
           "column_label": 14, "agency_pinyin": 30, "text": 60}
MAX_CHARS = 32_767  # characters in an Excel cell
MAX_ROWS = 1_048_576  # rows in an Excel sheet, its header one of them
_CUT = "… [cut: Excel holds 32,767 characters in a cell; the dataset has the whole text]"


def write_xlsx(connection: sqlite3.Connection, path: Path, max_rows: int = MAX_ROWS) -> None:
    """The workbook of the dataset on ``connection`` at ``path`` (openpyxl's write-only
    mode: rows go to disk as they come, not into memory)."""
    book = Workbook(write_only=True)
    _write_sheets(book, "reports", REPORT_COLUMNS, connection.execute(_REPORTS), max_rows)
    _write_sheets(book, "cells", CELL_COLUMNS, connection.execute(_CELLS), max_rows)
    book.save(path)


def _write_sheets(book: Workbook, title: str, columns: list[str], rows: Iterable[tuple],
                  max_rows: int) -> None:
    """``rows`` in sheets ``title``, ``title 2``… of at most ``max_rows`` rows each."""
    rows = iter(rows)
    number = 1
    while True:
        sheet = _new_sheet(book, title if number == 1 else f"{title} {number}", columns)
        written = _fill(sheet, _take(rows, max_rows - 1))
        _finish(sheet, columns, written)
        if written < max_rows - 1:
            return
        number += 1


def _take(rows: Iterator[tuple], count: int) -> Iterator[tuple]:
    for _ in range(count):
        row = next(rows, None)
        if row is None:
            return
        yield row


def _new_sheet(book: Workbook, title: str, columns: list[str]) -> WriteOnlyWorksheet:
    sheet = book.create_sheet(title)
    assert isinstance(sheet, WriteOnlyWorksheet)
    for index, name in enumerate(columns, 1):
        # column_dimensions and auto_filter: set by Worksheet._setup, not in the stubs
        sheet.column_dimensions[  # type: ignore[attr-defined]
            get_column_letter(index)].width = _WIDTHS.get(name, 12)
    sheet.freeze_panes = "A2"
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    return sheet


def _fill(sheet: WriteOnlyWorksheet, rows: Iterable[tuple]) -> int:
    written = 0
    for row in rows:
        sheet.append([_value(sheet, value) for value in row])
        written += 1
    return written


def _finish(sheet: WriteOnlyWorksheet, columns: list[str], written: int) -> None:
    """A filter button on every header (Excel's sort and filter, one click away)."""
    last = f"{get_column_letter(len(columns))}{written + 1}"
    sheet.auto_filter.ref = f"A1:{last}"  # type: ignore[attr-defined]


def _value(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """``value`` as Excel can hold it; text stays text even when it starts with ``=``
    (openpyxl would write a formula: a report's text is never one)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CHARS:
        value = value[:MAX_CHARS - len(_CUT)] + _CUT
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell
