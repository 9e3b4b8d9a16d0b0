"""Starting, running and cleaning up background jobs.

A job is a row of `Job` plus one task of Django's tasks framework (django-tasks, stored in the database by
django-tasks-db) that names it. A worker — the thread `zhibu serve` starts, or `zhibu worker` processes — runs
the task; the work itself (`zhibu/jobs/work.py`) reports its progress through a callback that writes the row, at
most a few times a second, and writes its file under the data directory's uploads (MEDIA_ROOT/jobs/, readable
by the app's user only). Pages read the row through `access.job_for`: the login that started the job, while it
may still see the organisation; anybody else gets 404.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from zhibu.jobs.models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

# A finished job and its file are deleted after this long (the file may hold thousands of ID numbers).
KEEP_FINISHED = timedelta(hours=24)
# A job's row is written at most this often while it runs (the bar is polled every second).
PROGRESS_INTERVAL = 0.3
GENERIC_FAILURE = "任务未能完成：系统内部错误（已记入日志）。请稍后重试；仍不成功请联系系统管理员。"
INTERRUPTED = "任务被中断：处理它的后台进程已停止。请重新发起。"


class JobError(Exception):
    """A failure whose message (in Chinese, saying what to do) is shown to the user as it is."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result or {}


def jobs_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "jobs"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def new_stored_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}{extension}"


def private_file(name: str):
    """A new file under jobs/, readable and writable by the app's user only."""
    return os.fdopen(os.open(jobs_dir() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def start(owner, kind: JobKind, title: str, org=None, params: dict | None = None) -> Job:
    """Create the job and queue its task; a worker picks it up."""
    from zhibu.jobs.tasks import run_job

    purge_finished()
    job = Job.objects.create(owner=owner, kind=kind, title=title, org=org, params=params or {},
                             stage="等待后台处理")
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.task_id = str(result.id)[:64]
    return job


class Progress:
    """The callback handed to the work: progress(done, total, stage) writes the job's row now and then."""

    def __init__(self, job: Job, echo=None):
        self.job, self.echo = job, echo
        self.last = 0.0

    def __call__(self, done: int, total: int, stage: str = "") -> None:
        now = time.monotonic()
        if self.echo is not None:
            self.echo(done, total, stage)
        if now - self.last < PROGRESS_INTERVAL and done < total:
            return
        self.last = now
        Job.objects.filter(pk=self.job.pk).update(done=done, total=total, stage=stage[:300])


def run(job_id: int) -> None:
    """Do the job (in a worker); every failure ends as a Chinese message on the job, never as a lost task."""
    from zhibu.jobs.work import WORK

    job = Job.objects.select_related("owner", "org").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(), stage="开始处理")
    try:
        outcome = WORK[job.kind](job, Progress(job))
    except JobError as error:
        _fail(job, str(error), error.result)
    except Exception:
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        _fail(job, GENERIC_FAILURE)
    except BaseException:  # the worker is being stopped (Ctrl+C twice, SIGTERM while it works)
        _fail(job, INTERRUPTED)
        raise
    else:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, finished_at=timezone.now(), stage="已完成", done=1, total=1,
            filename=outcome.filename, mimetype=outcome.mimetype, stored_name=outcome.stored_name,
            result=outcome.result)


def _fail(job: Job, message: str, result: dict | None = None) -> None:
    stored = Job.objects.filter(pk=job.pk).values_list("stored_name", flat=True).first()
    if stored:
        (jobs_dir() / stored).unlink(missing_ok=True)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, finished_at=timezone.now(), error=message,
                                         stage="失败", stored_name="", result=result or {})


def file_path(job: Job) -> Path | None:
    if job.status != JobStatus.DONE or not job.stored_name or "/" in job.stored_name:
        return None
    path = jobs_dir() / job.stored_name
    return path if path.is_file() else None


def purge_finished(now=None) -> int:
    """Delete jobs finished more than KEEP_FINISHED ago, with their files; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FINISHED
    from django_tasks_db.models import DBTaskResult

    old = list(Job.objects.filter(finished_at__lt=cutoff).values_list("pk", "stored_name", "task_id"))
    for _, stored, _ in old:
        if stored and "/" not in stored:
            (jobs_dir() / stored).unlink(missing_ok=True)
    DBTaskResult.objects.filter(id__in=[task for _, _, task in old if task]).delete()  # the queue's rows too
    Job.objects.filter(pk__in=[pk for pk, _, _ in old]).delete()
    return len(old)
