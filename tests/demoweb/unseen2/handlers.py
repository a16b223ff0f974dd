"""Generated responses of the unseen2 web (``tests/demoweb/unseen2/``).

Handlers as in ``tests/demoweb/handlers.py``: a route's ``handler: NAME`` in a site's
``site.yaml`` names one, the route's other keys are its options.

- ``u2_report``: a report page in the site's ``_templates/article.html`` with the demo's
  generated text and tables. Options: ``report`` (the index of one of the site's
  ``reports:``, set by the catalog), or, for a page that is *not* one of the site's
  reports (another agency's on a shared platform), ``year``, ``title`` and ``published``;
  ``agency``: whose report it is (default: the site's ``name``); ``viewer``: the page is
  only the title, a line 详见附件 and an ``<iframe>`` of that viewer with the report's
  first attachment as ``?file=``; ``vars``: more ``$names`` for the template.
- ``u2_query_page``: a dynamic page (``list.jsp?columnId=..&pageNo=..``, a JSON list
  API) answered from files of ``htdocs/``: ``key`` is a format string over the query's
  parameters (``defaults`` fill missing ones), ``pages`` maps a key to a file under
  ``htdocs/`` (usually under ``_pages/``, which is never served by its own path); any
  other key is a 404.
- ``u2_pdf``: a small PDF that is not a report (a 部门决算, a 预算 table): ``title``,
  ``paragraphs`` and an optional ``table`` (rows of cells).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs

from tests.demoweb.pdf import PdfDocument
from tests.demoweb.reports import ReportSpec, render_report
from tests.demoweb.server import Reply, Request, Site, _static_reply

__all__ = ["HANDLERS"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}
NOT_FOUND = "<html><head><title>404</title></head><body><h1>404 Not Found</h1></body></html>"


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def _html(site: Site, text: str) -> Reply:
    return Reply(200, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"text/html; charset={site.encoding}")])


@handler("u2_report")
def u2_report(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    item = site.reports[options["report"]] if "report" in options else None
    agency = options.get("agency", site.meta["name"])
    year = item.year if item else int(options["year"])
    title = item.title if item else str(options["title"])
    published = item.published if item else str(options["published"])
    spec = ReportSpec(agency=agency, year=year, published=published,
                      render=item.render if item else {})
    _, body = render_report(spec)
    attachments = ""
    if item and item.attachments:
        links = "".join(f'<li><a href="{path}">{escape(title)}.{ext}</a></li>'
                        for path, ext in item.attachments)
        attachments = f'<div class="attachments">附件：<ul>{links}</ul></div>'
    if options.get("viewer"):
        assert item and item.attachments, f"{request.path}: a viewer page needs its document"
        document = item.attachments[0][0]
        body = (f"<p>{escape(title)}详见附件。</p>\n"
                f'<iframe src="{options["viewer"]}?file={document}" width="100%" '
                f'height="800" frameborder="0"></iframe>')
        attachments = ""
    page = site.template(options.get("template", "article.html")).safe_substitute(
        title=escape(title), pubdate=published, body=body, agency=agency,
        attachments=attachments, year=year, **options.get("vars", {}))
    return _html(site, page)


@handler("u2_query_page")
def u2_query_page(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    query = {str(k): str(v) for k, v in (options.get("defaults") or {}).items()}
    query.update({k: v[0] for k, v in parse_qs(request.query).items()})
    try:
        key = str(options["key"]).format(**query)
    except (KeyError, IndexError, ValueError):
        key = None
    name = {str(k): v for k, v in options["pages"].items()}.get(key) if key else None
    if name is None or site.root is None:
        return Reply(404, NOT_FOUND.encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])
    text = (site.root / str(name).lstrip("/")).read_text("utf-8")
    content_type = options.get("content_type") or (
        "application/json" if str(name).endswith(".json") else "text/html")
    return _static_reply(site, request, {"body": text, "content_type": content_type})


@handler("u2_pdf")
def u2_pdf(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    doc = PdfDocument(str(options["title"]))
    doc.paragraph(str(options["title"]), size=14)
    for text in options.get("paragraphs", []):
        doc.paragraph(str(text))
    if options.get("table"):
        doc.table([[str(cell) for cell in row] for row in options["table"]])
    for text in options.get("after", []):
        doc.paragraph(str(text))
    return Reply(200, doc.to_bytes(), [("Content-Type", "application/pdf")])
