"""Every cell of the real reports, and the classes of layout that lost cells before:
Word split grids, table blocks cut by a page break, misprinted labels, headings split
over lines, the （六）其他处理 row of 2021 reports, tables missing where they must be.

``tests/fixtures/truth/*.json`` hold each real report's numbers transcribed from the
document itself (not from the extractor); see each file's ``notes``.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.extract import extract
from crawler.extract.grid import Cell, Grid, grid_from_html_table
from crawler.extract.keys import APPLICANTS, OTHER_2021
from crawler.extract.statistics import read_statistics
from tests.conftest import FIXTURES, ROOT
from tests.demoweb import reports
from tests.demoweb.reports import ReportSpec

TRUTH = Path(__file__).parent / "fixtures" / "truth"
TABLES = ("proactive", "requests", "appeals")


def cells(tables: dict) -> dict[str, object]:
    return {f"{table}.{row}.{column}": value for table in TABLES
            for row, columns in (tables.get(table) or {}).items()
            for column, value in columns.items()}


@pytest.mark.parametrize("truth", sorted(TRUTH.glob("*.json")), ids=lambda p: p.stem)
def test_every_printed_cell_of_the_real_reports(truth):
    expected = json.loads(truth.read_text("utf-8"))
    item = extract((FIXTURES / expected["source"]).read_bytes(),
                   f"http://x.gov.cn/{expected['source']}")
    assert item.format_version == expected["format_version"]
    got = cells({table: getattr(item, table) for table in TABLES})
    wrong = {key: (value, got.get(key, "missing")) for key, value in cells(expected).items()
             if got.get(key, "missing") != value}
    assert wrong == {}


def report_html(spec: ReportSpec, edit=None) -> str:
    _, body = reports.render_report(spec)
    return edit(body) if edit else body


def read_tables(markup: str):
    root = lxml_html.fromstring(f"<div>{markup}</div>")
    return read_statistics([grid_from_html_table(t) for t in root.iter("table")])


def test_a_word_split_grid_reads_by_its_leaf_headings():
    """自然人 over two physical columns, a leading empty cell under it, 商业企业 spanning
    two in the headings and in every value row (real: 平潭 2021)."""
    head = ("<tr><td rowspan=3 colspan=3>（本列数据的勾稽关系为：第一项加第二项之和，"
            "等于第三项加第四项之和）</td><td colspan=9>申请人情况</td></tr>"
            "<tr><td colspan=2>自然人</td><td colspan=5>法人或其他组织</td>"
            "<td rowspan=2>总计</td></tr>"
            "<tr><td></td><td colspan=2>商业企业</td><td>科研机构</td><td>社会公益组织</td>"
            "<td>法律服务机构</td><td>其他</td></tr>")

    def row(label, values):
        np, commercial, *rest = values
        return (f"<tr><td colspan=3>{label}</td><td>{np}</td><td colspan=2>{commercial}</td>"
                + "".join(f"<td>{v}</td>" for v in rest) + "</tr>")

    body = (row("一、本年新收政府信息公开申请数量", [64, 1, 0, 0, 2, 3, 70])
            + row("二、上年结转政府信息公开申请数量", [5, 0, 0, 0, 0, 0, 5]))
    stats = read_tables(f"<table>{head}{body}</table>")
    assert stats.requests["new_received"] == dict(zip(APPLICANTS, [64, 1, 0, 0, 2, 3, 70],
                                                      strict=True))
    assert stats.requests["carried_over"]["natural_person"] == 5
    assert stats.warnings == []


def split_everywhere(grids: list[Grid]):
    """The grids cut by a page break after each row in turn, the way PDFs cut tables:
    a cell running on over the break leaves an empty cell on the new page. Then each
    row itself cut in two: its label's top half and no numbers on one page, the rest
    of its label and its numbers on the next."""
    rows = [row for grid in grids for row in grid.rows]
    for cut in range(1, len(rows)):
        spanning = {id(c) for c in rows[cut - 1] if c is not None}
        top = [Cell("") if c is not None and id(c) in spanning else c for c in rows[cut]]
        yield f"after row {cut}", [Grid(rows[:cut]), Grid([top, *rows[cut + 1:]])]
    for cut, row in enumerate(rows):
        numbers = row[-7:]
        if len(row) != 10 or not any(c is not None and c.text.isdigit() for c in numbers):
            continue  # table 三's rows: three label columns, seven numbers
        upper = [Cell(c.text[: len(c.text) // 2]) if c is not None else c
                 for c in row[:3]] + [Cell("")] * 7
        lower = [Cell(c.text[len(c.text) // 2:]) if c is not None else c
                 for c in row[:3]] + list(numbers)
        yield f"inside row {cut}", [Grid([*rows[:cut], upper]), Grid([lower, *rows[cut + 1:]])]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_a_table_cut_by_a_page_break_anywhere_reads_as_one(fmt):
    year = 2023 if fmt == "2021" else 2020
    root = lxml_html.fromstring(f"<div>{report_html(ReportSpec('某某局', year))}</div>")
    grids = [grid_from_html_table(t) for t in root.iter("table")]
    whole = read_statistics(grids)
    assert whole.proactive and whole.requests and whole.appeals and whole.warnings == []
    cuts = list(split_everywhere(grids))
    assert sum(1 for cut, _ in cuts if cut.startswith("inside")) >= 20
    for cut, pages in cuts:
        stats = read_statistics(pages)
        assert (stats.proactive, stats.requests, stats.appeals) == (
            whole.proactive, whole.requests, whole.appeals), f"cut {cut}"


def test_a_real_pdf_block_cut_inside_its_heading_keeps_its_rows():
    """洪泽 2023: 第二十条第（六）项's heading ends page 2, its rows start page 3."""
    item = extract((FIXTURES / "hongze-qzf-2023-report.pdf").read_bytes())
    assert item.proactive["penalties"] == {"decisions": 4119}
    assert item.proactive["enforcement"] == {"decisions": 195}


def test_a_misprinted_label_is_read_by_its_place_and_said():
    item = extract((FIXTURES / "hongze-qzf-2024-report.pdf").read_bytes())
    assert "denied_prohibited_by_law" in item.requests
    assert item.warnings == [
        "requests: the row labelled '三.本年度办理结果(三)不予公开2.其他法律行政止公开' read as "
        "denied_prohibited_by_law by its place (item 2 under 不予公开)"]
    html = report_html(ReportSpec("某某局", 2023),
                       lambda b: b.replace("5.属于三类内部事务信息", "5.属于三娄内部事物信息"))
    stats = read_tables(html)
    assert set(stats.requests) >= {"denied_internal_affairs"}
    assert stats.warnings[0].endswith("read as denied_internal_affairs by its place (item 5 "
                                      "under 不予公开)")


def test_headings_split_over_lines_are_recognised():
    def split(body: str) -> str:
        for word, broken in (("总计", "总<br>计"), ("结果维持", "结果<br/>维持"),
                             ("尚未审结", "尚未 审结"), ("自然人", "自 然 人")):
            body = body.replace(f">{word}<", f">{broken}<")
        return body

    stats = read_tables(report_html(ReportSpec("某某局", 2023), split))
    expected = reports.report_numbers(ReportSpec("某某局", 2023))
    assert stats.warnings == []  # nothing assumed
    assert stats.appeals == expected["appeals"]
    assert {k: v for k, v in stats.requests.items() if k != "other_handling"} == {
        k: v for k, v in expected["requests"].items() if k != "other_handling"}


def test_other_handling_is_the_六_total_in_every_format():
    single = extract((FIXTURES / "hongze-qzf-2023-report.pdf").read_bytes())  # printed once
    assert single.format_version == "2021"
    assert single.requests["other_handling"]["total"] == 0
    assert not set(OTHER_2021) & set(single.requests)
    three = extract((FIXTURES / "pingtan-gwh-2021-report.html").read_bytes())
    rows = [three.requests[k] for k in OTHER_2021]
    assert three.requests["other_handling"] == {
        c: sum(r[c] or 0 for r in rows) if any(r[c] is not None for r in rows) else None
        for c in APPLICANTS}
    assert three.checks == []  # the sum is not counted twice in 三's identities
    assert extract((FIXTURES / "pingtan-gwh-2019-report.html").read_bytes()).requests[
        "other_handling"] is not None


def test_a_report_whose_tables_are_gone_says_so():
    page = (FIXTURES / "pingtan-gwh-2021-report.html").read_text("utf-8")
    root = lxml_html.fromstring(page)
    for table in list(root.iter("table")):
        table.getparent().remove(table)
    item = extract(lxml_html.tostring(root, encoding="utf-8"), "http://x.gov.cn/r.html")
    assert (item.requests, item.proactive, item.appeals) == (None, None, None)
    assert item.flags == ["tables_missing: the report's sections 二、三、四 have no statutory "
                          "tables"]
    assert "sections 二、三、四 are there, their statutory tables are not" in item.warnings


def garbage_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types><Override")
        package.writestr("word/document.xml", "<<<")
    return buffer.getvalue()


@pytest.mark.parametrize(("body", "url", "warning"), [
    (b"", "http://a.gov.cn/r.html", "the file is empty: nothing to read"),
    (b"  \n", "http://a.gov.cn/r.pdf", "the file is empty: nothing to read"),
    (garbage_docx(), "http://a.gov.cn/r.docx", "DOCX could not be opened: "),
    (b"<html><head><title>x</title></head></html>", "http://a.gov.cn/r.html",
     "the page has no body: nothing to read"),
    ("<html><body><p>今天召开了全体干部大会。</p></body></html>".encode(), "http://a.gov.cn/n.html",
     "not a report: no report title, statutory table or report section"),
])
def test_bad_input_gets_one_clear_line(body, url, warning):
    item = extract(body, url)
    [said] = item.warnings
    assert said.startswith(warning)


def test_the_cli_exits_non_zero_when_nothing_could_be_read(tmp_path):
    empty = tmp_path / "r.docx"
    empty.write_bytes(garbage_docx())
    result = subprocess.run([sys.executable, "-m", "crawler.extract", str(empty)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{empty}: nothing could be read: DOCX could not be opened")
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------- scans
def scanned(pdf: bytes, dpi: int = 150, askew: float = 0.0) -> bytes:
    """The PDF as a scanner makes it: each page an image, no text layer (fed ``askew``
    degrees off level, if asked)."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    pages = [document[i].render(scale=dpi / 72).to_pil().convert("L").rotate(
        askew, fillcolor=255, resample=Image.Resampling.BICUBIC) for i in range(len(document))]
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


@pytest.mark.slow
def test_a_scanned_report_is_read_by_ocr_every_value_marked():
    """洪泽 2023 rendered to page images at 150 dpi: OCR and ruling lines must give the
    same numbers as the text layer did, each marked with its confidence."""
    source = "hongze-qzf-2023-report.pdf"
    item = extract(scanned((FIXTURES / source).read_bytes()))
    expected = json.loads((TRUTH / f"{source}.json").read_text("utf-8"))
    got = cells({table: getattr(item, table) for table in TABLES})
    assert {k: got.get(k, "missing") for k in cells(expected)} == cells(expected)
    assert item.ocr["pages"] == [1, 2, 3, 4, 5]
    assert set(item.ocr["cells"]) >= {k for k, v in cells(expected).items() if v is not None}
    assert all(0 < confidence <= 1 for confidence in item.ocr["cells"].values())
    breaks = ["appeals review: total = 0, but upheld + corrected + other + pending = 11",
              "appeals litigation_after_review: total = 0, but upheld + corrected + other + "
              "pending = 5"]
    # run on OCR'd numbers, the 0s read at 65-75%: the breaks are said, but unverified
    assert [c.split(" (read by OCR")[0] for c in item.checks] == \
        [f"unverified: {b}" for b in breaks]
    assert item.title == "洪泽区人民政府2023年政府信息公开工作年度报告" and item.year == 2023
    assert item.sections["overview"] and item.format_version == "2021"
    text_layer = extract((FIXTURES / source).read_bytes())
    assert text_layer.ocr is None  # text layers are not OCR'd
    assert text_layer.checks == breaks  # and the agency's own breaks are said as such


@pytest.mark.slow
def test_a_page_scanned_askew_is_read_level():
    """Half a degree off level moves a table's borders by ten pixels across it, more
    than a cell border is looked for in: the page is turned level by its ruling lines
    first, and every cell reads as from a level scan."""
    source = "hongze-qzf-2024-report.pdf"
    item = extract(scanned((FIXTURES / source).read_bytes(), askew=0.6))
    expected = json.loads((TRUTH / f"{source}.json").read_text("utf-8"))
    got = cells({table: getattr(item, table) for table in TABLES})
    assert {k: got.get(k, "missing") for k in cells(expected)} == cells(expected)
