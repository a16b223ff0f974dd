"""One rule for a report's title, whoever looks for it.

The spider (deciding whether a page is a report) and the extractor (naming the
item) each collect candidates from what they parsed — meta tags, the CMS's
title element, headings, the first lines of a PDF — and ``choose_title`` picks:
the first that reads as a report title, else the first at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from parsel import Selector

from .text import is_report_title

__all__ = ["MAX_TITLE", "choose_title", "page_title", "split_page_title", "title_lines"]

MAX_TITLE = 80  # longer "titles" are paragraphs that happen to name a report
_SEPARATORS = re.compile(r"\s*[-_|｜]\s*|\s{2,}")
_ENDS_AS_TITLE = re.compile(r"(?:报告|年报)$")


def choose_title(candidates: Iterable[str | None]) -> str | None:
    """The first candidate that reads as a report title, else the first non-empty one."""
    first = None
    for candidate in candidates:
        if not candidate:
            continue
        if is_report_title(candidate) and len(candidate) <= MAX_TITLE:
            return candidate
        first = first or candidate
    return first


def page_title(page: Selector) -> str | None:
    """A page's title as the spider sees it before extraction: the national standard's
    ``ArticleTitle`` meta tag, the CMS's title element, the first heading, ``<title>``."""
    return choose_title([
        page.xpath('//meta[@name="ArticleTitle"]/@content').get(),
        " ".join(page.xpath("//ucaptitle//text()").getall()).strip(),
        " ".join(page.xpath("(//h1)[1]//text()").getall()).strip(),
        split_page_title(" ".join(page.xpath("//title/text()").getall())),
    ])


def split_page_title(page_title: str | None) -> str | None:
    """``XX局2023年…年度报告 - XX局门户网站`` → its first part (sites append their name)."""
    return _SEPARATORS.split(page_title.strip())[0] if page_title and page_title.strip() else None


def title_lines(text: str, lines: int = 6) -> Iterator[str]:
    """Report titles that PDFs and Word files break over the first few lines:
    one to three consecutive lines joined, ending in 报告 or 年报."""
    head = [line.strip() for line in text.splitlines()[:lines] if line.strip()]
    for start in range(len(head)):
        for size in (1, 2, 3):
            candidate = re.sub(r"\s+", "", "".join(head[start:start + size]))
            if len(candidate) > MAX_TITLE:
                break
            if is_report_title(candidate) and _ENDS_AS_TITLE.search(candidate):
                yield candidate
