"""The identities of table 三 and 四 (``shared/docs/domain.md``) the printed numbers break,
and whether the break is the report's own.

A break is the agency's only when every number it uses was read with confidence: from
the text layer, or by OCR at ``CERTAIN`` or above. A break that uses a number OCR was
unsure of may be the reading's, not the agency's: it is said as ``unverified: …``
with the uncertain cells, and the audit never counts it as a broken identity.
"""

from __future__ import annotations

from .keys import APPLICANTS, OTHER_2021, OUTCOMES, RESULT_ROWS

__all__ = ["CERTAIN", "UNVERIFIED", "checks", "judged_checks"]

CERTAIN = 0.95  # an OCR'd number at least this sure counts as read
UNVERIFIED = "unverified: "


def judged_checks(requests: dict[str, dict[str, int | None]],
                  appeals: dict[str, dict[str, int | None]],
                  ocr: dict[str, float]) -> list[str]:
    """Each broken identity as a sentence; ``unverified: …`` when a number it uses was
    read by OCR with less than ``CERTAIN`` confidence (``ocr``: cell key -> confidence)."""
    judged = []
    for sentence, cells in _breaks(requests, appeals):
        unsure = [cell for cell in cells if ocr.get(cell, 1.0) < CERTAIN]
        judged.append(f"{UNVERIFIED}{sentence} (read by OCR, uncertain: "
                      f"{', '.join(unsure)})" if unsure else sentence)
    return judged


def checks(requests: dict[str, dict[str, int | None]],
           appeals: dict[str, dict[str, int | None]]) -> list[str]:
    """Each identity of domain.md the printed numbers break, as a readable sentence."""
    return [sentence for sentence, _ in _breaks(requests, appeals)]


def _breaks(requests: dict[str, dict[str, int | None]],
            appeals: dict[str, dict[str, int | None]]) -> list[tuple[str, list[str]]]:
    """Each broken identity: its sentence, and the cells (``requests.row.column``) it
    uses."""
    found: list[tuple[str, list[str]]] = []

    def v(row: str, column: str) -> int:
        return (requests.get(row) or {}).get(column) or 0

    def printed(rows, column: str) -> bool:
        return any((requests.get(r) or {}).get(column) is not None for r in rows)

    def cells(rows, column: str) -> list[str]:
        return [f"requests.{r}.{column}" for r in rows]

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
                found.append((f"requests {column}: new_received + carried_over = {left}, "
                              f"but total_processed + carried_forward = {right}",
                              cells(("new_received", "carried_over", "total_processed",
                                     "carried_forward"), column)))
            added = sum(v(r, column) for r in results)
            if "total_processed" in requests and printed(results, column) \
                    and added != v("total_processed", column):
                found.append((f"requests {column}: total_processed = "
                              f"{v('total_processed', column)}, but the result rows add up "
                              f"to {added}", cells(("total_processed", *results), column)))
        for row in requests:
            parts = sum(v(row, c) for c in APPLICANTS[:-1])
            row_printed = any(requests[row].get(c) is not None for c in APPLICANTS[:-1])
            if requests[row].get("total") is not None and row_printed and parts != v(row, "total"):
                found.append((f"requests {row}: total = {v(row, 'total')}, but the applicant "
                              f"columns add up to {parts}",
                              [f"requests.{row}.{c}" for c in APPLICANTS]))
    for group, values in appeals.items():
        parts = sum(values.get(o) or 0 for o in OUTCOMES[:-1])
        if values.get("total") is not None and parts != values["total"]:
            found.append((f"appeals {group}: total = {values['total']}, but upheld + corrected "
                          f"+ other + pending = {parts}",
                          [f"appeals.{group}.{o}" for o in OUTCOMES]))
    return found
