"""The third unseen web: eight small 云南省 agency sites, written from descriptions of
ordinary small-agency sites and without reading the crawler's discovery, to measure it on
sites it has never seen. Each has one way to its reports that is not the usual 政府信息公开
→ 年报 link (see ``README.md`` here):

- ``lcj``: the home page's navigation is a banner image's ``<map>`` of ``<area>`` links;
- ``dnr``: the column is four levels deep (政府信息公开 → 法定主动公开内容 → 其他法定内容);
- ``wsjkw``: ``<base href>`` to the site's ``/html/`` folder, every link relative to it;
- ``jtt``: older years only in a ``<select onchange>`` drop-down of relative URLs;
- ``mzzj``: the column's list is written by a script from ``/data/ndbg.xml``;
- ``whhlyt``: the menu is built on load from a JavaScript array in ``/js/menu.js``;
- ``wcb``: a column called 年报专栏 and report titles that vary from year to year;
- ``stats``: PDF reports in an Apache directory listing (``/upload/ndbg/``).

    with Unseen3Web() as web:          # a DemoWeb serving only these sites
        web.proxy_url                  # http_proxy / --proxy-server= for them
        genuine_report_urls("unseen3/lcj")

Each site is data (``sites/<host>/site.yaml`` + ``htdocs/``) served by the demo's server
with the demo's handlers and ``handlers.py`` here (``u3_*``). A site's ``reports`` are
exactly its genuine reports; its ``decoys`` (site.yaml) are pages a careless reader might
take for one.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS as UNSEEN3_HANDLERS

__all__ = ["HANDLERS", "REGISTRY", "UNSEEN3_SITES", "Unseen3Web", "agencies",
           "genuine_report_urls", "unseen3_sites"]

UNSEEN3_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")

assert not set(DEMO_HANDLERS) & set(UNSEEN3_HANDLERS), "a u3_ handler hides another"
HANDLERS = {**DEMO_HANDLERS, **UNSEEN3_HANDLERS}


def unseen3_sites() -> dict[str, Site]:
    """Every site of the third unseen web, by host."""
    return load_sites(UNSEEN3_SITES)


def agencies() -> list[dict]:
    """The registry's agencies."""
    return yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]


def genuine_report_urls(agency_id: str) -> set[str]:
    """The genuine reports of an agency: those of the sites on its allowed_domains."""
    agency = next((a for a in agencies() if a["id"] == agency_id), None)
    if agency is None:
        raise KeyError(agency_id)
    sites = unseen3_sites()
    return {url for host in agency["allowed_domains"] if host in sites
            for url in sites[host].report_urls()}


class Unseen3Web(DemoWeb):
    """``with Unseen3Web() as web: ... web.proxy_url ...``: these eight sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=unseen3_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
