"""Shared fixtures: the demo web on 127.0.0.1 and real crawls of it."""

from __future__ import annotations

import http.client
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from tests.demoweb import DemoWeb, load_sites
from tests.demoweb.__main__ import ROOT, crawl_command, proxy_env

# Real report pages and documents, each with its JSON sidecar (what it is, where it came
# from), and the provinces: copied here so that the suite runs from a plain clone.
FIXTURES = ROOT / "tests" / "fixtures" / "real"
PROVINCES = ROOT / "tests" / "fixtures" / "data" / "provinces.csv"
# Agencies of the demo web that no crawl can complete: a list page refused by robots.txt,
# a column redirected off the agency's hosts, a dead report link, an old column caught in a
# redirect loop.
DEMO_INCOMPLETE = {"330000/gdj.zj.gov.cn", "330000/fzggw.zj.gov.cn", "330000/sthjt.zj.gov.cn",
                   "360000/fgw.jiangxi.gov.cn"}
# Politeness delays are for real servers; the demo web is local.
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO")


@dataclass
class CrawlResult:
    out: Path
    returncode: int
    log: str
    requests: list = field(default_factory=list)
    web: DemoWeb | None = None  # the server it crawled (still serving for comparisons)

    @property
    def warc_dir(self) -> Path:
        return self.out / "warc"

    @property
    def warcs(self) -> list[Path]:
        return sorted(self.warc_dir.glob("*.warc.gz"))

    def summary(self) -> dict:
        """The crawl summary, named after the item feed (``items.summary.json``)."""
        return json.loads((self.out / "items.summary.json").read_text("utf-8"))

    def items(self) -> list[dict]:
        path = self.out / "items.jsonl"
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def run_crawl(web: DemoWeb, out: Path, *extra: str, timeout: float = 300,
              proxy: bool = True, env: dict[str, str] | None = None) -> CrawlResult:
    """``scrapy crawl disclosure`` as a user runs it, through the demo web as HTTP proxy
    (or, with ``proxy=False``, connecting by itself), with ``env`` added."""
    before = len(web.log)
    env = {**proxy_env(web), **(env or {})}
    if not proxy:
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env.pop(name, None)
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(crawl_command(out, *FAST, *extra), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    (out / "crawl.log").write_text(proc.stderr, "utf-8")
    return CrawlResult(out, proc.returncode, proc.stderr, web.log[before:], web)


def fetch_direct(web: DemoWeb, url: str, headers: dict[str, str] | None = None
                 ) -> http.client.HTTPResponse:
    """Ask the demo web for ``url`` the way a proxy client does; body left undecoded."""
    conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=30)
    conn.request("GET", url, headers={"Host": urlsplit(url).netloc, **(headers or {})})
    response = conn.getresponse()
    response.body = response.read()  # de-chunked by http.client, never decompressed
    conn.close()
    return response


def demo_reports() -> dict:
    """Every report the demo web publishes, by URL (the truth a crawl is checked against)."""
    reports = {}
    for site in load_sites().values():
        reports.update(site.report_urls())
    return reports


def report_url(host: str, year: int, attachment: str | None = None) -> str:
    """The URL of ``host``'s report for ``year`` (or of its ``attachment`` kind)."""
    site = load_sites()[host]
    report = next(r for r in site.reports if r.year == year)
    path = next(p for p, kind in report.attachments if kind == attachment) if attachment \
        else report.path
    return f"http://{host}{path}"


def project_crawler(spidercls=None, **overrides):
    """A crawler with this project's settings (``crawler/settings.py``) and ``overrides``,
    to test one component without a crawl."""
    project = {name: getattr(project_settings, name) for name in dir(project_settings)
               if name.isupper()}
    return get_crawler(spidercls, settings_dict={**project, **overrides})


@pytest.fixture(scope="session")
def demoweb():
    with DemoWeb() as web:
        yield web


@pytest.fixture(scope="session")
def demo_crawl(tmp_path_factory):
    """One crawl of the whole demo web, shared by the tests that only read its output.
    Its server is its own: fail-once routes (500, 429) fail for this crawl whatever ran
    before, and comparisons with what the server sends use ``result.web``."""
    with DemoWeb() as web:
        result = run_crawl(web, tmp_path_factory.mktemp("demo-crawl"))
        # Exit 1, finished with errors: three demo agencies are built to be incomplete.
        assert result.returncode == 1, result.log[-3000:]
        assert set(result.summary()["incomplete"]) == DEMO_INCOMPLETE
        yield result
