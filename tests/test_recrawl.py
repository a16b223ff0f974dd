"""A recrawl with the same crawl state: revisits for what did not change, full records and
items only for what did, and reports edited after publication named, cell by cell.

The demo web is crawled, then changed as agencies change their sites: one report's
numbers edited in place, one report added, one removed, one report page's chrome
touched (a visit counter), and crawled again with the same ``CRAWL_STATE``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
import yaml
from warcio.archiveiterator import ArchiveIterator

from archive.records import REVISIT_PROFILES
from crawler.dataset import build
from tests.conftest import ROOT, fetch_direct, run_crawl
from tests.demoweb import DemoWeb, load_sites
from tests.demoweb.server import SITES_DIR
from tests.test_replay_pywb import get, wayback_over

pytestmark = pytest.mark.slow

EDITED = ("fgw.fujian.gov.cn", 2022)  # numbers corrected in place
ADDED = ("fgw.jiangxi.gov.cn", 2025)  # a site that sends no validators: identical payloads
REMOVED = ("gdstc.gd.gov.cn", 2018)
CHROME = ("www.fujian.gov.cn", 2021)  # only the page's furniture around the report


def changed_sites(tmp_path: Path) -> Path:
    sites = tmp_path / "sites"
    shutil.copytree(SITES_DIR, sites)

    def edit(host, change):
        path = sites / host / "site.yaml"
        config = yaml.safe_load(path.read_text("utf-8"))
        change(config["reports"])
        path.write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")

    def render(year, **options):
        return lambda reports: next(r for r in reports if r["year"] == year).setdefault(
            "render", {}).update(options)

    edit(EDITED[0], render(EDITED[1], edition=2))
    edit(CHROME[0], render(CHROME[1], chrome="访问量 1234"))
    edit(ADDED[0], lambda reports: reports.insert(0, {"year": ADDED[1]}))
    edit(REMOVED[0], lambda reports: reports.remove(next(r for r in reports
                                                          if r["year"] == REMOVED[1])))
    return sites


def url_of(sites: dict, host: str, year: int) -> str:
    return next(url for url, r in sites[host].report_urls().items() if r.year == year)


def records(paths) -> list:
    found = []
    for path in paths:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                record.content_stream().read()
                found.append(record)
    return found


@pytest.fixture(scope="module")
def recrawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("recrawl")
    out = tmp / "out"
    before, after = load_sites(), load_sites(changed_sites(tmp))
    with DemoWeb(before) as web1, DemoWeb(after) as web2:
        first = run_crawl(web1, out)
        first_items = {i["url"]: i for i in first.items()}
        first_warcs = set(first.warcs)
        second = run_crawl(web2, out)
        changed = {e.url for e in second.requests if e.method == "GET"
                   and _body(web1, e.url) != _body(web2, e.url)}
        yield {"first": first, "first_items": first_items, "second": second,
               "second_warcs": sorted(set(second.warcs) - first_warcs), "changed": changed,
               "before": before, "after": after}


def _body(web, url):
    response = fetch_direct(web, url)
    return response.status, response.body


def test_items_only_for_the_edited_and_the_new_report(recrawl):
    second, after = recrawl["second"], recrawl["after"]
    assert recrawl["first"].returncode == second.returncode == 1  # the demo's incomplete three
    items = {i["url"]: i for i in second.items()}
    edited, added = url_of(after, *EDITED), url_of(after, *ADDED)
    assert set(items) == {edited, added}
    assert items[added]["change"] == "new" and items[added]["revision"] is None
    assert {i["run_id"] for i in items.values()} == {second.summary()["run_id"]}


def test_the_edit_is_a_revision_that_names_its_cells(recrawl):
    old = recrawl["first_items"][url_of(recrawl["before"], *EDITED)]
    new = next(i for i in recrawl["second"].items() if i["url"] == old["url"])
    revision = new["revision"]
    assert new["change"] == "changed" and revision["kind"] == "substantive"
    cells = {}
    for table in ("proactive", "requests", "appeals"):
        for row, columns in (new[table] or {}).items():
            for column, value in columns.items():
                if old[table][row][column] != value:
                    cells[f"{table}.{row}.{column}"] = [old[table][row][column], value]
    assert cells and revision["cells"] == cells
    assert new["previous"] == {"report_id": old["report_id"], "warc": old["warc"],
                               "payload_digest": old["warc"]["payload_digest"]}
    assert revision["previous"]["captured"] == old["warc"]["date"]
    assert revision["text_changed"] and revision["diff"].startswith("--- before\n+++ after")


def test_the_summary_lists_revisions_cosmetic_ones_too_and_reports_gone(recrawl):
    rows = {r["host"]: r for r in recrawl["second"].summary()["agencies"]}
    after, before = recrawl["after"], recrawl["before"]
    assert rows[CHROME[0]]["revised"] == [{"url": url_of(after, *CHROME), "kind": "cosmetic"}]
    assert rows[EDITED[0]]["revised"] == [{"url": url_of(after, *EDITED),
                                           "kind": "substantive"}]
    assert rows[REMOVED[0]]["reports_gone"] == [url_of(before, *REMOVED)]
    assert rows[CHROME[0]]["changes"] == {"cosmetic": 1, "unchanged": len(
        after[CHROME[0]].reports) - 1}
    assert rows[CHROME[0]]["reports"] == len(after[CHROME[0]].reports)  # found all the same


def test_revisits_for_what_did_not_change_full_records_for_what_did(recrawl):
    first_ok = {r.rec_headers.get_header("WARC-Target-URI") for r in records(
        recrawl["first"].warcs) if r.rec_type == "response"
        and r.http_headers.get_statuscode() == "200"}
    kinds: dict[str, set[str]] = {}
    for record in records(recrawl["second_warcs"]):  # (a 500 before a retry is no capture)
        if record.rec_type == "revisit" or (record.rec_type == "response"
                                            and record.http_headers.get_statuscode() == "200"):
            kinds.setdefault(record.rec_headers.get_header("WARC-Target-URI"), set()).add(
                record.rec_type)
    gets = {e.url for e in recrawl["second"].requests if e.method == "GET"}
    unchanged = (gets & first_ok) - recrawl["changed"]
    assert unchanged and all(kinds[url] == {"revisit"} for url in unchanged), \
        {u: kinds[u] for u in unchanged if kinds[u] != {"revisit"}}
    full = {url for url, k in kinds.items() if "response" in k} & gets
    assert full <= recrawl["changed"] | (gets - first_ok)  # changed, new, or not 200 before
    profiles = {r.rec_headers.get_header("WARC-Profile") for r in records(
        recrawl["second_warcs"]) if r.rec_type == "revisit"}
    assert profiles == set(REVISIT_PROFILES.values())  # 304s, and a site without validators


def test_verify_passes_across_both_crawls(recrawl):
    result = subprocess.run([sys.executable, "-m", "archive", "verify",
                             str(recrawl["second"].warc_dir)], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "revisit" in result.stdout


def test_pywb_replays_both_kinds_of_revisit_with_the_original_payload(recrawl, tmp_path):
    second = recrawl["second_warcs"]
    revisits = {}
    for record in records(second):
        if record.rec_type == "revisit":
            profile = record.rec_headers.get_header("WARC-Profile").rsplit("/", 1)[1]
            revisits.setdefault(profile, (record.rec_headers.get_header("WARC-Target-URI"),
                                          record.rec_headers.get_header("WARC-Date")))
    assert set(revisits) == {"server-not-modified", "identical-payload-digest"}
    with wayback_over(tmp_path, recrawl["second"].warcs) as port:
        for url, date in revisits.values():
            stamp = "".join(ch for ch in date if ch.isdigit())
            replayed = get(port, f"/demo/{stamp}id_/{url}")
            original = fetch_direct(recrawl["first"].web, url)  # the first crawl's server
            assert replayed.status == 200, (url, replayed.status)
            assert replayed.body == original.body, url


def test_a_dataset_built_after_the_rerun_still_has_every_report(recrawl, tmp_path):
    """The README's crawl command run again (same ``-O items.jsonl``): its feed holds only
    what changed, but the dataset is built from the crawl state too, so every report is
    there at its latest version, and no agency's year turns missing."""
    second = recrawl["second"]
    state = second.out / "warc" / "crawl-state.sqlite"
    feed = second.out / "items.jsonl"
    alone = build([feed], tmp_path / "feed-only.sqlite")
    assert alone.reports == 2  # what the rerun's feed holds: the edit and the new report
    result = subprocess.run([sys.executable, "-m", "crawler.dataset", "build", str(feed),
                             "--state", str(state), "-o", str(tmp_path / "all.sqlite")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(tmp_path / "all.sqlite")
    latest = {row["url"]: row for row in db.query(
        "select url, last_seen_run from versions where is_latest")}
    first_run = next(iter(recrawl["first_items"].values()))["run_id"]
    assert set(latest) == set(recrawl["first_items"]) | {i["url"] for i in second.items()}
    gone = url_of(recrawl["before"], *REMOVED)  # kept: it was published, and archived
    assert latest[gone]["last_seen_run"] == first_run
    assert {latest[url]["last_seen_run"] for url in set(latest) - {gone}} == \
        {second.summary()["run_id"]}
    edited = url_of(recrawl["after"], *EDITED)
    assert db.execute("select count(*) from versions where url = ?", [edited]).fetchone()[0] == 2
    before = build([second.out / f"items.{first_run}.jsonl"],
                   tmp_path / "first.sqlite", today=date(2026, 3, 1))
    after = build([feed], tmp_path / "again.sqlite", today=date(2026, 3, 1), states=[state])
    assert _published(before.path) <= _published(after.path)
    assert _published(after.path) - _published(before.path) == {(ADDED[0], ADDED[1])}


def _published(path: Path) -> set[tuple[str, int]]:
    """(host, year) of every agency-year the audit calls published."""
    db = sqlite_utils.Database(path)
    return {(row["host"], row["year"]) for row in db.query(
        "select a.host, y.year from agency_years y join agencies a using (agency_id) "
        "where y.status = 'published'")}
