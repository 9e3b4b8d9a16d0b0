"""学时: concentrated study and training hours (党员教育管理工作条例 第二十条: generally not less than 32 a year).

A record's hours are its own (editable per record, e.g. a half-day lesson 4) or else its type's default; a
member earns them by attending (出席). Only records held by `until` (default today) count.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Iterable

from zhibu.records.models import Activity, Attendance, Status

REQUIRED_HOURS = Decimal(32)  # 第二十条
ZERO = Decimal(0)


def hours_of(activity: Activity) -> Decimal:
    return activity.study_hours if activity.study_hours is not None else activity.type.study_hours


def member_hours(person_ids: Iterable[int], year: int, until: date | None = None) -> dict[int, Decimal]:
    """Person id → 学时 earned in the year (records attended up to `until`), in one query."""
    until = min(until or date.today(), date(year, 12, 31))
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows = Attendance.objects.filter(
        person_id__in=list(person_ids), status=Status.PRESENT, activity__date__year=year, activity__date__lte=until
    ).select_related("activity__type")
    for row in rows:
        totals[row.person_id] += hours_of(row.activity)
    return totals
