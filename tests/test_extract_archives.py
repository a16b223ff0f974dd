"""Reports inside a ZIP attachment (crawler/extract/archives.py): the member that holds the
report is read, named in ``read_from``; GBK member names, nested archives, members too
large and archives of nothing readable. Archives made here, as agencies make them."""

from __future__ import annotations

import io
import zipfile

import pytest

from crawler.extract import archives, extract, fill_from_document, nothing_read
from crawler.extract.sniff import sniff
from crawler.items import ReportItem
from tests.demoweb.reports import ReportSpec, render_report_docx, render_report_pdf

AGENCY = "四川省某某局"
NAME = f"{AGENCY}2023年政府信息公开工作年度报告.docx"
URL = "http://www.example.gov.cn/upload/2024/01/2023nb.zip"


class _GbkName(zipfile.ZipInfo):
    """A member named in GBK with no UTF-8 flag, as Chinese Windows zip tools write."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own name
        return self.filename.encode("gb18030"), self.flag_bits & ~0x800


def _zip(members: list[tuple[str, bytes]], gbk: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = _GbkName(name) if gbk else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def _docx(year: int = 2023) -> bytes:
    return render_report_docx(ReportSpec(agency=AGENCY, year=year))


def _explainer() -> bytes:
    """A 解读 in the same archive: a PDF with no statistics table."""
    return render_report_pdf(ReportSpec(agency=AGENCY, year=2023, format="pre2019"))


def test_the_member_holding_the_report_is_read_and_named():
    body = _zip([("政策解读.pdf", _explainer()), (NAME, _docx())])
    assert sniff(body) == "zip" and sniff(_docx()) == "docx"
    item = extract(body, URL, "application/zip")
    assert item.read_from == f"{URL}!/{NAME}"  # the GBK name as its maker wrote it
    assert item.source_type == "docx" and item.year == 2023
    assert item.title == f"{AGENCY}2023年政府信息公开工作年度报告"
    assert item.requests and item.proactive and item.appeals
    assert any("in a ZIP archive of 2 file(s)" in w for w in item.warnings)


def test_a_report_page_that_points_at_its_zip_reads_the_member():
    page = ReportItem(url="http://www.example.gov.cn/art/1.html", title="年报")
    fill_from_document(page, extract(_zip([(NAME, _docx())]), URL), URL)
    assert page.read_from == f"{URL}!/{NAME}" and page.requests


def test_an_archive_inside_the_archive_is_opened_one_level_deep():
    inner = _zip([(NAME, _docx())], gbk=False)
    item = extract(_zip([("附件/年报.zip", inner)]), URL)
    assert item.read_from == f"{URL}!/附件/年报.zip!/{NAME}" and item.requests
    deeper = _zip([("a.zip", _zip([("b.zip", inner)]))])
    assert nothing_read(extract(deeper, URL))  # two levels down: not opened


def test_a_member_too_large_is_skipped_and_said(monkeypatch: pytest.MonkeyPatch):
    report = _docx()
    monkeypatch.setattr(archives, "MAX_MEMBER", len(report) + 10)
    big = b"\0" * (len(report) * 50)  # compresses to almost nothing: a small bomb
    item = extract(_zip([("big.pdf", big), (NAME, report)]), URL)
    assert item.requests and any("big.pdf: larger than" in w for w in item.warnings)


@pytest.mark.parametrize("members", [
    [("扫描件.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100)],
    [],
])
def test_an_archive_of_nothing_readable_says_so(members):
    item = extract(_zip(members) if members else _zip([("空/", b"")]), URL)
    assert nothing_read(item)
    assert any("holds no document that can be read" in w for w in item.warnings)


def test_a_broken_archive_is_archived_and_said_unread():
    item = extract(_zip([(NAME, _docx())])[:200], URL)
    assert nothing_read(item) and item.warnings
