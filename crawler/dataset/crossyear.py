"""Cross-year checks: what one report carries forward, the next must carry over.

Table 三's 四、结转下年度继续办理 (``carried_forward``) of year N is, by definition, the
二、上年结转政府信息公开申请数量 (``carried_over``) of year N+1, per applicant column. No
single report can show a break, so no extractor flags it; each break is recorded with
both numbers and both reports, never "fixed". A blank cell counts as 0 (domain.md)
but is kept as printed (null) in the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..extract.keys import APPLICANTS
from .versions import Version

__all__ = ["CarryOverBreak", "carry_over"]


@dataclass(frozen=True)
class CarryOverBreak:
    agency_id: str
    applicant: str
    year: int
    carried_forward: int | float | None  # printed in year's report
    report_id: str
    version: int
    next_year: int
    carried_over: int | float | None  # printed in next_year's report
    next_report_id: str
    next_version: int

    def row(self) -> dict[str, Any]:
        return asdict(self)


def carry_over(agency_id: str, reports: Mapping[int, Version]
               ) -> tuple[list[tuple[int, int]], list[CarryOverBreak]]:
    """(the consecutive years that could be compared, the breaks) for one agency's
    reports by year (each year's report as the audit chose it)."""
    compared: list[tuple[int, int]] = []
    breaks: list[CarryOverBreak] = []
    for year in sorted(reports):
        if year + 1 not in reports:
            continue
        before, after = reports[year], reports[year + 1]
        forward = (before.item.get("requests") or {}).get("carried_forward")
        over = (after.item.get("requests") or {}).get("carried_over")
        if forward is None or over is None:  # a row not printed: nothing to compare
            continue
        compared.append((year, year + 1))
        for applicant in APPLICANTS:
            printed, next_printed = forward.get(applicant), over.get(applicant)
            if (printed or 0) != (next_printed or 0):
                breaks.append(CarryOverBreak(
                    agency_id, applicant, year, printed, before.report_id, before.number,
                    year + 1, next_printed, after.report_id, after.number))
    return compared, breaks
