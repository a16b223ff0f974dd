"""Refuse to connect to private, loopback, link-local and reserved addresses.

A hostile or broken page can point a crawler at the machine it runs on or at
its network (``http://127.0.0.1:...``, ``http://10.0.0.1/``, a name resolving to
one). Runs after ``HttpProxyMiddleware``: through a proxy only literal addresses
in the URL are checked (the proxy resolves names, and a proxy on 127.0.0.1 is
how the demo web is reached); without one, the host name is resolved first.

Settings: ``ALLOW_PRIVATE_ADDRESSES`` (default False).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.threads import deferToThread

from ..exceptions import PrivateAddress

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["PrivateAddressMiddleware", "is_private"]

logger = logging.getLogger(__name__)


def is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_multicast or ip.is_unspecified)


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


class PrivateAddressMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self._resolved: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        if crawler.settings.getbool("ALLOW_PRIVATE_ADDRESSES"):
            raise NotConfigured("ALLOW_PRIVATE_ADDRESSES is on")
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        literal = _literal(host)
        if literal is not None:
            addresses = [literal]
        elif request.meta.get("proxy"):
            return
        else:
            addresses = await self._resolve(host)
        bad = [a for a in addresses if is_private(a)]
        if bad:
            self.stats.inc_value("scope/private_address")
            logger.warning("Refusing %s: %s is a private/loopback/link-local address "
                           "(set ALLOW_PRIVATE_ADDRESSES to allow)", request.url, bad[0])
            raise PrivateAddress(f"{host} resolves to private address {bad[0]}")

    async def _resolve(self, host: str) -> list[str]:
        if host not in self._resolved:
            try:
                lookup = deferToThread(socket.getaddrinfo, host, None)
                infos = await maybe_deferred_to_future(lookup)
            except OSError:
                return []  # the download will fail with the DNS error itself
            self._resolved[host] = sorted({str(info[4][0]) for info in infos})
        return self._resolved[host]
