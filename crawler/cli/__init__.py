"""``gov-archive``: one command for the researcher's whole path.

    gov-archive crawl --province 浙江 -O var/zj/items.jsonl   # find and archive the reports
    gov-archive status var/zj/items.jsonl                      # how far it is, while it runs
    gov-archive verify var/warc                                # the WARCs are whole
    gov-archive build var/zj/items.jsonl                       # the SQLite dataset
    gov-archive search 行政复议                                 # reports that say it
    gov-archive explore | audit | replay | get | wacz

Each subcommand is the project's own tool under one name: ``scrapy crawl disclosure``,
``python -m archive``, ``python -m crawler.dataset``, their parsers and functions
reused, never copied. It lives in the crawler package, as ``crawl`` needs Scrapy and
the archive library must not.
"""

from .main import main

__all__ = ["main"]
