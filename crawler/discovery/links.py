"""Links on a page, as (url, text) pairs: anchors, image-map areas, ``<select>`` options
(portals list their departments' sites in drop-downs), and the documents a page
shows in a viewer, an ``<iframe>``, an ``<embed>`` or an ``<object>``.

A link reading only 更多 / more / >> takes the title of the box it closes
(``政府信息公开年报 更多``): 政务公开 pages lead to their columns that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from parsel import Selector

from .urls import app_address, canonical_url, document_url, hash_route, url_key

__all__ = ["Link", "anchor_links", "fragment_links", "hash_route", "unique_links"]

_SKIP = re.compile(r"^\s*(?:javascript:|mailto:|tel:|#|data:)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_MORE = re.compile(r"^(?=.*(?:更多|more|>|»|＞))[\[【(（]?\s*(?:(?:查看)?更多|more)?\s*"
                   r"(?:>>|»|>|＞＞|＞|\+)?\s*[\]】)）]?$", re.I)
_BOX_TITLE = ("./*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::span "
              "or self::b or self::strong or self::em or self::p or self::div or self::a]"
              "[not(ancestor-or-self::li)]")


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    fragment: str = ""  # the link's #fragment, never sent (gkmlpt names catalogues so)

    @property
    def address(self) -> str:
        """Where a reader goes: the URL, with an app's route (``#/detail?id=7``)."""
        return app_address(self.url, self.fragment)


def _text(node: Selector) -> str:
    text = " ".join(node.xpath(".//text()").getall())
    title = node.attrib.get("title", "")
    if title and title not in text:
        text = f"{text} {title}"
    return _SPACE.sub(" ", text).strip()


def _box_title(node: Selector) -> str:
    """The heading of the box a 更多 link sits in: the first short text of its
    nearest enclosing elements, lists left out."""
    for box in reversed(node.xpath("ancestor::*[position() <= 3]")):
        for child in box.xpath(_BOX_TITLE):
            text = _SPACE.sub(" ", " ".join(child.xpath(".//text()").getall())).strip()
            if 2 <= len(text) <= 16 and not _MORE.match(text):
                return text
    return ""


def anchor_links(selector: Selector, urljoin: Callable[[str], str]) -> Iterator[Link]:
    """Every followable link: ``<a href>``, ``<area href>``, ``<option value=URL>``,
    embedded documents; viewer links resolve to the document they show."""
    for node in selector.xpath("//a[@href] | //area[@href]"):
        href = node.attrib["href"].strip()
        route = hash_route(href)
        if not _SKIP.match(href) or route:
            text = _text(node)
            if _MORE.match(text) and (title := _box_title(node)):
                text = f"{title} {text}".strip()
            if route:  # a single-page app's route: the page, shown at that route
                yield Link(urljoin(href.partition("#")[0]).partition("#")[0], text, route)
            else:
                yield Link(document_url(urljoin(href)), text)
    for node in selector.xpath("//iframe[@src] | //frame[@src] | //embed[@src] | //object[@data]"):
        source = (node.attrib.get("src") or node.attrib.get("data") or "").strip()
        if source and not _SKIP.match(source):
            yield Link(document_url(urljoin(source)), node.attrib.get("title", "").strip())
    for node in selector.xpath("//option[@value]"):
        value = node.attrib["value"].strip()
        if value.startswith(("http://", "https://", "/")):
            yield Link(urljoin(value), _text(node))


def fragment_links(html: str, urljoin: Callable[[str], str]) -> list[Link]:
    """Links in an HTML fragment (a CDATA record, a JSON field holding markup)."""
    return list(anchor_links(Selector(text=f"<div>{html}</div>"), urljoin))


def unique_links(links: Iterable[Link], exclude: str = "") -> Iterator[Link]:
    """Each page once (by ``url_key``: session ids, cache-busters and ``index.html``
    do not make a new page), at its canonical URL, the first link's text kept;
    never the page itself (``exclude``). An app's routes (``#/…``) are pages of their own.
    A viewer's link is the document it shows, wherever the link was found (a page's
    anchors, or what a browser showed: a row clicked, a frame's list)."""
    seen = {url_key(exclude)} if exclude else set()
    for link in links:
        fragment = link.fragment or urlsplit(link.url).fragment
        url = link.url if hash_route(f"#{fragment}") else document_url(link.url)
        key = url_key(f"{url.partition('#')[0]}#{fragment}")
        if key not in seen:
            seen.add(key)
            yield Link(canonical_url(url), link.text, fragment)
