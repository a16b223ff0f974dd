"""The identities of tables 三 and 四 (``crawler.extract.checks``) on reports that print
only some of their cells: a blank cell is not a zero that excuses a broken identity, and
a row or column printed in part is still checked."""

from __future__ import annotations

from crawler.extract.checks import checks
from crawler.extract.keys import APPLICANTS


def row(**cells: int | None) -> dict[str, int | None]:
    return {column: cells.get(column) for column in APPLICANTS}


def test_a_column_printed_in_some_rows_only_is_checked():
    requests = {"new_received": row(natural_person=5, total=5),
                "carried_over": row(total=0),  # natural_person left blank
                "total_processed": row(natural_person=3, total=3),
                "carried_forward": row(natural_person=1, total=1)}
    assert checks(requests, {}) == [
        "requests natural_person: new_received + carried_over = 5, but total_processed + "
        "carried_forward = 4",
        "requests total: new_received + carried_over = 5, but total_processed + "
        "carried_forward = 4"]


def test_result_rows_printed_in_part_must_add_up_to_the_total_processed():
    requests = {"new_received": row(natural_person=5, total=5),
                "carried_over": row(natural_person=0, total=0),
                "granted": row(natural_person=2, total=2),
                "partly_granted": row(),  # blank
                "total_processed": row(natural_person=5, total=5),
                "carried_forward": row(natural_person=0, total=0)}
    assert checks(requests, {}) == [
        "requests natural_person: total_processed = 5, but the result rows add up to 2",
        "requests total: total_processed = 5, but the result rows add up to 2"]


def test_a_row_with_some_applicant_columns_printed_must_add_up_to_its_total():
    requests = {"new_received": row(natural_person=2, total=3)}
    assert checks(requests, {}) == [
        "requests natural_person: new_received + carried_over = 2, but total_processed + "
        "carried_forward = 0",
        "requests total: new_received + carried_over = 3, but total_processed + "
        "carried_forward = 0",
        "requests new_received: total = 3, but the applicant columns add up to 2"]


def test_one_of_the_2021_other_rows_printed_replaces_the_2019_sum():
    """A 2021 report printing only 3.其他 of （六）: ``other_handling`` (the extractor's sum
    of the rows printed) must not be counted beside it."""
    requests = {"new_received": row(natural_person=4, total=4),
                "carried_over": row(natural_person=0, total=0),
                "granted": row(natural_person=3, total=3),
                "other_misc": row(natural_person=1, total=1),
                "other_handling": row(natural_person=1, total=1),
                "total_processed": row(natural_person=4, total=4),
                "carried_forward": row(natural_person=0, total=0)}
    assert checks(requests, {}) == []


def test_an_appeals_total_that_is_not_the_sum_of_its_outcomes():
    appeals = {"review": {"upheld": 1, "corrected": 0, "other": None, "pending": 2, "total": 4},
               "litigation_direct": {"upheld": 1, "corrected": None, "other": None,
                                     "pending": None, "total": 1}}
    assert checks({}, appeals) == [
        "appeals review: total = 4, but upheld + corrected + other + pending = 3"]


APPEALS_BROKEN = {"review": {"upheld": 3, "corrected": 1, "other": 0, "pending": 1,
                             "total": 4}}  # 3 + 1 + 0 + 1 = 5, printed 4


def test_a_break_that_uses_a_number_ocr_was_unsure_of_is_unverified():
    """Read from the text layer, or by OCR with confidence: the agency's own break. A
    number OCR read at 61% in it: ``unverified``, naming the uncertain cell."""
    from crawler.extract.checks import judged_checks

    sentence = "appeals review: total = 4, but upheld + corrected + other + pending = 5"
    assert judged_checks({}, APPEALS_BROKEN, {}) == [sentence]  # text layer
    sure = {f"appeals.review.{o}": 0.99 for o in ("upheld", "corrected", "pending", "total")}
    assert judged_checks({}, APPEALS_BROKEN, sure) == [sentence]
    unsure = {**sure, "appeals.review.upheld": 0.61}
    assert judged_checks({}, APPEALS_BROKEN, unsure) == [
        f"unverified: {sentence} (read by OCR, uncertain: appeals.review.upheld)"]
    holds = {"review": {**APPEALS_BROKEN["review"], "total": 5}}
    assert judged_checks({}, holds, unsure) == []  # an identity that holds is no break
