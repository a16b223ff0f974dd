"""A provincial portal's links to its departments' own sites (部门网站 / 政府部门)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from ..agencies.registry import Agency
from .links import Link
from .text import is_department_name

__all__ = ["department_agency", "is_department_link", "renamed"]


def is_department_link(link: Link, portal: Agency) -> bool:
    """A link named like an agency (…厅, …局, …委员会) to a government host that is not
    the portal's own."""
    host = urlsplit(link.url).hostname or ""
    return (host.endswith(".gov.cn") and not portal.owns(link.url)
            and is_department_name(link.text))


def department_agency(link: Link, portal: Agency) -> Agency | None:
    """A registry entry for the department ``link`` names on ``portal`` (its host
    only), or None when the link is not to a department's site."""
    if not is_department_link(link, portal):
        return None
    parts = urlsplit(link.url)
    host = parts.hostname or ""
    start = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
    name = re.sub(r"\s+", "", link.text)
    return Agency(id=f"{portal.id}/{host}", province=portal.province, name=name,
                  start_url=start, allowed_domains=(host,), province_code=portal.province_code,
                  parent=portal.id, notes=f"found on {portal.name}'s department list")


def renamed(agency: Agency, site_name: str | None) -> str | None:
    """The name a department found by its link text should carry: its own site's
    ``SiteName`` (links say 省广电局, the site 浙江省广播电视局); None to keep it."""
    site_name = (site_name or "").strip()
    if agency.parent and site_name and site_name != agency.name:
        return site_name
    return None
