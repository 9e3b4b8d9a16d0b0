"""Helpers for records tests: a record with a roll in one call."""

from datetime import date

import pytest

from zhibu.records.models import Activity, ActivityType, Attendance, Tag


def make_record(org, type_name, day=date(2025, 3, 18), *, roll=None, tags=(), **values):
    """A record of `type_name`; `roll` maps a Person to a status or to (status, reason)."""
    activity = Activity.objects.create(org=org, type=ActivityType.objects.get(name=type_name), date=day, **values)
    activity.tags.set(Tag.for_names(list(tags)))
    for person, status in (roll or {}).items():
        status, reason = status if isinstance(status, tuple) else (status, "")
        Attendance.objects.create(activity=activity, person=person, status=status, reason=reason)
    return activity


@pytest.fixture
def record():
    return make_record
