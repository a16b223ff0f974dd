"""Lists paged by a GET form and no links: what the form would ask for, as URLs.

Two shapes, both read without a browser because the pages are plain URLs once the
form's fields are known:

- a ``<select>`` of the page numbers that submits on change (第1页, 第2页 …);
- a box to type a page number in beside 跳转/GO, when the list states its pages
  (共2页, 第1/2页).

Only fields named as page fields (``page``, ``pageNo``, ``curPage`` …, or options that
read 第N页) count, and never a form that is a site search: a search box beside GO, or
a month's numbers, is no pager.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import SplitResult, urlencode, urlsplit, urlunsplit

from scrapy.http import TextResponse

from ..text import is_page_field, page_select
from ..traps import is_search_url
from ..urls import trap_reason

__all__ = ["form_pages"]

_JUMP = re.compile(r"^(?:跳转|转到|跳到|前往|go)$", re.IGNORECASE)  # a page box's button
_GET_FORMS = "//form[not(@method) or translate(@method, 'GET', 'get')='get']"


def form_pages(response: TextResponse, stated: Callable[[], int | None]) -> Iterator[str]:
    """Each page a list's GET form would ask for (``stated``: the pages the list says it
    has, asked only for a page box), its hidden fields kept."""
    for form in response.xpath(_GET_FORMS):
        action = urlsplit(response.urljoin(form.attrib.get("action") or response.url))
        if is_search_url(urlunsplit(action)) or trap_reason(urlunsplit(action)):
            continue  # a search's or a calendar's form
        for select in form.xpath(".//select[@name]"):
            name = select.attrib["name"]
            options = [((o.attrib.get("value") or "").strip(), o.xpath("string()").get() or "",
                        "selected" in o.attrib) for o in select.xpath(".//option")]
            if page_select(name, [(value, text) for value, text, _ in options]):
                yield from (_ask(form, action, name, (value or text).strip())
                            for value, text, chosen in options if not chosen)
        boxes = form.xpath(".//input[@name][not(@type) or @type='text' or @type='number']")
        buttons = form.xpath(".//input[@type='submit' or @type='button' or @type='image']"
                             "/@value | .//button//text() | .//a//text()").getall()
        if len(boxes) == 1 and is_page_field(boxes[0].attrib["name"]) and \
                any(_JUMP.match(b.strip()) for b in buttons) and (pages := stated()):
            name = boxes[0].attrib["name"]
            yield from (_ask(form, action, name, str(n)) for n in range(1, pages + 1))


def _ask(form, action: SplitResult, name: str, value: str) -> str:
    """The URL the form sends with ``name=value``: its hidden fields first, less any of
    the same name (a servlet reads the first ``page=``)."""
    hidden = [(i.attrib["name"], i.attrib.get("value", ""))
              for i in form.xpath(".//input[@name][@type='hidden']") if i.attrib["name"] != name]
    return urlunsplit(action._replace(query=urlencode([*hidden, (name, value)]), fragment=""))
