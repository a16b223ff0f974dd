"""CMS families: how each one lists its articles and pages through a column.

Each family reads a list page (``links``: records only it knows where to find;
``pages``: requests for the rest of the column) and, where it has one, its own
list API's answers (``api_links``, ``api_pages``). ``detect`` says whether a page
was made by the family. The spider applies every family to every list page:
one whose markers are absent contributes nothing, and unknown layouts still get
their plain links and the generic next-page rule. Requests come back without
callbacks: the spider gives them their agency, role and callback.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import scrapy
from scrapy.http import TextResponse

from ..meta import LIST_API, LIST_PLAN
from .jsobject import js_object, json_array_after
from .links import Link, anchor_links, fragment_links

__all__ = ["FAMILIES", "Family", "detect_family", "family_named"]



class Family:
    name = "plain"

    def detect(self, response: TextResponse) -> bool:
        return False

    def links(self, response: TextResponse) -> list[Link]:
        return []

    def pages(self, response: TextResponse) -> list[scrapy.Request]:
        return []

    def api_links(self, response: TextResponse) -> list[Link]:
        return []

    def api_pages(self, response: TextResponse) -> list[scrapy.Request]:
        return []


def _scripts(response: TextResponse) -> str:
    return "\n".join(response.xpath("//script/text()").getall())


# ------------------------------------------------------------------ Hanweb JCMS
_CDATA_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_JS_NUMBER = r"{}\s*:\s*['\"]?(\d+)"
HANWEB_PROXIES = ("/module/jpage/dataproxy.jsp", "/module/web/jpage/dataproxy.jsp")
HANWEB_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid",
                 "webname", "permissiontype")


class Hanweb(Family):
    """大汉 JCMS: the column page embeds its first records as CDATA inside
    ``<script type="text/xml"><datastore>``; the rest come from POSTs to
    ``dataproxy.jsp?startrecord=S&endrecord=E&perpage=P`` (``/module/jpage/`` or
    ``/module/web/jpage/``) with the form fields named in the page (the
    ``nextgroup`` link's query and the jpage call's ``ajaxParam``)."""

    name = "hanweb"

    def detect(self, response: TextResponse) -> bool:
        return b"<datastore" in response.body or b"dataproxy.jsp" in response.body

    def links(self, response: TextResponse) -> list[Link]:
        return self._records(response.text, response.urljoin)

    def pages(self, response: TextResponse) -> list[scrapy.Request]:
        text = response.text
        if "<datastore" not in text:
            return []
        scripts = _scripts(response)
        form, proxy = self._form(text, scripts)
        if not form.get("columnid") or not form.get("unitid"):
            return []
        per_page = self._number(scripts, "perPage") or 15
        group = self._number(scripts, "groupSize") or 3
        total = self._number(scripts, "totalRecord") or self._total(text)
        embedded = len(_CDATA_RECORD.findall(text))
        plan: dict[str, Any] = {"proxy": proxy, "form": form, "per_page": per_page,
                                "step": per_page * group, "total": total}
        if total is None:  # ask for the next group; its <totalrecord> plans the rest
            return [self._request(response, plan, embedded + 1)]
        return [self._request(response, plan, start)
                for start in range(embedded + 1, total + 1, plan["step"])]

    def api_links(self, response: TextResponse) -> list[Link]:
        return self._records(response.text, response.urljoin)

    def api_pages(self, response: TextResponse) -> list[scrapy.Request]:
        plan = response.meta[LIST_PLAN]
        if response.status == 404 and not plan.get("switched"):
            # The other of the two dataproxy locations (sites use one or the other).
            other = next(p for p in HANWEB_PROXIES if p != urlsplit(plan["proxy"]).path)
            plan = dict(plan, proxy=other, switched=True)
            return [self._request(response, plan, plan["start"])]
        if plan["total"] is not None or response.status != 200:
            return []
        total = self._total(response.text)
        if total is None:
            return []
        plan = dict(plan, total=total)
        return [self._request(response, plan, start)
                for start in range(plan["start"] + plan["step"], total + 1, plan["step"])]

    @staticmethod
    def _records(text: str, join: Callable[[str], str]) -> list[Link]:
        return [link for record in _CDATA_RECORD.findall(text)
                for link in fragment_links(record, join)]

    @staticmethod
    def _form(text: str, scripts: str) -> tuple[dict[str, str], str]:
        form: dict[str, str] = {}
        proxy = None
        nextgroup = _NEXTGROUP.search(text)
        if nextgroup:
            href = re.search(r"href=['\"]([^'\"]+)", nextgroup.group(1))
            if href:
                parts = urlsplit(href.group(1).replace("&amp;", "&"))
                proxy = parts.path if parts.path.endswith("dataproxy.jsp") else None
                form.update({k: v for k, v in parse_qsl(parts.query, True) if k in HANWEB_FIELDS})
        params = js_object(scripts, r"ajaxParam\s*:\s*") or {}
        form.update({k: str(v) for k, v in params.items() if v is not None})
        declared = re.search(r"proxyUrl\s*:\s*['\"]([^'\"]+)", scripts)
        proxy = declared.group(1) if declared else proxy or HANWEB_PROXIES[0]
        return form, proxy

    @staticmethod
    def _number(scripts: str, name: str) -> int | None:
        match = re.search(_JS_NUMBER.format(name), scripts)
        return int(match.group(1)) if match else None

    @staticmethod
    def _total(text: str) -> int | None:
        match = _TOTAL.search(text)
        return int(match.group(1)) if match else None

    def _request(self, response: TextResponse, plan: dict[str, Any],
                 start: int) -> scrapy.FormRequest:
        end = start + plan["step"] - 1
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": plan["per_page"]})
        return scrapy.FormRequest(
            response.urljoin(f"{plan['proxy']}?{query}"), formdata=plan["form"],
            meta={LIST_API: self.name, LIST_PLAN: dict(plan, start=start),
                  "handle_httpstatus_list": [404]})


# -------------------------------------------------------------------- TRS WCM
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*([\w$.]+)\s*,\s*([\w$.]+)\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")


class Trs(Family):
    """拓尔思 TRS WCM: ``index.html``, ``index_1.html``... with the page count only in
    the script call ``createPageHTML(<pages>, <current>, "index", "html")`` (its
    arguments are numbers or variables set just before)."""

    name = "trs"

    def detect(self, response: TextResponse) -> bool:
        body = response.body
        return (b"createPageHTML" in body or b"TRS_Editor" in body
                or bool(re.search(rb"/t\d{8}_\d+\.s?html", body)))

    def pages(self, response: TextResponse) -> list[scrapy.Request]:
        scripts = _scripts(response)
        match = _CREATE_PAGE.search(scripts)
        if not match:
            return []
        count, current = (self._resolve(scripts, arg) for arg in match.group(1, 2))
        prefix, ext = match.group(3, 4)
        if count is None or current != 0:
            return []  # only the first page plans the column
        return [scrapy.Request(response.urljoin(f"{prefix}_{i}.{ext}"))
                for i in range(1, count)]

    @staticmethod
    def _resolve(scripts: str, arg: str) -> int | None:
        if arg.isdigit():
            return int(arg)
        match = re.search(rf"\b{re.escape(arg.split('.')[-1])}\s*=\s*['\"]?(\d+)", scripts)
        return int(match.group(1)) if match else None


# ----------------------------------------------------------------- 开普云 Ucap
class Ucap(Family):
    """开普云 Ucap: ``.shtml`` articles named by a 32-hex id, ``<ucapcontent>`` bodies;
    its lists page with ordinary next/numbered links (the generic rule)."""

    name = "ucap"

    def detect(self, response: TextResponse) -> bool:
        body = response.body
        return (b"<ucapcontent" in body or b"<ucaptitle" in body
                or bool(re.search(rb"/[0-9a-f]{32}\.shtml", body)))


# ------------------------------------------------------------ site-group JSON
_API_URL = re.compile(r"""(?:url|api|listUrl|apiUrl|dataUrl)\s*[:=]\s*"""
                      r"""['"]([^'"\s]*(?:list|query|search|article)[^'"\s]*)['"]""",
                      re.I)
_PAGE_KEYS = ("current", "pageNo", "pageNum", "page", "pageIndex", "currentPage")
_SIZE_KEYS = ("perPage", "pageSize", "size", "rows", "limit")
_TOTAL_KEYS = ("total", "totalCount", "totalRecord", "totalRecords", "recordCount")
_TITLE_KEYS = ("title", "showTitle", "name", "docTitle")
_URL_KEYS = ("url", "urls", "link", "href", "docUrl", "articleUrl", "path")


class SiteGroupJson(Family):
    """Provincial site-group platforms (e.g. Jiangxi's 集约化平台): the column page embeds
    its first page as JSON (``articleList: [...]``) with a ``params`` object
    (``channelCode``, ``perPage``, ``current``...) and the script POSTs those params
    as JSON to a list API for the next pages; answers are JSON lists."""

    name = "sitegroup"

    def detect(self, response: TextResponse) -> bool:
        return b"articleList" in response.body or b"channelCode" in response.body

    def links(self, response: TextResponse) -> list[Link]:
        items = json_array_after(_scripts(response), r"articleList\s*:\s*") or []
        return list(self._item_links(items, response.urljoin))

    def pages(self, response: TextResponse) -> list[scrapy.Request]:
        scripts = _scripts(response)
        params = js_object(scripts, r"(?:var|let|const)\s+params\s*=\s*")
        api = _API_URL.search(scripts)
        if not params or not api:
            return []
        page_key = next((k for k in _PAGE_KEYS if k in params), "current")
        current = int(params.get(page_key) or 1)
        plan = {"api": response.urljoin(api.group(1)), "params": params, "page_key": page_key}
        return [self._request(plan, current + 1)]

    def api_links(self, response: TextResponse) -> list[Link]:
        try:
            data = json.loads(response.text)
        except ValueError:
            return []
        return list(self._item_links(_find_lists(data), response.urljoin))

    def api_pages(self, response: TextResponse) -> list[scrapy.Request]:
        plan = response.meta[LIST_PLAN]
        if plan.get("planned") or response.status != 200:
            return []
        try:
            data = json.loads(response.text)
        except ValueError:
            return []
        total = _find_number(data, _TOTAL_KEYS)
        size = next((int(plan["params"][k]) for k in _SIZE_KEYS if k in plan["params"]), None)
        if not total or not size:
            return []
        last = math.ceil(total / size)
        plan = dict(plan, planned=True)
        return [self._request(plan, page) for page in range(plan["page"] + 1, last + 1)]

    def _request(self, plan: dict[str, Any], page: int) -> scrapy.Request:
        body = dict(plan["params"], **{plan["page_key"]: page})
        return scrapy.Request(plan["api"], method="POST", body=json.dumps(body, ensure_ascii=False),
                              headers={"Content-Type": "application/json;charset=UTF-8"},
                              meta={LIST_API: self.name, LIST_PLAN: dict(plan, page=page)})

    @staticmethod
    def _item_links(items: list, join: Callable[[str], str]) -> Iterator[Link]:
        for item in items:
            if not isinstance(item, dict):
                continue
            title = next((str(item[k]) for k in _TITLE_KEYS if item.get(k)), "")
            title = re.sub(r"<[^>]+>", "", title).strip()
            url = next((item[k] for k in _URL_KEYS if item.get(k)), None)
            if isinstance(url, str) and url.startswith("{"):
                try:  # "urls": "{\"pc\": \"/path\"}" - JSON inside JSON
                    url = json.loads(url)
                except ValueError:
                    url = None
            if isinstance(url, dict):
                url = url.get("pc") or next(iter(url.values()), None)
            if isinstance(url, str) and url:
                yield Link(join(url), title)
            for file in item.get("articleFiles") or []:
                if isinstance(file, dict) and file.get("url"):
                    yield Link(join(file["url"]), str(file.get("fileName") or title))


def _find_lists(data: Any) -> list[dict]:
    """Every dict in every list (at any depth) that has a title-like key."""
    found: list[dict] = []
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and any(k in item for k in _TITLE_KEYS):
                found.append(item)
            else:
                found += _find_lists(item)
    elif isinstance(data, dict):
        for value in data.values():
            found += _find_lists(value)
    return found


def _find_number(data: Any, keys: tuple[str, ...]) -> int | None:
    if isinstance(data, dict):
        for key in keys:
            if isinstance(data.get(key), int):
                return data[key]
        for value in data.values():
            found = _find_number(value, keys)
            if found is not None:
                return found
    return None


# -------------------------------------------------- next / numbered page links
_NEXT_TEXT = re.compile(r"^(?:下一页|下页|后一页|后页|next|›|»|>|>>)$", re.I)
_NUMBER = re.compile(r"^\[?\d{1,3}\]?$")
_DIGITS = re.compile(r"[_-]?\d+")


class PageLinks(Family):
    """Any family: follow "下一页" and numbered page links of a list (Ucap, plain
    sites, and whatever else pages with links)."""

    name = "pagelinks"

    def pages(self, response: TextResponse) -> list[scrapy.Request]:
        here = urlsplit(response.url)
        requests = []
        for link in anchor_links(response.selector, response.urljoin):
            target = urlsplit(link.url)
            if target.netloc != here.netloc or link.url == response.url:
                continue
            text = link.text.strip()
            if _NEXT_TEXT.match(text) or (_NUMBER.match(text) and self._same_list(here, target)):
                requests.append(scrapy.Request(link.url))
        return requests

    @staticmethod
    def _same_list(here, target) -> bool:
        """A numbered link of this list: the same URL but for its numbers."""
        if here.path == target.path:
            return _DIGITS.sub("", here.query) == _DIGITS.sub("", target.query)
        return _DIGITS.sub("", _index(here.path)) == _DIGITS.sub("", _index(target.path))


def _index(path: str) -> str:
    return path + "index.html" if path.endswith("/") else path


FAMILIES: tuple[Family, ...] = (Hanweb(), Trs(), SiteGroupJson(), Ucap(), PageLinks())
_BY_NAME = {family.name: family for family in FAMILIES}


def family_named(name: str) -> Family:
    return _BY_NAME[name]


def detect_family(response: TextResponse) -> str | None:
    """The CMS family that made ``response``, or None when nothing tells."""
    for family in FAMILIES:
        if family.detect(response):
            return family.name
    return None
