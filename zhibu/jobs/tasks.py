"""The tasks of the tasks framework: run a job by its id (what to do is on the job's row), and the daily refresh
of the stored compliance judgements (compliance/judgements.py)."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Shortly after midnight (the site's time zone) every stored judgement is a day old: judged again then.
REFRESH_AT = time(0, 5)


@task()
def run_job(job_id: int) -> None:
    from zhibu.jobs.service import run

    run(job_id)


@task()
def refresh_judgements() -> int:
    """Judge again every branch whose stored judgement is out of date (a new day, changed rules or code), for
    this year and any other year looked at in the past week, so the day's first committee page need not; then
    queue the next day's refresh. The number of branch-years judged."""
    from zhibu.compliance.facts import refresh_judgements as refresh
    from zhibu.compliance.models import Judgement

    today = timezone.localdate()
    years = {today.year} | set(Judgement.objects.filter(judged_on__gte=today - timedelta(days=7))
                               .values_list("year", flat=True).distinct())
    judged = sum(refresh(year, today) for year in sorted(years))
    logger.info("stored judgements refreshed: %s branch-years judged", judged)
    schedule_refresh(next_day=True)
    return judged


def schedule_refresh(*, next_day: bool = False) -> bool:
    """Queue the refresh to run now (a worker starting: code or rules may have changed) or at REFRESH_AT of the
    next day, unless one is already queued to run by then; True when queued. Several workers starting together
    may queue it twice: the second run finds nothing out of date and costs a few queries."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks.base import TaskResultStatus

    now = timezone.localtime()
    when = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), REFRESH_AT)) if next_day else now
    queued = DBTaskResult.objects.filter(task_path=refresh_judgements.module_path, status=TaskResultStatus.READY,
                                         run_after__lte=when)
    if queued.exists():
        return False
    refresh_judgements.using(run_after=when).enqueue()
    return True
