"""The keys this project keeps in ``request.meta``, in one place.

Spiders, middlewares, extensions and pipelines read and write them; a key
spelled in one module and misspelled in another would fail silently, so
every module imports its keys from here.
"""

from __future__ import annotations

__all__ = [
    "AGENCY",
    "CONDITIONAL",
    "DONT_REVISIT",
    "FRAGMENT",
    "HTTP_REASON",
    "LINK_TEXT",
    "LIST_API",
    "LIST_COLUMN",
    "LIST_PLAN",
    "PAGER",
    "PREVIOUS",
    "RENDER",
    "RENDERED",
    "RENDERED_ANSWERS",
    "RENDER_FROM",
    "REPORT_KEY",
    "ROLE",
    "WARC_RECORD",
]

AGENCY = "agency_id"  # the registry id of the agency a request works for
ROLE = "role"  # a crawler.discovery.Role: what the response is expected to be
LINK_TEXT = "link_text"  # the text of the link that led here
FRAGMENT = "url_fragment"  # the link's #fragment (never sent; gkmlpt names catalogues by it)
REPORT_KEY = "report_key"  # the key of the report draft (crawler.reports) a request serves
LIST_API = "list_api"  # the CMS family whose list API answers this request
LIST_PLAN = "list_plan"  # that family's paging plan (form, page size, total...)
LIST_COLUMN = "list_column"  # the URL of the column a list page or API answer belongs to
PAGER = "pager"  # a list page asked for by a pager that states no size (the trap rule's)
WARC_RECORD = "warc_record"  # archive.PendingRecord: the WARC record of the response
HTTP_REASON = "http_reason"  # the status line's reason phrase, as received (bytes)
PREVIOUS = "previous_capture"  # archive.state.Stored: what the archive last holds for the URL
CONDITIONAL = "conditional"  # the request carries the archive's validators (If-None-Match...)
DONT_REVISIT = "dont_revisit"  # ask without validators (the archived payload was unreadable)
RENDER = "render"  # why this request goes to the browser (crawler.discovery.escalation)
RENDER_FROM = "render_from"  # the page as fetched (status, headers, body): its first load
RENDERED = "rendered"  # what the browser did on the page (archive.rendered's page info)
# the JSON a rendered report page was given: [(url, body, archive.PendingRecord | None)]
RENDERED_ANSWERS = "rendered_answers"
