"""The dataset and the transparency audit: from item feeds to answers.

``build`` turns every run's item feed into one SQLite file (report versions, the
statistics cells as a long table, checks, flags, attachments, WARC pointers, the
cross-year carry-over checks, the audit per agency and year, and the reports' text
with a full-text index), with CSV and Parquet exports of the cells and an Excel
workbook of the reports and cells; ``write_audit`` writes the offline audit pages;
``explore`` serves the file and the audit in Datasette.
``python -m crawler.dataset --help``.
"""

from __future__ import annotations

from .audit import latest_year_due
from .build import DEFAULT_DB, Built, build
from .page import DEFAULT_AUDIT, DEFAULT_DATASETTE, DEFAULT_REPLAY, write_audit

__all__ = ["DEFAULT_AUDIT", "DEFAULT_DATASETTE", "DEFAULT_DB", "DEFAULT_REPLAY", "Built", "build",
           "latest_year_due", "write_audit"]
