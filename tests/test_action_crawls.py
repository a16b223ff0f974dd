"""Crawls of the action web (``tests/demoweb/browser/actions``): reports a reader finds
only by acting on a page (a ``__doPostBack`` pager, ``openDetail`` rows and a year
``<select>``, 加载更多, an infinite scroll, tabs). The browser acts as a reader does and
every report is found; without a browser, or with its actions off, each agency says its
list was not read whole: never ``complete`` over a missed report."""

from __future__ import annotations

import pytest

from tests.demoweb.browser.actions import REGISTRY, ActionWeb, action_sites
from tests.test_browser_crawls import crawl, rows

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def web():
    with ActionWeb() as served:
        yield served


def genuine() -> set[str]:
    return {url for site in action_sites().values() for url in site.report_urls()}


def test_acting_as_a_reader_finds_every_report(web, tmp_path):
    result = crawl(web, tmp_path, "-s", f"WARC_DIR={tmp_path / 'warc'}", registry=REGISTRY)
    assert {item["url"] for item in result.items()} == genuine()
    statuses = {agency: row["status"] for agency, row in rows(result).items()}
    assert set(statuses.values()) == {"complete"}, statuses
    assert result.returncode == 0
    posts = [e for e in result.requests if e.method == "POST"]
    assert len(posts) == 2 and all(b"__EVENTTARGET" in e.body for e in posts)  # pages 2, 3


@pytest.mark.parametrize("setting", ["BROWSER=never", "BROWSER_ACTIONS=0"])
def test_without_a_readers_actions_no_agency_is_complete(web, tmp_path, setting):
    result = crawl(web, tmp_path, "-s", f"WARC_DIR={tmp_path / 'warc'}", "-s", setting,
                   registry=REGISTRY)
    assert len(result.items()) < len(genuine())
    for agency, row in rows(result).items():
        assert row["status"] != "complete", (agency, row["status"])
    assert result.returncode == 1


def test_action_sites_written_from_the_descriptions_alone_are_read_whole(tmp_path):
    """Ten more sites of these kinds (postback and XHR pagers, `<tr onclick>` and
    delegated `data-id` rows, buttons and links that load more, `<select>` and year tabs,
    scroll listeners and IntersectionObserver), written by someone who had not read the
    crawler: every report, every agency complete."""
    from tests.demoweb.browser.actions import variants

    with variants.ActionVariantWeb() as other:
        result = crawl(other, tmp_path, "-s", f"WARC_DIR={tmp_path / 'warc'}",
                       registry=variants.REGISTRY)
    expected = {url for site in variants.action_variant_sites().values()
                for url in site.report_urls()}
    assert {item["url"] for item in result.items()} == expected
    statuses = {agency: row["status"] for agency, row in rows(result).items()}
    assert set(statuses.values()) == {"complete"}, statuses
    assert result.returncode == 0
