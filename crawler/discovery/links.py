"""Links on a page, as (url, text) pairs: anchors, image-map areas and <select> options
(portals list their departments' sites in drop-downs)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from parsel import Selector

from .urls import canonical_url

__all__ = ["Link", "anchor_links", "fragment_links", "unique_links"]

_SKIP = re.compile(r"^\s*(?:javascript:|mailto:|tel:|#|data:)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def _text(node: Selector) -> str:
    text = " ".join(node.xpath(".//text()").getall())
    title = node.attrib.get("title", "")
    if title and title not in text:
        text = f"{text} {title}"
    return _SPACE.sub(" ", text).strip()


def anchor_links(selector: Selector, urljoin: Callable[[str], str]) -> Iterator[Link]:
    """Every followable link: ``<a href>``, ``<area href>``, ``<option value=URL>``."""
    for node in selector.xpath("//a[@href] | //area[@href]"):
        href = node.attrib["href"]
        if not _SKIP.match(href):
            yield Link(urljoin(href.strip()), _text(node))
    for node in selector.xpath("//option[@value]"):
        value = node.attrib["value"].strip()
        if value.startswith(("http://", "https://", "/")):
            yield Link(urljoin(value), _text(node))


def fragment_links(html: str, urljoin: Callable[[str], str]) -> list[Link]:
    """Links in an HTML fragment (a CDATA record, a JSON field holding markup)."""
    return list(anchor_links(Selector(text=f"<div>{html}</div>"), urljoin))


def unique_links(links: Iterable[Link], exclude: str = "") -> Iterator[Link]:
    """Each target once, by its canonical URL (the first link's text kept), never
    the page itself (``exclude``)."""
    seen = {canonical_url(exclude)} if exclude else set()
    for link in links:
        url = canonical_url(link.url)
        if url not in seen:
            seen.add(url)
            yield Link(url, link.text)
