"""``scrapy crawl disclosure``: find and archive agencies' annual disclosure reports.

    scrapy crawl disclosure [-a registry=PATH] [-a agency=ID[,ID]] [-a province=NAME|CODE]
                            [-a years=2019-2024] [-O items.jsonl]
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from ..discovery import is_attachment_url, is_disclosure_link, is_report_title, report_year
from ..extensions.warc import META_KEY as WARC_META_KEY
from ..items import ReportItem
from ..registry import DEFAULT_REGISTRY, Agency, load_registry

_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)


def _parse_years(value: str | None) -> range | None:
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", value)
    if not match:
        raise ValueError(f"years must look like 2021 or 2019-2024, got {value!r}")
    start, end = int(match.group(1)), int(match.group(2) or match.group(1))
    return range(min(start, end), max(start, end) + 1)


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"

    def __init__(self, registry: str | None = None, agency: str | None = None,
                 province: str | None = None, years: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        agencies = load_registry(registry or DEFAULT_REGISTRY)
        if agency:
            wanted = {a.strip() for a in agency.split(",") if a.strip()}
            unknown = wanted - {a.id for a in agencies}
            if unknown:
                raise ValueError(f"unknown agency id(s): {', '.join(sorted(unknown))}")
            agencies = [a for a in agencies if a.id in wanted]
        if province:
            agencies = [a for a in agencies if province in (a.province, a.province_code)]
        if not agencies:
            raise ValueError("no agency matches the -a registry/agency/province arguments")
        self.agencies = {a.id: a for a in agencies}
        self.years = _parse_years(years)
        self.allowed_domains = sorted({d for a in agencies for d in a.allowed_domains})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for agency in self.agencies.values():
            yield scrapy.Request(agency.start_url, meta={"agency_id": agency.id})

    def parse(self, response: Response) -> Iterator[Any]:
        agency = self.agencies[response.meta["agency_id"]]
        if not isinstance(response, TextResponse):
            yield from self._attachment_item(response, agency)
            return
        title = self._title(response)
        is_report = is_report_title(title)
        if is_report and self._wanted_year(report_year(title)):
            yield self._report_item(response, agency, title)
        for url, text in self._links(response):
            if not agency.owns(url):
                continue
            if is_attachment_url(url):
                if is_report or is_report_title(text):
                    yield response.follow(url, meta={"agency_id": agency.id, "link_text": text})
            elif is_disclosure_link(text, url) or is_report_title(text):
                yield response.follow(url, meta={"agency_id": agency.id})

    def _wanted_year(self, year: int | None) -> bool:
        return self.years is None or year in self.years

    @staticmethod
    def _title(response: TextResponse) -> str:
        return (response.xpath('//meta[@name="ArticleTitle"]/@content').get()
                or response.xpath("//title/text()").get() or "").strip()

    @staticmethod
    def _links(response: TextResponse) -> Iterator[tuple[str, str]]:
        for a in response.xpath("//a[@href]"):
            text = " ".join(a.xpath("normalize-space(.)").getall() + a.xpath("@title").getall())
            yield response.urljoin(a.attrib["href"]), text
        # Hanweb columns keep their list records as CDATA inside <script type="text/xml">.
        for script in response.xpath('//script[@type="text/xml"]/text()').getall():
            for fragment in _CDATA.findall(script):
                for a in scrapy.Selector(text=fragment).xpath("//a[@href]"):
                    yield response.urljoin(a.attrib["href"]), a.xpath("normalize-space(.)").get()

    def _report_item(self, response: TextResponse, agency: Agency, title: str) -> ReportItem:
        attachments = [{"url": url, "filename": text} for url, text in self._links(response)
                       if is_attachment_url(url) and agency.owns(url)]
        return self._item(response, agency, title=title, source_type="html",
                          encoding=response.encoding, attachments=attachments)

    def _attachment_item(self, response: Response, agency: Agency) -> Iterator[ReportItem]:
        title = response.meta.get("link_text") or response.url.rsplit("/", 1)[-1]
        if self._wanted_year(report_year(title)):
            ext = response.url.rsplit(".", 1)[-1].lower()
            yield self._item(response, agency, title=title, source_type=ext)

    def _item(self, response: Response, agency: Agency, **fields: Any) -> ReportItem:
        title = fields.get("title") or ""
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        return ReportItem(
            url=response.url, agency=agency.name, agency_id=agency.id,
            province=agency.province, province_code=agency.province_code,
            year=report_year(title), media_type=content_type.split(";")[0].strip() or None,
            warc=response.meta.get(WARC_META_KEY), **fields)
