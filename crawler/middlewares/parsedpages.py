"""A page's parsed tree is freed as soon as its callback is done with it.

Scrapy's ``TextResponse`` keeps its ``Selector`` (``response.selector``), and the
``Selector`` keeps its response (``selector.response``): a reference cycle, so a
parsed page outlives its callback until Python's cyclic collector finds it. Its
lxml tree, about 17 times the page's size, lives in libxml2's own memory, which
the collector does not count; and with the hundreds of thousands of objects a
national crawl holds, its full collections are rare. On the national bench
(``bench/national.py``) dead pages held up to 150 MiB of heap between collections,
the crawl's largest swing in memory. Ending the cycle once the spider's output is
all out lets reference counting free the tree with its response.

The middleware sits next to the engine (Scrapy calls ``process_spider_output``
of the lowest order last), so every other middleware has seen the output first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.http import Response

__all__ = ["FreeParsedPagesMiddleware", "free_parsed_page"]


def free_parsed_page(response: Response | None) -> None:
    """End the response <-> selector cycle (the selector stays usable: its tree is
    its own, only the way back to the response goes)."""
    selector = getattr(response, "_cached_selector", None)  # set by response.selector
    if selector is not None:
        selector.response = None


class FreeParsedPagesMiddleware:
    def process_spider_output(self, response: Response | None, result: Iterable[Any],
                              spider: Any = None) -> Iterator[Any]:
        try:
            yield from result
        finally:
            free_parsed_page(response)

    async def process_spider_output_async(self, response: Response | None,
                                          result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        try:
            async for output in result:
                yield output
        finally:
            free_parsed_page(response)
