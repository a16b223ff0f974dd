"""What a browser showed of a page, as WARC records of their own.

A page a browser rendered is archived twice over: every request the browser made and
its response (ordinary request/response records, written as any fetch is), and what it
showed: the DOM after scripts, and what the page did on load (where it navigated, which
popups it opened, which requests it made or was refused). Browser crawlers keep these
as records of their own beside the traffic (browsertrix-crawler's ``urn:text:`` and
``urn:pageinfo:`` records, brozzler's screenshots): a replay tool replays the traffic and
runs the page's scripts again; a re-extraction reads what the crawl read.

- a ``resource`` record, ``WARC-Target-URI: urn:dom:<page URL>``, ``text/html``: the DOM
  serialised (UTF-8), ``WARC-Refers-To`` the response record of the document it shows
  (which may be in an earlier file: a resumed run renders a page fetched before);
- a ``metadata`` record, ``urn:pageinfo:<page URL>``, ``application/json``: the final URL,
  its status, why it was rendered, the navigations, popups and requests of the page,
  ``WARC-Concurrent-To`` the DOM record.

The ``urn:`` target keeps replay tools from answering the page's own URL with its DOM
(pywb would otherwise serve a page whose scripts have already run).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from .records import Record, _warc_head, make_record_id, sha1_digest, warc_date

__all__ = ["DOM_PREFIX", "INFO_PREFIX", "RenderedPage", "read_rendered", "rendered_records"]

DOM_PREFIX = "urn:dom:"
INFO_PREFIX = "urn:pageinfo:"


@dataclass(slots=True)
class RenderedPage:
    """One page as a browser showed it (``url``: the page asked for)."""

    url: str
    dom: str
    info: dict[str, Any]  # final_url, status, reason, navigations, popups, requests...
    refers_to: str | None = None  # the response record of the document it shows
    date: float = field(default_factory=time.time)
    response_id: str = field(default_factory=make_record_id)  # the DOM record's id
    info_id: str = field(default_factory=make_record_id)

    @property
    def body(self) -> bytes:  # what a writer's queue counts
        return self.dom.encode("utf-8")

    request_body = b""


def rendered_records(page: RenderedPage) -> tuple[Record, Record]:
    """The DOM record, then the page-info record that describes it."""
    date = warc_date(page.date)
    dom = page.dom.encode("utf-8")
    digest = sha1_digest(dom)
    dom_fields = [
        ("WARC-Type", "resource"),
        ("WARC-Record-ID", page.response_id),
        ("WARC-Date", date),
        ("WARC-Target-URI", DOM_PREFIX + page.url),
        ("WARC-Refers-To", page.refers_to),
        ("WARC-Payload-Digest", digest),
        ("WARC-Block-Digest", digest),
        ("Content-Type", "text/html; charset=utf-8"),
    ]
    info = json.dumps({"url": page.url, **page.info}, ensure_ascii=False,
                      sort_keys=True).encode("utf-8")
    info_fields = [
        ("WARC-Type", "metadata"),
        ("WARC-Record-ID", page.info_id),
        ("WARC-Date", date),
        ("WARC-Target-URI", INFO_PREFIX + page.url),
        ("WARC-Concurrent-To", page.response_id),
        ("WARC-Block-Digest", sha1_digest(info)),
        ("Content-Type", "application/json"),
    ]
    return (Record(page.response_id, "resource", _warc_head(dom_fields, dom), dom, digest, date),
            Record(page.info_id, "metadata", _warc_head(info_fields, info), info, None, date))


def read_rendered(path: str | Path, offset: int) -> tuple[str, dict[str, Any]]:
    """The DOM and the page info of the rendered page whose DOM record is at ``offset``
    (its info record follows it: they are written together)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        records = iter(ArchiveIterator(fh))
        dom_record = next(records, None)
        if dom_record is None or dom_record.rec_type != "resource":
            raise ValueError(f"no rendered page at {path}:{offset}")
        dom = dom_record.content_stream().read().decode("utf-8")
        info_record = next(records, None)
        if info_record is None or info_record.rec_type != "metadata":
            raise ValueError(f"the rendered page at {path}:{offset} has no page info")
        info = json.loads(info_record.content_stream().read())
    return dom, info
