"""What a reader would click on a list or column page, told from an element's tag, text and
attributes: the decisions of the browser's behaviours (``crawler.browser.behaviours``),
and the rule that sends a page with such controls to the browser.

- ``pager``: 下一页 / 下页 / 尾页 / a page number / next / ›, where its href is a script
  (``javascript:__doPostBack(...)``, ``goPage(2)``) or it has none: a pager only a
  browser turns;
- ``more``: 加载更多 / 查看更多 / load more, without an address of its own;
- ``row``: a row whose link is a script (``javascript:void(0)`` + ``onclick``), its text a
  title (a report's, or any long enough to be one);
- ``tab``: an element marked as a tab (``role="tab"``, a ``tab`` class) with a short label;
- ``choice``: a ``<select>`` whose change does something (``onchange``), or whose options
  are years.

Plain Python on plain values: a test gives it elements and reads the kind.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

from .text import is_report_title

__all__ = ["Control", "control_kind", "is_next", "page_controls"]

_PAGER = re.compile(r"^\s*(?:下一页|下页|后页|尾页|末页|上一页|首页|next|last|[>›»]{1,2}"
                    r"|\[?\d{1,3}\]?)\s*$", re.I)
_NEXT = re.compile(r"下一页|下页|后页|next|^[>›»]{1,2}$", re.I)
_MORE = re.compile(r"^\s*(?:点击)?(?:加载|查看|显示)更多|^\s*load\s*more|^\s*更多\s*$", re.I)
_SCRIPT_HREF = re.compile(r"^\s*(?:javascript:|#\s*$|$)", re.I)
_TAB_CLASS = re.compile(r"(?:^|[\s_-])tabs?(?:$|[\s_-]|item|nav|title|btn|hd)", re.I)
_YEAR = re.compile(r"^\s*(?:19|20)\d\d\s*年?\s*$")
_ROW_TEXT = 8  # characters a row's title has at least (or it reads as a report's title)
_TAB_TEXT = 16


@dataclass(frozen=True)
class Control:
    """One element a reader could act on, as a page shows it."""

    tag: str
    text: str
    href: str | None = None  # None: no href attribute
    onclick: bool = False  # an onclick (or a click listener the page says it has)
    classes: str = ""
    role: str = ""
    options: tuple[str, ...] = ()  # a <select>'s option labels
    onchange: bool = False


def control_kind(control: Control) -> str | None:
    """``pager`` | ``more`` | ``row`` | ``tab`` | ``choice`` | None (the module's rules)."""
    tag, text = control.tag.lower(), " ".join(control.text.split())
    if tag == "select":
        years = sum(1 for option in control.options if _YEAR.match(option))
        return "choice" if len(control.options) > 1 and (control.onchange or years > 1) \
            else None
    tab = control.role == "tab" or bool(_TAB_CLASS.search(control.classes))
    scripted = control.onclick or tag == "button" or tab or \
        (control.href is not None and bool(_SCRIPT_HREF.match(control.href)))
    if not scripted or not text:
        return None
    if _MORE.match(text):
        return "more"
    if _PAGER.match(text):
        return "pager"
    if tab and len(text) <= _TAB_TEXT:
        return "tab"
    clickable = (tag in ("a", "li", "tr", "td", "span", "div", "p") and control.onclick) or \
        (tag == "a" and control.href is not None)
    if clickable and (len(text) >= _ROW_TEXT or is_report_title(text)):
        return "row"
    return None


def is_next(control: Control) -> bool:
    """A pager control that turns to the next page (not a page number or the last)."""
    return bool(_NEXT.search(" ".join(control.text.split())))


def page_controls(page: str | Any) -> Counter[str]:
    """The controls of each kind in a page as served (its HTML, or its lxml tree): a
    script pager, 加载更多, script rows, tabs, choices (for the rule that sends it to the
    browser)."""
    try:
        root = lxml_html.fromstring(page) if isinstance(page, str) else page
    except (ValueError, lxml_html.etree.ParserError):
        return Counter()
    kinds: Counter[str] = Counter()
    for node in root.iter("a", "button", "li", "span", "td", "div", "select", "input"):
        attrib = node.attrib
        if node.tag == "a" and "onclick" not in attrib and \
                not _SCRIPT_HREF.match(attrib.get("href") or "#"):
            continue  # a plain link: nothing to act on (most of a page)
        if node.tag == "select":
            options = tuple(o.text_content().strip() for o in node.iter("option"))
            control = Control("select", "", options=options, onchange="onchange" in attrib)
        elif node.tag in ("a", "button") or "onclick" in attrib or \
                attrib.get("role") == "tab" or _TAB_CLASS.search(attrib.get("class", "")):
            text = node.text_content() if node.tag != "input" else attrib.get("value", "")
            control = Control(node.tag, text, attrib.get("href"), "onclick" in attrib,
                              attrib.get("class", ""), attrib.get("role", ""))
        else:
            continue
        kind = control_kind(control)
        if kind == "tab" and _YEAR.match(control.text):
            kind = "choice"  # a year's tab: one of a list's choices
        if kind:
            kinds[kind] += 1
    return kinds
