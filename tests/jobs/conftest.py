"""Background jobs in tests run when the test says so: queued tasks are run here, in the test's thread, by the
same worker code `zhibu serve` and `zhibu worker` use — never by a thread or process left running."""

import pytest


def run_jobs() -> int:
    """Run every queued task now; returns how many ran."""
    from django_tasks_db.models import DBTaskResult

    from zhibu.jobs.worker import make_worker

    worker = make_worker()
    ran = 0
    for task in DBTaskResult.objects.ready().order_by("enqueued_at"):
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran


@pytest.fixture
def jobs():
    return run_jobs
