"""The dataset's tables, indexes and views (SQLite, made with sqlite-utils).

Every child table names its report version three ways: ``version_id`` (a foreign key
Datasette turns into a link), and ``report_id`` + ``version`` for readers who join by
hand. Views answer the common questions; ``sql`` column lists are kept here so that
the builder, the views and Datasette's descriptions agree.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from ..extract.sections import SECTION_KEYS
from .cells import TABLES
from .search import enable_search

__all__ = ["COLUMNS", "VIEWS", "create_schema", "finish_schema"]

_VERSION = {"version_id": int, "report_id": str, "version": int}
COLUMNS: dict[str, dict[str, Any]] = {
    "versions": {
        **_VERSION, "is_latest": int, "run_id": str, "last_seen_run": str, "change": str,
        "revision_kind": str, "url": str, "title": str, "agency": str, "agency_id": str,
        "province": str, "province_code": str, "agency_pinyin": str, "province_en": str,
        "year": int, "publish_date": str,
        "index_number": str, "doc_number": str, "format_version": str, "source_type": str,
        "media_type": str, "encoding": str, "read_from": str, "sha1": str,
        "sections_present": int, **{f"has_{key}": int for key in SECTION_KEYS},
        **{f"has_{table}_table": int for table in TABLES},
        "n_checks": int, "n_flags": int, "n_attachments": int, "n_warnings": int,
        "previous_report_id": str, "warc_filename": str, "warc_offset": int,
        "warc_length": int, "warc_record_id": str, "warc_payload_digest": str,
        "warc_date": str, "warc_timestamp": str, "feed": str},
    "items": {**_VERSION, "item": str},
    "texts": {**_VERSION, "title": str, "text": str},  # full-text search (search.py)
    "checks": {**_VERSION, "table_name": str, "subject": str, "message": str,
               "verified": int},
    "flags": {**_VERSION, "kind": str, "detail": str},
    "warnings": {**_VERSION, "message": str},
    "attachments": {**_VERSION, "url": str, "filename": str, "media_type": str,
                    "size": int, "sha1": str},
    # INTEGER affinity keeps 3 as 3 and 8.11 as 8.11
    "revised_cells": {**_VERSION, "table_name": str, "row_key": str, "column_key": str,
                      "old_value": int, "new_value": int},
    "carry_over_breaks": {
        "agency_id": str, "agency": str, "province": str, "applicant": str, "year": int,
        "carried_forward": int, "report_id": str, "version": int, "next_year": int,
        "carried_over": int, "next_report_id": str, "next_version": int},
    "agency_years": {
        "agency_id": str, "agency": str, "province": str, "province_code": str, "year": int,
        "status": str, "reports": int, "version_id": int, "report_id": str, "version": int,
        "url": str, "title": str, "publish_date": str, "deadline": str, "on_time": str,
        "sections": str, "sections_present": int, "sections_missing": str, "tables": str,
        "tables_missing": str, "identities": str, "checks": int, "unverified": int,
        "cross_year": str,
        "carry_over_breaks": int, "spam": int, "revised": str},
    "agencies": {"agency_id": str, "agency": str, "province": str, "province_code": str,
                 "agency_pinyin": str, "province_en": str, "host": str, "cms": str,
                 "crawl_status": str, "report_column": str, "summary_run_id": str},
    "labels": {"table_name": str, "kind": str, "key": str, "label_zh": str},
    "meta": {"key": str, "value": str},
}
_PKS = {"versions": "version_id", "items": "version_id", "texts": "version_id",
        "agencies": "agency_id", "agency_years": ("agency_id", "year"), "meta": "key",
        "labels": ("table_name", "kind", "key")}
_CHILDREN = ("items", "texts", "checks", "flags", "warnings", "attachments", "revised_cells",
             "agency_years")

# The long table: no declared type on ``value``, so SQLite keeps 3 as an integer and
# 8.11 as a real (sqlite-utils can only declare one type, which would turn 3 into 3.0);
# without rowid, as its key is how every row is looked up.
_CELLS = """
create table cells (
    version_id integer not null references versions (version_id),
    report_id text not null, version integer not null,
    table_name text not null, row_key text not null, column_key text not null,
    value, unit text,
    primary key (version_id, table_name, row_key, column_key)) without rowid
"""
_INDEXES: dict[str, list[tuple[str, ...]]] = {
    "versions": [("report_id", "version"), ("agency_id", "year"), ("province", "year"),
                 ("year",), ("is_latest",)],
    "cells": [("table_name", "row_key", "column_key"), ("report_id", "version")],
    "checks": [("version_id",)], "flags": [("version_id",), ("kind",)],
    "warnings": [("version_id",)], "attachments": [("version_id",)],
    "revised_cells": [("version_id",)], "carry_over_breaks": [("agency_id", "year")],
    "agency_years": [("province", "year"), ("year", "status"), ("version_id",)],
}
_TOTALS = "c.table_name = 'requests' and c.column_key = 'total'"
VIEWS = {
    "reports": "select * from versions where is_latest = 1",
    "cells_latest": """select c.*, v.agency_id, v.agency, v.province, v.year,
        v.format_version from cells c join versions v on v.version_id = c.version_id
        where v.is_latest = 1""",
    "cells_labelled": """select c.*, r.label_zh as row_label, k.label_zh as column_label
        from cells_latest c
        left join labels r on r.table_name = c.table_name and r.kind = 'row'
            and r.key = c.row_key
        left join labels k on k.table_name = c.table_name and k.kind = 'column'
            and k.key = c.column_key""",
    "request_outcomes": f"""select v.version_id, v.report_id, v.agency_id, v.agency,
        v.province, v.year,
        sum(case when c.row_key = 'new_received' then c.value end) as received,
        sum(case when c.row_key = 'carried_over' then c.value end) as carried_over,
        sum(case when c.row_key = 'granted' then c.value end) as granted,
        sum(case when c.row_key = 'partly_granted' then c.value end) as partly_granted,
        sum(case when c.row_key like 'denied~_%' escape '~' then c.value end) as denied,
        sum(case when c.row_key like 'unavailable~_%' escape '~' then c.value end)
            as unavailable,
        sum(case when c.row_key like 'rejected~_%' escape '~' then c.value end) as rejected,
        sum(case when c.row_key = 'other_handling' then c.value end) as other,
        sum(case when c.row_key = 'total_processed' then c.value end) as total_processed,
        sum(case when c.row_key = 'carried_forward' then c.value end) as carried_forward
        from versions v join cells c on c.version_id = v.version_id and {_TOTALS}
        where v.is_latest = 1 group by v.version_id""",
    "requests_by_province_year": """select province, year, count(*) as reports,
        sum(received) as received, sum(granted) as granted,
        sum(partly_granted) as partly_granted, sum(denied) as denied,
        sum(unavailable) as unavailable, sum(rejected) as rejected, sum(other) as other,
        sum(total_processed) as total_processed
        from request_outcomes group by province, year""",
    "on_time_by_year": """select year, count(*) as due,
        sum(status = 'published') as published, sum(status = 'missing') as missing,
        sum(on_time = 'yes') as on_time, sum(on_time = 'late') as late,
        sum(on_time = 'unknown') as date_unknown
        from agency_years group by year""",
    "province_summary": """select province, count(distinct agency_id) as agencies,
        count(*) as agency_years, sum(status = 'published') as published,
        sum(status = 'missing') as missing, sum(on_time = 'yes') as on_time,
        sum(on_time = 'late') as late, sum(on_time = 'unknown') as date_unknown,
        sum(sections = 'incomplete') as sections_incomplete,
        sum(tables in ('missing', 'images')) as tables_missing,
        sum(identities = 'broken') as identities_broken,
        sum(cross_year = 'broken') as carry_over_broken, sum(spam) as spam,
        sum(revised = 'substantive') as revised
        from agency_years group by province""",
}


def create_schema(db: sqlite_utils.Database) -> None:
    """Every table, empty, with its key and foreign keys."""
    for name, columns in COLUMNS.items():
        foreign = [("version_id", "versions", "version_id")] if name in _CHILDREN else []
        db[name].create(columns, pk=_PKS.get(name), foreign_keys=foreign)  # type: ignore[union-attr]
    db.execute(_CELLS)


def finish_schema(db: sqlite_utils.Database) -> None:
    """Indexes once the rows are in (cheaper than keeping them up on every insert), the
    full-text index, and the views."""
    for table, indexes in _INDEXES.items():
        for columns in indexes:
            db[table].create_index(list(columns))  # type: ignore[union-attr]
    enable_search(db)
    for name, sql in VIEWS.items():
        db.create_view(name, sql)
