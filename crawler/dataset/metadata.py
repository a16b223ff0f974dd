"""Datasette's metadata for the dataset: what each table and column means, in plain
words with the Chinese labels next to the keys, and canned queries for the questions
the archive's readers ask (Datasette 0.65 reads both from one metadata file)."""

from __future__ import annotations

from html import escape
from typing import Any

from .search import SEARCH_QUERY

__all__ = ["QUERIES", "TABLES", "metadata"]

_VERSION = {"version_id": "the report version this row belongs to (a link to it)",
            "report_id": "the report: a hash of its URL, the same across recrawls",
            "version": "1 for the first version the feeds hold, 2 for its first revision…"}
_KEYS = ("see the labels table (or the cells_labelled view) for every key's printed "
         "label")
TABLES: dict[str, dict[str, Any]] = {
    "versions": {"description": "One row per report version: a report read again with "
                 "other content or other bytes is a new version; is_latest marks the last. "
                 "warc_* say where the response it was read from is archived.",
                 "columns": {**_VERSION, "is_latest": "1 for the report's latest version",
                             "revision_kind": "against the version before: substantive (its "
                             "text, cells or attachments changed) or cosmetic (only bytes)",
                             "year": "the report year 报告年度",
                             "agency_pinyin": "the agency's name in pinyin (the province's "
                             "name as one word, then a syllable per character)",
                             "province_en": "the province's English name",
                             "publish_date": "公开日期 as the page states it",
                             "format_version": "2021 | 2019 | pre2019 | unknown",
                             "warc_timestamp": "the 14 digits of a pywb replay URL"}},
    "cells": {"description": "Every printed cell of the three statistics tables, long: "
              "one row per (version, table, row, column). value is null for a blank cell, "
              "0 for a printed zero. " + _KEYS + ".",
              "columns": {**_VERSION,
                          "table_name": "proactive 二、主动公开 · requests 三、依申请公开 · "
                          "appeals 四、行政复议、行政诉讼",
                          "row_key": "e.g. new_received 本年新收申请数量, carried_over 上年结转, "
                          "granted 予以公开, carried_forward 结转下年度; review 行政复议",
                          "column_key": "e.g. natural_person 自然人, commercial 商业企业, "
                          "total 总计; upheld 结果维持, corrected 结果纠正",
                          "unit": "count, or the printed money unit (万元, 元)"}},
    "checks": {"description": "The identities a report's own numbers break (table 三: new "
               "+ carried over = processed + carried forward; results add up to 总计; "
               "applicant columns add up to 总计; table 四: outcomes add up). verified = 0: "
               "the break uses a number OCR read with less than 95% confidence "
               "(unverified: perhaps the reading's, not the agency's)."},
    "flags": {"description": "What the extractor flagged: injected_spam (gambling/SEO text "
              "in the page), tables_missing, tables_as_images, year_mismatch, "
              "published_early."},
    "carry_over_breaks": {"description": "Cross-year checks: table 三's carried_forward "
                          "结转下年度继续办理 of one year differs from carried_over 上年结转 "
                          "of the next year, per applicant column (blank counted as 0, "
                          "shown as printed)."},
    "agency_years": {"description": "The transparency audit, one row per agency and year "
                     "from its first report to the latest year due (a year's report is "
                     "due by 31 January of the next year).",
                     "columns": {"status": "published | missing",
                                 "on_time": "yes (published by 31 January) | late | "
                                 "unknown (no publish date)",
                                 "sections": "complete | incomplete | not required "
                                 "(before 2019): the six sections 一…六",
                                 "tables": "present | missing | images | not required: "
                                 "the statutory tables 二、三、四",
                                 "identities": "hold | broken (by numbers read with "
                                 "confidence) | unverified (only breaks using numbers OCR "
                                 "was unsure of) | no tables",
                                 "cross_year": "consistent | broken | not compared",
                                 "revised": "substantive | cosmetic | no"}},
    "texts": {"description": "Each version's title and text as the extractor read it, "
              "with a full-text index (FTS5, trigram: any word of 3+ characters, Chinese "
              "too; the search reports query also finds 2-character words).",
              "columns": {**_VERSION}},
    "labels": {"description": "Every key with its Chinese label as the national formats "
               "print it."},
    "request_outcomes": {"description": "Table 三's 总计 column per latest report: "
                         "received 本年新收, granted 予以公开, partly_granted 部分公开, "
                         "denied 不予公开, unavailable 无法提供, rejected 不予处理, "
                         "other 其他处理."},
}

_FILTER = ("(:province = '' or province = :province) "
           "and (:year = '' or year = cast(:year as integer))")
QUERIES: dict[str, dict[str, Any]] = {
    "search_reports": {
        "title": "Search reports 全文检索",
        "description": "Reports (latest versions) whose title or text holds every word "
                       "given, separated by spaces: e.g. 行政复议 or 复议 浙江. Chinese "
                       "words of two characters or more, any part of the running text.",
        "sql": SEARCH_QUERY, "hide_sql": True},  # 40 lines of SQL above every answer
    "published_on_time": {
        "title": "Which agencies published their report, and on time?",
        "description": "Every agency-year: published or missing, publish date, deadline "
                       "(31 January). Leave province and year empty for all.",
        "sql": "select province, agency, agency_id, year, status, publish_date, deadline, "
               f"on_time, url from agency_years where {_FILTER} "
               "order by province, agency_id, year"},
    "missing_or_late": {
        "title": "Reports missing, late, or without a date",
        "sql": "select province, agency, year, status, on_time, publish_date, deadline "
               f"from agency_years where (status = 'missing' or on_time != 'yes') and {_FILTER} "
               "order by province, agency, year"},
    "numbers_do_not_add_up": {
        "title": "Whose numbers do not add up?",
        "description": "The identities each report's own tables break.",
        "sql": "select v.province, v.agency, v.year, c.table_name, c.subject, c.message, v.url "
               "from checks c join versions v on v.version_id = c.version_id "
               "where v.is_latest = 1 and (:province = '' or v.province = :province) "
               "order by v.province, v.agency, v.year"},
    "carry_over_mismatches": {
        "title": "Whose numbers do not carry over from one year to the next?",
        "sql": "select province, agency, applicant, year, carried_forward, next_year, "
               "carried_over, report_id, next_report_id from carry_over_breaks "
               "where (:province = '' or province = :province) "
               "order by province, agency, year, applicant"},
    "requests_by_province": {
        "title": "How many requests did each province's agencies receive, and how were "
                 "they answered?",
        "description": "Table 三's 总计 column summed over each province's latest reports.",
        "sql": f"select * from requests_by_province_year where {_FILTER} "
               "order by province, year"},
    "denial_reasons": {
        "title": "Why requests were denied (不予公开), per province and year",
        "sql": "select c.province, c.year, c.row_key, l.label_zh, sum(c.value) as requests "
               "from cells_latest c join labels l on l.table_name = 'requests' "
               "and l.kind = 'row' and l.key = c.row_key where c.table_name = 'requests' "
               "and c.column_key = 'total' and c.row_key like 'denied%' "
               "and (:province = '' or c.province = :province) "
               "group by c.province, c.year, c.row_key order by c.province, c.year, requests desc"},
    "revised_reports": {
        "title": "Reports revised after publication",
        "sql": "select province, agency, year, report_id, version, revision_kind, warc_date, "
               "url from versions where revision_kind is not null "
               "order by province, agency, year, version"},
    "spam_injected": {
        "title": "Pages with spam injected into them",
        "sql": "select v.province, v.agency, v.year, f.detail, v.url from flags f "
               "join versions v on v.version_id = f.version_id "
               "where f.kind = 'injected_spam' and v.is_latest = 1"},
}


_ABOUT = ("Chinese government information-disclosure annual reports as the archive read "
          "them: versions, statistics cells, checks, the audit.")


def metadata(database: str, audit: str | None = None, listing: str | None = None
             ) -> dict[str, Any]:
    """The metadata file's content for the dataset served as ``database`` (its stem),
    linking to the audit pages (``audit``: their index) and the replay listing."""
    links = [(f"/{database}/search_reports", "search the reports' text"),
             *([(audit, "the transparency audit (agencies × years)")] if audit else []),
             *([(listing, "the archived pages in replay (needs make replay)")]
               if listing else [])]
    html = escape(_ABOUT) + " " + " · ".join(
        f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in links)
    # every page's footer: Datasette takes a canned query's from the query itself
    about = {"about": "the transparency audit", "about_url": audit} if audit else {}
    return {
        "title": "政府信息公开工作年度报告 · the dataset", "description_html": html, **about,
        "databases": {database: {
            "description_html": html, **about, "tables": TABLES,
            "queries": {name: {**query, **about} for name, query in QUERIES.items()}}},
    }
