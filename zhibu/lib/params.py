"""Reading numbers from query strings and forms: a value that cannot be one is ignored, never a 500.

A database id is at most 2^63-1 (PostgreSQL bigint, SQLite INTEGER); a longer string of digits names nothing.
A year is a calendar year the records can have.
"""

from __future__ import annotations

from datetime import date

MAX_ID = 2**63 - 1
FIRST_YEAR = 1921  # the Party's founding year: nothing is recorded before it


def id_param(value, default=None):
    """A database id typed in a URL, or `default` when it is not one (letters, 0, NUL bytes, huge numbers)."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return default
    number = int(text)
    return number if 0 < number <= MAX_ID else default


def ids_param(value, limit: int = 1000) -> list[int]:
    """The ids of a comma-separated list, ignoring what is not one; at most `limit` of them."""
    found = []
    for part in str(value or "").split(",")[:limit]:
        number = id_param(part)
        if number is not None:
            found.append(number)
    return found


def last_year(today: date | None = None) -> int:
    """The latest year anything may be recorded or asked for: next year (plans are made ahead)."""
    return (today or date.today()).year + 1


def is_year(year: int, today: date | None = None) -> bool:
    return FIRST_YEAR <= year <= last_year(today)


def year_param(value, default=None, *, today: date | None = None):
    """A year from FIRST_YEAR to next year, or `default`. The one reading of a year in a query string."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) != 4:
        return default
    year = int(text)
    return year if is_year(year, today) else default


def year_or_404(year: int, today: date | None = None) -> int:
    """A year taken from a URL path (already digits): the same bounds, 404 outside them."""
    from django.http import Http404

    if not is_year(year, today):
        raise Http404("年度超出范围")
    return year


def small_int_param(value, default=None, *, maximum: int = 10**6, digits: int = 7):
    """A non-negative count or number typed in a URL (page, month, threshold), or `default`."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > digits:
        return default
    number = int(text)
    return number if number <= maximum else default
