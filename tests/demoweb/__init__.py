"""The demo web of agency sites that tests and ``make demo`` crawl on 127.0.0.1."""

from .server import DemoWeb, Site, load_sites

__all__ = ["DemoWeb", "Site", "load_sites"]
