"""Months as the dues ledger writes them ("2025-03"), read from what people type or Excel stores."""

from __future__ import annotations

import re
from datetime import date, datetime

from zhibu.dues.calculator import DuesError, month_key

# "2025-03" is the exchange format; the others are what people type into Excel or a form anyway.
_MONTH_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月"),
)
MONTH_HINT = "请写成 2025-03（年-月），或使用 Excel 日期格式"


def parse_month(value: object) -> str:
    """The ledger's month string for a cell or form value; DuesError with the fix otherwise.

    Excel turns a typed "2025-03" into the date 2025-03-01, so a date cell
    stands for its month.
    """
    if isinstance(value, datetime):
        return month_key(value.date())
    if isinstance(value, date):
        return month_key(value)
    text = "" if value is None else str(value).strip()
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(text)
        if match and 1 <= int(match[2]) <= 12:
            return f"{int(match[1]):04d}-{int(match[2]):02d}"
    raise DuesError(f"月份“{text}”无法识别。{MONTH_HINT}")


def months_of_year(year: int) -> list[str]:
    return [f"{year:04d}-{month:02d}" for month in range(1, 13)]


def previous_month(day: date) -> str:
    """The last month that should already be paid on ``day``: this month's dues may be paid until its end."""
    return month_key(date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1))


def first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def month_label(month: str) -> str:
    """"2025-03" → "3月", the heading of a ledger column."""
    return f"{int(month[5:7])}月"
