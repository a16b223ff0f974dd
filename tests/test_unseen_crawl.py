"""The unseen web (``tests/demoweb/unseen``): eight 河南省 agency sites a helper wrote from
public descriptions of ordinary CMS styles, after the crawler's discovery was written and
without reading it (PHPCMS, DedeCMS in GBK, a 公开目录 platform with an iframe list and a
pdf.js viewer, a JSONP list, a GET-form pager, ``data-url`` rows, a year index, a
sub-host). A crawl of all of them finds every genuine report, and each agency says
``complete``. Its first crawl found 21 of 24, with two agencies short: the viewer links a
rendered frame showed were fetched as documents, and the GET form's pages were counted as
lists of their own; both rules now hold for any site (the closing note of issue 25's
session). The measure of discovery is the next web nobody has fitted it to."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import run_crawl
from tests.demoweb.unseen import REGISTRY, UnseenWeb, unseen_sites

pytestmark = pytest.mark.slow


def _agencies() -> list[dict]:
    return yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    with UnseenWeb() as web:
        yield run_crawl(web, tmp_path_factory.mktemp("unseen"), "-a", f"registry={REGISTRY}")


def test_every_genuine_report_of_the_unseen_web_is_an_item_and_nothing_else(crawl):
    sites = unseen_sites()
    truth = {url for site in sites.values() for url in site.report_urls()}
    assert len(truth) == 24
    reports = {i["url"] for i in crawl.items() if i["year"]}
    assert reports == truth


def test_each_unseen_agency_is_complete_and_the_crawl_exits_0(crawl):
    statuses = {a["agency_id"]: a["status"] for a in crawl.summary()["agencies"]}
    assert statuses == {a["id"]: "complete" for a in _agencies()}
    assert crawl.returncode == 0


def test_the_get_form_pager_is_read_without_a_browser(crawl):
    """Its pages are URLs in the page: the static pager reads them, the list is tallied
    whole, and nothing on that site is rendered."""
    [hrss] = [a for a in crawl.summary()["agencies"] if a["agency_id"] == "unseen/hrss"]
    assert not hrss.get("rendered")
    pages = {e.url for e in crawl.requests if urlsplit(e.url).hostname == "hrss.unseen.gov.cn"}
    assert "http://hrss.unseen.gov.cn/col/ndbg.aspx?page=2" in pages
