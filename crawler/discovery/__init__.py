"""Finding annual reports: words, URLs, links, CMS families, portals' department lists."""

from .departments import department_agency, department_links, is_department_link
from .families import FAMILIES, Family, detect_family, family_named
from .links import Link, anchor_links, fragment_links
from .text import (
    is_area_text,
    is_area_url,
    is_column_text,
    is_column_url,
    is_department_name,
    is_departments_text,
    is_report_candidate,
    is_report_title,
    report_year,
)
from .urls import attachment_type, canonical_url, trap_reason

__all__ = [
    "FAMILIES",
    "Family",
    "Link",
    "anchor_links",
    "attachment_type",
    "canonical_url",
    "department_agency",
    "department_links",
    "detect_family",
    "family_named",
    "fragment_links",
    "is_area_text",
    "is_department_link",
    "is_area_url",
    "is_column_text",
    "is_column_url",
    "is_department_name",
    "is_departments_text",
    "is_report_candidate",
    "is_report_title",
    "report_year",
    "trap_reason",
]
