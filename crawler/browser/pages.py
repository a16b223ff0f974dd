"""A rendered page as a Scrapy response, made the same way live, on resume and in replay.

The browser's answer to a render request is the DOM after scripts (UTF-8, whatever
the page was served in), with the status of the last document the page loaded and its
final URL; ``request.meta[RENDERED]`` holds what the page did (its page info:
navigations, popups, requests). Live, the cookies the page set come back as
``Set-Cookie`` for the crawl's jar. Made from the archive (``archive.rendered``), the
same DOM and page info give the same response, so re-extraction reads what the crawl
read without a browser.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scrapy.http import HtmlResponse, TextResponse

from archive import PendingRecord
from archive.lookup import read_capture

from ..discovery.apparticle import article_page, json_article
from ..meta import RENDERED, RENDERED_ANSWERS, WARC_RECORD

if TYPE_CHECKING:
    from scrapy import Request

    from archive.lookup import Capture, CaptureIndex

__all__ = ["app_report", "archived_answers", "archived_rendering", "rendered_response",
           "set_cookie_headers"]


def rendered_response(request: Request, dom: str, info: dict[str, Any],
                      set_cookies: Sequence[str] = ()) -> HtmlResponse:
    request.meta[RENDERED] = info
    headers: dict[str, Any] = {"Content-Type": "text/html; charset=utf-8"}
    if set_cookies:
        headers["Set-Cookie"] = list(set_cookies)
    return HtmlResponse(url=info.get("final_url") or request.url, status=int(info["status"]),
                        headers=headers, body=dom.encode("utf-8"), request=request,
                        encoding="utf-8", flags=["rendered"])


def archived_answers(index: CaptureIndex, info: dict[str, Any]
                     ) -> list[tuple[str, bytes, PendingRecord]]:
    """The JSON answers a rendered report page was given (its page info names them), as
    the archive holds them: what an app's report is read from. (Blocking: records are
    read from disk.)"""
    answers = []
    for method, url, sent in info.get("answers", []):
        capture = index.get(method, url, sent.encode("latin-1"))
        if capture is not None:
            try:
                body = read_capture(capture).body
            except (OSError, ValueError):
                continue  # unreadable since: the report is read from the DOM instead
            answers.append((url, body, PendingRecord.written(capture.location())))
    return answers


def archived_rendering(request: Request, capture: Capture, dom: str, info: dict[str, Any],
                       answers: list[tuple[str, bytes, PendingRecord]] | None = None
                       ) -> HtmlResponse:
    """The rendered page the archive holds, for ``request``: the item points at its DOM
    record (or at the JSON answer an app's report is read from)."""
    request.meta[WARC_RECORD] = PendingRecord.written(capture.location())
    request.meta[RENDERED_ANSWERS] = answers or []
    response = rendered_response(request, dom, info)
    response.flags.append("archived")
    return response


def set_cookie_headers(cookies: list[dict[str, Any]]) -> list[str]:
    """Playwright's cookies as ``Set-Cookie`` values (host-only unless a domain cookie)."""
    values = []
    for cookie in cookies:
        value = f"{cookie['name']}={cookie['value']}; Path={cookie.get('path') or '/'}"
        if str(cookie.get("domain", "")).startswith("."):
            value += f"; Domain={cookie['domain']}"
        if cookie.get("expires", -1) not in (-1, None):
            value += f"; Max-Age={max(0, int(cookie['expires'] - time.time()))}"
        values.append(value)
    return values


def app_report(response: TextResponse) -> tuple[HtmlResponse, str] | None:
    """A rendered report page whose report came as JSON (an app's article API): the page
    its article makes, at the address the reader sees (the hash route), pointing at the
    JSON answer's record; and the answer's URL (what the report is read from). The
    answer with the longest article wins (a side list's summaries are no report); None
    when no answer holds a report."""
    request = response.request
    found = [(article, url, record) for url, body, record in
             response.meta.get(RENDERED_ANSWERS) or [] if (article := json_article(body))]
    if not found or request is None:
        return None
    article, url, record = max(found, key=lambda answer: len(answer[0].content))
    asked = request.replace(meta={**request.meta, WARC_RECORD: record})
    page = HtmlResponse(url=request.url, status=200, body=article_page(article).encode(),
                        headers={"Content-Type": "text/html; charset=utf-8"},
                        encoding="utf-8", request=asked, flags=["rendered", "app"])
    return page, url
