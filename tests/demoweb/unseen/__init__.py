"""The unseen web: eight small 河南省 agency sites on 127.0.0.1 that the crawler was never
written against, one per host (plus one agency's second host), each reaching its report
column its own ordinary way: PHPCMS v9 ``index.php`` lists, DedeCMS ``list_N_M.html``
pages in GBK, a 政府信息公开目录 platform with the list in an ``<iframe>`` and PDF reports
behind a pdf.js viewer, a JSONP list, a GET-form pager, rows opened by a click handler
(``data-url``), a two-level year index, and a disclosure area on a sub-host. See
``README.md`` here.

    with UnseenWeb() as web:       # a DemoWeb serving only these sites
        web.proxy_url              # http_proxy / --proxy-server= for them
        web.log                    # every request

Each site is data (``sites/<host>/site.yaml`` + ``htdocs/``) served by the demo's server
with the demo's handlers and ``handlers.py`` here (``un_*``). A site's ``reports`` are
exactly its genuine reports (``site.report_urls()``); ``site.meta["mechanism"]`` says in
one line how its reports are reached; decoys (决算, 政府工作报告, 法治政府建设年度报告, ...)
are ordinary articles, never reports.
"""

from __future__ import annotations

from pathlib import Path

from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS as UNSEEN_HANDLERS

__all__ = ["HANDLERS", "REGISTRY", "UNSEEN_SITES", "UnseenWeb", "unseen_sites"]

UNSEEN_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")

assert not set(DEMO_HANDLERS) & set(UNSEEN_HANDLERS), "an un_ handler hides another"
HANDLERS = {**DEMO_HANDLERS, **UNSEEN_HANDLERS}


def unseen_sites() -> dict[str, Site]:
    """Every site of the unseen web, by host."""
    return load_sites(UNSEEN_SITES)


class UnseenWeb(DemoWeb):
    """``with UnseenWeb() as web: ... web.proxy_url ...``: these sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=unseen_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
