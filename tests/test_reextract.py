"""Re-extraction: ``scrapy crawl archive`` reads the WARCs instead of the web.

It runs the live crawl's discovery and extraction over the archive and must yield
the live crawl's items, field by field, with their WARC pointers, without a single
request reaching the web (the demo web is still the proxy it is told to use, and
its log is checked), revisits of a recrawl read as their originals' payloads.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import FAST, ROOT, run_crawl
from tests.demoweb.__main__ import REGISTRY, proxy_env

# Crawl-time fields: which run read the report. Everything else must be equal.
CRAWL_TIME_FIELDS = {"run_id"}


def archive_crawl(web, out, *args: str, registry: bool = True):
    """``scrapy crawl archive`` as a user runs it, told to use the demo web as its
    proxy (so that any request it made would be seen in ``web.log``)."""
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", "archive",
               *(["-a", f"registry={REGISTRY}"] if registry else []),
               "-O", str(out / "items.jsonl"), *FAST, *args]
    before = len(web.log)
    proc = subprocess.run(command, cwd=ROOT, env=proxy_env(web), capture_output=True,
                          text=True, timeout=300)
    (out / "crawl.log").write_text(proc.stderr, "utf-8")
    items = [json.loads(line) for line in (out / "items.jsonl").read_text("utf-8").splitlines()
             ] if (out / "items.jsonl").exists() else []
    return proc, items, web.log[before:]


def by_url(items: list[dict]) -> dict[str, dict]:
    return {item["url"]: item for item in items}


def differences(live: dict[str, dict], again: dict[str, dict]) -> list[str]:
    found = []
    for url, item in live.items():
        for name, value in item.items():
            if name not in CRAWL_TIME_FIELDS and again[url].get(name) != value:
                found.append(f"{url} {name}: {value!r} != {again[url].get(name)!r}")
    return found


def test_archive_crawl_yields_the_live_items_without_a_request(demo_crawl, tmp_path):
    proc, items, requests = archive_crawl(demo_crawl.web, tmp_path,
                                          "-a", f"warc={demo_crawl.warc_dir}",
                                          "-s", f"WARC_DIR={tmp_path / 'warc'}")
    assert requests == [], "re-extraction reached the web"
    assert proc.returncode == demo_crawl.returncode, proc.stderr[-3000:]
    live, again = by_url(demo_crawl.items()), by_url(items)
    assert set(again) == set(live)
    assert differences(live, again) == []
    assert all(item["warc"]["record_id"] for item in items)
    summary = json.loads((tmp_path / "items.summary.json").read_text("utf-8"))
    assert sorted(summary["incomplete"]) == sorted(demo_crawl.summary()["incomplete"])
    assert not (tmp_path / "warc").exists()  # nothing archived, no crawl state kept


def test_the_crawls_own_arguments_travel_with_its_warcs(demo_crawl, tmp_path):
    """Re-extraction without the crawl's ``-a registry=``: the WARCs' warcinfo says what
    the crawl was asked, so the same agencies are read again, and nothing else."""
    proc, items, requests = archive_crawl(demo_crawl.web, tmp_path,
                                          "-a", f"warc={demo_crawl.warc_dir}", registry=False)
    assert requests == [] and proc.returncode == demo_crawl.returncode, proc.stderr[-3000:]
    assert set(by_url(items)) == set(by_url(demo_crawl.items()))


def test_revisits_are_read_as_their_originals(demoweb, tmp_path):
    """A recrawl of the unchanged web archives revisits only; re-extracting that run
    alone gives the first crawl's items, pointing at the first crawl's records."""
    first = run_crawl(demoweb, tmp_path / "first")
    second = run_crawl(demoweb, tmp_path / "second", "-s", f"WARC_DIR={first.warc_dir}",
                       "-a", "emit=all")
    run_id = second.items()[0]["run_id"]
    assert "'revisit/records'" in second.log
    proc, items, requests = archive_crawl(demoweb, tmp_path / "again",
                                          "-a", f"warc={first.warc_dir}", "-a", f"run={run_id}")
    assert requests == []
    assert "archive/replayed" in proc.stderr
    live, again = by_url(first.items()), by_url(items)
    assert set(again) == set(live)
    assert differences(live, again) == []


def test_no_warcs_is_told_in_one_line(demoweb, tmp_path):
    proc, items, requests = archive_crawl(demoweb, tmp_path, "-a", f"warc={tmp_path / 'none'}")
    assert proc.returncode == 2 and requests == [] and items == []
    assert proc.stderr.strip().splitlines()[-1] == (
        f"scrapy crawl: error: -a warc: no such file or directory: {tmp_path / 'none'}")
