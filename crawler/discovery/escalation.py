"""When static reading stops where a reader would not: the rules that send a page to the
browser (``crawler.browser``).

The static family readers are the fast path. A page goes to the browser only when what
static reading got of it falls short in a way a script explains, by a rule about the
page, never about a site:

- ``challenge``: an anti-bot answer (HTTP 202, 412, 521 with a script and little text;
  or any page that sets a cookie by script and reloads itself);
- ``script navigation``: a page with nowhere to go but a script that navigates
  (``location.href =``, ``location.replace(``, ``top.location``, a meta refresh written
  by ``document.write``);
- ``app shell``: an application's mount point (``<div id="app">``...) and scripts, and
  no link towards reports;
- ``built by script``: a page on the way to reports that leads nowhere but runs scripts
  that write the page (``document.write``, ``innerHTML``, XMLHttpRequest, ``fetch``);
- ``list by script``: a list page that gave no record and does not say it is empty,
  and runs scripts;
- ``script pager``, ``script rows``, ``load more``, ``choices``, ``scroll``: a list or
  disclosure page with controls only a reader's actions work (``crawler.discovery.actions``:
  下一页 by ``__doPostBack``, ``onclick`` rows, 加载更多, a ``<select onchange>`` of years,
  an infinite scroll), whatever else it gave: the browser acts on them
  (``crawler.browser.behaviours``);
- at the end of an agency (``agency_escalations``): ``no report column`` (its start and
  disclosure pages, rendered), ``no report`` and ``list short`` (its columns); a portal
  that found no department's site (``department_escalations``): ``departments`` (its
  department lists and start page: drop-downs, boxes built from JSON).

Each page goes to the browser once; a rendered page is never sent again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .actions import page_controls

__all__ = ["ACTION_REASONS", "CHALLENGE_STATUSES", "PageView", "agency_escalations",
           "browser_shortfall", "department_escalations", "is_challenge", "page_escalation",
           "visible_text"]

CHALLENGE_STATUSES = frozenset({202, 412, 521})
_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_ANY_SCRIPT = re.compile(r"<script\b", re.I)
_TAGS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>",
                   re.I | re.S)
_SPACE = re.compile(r"\s+|&nbsp;")
# Navigation by script: an assignment to a location (not a comparison), replace/assign,
# a refresh written into the page.
_NAVIGATES = re.compile(
    r"\blocation(?:\s*\.\s*href)?\s*=(?!=)|\blocation\s*\.\s*(?:replace|assign)\s*\("
    r"|\.\s*location\s*=(?!=)|http-equiv\s*=\s*\\?['\"]?refresh|\bwindow\s*\.\s*open\s*\(",
    re.I)
_SETS_COOKIE = re.compile(r"\bdocument\s*\.\s*cookie\s*=(?!=)", re.I)
_RELOADS = re.compile(r"\blocation\s*\.\s*reload\s*\(|\blocation(?:\s*\.\s*href)?\s*=(?!=)"
                      r"|\blocation\s*\.\s*replace\s*\(", re.I)
_WRITES_PAGE = re.compile(
    r"\bdocument\s*\.\s*write(?:ln)?\s*\(|\.\s*(?:inner|outer)HTML\s*\+?=|insertAdjacentHTML"
    r"|\bappendChild\s*\(|XMLHttpRequest|\bfetch\s*\(|\$\s*\.\s*(?:ajax|get|post|getJSON)\s*\("
    r"|\.\s*load\s*\(|\baxios\b|\bcreateApp\s*\(|\bnew\s+Vue\s*\(|ReactDOM", re.I)
_MOUNT_POINT = re.compile(
    r"<(?:div|main|section)\b[^>]*\bid\s*=\s*['\"]?(?:app|root|__nuxt|__next|main-app|vue-app)"
    r"\b[^>]*>\s*</(?:div|main|section)>|\bng-app\b|<noscript\b[^>]*>[^<]*(?:JavaScript|javascript"
    r"|启用|开启|enable)", re.I)
_LITTLE_TEXT = 200  # characters a challenge or a shell shows: a line or two
_ANTI_BOT_MARKERS = ("$_ts",)  # 瑞数 (Riversecurity)
# A page without any of these has no control a reader's action would work (cheap first look)
_ACTION_HINTS = re.compile(r"javascript:|onclick|<select|更多|load\s*more|IntersectionObserver"
                           r"|onscroll|tab(?!le|index)|加载|loading|>\s*(?:19|20)\d\d\s*年?\s*<",
                           re.I)


@dataclass(frozen=True)
class PageView:
    """What static reading got of one page."""

    status: int
    html: str
    role: str  # the role it was fetched in (crawler.discovery.Role's value)
    leads: int  # requests it led to: links chosen, list pages planned, departments
    shown_empty: bool = False  # a list page saying in so many words it lists nothing
    planned: int = 0  # further pages of its list the static reading could ask for
    root: Any = None  # the page parsed (lxml), when the caller has it

    @cached_property
    def scripts(self) -> str:
        """Its inline scripts, one after the other."""
        return _scripts(self.html)

    @cached_property
    def little_text(self) -> bool:
        """A line or two of text to read, at most."""
        return len(visible_text(self.html)) <= _LITTLE_TEXT


def visible_text(html: str) -> str:
    """The text a reader sees in the HTML as served, scripts and tags left out."""
    return _SPACE.sub(" ", _TAGS.sub(" ", html)).strip()


def _scripts(html: str) -> str:
    return "\n".join(_INLINE_SCRIPT.findall(html))


def is_challenge(status: int, html: str) -> bool:
    """An anti-bot answer only a browser passes: a challenge status with a script and
    little text, a known challenge marker, or a page that sets a cookie by script and
    reloads itself."""
    return _challenge(PageView(status, html, "", 0))


def _challenge(page: PageView) -> bool:
    if not _ANY_SCRIPT.search(page.html):
        return False
    if page.status in CHALLENGE_STATUSES:
        return any(m in page.html for m in _ANTI_BOT_MARKERS) or page.little_text
    # most pages: their scripts neither set a cookie nor reload, and the text is not read
    return bool(_SETS_COOKIE.search(page.scripts)) and bool(_RELOADS.search(page.scripts)) \
        and page.little_text


def page_escalation(page: PageView) -> str | None:
    """Why this page needs the browser (the module's rule), or None."""
    if _challenge(page):
        return "challenge"
    acted = _actions(page)
    if acted:
        return acted
    if page.leads or page.role in ("report", "part", "document", "attachment"):
        return None
    if not _ANY_SCRIPT.search(page.html):
        return None  # nothing a browser would run
    if _NAVIGATES.search(page.scripts):
        return "script navigation"
    if _MOUNT_POINT.search(page.html):
        return "app shell"
    if page.role == "list":
        return None if page.shown_empty else "list by script"
    if _WRITES_PAGE.search(page.scripts) or page.little_text:
        return "built by script"
    return None


_ACTION_REASONS = (("pager", "script pager"), ("row", "script rows"), ("more", "load more"),
                   ("choice", "choices"))
# pages sent to the browser for its actions on them (crawler.browser.behaviours)
ACTION_REASONS = frozenset({reason for _, reason in _ACTION_REASONS} | {"scroll"})
# a list that says it loads more as the reader scrolls or waits
_LOADS_MORE = re.compile(r"[下上]拉加载|滚动加载|正在加载|加载中|loading\.\.\.", re.I)
_SCROLLS = re.compile(r"IntersectionObserver|\bonscroll\b|addEventListener\(\s*['\"]scroll",
                      re.I)


def _actions(page: PageView) -> str | None:
    """A list or disclosure page whose controls only a reader's actions work."""
    if page.role not in ("list", "area") or not _ACTION_HINTS.search(page.html):
        return None
    kinds = page_controls(page.root if page.root is not None else page.html)
    for kind, reason in _ACTION_REASONS:
        if kinds[kind] and not (kind == "pager" and page.planned):
            return reason
    if page.role == "list" and (_SCROLLS.search(page.scripts)
                                or _LOADS_MORE.search(visible_text(page.html))):
        return "scroll"
    if page.role == "list" and kinds["year"] >= 2 and page.leads < kinds["year"] and \
            _ANY_SCRIPT.search(page.html):
        return "choices"  # more years shown than records read: each opened by a listener
    return None


def browser_shortfall(records: int, stated: int | None, stopped: str) -> str:
    """What a list the browser's actions stopped short says: ``list read by browser, N
    of M records`` (M as the list states it; unknown when it states none)."""
    of = f"{records} of {stated} records" if stated else f"{records} records, more unread"
    return f"list read by browser, {of} (stopped at {stopped})"


def department_escalations(found: int, pages: Iterable[str], start: str,
                           rendered: Iterable[str], limit: int = 3) -> list[tuple[str, str]]:
    """A portal whose crawl found none of its departments' sites: its department lists
    (``pages``), then its start page, to render (a reader sees them in drop-downs and
    boxes a script fills). Never a page rendered before; none once one was found."""
    if found:
        return []
    done = set(rendered)
    chosen = [url for url in dict.fromkeys([*pages, start]) if url not in done]
    return [(url, "departments") for url in chosen[:limit]]


def agency_escalations(status: str, pages: Iterable[str], columns: Iterable[str],
                       short_columns: Iterable[str], rendered: Iterable[str],
                       limit: int = 4) -> list[tuple[str, str]]:
    """The pages of an agency whose crawl ended short to render now, with why: its
    start and disclosure pages (``pages``) when no report column was found, its columns
    when they gave no report or fewer records than they state. Never a page rendered
    before; at most ``limit``."""
    done = set(rendered)
    if status.startswith("no report column found"):
        chosen = [(url, "no report column") for url in pages]
    elif status.startswith("no report found"):
        chosen = [(url, "no report") for url in columns]
    else:
        chosen = [(url, "list short") for url in short_columns]
    seen: set[str] = set()
    out = []
    for url, why in chosen:
        if url not in done and url not in seen:
            seen.add(url)
            out.append((url, why))
    return out[:limit]
