"""``python -m archive wacz``: a WACZ that validates, lists a page per report, and
replays each report page in pywb (``wb-manager add --unpack-wacz``) as archived."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from contextlib import contextmanager

import pytest

from archive.get import captures_of, payload
from archive.packaging import pages_jsonl
from archive.reports import archived_reports, timestamp14
from crawler.changes import ReportVersions
from tests.conftest import ROOT
from tests.test_replay_listing import item
from tests.test_replay_pywb import PYWB_BIN, get, wayback_in

WACZ_BIN = ROOT / ".venv" / "bin" / "wacz"


@pytest.fixture(scope="module")
def package(demo_crawl, tmp_path_factory):
    out = tmp_path_factory.mktemp("wacz") / "demo.wacz"
    result = subprocess.run([sys.executable, "-m", "archive", "wacz", str(demo_crawl.warc_dir),
                             "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{out}: {len(demo_crawl.items())} report page(s), valid"
    return out


def pages_of(path) -> list[dict]:
    with zipfile.ZipFile(path) as wacz:
        lines = wacz.read("pages/pages.jsonl").decode("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_the_package_validates_and_its_manifest_holds(package):
    result = subprocess.run([WACZ_BIN, "validate", "-f", str(package)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0 and "WACZ is valid" in result.stdout, result.stdout
    with zipfile.ZipFile(package) as wacz:  # what ReplayWeb.page reads
        manifest = json.loads(wacz.read("datapackage.json"))
        digest = json.loads(wacz.read("datapackage-digest.json"))
        assert digest["hash"] == "sha256:" + hashlib.sha256(
            wacz.read("datapackage.json")).hexdigest()
        for resource in manifest["resources"]:
            assert resource["hash"] == "sha256:" + hashlib.sha256(
                wacz.read(resource["path"])).hexdigest()
        stored = {i.filename: i.compress_type for i in wacz.infolist()}
    assert {p for p in stored if p.startswith("archive/")}
    assert all(kind == zipfile.ZIP_STORED for p, kind in stored.items() if p.endswith(".warc.gz"))


def test_a_page_per_report_with_its_title_and_capture(package, demo_crawl):
    header, *pages = pages_of(package)
    assert header["format"] == "json-pages-1.0"
    items = {item["url"]: item for item in demo_crawl.items()}
    assert sorted(p["url"] for p in pages) == sorted(items)
    for page in pages:
        item = items[page["url"]]
        assert page["title"] == item["title"] and page["ts"] == item["warc"]["date"]


@contextmanager
def pywb_over_wacz(root, wacz):
    """pywb over collection ``demo``, made from the package as ReplayWeb.page opens it."""
    subprocess.run([PYWB_BIN / "wb-manager", "init", "demo"], cwd=root, check=True,
                   capture_output=True)
    subprocess.run([PYWB_BIN / "wb-manager", "add", "demo", str(wacz), "--unpack-wacz"],
                   cwd=root, check=True, capture_output=True)
    with wayback_in(root) as port:
        yield port


@pytest.mark.slow
def test_every_report_page_replays_from_the_package(package, demo_crawl, tmp_path):
    _, *pages = pages_of(package)
    with pywb_over_wacz(tmp_path, package) as port:
        for page in pages:
            replayed = get(port, f"/demo/{timestamp14(page['ts'])}id_/{page['url']}")
            assert f'<{page["url"]}>; rel="original"' in replayed.getheader("Link", "")
            # A fail-once route retried within the second has two captures of that second
            # (its 500, then its 200): the replay must be the report, byte for byte.
            same_second = [c for c in captures_of([demo_crawl.warc_dir], page["url"])
                           if c.date == page["ts"]]
            assert replayed.status == 200, page["url"]
            assert any(c.record.status == 200 and replayed.body == payload(c.record, raw=True)
                       for c in same_second), page["url"]


def test_each_report_page_carries_the_text_of_its_capture(package, demo_crawl):
    """ReplayWeb.page's search reads a page's ``text`` from ``pages.jsonl``."""
    header, *pages = pages_of(package)
    assert header["hasText"] is True
    texts = {one["url"]: one.get("text") or None for one in demo_crawl.items()}
    assert any(texts.values())
    assert {page["url"]: page.get("text") for page in pages} == texts


def test_a_revised_report_has_a_page_per_capture_each_with_its_own_text(tmp_path):
    versions = ReportVersions(tmp_path / "crawl-state.sqlite")
    url = "http://x.zj.gov.cn/nb/2023.html"
    for run, date, text in (("r1", "2024-02-01T00:00:00Z", "收到申请5件"),
                            ("r2", "2024-05-01T00:00:00Z", "收到申请6件")):
        versions.begin(run)
        versions.record(url, run, item(url, date, text=text), versions.previous(url, run))
        versions.finish(run)
    versions.close()
    _, *pages = [json.loads(line) for line in
                 pages_jsonl(archived_reports([tmp_path])).splitlines()]
    assert [(p["ts"], p["text"]) for p in pages] == [
        ("2024-02-01T00:00:00Z", "收到申请5件"), ("2024-05-01T00:00:00Z", "收到申请6件")]
