"""Generated responses for the demo web: things a static file cannot be.

A site names one in ``site.yaml`` (``handler: NAME`` on a route) with its own
parameters; adding a site that uses them is adding data.
"""

from __future__ import annotations

from typing import Any

from .reports import ReportSpec, render_report, render_report_pdf
from .server import Reply, Request, Site

HANDLERS: dict[str, Any] = {}


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def _text_reply(site: Site, text: str, content_type: str = "text/html") -> Reply:
    return Reply(200, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"{content_type}; charset={site.encoding}")])


@handler("report")
def report(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """An annual report article in the site's own page template (``_templates/article.html``).

    Route options: ``year``, ``published`` (YYYY-MM-DD), optional ``format``
    (default by year), ``attachments`` ([{href, text}]), ``template``.
    """
    year = int(options["year"])
    spec = ReportSpec(agency=site.meta["name"], year=year, published=str(options["published"]),
                      format=str(options.get("format") or ("2021" if year >= 2021 else "2019")))
    title, body = render_report(spec)
    links = "".join(f'<li><a href="{a["href"]}">{a["text"]}</a></li>'
                    for a in options.get("attachments", []))
    template = site.template(options.get("template", "article.html"))
    page = template.safe_substitute(title=title, pubdate=spec.published, body=body,
                                    attachments=f"<ul>{links}</ul>" if links else "",
                                    agency=site.meta["name"], **site.meta.get("template_vars", {}))
    return _text_reply(site, page)


@handler("report_pdf")
def report_pdf(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A report as a PDF attachment. Route options: ``year``, optional ``format``."""
    year = int(options["year"])
    spec = ReportSpec(agency=site.meta["name"], year=year,
                      format=str(options.get("format") or ("2021" if year >= 2021 else "2019")))
    return Reply(200, render_report_pdf(spec), [("Content-Type", "application/pdf")])
