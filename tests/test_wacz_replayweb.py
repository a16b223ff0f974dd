"""ReplayWeb.page (its own ui.js and service worker, from `make install`) opening the
demo crawl's WACZ as a reader does: its Pages search finds reports by their text."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading

import pytest

from tests.browser import headless_chromium
from tests.conftest import ROOT
from tests.test_replay_listing import wait_for

REPLAYWEB = ROOT / ".venv-replayweb" / "package"
WORD = "行政许可"  # a heading of table 二, in the text of most reports, in no title

# ReplayWeb.page's page list and its search box, through its iframe and shadow roots.
_WALK = """
function walk(root, found) {
  for (const el of root.querySelectorAll('*')) {
    found(el);
    if (el.shadowRoot) walk(el.shadowRoot, found);
    if (el.tagName === 'IFRAME') { try { walk(el.contentDocument, found); } catch (e) {} }
  }
}
"""
_PAGES = _WALK + """
const pages = [];
walk(document, el => { if (el.tagName === 'WR-PAGE-ENTRY' && el.page) pages.push(el.page.url); });
return pages;
"""
# Its text index is built after the list shows, and a query typed while it filters is
# dropped: type once the index is there and no filter runs.
_READY = _WALK + """
let ready = false;
walk(document, el => { if (el.tagName === 'WR-PAGE-VIEW')
  ready = Boolean(el.flex && el.textPages && !el.updatingSearch && !el.loading); });
return ready;
"""
_TYPE = _WALK + """
let box = null;
walk(document, el => { if (el.tagName === 'INPUT' && /^Search by Page/.test(el.placeholder))
  box = el; });
box.value = arguments[0];
box.dispatchEvent(new Event('input', {bubbles: true}));
"""


@pytest.fixture
def site(demo_crawl, tmp_path):
    """ReplayWeb.page over the demo crawl's WACZ on 127.0.0.1; the page's address."""
    if not (REPLAYWEB / "ui.js").exists():
        pytest.fail("ReplayWeb.page is not installed: run `make install`")
    (tmp_path / "replay").mkdir()
    (tmp_path / "ui.js").write_bytes((REPLAYWEB / "ui.js").read_bytes())
    (tmp_path / "replay" / "sw.js").write_bytes((REPLAYWEB / "sw.js").read_bytes())
    subprocess.run([sys.executable, "-m", "archive", "wacz", str(demo_crawl.warc_dir), "-o",
                    str(tmp_path / "demo.wacz")], cwd=ROOT, check=True, capture_output=True)
    (tmp_path / "index.html").write_text(
        '<!doctype html><script src="./ui.js"></script><replay-web-page source="demo.wacz" '
        'replayBase="./replay/" style="display:block;height:95vh"></replay-web-page>')
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_replayweb_page_finds_reports_by_a_word_of_their_text(site, demo_crawl, tmp_path):
    items = demo_crawl.items()
    holding = {i["url"] for i in items if WORD in (i.get("text") or "")}
    assert holding and not any(WORD in i["title"] for i in items)
    with headless_chromium(tmp_path / "profile") as driver:
        driver.get(site)
        wait_for(lambda: len(driver.execute_script(_PAGES)) == len(items), "the page list")
        wait_for(lambda: driver.execute_script(_READY), "the text index", 120)
        driver.execute_script(_TYPE, WORD)
        # It shows its 25 best matches at most; before the text was in pages.jsonl, none.
        wait_for(lambda: 0 < len(driver.execute_script(_PAGES)) <= min(25, len(holding)),
                 "the search's results")
        assert set(driver.execute_script(_PAGES)) <= holding
