"""The identities of table 三 and 四 (``shared/docs/domain.md``) the printed numbers break."""

from __future__ import annotations

from .keys import APPLICANTS, OTHER_2021, OUTCOMES, RESULT_ROWS

__all__ = ["checks"]


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
        if any(r in requests for r in OTHER_2021):  # other_handling is then their sum
            results = [r for r in results if r != "other_handling"]
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
