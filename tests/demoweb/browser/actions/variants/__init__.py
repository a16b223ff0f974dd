"""The action variant web: ten small 云南省 agency sites on 127.0.0.1, two for each kind
of action a reader in a real browser must take to find every report, written
independently of ``tests/demoweb/browser/actions/`` with other markup, script styles
(a jQuery-like helper shipped on the agency's host, plain DOM, a tiny framework-like
component script), URL shapes and encodings (GBK / GB18030 and UTF-8):

- ``pager``: an ASP.NET ``__doPostBack`` form POST; ``goPage(n)`` reloading the list by XHR;
- ``rows``: ``onclick="openDetail('ID')"`` rows opening ``window.open(url)``; ``data-id``
  rows with a delegated listener setting ``location.href``;
- ``more``: a ``<button>加载更多`` (JSON); an ``<a href="javascript:;">点击加载更多`` (HTML
  fragments) that ends in 没有更多了;
- ``choice``: a year ``<select onchange>`` (JSON); year tabs ``<li class="year-tab">``
  (HTML fragments); only the newest year is shown on load;
- ``scroll``: a ``scroll`` listener on window (POSTed JSON); an IntersectionObserver on a
  sentinel (HTML fragments).

A browser that only renders pages (runs their scripts on load, reads the DOM's
``<a href>``) misses some reports of every site. See ``README.md`` here.

    with ActionVariantWeb() as web:   # a DemoWeb serving only these sites
        web.proxy_url                 # --proxy-server= / http_proxy for them
        web.log                       # every request (POST bodies in entry.body)

Each site is data (``sites/<host>/site.yaml`` + ``htdocs/``) served by the demo's server
with the demo's handlers and ``handlers.py`` here (``av_*``). A site's ``reports`` are
exactly its genuine reports; ``site.meta`` says the rest: ``kind``, ``list_url`` (the
report column), ``action`` (what a reader must do), ``rendered`` (the report years a
render-only browser finds), ``endpoints`` (the requests the scripts make that give the
other reports) and ``offsite`` (the one reference to another host, never needed).
"""

from __future__ import annotations

from pathlib import Path

from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS as ACTION_VARIANT_HANDLERS

__all__ = ["ACTION_VARIANT_SITES", "HANDLERS", "REGISTRY", "ActionVariantWeb",
           "action_variant_sites"]

ACTION_VARIANT_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")

assert not set(DEMO_HANDLERS) & set(ACTION_VARIANT_HANDLERS), "an av_ handler hides another"
HANDLERS = {**DEMO_HANDLERS, **ACTION_VARIANT_HANDLERS}


def action_variant_sites() -> dict[str, Site]:
    """Every action variant site, by host."""
    return load_sites(ACTION_VARIANT_SITES)


class ActionVariantWeb(DemoWeb):
    """``with ActionVariantWeb() as web: ... web.proxy_url ...``: these sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=action_variant_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
