"""The cell table as CSV and Parquet, for pandas and R users who never open SQLite,
and the reports with their cells as an Excel workbook (``spreadsheet``).

One row per cell with its report's context (agency, province, year, format), so a
file alone answers "requests received per province and year". Parquet's ``value``
is a float64 column (every count here is exact in it); CSV writes numbers as printed,
in UTF-8 with a byte-order mark: without it Excel reads the file as the local code
page and shows the Chinese as mojibake (pandas, R's readr and LibreOffice skip it).
"""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from .spreadsheet import write_xlsx

__all__ = ["CSV_ENCODING", "EXPORTS", "COLUMNS", "export_path", "export_cells"]

COLUMNS = ["report_id", "version", "is_latest", "agency_id", "agency", "province",
           "agency_pinyin", "province_en", "year", "format_version", "table_name", "row_key",
           "column_key", "value", "unit"]
_QUERY = f"""select {", ".join(f"c.{name}" if name in ("report_id", "version") else name
                              for name in COLUMNS)}
    from versions v cross join cells c on c.version_id = v.version_id"""
# cross join: SQLite's order, version by version through the cell table's own key,
# rather than the planner's scan of the (table, row, column) index, which costs a
# lookup per cell and 2-3x the time.
_BATCH = 100_000


CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark, for Excel


def export_path(db: Path, fmt: str) -> Path:
    """``var/dataset/reports.sqlite`` -> ``var/dataset/reports.cells.csv``, or
    ``reports.xlsx`` for the workbook (reports and cells)."""
    return db.with_name(f"{db.stem}.{fmt}" if fmt == "xlsx" else f"{db.stem}.cells.{fmt}")


def _csv(connection: sqlite3.Connection, path: Path) -> None:
    cursor = connection.execute(_QUERY)
    with open(path, "w", newline="", encoding=CSV_ENCODING) as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        while rows := cursor.fetchmany(_BATCH):
            writer.writerows(rows)


def _parquet(connection: sqlite3.Connection, path: Path) -> None:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ModuleNotFoundError as exc:
        raise SystemExit("--format parquet needs pyarrow: pip install -e '.[parquet]' "
                         "(make test installs it)") from exc

    types = {"version": pa.int32(), "is_latest": pa.int8(), "year": pa.int32(),
             "value": pa.float64()}
    schema = pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])
    cursor = connection.execute(_QUERY)
    with pq.ParquetWriter(path, schema) as writer:
        while rows := cursor.fetchmany(_BATCH):
            columns = list(zip(*rows, strict=True))
            writer.write_batch(pa.record_batch(
                [pa.array(values, type=field.type) for values, field in zip(
                    columns, schema, strict=True)], schema=schema))


EXPORTS: dict[str, Callable[[sqlite3.Connection, Path], None]] = {
    "csv": _csv, "parquet": _parquet, "xlsx": write_xlsx}


def export_cells(db: Path, fmt: str) -> Path:
    """Write the cells of ``db`` (with its reports, for ``xlsx``) as ``fmt`` beside it;
    replaces the file whole."""
    path = export_path(db, fmt)
    partial = path.with_name(path.name + ".partial")
    with closing(sqlite3.connect(db)) as connection:
        EXPORTS[fmt](connection, partial)
    os.replace(partial, path)
    return path
