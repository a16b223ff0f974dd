"""大汉 Hanweb JCMS: CDATA records in a ``<datastore>``, the rest from ``dataproxy.jsp``.

The column page embeds its first records as CDATA inside ``<script
type="text/xml"><datastore>``; the page's jpage call fetches the rest by POSTing
form fields to ``dataproxy.jsp?startrecord=S&endrecord=E&perpage=P`` (under
``/module/jpage/`` or ``/module/web/jpage/``). The fields are read the way that
call reads them, whichever way the page writes them: the ``ajaxParam`` object
literal (quoted or bare keys), a variable it names (``ajaxParam:
jpageParam402875``), and the ``nextgroup`` link's query; ``perPage``,
``groupSize`` and ``totalRecord`` in any case (``perpage``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import scrapy
from scrapy.http import TextResponse

from ...meta import LIST_API, LIST_PLAN
from ..jsobject import js_object
from ..links import Link, fragment_links
from .base import Family, ListSize, scripts

__all__ = ["Hanweb"]

_CDATA_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_JPAGE = re.compile(r"\.jpage\s*\(|dataproxy\.jsp", re.I)
PROXIES = ("/module/jpage/dataproxy.jsp", "/module/web/jpage/dataproxy.jsp")
_PAGING_KEYS = {"startrecord", "endrecord", "perpage", "page"}


class Hanweb(Family):
    name = "hanweb"

    def detect(self, response: TextResponse) -> bool:
        return b"<datastore" in response.body or b"dataproxy.jsp" in response.body

    def links(self, response: TextResponse) -> list[Link]:
        return _records(response.text, response.urljoin)

    def size(self, response: TextResponse) -> ListSize | None:
        text, code = response.text, scripts(response)
        if not _JPAGE.search(text):
            return None
        form = _form(text, code)[0]
        column = f"hanweb {form['columnid']}" if form.get("columnid") else None
        return ListSize(here=len(_CDATA_RECORD.findall(text)),
                        records=_number(code, "totalRecord") or _total(text), column=column)

    def pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        text, code = response.text, scripts(response)
        if not _JPAGE.search(code):
            return iter(())
        form, proxy, query = _form(text, code)
        if not form.get("columnid") or not form.get("unitid"):
            return iter(())
        per_page = _number(code, "perPage") or _int(query.get("perpage")) or 15
        group = _number(code, "groupSize") or 3
        total = _number(code, "totalRecord") or _total(text)
        embedded = len(_CDATA_RECORD.findall(text))
        plan: dict[str, Any] = {"proxy": proxy, "form": form, "per_page": per_page,
                                "step": per_page * group, "total": total}
        if total is None:  # ask for the next group; its <totalrecord> plans the rest
            return iter([self._request(response, plan, embedded + 1)])
        return (self._request(response, plan, start)
                for start in range(embedded + 1, total + 1, plan["step"]))

    def api_links(self, response: TextResponse) -> list[Link]:
        return _records(response.text, response.urljoin)

    def api_size(self, response: TextResponse) -> ListSize | None:
        if response.status != 200:
            return None
        return ListSize(here=len(_CDATA_RECORD.findall(response.text)),
                        records=_total(response.text))

    def api_pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        plan = response.meta[LIST_PLAN]
        if response.status == 404 and not plan.get("switched"):
            # The other of the two dataproxy locations (sites use one or the other).
            other = next(p for p in PROXIES if p != urlsplit(plan["proxy"]).path)
            plan = dict(plan, proxy=other, switched=True)
            return iter([self._request(response, plan, plan["start"])])
        if plan["total"] is not None or response.status != 200:
            return iter(())
        total = _total(response.text)
        if total is None:
            return iter(())
        plan = dict(plan, total=total)
        return (self._request(response, plan, start)
                for start in range(plan["start"] + plan["step"], total + 1, plan["step"]))

    def _request(self, response: TextResponse, plan: dict[str, Any],
                 start: int) -> scrapy.FormRequest:
        end = start + plan["step"] - 1
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": plan["per_page"]})
        return scrapy.FormRequest(
            response.urljoin(f"{plan['proxy']}?{query}"), formdata=plan["form"],
            meta={LIST_API: self.name, LIST_PLAN: dict(plan, start=start),
                  "handle_httpstatus_list": [404]})


def _records(text: str, join) -> list[Link]:
    return [link for record in _CDATA_RECORD.findall(text)
            for link in fragment_links(record, join)]


def _form(text: str, code: str) -> tuple[dict[str, str], str, dict[str, str]]:
    """(form fields, dataproxy path, the nextgroup link's whole query)."""
    form: dict[str, str] = {}
    proxy, query = None, {}
    nextgroup = _NEXTGROUP.search(text)
    href = re.search(r"href=['\"]([^'\"]+)", nextgroup.group(1)) if nextgroup else None
    if href:
        parts = urlsplit(href.group(1).replace("&amp;", "&"))
        proxy = parts.path if parts.path.endswith("dataproxy.jsp") else None
        query = {k.lower(): v for k, v in parse_qsl(parts.query, True)}
        form.update({k: v for k, v in parse_qsl(parts.query, True)
                     if k.lower() not in _PAGING_KEYS})
    form.update({k: str(v) for k, v in _ajax_param(code).items()
                 if v is not None and not isinstance(v, (list, dict))})
    declared = re.search(r"proxyUrl\s*:\s*['\"]([^'\"]+)", code)
    return form, declared.group(1) if declared else proxy or PROXIES[0], query


def _ajax_param(code: str) -> dict[str, Any]:
    """The jpage call's ``ajaxParam``: an object literal, or a variable set before it."""
    params = js_object(code, r"ajaxParam\s*:\s*")
    if params is not None:
        return params
    named = re.search(r"ajaxParam\s*:\s*([A-Za-z_$][\w$]*)", code)
    if named:
        return js_object(code, rf"\b{re.escape(named.group(1))}\s*=\s*") or {}
    return {}


def _number(code: str, name: str) -> int | None:
    match = re.search(rf"\b{name}\s*:\s*['\"]?(\d+)", code, re.I)
    return int(match.group(1)) if match else None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _total(text: str) -> int | None:
    match = _TOTAL.search(text)
    return int(match.group(1)) if match else None
