"""Months and years are counted to the same day, or to the last day of a shorter month (民法典 第二百零二条)."""

from datetime import date

import pytest

from zhibu.lib.dates import add_months, month_end
from zhibu.orgs.terms import term_ends_on


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 3, 15), 1, date(2024, 4, 15)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 12, 10), 1, date(2025, 1, 10)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
    ],
)
def test_add_months_ends_on_the_last_day_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_the_month_ends_on_its_last_day():
    assert [month_end(2024, 2), month_end(2025, 2), month_end(2025, 12)] == [
        date(2024, 2, 29), date(2025, 2, 28), date(2025, 12, 31)]


def test_a_term_begun_on_29_february_ends_on_28_february():
    assert term_ends_on(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert term_ends_on(date(2023, 5, 31), 5) == date(2028, 5, 31)
    assert term_ends_on(None, 3) is None
