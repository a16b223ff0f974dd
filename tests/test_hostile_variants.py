"""The crawler on the variant hostile web (``tests/hostile/variants``): two more sites for
each fault, written from the faults' public descriptions by someone who had not read the
crawler. Every genuine report is found, and every fault ends in a status that names it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest

from tests.conftest import FAST, ROOT, CrawlResult
from tests.demoweb.__main__ import proxy_env
from tests.hostile.variants import REGISTRY, VariantWeb, variant_sites

pytestmark = pytest.mark.slow
BUDGET = 150
# What each variant's status must say (its fault, named), or "complete" where the fault
# is one a crawler handles in full (a charset read right, a search or calendar declined, a
# column rendered).
SAID = {
    "variant/cut-chunked": ["cut short (connection lost mid-body)"],
    "variant/cut-pdf": ["cut short (connection lost mid-body)", "(nothing read)"],
    "variant/deflate-cut": ["cut short (compressed body cut short)"],
    "variant/gzip-always": ["cut short (compressed body cut short)"],
    "variant/redirect-cycle": ["(redirect loop)", "refused (too many redirects)"],
    "variant/redirect-meta": ["(redirect loop)", "refused (too many redirects)"],
    "variant/charset-header": "complete",
    "variant/charset-sniff": "complete",
    "variant/totals-pager": ["the list states 100000 pages", "the list states 99999999 pages"],
    "variant/totals-json": ["the list states 500000 pages", "the list states 333334 pages"],
    "variant/links-table": ["request(s) over the page budget"],
    "variant/links-inline": ["request(s) over the page budget"],
    "variant/bomb-pdf": ["report(s) not fetched or not read ("],
    "variant/bomb-docx": ["report(s) not fetched or not read ("],
    "variant/search": "complete",
    "variant/calendar": "complete",
    # columns only a script fills: read in the browser (crawler/browser/)
    "variant/spa-api": "complete",
    "variant/jquery-list": "complete",
}


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    out = tmp_path_factory.mktemp("variants")
    with VariantWeb() as web:
        command = [sys.executable, "-m", "scrapy", "crawl", "disclosure", "-a",
                   f"registry={REGISTRY}", "-O", str(out / "items.jsonl"),
                   "-s", f"WARC_DIR={out / 'warc'}", "-s", f"AGENCY_MAX_PAGES={BUDGET}", *FAST]
        started = time.monotonic()
        proc = subprocess.run(command, cwd=ROOT, env=proxy_env(web), capture_output=True,
                              text=True, timeout=600)
        (out / "crawl.log").write_text(proc.stderr, "utf-8")
        result = CrawlResult(out, proc.returncode, proc.stderr, web.log[:], web)
    result.wall = time.monotonic() - started  # type: ignore[attr-defined]
    return result


def test_every_variant_ends_in_a_status_that_names_its_fault(variants):
    rows = {r["agency_id"]: r for r in variants.summary()["agencies"]}
    assert set(rows) == set(SAID)
    for agency, said in SAID.items():
        status = rows[agency]["status"]
        if said == "complete":
            assert status == "complete", (agency, status)
        else:
            assert status.startswith("incomplete: "), (agency, status)
            for words in said:
                assert words in status, (agency, status)
        assert not {"no answer", "fetched, no item"} & set(rows[agency]["errors"]), agency
    assert variants.returncode == 1


def test_every_genuine_report_of_the_variants_is_a_whole_item(variants):
    items = variants.items()
    whole = {i["url"] for i in items if not i["partial"]}
    for host, site in variant_sites().items():
        missing = set(site.report_urls()) - whole
        assert not missing, (host, missing)
    json.dumps(items)


def test_the_variants_cost_what_their_budget_allows(variants):
    asked = Counter(urlsplit(e.url).hostname for e in variants.requests)
    assert max(asked.values()) <= BUDGET + 2  # and robots.txt
    assert variants.wall < 180
