"""The browser web: small agency sites on 127.0.0.1 that a reader in a real browser
(Chromium) reads easily and a crawler reading only static HTML cannot: one step on the
way to the reports of each needs a browser (a start page that moves on by script, a
column filled by XMLHttpRequest, a single-page app over a JSON API, a 瑞数-like
JavaScript cookie challenge, rows written by ``document.write``). See ``README.md`` here.

    with BrowserWeb() as web:      # like DemoWeb: web.proxy_url, web.log, web.sites
        ...

Each site is data, as in the demo web (``sites/<host>/site.yaml`` + ``htdocs/``), served
by the demo's server with its handlers plus ``handlers.py`` here. A site's ``reports``
are exactly its genuine reports; ``site.meta["browser"]`` says which step needs the
browser, ``site.meta["offsite"]`` the one reference to another host (never to be
requested).
"""

from __future__ import annotations

from pathlib import Path

from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS

__all__ = ["BROWSER_SITES", "HANDLERS", "REGISTRY", "BrowserWeb", "browser_sites"]

BROWSER_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")


def browser_sites() -> dict[str, Site]:
    """Every browser site, by host."""
    return load_sites(BROWSER_SITES)


class BrowserWeb(DemoWeb):
    """``with BrowserWeb() as web: ... web.proxy_url ...``: the browser sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=browser_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
