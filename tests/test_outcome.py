"""The crawl's outcome (``crawler.run.outcome``): what a script reading the exit code may
rely on, zero agencies and callback errors included."""

from __future__ import annotations

import json

from crawler.run.outcome import ExitCode, FrontierState, crawl_outcome
from crawler.settings import SPIDER_MIDDLEWARES
from tests.conftest import run_crawl


def rows(*statuses: str) -> list[dict]:
    return [{"agency_id": f"a{n}", "pages": 3, "status": s} for n, s in enumerate(statuses)]


def test_every_agency_complete_is_exit_0_and_says_how_many():
    assert crawl_outcome("finished", rows("complete", "complete"), {}) == (
        ExitCode.COMPLETE, "finished: every agency complete (2)")


def test_agencies_not_complete_are_counted_by_kind():
    assert crawl_outcome("finished", rows("complete", "no report found", "trapped: x, 3 "
                                          "requests refused", "no report found"), {}) == (
        ExitCode.ERRORS, "finished with errors: 3 agencies not complete (2 no report found, "
                         "1 trapped)")


def test_zero_agencies_is_never_every_agency_complete():
    assert crawl_outcome("finished", [], {}) == (
        ExitCode.ERRORS, "finished with errors: no agency was crawled")
    done = FrontierState(distributed=True, done=True, known=12, finished=12)
    assert crawl_outcome("finished", [], {}, done) == (
        ExitCode.COMPLETE, "finished: no agency was left for this worker; the crawl's "
                           "frontier is done (12 agencies)")


def test_a_worker_exits_0_only_when_the_whole_crawl_is_done():
    open_ = FrontierState(distributed=True, done=False, known=12, finished=7)
    assert crawl_outcome("finished", rows("complete"), {}, open_) == (
        ExitCode.ERRORS, "finished with errors: the crawl's frontier is not done (7 of 12 "
                         "agencies finished)")
    lost = FrontierState(distributed=True, unreachable="Redis cannot be reached to tell the "
                                                       "crawl's state: refused")
    assert crawl_outcome("finished", [], {}, lost)[1] == (
        "finished with errors: Redis cannot be reached to tell the crawl's state: refused")


class BugAfterStart:
    """A spider middleware with a bug: on the start page, after passing on everything,
    it raises (Scrapy counts it as the spider's error)."""

    def process_spider_output(self, response, result):
        yield from result
        if response.meta.get("role") == "start":
            raise RuntimeError("a bug in a callback")

    async def process_spider_output_async(self, response, result):
        async for output in result:
            yield output
        if response.meta.get("role") == "start":
            raise RuntimeError("a bug in a callback")


def test_a_callback_error_makes_a_complete_crawl_exit_1(demoweb, tmp_path):
    middlewares = json.dumps({**SPIDER_MIDDLEWARES, "tests.test_outcome.BugAfterStart": 950})
    result = run_crawl(demoweb, tmp_path, "-a", "agency=360000", "-a", "departments=no",
                       "-s", f"SPIDER_MIDDLEWARES={middlewares}")
    summary = result.summary()
    assert summary["agencies"][0]["status"] == "complete"  # every report found all the same
    assert (result.returncode, summary["outcome"]) == (
        1, "finished with errors: 1 callback error(s)")
    assert "RuntimeError: a bug in a callback" in result.log
