"""Recognising disclosure areas, report columns, reports and attachments by their words.

Rules are about the words every agency uses (see ``shared/docs/domain.md``),
never about one site's paths or markup.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = [
    "arabic_years",
    "file_name_year",
    "is_area_text",
    "is_area_url",
    "is_column_text",
    "is_column_url",
    "is_department_name",
    "is_departments_text",
    "is_page_field",
    "is_report_candidate",
    "is_report_title",
    "is_sitemap",
    "is_year_text",
    "page_numbers",
    "page_select",
    "report_year",
]

_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_CN_YEAR = re.compile(r"([二〇○零一三四五六七八九]{4})\s*年")
# 政府信息公开(工作)年度报告 / 政务公开年报 / 信息公开工作年报 / 政府信息公开年度报告
_REPORT = re.compile(r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)|公开(?:工作)?年报|"
                     r"(?:信息公开|政务公开).{0,8}年度(?:工作)?报告")
# Not the report: explanations, drafts, the format notices, guides and plans about it.
_NOT_REPORT = re.compile(r"解读|图解|一图读懂|征求意见|意见稿|草案|通知|目录|指南|制度|要点|"
                         r"考核|评估|格式|模板|样本|范本|说明|培训")
# the area, and the catalogue's statutory categories (法定主动公开内容 → 其他法定(公开)内容)
_AREA = re.compile(r"(?:政府|政务)?信息公开|政务公开|公开目录|法定(?:主动)?(?:公开)?内容|"
                   r"法定主动公开")
_COLUMN = re.compile(r"年报|年度报告")
_FILE_NAME = re.compile(r"^[A-Za-z0-9_.()-]*?(?<!\d)((?:19|20)\d\d)(?!\d)[A-Za-z0-9_.()-]*\."
                        r"(?:pdf|docx?|wps|ofd|zip)$", re.IGNORECASE)  # ASCII: a name, not a title
_SITEMAP = re.compile(r"^(?:网站地图|站点地图|网站导航)$")
_SITEMAP_SLUG = re.compile(r"/(?:sitemap|wzdt|zddt)(?:/|\.|$)", re.IGNORECASE)
_AREA_SLUG = re.compile(r"/(?:xxgk|zwgk|zfxxgk|gkml|zfxxgkzl|xxgkml)(?:/|_|\.|$)", re.IGNORECASE)
# The column's own page: the slug as the last directory (its index pages), or as the
# page's name; not the articles filed under it (/xxgknb/202401/t20240129_1.html).
_COLUMN_SLUG = re.compile(r"/(?:gknb|ndbg|xxgknb|zfxxgkndbg|gkndbg|zfxxgknb)"
                          r"(?:/(?:(?:index|list|default)[\w-]*\.\w+)?|[_.][\w.-]*/?)?$",
                          re.IGNORECASE)
_DEPARTMENTS = re.compile(r"部门网站|政府部门|省直部门|市直部门|部门链接|部门门户|省级部门|"
                          r"厅局网站|委办厅局|政府网站群|部门子站")
_DEPARTMENT = re.compile(r"^(?:[\u4e00-\u9fff]{1,6}(?:省|市|自治区))?[\u4e00-\u9fff（）()]{1,20}"
                         r"(?:厅|局|委员会|委|办公室|办|署|院|中心|会|所)$")


def arabic_years(text: str) -> str:
    """二〇二三年 -> 2023年 (year numerals written in Chinese digits)."""
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)) + "年", text)


def report_year(title: str | None) -> int | None:
    """The report year in a title: the first ``YYYY年`` (Chinese numerals too)."""
    match = _YEAR.search(arabic_years(title or ""))
    return int(match.group(1)) if match else None


def file_name_year(text: str | None) -> int | None:
    """A link shown by its file name only (a server's directory listing: ``2023ndbg.pdf``,
    ``ndbg_2022.docx``): the year in the name, else None (also for any other text)."""
    match = _FILE_NAME.match((text or "").strip())
    return int(match.group(1)) if match else None


def is_report_title(title: str | None) -> bool:
    """``XX局2023年政府信息公开工作年度报告`` and its variants; not 解读, 通知, 指南..."""
    text = arabic_years(re.sub(r"\s+", "", title or ""))
    return (bool(_REPORT.search(text)) and report_year(text) is not None
            and not _NOT_REPORT.search(text))


_CANDIDATE = re.compile(r"(?:政府|政务)?信息公开|政务公开|年度报告|年报")
_TRUNCATED = re.compile(r"(?:…|\.{2,}|。{2,})$")


def is_report_candidate(text: str | None) -> bool:
    """A list entry that may be a report whose title the list cut short
    (``某某局2023年政府信息公开工作年度...``): dated, on disclosure, ending in an ellipsis.
    The page's own title then decides."""
    text = arabic_years(re.sub(r"\s+", "", text or ""))
    return (bool(_TRUNCATED.search(text)) and report_year(text) is not None
            and bool(_CANDIDATE.search(text)) and not _NOT_REPORT.search(text))


_YEAR_ONLY = re.compile(r"^(?:19|20)\d\d\s*年?度?(?:年报|报告)?$")


def is_year_text(text: str | None) -> bool:
    """``2024年``, ``2023``, ``2022年度``: a report column's per-year sub-column."""
    return bool(_YEAR_ONLY.match(arabic_years(re.sub(r"\s+", "", text or ""))))


def _navigation(text: str) -> bool:
    """Menu entries are short and undated; article titles are neither."""
    return len(text) <= 16 and not _YEAR.search(arabic_years(text))


def is_area_text(text: str) -> bool:
    """A link into the disclosure area (政府信息公开 / 政务公开 / xxgk ...)."""
    text = re.sub(r"\s+", "", text or "")
    return _navigation(text) and bool(_AREA.search(text))


def is_sitemap(url: str, text: str) -> bool:
    """The site map (网站地图, ``/sitemap.html``): every column of the site on one page,
    some sites' only way into the disclosure area."""
    path = urlsplit(url).path
    return not path.lower().endswith(".xml") and (
        bool(_SITEMAP.match(re.sub(r"\s+", "", text or ""))) or bool(_SITEMAP_SLUG.search(path)))


def is_column_text(text: str) -> bool:
    """A link to the annual-report column (年报 / 年度报告 / gknb, ndbg ...)."""
    text = re.sub(r"\s+", "", text or "")
    return _navigation(text) and bool(_COLUMN.search(text)) and not _NOT_REPORT.search(text)


def is_area_url(url: str) -> bool:
    """A URL whose path names the disclosure area (``/xxgk/``, ``/zwgk/``...)."""
    return bool(_AREA_SLUG.search(urlsplit(url).path))


def is_column_url(url: str) -> bool:
    """A URL whose path names the report column (``/ndbg/``, ``/gknb/``...)."""
    return bool(_COLUMN_SLUG.search(urlsplit(url).path))


def is_departments_text(text: str) -> bool:
    """A portal's link or heading for its departments' sites (部门网站, 政府部门 ...)."""
    return bool(_DEPARTMENTS.search(re.sub(r"\s+", "", text or "")))


def is_department_name(text: str) -> bool:
    """``浙江省发展和改革委员会``, ``省广电局``, ``江西省交通运输厅`` ..."""
    text = re.sub(r"\s+", "", text or "")
    return 3 <= len(text) <= 26 and bool(_DEPARTMENT.match(text))


def page_numbers(values: list[str]) -> bool:
    """1, 2, 3 … (or from 0): a pager's choices, not a search form's years or kinds."""
    if len(values) < 2 or not all(v.isdigit() for v in values):
        return False
    first = int(values[0])
    return first <= 1 and [int(v) for v in values] == list(range(first, first + len(values)))


_PAGE_FIELD = re.compile(r"^(?:page|pages|pageno|pagenum|pagenumber|pageindex|page_no|"
                         r"page_index|curpage|currentpage|cur_page|nowpage|pagenow|cpage|pn|"
                         r"pg|p|start_page|topage|gopage|jumppage)$", re.IGNORECASE)
_PAGE_OPTION = re.compile(r"^\s*第?\s*(\d+)\s*页?\s*$")  # 第2页, 2


def is_page_field(name: str | None) -> bool:
    """A form field that takes a page number (``page``, ``pageNo``, ``curPage`` …)."""
    return bool(_PAGE_FIELD.match((name or "").strip()))


def page_select(name: str | None, options: list[tuple[str, str]]) -> bool:
    """A ``<select>`` that turns a list's pages: its options (value, text shown) are the
    page numbers, each sending the number it shows, and it is named as a page field or
    shows 第N页. A month's or a year's numbers are no pager."""
    shown = [_PAGE_OPTION.sub(r"\1", text).strip() for _, text in options]
    sends = all((value or text).strip() == number
                for (value, text), number in zip(options, shown, strict=True))
    return page_numbers(shown) and sends and (
        is_page_field(name) or any("页" in text for _, text in options))
