"""The listing page: the archived reports by province, agency and year, linked into replay.

Plain HTML with no external resource: it opens in any browser, offline, and
reads as a table of contents of the collection. Each report links to its
replay at each capture (pywb's ``/COLL/TIMESTAMP/URL``), to its attachments, and
shows a badge per flag (spam, tables missing, identities broken, revised...).
Each report's row has a stable fragment, ``#report-REPORT_ID``, so other pages
(the audit, Datasette) can link to a report in the listing. Where the reports'
text is written beside it (``write_listing``), the page also has a search over
that text (``archive.search``); the table never needs script.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from html import escape
from itertools import groupby
from pathlib import Path
from urllib.parse import quote

from . import search
from .reports import ArchivedReport, badges, timestamp14

__all__ = ["latest_link", "render_listing", "replay_link", "write_listing"]

_STYLE = """
body{font:15px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:70em;
padding:0 1em;color:#222}
h2{border-bottom:2px solid #c00;margin-top:2em}h3{margin:1.2em 0 .3em}
table{border-collapse:collapse;width:100%}td,th{padding:.25em .5em;text-align:left;
vertical-align:top;border-bottom:1px solid #ddd}th{background:#f4f4f4}
.badge{display:inline-block;font-size:80%;padding:0 .4em;margin:0 .2em;border-radius:.3em;
background:#fde2e2;color:#900}.badge.revised{background:#fff1c2;color:#7a5a00}
.when{color:#555;font-size:90%}.summary{color:#555}nav a{margin-right:1em}
"""


def replay_link(prefix: str, date: str, url: str) -> str:
    """pywb's address of ``url`` as captured at ``date``."""
    return f"{prefix}{timestamp14(date)}/{quote(url, safe=':/?&=%#;,+@')}"


def render_listing(reports: Iterable[ArchivedReport], prefix: str = "/reports/",
                   title: str = "Archived disclosure reports", *,
                   links: Sequence[tuple[str, str]] = (), texts: str | None = None) -> str:
    """The page, for ``reports`` ordered by province, agency and year; ``links`` are
    (label, address) of related pages (the audit, Datasette), ``texts`` the reports'
    text file for the search (``search.search_data``), relative to the page."""
    reports = list(reports)
    agencies = {(r.item.get("agency_id"), r.item.get("agency")) for r in reports}
    parts = [f"<!DOCTYPE html><html lang=zh><head><meta charset=utf-8><title>{escape(title)}"
             f"</title><style>{_STYLE}{search.STYLE if texts else ''}</style></head><body>"
             f"<h1>{escape(title)}</h1>", _nav(links),
             f"<p class=summary>{len(reports)} reports of {len(agencies)} agencies. Each "
             "link opens the report as it was captured.</p>"]
    if texts:
        parts.append(search.search_form(texts))
    if not reports:
        parts.append("<p>No report has been archived yet.</p>")
    for province, in_province in groupby(reports, key=lambda r: r.item.get("province")):
        parts.append(f"<h2>{escape(province or 'Province unknown')}</h2>")
        for agency, of_agency in groupby(in_province, key=lambda r: r.item.get("agency")):
            parts.append(_agency_table(agency or "Agency unknown", list(of_agency), prefix))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_listing(folder: Path, reports: Iterable[ArchivedReport], prefix: str = "/reports/",
                  links: Sequence[tuple[str, str]] = ()) -> Path:
    """Write ``index.html`` and the reports' text for its search into ``folder``, each
    under a temporary name renamed into place (a reader never gets half a page); the
    page's path. The text goes first, so a page never names text it cannot load."""
    reports = list(reports)
    _replace(folder / search.SEARCH_DATA, search.search_data(reports, lambda r: latest_link(
        prefix, r)))
    page = folder / "index.html"
    _replace(page, render_listing(reports, prefix, links=links, texts=search.SEARCH_DATA))
    return page


def _replace(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


def latest_link(prefix: str, report: ArchivedReport) -> str:
    """The replay of the report's latest capture; "" if it has none."""
    return replay_link(prefix, report.captured[-1], report.url) if report.captured else ""


def _nav(links: Sequence[tuple[str, str]]) -> str:
    anchors = "".join(f'<a href="{escape(href)}">{escape(label)}</a>' for label, href in links)
    return f"<nav>{anchors}</nav>" if anchors else ""


def _agency_table(agency: str, reports: list[ArchivedReport], prefix: str) -> str:
    rows = "\n".join(_row(report, prefix) for report in reports)
    return (f"<h3>{escape(agency)}</h3><table><tr><th>Year</th><th>Report</th>"
            f"<th>Captured</th><th>Attachments</th></tr>\n{rows}</table>")


def _row(report: ArchivedReport, prefix: str) -> str:
    latest = report.captured[-1] if report.captured else ""
    link = (f'<a href="{escape(latest_link(prefix, report))}">'
            f"{escape(report.title)}</a>") if latest else escape(report.title)
    marks = "".join(f'<span class="badge {escape(b)}">{escape(b)}</span>'
                    for b in badges(report))
    when = [f'<a href="{escape(replay_link(prefix, date, report.url))}">{escape(date)}</a>'
            for date in report.captured]
    if report.checked:  # its own name: the title's link above stays the title's
        unchanged = escape(replay_link(prefix, report.checked, report.url))
        when.append(f'unchanged on <a href="{unchanged}">{escape(report.checked)}</a>')
    attachments = " ".join(
        f'<a href="{escape(replay_link(prefix, latest, url))}">{escape(_name(url))}</a>'
        for url in report.attachments)
    return (f'<tr id="{escape(report.anchor)}">'
            f"<td>{escape(str(report.item.get('year') or '?'))}</td><td>{link}{marks}</td>"
            f"<td class=when>{'<br>'.join(when)}</td><td>{attachments}</td></tr>")


def _name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1] or url
