"""Scrapy's redirect middlewares, saying "too many redirects" by type.

Past ``REDIRECT_MAX_TIMES`` Scrapy drops the request with a bare ``IgnoreRequest``
and a debug line: a report behind a long redirect chain would be lost unsaid. Here
that refusal is ``crawler.exceptions.TooManyRedirects``, which the agency's account
counts and names. (A loop, A -> B -> A, never gets that far: the second A is a
duplicate, which ``crawler.extensions.accounts`` names ``redirect loop``.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as _MetaRefresh
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as _Redirect
from scrapy.exceptions import IgnoreRequest

from ..exceptions import TooManyRedirects

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

__all__ = ["MetaRefreshMiddleware", "RedirectMiddleware"]


def _named(process: Any, request: Request, response: Response) -> Request | Response:
    try:
        result: Request | Response = process(request, response)
    except IgnoreRequest as exc:
        if type(exc) is IgnoreRequest:  # Scrapy's "max redirections reached"
            raise TooManyRedirects(f"{request.url}: more than "
                                   f"{request.meta.get('redirect_times', 0)} redirects") from exc
        raise
    return result


class RedirectMiddleware(_Redirect):
    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        return _named(super().process_response, request, response)


class MetaRefreshMiddleware(_MetaRefresh):
    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        return _named(super().process_response, request, response)
