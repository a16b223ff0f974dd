"""URLs: canonical form, attachment types, and the URL spaces that never end."""

from __future__ import annotations

import re
from posixpath import splitext
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

__all__ = ["ATTACHMENT_TYPES", "attachment_type", "canonical_url", "document_url", "hash_route",
           "app_address", "trap_reason", "url_key"]

ATTACHMENT_TYPES = {".pdf": "pdf", ".doc": "doc", ".docx": "docx", ".wps": "wps",
                    ".xls": "xls", ".xlsx": "xlsx", ".et": "xls", ".ofd": "ofd", ".zip": "zip",
                    ".rar": "rar", ".7z": "7z"}
_SESSION_KEYS = {"jsessionid", "sessionid", "sid", "phpsessid", "aspsessionid", "cfid",
                 "cftoken", "session_id"}
_PATH_SESSION = re.compile(r";(?:jsessionid|sessionid|phpsessid)=[^/?#]*", re.IGNORECASE)
_DATE_VALUE = re.compile(r"^\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?$")
_CALENDAR_KEYS = {"date", "day", "rq", "riqi", "cal", "calendar", "month", "yue"}
_CALENDAR_PATH = re.compile(r"(?:^|/)(?:calendar|rili|rl|richeng)(?:/|\.|$)", re.IGNORECASE)
_FILENAME_KEYS = ("filename", "fileName", "file", "name", "fn")
# Cache-busting parameters: a timestamp or random number that changes on every visit.
_BUSTER_KEYS = {"_t", "_", "t", "ts", "timestamp", "time", "_time", "rnd", "random", "r", "_r"}
_BUSTER_VALUE = re.compile(r"^\d{8,}$|^0?\.\d{6,}$")
_INDEX_FILE = re.compile(r"/(?:index|default)\.(?:html?|shtml|jsp|php|aspx?)$", re.IGNORECASE)
_VIEWER_KEYS = ("file", "url", "src", "pdf", "doc", "path")


def _dropped(key: str, value: str) -> bool:
    key = key.lower()
    return key in _SESSION_KEYS or (key in _BUSTER_KEYS and bool(_BUSTER_VALUE.match(value)))


def canonical_url(url: str) -> str:
    """Drop the fragment, session ids (``;jsessionid=``, ``?sid=``), cache-busters
    (``?_t=1706000000000``), default ports and host case; keep everything else as
    linked (the archive records what was asked)."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        netloc += f":{parts.port}"
    path = _PATH_SESSION.sub("", parts.path) or "/"
    query = parts.query
    if query and any(_dropped(k, v) for k, v in parse_qsl(query, True)):
        query = urlencode([(k, v) for k, v in parse_qsl(query, True) if not _dropped(k, v)],
                          safe="/:,")
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def url_key(url: str) -> str:
    """What makes two links the same page: the canonical URL, ``index.html`` and the
    directory being one. An app's route (``#/detail?id=7``) is a page of its own."""
    parts = urlsplit(canonical_url(url))
    path = _INDEX_FILE.sub("/", parts.path)
    route = hash_route(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")) + \
        (f"#{route}" if route else "")


def app_address(url: str, fragment: str) -> str:
    """Where a reader goes: ``url``, with the fragment when it is an app's route
    (``#/detail?id=7``); a fragment that only names a part of the page is left off."""
    return f"{url}#{fragment}" if hash_route(f"#{fragment}") else url


def hash_route(href: str) -> str:
    """The route of a link into a single-page app (``#/zwgk/ndbg``, ``#!/list``), or ""."""
    fragment = href.partition("#")[2]
    return fragment if fragment.startswith(("/", "!/")) and fragment.strip("!/") else ""


def document_url(url: str) -> str:
    """The document a viewer shows (``/pdfjs/web/viewer.html?file=/x/2023.pdf`` →
    ``/x/2023.pdf``), else ``url`` itself. Download scripts that take a file *name*
    (``downfile.jsp?filename=2023.pdf``) are the document's own URL."""
    parts = urlsplit(url)
    if attachment_type(urlunsplit(parts._replace(query=""))):
        return url
    for key, value in parse_qsl(parts.query):
        if key.lower() in _VIEWER_KEYS and "/" in value and attachment_type(value):
            return urljoin(url, value)
    return url


def attachment_type(url: str) -> str | None:
    """``pdf``, ``docx``... for a document link, by its path or a ``filename=`` parameter
    (download scripts such as Hanweb's ``downfile.jsp?filename=...pdf``)."""
    parts = urlsplit(url)
    ext = splitext(unquote(parts.path))[1].lower()
    if ext in ATTACHMENT_TYPES:
        return ATTACHMENT_TYPES[ext]
    for key, value in parse_qsl(parts.query):
        if key in _FILENAME_KEYS:
            ext = splitext(value)[1].lower()
            if ext in ATTACHMENT_TYPES:
                return ATTACHMENT_TYPES[ext]
    return None


def trap_reason(url: str) -> str | None:
    """Why ``url`` looks like an endless URL space (calendars, repeated paths...), or None."""
    parts = urlsplit(url)
    if len(url) > 512:
        return "URL longer than 512 characters"
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > 12:
        return "path deeper than 12 segments"
    for size in (1, 2, 3):
        chunks = ["/".join(segments[i:i + size]) for i in range(0, len(segments) - size + 1)]
        for i in range(len(chunks) - 2 * size):
            if chunks[i] == chunks[i + size] == chunks[i + 2 * size] and not chunks[i].isdigit():
                return f"path repeats {chunks[i]!r}"
    if _CALENDAR_PATH.search(parts.path):
        return "calendar-like path"
    params = parse_qsl(parts.query, True)
    if len(params) > 10:
        return "more than 10 query parameters"
    if any(_DATE_VALUE.match(v) or (k.lower() in _CALENDAR_KEYS and v.isdigit())
           for k, v in params):
        return "calendar-like query"
    return None
