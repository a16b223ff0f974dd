"""The marks of one agency-year in the audit matrix: a few characters a reader scans,
the sentence behind them (the cell's tooltip), a colour and a sort order.

Marks are text, not colour alone, so the matrix reads in print, without script and
for colour-blind readers.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LEGEND", "cell"]

LEGEND = [
    ("✓", "published on time (by 31 January of the next year) 按时公开"),
    ("L", "published late 逾期公开"),
    ("?", "no publish date: on time unknown 无发布日期"),
    ("✗", "missing: no report found for a year due 未公开"),
    ("§", "sections missing (of the six required from 2019) 六部分不全"),
    ("T", "statutory tables missing (2019 and later) 缺少统计表"),
    ("▣", "tables published as images 表格为图片"),
    ("≠", "identities broken: table 三 or 四 does not add up 勾稽关系不符"),
    ("↔", "carry-over break with the year before or after 结转数不一致"),
    ("☣", "spam injected into the page 页面被植入垃圾信息"),
    ("R", "revised after publication 发布后修改"),
    ("r", "re-published with cosmetic changes only 仅格式变化"),
    ("{}", "the report's item (JSON), as the crawl wrote it"),
    ("▶", "the archived page in replay (needs make replay running)"),
]
_ON_TIME = {"yes": "✓", "late": "L", "unknown": "?"}
_SCORE = {"missing": 0, "problem": 1, "unknown": 2, "ok": 3}  # worst first when ascending


def _problems(row: dict[str, Any]) -> list[tuple[str, str]]:
    """(mark, why) for each thing wrong with a published report."""
    found = []
    if row["on_time"] == "late":
        found.append(("L", f"late: published {row['publish_date']}, due {row['deadline']}"))
    if row["sections"] == "incomplete":
        found.append(("§", f"sections {row['sections_present']}/6, missing "
                           f"{row['sections_missing']}"))
    if row["tables"] == "missing":
        found.append(("T", f"statutory tables missing: {row['tables_missing']}"))
    if row["tables"] == "images":
        found.append(("▣", "tables published as images"))
    if row["identities"] == "broken":
        found.append(("≠", f"{row['checks']} identities broken"))
    if row["cross_year"] == "broken":
        found.append(("↔", f"{row['carry_over_breaks']} carry-over breaks"))
    if row["spam"]:
        found.append(("☣", "spam injected into the page"))
    return found


def cell(row: dict[str, Any], details: list[str]) -> dict[str, Any]:
    """The matrix cell of an ``agency_years`` row; ``details`` (broken identities,
    carry-over breaks) are added to its tooltip."""
    year = row["year"]
    if row["status"] == "missing":
        return {"marks": "✗", "css": "missing", "score": _SCORE["missing"],
                "title": f"{year}: no report found (due {row['deadline']})"}
    problems = _problems(row)
    marks = _ON_TIME.get(row["on_time"], "") + "".join(
        mark for mark, _ in problems if mark != "L")
    revised = {"substantive": "R", "cosmetic": "r"}.get(row["revised"] or "", "")
    css = "problem" if problems else "unknown" if row["on_time"] == "unknown" else "ok"
    title = [f"{year}: published {row['publish_date'] or '(no date)'}, due {row['deadline']}",
             *(why for _, why in problems), *details]
    if revised:
        title.append(f"revised after publication ({row['revised']})")
    return {"marks": marks + revised, "css": css, "score": _SCORE[css],
            "title": "\n".join(title)}
