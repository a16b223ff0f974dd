"""The browser variant web: ten small Sichuan agency sites on 127.0.0.1 that a reader in a
real browser reads easily and a crawler reading only static HTML cannot, two for each of
five kinds of step that needs a browser: a page that moves on only by script
(``scriptnav``), a column filled by an AJAX call returning an HTML fragment
(``ajaxlist``), an app shell over a JSON API (``appshell``), a 瑞数/加速乐-like cookie
challenge on every path (``challenge``), rows written by script from data in the page
(``docwrite``). See ``README.md`` here.

    with BrowserVariantWeb() as web:   # a DemoWeb serving only these sites
        web.proxy_url                  # http_proxy / --proxy-server for a crawl or a browser
        web.log                        # every request

Each site is data (``sites/<host>/site.yaml`` + ``htdocs/``) served by the demo's server
with the demo's handlers and ``handlers.py`` here. A site's ``reports`` are exactly the
genuine reports a correct crawler turns into items; ``site.meta["reader"]`` is the path a
reader takes to them (the step marked ``browser:`` is the one that needs a browser),
``site.meta["offsite"]`` the one reference to a host that is not the agency's.
"""

from __future__ import annotations

from pathlib import Path

from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS as BROWSER_VARIANT_HANDLERS

__all__ = ["BROWSER_VARIANT_SITES", "HANDLERS", "REGISTRY", "BrowserVariantWeb",
           "browser_variant_sites"]

BROWSER_VARIANT_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")

assert not set(DEMO_HANDLERS) & set(BROWSER_VARIANT_HANDLERS), \
    "a browser variant handler hides a demo handler"
HANDLERS = {**DEMO_HANDLERS, **BROWSER_VARIANT_HANDLERS}


def browser_variant_sites() -> dict[str, Site]:
    """Every browser variant site, by host (fresh objects: a challenge's state is kept on
    its Site, so each web starts with fresh challenges)."""
    return load_sites(BROWSER_VARIANT_SITES)


class BrowserVariantWeb(DemoWeb):
    """``with BrowserVariantWeb() as web: ... web.proxy_url ...``: these sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=browser_variant_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
