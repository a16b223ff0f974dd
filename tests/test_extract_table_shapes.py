"""Table 二 in the shapes agencies lay it out, written from the national template's
structure (``annual-report-format-template-2021.docx``: four 第二十条 blocks, each a
heading row and its rows), not from one page: the blocks stacked with their 第二十条
label merged down a first column, a 勾稽 note in a row of its own, headings in two
paragraphs. Every shape reads the same numbers."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from crawler.extract.grid import grid_from_html_table
from crawler.extract.statistics import read_statistics

BLOCKS = [
    ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
     [("规章", [1, 0, 5]), ("行政规范性文件", [3, 1, 12])]),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"],
     [("行政许可", [120])]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"],
     [("行政处罚", [7]), ("行政强制", [2])]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"],
     [("行政事业性收费", [0])]),
]
EXPECTED = {"rules": {"issued": 1, "repealed": 0, "in_force": 5},
            "normative_documents": {"issued": 3, "repealed": 1, "in_force": 12},
            "licensing": {"decisions": 120}, "penalties": {"decisions": 7},
            "enforcement": {"decisions": 2}, "fees": {"amount_10k_yuan": 0.0}}


def _row(cells: list[str]) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def template_shape() -> str:
    """As the template prints it: a title row per block, then its heading and rows."""
    out = []
    for title, heading, rows in BLOCKS:
        out.append(f'<tr><td colspan="4">{title}</td></tr>')
        out.append(_row(heading))
        out += [_row([label, *map(str, values)]) for label, values in rows]
    return "".join(out)


def merged_first_column() -> str:
    """Stacked: each block's 第二十条 label merged down a first column over its heading
    and rows."""
    out = []
    for title, heading, rows in BLOCKS:
        span = 1 + len(rows)
        out.append(f'<tr><td rowspan="{span}">{title}</td>' + "".join(
            f"<td>{h}</td>" for h in heading) + "</tr>")
        out += [_row([label, *map(str, values)]) for label, values in rows]
    return "".join(out)


def split_headings() -> str:
    """Headings in two paragraphs (本年<br>制发件数) and a 勾稽 note in a row of its own."""
    out = []
    for title, heading, rows in BLOCKS:
        out.append(f'<tr><td colspan="4"><p>{title}</p></td></tr>')
        out.append(_row([h[:2] + "<br/>" + h[2:] if len(h) > 4 else h for h in heading]))
        out += [_row([label, *map(str, values)]) for label, values in rows]
    out.append('<tr><td colspan="4">注：本表数据与上年度报告数据勾稽关系一致。</td></tr>')
    return "".join(out)


@pytest.mark.parametrize("shape", [template_shape, merged_first_column, split_headings])
def test_table_two_reads_the_same_numbers_in_every_shape(shape):
    table = lxml_html.fromstring(f"<table>{shape()}</table>")
    stats = read_statistics([grid_from_html_table(table, "table 1")])
    got = {key: {c: v for c, v in values.items() if v is not None}
           for key, values in stats.proactive.items()}
    assert got == EXPECTED, stats.warnings
