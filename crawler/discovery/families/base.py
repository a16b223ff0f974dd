"""What every CMS family offers the spider, and the small readers they share."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import TextResponse

from ..links import Link
from ..sizes import ListSize

__all__ = ["Family", "ListSize", "find_lists", "find_number", "json_body", "scripts"]


class Family:
    """A CMS family's way of listing a column. Every method may be asked of any page:
    a family whose markers are absent answers with nothing."""

    name = "plain"

    def detect(self, response: TextResponse) -> bool:
        return False

    def links(self, response: TextResponse) -> list[Link]:
        """Records of a list page that only this family knows where to find."""
        return []

    def pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """Requests for the rest of the column (no callbacks: the spider sets them),
        made one at a time as they are taken: a list that states a huge size (a
        ``totalRecord`` of a million) costs only the requests its agency's budget takes."""
        return iter(())

    def size(self, response: TextResponse) -> ListSize | None:
        return None

    def api_links(self, response: TextResponse) -> list[Link]:
        return []

    def api_pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        return iter(())

    def api_size(self, response: TextResponse) -> ListSize | None:
        return None


def scripts(response: TextResponse) -> str:
    """The text of every ``<script>`` of a page, in order."""
    return "\n".join(response.xpath("//script/text()").getall())


def json_body(response: TextResponse) -> Any:
    try:
        return json.loads(response.text)
    except ValueError:
        return None


TITLE_KEYS = ("title", "showTitle", "name", "docTitle", "doctitle")
URL_KEYS = ("url", "urls", "post_url", "link", "href", "docUrl", "articleUrl", "chnldocurl",
            "path")


def find_lists(data: Any) -> list[dict[str, Any]]:
    """Every record in a JSON answer, however deep: each dict with a title and a URL
    (``data.list[]``, ``articles[]``, ``data.middle.listAndBox[].data``...)."""
    found: list[dict[str, Any]] = []
    if isinstance(data, dict):
        if any(data.get(k) for k in TITLE_KEYS) and _item_url(data):
            return [data]
        for value in data.values():
            found += find_lists(value)
    elif isinstance(data, list):
        for item in data:
            found += find_lists(item)
    return found


def find_number(data: Any, keys: Iterable[str]) -> int | None:
    """The first integer under one of ``keys``, searching nested dicts breadth first."""
    keys = tuple(keys)
    if isinstance(data, dict):
        for key in keys:
            value = data.get(key)
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                return int(value)
        for value in data.values():
            found = find_number(value, keys)
            if found is not None:
                return found
    return None


def item_links(items: Iterable[Any], join: Callable[[str], str]) -> Iterator[Link]:
    """Links of JSON list items: their title and URL (a URL may itself be JSON, as in
    ``"urls": "{\\"pc\\": \\"/path\\"}"``), and the files attached to them."""
    for item in items:
        if not isinstance(item, dict):
            continue
        title = next((str(item[k]) for k in TITLE_KEYS if item.get(k)), "")
        title = re.sub(r"<[^>]+>", "", title).strip()
        url = _item_url(item)
        if url:
            yield Link(join(url), title)
        for file in item.get("articleFiles") or []:
            if isinstance(file, dict) and file.get("url"):
                yield Link(join(file["url"]), str(file.get("fileName") or title))


def _item_url(item: dict[str, Any]) -> str | None:
    url = next((item[k] for k in URL_KEYS if item.get(k)), None)
    if isinstance(url, str) and url.startswith("{"):
        try:
            url = json.loads(url)
        except ValueError:
            return None
    if isinstance(url, dict):
        url = url.get("pc") or next(iter(url.values()), None)
    return url if isinstance(url, str) and url else None
