"""What a reader would click on a list or column page, told from an element's tag, text and
attributes: the decisions of the browser's behaviours (``crawler.browser.behaviours``),
and the rule that sends a page with such controls to the browser.

- ``pager``: 下一页 / 下页 / 尾页 / a page number / next / ›, where its href is a script
  (``javascript:__doPostBack(...)``, ``goPage(2)``) or it has none: a pager only a
  browser turns;
- ``more``: 加载更多 / 查看更多 / load more, without an address of its own;
- ``row``: a row whose link is a script (``javascript:void(0)`` + ``onclick``), its text a
  title (a report's, or any long enough to be one);
- ``tab``: an element marked as a tab (``role="tab"``, a ``tab`` class) with a short label,
  or any clickable year (an accordion's header, a tree's node: 2023年);
- ``choice``: a ``<select>`` whose change does something (``onchange``), or whose options
  are years.

Traps stay traps (``refusal``): a control in a search, login or comment form, or one
that submits, searches or logs in by its text, and a calendar's, is never acted on; a
behaviour whose steps keep revealing links of which none is towards a report
(``barren``) is stopped. Both are counted, as a polite crawler's declined links are.

Plain Python on plain values: a test gives it elements and reads the kind.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

from .text import is_report_candidate, is_report_title, page_select

__all__ = ["FORM_LINKS", "Control", "barren", "context_of", "control_kind", "is_next",
           "page_controls", "refusal"]

_PAGER = re.compile(r"^\s*(?:下一页|下页|后页|尾页|末页|上一页|首页|next|last|[>›»]{1,2}"
                    r"|\[?\d{1,3}\]?)\s*$", re.I)
_NEXT = re.compile(r"下一页|下页|后页|next|^[>›»]{1,2}$", re.I)
_MORE = re.compile(r"^\s*(?:点击)?(?:加载|查看|显示)更多|^\s*load\s*more|^\s*更多\s*$", re.I)
_SCRIPT_HREF = re.compile(r"^\s*(?:javascript:|#\s*$|$)", re.I)
_TAB_CLASS = re.compile(r"(?:^|[\s_-])tabs?(?:$|[\s_-]|item|nav|title|btn|hd)", re.I)
_YEAR = re.compile(r"^\s*(?:19|20)\d\d\s*年?\s*$")
# what a control that searches, logs in or writes to the site says (never acted on)
_FORM_TEXT = re.compile(r"^\s*(?:站内)?(?:搜\s*索|检\s*索|查\s*询|登\s*录|注\s*册|提\s*交|留\s*言|"
                        r"评\s*论|发\s*表|投\s*票|search|log\s*in|sign\s*in|submit|go)\s*$", re.I)
_CONTEXTS = {"search": "search form", "login": "login form", "comment": "comment form",
             "calendar": "calendar"}
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
    context: str = ""  # what it sits in: search | login | comment (a form), calendar


def refusal(control: Control) -> str | None:
    """Why a reader's actions leave this control alone (``search form``, ``login
    form``, ``comment form``, ``calendar``, ``submits``), or None."""
    if control.context in _CONTEXTS:
        return _CONTEXTS[control.context]
    if control.tag.lower() != "select" and _FORM_TEXT.match(control.text):
        return "submits"
    return None


def barren(revealed: list[list[str]], limit: int) -> bool:
    """Have the last ``limit`` steps of a behaviour each revealed links (their texts
    in ``revealed``, one list a step) and none of them towards a report? More of the
    same template with no report: a calendar's months, a 换一批 of news."""
    if limit <= 0:
        return False
    last = revealed[-limit:]
    return len(last) == limit and all(texts for texts in last) and not any(
        is_report_title(text) or is_report_candidate(text) for texts in last for text in texts)


def control_kind(control: Control) -> str | None:
    """``pager`` | ``more`` | ``row`` | ``tab`` | ``choice`` | None (the module's rules)."""
    tag, text = control.tag.lower(), " ".join(control.text.split())
    if refusal(control):
        return None
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
    if (tab and len(text) <= _TAB_TEXT) or (control.onclick and _YEAR.match(text)):
        return "tab"  # (a clickable year: an accordion's header, a tree's node)
    clickable = (tag in ("a", "li", "tr", "td", "span", "div", "p") and control.onclick) or \
        (tag == "a" and control.href is not None)
    if clickable and (len(text) >= _ROW_TEXT or is_report_title(text)):
        return "row"
    return None


def is_next(control: Control) -> bool:
    """A pager control that turns to the next page (not a page number or the last)."""
    return bool(_NEXT.search(" ".join(control.text.split())))


_SEARCH_CODE = re.compile(r"search|sousuo|jiansuo", re.I)
_LOGIN_CODE = re.compile(r"log_?in|logon|signin|passw", re.I)
_COMMENT_CODE = re.compile(r"comment|liuyan|pinglun", re.I)
FORM_LINKS = 5  # a form with more links than this is a page's own (ASP.NET's, JSF's)
_CALENDAR = re.compile(r"calendar|rili|date-?picker|laydate|(?:^|[\s_-])cal(?:$|[\s_-])", re.I)


def context_of(form: str, code: str, containers: str) -> str:
    """``search`` | ``login`` | ``comment`` | ``calendar`` | "": what a control sits in,
    from its form's fields (``password``, ``textarea``, ``search``: its inputs' types and
    names; a form that holds the whole page is no context), its own handler's code
    (``onclick``, ``href``) and the class and id names of the elements around it."""
    if "password" in form or _LOGIN_CODE.search(code):
        return "login"
    if "textarea" in form or _COMMENT_CODE.search(code):
        return "comment"
    if _SEARCH_CODE.search(form) or _SEARCH_CODE.search(code) or \
            re.search(r"\b(?:q|wd|kw|key|keyword|keywords|searchword)\b", form):
        return "search"
    if _CALENDAR.search(containers):
        return "calendar"
    return ""


def _static_context(node: Any) -> str:
    """``context_of`` for an element of a page as served (lxml)."""
    form, containers = "", []
    for ancestor in node.iterancestors():
        containers.append(f"{ancestor.get('class', '')} {ancestor.get('id', '')}")
        if ancestor.tag == "form" and not form and \
                sum(1 for _ in ancestor.iter("a")) <= FORM_LINKS:
            form = " ".join(f"{field.tag} {field.get('type', '')} {field.get('name', '')} "
                            f"{field.get('id', '')}" for field in
                            ancestor.iter("input", "textarea")) + f" {ancestor.get('action', '')}"
    code = f"{node.get('onclick', '')} {node.get('href', '')}"
    return context_of(form, code, " ".join(containers))


def _is_year_heading(node: Any) -> bool:
    """A year standing alone (``2023年``), no link and none inside: an accordion's
    header, a tree's node, a tab whose click is a listener the page does not show."""
    if node.get("href") or node.tag in ("select", "input", "button") or \
            not _YEAR.match(node.text_content() or ""):
        return False
    return not any(True for _ in node.iter("a")) or (node.tag == "a" and len(node) == 0)


def page_controls(page: str | Any) -> Counter[str]:
    """The controls of each kind in a page as served (its HTML, or its lxml tree): a
    script pager, 加载更多, script rows, tabs, choices (for the rule that sends it to the
    browser); and ``year``: years standing alone, no link (headers a listener opens)."""
    try:
        root = lxml_html.fromstring(page) if isinstance(page, str) else page
    except (ValueError, lxml_html.etree.ParserError):
        return Counter()
    kinds: Counter[str] = Counter()
    for node in root.iter("a", "button", "li", "span", "td", "div", "select", "input", "dt",
                          "h2", "h3", "h4", "p"):
        attrib = node.attrib
        if _is_year_heading(node):
            kinds["year"] += 1
            continue
        if node.tag == "a" and "onclick" not in attrib and \
                not _SCRIPT_HREF.match(attrib.get("href") or "#"):
            continue  # a plain link: nothing to act on (most of a page)
        if node.tag == "select":
            options = tuple(o.text_content().strip() for o in node.iter("option"))
            form = next((a for a in node.iterancestors() if a.tag == "form"), None)
            if form is not None and (form.get("method") or "get").lower() == "get" and \
                    page_select(node.get("name"), [(o.get("value") or "", o.text_content())
                                                   for o in node.iter("option")]):
                kinds["pager"] += 1  # a GET form's page numbers: its pages are URLs
                continue
            control = Control("select", "", options=options, onchange="onchange" in attrib,
                              context=_static_context(node))
        elif node.tag in ("a", "button") or "onclick" in attrib or \
                attrib.get("role") == "tab" or _TAB_CLASS.search(attrib.get("class", "")):
            text = node.text_content() if node.tag != "input" else attrib.get("value", "")
            control = Control(node.tag, text, attrib.get("href"), "onclick" in attrib,
                              attrib.get("class", ""), attrib.get("role", ""),
                              context=_static_context(node))
        else:
            continue
        kind = control_kind(control)
        if kind == "tab" and _YEAR.match(control.text):
            kind = "choice"  # a year's tab: one of a list's choices
        if kind:
            kinds[kind] += 1
    return kinds
