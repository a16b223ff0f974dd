"""A real HTTP server on 127.0.0.1 answering every path with an HTML page, for tests
that crawl many small pages with their own spider (budget, disk queue, parsed pages).
The demo web (``tests.demoweb``) is for crawls of agencies' sites."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def title_page(path: str) -> bytes:
    return f"<html><title>{path}</title></html>".encode()


@contextmanager
def page_server(page: Callable[[str], bytes] = title_page
                ) -> Iterator[tuple[ThreadingHTTPServer, Counter[str]]]:
    """The server, and how many times each path was asked for."""
    fetched: Counter[str] = Counter()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            fetched[self.path] += 1
            body = page(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server, fetched
    finally:
        server.shutdown()
        server.server_close()
