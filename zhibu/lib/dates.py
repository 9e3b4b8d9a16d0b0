"""Calendar arithmetic in months, the one definition for every rule that counts periods in months or years
(terms of office, probation, development deadlines, compliance periods, letters' validity). No Django."""

from __future__ import annotations

import calendar
from datetime import date


def month_end(year: int, month: int) -> date:
    """The last day of the month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier, for a negative number); where that month is shorter, its last day.

    This is how periods counted in months and years end (民法典 第二百零二条: without a corresponding day, the
    period ends on the last day of the month), so 31 January + 1 month is 28 or 29 February, and a term of
    office begun on 29 February ends on 28 February.
    """
    index = day.year * 12 + day.month - 1 + months
    year, zero_based_month = divmod(index, 12)
    end = month_end(year, zero_based_month + 1)
    return end.replace(day=min(day.day, end.day))
