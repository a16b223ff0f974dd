"""Columns whose lists come from a JSON API named in the page's script.

- Site-group platforms (Jiangxi's 集约化平台, TRS 海云 ``/irs/front/search``): the page
  embeds its first page (``articleList: [...]``) or nothing, and its script POSTs a
  ``params`` object as JSON to the API for the pages after; the answer's ``total``
  plans the rest. When ``params`` holds values the page computes at run time (a
  channel id read from a clicked tab...), the request is not made up: the list's
  size says what could not be read.
- Guangdong's 政府信息公开目录平台 ``gkmlpt``: the column page lists nothing; its
  records come from ``GET /gkmlpt/api/all/<catalogue>?page=N&sid=<site>`` (the
  site id in the page's script, the catalogue in the column link's fragment
  ``annualreport#2629`` or the script), answering ``{"total", "articles"}``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from ...meta import FRAGMENT, LIST_API, LIST_PLAN
from ..jsobject import js_object, js_unresolved, json_array_after
from ..links import Link
from .base import Family, ListSize, find_lists, find_number, item_links, json_body, scripts

__all__ = ["Gkmlpt", "SiteGroupJson"]

_API_URL = re.compile(r"""(?:url|api|listUrl|apiUrl|dataUrl)\s*[:=]\s*"""
                      r"""['"]([^'"\s]*(?:list|query|search|article)[^'"\s]*)['"]""", re.I)
_PARAMS = r"\bparams\s*=\s*"
_PAGE_KEYS = ("current", "pageNo", "pageNum", "page", "pageIndex", "currentPage")
_SIZE_KEYS = ("perPage", "pageSize", "size", "rows", "limit")
_TOTAL_KEYS = ("total", "totalCount", "totalRecord", "totalRecords", "recordCount")


class SiteGroupJson(Family):
    name = "sitegroup"

    def detect(self, response: TextResponse) -> bool:
        body = response.body
        return (b"articleList" in body or b"channelCode" in body
                or (b"JSON.stringify(params)" in body and bool(_API_URL.search(response.text))))

    def links(self, response: TextResponse) -> list[Link]:
        return list(item_links(_embedded(response), response.urljoin))

    def size(self, response: TextResponse) -> ListSize | None:
        plan, unread = _plan(response)
        if plan is None and unread is None:
            return None
        return ListSize(here=len(_embedded(response)), unread=unread)

    def pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        plan, _ = _plan(response)
        if plan is None:
            return iter(())
        first = plan["current"] + 1 if _embedded(response) else plan["current"]
        return iter([self._request(plan, first)])

    def api_links(self, response: TextResponse) -> list[Link]:
        return list(item_links(find_lists(json_body(response)), response.urljoin))

    def api_size(self, response: TextResponse) -> ListSize | None:
        data = json_body(response)
        if response.status != 200 or data is None:
            return None
        return ListSize(here=len(find_lists(data)), records=find_number(data, _TOTAL_KEYS))

    def api_pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        plan = response.meta[LIST_PLAN]
        data = json_body(response)
        if plan.get("planned") or response.status != 200 or data is None:
            return iter(())
        total = find_number(data, _TOTAL_KEYS)
        size = next((int(plan["params"][k]) for k in _SIZE_KEYS if k in plan["params"]), None)
        if not total or not size:
            return iter(())
        plan = dict(plan, planned=True)
        last = math.ceil(total / size)
        return (self._request(plan, page) for page in range(plan["page"] + 1, last + 1))

    def _request(self, plan: dict[str, Any], page: int) -> scrapy.Request:
        body = dict(plan["params"], **{plan["page_key"]: page})
        return scrapy.Request(plan["api"], method="POST", body=json.dumps(body, ensure_ascii=False),
                              headers={"Content-Type": "application/json;charset=UTF-8"},
                              meta={LIST_API: self.name, LIST_PLAN: dict(plan, page=page)})


def _embedded(response: TextResponse) -> list[Any]:
    return json_array_after(scripts(response), r"articleList\s*:\s*") or []


def _plan(response: TextResponse) -> tuple[dict[str, Any] | None, str | None]:
    """(the API and the params to POST, or why the page's API cannot be asked)."""
    code = scripts(response)
    api = _API_URL.search(code)
    params = js_object(code, _PARAMS)
    if not api or params is None:
        return None, None
    computed = js_unresolved(code, _PARAMS)
    page_key = next((k for k in _PAGE_KEYS if k in params or k in computed), "current")
    computed.pop(page_key, None)
    url = response.urljoin(api.group(1))
    if computed:
        return None, (f"list API {url} needs values the page computes "
                      f"({', '.join(sorted(computed))})")
    given = str(params.get(page_key))
    current = int(given) if given.isdigit() else 1
    return {"api": url, "params": params, "page_key": page_key, "current": current}, None


# ------------------------------------------------------------------ gkmlpt
_SID = re.compile(r"\bSID\s*[:=]\s*['\"]?(\d+)")
_CATALOGUE = re.compile(r"\b(?:CATALOG_ID|catalogId|catalog_id|CAT_ID|catId|cat_id)\s*[:=]\s*"
                        r"['\"]?(\d+)")


class Gkmlpt(Family):
    name = "gkmlpt"

    def detect(self, response: TextResponse) -> bool:
        return b"gkmlpt" in response.body

    def size(self, response: TextResponse) -> ListSize | None:
        if "/gkmlpt/" not in urlsplit(response.url).path:
            return None
        ids = _ids(response)
        return None if ids else ListSize(here=0, unread="no catalogue and site id in the page")

    def pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        path = urlsplit(response.url).path
        ids = _ids(response) if "/gkmlpt/" in path else None
        if ids is None:
            return iter(())
        base = path[:path.index("/gkmlpt/")] + "/gkmlpt/api/all/"
        plan = {"api": response.urljoin(base + ids[0]), "sid": ids[1]}
        return iter([self._request(plan, 1)])

    def api_links(self, response: TextResponse) -> list[Link]:
        data = json_body(response)
        articles = data.get("articles") if isinstance(data, dict) else None
        return list(item_links(articles or [], response.urljoin))

    def api_size(self, response: TextResponse) -> ListSize | None:
        data = json_body(response)
        if response.status != 200 or not isinstance(data, dict):
            return None
        return ListSize(here=len(data.get("articles") or []), records=find_number(data, ["total"]))

    def api_pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        plan, data = response.meta[LIST_PLAN], json_body(response)
        if plan["page"] != 1 or not isinstance(data, dict):
            return iter(())
        size, total = len(data.get("articles") or []), find_number(data, ["total"]) or 0
        last = math.ceil(total / size) if size else 1
        return (self._request(plan, page) for page in range(2, last + 1))

    def _request(self, plan: dict[str, Any], page: int) -> scrapy.Request:
        return scrapy.Request(f"{plan['api']}?page={page}&sid={plan['sid']}",
                              meta={LIST_API: self.name, LIST_PLAN: dict(plan, page=page)})


def _ids(response: TextResponse) -> tuple[str, str] | None:
    """(catalogue id, site id) of a gkmlpt column page."""
    code = scripts(response)
    sid = _SID.search(code)
    fragment = str(response.meta.get(FRAGMENT) or "")
    catalogue = fragment if fragment.isdigit() else None
    if catalogue is None and (declared := _CATALOGUE.search(code)):
        catalogue = declared.group(1)
    return (catalogue, sid.group(1)) if sid and catalogue else None
