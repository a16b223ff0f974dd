"""A User-Agent that names the project and how to reach its operators.

``USER_AGENT`` may hold ``{contact_url}``, filled from ``CONTACT_URL``, so an
operator changes only the contact: ``-s CONTACT_URL=https://example.org/crawler``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = ["ContactUserAgentMiddleware", "user_agent"]


def user_agent(settings: BaseSettings) -> str:
    template = settings.get("USER_AGENT") or ""
    contact = settings.get("CONTACT_URL") or ""
    if "{contact_url}" in template and not contact:
        raise ValueError("USER_AGENT mentions {contact_url} but CONTACT_URL is empty")
    return template.replace("{contact_url}", contact)


class ContactUserAgentMiddleware(UserAgentMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContactUserAgentMiddleware:
        return cls(user_agent(crawler.settings))
