"""``crawler.middlewares.revisits`` on a real crawl state and WARC file: validators only
for the URL they belong to, a 304 read back from its record, and an unreadable record
asked for again rather than losing the report."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.http import Response

from archive import WarcWriter
from archive.state import CrawlState, Stored
from crawler.meta import CONDITIONAL, DONT_REVISIT, PREVIOUS, WARC_RECORD
from crawler.middlewares.revisits import RevisitMiddleware
from tests.conftest import project_crawler
from tests.test_archive_writer import exchange

URL = "http://a.gov.cn/r.html"
PAGE = b"<html><title>2024 report</title></html>"


def archived(tmp_path, url=URL, offset_shift=0):
    """A collection holding ``url`` and a crawl state that names its record."""
    writer = WarcWriter(tmp_path / "warc", "first")
    at = writer.write_exchange(exchange(url=url, body=PAGE, response_headers=[
        (b"Content-Type", [b"text/html"]), (b"Set-Cookie", [b"sid=old"]),
        (b"ETag", [b'"v1"'])])).location
    writer.close()
    state = CrawlState(tmp_path / "warc" / "crawl-state.sqlite")
    state.put(Stored(url, 200, '"v1"', "Mon, 01 Jan 2024 00:00:00 GMT", at.payload_digest,
                     at.filename, at.offset + offset_shift, at.length, at.record_id, at.date,
                     at.date))
    state.close()
    crawler = project_crawler(WARC_DIR=str(tmp_path / "warc"))
    return RevisitMiddleware.from_crawler(crawler), at


def test_validators_belong_to_their_own_url(tmp_path):
    middleware, _ = archived(tmp_path)
    request = Request(URL)
    middleware.process_request(request)
    assert request.headers[b"If-None-Match"] == b'"v1"' and request.meta[CONDITIONAL]
    redirected = request.replace(url="http://a.gov.cn/elsewhere.html")  # meta, headers copied
    middleware.process_request(redirected)
    assert b"If-None-Match" not in redirected.headers and b"If-Modified-Since" not in \
        redirected.headers
    assert PREVIOUS not in redirected.meta and CONDITIONAL not in redirected.meta
    posted = Request(URL, method="POST", body=b"page=2")
    middleware.process_request(posted)
    assert b"If-None-Match" not in posted.headers


def test_a_304_goes_on_as_the_archived_response_with_the_304s_cookies(tmp_path):
    middleware, at = archived(tmp_path)
    request = Request(URL)
    middleware.process_request(request)
    fresh = Response(URL, status=304, headers={"Set-Cookie": "sid=new", "ETag": '"v1"'},
                     request=request)
    response = asyncio.run(middleware.process_response(request, fresh))
    assert (response.status, response.body) == (200, PAGE)
    assert response.headers.getlist("Set-Cookie") == [b"sid=new"]  # not the archived one
    assert response.headers["Content-Type"] == b"text/html" and "not modified" in response.flags
    assert asyncio.run(request.meta[WARC_RECORD].payload()) == at  # where the payload is


def test_a_304_nobody_asked_for_is_an_answer_like_any_other(tmp_path):
    middleware, _ = archived(tmp_path)
    request = Request(URL, meta={DONT_REVISIT: True})
    middleware.process_request(request)
    bare = Response(URL, status=304, request=request)
    assert asyncio.run(middleware.process_response(request, bare)) is bare


def test_an_unreadable_original_is_forgotten_and_asked_for_again(tmp_path):
    middleware, _ = archived(tmp_path, offset_shift=7)  # the state names no record there
    request = Request(URL)
    middleware.process_request(request)
    again = asyncio.run(middleware.process_response(request, Response(URL, status=304,
                                                                      request=request)))
    assert isinstance(again, Request) and again.dont_filter and again.meta[DONT_REVISIT]
    middleware.process_request(again)
    assert b"If-None-Match" not in again.headers  # unconditionally this time
    assert middleware.state.get(URL) is None
