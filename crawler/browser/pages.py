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

from scrapy.http import HtmlResponse

from archive import PendingRecord

from ..meta import RENDERED, WARC_RECORD

if TYPE_CHECKING:
    from scrapy import Request

    from archive.lookup import Capture

__all__ = ["archived_rendering", "rendered_response", "set_cookie_headers"]


def rendered_response(request: Request, dom: str, info: dict[str, Any],
                      set_cookies: Sequence[str] = ()) -> HtmlResponse:
    request.meta[RENDERED] = info
    headers: dict[str, Any] = {"Content-Type": "text/html; charset=utf-8"}
    if set_cookies:
        headers["Set-Cookie"] = list(set_cookies)
    return HtmlResponse(url=info.get("final_url") or request.url, status=int(info["status"]),
                        headers=headers, body=dom.encode("utf-8"), request=request,
                        encoding="utf-8", flags=["rendered"])


def archived_rendering(request: Request, capture: Capture, dom: str,
                       info: dict[str, Any]) -> HtmlResponse:
    """The rendered page the archive holds, for ``request``: the item points at its DOM
    record."""
    request.meta[WARC_RECORD] = PendingRecord.written(capture.location())
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
