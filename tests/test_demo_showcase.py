"""The demo ``make demo`` runs shows what the audit is for: crawled twice (a week apart,
one report corrected in between), its audit has the year due on the day it runs for every
agency that published it, and one agency of each problem the audit marks, as a reader
sees the matrix in Chromium (the screenshot ``var/screenshots/audit-marks.png``)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlite_utils
from selenium.webdriver.common.by import By

from crawler.dataset import build, write_audit
from crawler.dataset.audit import latest_year_due
from crawler.dataset.feeds import default_feeds
from tests.browser import headless_chromium
from tests.conftest import ROOT, run_crawl
from tests.demoweb import DemoWeb, load_sites
from tests.demoweb.showcase import PROBLEMS, REVISED, showcase_sites
from tests.test_audit_browser import serve

pytestmark = pytest.mark.slow

TODAY = date(2026, 12, 6)  # the demo is dated by its run; the test by this day
SCREENSHOT = ROOT / "var" / "screenshots" / "audit-marks.png"
# the column a site's year is listed in (a column per year) has none for a new year
PER_YEAR_COLUMNS = "sthjt.fujian.gov.cn"


@pytest.fixture(scope="module")
def showcase(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("showcase")
    out = tmp / "out"
    for edited in (False, True):
        with DemoWeb(load_sites(showcase_sites(tmp, TODAY, edited=edited))) as web:
            assert run_crawl(web, out).returncode == 1  # the demo's agencies built incomplete
    built = build(default_feeds(out), tmp / "reports.sqlite", TODAY,
                  states=[out / "warc" / "crawl-state.sqlite"])
    return {"db": sqlite_utils.Database(built.path), "audit": write_audit(built.path,
                                                                         tmp / "audit")}


def _due_year(db: sqlite_utils.Database) -> dict[str, dict]:
    due = latest_year_due(TODAY)
    return {row["host"]: row for row in db.query(
        "select a.host, y.* from agency_years y join agencies a using (agency_id) "
        "where y.year = ?", [due])}


def test_every_agency_has_the_year_due_but_one_and_each_problem_is_marked(showcase):
    rows = _due_year(showcase["db"])
    assert {host for host, row in rows.items() if row["status"] == "missing"} == \
        {PER_YEAR_COLUMNS}
    assert rows["fgw.fujian.gov.cn"]["identities"] == "broken"
    assert rows["gdj.zj.gov.cn"]["cross_year"] == "broken"
    assert rows["www.zj.gov.cn"]["spam"] == 1
    assert rows["sthjt.jiangxi.gov.cn"]["tables"] == "missing"
    assert rows["fzggw.zj.gov.cn"]["on_time"] == "late"
    assert rows[REVISED]["revised"] == "substantive"
    problems = {"identities": "broken", "cross_year": "broken", "tables": "missing",
                "on_time": "late", "revised": "substantive"}
    clean = [host for host, row in rows.items() if row["status"] == "published"
             and host not in PROBLEMS and host != REVISED]
    assert clean and all(rows[host][k] != v for host in clean for k, v in problems.items())


def test_the_matrix_shows_each_mark_in_chromium(showcase, tmp_path):
    audit = showcase["audit"]
    with serve(audit.parent) as base, headless_chromium(tmp_path / "profile") as browser:
        browser.get(base + audit.name)
        matrix = browser.find_element(By.ID, "audit-matrix")
        marks = "".join(td.text for td in matrix.find_elements(By.CSS_SELECTOR, "tbody td"))
        wanted = {mark for _, mark in PROBLEMS.values()} | {"✓", "✗", "R"}
        assert wanted <= set(marks), wanted - set(marks)
        browser.execute_script(  # the latest years in view: the matrix scrolled to its end
            "document.getElementById('matrix').scrollIntoView();"
            "for (let e = document.getElementById('audit-matrix'); e; e = e.parentElement)"
            "  e.scrollLeft = e.scrollWidth;")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))
