"""The unseen2 web: eight small 湖南省 agency sites on 127.0.0.1 for measuring how the
crawler's discovery does on sites it has never seen. Each is an ordinary small agency
site (a home page, news, a disclosure area, a report column with three genuine reports,
ordinary articles and decoys) with one unusual mechanism on the way to its reports:

- ``tjj``: the report list's only pager is a GET form (``<select name="pageNo">``);
- ``nynct``: the report list's only pager is a jump box (``<input name="page">`` + 跳转);
- ``ybj``: the list is built by script from a JSON API, its rows pdf.js viewer links;
- ``lyj``: each report page only embeds its PDF in a viewer ``<iframe>``;
- ``slt``: the home page is a frameset, the navigation targets a frame;
- ``mzt``: only the site map (in the footer) leads to the disclosure area;
- ``rst``: the report column is year tabs shown by CSS only;
- ``jtt``: the disclosure area is on the province's shared platform (another host),
  next to other agencies' folders and reports.

See ``README.md`` here.

    with Unseen2Web() as web:          # a DemoWeb serving only these sites
        web.proxy_url                  # http_proxy / --proxy-server= for them
        genuine_report_urls("unseen2/jtt")   # the truth for one registry agency

Each site is data (``sites/<host>/site.yaml`` + ``htdocs/``) served by the demo's server
with the demo's handlers and ``handlers.py`` here (``u2_*``). A site's ``reports`` are
exactly its genuine reports: ``site.report_urls()`` are the URLs a correct crawler turns
into items.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS as UNSEEN2_HANDLERS

__all__ = ["HANDLERS", "REGISTRY", "UNSEEN2_SITES", "Unseen2Web", "agencies",
           "genuine_report_urls", "unseen2_sites"]

UNSEEN2_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")

assert not set(DEMO_HANDLERS) & set(UNSEEN2_HANDLERS), "a u2_ handler hides another"
HANDLERS = {**DEMO_HANDLERS, **UNSEEN2_HANDLERS}


def unseen2_sites() -> dict[str, Site]:
    """Every site of the unseen2 web, by host (the shared platform is one of them)."""
    return load_sites(UNSEEN2_SITES)


@cache
def _registry() -> tuple[dict[str, Any], ...]:
    return tuple(yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"])


def agencies() -> dict[str, dict[str, Any]]:
    """The registry's agencies, by id."""
    return {agency["id"]: dict(agency) for agency in _registry()}


def genuine_report_urls(agency_id: str) -> set[str]:
    """The truth for one registry agency: the reports of the sites on its
    ``allowed_domains`` (for ``unseen2/jtt``: the shared platform's, whose ``reports:``
    are the 交通运输厅's only; its own host has none)."""
    agency = agencies()[agency_id]
    sites = unseen2_sites()
    return {url for host in agency["allowed_domains"] if host in sites
            for url in sites[host].report_urls()}


class Unseen2Web(DemoWeb):
    """``with Unseen2Web() as web: ... web.proxy_url ...``: these sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=unseen2_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
