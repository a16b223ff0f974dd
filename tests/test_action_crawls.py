"""Crawls of the action web (``tests/demoweb/browser/actions``): reports a reader finds
only by acting on a page (a ``__doPostBack`` pager, ``openDetail`` rows and a year
``<select>``, 加载更多, an infinite scroll, tabs). The browser acts as a reader does and
every report is found; without a browser, or with its actions off, each agency says its
list was not read whole: never ``complete`` over a missed report."""

from __future__ import annotations

import json

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.demoweb.browser.actions import REGISTRY, ActionWeb, action_sites
from tests.test_browser_crawls import crawl, rows
from tests.test_reextract import by_url, differences

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
    postbacks = [e for e in result.requests if e.method == "POST" and b"__EVENTTARGET" in e.body]
    assert len(postbacks) == 2  # pages 2 and 3, once each
    kinds = {agency: set(row["actions"]) for agency, row in rows(result).items()}
    assert {"pager"} <= kinds["action/postback"] and {"row", "choice"} <= kinds["action/openDetail"]
    assert {"more"} <= kinds["action/loadmore"] and {"scroll"} <= kinds["action/scroll"]
    assert {"tab"} <= kinds["action/tabs"] and {"choice"} <= kinds["action/departments"]
    departments = {agency for agency in statuses if agency.startswith("action/departments/")}
    assert departments == {"action/departments/kjt.act.gov.cn",
                           "action/departments/sthjt.act.gov.cn"}  # from the drop-down


@pytest.mark.parametrize(("setting", "needs_no_action"), [("BROWSER=never", set()),
                                                         ("BROWSER_ACTIONS=0", {"action/app"})])
def test_without_a_readers_actions_no_agency_is_complete(web, tmp_path, setting,
                                                         needs_no_action):
    """Only the app, which a browser reads whole by rendering its routes, is complete
    when the browser renders and does not act."""
    result = crawl(web, tmp_path, "-s", f"WARC_DIR={tmp_path / 'warc'}", "-s", setting,
                   registry=REGISTRY)
    assert len(result.items()) < len(genuine())
    complete = {agency for agency, row in rows(result).items() if row["status"] == "complete"}
    assert complete == needs_no_action, rows(result)
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


def test_a_report_that_exists_only_in_an_app_is_read_from_its_json(web, tmp_path):
    """An app lists its reports from a POSTed JSON API and opens each on a hash route
    whose content is another JSON call: the item's address is the route a reader sees,
    it is read from the archived JSON answer (its HTML inside), its PDF is fetched like
    any attachment, and the archive gives the same items with no browser and no request."""
    live = crawl(web, tmp_path / "live", "-a", "agency=action/app",
                 "-s", f"WARC_DIR={tmp_path / 'live' / 'warc'}", registry=REGISTRY)
    site = action_sites()["fgw.act.gov.cn"]
    items = by_url(live.items())
    assert set(items) == set(site.report_urls()) and all("#/detail?id=" in u for u in items)
    for url, item in items.items():
        assert item["read_from"] == url.replace("/#/detail?", "/api/cms/article/detail?")
        assert item["requests"] and item["title"] == site.report_urls()[url].title
        with open(live.warc_dir / item["warc"]["filename"], "rb") as fh:
            fh.seek(item["warc"]["offset"])
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_headers.get_header("WARC-Target-URI") == item["read_from"]
            assert json.loads(record.content_stream().read())["data"]["title"] == item["title"]
    assert [a["url"].rsplit("/", 1)[-1] for i in items.values() for a in i["attachments"]] == \
        [path.rsplit("/", 1)[-1] for r in site.reports for path, _ in r.attachments]
    assert rows(live)["action/app"]["status"] == "complete"
    again = crawl(web, tmp_path / "again", "-a", f"warc={live.warc_dir}", "-a",
                  "agency=action/app", "-s", "BROWSER_EXECUTABLE=/nonexistent/chromium",
                  spider="archive", registry=REGISTRY)
    assert again.requests == [] and again.returncode == 0, again.log[-2000:]
    assert differences(items, by_url(again.items())) == []


def test_a_list_the_actions_bound_cut_short_says_how_much_was_read(web, tmp_path):
    """One action allowed: the postback pager turned once (pages 1 and 2 read, 4 of the
    6 records; the list states 6). The agency says how many
    records the browser read of those the list states, and the crawl exits 1."""
    result = crawl(web, tmp_path, "-a", "agency=action/postback", "-s", "BROWSER_ACTIONS=1",
                   "-s", f"WARC_DIR={tmp_path / 'warc'}", registry=REGISTRY)
    status = rows(result)["action/postback"]["status"]
    assert status.startswith("incomplete: ") and \
        "list read by browser, 4 of 6 records (stopped at pager: 1 actions)" in status, status
    assert result.returncode == 1


def test_fresh_sites_written_without_reading_the_crawler_are_read_whole(tmp_path):
    """Ten more sites, written from a description by someone who had not read the
    crawler: apps whose reports exist only as JSON (hash and hashbang routes, rows that
    are click listeners), portals whose departments are in a drop-down of codes or a box
    built from JSON, a calendar, a site search, login and comment forms and an endless
    换一批 beside the list, a pager of bare ``<span>``s, a list in an ``<iframe>``, an
    accordion and a tree of years. Every report, every agency complete, and the traps
    left alone (no search, login or comment sent; the calendar only as the page loads)."""
    from urllib.parse import urlsplit

    from tests.demoweb.browser.actions import fresh

    with fresh.ActionFreshWeb() as other:
        result = crawl(other, tmp_path, "-s", f"WARC_DIR={tmp_path / 'warc'}",
                       registry=fresh.REGISTRY)
    sites = fresh.action_fresh_sites()
    expected: set[str] = set()
    for agency in fresh.registry_agencies():
        expected |= set(fresh.genuine_report_urls(sites, urlsplit(agency["start_url"]).hostname))
    assert {item["url"] for item in result.items()} == expected
    statuses = {agency: row["status"] for agency, row in rows(result).items()}
    assert set(statuses.values()) == {"complete"}, statuses
    assert len(statuses) == 10 + 5  # the portals' five departments joined the crawl
    assert result.returncode == 0
    for site in sites.values():
        for prefix, most in (site.meta.get("trap_max") or {}).items():
            asked = [e.url for e in result.requests if e.url.startswith(prefix)]
            assert len(asked) <= min(most, 1), (prefix, asked)
