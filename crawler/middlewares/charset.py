"""Pages read in the charset their bytes are in.

Scrapy decodes a page by its ``Content-Type`` charset, else its meta tag, else a
guess; a charset no decoder knows (``x-nonexistent-9``) or one the bytes are not in
(a UTF-8 header on GBK bytes) turns a report's title into mojibake, and the page
stops being a report for the discovery rules. Here each HTML page's charset is
decided as the extractor decides it (``crawler.extract.encoding.read_encoding``:
what the page says, passed over when unknown or wrong, then UTF-8, GB18030); a page
read otherwise than it says is re-made with that encoding, flagged ``charset <name>``,
and noted in its agency's account with the URL. The item's ``encoding`` and
``warnings`` say the same (the extractor reads the bytes alike).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse

from ..agencies import CrawlAgencies
from ..extract.encoding import read_encoding
from ..meta import AGENCY

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["CharsetMiddleware"]

logger = logging.getLogger(__name__)


class CharsetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.agencies = CrawlAgencies.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        if not crawler.settings.getbool("CHARSET_CHECK"):
            raise NotConfigured("CHARSET_CHECK is off")
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or not response.body:
            return response
        header = _header_charset(response)
        name, warnings = read_encoding(response.body, header)
        if not warnings:
            return response
        logger.warning("%s: %s", response.url, "; ".join(warnings))
        account = self.agencies.account_of(request.meta.get(AGENCY))
        if account is not None:
            account.note(f"charset read as {name}", response.url)
        return response.replace(encoding=name, flags=[*response.flags, f"charset {name}"])


def _header_charset(response: Response) -> str | None:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
