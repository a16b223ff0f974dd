"""The action fresh web: ten 四川省 agencies on 127.0.0.1 (hosts ``*.actf.gov.cn``), two for
each kind of page a reader in a real browser must act on (or at least render) to find every
report, written from descriptions only, independently of the other action webs:

- ``app``: the reports exist only inside a single-page app: a Vue-style shell
  (``<div id="app">`` + a bundle) with a hash router, the column's rows and each report's
  HTML from JSON APIs (a POSTed JSON body / GET queries); a report's URL is the hash URL
  the reader sees after opening it (``http://jtt.actf.gov.cn/#/detail?id=N``);
- ``departments``: a provincial portal whose department sites (other hosts, not in the
  registry) appear only where a browser shows them: a ``<select>`` of codes a script maps
  to ``window.open(url)``; a box of links built on load from ``/js/bmlist.json``;
- ``trap``: a column with a script pager, and on the same page things a polite reader must
  leave alone: a 公开日历 (endless months), a 站内搜索 form and its 热门搜索 words; a
  login box, a 留言 form and an endless 相关新闻 换一批;
- ``jump``: a pager of bare ``<span>``s with ``addEventListener`` handlers (共3页, no
  下一页); a list inside an ``<iframe>`` (src set by script) with its own 下一页;
- ``expand``: an accordion of years loading each year's list on first opening; a
  zTree-like menu whose year nodes load the right-hand list.

    with ActionFreshWeb() as web:     # a DemoWeb serving only these sites
        web.proxy_url                 # --proxy-server= / http_proxy for them
        web.log                       # every request (POST bodies in entry.body)

Each site is data (``sites/<host>/site.yaml`` + ``htdocs/``) served by the demo's server
with the demo's handlers and ``handlers.py`` here (``af_*``). A site's ``reports`` are
exactly its own genuine reports; a portal's complete crawl also owes its departments'
(``genuine_report_urls``). ``site.meta``: ``kind``, ``list_url``, ``action``, ``rendered``,
``endpoints``, ``offsite`` and, by kind, ``articles``/``attachments`` (app),
``departments``/``department_urls``/``department_page``/``rendered_departments``
(departments), ``traps``/``trap_max`` (trap), ``frame_url`` (jump-b). See ``README.md``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.demoweb.catalog import Report
from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import DemoWeb, Site, load_sites

from .handlers import HANDLERS as ACTION_FRESH_HANDLERS

__all__ = ["ACTION_FRESH_SITES", "HANDLERS", "REGISTRY", "ActionFreshWeb", "action_fresh_sites",
           "genuine_report_urls", "registry_agencies"]

ACTION_FRESH_SITES = Path(__file__).with_name("sites")
REGISTRY = Path(__file__).with_name("registry.yaml")

assert not set(DEMO_HANDLERS) & set(ACTION_FRESH_HANDLERS), "an af_ handler hides another"
HANDLERS = {**DEMO_HANDLERS, **ACTION_FRESH_HANDLERS}


def action_fresh_sites() -> dict[str, Site]:
    """Every action fresh site, by host: the ten registry agencies' and the portals'
    department sites (``meta["kind"] == "department"``)."""
    return load_sites(ACTION_FRESH_SITES)


def registry_agencies() -> list[dict]:
    """The registry's agencies (``registry.yaml``)."""
    return yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]


def genuine_report_urls(sites: dict[str, Site], host: str) -> dict[str, Report]:
    """What a complete crawl of the agency at ``host`` must produce as items: its own
    reports and, for a portal, its departments' (``meta["departments"]``)."""
    urls = dict(sites[host].report_urls())
    for department in sites[host].meta.get("departments", []):
        urls.update(sites[department].report_urls())
    return urls


class ActionFreshWeb(DemoWeb):
    """``with ActionFreshWeb() as web: ... web.proxy_url ...``: these sites only."""

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0) -> None:
        super().__init__(sites=action_fresh_sites() if sites is None else sites, port=port,
                         handlers=HANDLERS)
