"""Finding annual reports: words, URLs, links, titles, roles, portals' department lists.

Everything exported here is plain Python (no Scrapy, no Twisted), shared by the
spiders and by ``crawler.extract``. The CMS families, which build Scrapy
requests, are in ``crawler.discovery.families``; failure names, which read
Scrapy's exceptions, in ``crawler.discovery.failures``.
"""

from .departments import department_agency, is_department_link, renamed
from .links import Link, anchor_links, fragment_links, hash_route, unique_links
from .roles import PRIORITY, REPORT_ROLES, Role, in_years, link_role, site_map_way
from .text import (
    file_name_year,
    is_area_text,
    is_area_url,
    is_column_text,
    is_column_url,
    is_department_name,
    is_departments_text,
    is_report_candidate,
    is_report_title,
    is_sitemap,
    is_year_text,
    report_year,
)
from .titles import choose_title, page_title, split_page_title, title_lines
from .urls import attachment_type, canonical_url, document_url, trap_reason, url_key

__all__ = [
    "Link",
    "PRIORITY",
    "REPORT_ROLES",
    "Role",
    "anchor_links",
    "attachment_type",
    "canonical_url",
    "choose_title",
    "department_agency",
    "document_url",
    "file_name_year",
    "fragment_links",
    "hash_route",
    "in_years",
    "is_area_text",
    "is_area_url",
    "is_column_text",
    "is_column_url",
    "is_department_link",
    "is_department_name",
    "is_departments_text",
    "is_report_candidate",
    "is_report_title",
    "is_sitemap",
    "is_year_text",
    "link_role",
    "page_title",
    "renamed",
    "site_map_way",
    "report_year",
    "split_page_title",
    "title_lines",
    "trap_reason",
    "unique_links",
    "url_key",
]
