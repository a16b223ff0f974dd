"""The action web: five small Guizhou agency sites on 127.0.0.1 where a reader in a real
browser finds every report only by acting on a page, and where a browser that only
renders pages (runs their scripts on load, reads the DOM, follows ``<a href>``) misses
some of them:

- ``action/postback``: an ASP.NET list whose pages 2 and 3 come only from a form POST
  (``javascript:__doPostBack('ctl00$Main$pager','2')``);
- ``action/openDetail``: ``onclick="openDetail('4711')"`` rows (an external script's
  ``window.open``) and other years only through a ``<select>`` that reloads the list by
  XMLHttpRequest;
- ``action/loadmore``: a 加载更多 button appending rows from a JSON API;
- ``action/scroll``: infinite scroll (an IntersectionObserver on a sentinel);
- ``action/tabs``: the 年报 tab of the disclosure page, loaded by XHR on click.

See ``README.md`` here.

    with ActionWeb() as web:       # a DemoWeb serving only these sites
        web.proxy_url              # --proxy-server= / http_proxy for them
        web.log                    # every request (POST bodies in entry.body)

Each site is data (``sites/<host>/site.yaml`` + ``htdocs/``) served by the demo's server
with the demo's handlers and ``handlers.py`` here (``act_*``). A site's ``reports`` are
exactly its genuine reports; ``site.meta["action"]`` says what a reader must do,
``site.meta["rendered"]`` the report years a render-only browser finds,
``site.meta["offsite"]`` the one reference to another host (never needed).
"""

from __future__ import annotations

from pathlib import Path

from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS as ACTION_HANDLERS

__all__ = ["ACTION_SITES", "HANDLERS", "REGISTRY", "ActionWeb", "action_sites"]

ACTION_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")

assert not set(DEMO_HANDLERS) & set(ACTION_HANDLERS), "an act_ handler hides another"
HANDLERS = {**DEMO_HANDLERS, **ACTION_HANDLERS}


def action_sites() -> dict[str, Site]:
    """Every action site, by host."""
    return load_sites(ACTION_SITES)


class ActionWeb(DemoWeb):
    """``with ActionWeb() as web: ... web.proxy_url ...``: the action sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=action_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
