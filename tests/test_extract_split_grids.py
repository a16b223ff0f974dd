"""Tables whose rows do not share their column edges read as the tables they are.

Word and WPS keep each row's cell widths: a border dragged in one row, or rows pasted
from another table, leave edges that do not meet, and a DOC converted by LibreOffice
or a page Word saved as HTML then lays the table on a grid of every edge, each cell
spanning several slivers. A reader going by grid position took a heading's number
from the next column: table 四 of such Word 97 and WPS reports was misread (values
shifted or doubled, "column headings not all recognised"), and so was table 三.

Two ways in: every real report fixture's grids, split and dragged as such tables
are (whatever the document's kind), and the national template saved through Word
97 with its borders dragged, read as DOC and as WPS.
"""

from __future__ import annotations

import json
import random
import shutil

import pytest

from crawler.extract import extract, read_document
from crawler.extract.grid import Cell, Grid
from crawler.extract.statistics import read_statistics
from tests.conftest import FIXTURES, ROOT
from tests.wordtables import drag_borders, fill_blanks, word97

REPORTS = sorted(p for p in FIXTURES.iterdir()
                 if "report" in p.name and p.suffix in (".html", ".pdf")) + [
    FIXTURES / "annual-report-format-template-2021.docx"]
TABLES = ("proactive", "requests", "appeals")


def _split(grid: Grid, rnd: random.Random, parts: int, drag: int) -> Grid:
    """Each column cut into ``parts`` positions; each row's edges between two cells
    moved by up to ``drag`` positions, row by row (as Word keeps them)."""
    rows = []
    for row in grid.rows:
        wide = [cell for cell in row for _ in range(parts)]
        for edge in range(1, len(row)):
            if row[edge - 1] is row[edge]:
                continue
            move = rnd.randint(-drag, drag)
            for position in range(parts * edge + min(move, 0), parts * edge + max(move, 0)):
                wide[position] = row[edge] if move < 0 else row[edge - 1]
        rows.append(wide)
    return Grid(rows, grid.source)


def _tables(grids: list[Grid]) -> dict:
    stats = read_statistics(grids)
    return {"tables": {key: getattr(stats, key) for key in TABLES},
            "warnings": [w for w in stats.warnings if "not all recognised" in w]}


@pytest.fixture(scope="module")
def read_reports():
    documents = {p.name: read_document(p.read_bytes(), f"http://a.gov.cn/{p.name}")
                 for p in REPORTS}
    return {name: (doc.grids, _tables(doc.grids)) for name, doc in documents.items()
            if _tables(doc.grids)["tables"]["requests"]}


def test_the_fixtures_have_tables_to_read(read_reports):
    assert len(read_reports) >= 12  # every real report of the 2019 and 2021 formats


@pytest.mark.parametrize("parts", [2, 3])
def test_every_real_report_reads_the_same_with_each_column_split(read_reports, parts):
    """Word's HTML export: one column is two or three grid columns, each cell spanning
    them all. No reader may see the slivers."""
    for name, (grids, expected) in read_reports.items():
        split = [_split(g, random.Random(0), parts, 0) for g in grids]
        assert _tables(split) == expected, name


@pytest.mark.parametrize("seed", range(4))
def test_every_real_report_reads_the_same_with_its_borders_dragged(read_reports, seed):
    """Each row's own edges off by up to a sixth of a column either way: a heading and
    its numbers share most of their width, never all of it."""
    for name, (grids, expected) in read_reports.items():
        rnd = random.Random(seed)
        dragged = [_split(g, rnd, 6, 1) for g in grids]
        assert _tables(dragged) == expected, name


@pytest.fixture(scope="module")
def template():
    """The national template with a distinct number in every value cell."""
    return fill_blanks((FIXTURES / "annual-report-format-template-2021.docx").read_bytes())


def _read(body: bytes, name: str, content_type: str | None = None) -> dict:
    item = extract(body, f"http://a.gov.cn/{name}", content_type)
    return {"tables": {key: getattr(item, key) for key in TABLES},
            "warnings": [w for w in item.warnings if "not all recognised" in w],
            "source_type": item.source_type}


def test_the_filled_template_reads_every_number_in_its_place(template):
    read = _read(template, "r.docx")
    assert read["warnings"] == []
    appeals = read["tables"]["appeals"]
    first = appeals["review"]["upheld"]
    assert [appeals[g][o] for g in ("review", "litigation_direct", "litigation_after_review")
            for o in ("upheld", "corrected", "other", "pending", "total")] == \
        list(range(first, first + 15))
    requests = read["tables"]["requests"]
    assert [requests["new_received"][k] for k in requests["new_received"]] == \
        list(range(requests["new_received"]["natural_person"],
                   requests["new_received"]["natural_person"] + 7))


@pytest.mark.parametrize("seed", range(3))
def test_the_template_reads_the_same_with_its_borders_dragged(template, seed):
    expected = _read(template, "r.docx")
    assert _read(drag_borders(template, seed), "r.docx") == expected


@pytest.mark.slow
def test_word_97_and_wps_copies_with_dragged_borders_read_every_table_right(template):
    """Saved as Word 97 by LibreOffice, and the same bytes as ``.wps`` sent as
    ``application/octet-stream``: read back through LibreOffice's DOCX, each of
    tables 二, 三 and 四 equals the undragged template's."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (make install installs it)")
    expected = _read(template, "r.docx")["tables"]
    for seed in range(2):
        body = word97(drag_borders(template, seed))
        as_doc = _read(body, "r.doc", "application/msword")
        as_wps = _read(body, "r.wps", "application/octet-stream")
        assert (as_doc["source_type"], as_wps["source_type"]) == ("doc", "wps")
        assert as_doc["tables"] == expected and as_wps["tables"] == expected
        assert as_doc["warnings"] == as_wps["warnings"] == []


# ------------------------------------------------ variants written from the description
VARIANTS = ROOT / "tests" / "fixtures"


@pytest.mark.parametrize("name", ["split_grids/a.html", "split_grids/b.docx",
                                  "split_grids/b.doc", "split_grids_more/c.html",
                                  "split_grids_more/d.docx", "split_grids_more/d.pdf"])
def test_split_grid_reports_written_from_the_description_read_every_number(name):
    """Written by two helpers from the description alone (each folder's README.md): a
    Word "Save as HTML" page in GBK with its spacer row; a hand-written DOCX whose
    15-number row starts late and ends early (``w:gridBefore``/``w:gridAfter``) and its
    Word 97 copy; a LibreOffice HTML page whose grid is only ``<col width>``; a DOCX with
    ``w:gridAfter`` rows and its PDF, each row's rules drawn where its edges are."""
    if name.endswith(".doc") and shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (make install installs it)")
    folder, _, file = name.partition("/")
    expected = json.loads((VARIANTS / folder / "expected.json").read_text("utf-8"))[file]
    read = _read((VARIANTS / name).read_bytes(), file)
    assert read["warnings"] == []
    for table in TABLES:
        assert read["tables"][table] == expected[table], table


# --------------------------------------------------------- what a fresh review found
OUTCOME_HEADINGS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _table_four(values: list[Cell | None]) -> list[list[Cell | None]]:
    top = [Cell("行政复议")] * 5 + [Cell("行政诉讼")] * 10
    review = [Cell(o) for o in OUTCOME_HEADINGS]
    direct, after = Cell("未经复议直接起诉"), Cell("复议后起诉")
    middle = review + [direct] * 5 + [after] * 5
    bottom = review + [Cell(o) for o in OUTCOME_HEADINGS] * 2
    return [top, middle, bottom, values]


def test_table_four_with_a_place_no_cell_covers_reads_every_other_number():
    """A PDF table whose ruling misses one cell leaves a place covered by nothing
    (None): that one number is empty, the fourteen others stay in their places."""
    values: list[Cell | None] = [Cell(str(n)) for n in range(1, 16)]
    values[6] = None
    stats = read_statistics([Grid(_table_four(values))])
    assert stats.appeals["litigation_direct"] == {"upheld": 6, "corrected": None, "other": 8,
                                                  "pending": 9, "total": 10}
    assert stats.appeals["review"]["upheld"] == 1
    assert stats.appeals["litigation_after_review"]["total"] == 15
    assert not [w for w in stats.warnings if "recognised" in w]


def test_a_malformed_declared_width_is_ignored_not_fatal():
    from lxml import html as lxml_html

    from crawler.extract.grid import grid_from_html_table

    table = lxml_html.fromstring('<table><tr><td width="1.2.3">a</td><td width=".">b</td>'
                                 '<td style="width:12.5.3pt">c</td></tr></table>')
    assert [c.text for c in grid_from_html_table(table).rows[0]] == ["a", "b", "c"]


def test_a_word_under_a_number_heading_is_said_not_dropped(read_reports):
    """A cell under 自然人 that holds no number (不详) is that column's, warned about."""
    grids, _ = read_reports["pingtan-gwh-2021-report.html"]
    grid = next(g for g in grids if any(c is not None and c.text == "自然人"
                                        for row in g.rows for c in row))
    row = next(r for r in grid.rows if r[0] is not None and r[0].text.startswith("一、"))
    first = next(c for c in grid.distinct(row) if c.text.isdigit())
    original, first.text = first.text, "不详"
    first._label = None
    try:
        stats = read_statistics(grids)
    finally:
        first.text, first._label = original, None
    assert stats.requests["new_received"]["natural_person"] is None
    assert any("不详" in w and "new_received.natural_person" in w for w in stats.warnings)
