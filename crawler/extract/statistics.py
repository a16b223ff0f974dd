"""The statutory tables — 二 (主动公开), 三 (依申请), 四 (复议/诉讼) — as numbers.

Rows and columns are found by their labels (``shared/docs/domain.md`` gives the
keys), never by position in the table: reports merge, split, misalign and
abbreviate cells freely. Grids are read in document order as one stream, so a
table split over two PDF pages (or two HTML tables) reads as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .grid import Cell, Grid
from .text import NotANumber, label, parse_number

__all__ = ["APPLICANTS", "OUTCOMES", "Statistics", "read_statistics", "REQUEST_ROWS",
           "PROACTIVE_KEYS", "APPEAL_GROUPS", "checks"]

APPLICANTS = ["natural_person", "commercial", "research", "public_interest", "legal_services",
              "other_org", "total"]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
APPEAL_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
RESULT_ROWS = [
    "granted", "partly_granted", "denied_state_secret", "denied_prohibited_by_law",
    "denied_security_stability", "denied_third_party", "denied_internal_affairs",
    "denied_process_info", "denied_enforcement_file", "denied_inquiry", "unavailable_not_held",
    "unavailable_needs_creation", "unavailable_unclear", "rejected_petition",
    "rejected_duplicate", "rejected_publication", "rejected_mass_repeat", "rejected_reconfirm",
    "other_no_correction", "other_unpaid_fee", "other_misc", "other_handling"]
REQUEST_ROWS = ["new_received", "carried_over", *RESULT_ROWS, "total_processed",
                "carried_forward"]

# (key, pattern on the normalised label); the first match wins, so order matters.
_REQUEST_PATTERNS = [(key, re.compile(pattern)) for key, pattern in [
    ("new_received", r"本年新收"), ("carried_over", r"上年结转"),
    ("carried_forward", r"结转下年"), ("partly_granted", r"部分公开"),
    ("granted", r"予以公开"), ("denied_state_secret", r"国家秘密"),
    ("denied_prohibited_by_law", r"法律行政法规禁止|法律法规禁止"),
    ("denied_security_stability", r"三安全一稳定|危及"), ("denied_third_party", r"第三方"),
    ("denied_internal_affairs", r"内部事务"), ("denied_process_info", r"过程性"),
    ("denied_enforcement_file", r"执法案卷"), ("denied_inquiry", r"查询事项"),
    ("unavailable_not_held", r"不掌握"), ("unavailable_needs_creation", r"另行制作|没有现成"),
    ("other_no_correction", r"不补正"), ("unavailable_unclear", r"仍不明确"),
    ("rejected_petition", r"信访|举报投诉"), ("rejected_mass_repeat", r"大量反复"),
    ("rejected_duplicate", r"重复申请"), ("rejected_publication", r"出版物"),
    ("rejected_reconfirm", r"重新出具|确认或"), ("other_unpaid_fee", r"收费通知|缴纳费用"),
    ("total_processed", r"总计$"),
]]
_APPLICANT_PATTERNS = [("commercial", r"商业企业"), ("research", r"科研机构"),
                       ("public_interest", r"社会公益"), ("legal_services", r"法律服务"),
                       ("natural_person", r"自然人"), ("total", r"总计|合计"),
                       ("other_org", r"^其他$")]
_OUTCOME_PATTERNS = [("upheld", r"维持"), ("corrected", r"纠正"), ("pending", r"尚未|未审结"),
                     ("total", r"总计|合计"), ("other", r"其他")]

PROACTIVE_KEYS = {
    "rows": [("rules", r"^规章$"), ("normative_documents", r"规范性文件"),
             ("licensing", r"^行政许可$"), ("other_services", r"其他对外管理服务"),
             ("penalties", r"^行政处罚$"), ("enforcement", r"^行政强制$"),
             ("fees", r"行政事业性收费"), ("procurement", r"政府集中采购")],
    "columns": [("issued", r"制发"), ("repealed", r"废止"), ("in_force", r"现行有效"),
                ("made", r"新制作"), ("published", r"新公开"), ("total_public", r"公开总数"),
                ("items_prev_year", r"上一?年项目"), ("change", r"增/?减"),
                ("decisions", r"处理决定"), ("amount_10k_yuan", r"收费金额"),
                ("projects", r"采购项目"), ("amount", r"采购总?金额")],
}
_DECIMAL_COLUMNS = {"amount_10k_yuan", "amount"}


def _match(patterns, text: str) -> str | None:
    for key, pattern in patterns:
        if re.search(pattern, text):
            return key
    return None


@dataclass
class Statistics:
    proactive: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: dict[str, dict[str, int | None]] = field(default_factory=dict)
    appeals: dict[str, dict[str, int | None]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def number(self, text: str, where: str, decimal: bool = False) -> int | float | None:
        try:
            return parse_number(text, decimal=decimal)
        except NotANumber as exc:
            self.warnings.append(f"{where}: {exc}; left empty")
            return None

    def count(self, text: str, where: str) -> int | None:
        """A number of requests or cases: a whole number (``3.0`` is 3)."""
        value = self.number(text, where)
        if isinstance(value, float):
            if not value.is_integer():
                self.warnings.append(f"{where}: {text!r} is not a whole number; left empty")
                return None
            return int(value)
        return value


def read_statistics(grids: list[Grid]) -> Statistics:
    stats = Statistics()
    reader = _Reader(stats)
    for grid in grids:
        reader.grid(grid)
    stats.proactive = {k: v for k, v in stats.proactive.items() if v}
    return stats


class _Reader:
    """Walks every row once; each row is a header, a data row of one table, or nothing."""

    def __init__(self, stats: Statistics) -> None:
        self.stats = stats
        self.proactive_columns: list[str | None] | None = None
        self.proactive_header: list[str | None] = []
        self.amount_unit: str | None = None  # 采购总金额（元）: the unit in the heading
        self.request_columns: dict[int, str] | None = None
        self.request_width = 0
        self.last_request = ""
        self.appeal_header: list[list[Cell | None]] = []
        self.appeal_grid: Grid | None = None

    def grid(self, grid: Grid) -> None:
        rows, index = grid.rows, 0
        while index < len(rows):
            row = rows[index]
            texts = [c.label for c in grid.distinct(row)]
            index += 1
            if not texts or self._appeals(grid, row, texts):
                continue
            if any("自然人" in t or "申请人情况" in t for t in texts):
                index = self._request_header(grid, rows, index - 1)
            elif not self._requests(grid, row):
                self._proactive(grid, row, texts)

    # ---------------------------------------------------------------- 二
    def _proactive(self, grid: Grid, row, texts: list[str]) -> None:
        first = texts[0]
        if first.startswith("第二十条"):
            self.proactive_columns = None
            return
        if first.startswith("信息内容"):
            self.proactive_columns = [_match(PROACTIVE_KEYS["columns"], t) for t in texts[1:]]
            self.amount_unit = next((_unit(t) for t in texts[1:]
                                     if _match(PROACTIVE_KEYS["columns"], t) == "amount"), None)
            self.proactive_header = [None if cell is None else
                                     _match(PROACTIVE_KEYS["columns"], cell.label)
                                     for cell in row]
            return
        key = _match(PROACTIVE_KEYS["rows"], first)
        if key is None or self.proactive_columns is None:
            return
        values = self.stats.proactive.setdefault(key, {})
        for column, text in self._proactive_cells(grid, row, key, self.proactive_columns):
            where = f"proactive.{key}.{column}"
            value: Any
            if column == "amount":
                value = self._amount(text, where)
            else:
                value = self.stats.number(text, where, column in _DECIMAL_COLUMNS)
            if values.get(column) is not None and value is not None and value != values[column]:
                self.stats.warnings.append(f"{where}: two different values ({values[column]}, "
                                           f"{value}) under one heading; the first kept")
            elif values.get(column) is None:
                values[column] = value

    def _proactive_cells(self, grid: Grid, row: list[Cell | None], key: str,
                         columns: list[str | None]) -> list[tuple[str, str]]:
        """(column, cell text) pairs: by the order of distinct cells when they match the
        headings one for one (spans that disagree between rows stay right), else by
        grid position under the heading row."""
        cells = grid.distinct(row)[1:]
        if len(cells) == len(columns):
            return [(c, cell.text) for c, cell in zip(columns, cells, strict=True) if c]
        by_position = []
        for position, cell in enumerate(row[1:len(self.proactive_header)], 1):
            column = self.proactive_header[position]
            if cell is not None and column and cell is not row[0]:
                by_position.append((column, cell.text))
        if not by_position:
            self.stats.warnings.append(f"proactive.{key}: its cells do not line up with the "
                                       f"headings; row not read")
        return by_position

    def _amount(self, text: str, where: str) -> dict[str, Any] | None:
        unit = _unit(text) or self.amount_unit
        value = self.stats.number(text, where, decimal=True)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return {"value": value, "unit": unit}

    # ---------------------------------------------------------------- 三
    def _request_header(self, grid: Grid, rows, index: int) -> int:
        """Read the column headings from ``rows[index]`` on; return the first data row."""
        header_rows = []
        for row in rows[index:]:
            row_texts = [c.label for c in grid.distinct(row)]
            if any(_match(_REQUEST_PATTERNS, t) for t in row_texts[:3]) and \
                    not any("自然人" in t for t in row_texts):
                break
            header_rows.append(row)
        columns: dict[int, str] = {}
        for position in range(grid.width):
            stack = [r[position].label for r in header_rows
                     if position < len(r) and r[position] is not None]
            deepest = stack[-1] if stack else ""
            key = _match(_APPLICANT_PATTERNS, deepest)
            if key and key not in columns.values():
                columns[position] = key
        if len(columns) == 7:
            self.request_columns, self.request_width = columns, grid.width
        else:
            self.stats.warnings.append("requests: column headings not all recognised; "
                                       "assuming the statutory column order")
            self.request_columns, self.request_width = None, 0
        return index + len(header_rows)

    def _requests(self, grid: Grid, row) -> bool:
        if len(row) < 8:
            return False
        columns = self.request_columns if grid.width == self.request_width else None
        value_positions = sorted(columns) if columns else list(range(len(row) - 7, len(row)))
        label_cells = []
        for cell in row[:value_positions[0]]:
            if cell is not None and cell not in label_cells:
                label_cells.append(cell)
        text = label("".join(c.text for c in label_cells))
        key = self._request_key(text)
        if key is None:
            return self._unknown_request_row(text, [row[p] for p in value_positions])
        if key in self.stats.requests:
            self.stats.warnings.append(f"requests.{key}: a second row labelled {text!r}; "
                                       f"the first kept")
            return True
        cells = [row[p] for p in value_positions]
        if len({id(c) for c in cells if c is not None}) < len([c for c in cells if c is not None]):
            self.stats.warnings.append(f"requests.{key}: a value cell spans two columns; "
                                       f"row not read")
            return True
        keys = [columns[p] for p in value_positions] if columns else APPLICANTS
        self.stats.requests[key] = {
            column: self.stats.count(cell.text if cell else "", f"requests.{key}.{column}")
            for column, cell in zip(keys, cells, strict=True)}
        self.last_request = key
        return True

    def _unknown_request_row(self, text: str, cells: list[Cell | None]) -> bool:
        """Inside table 三 (after its first row, before 结转下年度), a row with numbers
        and a label of no statutory row: said, never dropped silently."""
        inside = bool(self.last_request) and "carried_forward" not in self.stats.requests
        if not (inside and text and any(c is not None and _printed_number(c.text)
                                         for c in cells)):
            return False
        self.stats.warnings.append(f"requests: a row labelled {text!r} is not a row of the "
                                   f"statutory table; not read")
        return True

    def _request_key(self, text: str) -> str | None:
        if not text:
            return None
        own = re.sub(r"^.*?(?:其他处理)", "", text)
        if "其他处理" in text and own in ("", ")"):
            return "other_handling"
        if re.search(r"(?:^|[\d.)])其他$", text) and (
                "其他处理" in text or self.last_request.startswith("other_")):
            return "other_misc"
        return _match(_REQUEST_PATTERNS, text)

    # ---------------------------------------------------------------- 四
    def _appeals(self, grid: Grid, row, texts: list[str]) -> bool:
        joined = "".join(texts)
        if "行政复议" in joined and "行政诉讼" in joined and not self.appeal_header:
            self.appeal_header = [row]
            self.appeal_grid = grid
            return True
        if not self.appeal_header:
            return False
        numeric = [c for c in row if c is not None and _numberish(c.text)]
        if len(numeric) < len([c for c in row if c is not None]) or len(row) < 15:
            if grid is self.appeal_grid:
                self.appeal_header.append(row)
                return True
            self.appeal_header = []
            return False
        self._appeal_values(row)
        self.appeal_header = []
        return True

    def _appeal_values(self, row) -> None:
        positions = list(range(len(row) - 15, len(row)))
        keys: list[tuple[str, str] | None] = []
        for position in positions:
            stack = [cell.label for r in self.appeal_header
                     if position < len(r) and (cell := r[position]) is not None]
            joined = "".join(stack)
            group = ("litigation_direct" if "未经复议" in joined else
                     "litigation_after_review" if "复议后" in joined else
                     "review" if "行政复议" in joined else None)
            outcome = _match(_OUTCOME_PATTERNS, stack[-1] if stack else "")
            keys.append((group, outcome) if group and outcome else None)
        named = [k for k in keys if k is not None]
        if len(set(named)) != 15:
            self.stats.warnings.append("appeals: column headings not all recognised; "
                                       "assuming the statutory column order")
            named = [(g, o) for g in APPEAL_GROUPS for o in OUTCOMES]
        for (group, outcome), position in zip(named, positions, strict=True):
            cell = row[position]
            self.stats.appeals.setdefault(group, {})[outcome] = self.stats.count(
                cell.text if cell else "", f"appeals.{group}.{outcome}")
        self.stats.appeals = {g: {o: self.stats.appeals[g].get(o) for o in OUTCOMES}
                              for g in APPEAL_GROUPS if g in self.stats.appeals}


_UNIT = re.compile(r"(万元|元)\)?$")


def _unit(text: str) -> str | None:
    """元 or 万元, printed after a number or at the end of a heading (``(元)``,
    ``(单位:万元)``; labels have their parentheses normalised)."""
    match = _UNIT.search(label(text))
    return match.group(1) if match else None


def _numberish(text: str) -> bool:
    try:
        parse_number(text)
    except NotANumber:
        return False
    return True


def _printed_number(text: str) -> bool:
    """A cell holding a number (not blank, not a dash)."""
    try:
        return parse_number(text) is not None
    except NotANumber:
        return False


# ------------------------------------------------------------------- checks
def checks(requests: dict[str, dict[str, int | None]],
           appeals: dict[str, dict[str, int | None]]) -> list[str]:
    """Each identity of domain.md the printed numbers break, as a readable sentence."""
    found: list[str] = []

    def v(row: str, column: str) -> int:
        return (requests.get(row) or {}).get(column) or 0

    def printed(rows, column: str) -> bool:
        return any((requests.get(r) or {}).get(column) is not None for r in rows)

    if requests:
        results = [r for r in RESULT_ROWS if r in requests]
        for column in APPLICANTS:
            if not any((requests[r].get(column) is not None) for r in requests):
                continue
            left = v("new_received", column) + v("carried_over", column)
            right = v("total_processed", column) + v("carried_forward", column)
            if left != right:
                found.append(f"requests {column}: new_received + carried_over = {left}, "
                             f"but total_processed + carried_forward = {right}")
            added = sum(v(r, column) for r in results)
            if "total_processed" in requests and printed(results, column) \
                    and added != v("total_processed", column):
                found.append(f"requests {column}: total_processed = "
                             f"{v('total_processed', column)}, but the result rows add up to "
                             f"{added}")
        for row in requests:
            parts = sum(v(row, c) for c in APPLICANTS[:-1])
            row_printed = any(requests[row].get(c) is not None for c in APPLICANTS[:-1])
            if requests[row].get("total") is not None and row_printed and parts != v(row, "total"):
                found.append(f"requests {row}: total = {v(row, 'total')}, but the applicant "
                             f"columns add up to {parts}")
    for group, values in appeals.items():
        parts = sum(values.get(o) or 0 for o in OUTCOMES[:-1])
        if values.get("total") is not None and parts != values["total"]:
            found.append(f"appeals {group}: total = {values['total']}, but upheld + corrected "
                         f"+ other + pending = {parts}")
    return found
