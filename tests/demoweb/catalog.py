"""A site's reports and report columns, from the ``reports:`` and ``columns:`` of its site.yaml.

    report_path: /art/{pub_year}/{pub_month}/{pub_day}/art_1229251_{id}.html
    attachment_path: /attach/0/{year}ndbg.{ext}
    reports:
      - {year: 2023, chunked: true}          # route options apply to the report's page
      - {year: 2022, attachments: [pdf]}     # the report also as a PDF attachment
      - {year: 2020, kind: pdf}              # published only as a document
      - {year: 2019, attachments: [docx], layout: attachment_only}   # page says 详见附件
      - {year: 2018, attachments: [pdf], layout: viewer}   # the PDF in a viewer <iframe>
      - {year: 2017, parts: 2}               # the page split over ..._1.html (or _2)
      - {year: 2016, render: {amount_unit: header}}   # options of the report's markup
      - {year: 2015, render: {edition: 2, chrome: 访问量 12}}   # edited numbers; new chrome
    columns:
      /col/col1229251/index.html:
        style: hanweb        # hanweb | trs | pages | sitegroup | gkmlpt | listmodel
        title: 政府信息公开年报
        per_page: 5
        extra: [{title: ..., href: ..., date: ...}]   # decoys, duplicates, dead links

Every report becomes a route (``handler: report`` / ``report_pdf`` / ``report_docx``);
every column a route rendering its list in the site's ``_templates/list.html``, plus
whatever its style needs (TRS ``index_N`` pages, Hanweb's ``dataproxy.jsp``, a
JSON list API). ``Site.reports`` is the truth the tests compare a crawl with.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Column", "Entry", "Report", "build_catalog"]

ROUTE_KEYS = ("chunked", "gzip", "status", "times", "headers", "reason")
KIND_HANDLER = {"html": "report", "pdf": "report_pdf", "docx": "report_docx",
                "ofd": "report_ofd"}


@dataclass
class Report:
    year: int
    path: str
    kind: str
    published: str
    title: str
    format: str = ""
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (path, kind)
    hex_id: str = ""
    layout: str = ""  # "" (the report in the page) | attachment_only | viewer
    parts: int = 1  # pages the report's text is split over
    part_style: str = "trs"  # trs: createPageHTML(...) and _1, _2 | links: _2, _3 linked
    render: dict[str, Any] = field(default_factory=dict)

    @property
    def source_type(self) -> str:
        """What an item of this report is read from: a page that is only a shell for
        its document gets the document's text and tables."""
        if self.layout in ("attachment_only", "viewer"):
            return self.attachments[0][1]
        return self.kind

    def part_paths(self) -> list[str]:
        """The further pages' paths (``t2024_1.html`` or ``c2024_2.html``)."""
        if self.parts <= 1:
            return []  # (an app's report, at a hash route, has no file name)
        stem, ext = self.path.rsplit(".", 1)
        first = 1 if self.part_style == "trs" else 2
        return [f"{stem}_{n}.{ext}" for n in range(first, first + self.parts - 1)]


@dataclass
class Entry:
    title: str
    href: str
    date: str


@dataclass
class Column:
    path: str
    style: str
    title: str
    entries: list[Entry]
    options: dict[str, Any]

    @property
    def per_page(self) -> int:
        return int(self.options.get("per_page", 15))

    @property
    def max_static(self) -> int:
        """TRS listModel: the last page served as a static index_N file."""
        return int(self.options.get("max_static", 1))

    @property
    def column_id(self) -> str:
        if "catalogue" in self.options:
            return str(self.options["catalogue"])
        match = re.search(r"col(\d+)", self.path)
        if match:
            return match.group(1)
        return str(int(hashlib.sha1(self.path.encode()).hexdigest(), 16) % 10**7)


def _digits(seed: str, n: int) -> str:
    return str(int(hashlib.sha1(seed.encode()).hexdigest(), 16))[:n]


def _report(site_name: str, host: str, spec: dict, config: dict) -> Report:
    year = int(spec["year"])
    kind = spec.get("kind", "html")
    seed = f"{host}|{year}|{kind}"
    published = str(spec.get("published") or f"{year + 1}-01-{20 + int(_digits(seed, 2)) % 11}")
    pub_year, pub_month, pub_day = published.split("-")
    fields = {"year": year, "pub_year": pub_year, "pub_mm": pub_month, "pub_dd": pub_day,
              "pub_month": int(pub_month), "pub_day": int(pub_day), "id": _digits(seed, 8),
              "hex32": hashlib.md5(seed.encode()).hexdigest(),
              "ext": {"html": "html", "pdf": "pdf", "docx": "docx"}[kind]}
    template = spec.get("path") or (config["report_path"] if kind == "html"
                                    else config.get("document_path", config.get("attachment_path")))
    title = spec.get("title") or config.get("title_format",
                                            "{agency}{year}年政府信息公开工作年度报告")
    report = Report(year=year, path=template.format(**fields), kind=kind, published=published,
                    title=title.format(agency=site_name, year=year), format=spec.get("format", ""),
                    hex_id=fields["hex32"], layout=spec.get("layout", ""),
                    parts=int(spec.get("parts", 1)), part_style=spec.get("part_style", "trs"),
                    render=spec.get("render") or {})
    for ext in spec.get("attachments", []):
        report.attachments.append((config["attachment_path"].format(**dict(fields, ext=ext)), ext))
    return report


def build_catalog(site_name: str, host: str, config: dict) -> tuple[list[Report], list[Column],
                                                                     dict[str, dict[str, Any]]]:
    """(reports, columns, generated routes) of one site."""
    reports = [_report(site_name, host, spec, config) for spec in config.get("reports", [])]
    routes: dict[str, dict[str, Any]] = {}
    for index, (spec, report) in enumerate(zip(config.get("reports", []), reports, strict=True)):
        extra = {k: spec[k] for k in ROUTE_KEYS if k in spec}
        routes[report.path] = {"handler": KIND_HANDLER[report.kind], "report": index, **extra}
        for path, ext in report.attachments:
            routes[path] = {"handler": KIND_HANDLER[ext], "report": index}
        for part, path in enumerate(report.part_paths(), 2):
            routes[path] = {"handler": "report", "report": index, "part": part}
    columns = []
    for path, options in (config.get("columns") or {}).items():
        years = options.get("years")
        listed = [r for r in sorted(reports, key=lambda r: -r.year)
                  if years is None or r.year in years]
        entries = [Entry(**e) for e in options.get("extra", [])]
        entries += [Entry(r.title, r.path, r.published) for r in listed]
        column = Column(path, options.get("style", "pages"), options.get("title", "年度报告"),
                        entries, options)
        columns.append(column)
        routes.update(_column_routes(column))
    return reports, columns, routes


def _column_routes(column: Column) -> dict[str, dict[str, Any]]:
    base = {"handler": "column", "column": column.path}
    routes = {column.path: dict(base, page=1)}
    pages = max(1, -(-len(column.entries) // column.per_page))
    if column.style in ("trs", "listmodel"):
        stem, ext = column.path.rsplit(".", 1)
        last = pages if column.style == "trs" else min(pages, column.max_static + 1)
        for n in range(1, last):
            routes[f"{stem}_{n}.{ext}"] = dict(base, page=n + 1)
    elif column.style == "pages":
        stem, ext = column.path.rsplit(".", 1)
        for n in range(2, pages + 1):
            routes[f"{stem}_{n}.{ext}"] = dict(base, page=n)
    elif column.style == "hanweb":
        routes[column.options.get("proxy", "/module/jpage/dataproxy.jsp")] = {
            "handler": "hanweb_dataproxy", "column": column.path}
    elif column.style == "sitegroup":
        routes[column.options["api"]] = {"handler": "sitegroup_api", "column": column.path}
    elif column.style == "gkmlpt":
        api = column.path.split("/gkmlpt/")[0] + f"/gkmlpt/api/all/{column.column_id}"
        routes[api] = {"handler": "gkmlpt_api", "column": column.path}
    return routes
