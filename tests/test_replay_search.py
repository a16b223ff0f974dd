"""The listing's search over the reports' text, and pywb's banner on a replayed report:
what a reader looking for a word, then at the report, sees in headless Chromium."""

from __future__ import annotations

import re
import shutil
import unicodedata
from datetime import datetime
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from archive.listing import latest_link, render_listing, write_listing
from archive.reports import ArchivedReport
from tests.browser import headless_chromium
from tests.test_replay_claims import replaying
from tests.test_replay_listing import SCREENSHOTS, item, wait_for

WORD = "依申请"  # the template's "依申请公开": in the text of some reports, in no title


def report(n: int, text: str, title: str = "") -> ArchivedReport:
    url = f"http://x.zj.gov.cn/nb/{2020 + n}.html"
    date = f"2024-0{n + 1}-01T08:00:00Z"
    found = item(url, date, text=text, year=2020 + n, report_id=f"r{n}",
                 **({"title": title} if title else {}))
    return ArchivedReport(url, found, [date])


def results(driver) -> list[tuple[str, str]]:
    """(title, address) of each result the page shows."""
    links = driver.find_elements(By.CSS_SELECTOR, "#results li > a:first-child")
    return [(a.text, a.get_attribute("href")) for a in links]


def search(driver, words: str) -> str:
    """Type ``words`` into the search box as a reader does; the results' summary."""
    box = driver.find_element(By.NAME, "q")
    box.clear()
    box.send_keys(words, Keys.ENTER)
    wait_for(lambda: " contain" in driver.find_element(By.ID, "results").text,
             f"results for {words!r}")
    return driver.find_element(By.CSS_SELECTOR, "#results p").text


def test_the_search_finds_words_of_the_text_and_shows_it_as_text_not_markup(tmp_path):
    """Opened from disk (no server): each term must occur; markup in a report's text
    (spam injected into an agency's page) is shown, never run."""
    reports = [report(0, "本年度收到依申请公开申请12件，行政复议1件。"),
               report(1, "主动公开政府信息情况。依申请公开：无。"),
               report(2, "全年未收到申请。", title="某局2022年依申请公开专题"),
               report(3, '<img src=x onerror="document.title=\'run\'">依申请公开 行政复议')]
    page = write_listing(tmp_path, reports)
    with headless_chromium(tmp_path / "profile") as driver:
        driver.get(f"{page.as_uri()}?q={quote('依申请公开 行政复议')}")
        wait_for(lambda: " contain" in driver.find_element(By.ID, "results").text, "results")
        assert driver.find_element(By.CSS_SELECTOR, "#results p").text.startswith("2 reports")
        found = results(driver)
        assert [href.rsplit("/nb/", 1)[1] for _, href in found] == ["2020.html", "2023.html"]
        assert driver.find_elements(By.CSS_SELECTOR, "#results img") == []
        assert "src=x onerror=" in driver.find_element(By.ID, "results").text
        assert driver.title == "Archived disclosure reports"
        assert search(driver, "ＱＷ不存在") == "0 reports contain “ＱＷ不存在”."
        assert search(driver, "依申请").startswith("4 reports")  # the title's match counts
        assert "q=%E4%BE%9D%E7%94%B3%E8%AF%B7" in driver.current_url  # a link to share
        listed = driver.find_element(By.LINK_TEXT, "in the listing").get_attribute("href")
        assert listed.endswith("#report-r0")
        assert driver.find_element(By.ID, "report-r0").tag_name == "tr"


def test_the_listing_links_the_audit_and_datasette_and_anchors_each_report():
    page = render_listing([report(0, "文本")], links=[
        ("Audit", "http://127.0.0.1:8000/index.html"), ("Datasette", "http://127.0.0.1:8001/")])
    assert '<nav><a href="http://127.0.0.1:8000/index.html">Audit</a>' in page
    assert '<a href="http://127.0.0.1:8001/">Datasette</a></nav>' in page
    assert '<tr id="report-r0">' in page
    assert "<script" not in render_listing([report(0, "文本")])  # no text file, no search


def test_a_report_found_unchanged_later_keeps_its_title_linked_to_its_capture():
    unchanged = report(0, "文本")
    unchanged.checked = "2024-09-01T08:00:00Z"
    page = render_listing([unchanged])
    title = unchanged.title
    assert f'<a href="/reports/20240101080000/{unchanged.url}">{title}</a>' in page
    assert f'unchanged on <a href="/reports/20240901080000/{unchanged.url}">' in page


def expected_capture(date: str) -> str:
    """A capture time as pywb's banner prints it (en locale, the capture's UTC clock)."""
    when = datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ")
    clock = when.strftime("%I:%M:%S %p").lstrip("0").lower()
    return f"{when.month}/{when.day}/{when.year}, {clock}"


def norm(text: str) -> str:
    """As the search compares: NFKC, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@pytest.fixture
def replayed(demo_crawl, tmp_path):
    """The demo crawl's collection in ``python -m archive replay``; its address."""
    shutil.copytree(demo_crawl.warc_dir, tmp_path / "warc")
    with replaying(tmp_path / "warc", tmp_path / "replay") as base:
        yield base


@pytest.mark.slow
def test_a_reader_finds_reports_by_a_word_of_their_text_and_opens_one_under_the_banner(
        replayed, demo_crawl, tmp_path):
    base = replayed
    items = demo_crawl.items()
    holding = [i for i in items if WORD in norm(i.get("text") or "")]
    assert holding and len(holding) < len(items) and not any(WORD in i["title"] for i in items)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with headless_chromium(tmp_path / "profile") as driver:
        driver.get(f"{base}/static/index.html")
        summary = search(driver, WORD)
        assert summary == f"{len(holding)} reports contain “{WORD}”."
        links = {
            latest_link("/reports/", ArchivedReport(i["url"], i, [i["warc"]["date"]]))
            for i in holding}
        assert {href.removeprefix(base) for _, href in results(driver)} == links
        driver.save_screenshot(str(SCREENSHOTS / "listing-search.png"))
        title, _ = results(driver)[0]
        chosen = next(i for i in holding if i["title"] == title)
        driver.find_element(By.LINK_TEXT, title).click()
        wait_for(lambda: f"Archived Page: {title}" == driver.title, "the replayed report")
        banner = driver.find_element(By.ID, "second-navbar")
        wait_for(lambda: re.search(r"\d:\d\d:\d\d", banner.text), "the capture time")
        assert banner.text == (f"Current Capture: {title} | "
                               f"{expected_capture(chosen['warc']['date'])}")
        driver.switch_to.frame(driver.find_element(By.ID, "replay_iframe"))
        assert WORD in driver.find_element(By.TAG_NAME, "body").text  # the report itself
        driver.switch_to.default_content()
        driver.save_screenshot(str(SCREENSHOTS / "replay-banner.png"))
