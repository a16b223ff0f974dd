"""Scrapy's HTTP/1.1 download handler, keeping the status line's reason phrase.

A WARC response record holds the status line as received ("HTTP/1.1 200 OK",
or whatever reason the server wrote). Scrapy's ``Response`` has no place for the
reason phrase and its handler drops it with Twisted's response object; this
handler copies it into ``request.meta[crawler.meta.HTTP_REASON]`` (bytes) before that
happens. Everything else is Scrapy's own handler: the agent below differs from
Scrapy's only by that one line, and the handler only by building that agent and
by sending a request only when the crawl's ``ResponseBudget`` has room.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers import http11
from scrapy.exceptions import ResponseDataLossError
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future

from ..meta import HTTP_REASON
from .budget import ResponseBudget

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

__all__ = ["HTTP11DownloadHandler"]

logger = logging.getLogger(__name__)


class _ReasonKeepingAgent(http11._ScrapyAgent):
    def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
        request.meta[HTTP_REASON] = txresponse.phrase
        return super()._cb_bodyready(txresponse, request)


class HTTP11DownloadHandler(http11.HTTP11DownloadHandler):
    async def download_request(self, request: Request) -> Response:
        budget = ResponseBudget.of(self._crawler)
        await budget.admit()
        answered = False
        try:
            response = await self._download(request)
            answered = True
            return response
        finally:
            budget.done(request, answered)

    async def _download(self, request: Request) -> Response:
        agent = _ReasonKeepingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise
