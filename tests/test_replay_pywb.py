"""Replay in pywb: every archived URL comes back byte for byte through ``id_``.

pywb runs from its own environment (``.venv-pywb``, made by ``make install``),
on 127.0.0.1, over a collection made with ``wb-manager`` holding the demo crawl's
WARCs and the CDXJ index written by ``python -m archive index``.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT, fetch_direct
from tests.test_warc_capture import CHUNKED_PAGE, DOCX, GBK_PAGE, GZIP_PAGE, PDF, read_records

PYWB_BIN = ROOT / ".venv-pywb" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, method: str = "GET", body: bytes | None = None,
        headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers={"Accept-Encoding": "gzip", **(headers or {})})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


@contextmanager
def wayback_over(root, warcs):
    """pywb serving collection ``demo`` of ``warcs`` (indexed by ``python -m archive
    index``) on a free port of 127.0.0.1, until the block ends."""
    if not (PYWB_BIN / "wayback").exists():
        pytest.fail("pywb is not installed: run `make install` (it creates .venv-pywb)")
    subprocess.run([PYWB_BIN / "wb-manager", "init", "demo"], cwd=root, check=True,
                   capture_output=True)
    coll = root / "collections" / "demo"
    for warc in warcs:
        shutil.copy(warc, coll / "archive")
    subprocess.run([sys.executable, "-m", "archive", "index", str(coll / "archive"),
                    "-o", str(coll / "indexes" / "index.cdxj")], check=True)
    with wayback_in(root) as port:
        yield port


@contextmanager
def wayback_in(root):
    """pywb's ``wayback`` over the collections ``wb-manager`` made in ``root``, on a
    free port of 127.0.0.1, until the block ends; it must answer ``/demo/``."""
    port = free_port()
    with open(root / "wayback.log", "wb") as log:
        proc = subprocess.Popen([PYWB_BIN / "wayback", "--bind", "127.0.0.1", "-p", str(port)],
                                cwd=root, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_serving(port, proc, root / "wayback.log")
            yield port
        finally:
            proc.terminate()
            proc.wait(10)


@pytest.fixture(scope="module")
def wayback(demo_crawl, tmp_path_factory):
    with wayback_over(tmp_path_factory.mktemp("pywb"), demo_crawl.warcs) as port:
        yield port


def _wait_until_serving(port: int, proc: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, "/demo/").status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            pytest.fail(f"wayback did not start: {log.read_text()}")
        time.sleep(0.2)


def test_every_archived_url_replays_byte_for_byte(wayback, demo_crawl):
    records = read_records(demo_crawl.warcs)
    # Replay by GET: POSTed list-API answers are indexed under their bodies, not here.
    methods = {r[2].get_header("WARC-Concurrent-To"): r[3].protocol for r in records
               if r[1] == "request"}
    urls = {r[2].get_header("WARC-Target-URI") for r in records
            if r[1] == "response" and methods[r[2].get_header("WARC-Record-ID")] == "GET"}
    assert {GZIP_PAGE, CHUNKED_PAGE, GBK_PAGE, PDF, DOCX} <= urls
    for url in sorted(urls):
        replayed = get(wayback, f"/demo/id_/{url}")
        # pywb answers near misses by fuzzy matching; insist on this very URL.
        assert f'<{url}>; rel="original"' in replayed.getheader("Link", ""), url
        sent = fetch_direct(demo_crawl.web, url, {"Accept-Encoding": "gzip, deflate"})
        assert replayed.status == sent.status, url
        assert replayed.body == sent.body, url
        assert replayed.getheader("Content-Encoding") == sent.getheader("Content-Encoding"), url


def posted_captures(records) -> dict[tuple[str, bytes, str], tuple]:
    """The last response to each distinct POST (URL, body, Content-Type) of the crawl."""
    responses = {r[2].get_header("WARC-Record-ID"): r for r in records if r[1] == "response"}
    found = {}
    for _, kind, headers, request, body in records:
        if kind == "request" and request.protocol == "POST":
            key = (headers.get_header("WARC-Target-URI"), body, request.get_header("Content-Type"))
            found[key] = responses[headers.get_header("WARC-Concurrent-To")]
    return found


def test_posted_list_pages_replay(wayback, demo_crawl):
    """Hanweb dataproxy forms and site-group JSON: pywb finds a POST's answer by its body,
    which the index must carry (``post_append``)."""
    captures = posted_captures(read_records(demo_crawl.warcs))
    paths = {urlsplit(url).path for url, _, _ in captures}
    assert {"/module/jpage/dataproxy.jsp", "/irs/front/list"} <= paths
    for (url, body, content_type), response in captures.items():
        replayed = get(wayback, f"/demo/id_/{url}", "POST", body, {"Content-Type": content_type})
        assert replayed.status == int(response[3].get_statuscode()), (url, body)
        assert replayed.body == response[4], (url, body)
