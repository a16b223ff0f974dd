"""Recognising disclosure areas, report columns, reports and attachments by their words.

Rules are about the words and URL slugs every CMS family uses, never about
one site's paths (see ``shared/docs/domain.md``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "is_attachment_url",
    "is_disclosure_link",
    "is_report_title",
    "report_year",
]

ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_REPORT = re.compile(r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)|信息公开年报|年度报告")
_DISCLOSURE_TEXT = re.compile(r"信息公开|政务公开|公开年报|年度报告|年报")
_DISCLOSURE_SLUG = re.compile(
    r"(?:^|[/_.-])(?:xxgk|zfxxgk|zwgk|gknb|ndbg|xxgknb|zfxxgkndbg|gkml|zfxxgkzl)(?:$|[/_.\d-])",
    re.IGNORECASE)


def report_year(title: str) -> int | None:
    match = _YEAR.search(title or "")
    return int(match.group(1)) if match else None


def is_report_title(title: str) -> bool:
    """``XX局2023年政府信息公开工作年度报告`` and its many variants."""
    return bool(title) and bool(_REPORT.search(title)) and report_year(title) is not None


def is_disclosure_link(text: str, url: str) -> bool:
    """A link towards the disclosure area or its annual-report column."""
    return bool(_DISCLOSURE_TEXT.search(text or "")) or bool(
        _DISCLOSURE_SLUG.search(urlsplit(url).path))


def is_attachment_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(ATTACHMENT_EXTENSIONS)
