"""``audit``: the dataset -> a folder a reader opens offline.

``index.html`` (the summary per province, the charts, the agency × year matrix),
``agencies/<agency>.html`` (each year's reports, versions, broken identities and
carry-over breaks, with the agency's own chart) and ``items/<report>.v<n>.json``
(each version's item, as the crawl wrote it). Each matrix mark links to the year on
its agency's page, which works from a USB stick: there each version has its item JSON,
its WARC record (file and offset) and its row in Datasette; the replay in pywb, which
needs a running server (``make replay``), is a link beside the mark (▶), never the
only one. The pages link to Datasette (``--datasette``) and to the replay listing.
Everything is read from the SQLite file, so an audit can be redone from a dataset alone.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from jinja2 import DictLoader, Environment

from .charts import on_time_chart, requests_chart
from .marks import LEGEND, cell
from .templates import AGENCY, INDEX

__all__ = ["DEFAULT_AUDIT", "DEFAULT_DATASETTE", "DEFAULT_REPLAY", "listing_url",
           "write_audit"]

DEFAULT_AUDIT = Path("var/audit")
DEFAULT_REPLAY = "http://127.0.0.1:8090/reports/"  # pywb, collection "reports"
DEFAULT_DATASETTE = "http://127.0.0.1:8001/"  # make explore
PROVINCE_COLUMNS = [
    ("province", "Province 省份"), ("agencies", "Agencies 机关"),
    ("agency_years", "Agency-years 机关·年度"), ("published", "Published 已公开"),
    ("missing", "Missing 未公开"), ("on_time", "On time 按时"), ("late", "Late 逾期"),
    ("date_unknown", "No date 无日期"), ("sections_incomplete", "Sections incomplete 六部分不全"),
    ("tables_missing", "Tables missing 缺表"), ("identities_broken", "Identities broken 勾稽不符"),
    ("carry_over_broken", "Carry-over broken 结转不一致"), ("spam", "Spam 垃圾信息"),
    ("revised", "Revised 修改"), ("received", "Requests received 新收申请"),
]
_ENV = Environment(loader=DictLoader({"index": INDEX, "agency": AGENCY}), autoescape=True)
_ENV.filters["printed"] = lambda value: "blank" if value is None else value  # vs a printed 0


def slug(agency_id: str) -> str:
    """A file name for an agency id (``330000/fzggw.zj.gov.cn`` -> ``330000_fzggw.zj.gov.cn``)."""
    return re.sub(r"[^\w.-]+", "_", agency_id)


def listing_url(replay: str) -> str:
    """The replay server's listing of archived reports (``python -m archive replay``
    serves it at ``/static/index.html``) for a replay prefix."""
    return urljoin(replay, "/static/index.html")


def write_audit(db: Path, out: Path = DEFAULT_AUDIT, replay: str = DEFAULT_REPLAY,
                datasette: str = DEFAULT_DATASETTE) -> Path:
    """Write the audit of ``db`` into ``out``, linking to ``db`` in the Datasette at
    ``datasette``; the path of its ``index.html``."""
    (out / "items").mkdir(parents=True, exist_ok=True)
    (out / "agencies").mkdir(exist_ok=True)
    dataset = f"{datasette.rstrip('/')}/{quote(db.stem)}"
    with closing(sqlite3.connect(db)) as connection:
        connection.row_factory = sqlite3.Row
        _write_items(connection, out / "items")
        data = _Data(connection, replay, dataset)
    links = {"dataset": dataset, "listing": listing_url(replay), "replay": replay}
    for agency in data.agencies:
        _write(out / agency["page"], _ENV.get_template("agency").render(
            title=f"{agency['agency']} · audit", legend=LEGEND, links=links,
            **data.agency_page(agency)))
    return _write(out / "index.html", _ENV.get_template("index").render(
        title="政府信息公开工作年度报告 · transparency audit", legend=LEGEND, links=links,
        province_columns=PROVINCE_COLUMNS, **data.index()))


def _write(path: Path, text: str) -> Path:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, "utf-8")
    partial.replace(path)
    return path


def _write_items(connection: sqlite3.Connection, folder: Path) -> None:
    for report_id, version, line in connection.execute(
            "select report_id, version, item from items"):
        text = json.dumps(json.loads(line), ensure_ascii=False, indent=1)
        (folder / f"{slug(report_id)}.v{version}.json").write_text(text + "\n", "utf-8")


def _rows(connection: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    return [dict(row) for row in connection.execute(sql)]


class _Data:
    """What the pages show, read once from the dataset."""

    def __init__(self, connection: sqlite3.Connection, replay: str, dataset: str) -> None:
        self.replay = replay
        self.dataset = dataset
        self.meta = {r["key"]: r["value"] for r in _rows(connection, "select * from meta")}
        self.versions = _rows(connection, "select version_id, report_id, version, is_latest, "
                              "agency_id, year, url, title, run_id, revision_kind, warc_date, "
                              "warc_timestamp, warc_filename, warc_offset from versions "
                              "order by report_id, version")
        self.by_id = {v["version_id"]: v for v in self.versions}
        self.by_report = _group(self.versions, "report_id")
        self.latest = _group([v for v in self.versions if v["is_latest"]], "agency_id", "year")
        self.years = _rows(connection, "select * from agency_years order by agency_id, year")
        self.breaks = _group(_rows(connection, "select * from carry_over_breaks"), "agency_id")
        self.info = {r["agency_id"]: r for r in _rows(connection, "select * from agencies")}
        self.checks = _texts(connection, "select version_id, message from checks")
        self.flags = _texts(connection, "select version_id, kind || coalesce(': ' || detail, "
                            "'') from flags")
        self.revised = _group(_rows(connection, "select * from revised_cells"), "version_id")
        self.on_time = _rows(connection, "select * from on_time_by_year order by year")
        self.provinces = _rows(connection, "select * from province_summary order by province")
        self.requests = _rows(connection, "select * from requests_by_province_year "
                              "order by province, year")
        self.outcomes = _group(_rows(connection, _AGENCY_OUTCOMES), "agency_id")
        self.agencies = self._agencies()

    def replay_url(self, version: dict[str, Any] | None) -> str | None:
        if not version or not version["warc_timestamp"]:
            return None
        return f"{self.replay}{version['warc_timestamp']}/{version['url']}"

    def row_url(self, version: dict[str, Any]) -> str:
        """The version's row in Datasette: its WARC record's file and offset, its cells."""
        return f"{self.dataset}/versions/{version['version_id']}"

    def item_path(self, version: dict[str, Any] | None, up: str = "") -> str | None:
        if version is None:
            return None
        return f"{up}items/{slug(version['report_id'])}.v{version['version']}.json"

    def breaks_of(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        return [b for b in self.breaks.get(row["agency_id"], [])
                if row["year"] in (b["year"], b["next_year"])]

    def _details(self, row: dict[str, Any]) -> list[str]:
        checks = self.checks.get(row["version_id"], [])[:2]
        breaks = [f"carry-over {b['applicant']}: {b['year']} carried forward "
                  f"{b['carried_forward']}, {b['next_year']} carried over {b['carried_over']}"
                  for b in self.breaks_of(row)][:3]
        return checks + breaks

    def _agencies(self) -> list[dict[str, Any]]:
        agencies: dict[str, dict[str, Any]] = {}
        for row in self.years:
            agency = agencies.setdefault(row["agency_id"], {
                **row, **self.info.get(row["agency_id"], {}), "cells": {}, "rows": [],
                "page": f"agencies/{slug(row['agency_id'])}.html"})
            version = self.by_id.get(row["version_id"])
            row["cell"] = {**cell(row, self._details(row)), "replay": self.replay_url(version),
                           "item": self.item_path(version)}
            agency["cells"][row["year"]] = row["cell"]
            agency["rows"].append(row)
        for agency in agencies.values():
            cells = agency["cells"].values()
            agency["due"] = len(agency["rows"])
            agency["published"] = sum(r["status"] == "published" for r in agency["rows"])
            agency["published_share"] = agency["published"] / agency["due"]
            agency["problems"] = sum(c["css"] in ("missing", "problem") for c in cells)
        return sorted(agencies.values(), key=lambda a: (a["province"] or "", a["agency_id"]))

    def index(self) -> dict[str, Any]:
        received: dict[str, float] = defaultdict(float)
        charts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.requests:
            received[row["province"]] += row["received"] or 0
            charts[row["province"]].append(row)
        provinces = [{**p, "received": int(received.get(p["province"], 0))}
                     for p in self.provinces]
        return {"meta": self.meta, "agencies": self.agencies, "provinces": provinces,
                "years": sorted({row["year"] for row in self.years}),
                "on_time_svg": on_time_chart(self.on_time),
                "province_charts": [{"province": name, "svg": requests_chart(
                    rows, salt=f"province-{index}")} for index, (name, rows) in
                    enumerate(sorted(charts.items(), key=lambda kv: kv[0] or ""))]}

    def agency_page(self, agency: dict[str, Any]) -> dict[str, Any]:
        mine = self.outcomes.get(agency["agency_id"], [])
        years = [{**row, "reports": self._reports(row), "breaks": self.breaks_of(row)}
                 for row in agency["rows"]]
        return {"agency": agency, "years": years,
                "rows": f"{self.dataset}/versions?agency_id={quote(agency['agency_id'], safe='')}",
                "chart": requests_chart(mine, salt=f"agency-{slug(agency['agency_id'])}")
                if mine else None}

    def _reports(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        """The year's reports (their latest versions), each with all its versions."""
        return [{**v, "checks": self.checks.get(v["version_id"], []),
                 "flags": self.flags.get(v["version_id"], []),
                 "versions": [{**old, "replay": self.replay_url(old),
                               "item": self.item_path(old, up="../"),
                               "row": self.row_url(old),
                               "revised_cells": self.revised.get(old["version_id"], [])}
                              for old in self.by_report[v["report_id"]]]}
                for v in self.latest.get((row["agency_id"], row["year"]), [])]


_OUTCOMES = ("granted", "partly_granted", "denied", "unavailable", "rejected", "other")
_AGENCY_OUTCOMES = ("select agency_id, year, sum(received) as received, "
                    + ", ".join(f"sum({k}) as {k}" for k in _OUTCOMES)
                    + " from request_outcomes group by agency_id, year order by agency_id, year")


def _group(rows: list[dict[str, Any]], *keys: str) -> dict[Any, list[dict[str, Any]]]:
    """``rows`` by the value of ``keys`` (one key: the value; several: their tuple)."""
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)].append(row)
    return grouped


def _texts(connection: sqlite3.Connection, sql: str) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for version_id, text in connection.execute(sql):
        grouped[version_id].append(text)
    return grouped
