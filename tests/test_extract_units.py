"""Extraction pieces: charsets, numbers, grids, formats, bad input, the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from io import BytesIO

import pytest
from lxml import html as lxml_html

from crawler.extract import extract
from crawler.extract.encoding import decode_html
from crawler.extract.grid import grid_from_html_table
from crawler.extract.sniff import sniff
from crawler.extract.text import NotANumber, parse_number
from tests.conftest import FIXTURES, ROOT
from tests.demoweb import reports
from tests.demoweb.pdf import PdfDocument
from tests.demoweb.reports import ReportSpec, render_report_docx, render_report_pdf
from tests.wordtables import word97

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={meta}">
<meta name="ArticleTitle" content="某某局2023年政府信息公开工作年度报告"></head>
<body><div class="nav">首页 | 政务公开</div><div id="zoom"><p>{body}</p>{table}</div>
<div class="footer">版权所有</div></body></html>"""


# ------------------------------------------------------------------ charsets
def test_gb2312_declared_pages_are_read_as_gb18030():
    text = "䶮是GB2312与GBK都没有的字，报告照样读出。" * 5  # U+4DAE exists only in GB18030
    body = PAGE.format(meta="gb2312", body=text, table="").encode("gb18030")
    decoded, encoding, warnings = decode_html(body)
    assert encoding == "gb18030" and text in decoded and warnings == []
    item = extract(body, "http://a.gov.cn/x.html", "text/html; charset=GB2312")
    assert item.encoding == "gb18030" and text in item.text


def test_header_saying_utf8_over_gbk_bytes_falls_back_to_the_meta_tag():
    body = PAGE.format(meta="gbk", body="政府信息公开" * 20, table="").encode("gbk")
    item = extract(body, "http://a.gov.cn/x.html", "text/html; charset=utf-8")
    assert item.encoding == "gb18030" and "政府信息公开" in item.text


def test_utf8_bytes_under_a_gbk_label_are_read_as_utf8():
    body = PAGE.format(meta="gbk", body="年度报告正文" * 20, table="").encode("utf-8")
    decoded, encoding, warnings = decode_html(body, "GBK")
    assert encoding == "utf-8" and "年度报告正文" in decoded
    assert warnings == ["declared gb18030, but the bytes are UTF-8; read as UTF-8"]


def test_bom_wins():
    body = "\ufeff<html><body>信息公开</body></html>".encode("utf-8")
    assert decode_html(body, "gbk")[1] == "utf-8"


# ------------------------------------------------------------------- numbers
@pytest.mark.parametrize(("text", "value"), [
    ("12", 12), ("１２", 12), ("1,234", 1234), ("0件", 0), (" 3 个 ", 3), ("\u00a0", None),
    ("", None), ("——", None), ("－", None), ("+2", 2), ("-1", -1), ("减少1", -1),
    ("96171.6", 96171.6), ("251000元", 251000)])
def test_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("unit", ["件", "个", "项", "条", "次", "人次", "家", "元", "万元", "宗",
                                  "起", "份", "篇"])
def test_a_number_printed_with_its_unit_is_the_number(unit):
    """Every unit tables print after a count or an amount (13 of them)."""
    assert parse_number(f"37{unit}") == 37 and parse_number(f"２，０１２ {unit}") == 2012


@pytest.mark.parametrize("text", ["详见附件", "12.3.4", "二十", "12/13"])
def test_not_numbers_are_refused_not_guessed(text):
    with pytest.raises(NotANumber):
        parse_number(text)


def test_unreadable_cell_is_a_warning_and_stays_empty():
    table = """<table><tr><td colspan="4">第二十条第（一）项</td></tr>
      <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
      <tr><td>规章</td><td>１</td><td>详见附件</td><td>1,204</td></tr></table>"""
    item = extract(PAGE.format(meta="utf-8", body="正文" * 60, table=table).encode())
    assert item.proactive == {"rules": {"issued": 1, "repealed": None, "in_force": 1204}}
    assert item.warnings == ["proactive.rules.repealed: '详见附件' is not a number; left empty"]


# --------------------------------------------------------------------- grids
def grid_from_markup(markup: str):
    """The grid of the first <table> in ``markup``."""
    root = lxml_html.fromstring(markup)
    table = root if root.tag == "table" else next(root.iter("table"))
    return grid_from_html_table(table)


def test_rowspan_and_colspan_are_expanded_into_positions():
    grid = grid_from_markup("""<table>
      <tr><td rowspan="2" colspan="2">A</td><td>B</td></tr>
      <tr><td>C</td></tr>
      <tr><td>D</td><td colspan="2">E</td></tr></table>""")
    texts = [[c.text for c in r] for r in grid.rows]
    assert texts == [["A", "A", "B"], ["A", "A", "C"], ["D", "E", "E"]]
    assert grid.rows[0][0] is grid.rows[1][1]  # one cell, four positions
    assert [c.text for c in grid.distinct(grid.rows[2])] == ["D", "E"]


def test_nested_layout_tables_are_not_read_as_statistics():
    inner = """<table><tr><td>行政复议</td><td>行政诉讼</td></tr></table>"""
    page = PAGE.format(meta="utf-8", body="正文" * 60,
                       table=f"<table><tr><td>{inner}</td></tr></table>")
    item = extract(page.encode())
    assert item.appeals is None


# ------------------------------------------------------ formats and flags
def test_pre2019_report_has_no_tables_and_says_its_format():
    spec = ReportSpec("某某局", 2016)
    item = extract(render_report_docx(spec))
    assert (item.format_version, item.year, item.requests) == ("pre2019", 2016, None)
    assert item.sections["overview"].startswith("一、概述")
    assert item.sections["other"].startswith("四、政府信息公开的收费及减免情况")
    assert item.warnings == []


def test_tables_published_as_pictures_are_flagged():
    page = PAGE.format(meta="utf-8", body="2023年，本机关全年共收到申请12件，详见下表。" * 4,
                       table='<p><img src="/a/table1.png"></p><p><img src="/a/table2.png"></p>')
    item = extract(page.encode())
    assert item.flags == ["tables_as_images: no statistics tables in the text, 2 picture(s) "
                          "in the body"]
    assert "the statistics tables are published as pictures; not read" in item.warnings


def test_year_in_title_disagreeing_with_the_body_is_flagged():
    body = "本报告统计期限自2023年1月1日起至2023年12月31日止。" * 3
    page = PAGE.format(meta="utf-8", body=body, table="").replace("2023年政府", "2022年政府")
    item = extract(page.encode())
    assert item.year == 2022
    assert item.flags[0] == ("year_mismatch: the title says 2022, the statistics period starts "
                             "2023-01-01")


def test_checks_name_the_broken_identity():
    spec = ReportSpec("某某局", 2023)
    body = render_report_docx(spec)
    item = extract(body)
    assert item.checks == []
    # the same report with one number changed in the document
    with zipfile.ZipFile(BytesIO(body)) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    total = item.requests["new_received"]["total"]
    xml = parts["word/document.xml"].decode()
    marker = "一、本年新收政府信息公开申请数量"
    head, tail = xml.split(marker, 1)
    cells = tail.split("</w:tc>")
    cells[7] = cells[7].replace(f">{total}<", f">{total + 5}<")  # the total column
    parts["word/document.xml"] = (head + marker + "</w:tc>".join(cells)).encode()
    broken = BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    checks = extract(broken.getvalue()).checks
    assert (f"requests new_received: total = {total + 5}, but the applicant columns add up "
            f"to {total}") in checks
    assert any(c.startswith("requests total: new_received + carried_over") for c in checks)


def report_page(spec: ReportSpec, monkeypatch, edit=None, head: str = "") -> bytes:
    """The demo web's HTML page of ``spec``, its numbers changed by ``edit`` first."""
    numbers = reports.report_numbers(spec)
    if edit:
        edit(numbers)
    monkeypatch.setattr(reports, "report_numbers", lambda _: numbers)
    title, body = reports.render_report(spec)
    return (f"<html><head><meta charset='utf-8'><meta name='ArticleTitle' content='{title}'>"
            f"{head}</head><body><div id='zoom'>{body}</div></body></html>").encode()


def test_the_demo_report_page_breaks_no_identity(monkeypatch):
    item = extract(report_page(ReportSpec("某某局", 2023), monkeypatch))
    assert item.requests and item.appeals and item.checks == [] and item.flags == []


def test_an_appeals_total_that_does_not_add_up_is_named(monkeypatch):
    def edit(numbers):
        numbers["appeals"]["litigation_direct"]["total"] += 2

    item = extract(report_page(ReportSpec("某某局", 2023), monkeypatch, edit))
    review = item.appeals["litigation_direct"]
    parts = sum(review[o] for o in ("upheld", "corrected", "other", "pending"))
    assert item.checks == [f"appeals litigation_direct: total = {parts + 2}, but upheld + "
                           f"corrected + other + pending = {parts}"]


def test_result_rows_that_do_not_add_up_to_the_total_processed_are_named(monkeypatch):
    def edit(numbers):  # one more granted request, in its row total too: only 三's sum breaks
        granted = numbers["requests"]["granted"]
        granted["natural_person"] += 1
        granted["total"] += 1

    item = extract(report_page(ReportSpec("某某局", 2023), monkeypatch, edit))
    processed = item.requests["total_processed"]
    assert item.checks == [
        f"requests natural_person: total_processed = {processed['natural_person']}, but the "
        f"result rows add up to {processed['natural_person'] + 1}",
        f"requests total: total_processed = {processed['total']}, but the result rows add up "
        f"to {processed['total'] + 1}"]


def test_a_report_published_before_its_year_ended_is_flagged(monkeypatch):
    early = '<meta name="PubDate" content="2023-06-01 09:00">'
    item = extract(report_page(ReportSpec("某某局", 2023), monkeypatch, head=early))
    assert item.publish_date == "2023-06-01"
    assert item.flags == ["published_early: a 2023 report published on 2023-06-01, before "
                          "the year was over"]
    on_time = '<meta name="PubDate" content="2024-01-20 09:00">'
    assert extract(report_page(ReportSpec("某某局", 2023), monkeypatch, head=on_time)).flags == []


def test_spam_in_a_report_page_is_flagged_on_its_item(monkeypatch):
    page = report_page(ReportSpec("浙江省广播电视局", 2020), monkeypatch)
    spam = "365上分客服微信号_365现金app下载_bst365体育娱乐平台"
    page = page.replace("本报告根据".encode(), f"{spam}本报告根据".encode())
    [flag] = extract(page, "http://gdj.zj.gov.cn/art/2021/1/20/art_1_1.html").flags
    assert flag.startswith("injected_spam: gambling/SEO terms (") and "bst365体育娱乐平台" in flag


def test_a_procurement_unit_printed_in_the_heading_is_the_amount_s_unit(monkeypatch):
    """2019 format: 采购总金额（元） above a bare number (full-width parentheses)."""
    spec = ReportSpec("某某局", 2019, render={"amount_unit": "header"})
    page = report_page(spec, monkeypatch)
    assert "采购总金额（元）".encode() in page
    amount = reports.report_numbers(spec)["proactive"]["procurement"]["amount"]
    assert extract(page).proactive["procurement"]["amount"] == amount
    assert amount["unit"] == "元"


def test_a_row_of_table_3_with_an_unknown_label_is_named_not_dropped(monkeypatch):
    page = report_page(ReportSpec("某某局", 2023), monkeypatch).decode()
    marker = "四、结转下年度继续办理"
    head, tail = page.split(marker, 1)
    start, end = head.rindex("<tr>"), tail.index("</tr>") + len("</tr>")
    row = head[start:] + marker + tail[:end]  # 结转下年度's row, copied under a new label
    odd = row.replace(marker, "（八）转交其他机关办理")
    item = extract((head[:start] + odd + row + tail[end:]).encode())
    assert item.warnings == ["requests: a row labelled '(八)转交其他机关办理' is not a row of "
                             "the statutory table; not read"]
    assert item.requests == extract(page.encode()).requests


# ---------------------------------------------------------------- bad input
def test_broken_and_empty_inputs_give_warnings_not_exceptions():
    pdf = (FIXTURES / "govnianbao-szfgs2024-report.pdf").read_bytes()
    truncated = extract(pdf[:5000], "http://a.gov.cn/r.pdf")
    assert truncated.source_type == "pdf" and truncated.warnings
    blank = PdfDocument("扫描件")
    blank.page.ops.append("0 0 100 100 re S")
    scan = extract(blank.to_bytes())
    assert scan.warnings == ["the PDF has no text layer (a scan?); its text and tables "
                             "could not be read"]
    docx = render_report_docx(ReportSpec("某某局", 2023))
    assert extract(docx[:len(docx) // 2], "http://a.gov.cn/r.docx").warnings[0].startswith(
        "DOCX could not be opened")
    messy = b"<html><body><table><tr><td>\xff\xfe<p>\x00\x01<div></table></td>"
    assert extract(messy).source_type == "html"
    ofd = extract(b"PK\x03\x04" + b"\0" * 40, "http://a.gov.cn/r.ofd")
    assert ofd.warnings


def test_sniffing_without_a_content_type():
    assert sniff((FIXTURES / "govnianbao-szfgs2024-report.pdf").read_bytes()) == "pdf"
    assert sniff((FIXTURES / "annual-report-format-template-2021.docx").read_bytes()) == "docx"
    assert sniff((FIXTURES / "shuyang-fgj-2023-report.html").read_bytes()) == "html"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == "doc"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "wps") == "wps"


# ------------------------------------------------------------------ DOC/WPS
@pytest.fixture(scope="module")
def doc_file(tmp_path_factory):
    office = shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (make install installs it where apt runs "
                    "as root); DOC/WPS are then reported unread")
    folder = tmp_path_factory.mktemp("doc")
    source = folder / "report.docx"
    source.write_bytes(render_report_docx(ReportSpec("江西省交通运输厅", 2022)))
    subprocess.run([office, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "doc", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    return (folder / "report.doc").read_bytes()


def test_doc_is_read_through_libreoffice(doc_file):
    item = extract(doc_file, "http://jtt.jiangxi.gov.cn/x/2022nb.doc")
    assert item.source_type == "doc" and item.format_version == "2021"
    expected = extract(render_report_docx(ReportSpec("江西省交通运输厅", 2022)))
    assert item.requests == expected.requests and item.appeals == expected.appeals
    assert item.warnings == ["read through LibreOffice's conversion to DOCX"]


def test_doc_without_a_converter_says_so(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    item = extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "http://a.gov.cn/r.wps")
    assert item.source_type == "wps"
    assert item.warnings[0].startswith("WPS not read: no converter installed")


# ----------------------------------------------------------------------- CLI
def test_cli_prints_the_item(tmp_path):
    pdf = tmp_path / "report"  # no extension, no content type: told from the bytes
    pdf.write_bytes(render_report_pdf(ReportSpec("某某局", 2021)))
    result = subprocess.run([sys.executable, "-m", "crawler.extract", str(pdf),
                             "--url", "http://a.gov.cn/2021.pdf"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    item = json.loads(result.stdout)
    assert item["source_type"] == "pdf" and item["year"] == 2021
    assert item["url"] == "http://a.gov.cn/2021.pdf" and item["report_id"]
    help_text = subprocess.run([sys.executable, "-m", "crawler.extract", "--help"], cwd=ROOT,
                               capture_output=True, text=True).stdout
    assert "--content-type" in help_text
    missing = subprocess.run([sys.executable, "-m", "crawler.extract", str(tmp_path / "no")],
                             cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_report_id_is_stable_across_schemes_and_recrawls():
    body = render_report_docx(ReportSpec("某某局", 2021))
    a = extract(body, "http://a.gov.cn/r.docx").report_id
    assert a == extract(body + b"", "https://A.gov.cn/r.docx").report_id
    assert a != extract(body, "http://a.gov.cn/other.docx").report_id


@pytest.mark.parametrize("year", [2023, 2020, 2016])
def test_a_report_page_cut_anywhere_is_read_as_far_as_it_goes(year):
    """A download cut mid-table (the last row short of its cells) gives an item, never an
    extractor's crash: the crawl marks it partial (``crawler.reports``)."""
    from crawler.extract import extract_pages
    from tests.demoweb.reports import ReportSpec, render_report

    title, body = render_report(ReportSpec(agency="某某局", year=year))
    page = f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()
    for cut in range(200, len(page), 211):
        item = extract_pages([page[:cut]], "http://a.gov.cn/x.html", "text/html")
        assert item.url == "http://a.gov.cn/x.html"


def _template_table_four(split: bool) -> bytes:
    """The national template (``annual-report-format-template-2021.docx``) with table 四's
    row filled with 1…15, its outcome headings in two paragraphs when ``split``, saved
    as Word 97 by LibreOffice."""
    import docx

    document = docx.Document(str(FIXTURES / "annual-report-format-template-2021.docx"))
    [table] = [t for t in document.tables if "行政复议" in t.rows[0].cells[0].text]
    seen: list = []
    for cell in table.rows[-1].cells:
        if not any(cell._tc is other for other in seen):
            seen.append(cell._tc)
            cell.text = str(len(seen))
    for row in table.rows[:-1]:
        for cell in row.cells:
            text = cell.text.strip()
            if split and text in ("结果维持", "结果纠正", "其他结果", "尚未审结"):
                cell.text = text[:2]
                cell.add_paragraph(text[2:])
    source = BytesIO()
    document.save(source)
    return word97(source.getvalue())


@pytest.mark.slow
@pytest.mark.parametrize("split", [False, True])
def test_table_four_of_the_template_in_word_97_and_wps_keeps_its_grid(doc_file, split):
    """Table 四 as the template lays it out (行政复议 and 行政诉讼 over two heading rows,
    its 15 outcome cells), saved as Word 97, and the same bytes named ``.wps`` and sent as
    ``application/octet-stream`` (told by the bytes): each outcome in its own place."""
    body = _template_table_four(split)
    expected = {group: dict(zip(("upheld", "corrected", "other", "pending", "total"),
                                range(start, start + 5), strict=True))
                for group, start in (("review", 1), ("litigation_direct", 6),
                                     ("litigation_after_review", 11))}
    as_doc = extract(body, "http://a.gov.cn/r.doc", "application/msword")
    as_wps = extract(body, "http://a.gov.cn/r.wps", "application/octet-stream")
    assert as_doc.appeals == expected and as_wps.appeals == expected
    assert (as_doc.source_type, as_wps.source_type) == ("doc", "wps")
