"""Scrapy's robots.txt middleware, refusing with ``crawler.exceptions.RobotsRefused``.

Scrapy refuses a disallowed URL with a bare ``IgnoreRequest``; the crawl summary
counts refusals by type, so this subclass only changes the exception's type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest

from ..exceptions import RobotsRefused

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.robotstxt import RobotParser

__all__ = ["RobotsMiddleware"]


class RobotsMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except RobotsRefused:
            raise
        except IgnoreRequest as exc:
            raise RobotsRefused(str(exc)) from exc
