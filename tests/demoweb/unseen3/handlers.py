"""Generated responses of the unseen3 web (``tests/demoweb/unseen3/``).

Handlers as in ``tests/demoweb/handlers.py``: a route's ``handler: NAME`` in a site's
``site.yaml`` names one, the route's other keys are its options.

- ``u3_autoindex``: an Apache 2.4 directory index (``mod_autoindex`` with FancyIndexing and
  HTMLTable, as CentOS ships it) of the route's folder. ``files: {name: "YYYY-MM-DD HH:MM"}``
  lists the files and their times; sizes are those of the bodies the files' own routes
  answer. ``?C=N|M|S;O=A|D`` sorts as Apache does.
- ``u3_notice_pdf``: a small PDF that is not a report: ``title`` and ``paragraphs``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs

from tests.demoweb.pdf import PdfDocument
from tests.demoweb.server import Reply, Request, Site

__all__ = ["HANDLERS"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def _body(site: Site, path: str) -> bytes:
    """What the site answers for ``path``: its route's handler, else its file."""
    options = site.route(path)
    if "handler" in options:
        from tests.demoweb.handlers import HANDLERS as DEMO

        request = Request("GET", site.host, path, "", {}, b"")
        return {**DEMO, **HANDLERS}[options["handler"]](site, request, options).body
    return site.read(path) or b""


def _size(n: int) -> str:
    """Apache's short size: ``612``, ``5.2K``, ``37K``, ``1.4M``."""
    if n < 1024:
        return str(n)
    for unit, scale in (("K", 1024), ("M", 1024 ** 2)):
        value = n / scale
        if value < 1024 or unit == "M":
            return f"{value:.1f}{unit}" if value < 10 else f"{round(value)}{unit}"
    return str(n)


@handler("u3_autoindex")
def u3_autoindex(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    folder = request.path if request.path.endswith("/") else request.path + "/"
    query = {k: v[0] for k, v in parse_qs(request.query.replace(";", "&")).items()}
    column = query.get("C", "N") if query.get("C") in ("N", "M", "S", "D") else "N"
    order = "D" if query.get("O") == "D" else "A"
    rows = []
    for name, modified in (options.get("files") or {}).items():
        rows.append((str(name), str(modified), len(_body(site, folder + str(name)))))
    key = {"N": lambda r: r[0], "M": lambda r: (r[1], r[0]), "S": lambda r: (r[2], r[0]),
           "D": lambda r: r[0]}[column]
    rows.sort(key=key, reverse=order == "D")

    def header(code: str, label: str) -> str:
        flip = "D" if code == column and order == "A" else "A"
        return f'<th><a href="?C={code};O={flip}">{label}</a></th>'

    lines = "".join(
        f'<tr><td valign="top"><img src="/icons/layout.gif" alt="[   ]"></td>'
        f'<td><a href="{escape(name)}">{escape(name)}</a>{" " * max(1, 24 - len(name))}</td>'
        f'<td align="right">{modified}  </td><td align="right">{_size(size)}</td>'
        f"<td>&nbsp;</td></tr>\n" for name, modified, size in rows)
    parent = folder.rstrip("/").rsplit("/", 1)[0] + "/"
    title = folder.rstrip("/") or "/"
    page = (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html>\n <head>\n'
        f"  <title>Index of {title}</title>\n </head>\n <body>\n<h1>Index of {title}</h1>\n"
        '  <table>\n   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th>'
        f'{header("N", "Name")}{header("M", "Last modified")}{header("S", "Size")}'
        f'{header("D", "Description")}</tr>\n'
        '   <tr><th colspan="5"><hr></th></tr>\n'
        '<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td>'
        f'<td><a href="{parent}">Parent Directory</a>       </td><td>&nbsp;</td>'
        '<td align="right">  - </td><td>&nbsp;</td></tr>\n'
        f"{lines}"
        '   <tr><th colspan="5"><hr></th></tr>\n</table>\n'
        f"<address>{site.headers.get('Server', 'Apache')} Server at {site.host} Port 80</address>\n"
        "</body></html>\n")
    return Reply(200, page.encode("ascii", "xmlcharrefreplace"),
                 [("Content-Type", "text/html;charset=ISO-8859-1")])


@handler("u3_notice_pdf")
def u3_notice_pdf(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    doc = PdfDocument(str(options["title"]))
    doc.paragraph(str(options["title"]), size=14)
    for text in options.get("paragraphs") or []:
        doc.paragraph(str(text))
    return Reply(200, doc.to_bytes(), [("Content-Type", "application/pdf")])
