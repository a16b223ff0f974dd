"""The browser-only web: six small Guangxi agency sites on 127.0.0.1 that a reader in a
real browser reads easily and a crawler reading only static HTML cannot. Two of each:

- ``appshell-*``: the home page or the disclosure area is a single-page app's shell; its
  router (hash: ``#/xxgk``; history: ``pushState`` over paths the server answers with the
  shell) renders the nav, and the report list comes from a JSON API;
- ``scriptnav-*``: a page on the reader's way moves on only by script (``location.assign``
  from a ``setTimeout``; a ``document.write``-n meta refresh and ``top.location.href``),
  the target computed in JavaScript;
- ``challenge-*``: every path answers a JavaScript cookie challenge (521; 412) until the
  script's token is sent back as a cookie; the token expires (25 requests; 15 seconds).

See ``README.md`` here.

    with BrowserMoreWeb() as web:      # a DemoWeb serving only these sites
        web.proxy_url                  # http_proxy / --proxy-server= for them
        web.log                        # every request

Each site is data (``sites/<host>/site.yaml`` + ``htdocs/``) served by the demo's server
with the demo's handlers and ``handlers.py`` here. A site's ``reports`` are exactly its
genuine reports, the ones a reader finds.
"""

from __future__ import annotations

from pathlib import Path

from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS as BROWSER_MORE_HANDLERS

__all__ = ["BROWSER_MORE_SITES", "HANDLERS", "REGISTRY", "BrowserMoreWeb", "browser_more_sites"]

BROWSER_MORE_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")

assert not set(DEMO_HANDLERS) & set(BROWSER_MORE_HANDLERS), "a bm_ handler hides another"
HANDLERS = {**DEMO_HANDLERS, **BROWSER_MORE_HANDLERS}


def browser_more_sites() -> dict[str, Site]:
    """Every site of the browser-only web, by host."""
    return load_sites(BROWSER_MORE_SITES)


class BrowserMoreWeb(DemoWeb):
    """``with BrowserMoreWeb() as web: ... web.proxy_url ...``: these six sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=browser_more_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
