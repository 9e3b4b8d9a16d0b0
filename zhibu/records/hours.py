"""学时: concentrated study and training hours (党员教育管理工作条例 第二十条: generally not less than 32 a year).

A record's hours are its own (editable per record, e.g. a half-day lesson 4) or else its type's default; a
member earns them by attending (出席). Only records held by `until` (default today) count.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from zhibu.records.models import Activity, Attendance, Status

REQUIRED_HOURS = Decimal(32)  # 第二十条
ZERO = Decimal(0)
# The same rule as hours_of, for the database: the record's own hours, else its type's.
HOURS = Coalesce("activity__study_hours", "activity__type__study_hours")


def hours_of(activity: Activity) -> Decimal:
    return activity.study_hours if activity.study_hours is not None else activity.type.study_hours


def earning_attendance(person_ids, year: int, until: date | None = None, *, of_hours_only: bool = False,
                       ) -> QuerySet[Attendance]:
    """The attendance rows that earn 学时 in the year: 出席 at a record held by `until` (default today).

    `person_ids` is a list or a queryset of ids (a subquery stays in the database). The one definition used by
    the member's 我的, the 学时台账 and the compliance rule. `of_hours_only`: leave out records of no hours, which add
    nothing to a sum (most records are meetings of no hours: a sum then reads a quarter of the rows)."""
    until = min(until or date.today(), date(year, 12, 31))
    # Activity.objects.held's test, on the joined record: `activity__in=<records held>` made SQLite probe the
    # roll's (record, person) index for every pair of a year's records and a unit's people (minutes at a unit of
    # 1,000 branches); a join reads each person's rows once.
    rows = Attendance.objects.filter(person_id__in=person_ids, status=Status.PRESENT,
                                     activity__date__gte=date(year, 1, 1), activity__date__lte=until)
    if of_hours_only:
        rows = rows.alias(hours=HOURS).exclude(hours=0)
    return rows


def member_hours(person_ids, year: int, until: date | None = None) -> dict[int, Decimal]:
    """Person id → 学时 earned in the year (0 for anyone without), summed by the database in one query."""
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows = earning_attendance(person_ids, year, until, of_hours_only=True).values("person_id").annotate(hours=Sum(HOURS)).order_by()
    totals.update((person_id, hours or ZERO) for person_id, hours in rows.values_list("person_id", "hours"))
    return totals
