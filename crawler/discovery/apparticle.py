"""A report that exists only in an app: opened on a hash route (``#/detail?id=7``), its
text and tables arrive as JSON from an article API and are written into the page by
script. No URL serves the report as a page; the JSON answer is what was published.

``json_article`` finds the article in such an answer whatever the API calls its
fields (``title``/``content``, ``biaoti``/``zhengwen``, ``data.article.body``...): the
object that holds both a report's title and a long text (HTML or plain), at any depth.
``article_page`` writes it as the HTML page the extractor reads, with the title and
date as the page's own metadata, so the report is read like any report page.

Plain Python on bytes: a test gives it answers and reads the article.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .text import is_report_title

__all__ = ["AppArticle", "article_page", "json_article"]

_LONG = 200  # characters a report's content has at least
_TAG = re.compile(r"<(?:p|table|div|span|br|h\d|section|tr|td)\b", re.I)
_DATE = re.compile(r"^\s*((?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2})")
_TITLE_KEYS = re.compile(r"title|biaoti|subject|name|bt|wzbt", re.I)
_DEPTH = 8  # how deep an answer is walked


@dataclass(frozen=True)
class AppArticle:
    title: str
    content: str  # HTML, or plain text
    date: str | None = None


def json_article(body: bytes) -> AppArticle | None:
    """The report article in one JSON answer, or None (a list, a menu, not JSON)."""
    data = _parsed(body)
    if data is None:
        return None
    for obj in _objects(data, 0):
        article = _article(obj)
        if article is not None:
            return article
    return None


def article_page(article: AppArticle) -> str:
    """The article as an HTML page: its title, date and content, as the app shows it."""
    title = html.escape(article.title)
    content = article.content if _TAG.search(article.content) else "".join(
        f"<p>{html.escape(line)}</p>" for line in article.content.splitlines() if line.strip())
    date = html.escape(article.date or "")
    meta = f'<meta name="PubDate" content="{date}">' if date else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="ArticleTitle" content="{title}">{meta}</head>'
            f"<body><h1>{title}</h1>{content}</body></html>")


def _parsed(body: bytes) -> Any:
    text = body.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text[:1] not in (b"{", b"["):
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return json.loads(text.decode(encoding))
        except (UnicodeDecodeError, ValueError):
            continue
    return None


def _objects(value: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Every object in ``value``, outermost first."""
    if depth > _DEPTH:
        return
    if isinstance(value, dict):
        yield value
        children = list(value.values())
    elif isinstance(value, list):
        children = value
    else:
        return
    for child in children:
        yield from _objects(child, depth + 1)


def _article(obj: dict[str, Any]) -> AppArticle | None:
    """The object's article: a report's title among its strings (a title-named field
    first) and its longest string as content, when long enough."""
    strings = {key: value.strip() for key, value in _fields(obj) if isinstance(value, str)}
    titles = sorted((key for key, value in strings.items()
                     if len(value) < _LONG and is_report_title(_plain(value))),
                    key=lambda key: not _TITLE_KEYS.search(key))
    if not titles:
        return None
    content_key = max(strings, key=lambda key: len(strings[key]))
    if len(strings[content_key]) < _LONG:
        return None
    date = next((m.group(1) for value in strings.values() if (m := _DATE.match(value))), None)
    return AppArticle(_plain(strings[titles[0]]), strings[content_key], date)


def _fields(obj: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The object's own fields, and those of objects right inside it (``{"info": {...},
    "body": {"content": ...}}``: one article split in two)."""
    for key, value in obj.items():
        yield key, value
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                if not isinstance(inner_value, (dict, list)):
                    yield f"{key}.{inner}", inner_value


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.unescape(text))).strip()
