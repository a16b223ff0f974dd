"""A provincial portal's links to its departments' own sites (部门网站 / 政府部门)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

from ..registry import Agency
from .links import Link
from .text import is_department_name

__all__ = ["department_agency", "department_links", "is_department_link"]


def is_department_link(link: Link, portal: Agency) -> bool:
    """A link named like an agency (…厅, …局, …委员会) to a government host that is not
    the portal's own."""
    host = urlsplit(link.url).hostname or ""
    return (host.endswith(".gov.cn") and not portal.owns(link.url)
            and is_department_name(link.text))


def department_links(links: Iterable[Link], portal: Agency) -> Iterator[Link]:
    return (link for link in links if is_department_link(link, portal))


def department_agency(link: Link, portal: Agency) -> Agency:
    """A registry entry for a department found on ``portal``: its host only."""
    parts = urlsplit(link.url)
    host = parts.hostname or ""
    start = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
    name = re.sub(r"\s+", "", link.text)
    return Agency(id=f"{portal.id}/{host}", province=portal.province, name=name,
                  start_url=start, allowed_domains=(host,), province_code=portal.province_code,
                  parent=portal.id, notes=f"found on {portal.name}'s department list")
