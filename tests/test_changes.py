"""``crawler.changes``: what counts as a change of a report, and what kind; which reports
are gone since an agency's last crawl."""

from __future__ import annotations

from crawler.changes import ReportVersions, Version, bytes_fingerprint, compare, content_fingerprint
from crawler.items import ReportItem

REPORT = {"url": "http://a.gov.cn/r", "report_id": "r1", "text": "一、总体情况\n主动公开 12 条",
          "sha1": "aa", "requests": {"new_received": {"total": 12, "natural_person": 10}},
          "attachments": [{"url": "http://a.gov.cn/r.pdf", "sha1": "p1"}],
          "warc": {"record_id": "<urn:uuid:1>", "date": "2025-01-10T00:00:00Z"}}


def version(item):
    return Version("run-1", "2025-01-10T00:00:00Z", content_fingerprint(item),
                   bytes_fingerprint(item), item)


def edited(**changes):
    return {**REPORT, **changes}


def test_a_report_never_seen_is_new_and_the_same_one_unchanged():
    assert compare(REPORT, None) == ("new", None)
    assert compare(edited(warc={"record_id": "<urn:uuid:2>"}), version(REPORT)) == (
        "unchanged", None)  # other record, same bytes: a revisit


def test_an_edited_cell_is_substantive_and_named():
    change, revision = compare(edited(requests={"new_received": {"total": 13,
                                                                 "natural_person": 10}},
                                      sha1="bb"), version(REPORT))
    assert change == "changed" and revision["kind"] == "substantive"
    assert revision["cells"] == {"requests.new_received.total": [12, 13]}
    assert not revision["text_changed"] and revision["previous"]["report_id"] == "r1"


def test_same_content_in_other_bytes_is_cosmetic_whitespace_too():
    change, revision = compare(edited(sha1="bb", text="一、总体情况 \n 主动公开  12 条"),
                               version(REPORT))
    assert (change, revision["kind"], revision["cells"]) == ("changed", "cosmetic", {})


def test_an_attachment_replaced_added_or_removed_is_substantive():
    replaced = edited(attachments=[{"url": "http://a.gov.cn/r.pdf", "sha1": "p2"}])
    assert compare(replaced, version(REPORT))[1]["attachments"] == {
        "http://a.gov.cn/r.pdf": ["p1", "p2"]}
    removed = compare(edited(attachments=[]), version(REPORT))[1]
    assert removed["kind"] == "substantive" and removed["attachments"] == {
        "http://a.gov.cn/r.pdf": ["p1", None]}


def test_a_changed_text_comes_with_its_diff():
    revision = compare(edited(text="一、总体情况\n主动公开 15 条", sha1="cc"), version(REPORT))[1]
    assert revision["text_changed"] and "-主动公开 12 条" in revision["diff"]
    assert "+主动公开 15 条" in revision["diff"]


def runs_of(versions):
    """Runs over some agencies each: ``run(id, {agency: [urls found]})`` -> what that
    run's ``gone`` says, for the agencies it crawled (as the summary shows it)."""
    def run(run_id, found):
        versions.begin(run_id)
        for agency, urls in found.items():
            for url in urls:
                versions.record(url, run_id, {**REPORT, "url": url, "agency_id": agency}, None)
        gone = versions.gone(run_id)
        versions.finish(run_id)
        return {agency: urls for agency, urls in gone.items() if agency in found}
    return run


def reports_gone_per_agency(versions):
    run = runs_of(versions)
    assert run("r1", {"A": ["a/x", "a/y"], "B": ["b/z"]}) == {}
    assert run("r2", {"B": ["b/z"]}) == {}  # another province, another worker's share
    assert run("r3", {"A": ["a/x"]}) == {"A": ["a/y"]}  # against A's last crawl, r1
    assert run("r4", {"A": ["a/x"]}) == {}  # named once, not again
    assert run("r5", {"A": [], "B": ["b/w"]}) == {"A": ["a/x"], "B": ["b/z"]}


def test_reports_gone_are_those_of_the_agencys_last_crawl_not_of_the_last_run(tmp_path):
    reports_gone_per_agency(ReportVersions(tmp_path / "state.sqlite"))


def test_a_report_read_from_a_cut_download_is_no_version(tmp_path):
    """A partial item (a download cut short) is emitted and said, but kept as no version:
    the next crawl compares the report with its last whole reading, not with a fragment."""
    import asyncio

    from crawler.pipelines.changes import ChangePipeline
    from tests.conftest import project_crawler

    versions = ReportVersions(tmp_path / "state.sqlite")
    pipeline = ChangePipeline(project_crawler(), versions)
    versions.begin(pipeline.run.id)
    url = "http://a.gov.cn/ndbg/2023.html"
    cut = ReportItem(url=url, agency_id="a", text="一、总体情况", partial=True,
                     warnings=["partial: connection lost after 2000 of 45000 bytes"])
    assert asyncio.run(pipeline.process_item(cut)).change == "new"
    versions.finish(pipeline.run.id)
    assert versions.previous(url, "a later run") is None
