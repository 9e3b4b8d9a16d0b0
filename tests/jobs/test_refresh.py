"""The nightly refresh of stored judgements (jobs/tasks.py): queued when a worker starts, run by the worker,
queued again for the next night, never twice at once."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhibu.compliance.models import Judgement
from zhibu.jobs import tasks
from zhibu.jobs.worker import queue_daily_refresh
from zhibu.orgs.models import Organisation, OrgKind


def queued():
    return list(DBTaskResult.objects.filter(task_path=tasks.refresh_judgements.module_path, status=TaskResultStatus.READY))


def test_a_starting_worker_queues_the_refresh_once(tree):
    queue_daily_refresh()
    queue_daily_refresh()  # a second worker starting: one is already waiting
    assert len(queued()) == 1


def test_the_refresh_judges_every_branch_and_queues_the_next_night(tree, jobs):
    queue_daily_refresh()
    assert jobs() == 1
    today = timezone.localdate()
    branches = set(Organisation.objects.filter(kind=OrgKind.BRANCH).values_list("pk", flat=True))
    assert set(Judgement.objects.filter(year=today.year, judged_on=today).values_list("branch_id", flat=True)) == branches
    [next_night] = queued()
    expected = timezone.make_aware(datetime.combine(today + timedelta(days=1), tasks.REFRESH_AT))
    assert next_night.run_after == expected and tasks.REFRESH_AT == time(0, 5)
    assert jobs() == 0  # not before its time
    assert tasks.schedule_refresh(next_day=True) is False  # already queued for then
