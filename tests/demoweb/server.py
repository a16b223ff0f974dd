"""The demo web: agency sites served on 127.0.0.1 by one HTTP/1.1 server.

The server answers proxy-style requests (``GET http://gdj.zj.gov.cn/... HTTP/1.1``)
by host, so a crawl run with ``http_proxy=http://127.0.0.1:PORT`` records the
agencies' real URLs. Each site is data: ``sites/<host>/site.yaml`` says how it
serves (charset, extra headers, per-path behaviour) and ``sites/<host>/htdocs/``
holds the files (text written in UTF-8 and served in the site's charset).
Per-path behaviours (``routes`` in site.yaml; a key starting with ``^`` is a regex):

    gzip: true          gzip the body when the client accepts it
    chunked: true       Transfer-Encoding: chunked
    status: 500         answer this status ...
    times: 1            ... for the first N requests only, then normally
    location: /path     Location header (with a 3xx status)
    reason: Fine        reason phrase of the status line
    headers: {Name: value | [value, value]}
    body: text          body instead of a file
    encoding: gbk       charset for this path only
    content_type: ...   instead of the guess from the extension
    handler: NAME       a generator from ``handlers.py`` (list APIs, traps)
    cut_at: 1200        send the headers with the whole body's Content-Length, then only
                        the first 1200 bytes of the body (``"30%"``: that share of it, as
                        sent: gzipped, chunked), then close the connection (FIN)
    reset: true         ... and close it with a TCP RST instead (SO_LINGER 0): a server
                        that died mid-body; alone, the RST comes after the headers

Options the first sites did not need; without them every answer is as before:

    gzip: always        gzip the body for every client, whether it accepts gzip or not
    deflate: true       ``Content-Encoding: deflate`` (a zlib stream) when the client
                        accepts deflate; ``deflate: raw``: a bare deflate stream (RFC 1951,
                        no zlib header), as old IIS servers sent
    chunk_size: 1024    the size of the chunks of a ``chunked`` body (default 4096); with
                        ``cut_at`` a cut can then fall exactly after a chunk (no last chunk)
    close_delimited: true  neither Content-Length nor chunks: ``Connection: close`` and
                        the body ends when the connection does (HTTP/1.0 style); with
                        ``cut_at`` a truncated body looks complete on the wire

Like most agency servers, every site answers GETs with validators and honours
conditional requests (``304 Not Modified``): an ``ETag`` (a hash of the body) and a
``Last-Modified``; ``conditional: last-modified`` in site.yaml sends only the
latter, ``conditional: none`` neither (so a recrawl gets the whole body again).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
import socket
import string
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .catalog import Column, Report, build_catalog

SITES_DIR = Path(__file__).with_name("sites")
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
Handler = Callable[["Site", "Request", dict[str, Any]], "Reply"]


@dataclass
class Request:
    method: str
    host: str
    path: str
    query: str
    headers: Any
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    reason: str | None = None
    gzip: bool = False
    chunked: bool = False
    cut_at: int | str | None = None  # body bytes sent before hanging up ("30%": that share)
    reset: bool = False  # hang up with a TCP RST (after ``cut_at`` bytes, else the headers)
    deflate: str = ""  # "zlib" | "raw": Content-Encoding: deflate
    chunk_size: int = 4096  # of a chunked body
    close_delimited: bool = False  # no length: the body ends with the connection


@dataclass
class Site:
    host: str
    root: Path | None = None
    encoding: str = "utf-8"
    headers: dict[str, Any] = field(default_factory=dict)
    routes: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # in-memory pages (benchmarks)
    meta: dict[str, Any] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)
    columns: dict[str, Column] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path, host: str | None = None) -> Site:
        """The site in ``directory``, served under ``host`` when given (benchmarks clone
        one site under many host names), else the one its ``site.yaml`` names."""
        config = yaml.safe_load((directory / "site.yaml").read_text("utf-8")) or {}
        host = host or config.pop("host", directory.name)
        config.pop("host", None)
        reports, columns, routes = build_catalog(config.get("name", host), host, config)
        for path, options in (config.pop("routes", {}) or {}).items():
            routes[path] = {**routes.get(path, {}), **options}
        return cls(host=host, root=directory / "htdocs", encoding=config.pop("encoding", "utf-8"),
                   headers=config.pop("headers", {}) or {}, routes=routes, meta=config,
                   reports=reports, columns={c.path: c for c in columns})

    def report_urls(self) -> dict[str, Report]:
        """Every report this site publishes (page or document), by URL."""
        return {f"http://{self.host}{r.path}": r for r in self.reports}

    def route(self, path: str, query: str = "") -> dict[str, Any]:
        if query and f"{path}?{query}" in self.routes:
            return self.routes[f"{path}?{query}"]
        for candidate in (path, path + "index.html" if path.endswith("/") else None):
            if candidate in self.routes:
                return self.routes[candidate]
        for key, options in self.routes.items():
            if key.startswith("^") and re.search(key, path):
                return options
        return {}

    def read(self, path: str) -> bytes | None:
        if path in self.files:
            return self.files[path]
        if self.root is None:
            return None
        relative = path.lstrip("/")
        if any(part.startswith("_") for part in relative.split("/")):
            return None  # _templates/ and the like are not part of the site
        if not relative or relative.endswith("/"):
            relative += "index.html"
        candidate = (self.root / relative).resolve()
        if self.root.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return candidate.read_bytes()


    def template(self, name: str) -> string.Template:
        assert self.root is not None, f"{self.host} has no htdocs for templates"
        return string.Template((self.root / "_templates" / name).read_text("utf-8"))


def load_sites(directory: Path = SITES_DIR) -> dict[str, Site]:
    return {site.host: site for site in
            (Site.load(d) for d in sorted(directory.iterdir()) if (d / "site.yaml").is_file())}


@dataclass
class LogEntry:
    method: str
    url: str
    status: int
    headers: dict[str, str]
    time: float = 0.0
    body: bytes = b""


class DemoWeb(ThreadingHTTPServer):
    """``with DemoWeb() as web: ... web.proxy_url ...``: serves until the block ends."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, sites: dict[str, Site] | None = None, port: int = 0,
                 handlers: dict[str, Handler] | None = None) -> None:
        from . import handlers as builtin

        self.sites = load_sites() if sites is None else sites
        self.handlers = dict(builtin.HANDLERS, **(handlers or {}))
        self.log: list[LogEntry] = []
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        super().__init__(("127.0.0.1", port), _RequestHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> DemoWeb:
        self._thread = threading.Thread(target=self.serve_forever, name="demoweb", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a killed crawl, a cancelled download) is no server error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def count(self, host: str, key: str) -> int:
        """How many times ``key`` on ``host`` was asked for before (thread-safe)."""
        with self._lock:
            n = self._counts.get((host, key), 0)
            self._counts[(host, key)] = n + 1
            return n

    def urls(self, method: str | None = None) -> list[str]:
        return [e.url for e in self.log if method is None or e.method == method]

    def reply(self, request: Request) -> Reply:
        site = self.sites.get(request.host)
        if site is None:
            return Reply(502, f"demoweb: no site {request.host!r}\n".encode(),
                         [("Content-Type", "text/plain; charset=utf-8")])
        return build_reply(self, site, request)


def build_reply(web: DemoWeb, site: Site, request: Request) -> Reply:
    options = site.route(request.path, request.query)
    if "times" in options and web.count(site.host, request.path) >= options["times"]:
        options = {k: v for k, v in options.items()
                   if k not in ("status", "headers", "reason", "body", "location", "times",
                                "cut_at", "reset")}
    if options.get("status", 200) >= 300 and "body" not in options:
        reply = _error_reply(int(options["status"]))
    elif "handler" in options:
        reply = web.handlers[options["handler"]](site, request, options)
    else:
        reply = _static_reply(site, request, options)
    headers = dict(site.headers, **options.get("headers", {}))
    for name, value in headers.items():
        for item in value if isinstance(value, list) else [value]:
            reply.headers.append((name, str(item)))
    if "location" in options:
        reply.headers.append(("Location", options["location"]))
    reply.reason = options.get("reason", reply.reason)
    accepted = request.headers.get("Accept-Encoding", "")
    reply.gzip = options.get("gzip") == "always" or (bool(options.get("gzip"))
                                                     and "gzip" in accepted)
    if options.get("deflate") and "deflate" in accepted and not reply.gzip:
        reply.deflate = "raw" if options["deflate"] == "raw" else "zlib"
    reply.chunked = bool(options.get("chunked"))
    reply.chunk_size = int(options.get("chunk_size", reply.chunk_size))
    reply.close_delimited = bool(options.get("close_delimited", reply.close_delimited))
    reply.cut_at = options.get("cut_at", reply.cut_at)
    reply.reset = bool(options.get("reset", reply.reset))
    return reply


def _error_reply(status: int) -> Reply:
    """What a server answers for a redirect or an error it was told to give."""
    text = f"<html><body><h1>{status} {_phrase(status)}</h1></body></html>"
    return Reply(status, text.encode(), [("Content-Type", "text/html; charset=utf-8")])


def _static_reply(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    status = options.get("status", 200)
    if "body" in options:
        data: bytes | None = str(options["body"]).encode("utf-8")
    else:
        data = site.read(request.path)
    if data is None:
        status = 404 if status == 200 else status
        data = b"<html><body><h1>404 Not Found</h1></body></html>"
    content_type = options.get("content_type") or _guess_type(request.path)
    encoding = options.get("encoding", site.encoding)
    if content_type.startswith(TEXT_TYPES) and "charset" not in content_type:
        content_type += f"; charset={encoding}"
        if encoding.lower() not in ("utf-8", "utf8"):
            data = data.decode("utf-8").encode(encoding)
    reply = Reply(status, data, [("Content-Type", content_type)])
    if status == 200:
        etag = f'"{hashlib.sha1(data).hexdigest()[:16]}"'
        reply.headers.append(("ETag", etag))
        if request.headers.get("If-None-Match") == etag:
            return Reply(304, b"", [("ETag", etag)])
    return reply


def _guess_type(path: str) -> str:
    if path.endswith("/") or "." not in path.rsplit("/", 1)[-1]:
        return "text/html"
    if path.endswith((".shtml", ".jsp", ".htm", ".jhtml")):
        return "text/html"
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: DemoWeb

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle()

    do_POST = do_HEAD = do_GET

    def do_CONNECT(self) -> None:  # noqa: N802 - a client's HTTPS through the proxy
        """Logged (so tests see every host a crawl tried) and refused: no TLS here."""
        with self.server._lock:
            self.server.log.append(LogEntry("CONNECT", f"https://{self.path}", 403,
                                            dict(self.headers), time.monotonic()))
        self._send(Reply(403, b"demoweb: no HTTPS tunnels\n",
                         [("Content-Type", "text/plain; charset=utf-8")]))

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the log list tells
        pass

    def version_string(self) -> str:
        return getattr(self, "_server_header", "demoweb")

    def _handle(self) -> None:
        arrived = time.monotonic()  # logged as the request's time: rendering takes a while
        target = self.path
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            host, url = parts.netloc.lower(), target
        else:
            parts = urlsplit(target)
            host = (self.headers.get("Host") or "").lower()
            url = f"http://{host}{target}"
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, host.split(":")[0] if host.endswith(":80") else host,
                          parts.path or "/", parts.query, self.headers, body)
        reply = validated(self.server.sites.get(request.host), request, self.server.reply(request))
        with self.server._lock:
            self.server.log.append(LogEntry(self.command, url, reply.status, dict(self.headers),
                                            arrived, body))
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        body = reply.body
        if reply.gzip and body:
            body = gzip.compress(body, mtime=0)
            reply.headers.append(("Content-Encoding", "gzip"))
            reply.headers.append(("Vary", "Accept-Encoding"))
        elif reply.deflate and body:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15 if reply.deflate == "raw" else 15)
            body = packer.compress(body) + packer.flush()
            reply.headers.append(("Content-Encoding", "deflate"))
            reply.headers.append(("Vary", "Accept-Encoding"))
        server = [v for n, v in reply.headers if n.lower() == "server"]
        self._server_header = server[0] if server else "demoweb"
        self.send_response(reply.status, reply.reason or _phrase(reply.status))
        for name, value in reply.headers:
            if name.lower() != "server":
                self.send_header(name, value)
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.close_delimited:
            self.send_header("Connection", "close")  # sets close_connection
        elif reply.status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD" or reply.status in (204, 304):
            return
        if reply.cut_at is not None or reply.reset:
            self._hang_up(reply, body)
            return
        if reply.chunked:
            size = reply.chunk_size
            for start in range(0, len(body), size):
                chunk = body[start:start + size]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)

    def _hang_up(self, reply: Reply, body: bytes) -> None:
        """Send the first ``reply.cut_at`` bytes of the body as it would go on the wire,
        then close the connection: cleanly (FIN), or with an RST when ``reply.reset``."""
        if reply.chunked:
            body = _chunks(body, reply.chunk_size)
        self.wfile.write(body[:_cut_length(reply.cut_at, len(body))])
        self.wfile.flush()
        self.close_connection = True
        if reply.reset:
            # Linger 0: close() drops the connection with an RST. The reader made from
            # the socket holds it open, so it goes first; the server's own shutdown of
            # the (then closed) socket afterwards fails quietly.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.rfile.close()
            self.connection.close()


def _chunks(body: bytes, size: int = 4096) -> bytes:
    """``body`` in the chunked transfer coding: ``size``-byte chunks, then the last chunk."""
    return b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size])
                    for i in range(0, len(body), size)) + b"0\r\n\r\n"


def _cut_length(cut_at: int | str | None, size: int) -> int:
    """Bytes of a ``size``-byte body sent before hanging up: ``cut_at`` bytes, or
    ``"N%"`` of them; none when None (a reset right after the headers)."""
    if cut_at is None:
        return 0
    if isinstance(cut_at, str) and cut_at.endswith("%"):
        return min(size, int(size * float(cut_at[:-1]) / 100))
    return min(size, int(cut_at))


_EPOCH = 1704067200  # 2024-01-01: a body's Last-Modified is this plus a hash of it


def validated(site: Site | None, request: Request, reply: Reply) -> Reply:
    """A 200 GET answer with its validators, or ``304`` to a request whose
    ``If-None-Match`` (else ``If-Modified-Since``) matches them."""
    mode = site.meta.get("conditional", "etag") if site else "none"
    if request.method != "GET" or reply.status != 200 or mode == "none":
        return reply
    digest = hashlib.sha1(reply.body).hexdigest()
    modified = time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                             time.gmtime(_EPOCH + int(digest[:5], 16)))
    validators = [("Last-Modified", modified)]
    if mode == "etag":
        validators.insert(0, ("ETag", f'"{digest[:16]}"'))
    tag = request.headers.get("If-None-Match")
    since = request.headers.get("If-Modified-Since")
    if (tag == f'"{digest[:16]}"' and mode == "etag") or (tag is None and since == modified):
        return Reply(304, b"", validators)
    reply.headers += validators
    return reply


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


__all__ = ["DemoWeb", "LogEntry", "Reply", "Request", "Site", "load_sites"]
