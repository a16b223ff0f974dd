"""What a link is for: the roles of the requests on the way to a report.

start → area (政府信息公开) → list (the report column, its pages and list APIs) →
report (an HTML report page) → part (its further pages, …_2.html) and
attachment (its PDF/DOC/DOCX); a report published only as a file is a document.
A portal's department list is a role of its own. ``link_role`` decides from a
link's URL and text alone, so the live spider and a spider reading WARCs decide
alike.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from enum import StrEnum
from typing import Any

from ..agencies.registry import Agency
from .text import (
    file_name_year,
    is_area_text,
    is_area_url,
    is_column_text,
    is_column_url,
    is_departments_text,
    is_report_candidate,
    is_report_title,
    is_year_text,
    report_year,
)
from .urls import attachment_type

__all__ = ["PRIORITY", "REPORT_ROLES", "Role", "in_years", "link_role", "site_map_way"]


class Role(StrEnum):
    """A request's role (a ``str``, so it survives Scrapy's disk queues and JSON)."""

    START = "start"
    AREA = "area"
    DEPARTMENTS = "departments"
    LIST = "list"
    REPORT = "report"
    PART = "part"  # a further page of a report split over several (…_2.html)
    DOCUMENT = "document"
    ATTACHMENT = "attachment"


# Reports first, so a crawl interrupted early has archived whole reports, not menus.
PRIORITY = {Role.START: 0, Role.AREA: 20, Role.DEPARTMENTS: 20, Role.LIST: 30,
            Role.REPORT: 40, Role.DOCUMENT: 40, Role.PART: 50, Role.ATTACHMENT: 50}
# Responses that must each end in an item (or in a counted error).
REPORT_ROLES = frozenset({Role.REPORT, Role.DOCUMENT, Role.PART, Role.ATTACHMENT})


def in_years(title: str | None, years: Container[int] | None) -> bool:
    """Is a report titled ``title`` one of the ``years`` asked for (all when None)?"""
    return years is None or report_year(title) in years


def link_role(url: str, text: str, on: Role, agency: Agency,
              years: Container[int] | None = None) -> Role | None:
    """The role of a link with ``text`` to ``url`` found on a page of role ``on``;
    None for links that lead nowhere near a report (or to reports of other years)."""
    document = attachment_type(url) is not None
    if is_report_title(text) or (on is Role.LIST and is_report_candidate(text)):
        if not in_years(text, years):
            return None
        return Role.DOCUMENT if document else Role.REPORT
    if on is Role.LIST and not document and is_year_text(text):
        return Role.LIST if in_years(text, years) else None  # per-year sub-columns
    if on is Role.LIST and document and (named := file_name_year(text)) is not None:
        # a column's files shown by name only (a directory listing): each one read,
        # its own title then says whether it is a report
        return Role.DOCUMENT if years is None or named in years else None
    if document or report_year(text) is not None:
        return None  # other documents, and dated articles: not the way to reports
    if is_column_text(text) or (on in (Role.AREA, Role.LIST) and is_column_url(url)):
        return Role.LIST
    if agency.departments and on is Role.START and is_departments_text(text):
        return Role.DEPARTMENTS  # before the area: /zwgk/bmwz/ is a department list
    if is_area_text(text) or (on is Role.START and is_area_url(url)):
        return Role.AREA
    return None


def site_map_way(chosen: Sequence[tuple[Any, Role]], maps: Sequence[Any]) -> list[Any]:
    """The start page's site map (网站地图) to follow as the area: only when the page
    itself shows no way towards the reports (no area, column or report link), and the
    first only. On a portal every column is on it: taken always, it would cost more
    than it finds."""
    if any(role in (Role.AREA, Role.LIST) or role in REPORT_ROLES for _, role in chosen):
        return []
    return list(maps[:1])
