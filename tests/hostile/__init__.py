"""The hostile web: small agency sites on 127.0.0.1, one host per fault (a reset mid-body,
a truncated gzip, redirect loops, a lying charset, absurd list sizes, 50,000 links, a
flate bomb, an endless search, a JavaScript-only column, an endless pager, Word tables
whose rows disagree on their column edges), for tests that check every fault ends in a
correct, visible status. See ``README.md`` here.

    with HostileWeb() as web:      # like DemoWeb: web.proxy_url, web.log, web.sites
        ...

Each site is data, as in the demo web (``sites/<host>/site.yaml`` + ``htdocs/``), served
by the demo's server with its handlers plus ``handlers.py`` here. A site's ``reports``
are exactly the genuine reports a correct crawler turns into items; its faults are
listed in ``site.meta["faults"]`` (from ``faults:`` in its site.yaml).
"""

from __future__ import annotations

from pathlib import Path

from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS

__all__ = ["HANDLERS", "HOSTILE_SITES", "REGISTRY", "HostileWeb", "hostile_sites"]

HOSTILE_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")


def hostile_sites() -> dict[str, Site]:
    """Every hostile site, by host."""
    return load_sites(HOSTILE_SITES)


class HostileWeb(DemoWeb):
    """``with HostileWeb() as web: ... web.proxy_url ...``: the hostile sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=hostile_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
