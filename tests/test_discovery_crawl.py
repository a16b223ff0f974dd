"""Discovery end to end: real crawls of the demo web through its HTTP proxy.

The demo web's own catalog (``tests/demoweb/sites/*/site.yaml``) says which
reports exist; the server's request log says what the crawler asked for.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest
import yaml

from crawler.agencies.registry import load_registry
from tests.conftest import DEMO_INCOMPLETE, demo_reports, fetch_direct, report_url, run_crawl
from tests.demoweb import load_sites
from tests.demoweb.__main__ import REGISTRY

AGENCY_HOSTS = {host for host, site in load_sites().items() if site.meta.get("cms")}
SPAM_HOST = "www.zjsthjt.bst365.com"
OFF_HOST_REDIRECT = "old.fzggw-zj.com"


def hosts(entries) -> Counter:
    return Counter(urlsplit(e.url).hostname for e in entries)


def test_every_report_found_once(demo_crawl):
    items = demo_crawl.items()
    found = Counter(item["url"] for item in items)
    expected = demo_reports()
    assert set(found) == set(expected)
    assert max(found.values()) == 1
    for item in items:
        report = expected[item["url"]]
        assert item["year"] == report.year
        assert item["source_type"] == report.source_type


def test_attachments_of_report_pages_are_fetched_and_described(demo_crawl):
    url = report_url("gdj.zj.gov.cn", 2022)
    pdf = report_url("gdj.zj.gov.cn", 2022, attachment="pdf")
    [item] = [i for i in demo_crawl.items() if i["url"] == url]
    [attachment] = item["attachments"]
    body = fetch_direct(demo_crawl.web, pdf).body
    assert attachment["url"] == pdf
    assert attachment["media_type"] == "application/pdf"
    assert attachment["size"] == len(body)
    assert attachment["sha1"] == hashlib.sha1(body).hexdigest()


def test_only_agency_hosts_are_requested(demo_crawl):
    requested = hosts(demo_crawl.requests)
    assert set(requested) == AGENCY_HOSTS
    assert SPAM_HOST not in requested and OFF_HOST_REDIRECT not in requested


def test_robots_disallowed_paths_are_never_requested(demo_crawl):
    parsers = {}
    for host, site in load_sites().items():
        robots = site.read("/robots.txt")
        parser = RobotFileParser()
        parser.parse((robots or b"").decode().splitlines())
        parsers[host] = parser
    urls = [e.url for e in demo_crawl.requests]
    assert any(urlsplit(u).path == "/robots.txt" for u in urls)
    for url in urls:
        assert parsers[urlsplit(url).hostname].can_fetch("gov-disclosure-archive", url), url
    # the tempting 年报目录 link was there to be refused, and that is said
    [gdj] = [r for r in demo_crawl.summary()["agencies"] if r["host"] == "gdj.zj.gov.cn"]
    assert {(o["kind"], o["role"]): o["urls"] for o in gdj["refused"]} == {
        ("robots.txt", "list"): ["http://gdj.zj.gov.cn/module/xxgk/ndbg.jsp?type=ndbg"]}


def test_traps_and_errors_stay_bounded(demo_crawl):
    urls = Counter(e.url for e in demo_crawl.requests)
    asked = Counter((e.method, e.url, e.body) for e in demo_crawl.requests)
    assert sum(urls.values()) < 3 * len(demo_reports()) + 40
    calendar = [u for u in urls if "/gkrl/" in u]
    assert 1 <= len(calendar) <= 8  # DEPTH_LIMIT ends the endless 公开日历
    assert not [u for u in urls if "date=" in u]  # the calendar query is never asked
    loop = [u for u in urls if "/fgw/gknb/old/" in u]
    assert loop and all(urls[u] <= 2 for u in loop)
    assert max(asked.values()) <= 2  # nothing fetched over and over


def test_server_errors_and_429_are_retried_as_asked(demo_crawl):
    log = demo_crawl.requests
    page_500 = report_url("gdj.zj.gov.cn", 2021)
    assert [e.status for e in log if e.url == page_500] == [500, 200]
    jtt_list = "http://jtt.jiangxi.gov.cn/xxgk/ndbg/index.html"
    assert [e.status for e in log if e.url == jtt_list] == [500, 200]
    limited = [e for e in log if e.status == 429]
    assert len(limited) == 1
    retry = [e for e in log if e.url == limited[0].url and e.time > limited[0].time]
    assert retry and retry[0].status == 200  # when: tests/test_retry_after.py


def test_redirect_off_the_host_recorded_not_followed(demo_crawl):
    moved = [e for e in demo_crawl.requests if e.url.endswith("/zwgk/lnnb/index.html")]
    assert [e.status for e in moved] == [301]
    assert ("Redirect off the agency's hosts recorded, not followed: "
            "http://fzggw.zj.gov.cn/zwgk/lnnb/index.html -> http://old.fzggw-zj.com/ndbg/index.html"
            in demo_crawl.log)


def test_summary_per_agency(demo_crawl):
    summary = demo_crawl.summary()
    rows = {row["host"]: row for row in summary["agencies"]}
    assert set(rows) == AGENCY_HOSTS
    cms = {host: row["cms"] for host, row in rows.items()}
    assert cms["gdj.zj.gov.cn"] == cms["www.zj.gov.cn"] == "hanweb"
    assert cms["fzggw.zj.gov.cn"] == "trs"
    assert cms["sthjt.jiangxi.gov.cn"] == "sitegroup"
    assert cms["fgw.jiangxi.gov.cn"] == "ucap"
    for host, site in load_sites().items():
        if host in rows:
            expected = Counter(str(r.year) for r in site.reports)
            assert rows[host]["reports_by_year"] == dict(expected), host
            assert rows[host]["pages"] > 0
    assert rows["gdj.zj.gov.cn"]["attachments"] == 1
    assert rows["sthjt.zj.gov.cn"]["errors"].get("HTTP 404", 0) >= 1  # the dead report link
    departments = [row for row in summary["agencies"] if "/" in row["agency_id"]]
    portals = load_registry(REGISTRY)
    assert len(departments) == len(AGENCY_HOSTS) - len(portals)
    assert f"Crawl summary (finished): {len(AGENCY_HOSTS)} agencies" in demo_crawl.log


def test_departments_are_named_from_their_own_sites(demo_crawl):
    names = {item["agency_id"]: item["agency"] for item in demo_crawl.items()}
    assert names["330000/gdj.zj.gov.cn"] == "浙江省广播电视局"  # linked as 省广电局 too
    assert names["360000/jtt.jiangxi.gov.cn"] == "江西省交通运输厅"
    provinces = {item["agency_id"]: item["province_code"] for item in demo_crawl.items()}
    assert provinces["360000/fgw.jiangxi.gov.cn"] == "360000"


def test_agency_and_departments_arguments(demoweb, tmp_path):
    result = run_crawl(demoweb, tmp_path, "-a", "agency=330000", "-a", "departments=no")
    assert result.returncode == 0, result.log[-2000:]
    assert set(hosts(result.requests)) == {"www.zj.gov.cn"}
    assert {item["year"] for item in result.items()} == {2021, 2022, 2023, 2024}


def test_years_argument_limits_reports_and_requests(demoweb, tmp_path):
    result = run_crawl(demoweb, tmp_path, "-a", "years=2022-2023")
    assert result.returncode == 1, result.log[-2000:]  # the demo's incomplete agencies
    assert set(result.summary()["incomplete"]) <= DEMO_INCOMPLETE
    items = result.items()
    assert {item["year"] for item in items} == {2022, 2023}
    expected = {u for u, r in demo_reports().items() if r.year in (2022, 2023)}
    assert {item["url"] for item in items} == expected
    requested = {e.url for e in result.requests}
    other_years = {u for u, r in demo_reports().items() if r.year not in (2022, 2023)}
    assert not requested & other_years


@pytest.mark.parametrize("allow", [False, True])
def test_private_addresses_refused_unless_allowed(demoweb, tmp_path, allow):
    registry = tmp_path / "registry.yaml"
    registry.write_text(yaml.safe_dump({"agencies": [{
        "id": "local", "province": "测试", "name": "本机", "allowed_domains": ["127.0.0.1"],
        "start_url": f"http://127.0.0.1:{demoweb.port}/"}]}, allow_unicode=True), "utf-8")
    args = ["-a", f"registry={registry}", "-s", "ROBOTSTXT_OBEY=False"]
    if allow:
        args += ["-s", "ALLOW_PRIVATE_ADDRESSES=True"]
    # no proxy: the crawler would connect to 127.0.0.1 itself
    result = run_crawl(demoweb, tmp_path / "out", *args, proxy=False)
    # refused: nothing could be fetched (5); allowed: the demo web has no site at that host (1)
    assert result.returncode == (1 if allow else 5), result.log[-2000:]
    direct = [e for e in result.requests if e.url.startswith("http://127.0.0.1")]
    if allow:
        assert direct
    else:
        assert not direct
        assert "is a private/loopback/link-local address" in result.log


def test_registry_errors_are_clear(demoweb, tmp_path):
    registry = tmp_path / "bad.yaml"
    registry.write_text("agencies:\n  - id: x\n    name: 某局\n", "utf-8")
    result = run_crawl(demoweb, tmp_path / "out", "-a", f"registry={registry}")
    assert result.returncode != 0
    assert "missing province, start_url, allowed_domains" in result.log


def test_progress_and_summary_file_setting(demoweb, tmp_path):
    summary = tmp_path / "elsewhere" / "s.json"
    result = run_crawl(demoweb, tmp_path / "out", "-a", "agency=360000",
                       "-s", f"CRAWL_SUMMARY_FILE={summary}", "-s", "CRAWL_PROGRESS=0.1")
    assert result.returncode == 1  # Jiangxi's Ucap site has an old column in a redirect loop
    rows = json.loads(summary.read_text("utf-8"))["agencies"]
    assert sum(row["reports"] for row in rows) == sum(
        len(site.reports) for host, site in load_sites().items() if host.endswith("jiangxi.gov.cn"))
    agencies = len(rows)
    lines = [line for line in result.log.splitlines() if "Progress: " in line]
    assert len(lines) >= 2 and f"Progress: {agencies}/{agencies} agencies done" in lines[-1]
    # errors by kind as they happen, and while requests wait, how many and an ETA
    assert re.search(r"\d+ errors \(.*1 redirect loop\)", lines[-1]), lines[-1]
    assert any(re.search(r"\d+ pending, ETA \d+ (s|min)$", line) for line in lines[:-1])
    assert not (result.out / "items.summary.json").exists()


def test_user_agent_names_the_project_and_its_contact(demo_crawl, demoweb, tmp_path):
    agents = {e.headers.get("User-Agent") for e in demo_crawl.requests}
    assert agents == {"gov-disclosure-archive/0.1.0 "
                      "(+https://github.com/gov-disclosure-archive/gov-disclosure-archive)"}
    result = run_crawl(demoweb, tmp_path, "-a", "agency=360000", "-a", "departments=no",
                       "-s", "CONTACT_URL=mailto:archive@example.org")
    assert {e.headers.get("User-Agent") for e in result.requests} == {
        "gov-disclosure-archive/0.1.0 (+mailto:archive@example.org)"}


def test_family_detected_is_logged_per_agency(demo_crawl):
    assert "浙江省发展和改革委员会 (330000/fzggw.zj.gov.cn): CMS family trs" in demo_crawl.log
    assert "江西省生态环境厅 (360000/sthjt.jiangxi.gov.cn): CMS family sitegroup" in demo_crawl.log


def test_oversized_attachment_is_cut_off_with_a_clear_line(demoweb, tmp_path):
    result = run_crawl(demoweb, tmp_path, "-a", "agency=330000", "-a", "years=2022",
                       "-s", "ATTACHMENT_MAXSIZE=3000")
    assert result.returncode == 1, result.log[-2000:]
    pdf = report_url("gdj.zj.gov.cn", 2022, attachment="pdf")
    assert "larger than download max size (3000) in request <GET " + pdf in result.log
    [item] = [i for i in result.items() if i["agency_id"] == "330000/gdj.zj.gov.cn"]
    assert item["attachments"] == []
    assert item["warnings"] == [f"attachment {pdf} not fetched: too large"]
    # pages are not held to the attachments' limit
    assert len(result.items()) == sum(1 for url, r in demo_reports().items()
                                      if r.year == 2022 and ".zj.gov.cn/" in url)
