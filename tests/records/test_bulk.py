"""Writing many new records and rolls at once (records/bulk.py) stores what saving them one by one would."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from zhibu.records import bulk
from zhibu.records.models import Activity, ActivityType, Attendance, Status


def _records(tree):
    meeting = ActivityType.objects.get(name="支部党员大会")
    return [
        Activity(org=tree.orgs.a, type=meeting, date=date(2025, 3, 18), start_time=time(14, 30), subject="主题“引号”\t制表",
                 place="三楼\\会议室", chair=tree.people.a_secretary, lecturer_text="外请专家", quantity=2,
                 amount=Decimal("1250.50"), minutes="第一行\n第二行", ref="A-1", study_hours=Decimal("4.0")),
        Activity(org=tree.orgs.group_a, type=meeting, date=date(2025, 3, 19)),
    ]


def test_new_records_are_stored_with_every_value_their_ids_and_history(tree):
    records = _records(tree)
    expected = [model_to_dict(record, exclude=["id", "tags"]) for record in records]
    created = bulk.create_activities(records)
    assert [record.pk for record in created] == sorted(record.pk for record in created)
    assert all(record.pk and not record._state.adding for record in created)
    stored = Activity.objects.filter(pk__in=[record.pk for record in created]).order_by("pk")
    assert [model_to_dict(record, exclude=["id", "tags"]) for record in stored] == expected
    assert all(record.created_at for record in stored)
    for record in stored:
        history = record.history.get()
        assert history.history_type == "+"
        assert (history.subject, history.place, history.amount, history.minutes) == (
            record.subject, record.place, record.amount, record.minutes)


def test_new_rolls_are_stored_with_their_history_from_a_generator(tree):
    created = bulk.create_activities(_records(tree))
    rows = ((record.pk, person.pk, status, reason) for record in created for person, status, reason in [
        (tree.people.a_secretary, Status.PRESENT, ""), (tree.people.a_member, Status.LEAVE, "公差\t外地\\"),
    ])
    bulk.create_attendance(rows, [record.pk for record in created])
    stored = sorted(Attendance.objects.values_list("activity_id", "person_id", "status", "reason"))
    assert len(stored) == 4 and ("公差\t外地\\" in {reason for *_rest, reason in stored})
    assert sorted(Attendance.history.values_list("activity_id", "person_id", "status", "reason")) == stored


def test_nothing_to_write_writes_nothing(tree):
    assert bulk.create_activities([]) == []
    bulk.create_attendance(iter(()), [])
    assert not Attendance.objects.exists() and not Activity.history.exists()


def test_a_record_breaking_a_constraint_raises_the_error_bulk_create_would(tree):
    bulk.create_activities(_records(tree)[:1])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.create_activities(_records(tree)[:1])  # the same 编号 in the same organisation
