"""The Scrapy project: spiders, items, pipelines, middlewares and extensions."""

__version__ = "0.1.0"
