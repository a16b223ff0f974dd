"""Scrapy's decompression, saying when a compressed body was cut short.

Scrapy's ``gunzip`` returns "as much data as possible": a gzip stream cut in the
middle, with a ``Content-Length`` that matches the cut (so no ``dataloss`` flag),
becomes a short page without a word. Here such a response carries the flag
``compressed body cut short`` (``crawler.reports.cut_reason`` reads it: the item
says ``partial``, the agency's account counts it). A body over ``DOWNLOAD_MAXSIZE``
once decompressed is refused as ``crawler.exceptions.TooLarge``, named like any
other download too large.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.httpcompression import (
    HttpCompressionMiddleware as _HttpCompression,
)
from scrapy.exceptions import IgnoreRequest

from ..exceptions import TooLarge

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

__all__ = ["CUT", "HttpCompressionMiddleware", "stream_complete"]

CUT = "compressed body cut short"
_WBITS = {b"gzip": 31, b"x-gzip": 31, b"deflate": 15}
_STEP = 1 << 20


def stream_complete(body: bytes, encoding: bytes, max_size: int = 0) -> bool | None:
    """Does ``body`` hold a whole gzip or zlib stream? None for codings not checked
    (``br``, ``zstd``, a raw deflate), and past ``max_size`` bytes inflated (a bomb):
    Scrapy's decoder has the last word there."""
    wbits = _WBITS.get(encoding.strip().lower())
    if wbits is None or not body:
        return None
    decoder, inflated = zlib.decompressobj(wbits), 0
    try:
        data = decoder.decompress(body, _STEP)
        while data and not decoder.eof:  # read through, holding a megabyte at a time
            inflated += len(data)
            if max_size and inflated > max_size:
                return None
            data = decoder.decompress(decoder.unconsumed_tail, _STEP)
    except zlib.error:
        return None if encoding.strip().lower() == b"deflate" else False
    return decoder.eof


class HttpCompressionMiddleware(_HttpCompression):
    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        codings = response.headers.getlist("Content-Encoding")
        limit = request.meta.get("download_maxsize", self._max_size)
        if codings and request.method != "HEAD" and \
                stream_complete(response.body, codings[-1], limit) is False:
            response.flags.append(CUT)
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            if type(exc) is IgnoreRequest:  # Scrapy's "exceeded DOWNLOAD_MAXSIZE"
                raise TooLarge(str(exc)) from exc
            raise
